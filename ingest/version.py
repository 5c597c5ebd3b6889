"""The version of the extractor: which code, vocabulary and model made a document's facts.

A store keeps it on every document (``rkg:extractorVersion``), so ingesting the same bytes again
after regionkg's extraction changed (its code, its ``pipeline.cfg``, the learned recogniser's
weights or the vocabularies it reads) extracts them again and replaces the stale facts, instead of
reporting the document unchanged.

Examples
--------
>>> v = extractor_version()
>>> len(v), v == extractor_version()
(16, True)
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["extractor_version", "EXTRACTOR_FILES"]

_ROOT = Path(__file__).resolve().parents[1]

#: What extraction reads, as glob patterns under the repository: its code and configuration, the
#: learned recogniser's weights and meta, the ontology and vocabularies. (Not the training data: it
#: reaches extraction only through the weights.)
EXTRACTOR_FILES = ("ingest/**/*.py", "ingest/**/*.cfg", "ingest/recognise/model/**/*", "ontology/**/*.ttl",
                   "ontology/**/*.py", "ontology/gazetteers/**/*")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A short hash of every file :data:`EXTRACTOR_FILES` names (their paths and bytes)."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in EXTRACTOR_FILES for p in _ROOT.glob(pattern)
                    if p.is_file() and "__pycache__" not in p.parts})
    for path in files:
        digest.update(path.relative_to(_ROOT).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
