"""``regionkg ingest --jobs N``: documents recognised in parallel processes, written in input order.

The store must end exactly as a one-process ingest leaves it, every file keeps its report line in
order, and a recognising process that dies takes no document with it.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys

import pytest

from graph.store import Store
from ingest.batch import ingest_paths

PER_GRAPH = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _quads(path) -> set:
    with Store(path, read_only=True) as kg:
        return {tuple(str(x) for x in row) for row in kg.query(PER_GRAPH)}


def _corpus(samples, folder, copies: int = 1):
    """The samples, plus ``copies - 1`` changed copies of each (a line appended: new bytes)."""
    folder.mkdir()
    for k in range(copies):
        for src in sorted(samples.glob("*.txt")):
            text = src.read_text(encoding="utf-8")
            if k:
                text += f"\n（第{k}版）\n"
            (folder / f"{src.stem}_{k}.txt").write_text(text, encoding="utf-8")
    return folder


def test_two_jobs_build_exactly_the_store_one_job_builds(samples, sample_store_path, tmp_path):
    with Store(tmp_path / "kg") as kg:
        lines = list(ingest_paths([samples], kg, jobs=2))
    assert [line.status for line in lines] == ["added"] * 5
    assert [line.path.name for line in lines] == sorted(p.name for p in samples.glob("*.txt"))
    assert _quads(tmp_path / "kg") == _quads(sample_store_path)


def test_bad_files_keep_their_place_and_reason_in_a_parallel_batch(samples, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(sorted(samples.glob("*.txt"))[4], folder / "b_plan.txt")
    shutil.copy(sorted(samples.glob("*.txt"))[4], folder / "d_same_bytes.txt")
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "e_legacy.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (folder / "f_notes.csv").write_text("a,b\n", encoding="utf-8")

    with Store(tmp_path / "one") as kg:
        sequential = [(line.path.name, line.status, line.reason) for line in ingest_paths([folder], kg)]
    with Store(tmp_path / "two") as kg:
        parallel = [(line.path.name, line.status, line.reason) for line in ingest_paths([folder], kg, jobs=2)]

    assert parallel == sequential
    names = [name for name, _, _ in parallel]
    assert names == sorted(names) and len(names) == 6
    statuses = dict((name, status) for name, status, _ in parallel)
    assert statuses["b_plan.txt"] == "added" and statuses["d_same_bytes.txt"] == "unchanged"
    assert statuses["a_empty.txt"] == statuses["c_binary.txt"] == statuses["e_legacy.doc"] == "rejected"
    assert all(reason for _, status, reason in parallel if status in ("rejected", "skipped"))


def test_a_recognising_process_killed_mid_batch_loses_no_document(samples, tmp_path):
    folder = _corpus(samples, tmp_path / "corpus", copies=2)
    lines = []
    killed = None
    with Store(tmp_path / "kg") as kg:
        for line in ingest_paths([folder], kg, jobs=2):
            lines.append(line)
            if killed is None:
                workers = [p for p in multiprocessing.active_children() if p.pid != os.getpid()]
                assert workers, "no recognising process to kill"
                killed = workers[0].pid
                os.kill(killed, signal.SIGKILL)
        stored = {d["file"] for d in kg.documents()}
    assert killed is not None
    assert [line.status for line in lines] == ["added"] * 10, [str(line) for line in lines]
    assert stored == {p.name for p in folder.iterdir()}


def test_jobs_must_be_a_positive_number(samples, tmp_path):
    with Store(tmp_path / "kg") as kg:
        with pytest.raises(ValueError, match="jobs must be .* got 0"):
            list(ingest_paths([samples], kg, jobs=0))
        with pytest.raises(ValueError, match="nlp can only be given with jobs=1"):
            list(ingest_paths([samples], kg, jobs=2, nlp=object()))


def test_parallel_ingest_from_an_app_whose_page_is_the_main_module(samples, tmp_path, monkeypatch):
    # Streamlit installs the page as __main__; a spawned worker must not run it (here: it would die).
    import types

    page = tmp_path / "page.py"
    page.write_text("raise SystemExit('a worker ran the page')\n", encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", main)
    folder = tmp_path / "two"
    folder.mkdir()
    for src in sorted(samples.glob("*.txt"))[3:]:
        shutil.copy(src, folder / src.name)
    with Store(tmp_path / "kg") as kg:
        assert [line.status for line in ingest_paths([folder], kg, jobs=2)] == ["added", "added"]
    assert sys.modules["__main__"] is main


def test_documents_extracted_side_by_side_come_out_as_extracted_one_by_one(tmp_path):
    from pathlib import Path

    from ingest.batch import extract_paths

    samples = sorted((Path(__file__).resolve().parent.parent / "data" / "samples").glob("*.txt"))[:3]
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    paths = [samples[0], empty, *samples[1:]]
    alone = list(extract_paths(paths, jobs=1))
    side_by_side = list(extract_paths(paths, jobs=2))
    assert side_by_side == alone
    assert [(p.name, gold is None, reason) for p, gold, reason in alone][1] == ("empty.txt", True, "empty file")
    assert all(gold is not None for p, gold, _ in alone if p != empty)
