"""Ingest a batch of files and folders into a store, one report line per file.

A bad file never stops the batch: it ends in a report line that says why it is not in the graph.
Recognition (reading, extraction, building the document's RDF) runs in this process or, with
``jobs > 1``, in that many worker processes; the results are written to the store by this process,
one document at a time and in input order, so the store sees the same writes either way.

The store is anything with ``has_document(sha256)`` and ``add_ntriples(iri, data)`` (and, to replace
changed versions, ``find_documents(name)`` and ``replace_ntriples(old_iri, iri, data)`` or
``remove_document(iri)``): see
:class:`graph.store.Store`; ingest does not depend on how it is kept.

Examples
--------
>>> class MemoryStore:
...     def __init__(self): self.graphs = {}
...     def has_document(self, sha): return any(sha[:16] in iri for iri in self.graphs)
...     def add_ntriples(self, iri, data): self.graphs[iri] = data
>>> [line.status for line in ingest_paths(["no/such/file.txt"], MemoryStore())]
['rejected']
"""

from __future__ import annotations

import hashlib
import re
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ingest.read import (DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, DEFAULT_MAX_XML_BYTES, RejectedInput, file_name,
                         iter_input_files)
from ingest.version import extractor_version

__all__ = ["ReportLine", "Recognised", "ingest_paths", "recognise", "extract_paths", "shown", "STATUSES"]

#: added: new facts in the graph; replaced: a changed version of a stored document (same file name)
#: took its place, its old facts removed (or the same bytes, extracted again by a newer extractor);
#: unchanged: these bytes were already ingested, by this extractor; rejected: not
#: in the graph, with the reason; skipped: a file in a folder that is not a plan document type.
STATUSES = ("added", "replaced", "unchanged", "rejected", "skipped")


#: Characters that would break a report line or mislead a terminal: C0 and C1 controls (line
#: breaks, escape sequences), the Unicode line and paragraph separators, and the backslash that
#: starts an escape.
_UNSHOWN = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text) -> str:
    r"""``text`` (a path, a reason) as one line of a report: every line break, control character
    and backslash written as a backslash escape, so one file is always one line.

    Examples
    --------
    >>> print(shown("plans/淄博\nrejected  fake.txt"))
    plans/淄博\nrejected  fake.txt
    >>> print(shown("a\tb\x1b[31m\\c"))
    a\tb\x1b[31m\\c
    """
    return _UNSHOWN.sub(lambda m: _ESCAPES.get(m.group(), m.group().encode("unicode_escape").decode("ascii")),
                        str(text))


@dataclass(frozen=True)
class ReportLine:
    """What happened to one input file; as text, one line whatever the file's name holds."""

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
        return shown(f"{self.status:<9} {self.path}  {detail}")


@dataclass(frozen=True)
class Recognised:
    """One file, recognised and ready to write: its document graph as N-Triples (UTF-8).

    ``line`` is the report line if it is written (status "added"), or the final line of a file that
    is not (status "rejected"); ``iri`` and ``ntriples`` are empty then. Plain data, so it crosses
    process boundaries cheaply.
    """

    line: ReportLine
    sha256: str = ""
    iri: str = ""
    ntriples: bytes = b""


def recognise(path, nlp=None, *, max_bytes: int | None = DEFAULT_MAX_BYTES, max_chars: int | None = DEFAULT_MAX_CHARS,
              max_xml_bytes: int | None = DEFAULT_MAX_XML_BYTES) -> Recognised:
    """Read, extract and build the RDF of one file; never raises for a bad file.

    ``max_bytes``, ``max_chars`` and ``max_xml_bytes`` bound what the file may cost
    (:func:`ingest.read.read_source`): past one, it is rejected with the reason.

    Examples
    --------
    >>> recognise("no/such/file.txt").line.status
    'rejected'
    """
    from ingest.extract import extract
    from ingest.rdf import to_rdf
    from ingest.read import read_source

    path = Path(path)
    try:
        source = read_source(path, max_bytes=max_bytes, max_chars=max_chars, max_xml_bytes=max_xml_bytes)
        extraction = extract(source, nlp)
        graph = to_rdf(extraction)
        line = ReportLine(path, "added", subject=extraction.subject.name,
                          facts=len(extraction.facts), chars=len(source.text))
        return Recognised(line, source.sha256, str(graph.identifier),
                          graph.serialize(format="nt", encoding="utf-8"))
    except RejectedInput as e:
        return Recognised(ReportLine(path, "rejected", e.reason))
    except Exception as e:  # a bug must not lose the rest of the batch; say what it was
        return Recognised(ReportLine(path, "rejected", _internal_error(e)))


def ingest_paths(paths: Iterable, store, *, nlp=None, max_bytes: int | None = DEFAULT_MAX_BYTES,
                 max_chars: int | None = DEFAULT_MAX_CHARS, max_xml_bytes: int | None = DEFAULT_MAX_XML_BYTES,
                 jobs: int = 1, on_file: Callable[[Path], None] | None = None) -> Iterator[ReportLine]:
    """Ingest files and folders into ``store``, yielding a :class:`ReportLine` per file, in order.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders (folders are read recursively, in sorted order).
    store : graph.store.Store or compatible
    nlp : spacy.Language, optional
        The recognition pipeline (default: :func:`ingest.extract.default_pipeline`); only with
        ``jobs=1`` (worker processes build their own).
    max_bytes : int, optional
        Files larger than this are rejected (default 50 MB).
    max_chars : int, optional
        Documents with more text than this many characters are rejected (default 2,000,000).
    max_xml_bytes : int, optional
        A .docx that expands to more XML than this is rejected before it is parsed (default 32 MB).
    jobs : int
        Worker processes that recognise documents (1: recognise in this process).
    on_file : callable, optional
        Called with each path before it is processed.

    Raises
    ------
    ValueError
        For no paths, ``jobs`` < 1, an ``nlp`` with ``jobs`` > 1, or a limit that is not a
        positive whole number or None.
    """
    paths = list(paths)
    limits = {"max_bytes": max_bytes, "max_chars": max_chars, "max_xml_bytes": max_xml_bytes}
    for name, value in limits.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise ValueError(f"{name} must be a positive int or None, got {value!r}")
    if not paths:
        raise ValueError("no paths given: name at least one file or folder")
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of processes, 1 or more, got {jobs!r}")
    if nlp is not None and jobs > 1:
        raise ValueError("nlp can only be given with jobs=1: worker processes build the default pipeline")

    def todo() -> Iterator[tuple[Path, ReportLine | None]]:
        # Files already stored (same bytes) and files that cannot be read are settled here, before
        # any recognition work is spent on them.
        for path, problem in iter_input_files(paths):
            if on_file is not None:
                on_file(path)
            if problem is not None:
                status = "skipped" if problem.reason.startswith("skipped") else "rejected"
                yield path, ReportLine(path, status, problem.reason.removeprefix("skipped:").strip())
                continue
            sha = _file_sha256(path, max_bytes)
            if sha is not None and store.has_document(sha) and _same_extractor(store, sha):
                yield path, ReportLine(path, "unchanged")
                continue
            yield path, None

    if jobs == 1:
        for path, settled in todo():
            yield settled or _write(store, recognise(path, nlp, **limits))
        return
    yield from _ingest_parallel(todo(), store, jobs, limits)


def _ingest_parallel(todo, store, jobs: int, limits: dict) -> Iterator[ReportLine]:
    """Recognise in ``jobs`` processes, at most 2 × jobs files in flight; write in input order."""
    pending: deque = deque()  # (path, settled line or future), in input order
    with _Workers(jobs, limits) as workers:
        for path, settled in todo:
            pending.append((path, settled if settled is not None else workers.submit(path)))
            while len(pending) > 2 * jobs or (pending and _ready(pending[0][1])):
                yield _settle(pending.popleft(), store, workers)
        while pending:
            yield _settle(pending.popleft(), store, workers)


def _ready(item) -> bool:
    return isinstance(item, ReportLine) or item.done()


def _settle(entry, store, workers: "_Workers") -> ReportLine:
    path, item = entry
    if isinstance(item, ReportLine):
        return item
    return _write(store, workers.result(path, item))


class _Workers:
    """A pool of recognising processes that survives a worker's death.

    Workers are started fresh ("spawn": no inherited store handle or locks) and each builds the
    default pipeline once. When a worker dies (killed, out of memory, a crash in native code), every
    file in flight is recognised again alone in a fresh process, so only a file that kills its
    process is rejected, and the pool is replaced for the files after it.
    """

    def __init__(self, jobs: int, limits: dict):
        import multiprocessing

        self.jobs, self.limits = jobs, limits
        self.context = multiprocessing.get_context("spawn")
        self.pool = self._new_pool(jobs)

    def _new_pool(self, n: int):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(n, mp_context=self.context, initializer=_start_worker)

    def submit(self, path: Path):
        from concurrent.futures.process import BrokenProcessPool

        try:
            with _plain_main():
                return self.pool.submit(_worker_recognise, path, self.limits)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool(self.jobs)
            with _plain_main():
                return self.pool.submit(_worker_recognise, path, self.limits)

    def result(self, path: Path, future) -> Recognised:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            with self._new_pool(1) as alone:
                try:
                    with _plain_main():
                        future = alone.submit(_worker_recognise, path, self.limits)
                    return future.result()
                except BrokenProcessPool:
                    return Recognised(ReportLine(path, "rejected", "the recognising process died on this file"))

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _plain_main():
    """Start worker processes without the caller's ``__main__``.

    A spawned process imports its parent's main script first; when that script is a Streamlit app
    (Streamlit installs the page as ``__main__``) or anything else with effects at import, the
    worker would run it. Workers are started (on submit) while ``__main__`` is a bare module.
    """
    import types

    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


_WORKER_NLP = None


def _start_worker() -> None:
    global _WORKER_NLP
    from ingest.extract import default_pipeline

    _exit_with_parent()
    _WORKER_NLP = default_pipeline()


def _exit_with_parent() -> None:
    """End this worker when the batch that started it is gone (killed: no clean shutdown came)."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_recognise(path: Path, limits: dict) -> Recognised:
    return recognise(path, _WORKER_NLP, **limits)


def extract_paths(paths, *, jobs: int = 1):
    """Yield ``(path, gold, reason)`` for each file, in order: its extraction in the gold format
    (:meth:`ingest.extract.Extraction.to_gold`) and None, or None and why it was not read. With
    ``jobs`` above 1, that many processes extract side by side (each builds the pipeline once).

    Examples
    --------
    >>> [(p.name, gold, reason) for p, gold, reason in extract_paths([Path("no/such/file.txt")])]
    [('file.txt', None, 'no such file')]
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs!r}")
    paths = [Path(p) for p in paths]
    if jobs == 1 or len(paths) < 2:
        for path in paths:
            yield (path, *_extract_gold(path))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(jobs, len(paths)), mp_context=context, initializer=_start_worker) as pool:
        with _plain_main():
            futures = [pool.submit(_extract_gold, path, True) for path in paths]
        for path, future in zip(paths, futures):
            yield (path, *future.result())


def _extract_gold(path: Path, in_worker: bool = False) -> tuple[dict | None, str | None]:
    from ingest.extract import extract
    from ingest.read import RejectedInput, read_source

    try:
        return extract(read_source(path), _WORKER_NLP if in_worker else None).to_gold(), None
    except RejectedInput as e:
        return None, e.reason


def _write(store, result: Recognised) -> ReportLine:
    """Write one recognised document; a changed version of a stored one replaces it."""
    line = result.line
    if line.status != "added":
        return line
    try:
        if store.has_document(result.sha256):
            if _same_extractor(store, result.sha256):  # the same bytes earlier in this batch
                return ReportLine(line.path, "unchanged")
            # Extracted by another version of the extractor: the new facts replace the stale ones
            # (the document's graph has the same name; storing it replaces it whole).
            store.add_ntriples(result.iri, result.ntriples)
            return ReportLine(line.path, "replaced", "extracted again: the stored facts are from another "
                              "version of the extractor", subject=line.subject, facts=line.facts, chars=line.chars)
        # A changed version of a stored document (the one stored document with this file name)
        # replaces it: in one transaction where the store has them (the embedded store), so a crash
        # leaves the old version or the new one; elsewhere the new graph is written first, then
        # the old one removed, so a crash in between leaves both versions rather than neither.
        find = getattr(store, "find_documents", None)
        name = file_name(line.path)
        previous = [d for d in find(name) if d["file"] == name] if find else []
        if len(previous) == 1 and previous[0]["iri"] != result.iri:
            replace = getattr(store, "replace_ntriples", None)
            if replace is not None:
                replace(previous[0]["iri"], result.iri, result.ntriples)
            else:
                store.add_ntriples(result.iri, result.ntriples)
                store.remove_document(previous[0]["iri"])
            return ReportLine(line.path, "replaced", f"replaces {previous[0]['iri']}",
                              subject=line.subject, facts=line.facts, chars=line.chars)
        store.add_ntriples(result.iri, result.ntriples)
        return line
    except Exception as e:  # noqa: BLE001 - one document's failed write must not lose the batch
        return ReportLine(line.path, "rejected", f"not written to the store: {type(e).__name__}: {e}")


def _same_extractor(store, sha256: str) -> bool:
    """True if the stored document with these bytes was extracted by this extractor (always, in a
    store that keeps no versions)."""
    versions = getattr(store, "extractor_versions", None)
    return versions is None or versions(sha256) == {extractor_version()}


def _internal_error(e: Exception) -> str:
    where = traceback.extract_tb(e.__traceback__)[-1]
    return f"internal error {type(e).__name__}: {e} (at {Path(where.filename).name}:{where.lineno})"


def _file_sha256(path: Path, max_bytes) -> str | None:
    """The SHA-256 of a file's bytes, or None where :func:`recognise` will reject it anyway."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
