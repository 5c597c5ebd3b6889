"""Ingest a batch of files and folders into a store, one report line per file.

A bad file never stops the batch: it ends in a report line that says why it is not in the graph.
The store is anything with ``has_document(sha256)`` and ``add_document(graph)`` (see
:class:`graph.store.Store`); ingest does not depend on how it is kept.

Examples
--------
>>> class MemoryStore:
...     def __init__(self): self.graphs = {}
...     def has_document(self, sha): return any(str(g).endswith(sha[:16]) for g in self.graphs)
...     def add_document(self, graph): self.graphs[graph.identifier] = graph
>>> [line.status for line in ingest_paths(["no/such/file.txt"], MemoryStore())]
['rejected']
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.extract import extract
from ingest.rdf import to_rdf
from ingest.read import DEFAULT_MAX_BYTES, RejectedInput, iter_input_files, read_source

__all__ = ["ReportLine", "ingest_paths", "STATUSES"]

#: added: new facts in the graph; replaced: a changed version of a stored document (same file name)
#: took its place, its old facts removed; unchanged: these bytes were already ingested; rejected: not
#: in the graph, with the reason; skipped: a file in a folder that is not a plan document type.
STATUSES = ("added", "replaced", "unchanged", "rejected", "skipped")


@dataclass(frozen=True)
class ReportLine:
    """What happened to one input file."""

    path: Path
    status: str
    reason: str = ""
    subject: str = ""
    facts: int = 0
    chars: int = 0

    @property
    def failed(self) -> bool:
        """True for a file that was asked for and is not in the graph."""
        return self.status == "rejected"

    def __str__(self) -> str:
        if self.status == "added":
            detail = f"{self.subject}: {self.facts} facts"
        elif self.status == "replaced":
            detail = f"{self.subject}: {self.facts} facts ({self.reason})"
        elif self.status == "unchanged":
            detail = "already in the store (same content)"
        else:
            detail = self.reason
        return f"{self.status:<9} {self.path}  {detail}"


def ingest_paths(paths: Iterable, store, *, nlp=None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                 on_file: Callable[[Path], None] | None = None) -> Iterator[ReportLine]:
    """Ingest files and folders into ``store``, yielding a :class:`ReportLine` per file.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders (folders are read recursively, in sorted order).
    store : graph.store.Store or compatible
    nlp : spacy.Language, optional
        The recognition pipeline (default: :func:`ingest.extract.default_pipeline`).
    max_bytes : int, optional
        Files larger than this are rejected.
    on_file : callable, optional
        Called with each path before it is processed (for progress bars).
    """
    paths = list(paths)
    if not paths:
        raise ValueError("no paths given: name at least one file or folder")
    for path, problem in iter_input_files(paths):
        if on_file is not None:
            on_file(path)
        if problem is not None:
            status = "skipped" if problem.reason.startswith("skipped") else "rejected"
            reason = problem.reason.removeprefix("skipped:").strip()
            yield ReportLine(path, status, reason)
            continue
        yield _ingest_one(path, store, nlp, max_bytes)


def _ingest_one(path: Path, store, nlp, max_bytes) -> ReportLine:
    try:
        source = read_source(path, max_bytes=max_bytes)
        if store.has_document(source.sha256):
            return ReportLine(path, "unchanged", chars=len(source.text))
        extraction = extract(source, nlp)
        graph = to_rdf(extraction)
        # A changed version of a stored document (the one stored document with this file name)
        # replaces it: the new graph is written first, then the old one removed, so a crash in
        # between leaves both versions rather than neither.
        find = getattr(store, "find_documents", None)
        previous = [d for d in find(path.name) if d["file"] == path.name] if find else []
        store.add_document(graph)
        if len(previous) == 1 and previous[0]["iri"] != str(graph.identifier):
            store.remove_document(previous[0]["iri"])
            return ReportLine(path, "replaced", f"replaces {previous[0]['iri']}",
                              subject=extraction.subject.name, facts=len(extraction.facts),
                              chars=len(source.text))
        return ReportLine(path, "added", subject=extraction.subject.name,
                          facts=len(extraction.facts), chars=len(source.text))
    except RejectedInput as e:
        return ReportLine(path, "rejected", e.reason)
    except Exception as e:  # a bug must not lose the rest of the batch; say what it was
        where = traceback.extract_tb(e.__traceback__)[-1]
        return ReportLine(path, "rejected",
                          f"internal error {type(e).__name__}: {e} (at {Path(where.filename).name}:{where.lineno})")
