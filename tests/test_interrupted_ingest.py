"""Killing an ingest at any moment loses nothing and duplicates nothing (issue 6).

Each document's facts are written in one Oxigraph transaction (``Store.add_ntriples`` →
``pyoxigraph.Store.load``), so a SIGKILL leaves every document either wholly in the store or not
at all, and a re-run adds exactly the missing ones; with ``--jobs 2`` the recognising processes die
with the batch and leave nothing behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from graph.store import Store

PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _graphs(path) -> dict[str, int]:
    with Store(path, read_only=True) as kg:
        return {str(r[0]): int(r[1]) for r in kg.query(PER_GRAPH)}


def _ingest(samples, store, *options, **kwargs):
    exe = shutil.which("regionkg", path=os.path.dirname(sys.executable)) or shutil.which("regionkg")
    assert exe, "the regionkg console script is not installed"
    return subprocess.Popen([exe, "ingest", str(samples), "--store", str(store), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


@pytest.mark.parametrize("after_lines,jobs", [(0, 1), (1, 1), (3, 1), (1, 2)])
def test_sigkill_mid_batch_leaves_whole_documents_and_a_rerun_completes_it(
        samples, sample_store_path, tmp_path, after_lines, jobs):
    complete = _graphs(sample_store_path)
    store = tmp_path / "kg"
    proc = _ingest(samples, store, "--jobs", str(jobs))
    for _ in range(after_lines):  # kill after this many documents were reported, or at once
        proc.stdout.readline()
    if after_lines == 0:
        time.sleep(2.0)  # mid start-up or mid first document
    workers = _children(proc.pid)
    assert len(workers) >= jobs - 1 or jobs == 1, workers
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _alive(workers) and time.monotonic() < deadline:  # the workers go with the batch
        time.sleep(0.2)
    assert not _alive(workers), f"recognising processes outlived the killed batch: {_alive(workers)}"

    if store.exists() and any(store.iterdir()):
        partial = _graphs(store)
        # Every graph in the store is whole: the vocabulary and documents exactly as a clean run has them.
        assert all(complete.get(g) == n for g, n in partial.items()), (partial, complete)

    rerun = _ingest(samples, store)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    statuses = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert sorted(set(statuses)) <= ["added", "unchanged"] and len(statuses) == 5, out
    assert _graphs(store) == complete  # nothing lost, nothing twice
