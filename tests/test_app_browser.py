"""The app in a real browser: ``streamlit run app.py`` on a loopback port, driven through Playwright
in Debian's chromium (never a browser Playwright downloads).

One server (over a private copy of the sample store) and one page serve every check, in the order a
researcher works: the overview, the graph explorer's canvas, a comparison (新材料 for 宁波国家高新区 and
淄博市), the evidence of 集成电路, an export that downloads and loads back, a read-only query, and last
an upload of a plan whose entity names (and file name) carry ``<script>``, ``<img onerror>`` and
``<svg onload>`` payloads, after which no payload has run in any frame. Every request the page makes
is recorded: none may leave the loopback host. A screenshot of each view is saved to
``docs/screenshots/`` for the README.

Set-up: ``scripts/ensure-browser`` (run by ``make test``) installs the Debian packages ``chromium``
and ``fonts-noto-cjk`` where missing; when that was impossible these tests are skipped, saying why.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graph.visual import STYLE

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
DATA = Path(__file__).resolve().parent / "data" / "app"
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
STARTUP = 90
WAIT = 30_000  # ms, for a view to show what it should
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
PAYLOAD_FILE = "<img src=x onerror=_p=9>.txt"


# -- the server ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def outbound():
    """A recording HTTP proxy on loopback: the server's every HTTP(S) request to another host goes
    through it (``http_proxy``/``https_proxy``), so the list it fills is what the server sent out."""
    seen: list[bytes] = []
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def accept():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    seen.append(conn.recv(300))
                except OSError as e:
                    seen.append(repr(e).encode())

    threading.Thread(target=accept, daemon=True).start()
    yield seen, f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.fixture(scope="module")
def server(sample_store_path, tmp_path_factory, outbound):
    """``streamlit run app.py`` as ``make run`` starts it, but with nothing on its command line: the
    project's ``.streamlit/config.toml`` alone keeps it on loopback with usage statistics off. Over
    a copy of the sample store; its outbound HTTP goes to the recording proxy."""
    where = tmp_path_factory.mktemp("browser")
    store = where / "kg"
    shutil.copytree(sample_store_path, store)
    port = _free_port()
    log_path = where / "streamlit.log"
    proxy = outbound[1]
    env = dict(os.environ, REGIONKG_STORE=str(store), http_proxy=proxy, https_proxy=proxy, HTTP_PROXY=proxy,
               HTTPS_PROXY=proxy, no_proxy="", NO_PROXY="")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                if _get(f"{base}/_stcore/health", timeout=2) == (200, "ok"):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy within {STARTUP} s:\n{log_path.read_text()}")
            time.sleep(0.25)
        yield {"base": base, "proc": proc, "log": log_path, "store": store}
    finally:
        _stop(proc)


def test_streamlit_serves_the_app_on_loopback_only(server):
    status, body = _get(server["base"] + "/")
    assert status == 200 and '<div id="root"></div>' in body and "<title>" in body
    assert server["proc"].poll() is None, "the server should still be running after serving the page"
    log = server["log"].read_text()
    assert "External URL" not in log and "Network URL" not in log, log
    # What keeps it so, for `make run` too: the project's Streamlit configuration.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] in LOOPBACK


# -- the browser -----------------------------------------------------------------------------------


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]'; make test does)"
    if not CHROMIUM.exists():
        return ("Debian's chromium is not installed at /usr/bin/chromium and could not be installed: "
                "run scripts/ensure-browser (make test runs it; it needs root or sudo)")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout \
        if shutil.which("fc-list") else ""
    if not fonts.strip():
        return "no Chinese font (Debian's fonts-noto-cjk) is installed: run scripts/ensure-browser"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def session(browser, server):
    """One page for every check, with every request and dialog it makes recorded."""
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    record = {"requests": [], "outside": [], "dialogs": [], "errors": []}

    def on_request(request):
        record["requests"].append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about") or request.url.startswith("about:"):
            return
        if parts.hostname not in LOOPBACK:
            record["outside"].append(request.url)

    def on_dialog(dialog):
        record["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("request", on_request)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.goto(server["base"] + "/")
    page.get_by_text("Which regions target which industries").wait_for(timeout=WAIT)
    yield page, record
    context.close()


def _shot(page, name: str) -> None:
    """Save a screenshot of the page for the README, unless the one there differs only in a few
    pixels (the temporary store's path, a caret): the files change only when the view does."""
    import io

    from PIL import Image, ImageChops

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)
    png = page.screenshot()
    path = SHOTS / f"{name}.png"
    if path.exists():
        old, new = Image.open(path).convert("RGB"), Image.open(io.BytesIO(png)).convert("RGB")
        if old.size == new.size:
            changed = sum(ImageChops.difference(old, new).convert("L").point(lambda v: v > 16 and 255).histogram()[255:])
            if changed < 0.003 * new.size[0] * new.size[1]:
                return
    path.write_bytes(png)


def _view(page, name: str):
    page.get_by_role("tab", name=name).click()
    page.wait_for_function("name => new URLSearchParams(location.search).get('view') === name "
                           "|| (name === 'Overview' && !new URLSearchParams(location.search).get('view'))",
                           arg=name, timeout=WAIT)


def _choose(page, key: str, text: str, option: str | None = None) -> None:
    """Type into a select widget (by its key) and pick the option showing ``option`` (or ``text``)."""
    box = page.locator(f".st-key-{key} input").first
    box.click()
    box.fill(text)
    page.get_by_role("option", name=option or text).first.click()
    page.locator("h1").first.click()  # close the list (Escape could undo a choice not yet sent)
    page.mouse.move(20, 1390)


def _drawn_pixels(frame) -> int:
    return frame.evaluate("""() => {
        const c = document.querySelector('#mynetwork canvas');
        if (!c || !c.width) return 0;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""")


def _graph_frames(page) -> list:
    return [f for f in page.frames if f != page.main_frame and f.evaluate("() => !!document.getElementById('mynetwork')")]


def _wait_for_drawing(page, timeout: float = WAIT / 1000) -> int:
    deadline = time.monotonic() + timeout
    best = 0
    while time.monotonic() < deadline:
        for frame in _graph_frames(page):
            try:
                best = max(best, _drawn_pixels(frame))
            except Exception:  # a frame replaced while we looked
                continue
        if best > 2000:
            return best
        page.wait_for_timeout(200)
    return best


def _payload_names() -> dict[str, str]:
    """The names holding markup that regionkg reads from the hostile plan (name → type), as the app's
    ingest reads them: which of them the recogniser reads whole is its business, not this test's."""
    from ingest.extract import extract
    from ingest.read import read_source

    names = {f.name: f.type for f in extract(read_source(DATA / "xss_plan.txt")).facts if "<" in f.name}
    assert names, "the hostile plan yields names with markup"
    return names


def _frame_with_label(page, label: str, timeout: float = WAIT / 1000, most: int = 10**6):
    """The graph frame whose nodes (at most ``most``) include one labelled ``label``, once it is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame != page.main_frame and frame.evaluate(
                        "([label, most]) => typeof nodes !== 'undefined' && nodes.length <= most"
                        " && nodes.get().some(n => n.label === label)", [label, most]):
                    return frame
            except Exception:  # a frame replaced while we looked
                continue
        page.wait_for_timeout(200)
    return None


# -- the views -------------------------------------------------------------------------------------


def test_the_overview_renders_from_loopback_only(session):
    page, record = session
    assert page.title() == "regionkg"
    page.locator("[data-testid='stHtml'] td").first.wait_for(timeout=WAIT)  # the heat map
    page.locator("[data-testid='stMetricValue']").first.wait_for(timeout=WAIT)
    assert page.get_by_text("Most contested industries").is_visible()
    assert record["outside"] == [], record["outside"]
    assert any("/_stcore/" in u for u in record["requests"]), "the page should have talked to its server"
    _shot(page, "overview")


def test_the_graph_explorer_draws_its_canvas(session):
    page, record = session
    _view(page, "Graph explorer")
    pixels = _wait_for_drawing(page)
    assert pixels > 2000, f"the vis-network canvas stayed (nearly) empty: {pixels} pixels drawn"
    assert page.get_by_text("区域 region").first.is_visible()  # the legend
    assert page.get_by_text("left out").first.is_visible()     # the cap's notice
    # Start from 淄博市: its neighbourhood, labelled; its details and evidence beside the graph.
    _choose(page, "x_start", "淄博市", "淄博市 · 区域 region")
    assert _frame_with_label(page, "淄博市", most=60), "the neighbourhood of 淄博市 is drawn"
    assert _wait_for_drawing(page) > 2000
    _choose(page, "x_node", "淄博市", "淄博市 · 区域 region")
    page.locator("mark").first.wait_for(timeout=WAIT)           # its evidence, the mention marked
    assert record["outside"] == [], record["outside"]
    page.wait_for_timeout(1500)  # the layout settles
    _shot(page, "explorer")


def test_a_comparison_shows_what_two_regions_share(session):
    page, record = session
    _view(page, "Compare")
    _choose(page, "cmp_regions", "宁波国家高新区", "宁波高新技术产业开发区")  # found by its other name
    _choose(page, "cmp_regions", "淄博市")
    shared = page.locator("p", has_text=re.compile(r"^Shared industries \("))
    shared.wait_for(timeout=WAIT)
    assert "新材料" in shared.inner_text()
    assert _wait_for_drawing(page) > 500, "the overlap is drawn"
    assert record["outside"] == [], record["outside"]
    _shot(page, "compare")


def test_evidence_names_the_sentences_and_documents(session):
    page, record = session
    _view(page, "Evidence")
    box = page.locator(".st-key-ev_name input")
    box.fill("集成电路")
    box.press("Enter")
    mark = page.locator("mark", has_text="集成电路").first
    mark.wait_for(timeout=WAIT)
    page.locator("[data-testid='stHtml']", has_text="002_2f001e7e59a5abec.txt").first.wait_for(timeout=WAIT)
    assert record["outside"] == [], record["outside"]
    _shot(page, "evidence")


def test_an_export_downloads_and_loads_back(session, tmp_path):
    from rdflib import Graph

    from graph.store import Store

    page, record = session
    _view(page, "Export")
    button = page.get_by_role("button", name="Download Turtle")
    button.wait_for(timeout=WAIT)
    with page.expect_download(timeout=WAIT) as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "regionkg-subgraph.ttl"
    triples = len(Graph().parse(path, format="turtle"))
    assert triples > 100
    with Store(tmp_path / "fresh") as fresh:
        assert fresh.load(path) == triples
    assert record["outside"] == [], record["outside"]
    _shot(page, "export")


def test_the_query_box_runs_reads_and_refuses_writes(session):
    page, record = session
    _view(page, "Query")
    _choose(page, "q_example", "集成电路", "Regions that target 集成电路, with the sentence")
    page.wait_for_function("() => (document.querySelector('.st-key-q_text textarea') || {}).value?.includes('集成电路')",
                           timeout=WAIT)
    page.get_by_role("button", name="Run").click()
    page.get_by_text("SELECT:").first.wait_for(timeout=WAIT)
    _shot(page, "query")
    area = page.locator(".st-key-q_text textarea")
    area.fill("DROP ALL")
    area.blur()
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Run").click()
    page.get_by_text("an update (DROP) is refused").wait_for(timeout=WAIT)
    assert record["outside"] == [], record["outside"]


def test_documents_view(session):
    page, record = session
    _view(page, "Documents")
    page.get_by_text("5 documents in the graph").wait_for(timeout=WAIT)
    _shot(page, "documents")


# -- safety: an upload whose names carry script payloads ---------------------------------------------


def test_names_with_script_payloads_are_shown_as_text_and_never_run(session):
    page, record = session
    _view(page, "Documents")
    plan = (DATA / "xss_plan.txt").read_bytes()
    page.locator("input[type=file]").set_input_files([
        {"name": PAYLOAD_FILE, "mimeType": "text/plain", "buffer": plan},
        {"name": "no_region.txt", "mimeType": "text/plain", "buffer": (DATA / "no_region.txt").read_bytes()},
    ])
    page.get_by_role("button", name="Ingest 2 files").click()
    page.get_by_text("Ingested 2 files").wait_for(timeout=120_000)
    assert page.get_by_text("no recognisable region").first.is_visible()  # the rejected file's reason
    page.get_by_text("6 documents in the graph").wait_for(timeout=WAIT)

    # The graph of 嘉兴市: the names that carry payloads (whichever the recogniser reads whole).
    payloads = _payload_names()
    shown = next(name for name, etype in payloads.items() if etype in STYLE)
    _view(page, "Graph explorer")
    _choose(page, "x_city", "嘉兴市")
    # The page hands vis-network the names escaped (vis draws labels on a canvas, as text).
    assert _frame_with_label(page, html.escape(shown, quote=False)), ("the 嘉兴市 graph is drawn", shown)
    assert _wait_for_drawing(page) > 500
    _choose(page, "x_node", shown[-3:], f"{shown} · {STYLE[payloads[shown]][2]}")
    page.locator("mark").first.wait_for(timeout=WAIT)
    # The name and the file name are shown as text, in the sentence and the document line.
    evidence = page.locator("[data-testid='stHtml']", has_text=PAYLOAD_FILE).first
    evidence.wait_for(timeout=WAIT)
    assert shown in evidence.inner_text()

    # Evidence of a payload name, and the overview with the new region.
    _view(page, "Evidence")
    box = page.locator(".st-key-ev_name input")
    box.fill(shown)
    box.press("Enter")
    page.locator("mark", has_text=shown).first.wait_for(timeout=WAIT)
    _view(page, "Overview")
    page.get_by_text("嘉兴市").first.wait_for(timeout=WAIT)  # a row of the heat map
    page.wait_for_timeout(1000)

    # Nothing ran: in no frame did a payload set _p, change the title, open a dialog or add an element.
    for frame in page.frames:
        assert frame.evaluate("() => typeof window._p") == "undefined", frame.url
        assert frame.evaluate("() => document.querySelectorAll('img[onerror], svg[onload]').length") == 0, frame.url
        assert not frame.evaluate("() => [...document.scripts].some(s => /^\\s*_p=/.test(s.text))"), frame.url
    assert page.title() == "regionkg"
    assert record["dialogs"] == [], record["dialogs"]
    assert not [e for e in record["errors"] if "_p" in e], record["errors"]
    assert record["outside"] == [], record["outside"]


def test_the_server_sent_nothing_out(server, outbound):
    """Last: through start-up and every check above, the server made no request to another host."""
    assert server["proc"].poll() is None
    assert outbound[0] == [], outbound[0]
