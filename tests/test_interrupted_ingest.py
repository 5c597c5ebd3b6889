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
from regionkg_process import regionkg

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


# -- a kill while a changed file replaces its old version (issue 12) --------------------------------

#: Runs ``regionkg ARGS`` with every write to the Oxigraph store watched: the process SIGKILLs
#: itself at the moment $KILL_AT names, as a power cut would. The store is the real one; only the
#: moment of the kill is chosen. "before": at the first write of the run (the vocabulary is
#: already stored, so it is the replacement's first step); "after": as soon as a write has made a
#: document graph other than $OLD_GRAPH exist (the new version is in the store).
_KILL_SWITCH = r"""
import os, signal, sys
import pyoxigraph

real = pyoxigraph.Store
moment, old = os.environ["KILL_AT"], os.environ["OLD_GRAPH"]
WRITES = {"add", "bulk_extend", "bulk_load", "clear", "clear_graph", "extend", "load", "remove",
          "remove_graph", "update"}

def new_version_in(store):
    return any(g.value.startswith("https://w3id.org/regionkg/doc/") and g.value != old
               for g in store.named_graphs())

class KillSwitch:
    read_only = staticmethod(real.read_only)

    def __init__(self, *args, **kwargs):
        self._store = real(*args, **kwargs)

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if name not in WRITES:
            return attr
        def write(*args, **kwargs):
            if moment == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            result = attr(*args, **kwargs)
            if moment == "after" and new_version_in(self._store):
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return write

pyoxigraph.Store = KillSwitch
from regionkg.cli import main
sys.argv = ["regionkg", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("moment", ["before", "after"])
def test_sigkill_while_a_changed_file_replaces_its_old_version_leaves_one_version_after_a_rerun(
        samples, tmp_path, moment):
    import hashlib

    name = "004_deeb158c161dd6a1.txt"
    first, second = tmp_path / "v1", tmp_path / "v2"
    first.mkdir(), second.mkdir()
    shutil.copy(samples / name, first / name)
    title, body = (samples / name).read_text(encoding="utf-8").split("\n", 1)
    (second / name).write_text(f"{title}\n全市要加快培育氢能产业。\n{body}", encoding="utf-8")
    store = tmp_path / "kg"
    done = _ingest(first / name, store)
    assert done.communicate(timeout=300) and done.returncode == 0
    with Store(store, read_only=True) as kg:
        (old,) = [d["iri"] for d in kg.documents()]

    killed = subprocess.run([sys.executable, "-c", _KILL_SWITCH, "ingest", str(second / name), "--store", str(store)],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "KILL_AT": moment, "OLD_GRAPH": old})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]

    rerun = _ingest(second / name, store)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert out.split()[0] == {"before": "replaced", "after": "unchanged"}[moment], out
    with Store(store, read_only=True) as kg:
        docs = kg.documents()
        hashes = [str(r[0]) for r in kg.query("SELECT ?h WHERE { ?d a rkg:PlanDocument ; rkg:contentHash ?h }")]
    assert [d["file"] for d in docs] == [name]  # exactly one version …
    assert hashes == [hashlib.sha256((second / name).read_bytes()).hexdigest()]  # … the new one
    removed = regionkg("remove", name, "--store", store)  # and the file name names exactly it
    assert removed.returncode == 0, removed.stderr
