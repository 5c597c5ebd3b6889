"""The Streamlit app, as a user meets it: counts and a capped graph view of the sample store, a clear
message when there is no graph yet, and a real ``streamlit run`` server that serves the page.

These tests use the store's *path* (``sample_store_path``), never an open store: the app opens and
closes the store itself, and an Oxigraph store admits one writer at a time (the app only reads).
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TIMEOUT = 60

LEFT_OUT = re.compile(r"Showing (\d+) of (\d+) nodes; (\d+) less connected nodes are left out")


def _run_app(monkeypatch, store: Path) -> AppTest:
    monkeypatch.setenv("REGIONKG_STORE", str(store))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    return at.run()


def _metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(str(m.value).replace(",", "")) for m in at.metric}


def _left_out_notices(at: AppTest) -> list[tuple[int, int, int]]:
    found = []
    for info in at.info:
        match = LEFT_OUT.search(info.value)
        if match:
            found.append(tuple(int(g) for g in match.groups()))
    return found


# -- the app on the sample store ---------------------------------------------------------------


def test_app_shows_counts_of_the_sample_store(monkeypatch, sample_store_path):
    at = _run_app(monkeypatch, sample_store_path)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]

    metrics = _metrics(at)
    assert set(metrics) == {"documents", "regions", "industries", "zones", "projects",
                            "institutions", "talent programmes"}, metrics
    assert metrics["documents"] == 5
    for key in ("industries", "projects", "institutions", "regions"):
        assert metrics[key] > 0, (key, metrics)


def test_app_lists_the_documents(monkeypatch, sample_store_path):
    at = _run_app(monkeypatch, sample_store_path)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe) == 1
    table = at.dataframe[0].value
    assert len(table) == 5
    assert sorted(table["file"]) == sorted(p.name for p in (ROOT / "data" / "samples").glob("*.txt"))


def test_lowering_the_node_limit_says_how_many_nodes_are_left_out(monkeypatch, sample_store_path):
    at = _run_app(monkeypatch, sample_store_path)
    assert not at.exception, [e.value for e in at.exception]
    slider = at.slider(key="max_nodes")
    assert slider.value == 200

    at = slider.set_value(20).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key="max_nodes").value == 20

    notices = _left_out_notices(at)
    assert len(notices) == 1, [i.value for i in at.info]
    shown, total, left_out = notices[0]
    assert total > 20, "the sample graph should have more nodes than the lowest limit"
    assert shown == 20
    assert left_out == total - 20
    # The graph is still drawn (with the nodes that are kept).
    assert len(at.get("iframe")) == 1


def test_raising_the_node_limit_leaves_fewer_nodes_out(monkeypatch, sample_store_path):
    at = _run_app(monkeypatch, sample_store_path)
    at = at.slider(key="max_nodes").set_value(20).run()
    (_, total, few) = _left_out_notices(at)[0]
    at = at.slider(key="max_nodes").set_value(600).run()
    assert not at.exception, [e.value for e in at.exception]
    notices = _left_out_notices(at)
    if total <= 600:
        assert notices == [], "every node fits, so no notice"
    else:
        assert notices == [(600, total, total - 600)]
        assert total - 600 < few


def test_app_leaves_the_store_free_for_ingest_and_shows_its_changes(monkeypatch, sample_store_path,
                                                                   tmp_path):
    """The app only reads: while it runs, ``regionkg ingest`` can still open the store to write, and
    the app's next run shows what changed."""
    from graph.store import Store

    path = tmp_path / "kg"
    shutil.copytree(sample_store_path, path)
    # In a server, Python's cycle collector runs on whichever thread happens to allocate, not
    # necessarily the one that ran the script. Make that certain here: no collection while the
    # script runs, then one on this (another) thread. Query results it frees that way are leaked by
    # pyoxigraph ("unsendable ... dropped on another thread"), and with them the store they hold.
    files = {f.name: f.stat().st_mtime_ns for f in path.iterdir()}
    gc.disable()
    try:
        at = _run_app(monkeypatch, path)
    finally:
        gc.enable()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert _metrics(at)["documents"] == 5
    assert {f.name: f.stat().st_mtime_ns for f in path.iterdir()} == files, "reading wrote to the store"
    gc.collect()
    with Store(path) as store:  # what `regionkg ingest` does while the app is up
        first = store.documents()[0]["iri"]
        store.remove_document(first)

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert _metrics(at)["documents"] == 4
    assert first not in set(at.dataframe[0].value["iri"])


# -- no graph yet ------------------------------------------------------------------------------


@pytest.mark.parametrize("exists", [False, True], ids=["missing folder", "empty folder"])
def test_app_without_a_store_tells_how_to_build_it(monkeypatch, tmp_path, exists):
    where = tmp_path / "empty" / "no-store-here"
    if exists:
        where.mkdir(parents=True)
    at = _run_app(monkeypatch, where)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    message = at.error[0].value
    assert "regionkg ingest" in message
    assert str(where) in message
    # Nothing else is shown, and looking did not create a store.
    assert not at.metric
    assert not at.get("iframe")
    assert where.exists() == exists
    assert not exists or not any(where.iterdir())


# -- a real server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        assert response.headers.get_content_type() in ("text/html", "text/plain"), response.headers
        return response.status, response.read().decode("utf-8", "replace")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


@pytest.fixture()
def server(sample_store_path, tmp_path):
    """``streamlit run app.py`` on a free loopback port, over the sample store; stopped afterwards."""
    port = _free_port()
    env = dict(os.environ, REGIONKG_STORE=str(sample_store_path))
    log_path = tmp_path / "streamlit.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP),
             "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                status, body = _get(f"{base}/_stcore/health", timeout=2)
                if status == 200 and body.strip() == "ok":
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy within {TIMEOUT} s:\n{log_path.read_text()}")
            time.sleep(0.25)
        yield base, proc, log_path
    finally:
        _stop(proc)


def test_streamlit_serves_the_app(server):
    base, proc, log_path = server
    status, body = _get(f"{base}/")
    assert status == 200
    assert '<div id="root"></div>' in body, body[:2000]
    assert "<title>" in body
    assert proc.poll() is None, "the server should still be running after serving the page"
    assert "Traceback" not in log_path.read_text()
