"""How fast the app answers in a real browser: first render and view changes, against a bare page.

Starts ``streamlit run app.py`` on a loopback port over the sample graph (the five sample documents,
ingested into a temporary store unless ``--store`` names one), waits until the server is up
(``/_stcore/health``), then drives Debian's chromium through Playwright and times, from the click
(or the navigation) until the view shows what it is for:

- the first render of a session: the overview's counts and heat map drawn. ``cold`` is the very
  first session (modules imported, store opened, networkx view built); ``warm`` a new session later;
- a view change: clicking a tab (after a one-second rest on the last view, as a reader pauses)
  until its content is there (the explorer until its vis-network
  canvas has drawn, the comparison of 宁波国家高新区 and 淄博市 until its shared industries show,
  the evidence of 集成电路 until a sentence is marked, and so on).

The baseline is measured in the same run, in the same browser, the same way: a bare Streamlit page
(a title and two tabs holding one ``st.write`` each) for the first render and for a tab change, so
the ratios say what regionkg adds on this machine. The app's targets are a first render under 3 s
and a view change under 1 s; the script prints the figures and never fails on a slow machine (exit
code 0 unless a server or the browser cannot start).

Usage::

    python benchmarks/app.py [--runs 5] [--store DIR]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 60_000
FIRST_RENDER_TARGET, VIEW_CHANGE_TARGET = 3.0, 1.0

BASELINE = '''import streamlit as st
st.set_page_config(page_title="baseline", layout="wide")
st.title("baseline")
a, b = st.tabs(["A", "B"], key="view", on_change="rerun")
if a.open:
    with a:
        st.write("baseline view A")
if b.open:
    with b:
        st.write("baseline view B")
'''


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, env: dict, log: Path) -> tuple[subprocess.Popen, str, float]:
    """``streamlit run script`` on a free loopback port; returns the process, its URL and the
    seconds it took to be healthy."""
    port = free_port()
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true",
                                 "--browser.gatherUsageStats", "false"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read().decode() == "ok":
                    return proc, url, time.perf_counter() - started
        except OSError:
            pass
        if time.perf_counter() - started > 120:
            stop(proc)
            raise SystemExit(f"streamlit not healthy within 120 s:\n{log.read_text()}")
        time.sleep(0.05)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def sample_store(where: Path) -> Path:
    from graph.store import Store
    from ingest.batch import ingest_paths

    path = where / "kg"
    with Store(path) as kg:
        lines = list(ingest_paths([ROOT / "data" / "samples"], kg))
    if any(line.status != "added" for line in lines):
        raise SystemExit("the samples did not ingest: " + "; ".join(map(str, lines)))
    return path


# -- what each view shows when it is ready ------------------------------------------------------
# Each test is a JavaScript predicate the browser evaluates itself (``wait_for_function``), so the
# time measured is the page's, not the round trips of a test polling from Python.

SHOWN = """([selector, text]) => [...document.querySelectorAll(selector)].some(
    e => e.checkVisibility() && (!text || e.textContent.includes(text)))"""

# The vis-network canvas of a visible graph frame (same origin: srcdoc) has drawn its nodes.
CANVAS = """() => [...document.querySelectorAll('iframe')].some(f => {
    if (!f.checkVisibility()) return false;
    try {
        const c = f.contentDocument.querySelector('#mynetwork canvas');
        if (!c || !c.width) return false;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 16) if (d[i] > 0 && ++n > 500) return true;
    } catch (e) {}
    return false;
})"""


def shown(selector: str, text: str | None = None):
    return ("predicate", SHOWN, [selector, text])


READY = {
    "Overview": ("predicate", f"() => ({SHOWN})([\"[data-testid='stMetricValue']\", null]) && "
                              f"({SHOWN})([\"[data-testid='stHtml'] td\", null])", None),
    "Graph explorer": ("predicate", CANVAS, None),
    "Compare": shown("p", "Shared industries ("),
    "Evidence": shown("mark", "集成电路"),
    "Documents": shown("h3", "documents in the graph"),
    "Export": shown("button", "Download"),
    "Query": shown("textarea"),
}


def wait_until(page, ready, timeout: int = TIMEOUT_MS) -> None:
    _, predicate, arg = ready
    page.wait_for_function(predicate, arg=arg, timeout=timeout, polling=20)


def click_tab(page, name: str, ready, settle: int = 1000) -> float:
    """Seconds from a click on the tab until the view shows its content. The page first rests for
    ``settle`` ms, as a reader does: what the last view still draws is not counted against this one."""
    page.wait_for_timeout(settle)
    started = time.perf_counter()
    page.get_by_role("tab", name=name).click()
    wait_until(page, ready)
    return time.perf_counter() - started


def first_render(browser, url: str, ready) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    wait_until(page, ready)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def prepare(page) -> None:
    """Pick what the views show (once, untimed): two regions to compare, a name to explain."""
    page.get_by_role("tab", name="Compare").click()
    for text, option in (("宁波国家高新区", "宁波高新技术产业开发区"), ("淄博市", "淄博市")):
        box = page.locator(".st-key-cmp_regions input")
        box.click()
        box.fill(text)
        page.get_by_role("option", name=option).first.click()
        page.locator("h1").first.click()
    wait_until(page, READY["Compare"])
    page.get_by_role("tab", name="Evidence").click()
    box = page.locator(".st-key-ev_name input")
    box.wait_for(timeout=TIMEOUT_MS)
    box.fill("集成电路")
    box.press("Enter")
    wait_until(page, READY["Evidence"])
    page.get_by_role("tab", name="Overview").click()
    wait_until(page, READY["Overview"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Sessions and rounds of view changes to time.")
    parser.add_argument("--store", type=Path, help="A store to serve (default: the samples, ingested here).")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="regionkg-bench-") as tmp:
        tmp = Path(tmp)
        store = args.store or sample_store(tmp)
        from graph.store import Store

        with Store(store, read_only=True) as kg:
            stats = kg.stats()
        baseline_script = tmp / "baseline.py"
        baseline_script.write_text(BASELINE)
        env = dict(os.environ, REGIONKG_STORE=str(store))
        app_proc, app_url, app_up = start(ROOT / "app.py", env, tmp / "app.log")
        base_proc, base_url, base_up = start(baseline_script, env, tmp / "baseline.log")
        rows = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
                base_ready = shown("p", "baseline view A")
                rows["first render, cold (first session)"] = (
                    [first_render(browser, app_url, READY["Overview"])], [first_render(browser, base_url, base_ready)])
                rows["first render, warm (new session)"] = (
                    [first_render(browser, app_url, READY["Overview"]) for _ in range(args.runs)],
                    [first_render(browser, base_url, base_ready) for _ in range(args.runs)])
                # View changes: one page each, cycling through the views.
                page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
                page.goto(app_url)
                wait_until(page, READY["Overview"])
                prepare(page)
                times: dict[str, list[float]] = {name: [] for name in READY if name != "Overview"}
                times["Overview"] = []
                for _ in range(args.runs):
                    for name in ("Graph explorer", "Compare", "Evidence", "Documents", "Export", "Query", "Overview"):
                        times[name].append(click_tab(page, name, READY[name]))
                bpage = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
                bpage.goto(base_url)
                wait_until(bpage, base_ready)
                baseline_change = []
                for _ in range(args.runs):
                    baseline_change.append(click_tab(bpage, "B", shown("p", "baseline view B")))
                    baseline_change.append(click_tab(bpage, "A", base_ready))
                for name, values in times.items():
                    rows[f"view change → {name}"] = (values, baseline_change)
                browser.close()
        finally:
            stop(app_proc)
            stop(base_proc)

    print(f"regionkg app on {stats['documents']} documents ({stats['facts']:,} facts, {stats['triples']:,} triples); "
          f"chromium headless via Playwright; {args.runs} runs; {os.cpu_count()} CPUs")
    print(f"server up (healthy) after: app {app_up:.2f} s, baseline {base_up:.2f} s\n")
    print(f"{'':38}{'regionkg s':>18}{'baseline s':>18}{'ratio':>8}  target")
    print(f"{'':38}{'median':>9}{'max':>9}{'median':>9}{'max':>9}")
    for name, (ours, base) in rows.items():
        target = FIRST_RENDER_TARGET if name.startswith("first") else VIEW_CHANGE_TARGET
        mine, theirs = statistics.median(ours), statistics.median(base)
        verdict = "met" if max(ours) < target else "MISSED"
        print(f"{name:38}{mine:9.2f}{max(ours):9.2f}{theirs:9.2f}{max(base):9.2f}{mine / theirs:7.1f}x  "
              f"< {target:.0f} s {verdict}")


if __name__ == "__main__":
    main()
