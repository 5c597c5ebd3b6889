"""The Streamlit app, view by view, run with ``streamlit.testing.v1.AppTest`` on the real sample store.

Each test drives the app as a user does (choose a view, set widgets, click) and checks what it shows
against the store or the ``regionkg`` command, computed independently here: the app must answer as
the CLI does. Tests that upload use a private copy of the sample store; the others use the
session's sample store by *path* (``sample_store_path``): the app opens it read-only itself.
The browser test (``tests/test_app_browser.py``) checks the same app in chromium.
"""

from __future__ import annotations

import csv
import gc
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, Graph
from streamlit.testing.v1 import AppTest

from graph.store import own_files

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
DATA = Path(__file__).resolve().parent / "data" / "app"
TIMEOUT = 90
ENTITY_TYPES = ("region", "industry", "project", "institution", "talent_programme")
NBHZ = "https://w3id.org/regionkg/region/nhz-330212"  # 宁波高新技术产业开发区 (宁波国家高新区)
ZIBO = "https://w3id.org/regionkg/region/370300"      # 淄博市


# -- helpers -------------------------------------------------------------------------------------


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open(monkeypatch, store: Path, view: str = "Overview") -> AppTest:
    """The app on ``store``, first run, then (like a click on its tab) the view asked for."""
    monkeypatch.setenv("REGIONKG_STORE", str(store))
    at = _ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run())
    if view != "Overview":
        at.session_state["view"] = view
        _ok(at.run())
    return at


def _metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(str(m.value).replace(",", "")) for m in at.metric}


def _pages(at: AppTest) -> list[str]:
    return [frame.proto.srcdoc for frame in at.get("iframe")]


def _drawn(page: str) -> tuple[set[str], list[dict]]:
    """The node ids and the edges a pyvis page hands to vis-network."""
    found = {}
    decoder = json.JSONDecoder()
    for name in ("nodes", "edges"):
        start = page.index(f"{name} = new vis.DataSet(") + len(f"{name} = new vis.DataSet(")
        found[name], _ = decoder.raw_decode(page[start:])
    return {n["id"] for n in found["nodes"]}, found["edges"]


def _labels(page: str) -> set[str]:
    start = page.index("nodes = new vis.DataSet(") + len("nodes = new vis.DataSet(")
    return {n["label"] for n in json.JSONDecoder().raw_decode(page[start:])[0]}


def _rows(at: AppTest, *columns: str, index: int = 0) -> list[dict]:
    """The rows of the ``index``-th HTML table shown whose header has these columns (values as text)."""
    tables = []
    for body in (h.proto.body for h in at.get("html")):
        for table in re.findall(r"<table.*?</table>", body, re.S):
            head = [html.unescape(c) for c in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", table.split("</thead>")[0])]
            if set(columns) <= set(head):
                cells = [[html.unescape(c) for c in re.findall(r"<td(?:\s[^>]*)?>(.*?)</td>", row)]
                         for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])]
                tables.append([dict(zip(head, row)) for row in cells])
    assert len(tables) > index, (columns, len(tables))
    return tables[index]


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _table(at: AppTest, *columns: str, index: int = 0):
    """The ``index``-th table shown that has these columns (a pandas DataFrame)."""
    matches = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(matches) > index, (columns, [list(d.value.columns) for d in at.dataframe])
    return matches[index]


@pytest.fixture(scope="module")
def view(sample_store_path):
    """The networkx view of the sample store, built here, independently of the app."""
    from graph.store import Store
    from graph.views import to_networkx

    with Store(sample_store_path, read_only=True) as kg:
        return to_networkx(kg)


def _cli(*args) -> dict:
    from typer.testing import CliRunner

    from regionkg.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- Overview ------------------------------------------------------------------------------------


def test_overview_counts_are_the_stores(monkeypatch, sample_store_path):
    from graph.store import Store

    at = _open(monkeypatch, sample_store_path)
    assert not at.error, [e.value for e in at.error]
    with Store(sample_store_path, read_only=True) as kg:
        stats = kg.stats()
    metrics = _metrics(at)
    assert metrics == {k.replace("_", " "): stats[k] for k in
                       ("documents", "regions", "industries", "zones", "projects", "institutions", "talent_programmes")}
    assert metrics["documents"] == 5


def _heat_map(at: AppTest) -> list[dict]:
    """The cells of the overview's heat map (an HTML table: each cell's title names its row and column)."""
    (table,) = [h.proto.body for h in at.get("html") if "writing-mode:vertical-rl" in h.proto.body]
    cells = re.findall(r'<td title="([^"]*) · ([^"]*): (\d+) facts"[^>]*>(\d+)</td>', table)
    assert all(a == b for *_, a, b in cells)
    return [{"region": html.unescape(r), "industry": html.unescape(i), "evidence": int(n)} for r, i, n, _ in cells]


def test_heat_map_counts_the_facts_the_store_holds(monkeypatch, sample_store_path, view):
    """Each cell is the number of facts stating that a region targets an industry (one SPARQL count
    here); at the broad level every column is a top concept of the industry scheme."""
    from graph.store import Store

    at = _open(monkeypatch, sample_store_path)
    cells = _heat_map(at)
    assert cells, "the heat map has no cells"
    with Store(sample_store_path, read_only=True) as kg:
        rows = kg.query("""SELECT ?r (COUNT(DISTINCT ?f) AS ?n) WHERE {
            ?f a rdf:Statement ; rdf:subject ?r ; rdf:predicate rkg:targetsIndustry ; rdf:object ?i .
            ?i skos:prefLabel "新材料产业"@zh } GROUP BY ?r""")
        expected = {view.nodes[str(r)]["label"]: int(n) for r, n in rows}
    found = {c["region"]: c["evidence"] for c in cells if c["industry"] == "新材料产业"}
    assert found == expected and expected.get("淄博市"), (found, expected)

    at.sidebar.radio(key="level").set_value("broad")
    _ok(at.run())
    broad = {c["industry"] for c in _heat_map(at)}
    # A top concept of the scheme, or a provisional concept with nothing broader: it counts as itself.
    tops = {a["label"] for n, a in view.nodes(data=True) if a.get("type") == "industry"
            and (a.get("top") or not any(k == "broader" for _, _, k in view.out_edges(n, keys=True)))}
    assert broad and broad <= tops, broad - tops
    assert "新材料产业" in broad and "集成电路" not in broad


def test_the_top_slider_limits_the_industries_and_says_how_many_are_left_out(monkeypatch, sample_store_path, view):
    targeted = {o for _, o, k in view.edges(keys=True) if k == "targets_industry"}
    at = _open(monkeypatch, sample_store_path)
    at = at.slider(key="ov_top").set_value(5).run()
    few = {c["industry"] for c in _heat_map(at)}
    assert len(few) == 5 and few <= {view.nodes[i]["label"] for i in targeted}
    assert any(f"{len(targeted) - 5} more industries not shown" in c.value for c in at.caption), \
        [c.value for c in at.caption]


def test_contested_industries_are_the_clis(monkeypatch, sample_store_path):
    at = _open(monkeypatch, sample_store_path)
    cli = _cli("industries", "--contested", "--top", "15", "--format", "json", "--store", str(sample_store_path))
    (table,) = [h.proto.body for h in at.get("html") if "lead_regions" in h.proto.body]
    rows = re.findall(r"<tr><td[^>]*>([^<]*)</td><td[^>]*>(\d+)</td>", table)
    assert [(html.unescape(i), int(n)) for i, n in rows] == [(row["industry"], row["lead"]) for row in cli["contested"]]
    assert "新材料产业" in {i for i, _ in rows}


# -- Graph explorer ------------------------------------------------------------------------------


def test_explorer_draws_the_view_capped_and_says_what_it_left_out(monkeypatch, sample_store_path, view):
    at = _open(monkeypatch, sample_store_path, "Graph explorer")
    chosen = [n for n, t in view.nodes(data="type") if t in ENTITY_TYPES]
    at = _ok(at.slider(key="x_max").set_value(20).run())
    (page,) = _pages(at)
    nodes, edges = _drawn(page)
    assert len(nodes) == 20 and nodes <= set(chosen)
    # Every edge of the view among the nodes drawn is drawn.
    assert len(edges) == view.subgraph(nodes).number_of_edges()
    (notice,) = [w.value for w in at.warning if "left out" in w.value]
    match = re.search(r"Showing 20 of (\d+) nodes", notice)
    assert match and int(match.group(1)) == len(chosen), notice
    counted = {t: sum(1 for n in chosen if view.nodes[n]["type"] == t and n not in nodes) for t in ENTITY_TYPES}
    for t, n in counted.items():
        if n:
            name = {"industry": "industries", "talent_programme": "talent programmes"}.get(t, t + "s")
            assert f"{n} {name}" in notice.replace("\\", ""), (t, n, notice)
    # Every node fits: no notice.
    at = _ok(at.slider(key="x_max").set_value(600).run())
    if len(chosen) <= 600:
        assert not [w for w in at.warning if "left out" in w.value]
        assert _drawn(_pages(at)[0])[0] == set(chosen)


def test_explorer_filters_by_province_and_type(monkeypatch, sample_store_path, view):
    at = _open(monkeypatch, sample_store_path, "Graph explorer")
    at = _ok(at.selectbox(key="x_province").set_value("山东省").run())
    at = _ok(at.slider(key="x_max").set_value(600).run())
    nodes, _ = _drawn(_pages(at)[0])
    # The regions of 山东省 and what they are linked to (their sub-zones among it).
    regions = {n for n in nodes if view.nodes[n]["type"] == "region" and view.nodes[n]["province"] == "山东省"}
    assert ZIBO in regions
    undirected = view.to_undirected(as_view=True)
    assert all(any(m in regions for m in undirected[n]) for n in nodes - regions)
    assert not {n for n in nodes if view.nodes[n].get("province") not in (None, "山东省")}
    assert NBHZ not in nodes
    at = _ok(at.multiselect(key="x_types").set_value(["region", "talent_programme"]).run())
    nodes, _ = _drawn(_pages(at)[0])
    assert {view.nodes[n]["type"] for n in nodes} == {"region", "talent_programme"}


def test_explorer_shows_the_regions_that_target_an_industry(monkeypatch, sample_store_path, view):
    material = next(n for n, a in view.nodes(data=True) if a.get("label") == "新材料产业")
    at = _open(monkeypatch, sample_store_path, "Graph explorer")
    at = _ok(at.selectbox(key="x_industry").set_value(material).run())
    at = _ok(at.multiselect(key="x_types").set_value(["region", "industry"]).run())
    nodes, _ = _drawn(_pages(at)[0])
    targeting = {r for r, _, rel in view.in_edges(material, keys=True) if rel == "targets_industry"}
    assert {NBHZ, ZIBO} <= targeting <= nodes and material in nodes
    undirected = view.to_undirected(as_view=True)
    assert all(any(m in targeting for m in undirected[n]) for n in nodes - targeting)
    assert {view.nodes[n]["type"] for n in nodes} == {"region", "industry"}


def test_a_start_node_shows_its_neighbourhood_by_depth(monkeypatch, sample_store_path, view):
    at = _open(monkeypatch, sample_store_path, "Graph explorer")
    at = _ok(at.slider(key="x_max").set_value(600).run())
    at = _ok(at.selectbox(key="x_start").set_value(ZIBO).run())
    allowed = view.subgraph([n for n, t in view.nodes(data="type") if t in ENTITY_TYPES]).to_undirected(as_view=True)
    for depth in (1, 2):
        at = _ok(at.slider(key="x_depth").set_value(depth).run())
        nodes, _ = _drawn(_pages(at)[0])
        assert nodes == set(nx.single_source_shortest_path_length(allowed, ZIBO, cutoff=depth)), depth
    assert len(nodes) > 1 + len(allowed[ZIBO])  # depth 2 reaches further than the neighbours


def test_node_details_show_its_links_and_evidence_and_open_the_evidence_view(monkeypatch, sample_store_path, view):
    from graph.store import Store

    at = _open(monkeypatch, sample_store_path, "Graph explorer")
    at = _ok(at.selectbox(key="x_start").set_value(ZIBO).run())
    at = _ok(at.selectbox(key="x_node").set_value(ZIBO).run())
    links = _rows(at, "relation", "node", "evidence", "drawn")
    assert len(links) == view.degree(ZIBO)
    body = _html(at)
    marks = re.findall(r"<mark>(.*?)</mark>", body)
    with Store(sample_store_path, read_only=True) as kg:
        mentions = {str(m) for (m,) in kg.query(f"""SELECT ?m WHERE {{ ?f a rdf:Statement ; rkg:mention ?m .
            {{ ?f rdf:subject <{ZIBO}> }} UNION {{ ?f rdf:object <{ZIBO}> }} }}""")}
        files = {str(f) for (f,) in kg.query(f"""SELECT DISTINCT ?file WHERE {{ ?f rdf:subject <{ZIBO}> ;
            rkg:statedIn/rkg:fileName ?file }}""")}
    assert marks and set(marks) <= mentions, set(marks) - mentions
    assert len(marks) == sum(int(row["evidence"]) for row in links)
    assert files and all(f in body for f in files)

    at = _ok(at.button(key="x_to_evidence").click().run())
    assert at.session_state["view"] == "Evidence"
    assert at.text_input(key="ev_name").value == "淄博市"
    assert any(row["subject"] == "淄博市" for row in _rows(at, "subject", "relation", "document"))


# -- Compare -------------------------------------------------------------------------------------


def test_compare_answers_as_the_cli_does(monkeypatch, sample_store_path, view):
    at = _open(monkeypatch, sample_store_path, "Compare")
    assert [i.value for i in at.info if "two or more" in i.value]
    at = _ok(at.multiselect(key="cmp_regions").set_value([NBHZ, ZIBO]).run())
    cli = _cli("compare", "宁波国家高新区", "淄博市", "--format", "json", "--store", str(sample_store_path))
    overlap = _table(at, "industry", "evidence · 淄博市")
    assert list(overlap["industry"]) == [row["industry"] for row in cli["overlap"]]
    assert "新材料产业" in set(overlap["industry"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Jaccard"] == f"{cli['jaccard']:.3f}"
    assert metrics["weighted Jaccard"] == f"{cli['weighted_jaccard']:.3f}"
    assert "新材料产业" in _html(at)
    # The overlap drawn: both regions and what they share.
    (page,) = _pages(at)
    nodes, edges = _drawn(page)
    assert nodes == {NBHZ, ZIBO} | {row["node"] for row in cli["overlap"]}
    assert len(edges) == 2 * len(cli["overlap"]) == view.subgraph(nodes).number_of_edges()
    # Gaps against the other region picked: what only the other targets (regionkg gaps --peers).
    gaps = _cli("gaps", "淄博市", "--peers", "宁波国家高新区", "--format", "json", "--store", str(sample_store_path))
    zibo_gaps = _table(at, "industry", "peers", "who", index=1)
    assert list(zibo_gaps["industry"]) == [row["industry"] for row in gaps["gaps"]]
    assert set(zibo_gaps["industry"]) == set(cli["only"]["宁波高新技术产业开发区"])
    # Nearest regions (regionkg similar).
    near = _cli("similar", "淄博市", "--top", "5", "--format", "json", "--store", str(sample_store_path))
    assert list(_table(at, "region", "shared", index=1)["region"]) == [row["region"] for row in near["nearest"]]
    similarity = _table(at, "region", "淄博市", "宁波高新技术产业开发区")
    assert set(similarity["region"]) == {"宁波高新技术产业开发区", "淄博市"}


def test_compare_at_the_broad_level(monkeypatch, sample_store_path):
    at = _open(monkeypatch, sample_store_path, "Compare")
    at.sidebar.radio(key="level").set_value("broad")
    at = _ok(at.multiselect(key="cmp_regions").set_value([NBHZ, ZIBO]).run())
    cli = _cli("compare", "宁波国家高新区", "淄博市", "--level", "broad", "--format", "json", "--store",
               str(sample_store_path))
    assert list(_table(at, "industry", "evidence · 淄博市")["industry"]) == [row["industry"] for row in cli["overlap"]]
    nodes, edges = _drawn(_pages(at)[0])
    assert {row["node"] for row in cli["overlap"]} <= nodes
    assert edges, "the broad overlap is drawn with the industries under each shared top concept"


# -- Evidence ------------------------------------------------------------------------------------


def test_evidence_answers_which_regions_target_an_industry_and_where(monkeypatch, sample_store_path, view):
    """The question the app is for: which regions target 集成电路, and where do they say so?"""
    from graph.store import Store

    at = _open(monkeypatch, sample_store_path, "Evidence")
    at = _ok(at.text_input(key="ev_name").input("集成电路").run())
    with Store(sample_store_path, read_only=True) as kg:
        rows = list(kg.query("""SELECT ?r ?file ?text WHERE {
            ?f a rdf:Statement ; rdf:subject ?r ; rdf:predicate rkg:targetsIndustry ; rdf:object ?i ;
               rkg:statedIn/rkg:fileName ?file ; prov:wasDerivedFrom/rdf:value ?text .
            ?i skos:prefLabel "集成电路"@zh }"""))
    assert rows
    table = _rows(at, "subject", "relation", "document")
    targeting = {view.nodes[str(r)]["label"] for r, _, _ in rows}
    assert {row["subject"] for row in table if row["relation"] == "targetsIndustry"} == targeting
    body = _html(at)
    assert "<mark>集成电路</mark>" in body
    for _, file, text in rows:
        assert str(file) in body
        start = str(text).index("集成电路")
        assert html.escape(str(text)[:start]) + "<mark>" in body
    # Take the answer away: the same facts as CSV.
    (download,) = [b for b in at.get("download_button") if b.proto.id and "dl_evidence" in b.proto.id]
    assert download.proto.label == "These facts as CSV"


def test_evidence_of_one_link(monkeypatch, sample_store_path):
    at = _open(monkeypatch, sample_store_path, "Evidence")
    at = _ok(at.text_input(key="ev_name").input("淄博市").run())
    every = _rows(at, "subject", "relation", "document")
    links = at.selectbox(key="ev_link").options
    assert len(links) > 2
    link = next(o for o in links[1:] if "新材料产业" in o)
    at = _ok(at.selectbox(key="ev_link").select(link).run())
    one = _rows(at, "subject", "relation", "document")
    assert 0 < len(one) < len(every)
    assert {row["object"] for row in one} == {"新材料产业"} and {row["subject"] for row in one} == {"淄博市"}


def test_evidence_of_an_unknown_name_suggests_close_ones(monkeypatch, sample_store_path):
    at = _open(monkeypatch, sample_store_path, "Evidence")
    at = _ok(at.text_input(key="ev_name").input("集成电").run())
    (warning,) = at.warning
    assert "no node named" in warning.value and "集成电路" in warning.value
    assert not at.get("html")


# -- Documents: upload, ingest, and the new graph everywhere -------------------------------------


def _copy(sample_store_path, tmp_path) -> Path:
    path = tmp_path / "kg"
    shutil.copytree(sample_store_path, path)
    return path


def _upload(at: AppTest, *files: Path, names=None) -> AppTest:
    uploader = next(u for u in at.get("file_uploader"))
    uploader.set_value([(name, f.read_bytes(), "text/plain") for f, name in zip(files, names or [f.name for f in files])])
    at = _ok(at.run())
    at = _ok(at.button(key="ingest").click().run())
    return at


def test_uploaded_documents_are_ingested_and_shown_in_every_view(monkeypatch, sample_store_path, tmp_path):
    from graph.store import Store

    store = _copy(sample_store_path, tmp_path)
    at = _open(monkeypatch, store, "Documents")
    at = _upload(at, DATA / "xss_plan.txt", DATA / "no_region.txt")
    report = _table(at, "file", "status", "reason")
    status = dict(zip(report["file"], report["status"]))
    assert status == {"xss_plan.txt": "added", "no_region.txt": "rejected"}, report
    assert report[report["file"] == "xss_plan.txt"]["subject"].item() == "嘉兴市"
    errors = [e.value for e in at.error]
    assert any("no\\_region" in e and "no recognisable region" in e for e in errors), errors
    assert len(_table(at, "file", "iri")) == 6
    assert not at.get("file_uploader")[0].value, "the uploader is cleared after ingest"
    # The app released the store: another process can take the write lock.
    with Store(store) as kg:
        assert len(kg.documents()) == 6
    # No restart: the other views show the new document.
    at.session_state["view"] = "Overview"
    assert _metrics(_ok(at.run()))["documents"] == 6
    at.session_state["view"] = "Compare"
    at = _ok(at.run())
    options = at.multiselect(key="cmp_regions").options
    assert any(o.startswith("嘉兴市") for o in options), options
    # Payloads in names are text: the graph page escapes them.
    at.session_state["view"] = "Graph explorer"
    at = _ok(at.run())
    at = _ok(at.selectbox(key="x_city").set_value("嘉兴市").run())
    (page,) = _pages(at)
    labels = _labels(page)
    # Which of the hostile names the recogniser reads whole is its business; those it reads reach
    # the page as text.
    hostile = [label for label in labels if "&lt;" in label]
    assert hostile, labels
    assert all(html.escape(html.unescape(label)) == label for label in hostile), hostile
    for payload in ("<script>_p=1", "<img src onerror=_p=2>", "<svg onload=_p=3>", "<img src=x onerror=_p=4>"):
        assert payload not in page, payload


def test_an_upload_into_a_store_another_process_holds_is_refused_with_a_reason(monkeypatch, sample_store_path, tmp_path):
    store = _copy(sample_store_path, tmp_path)
    at = _open(monkeypatch, store, "Documents")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from graph.store import Store; s = Store(sys.argv[1]); "
         "print('holding', flush=True); time.sleep(120)", str(store)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        at = _upload(at, DATA / "xss_plan.txt")
        errors = [e.value for e in at.error]
        assert any("locked by another process" in e for e in errors), errors
        assert len(_table(at, "file", "iri")) == 5
    finally:
        holder.kill()
        holder.wait(timeout=10)
    at.session_state["view"] = "Overview"
    assert _metrics(_ok(at.run()))["documents"] == 5


# -- Export ----------------------------------------------------------------------------------------


def test_export_offers_each_format_of_the_explorers_selection(monkeypatch, sample_store_path):
    from graph.downloads import DOWNLOADS

    at = _open(monkeypatch, sample_store_path, "Graph explorer")
    at = _ok(at.selectbox(key="x_start").set_value(ZIBO).run())
    shown, _ = _drawn(_pages(at)[0])
    at.session_state["view"] = "Export"
    at = _ok(at.run())
    assert f"{len(shown)} nodes" in " ".join(c.value for c in at.caption)
    for fmt, (name, suffix, _) in DOWNLOADS.items():
        at = _ok(at.radio(key="exp_format").set_value(fmt).run())
        (button,) = [b for b in at.get("download_button") if "dl_export" in b.proto.id]
        assert button.proto.label == f"Download {name}"
        assert any(suffix in c.value and "bytes" in c.value for c in at.caption)
    # The comparison can be exported too, once two regions are compared.
    at.session_state["view"] = "Compare"
    at = _ok(at.run())
    at = _ok(at.multiselect(key="cmp_regions").set_value([NBHZ, ZIBO]).run())
    at.session_state["view"] = "Export"
    at = _ok(at.run())
    assert "the comparison (its regions and industries)" in at.radio(key="exp_source").options


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt"])
def test_an_rdf_export_loads_back_without_loss(sample_store_path, view, tmp_path, fmt):
    """The explorer's selection as RDF, loaded into an empty store as ``regionkg load`` does: the same
    triples, and the same relations among the same nodes with the same evidence counts."""
    from graph.downloads import DOWNLOADS, export_bytes
    from graph.explore import select
    from graph.store import Store
    from graph.views import to_networkx

    shown = select(view, start=ZIBO, depth=2, max_nodes=150).graph
    with Store(sample_store_path, read_only=True) as kg:
        payload = export_bytes(view, set(shown), fmt, store=kg)
    path = tmp_path / f"answer{DOWNLOADS[fmt][1]}"
    path.write_bytes(payload)
    parsed = Graph().parse(path, format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[fmt])
    with Store(tmp_path / "fresh") as fresh:
        assert fresh.load(path) == len(parsed)
        assert len(fresh.facts_graph()) == len(parsed)
        loaded = to_networkx(fresh)
    typed = {str(s) for s, o in parsed.subject_objects(RDF.type)
             if str(s) in view and not str(o).endswith(("#Statement", "#Sentence", "#PlanDocument"))}
    assert typed == {n for n in shown if view.nodes[n]["type"] != "other"}

    def facts(G, nodes):
        return sorted((s, o, k, d.get("evidence", 0)) for s, o, k, d in G.subgraph(nodes).edges(keys=True, data=True)
                      if k != "broader")
    assert facts(loaded, set(shown)) == facts(view, set(shown))
    assert facts(view, set(shown)), "the selection should hold facts"


def test_graphml_gexf_and_csv_exports_hold_the_selection(sample_store_path, view):
    from graph.downloads import export_bytes
    from graph.explore import select

    shown = select(view, start=ZIBO, depth=2, max_nodes=150).graph
    nodes = set(shown)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        G = read(io.BytesIO(export_bytes(view, nodes, fmt)))
        assert set(G) == nodes, fmt
        assert G.number_of_edges() == shown.number_of_edges(), fmt
        assert {G.nodes[n]["label"] for n in G} == {view.nodes[n]["label"] for n in nodes}, fmt
    table = list(csv.DictReader(io.StringIO(export_bytes(view, nodes, "nodes.csv").decode())))
    assert {row["Id"] for row in table} == nodes
    assert all(row["Label"] == view.nodes[row["Id"]]["label"] for row in table)
    edges = list(csv.DictReader(io.StringIO(export_bytes(view, nodes, "edges.csv").decode())))
    assert sorted((e["Source"], e["Target"], e["Label"], int(e["evidence"])) for e in edges) == \
        sorted((s, o, k, d["evidence"]) for s, o, k, d in shown.edges(keys=True, data=True))


# -- Query ----------------------------------------------------------------------------------------


def test_the_example_queries_run(monkeypatch, sample_store_path):
    from graph.sparql import EXAMPLES

    at = _open(monkeypatch, sample_store_path, "Query")
    for title, text in EXAMPLES.items():
        at = _ok(at.selectbox(key="q_example").set_value(title).run())
        assert at.text_area(key="q_text").value == text
        at = _ok(at.button(key="q_run").click().run())
        assert not at.error, (title, [e.value for e in at.error])
        if text.lstrip().split("\n")[-1].startswith("ASK") or "(ASK)" in title:
            assert [s.value for s in at.success] == ["ASK: true"], title
        else:
            assert len(at.dataframe[0].value) > 0, title
    at = _ok(at.selectbox(key="q_example").set_value(next(iter(EXAMPLES))).run())
    at = _ok(at.button(key="q_run").click().run())
    assert set(_table(at, "region", "sentence")["region"]) == {"绍兴滨海新区"}


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <file:///etc/passwd>",
    "CLEAR ALL",
    "DROP ALL",
    "CREATE GRAPH <urn:x:g>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
], ids=["insert", "delete", "load", "clear", "drop", "create", "service", "from-file"])
def test_the_query_box_refuses_what_would_write_or_fetch(monkeypatch, sample_store_path, text):
    from graph.store import Store

    # The store's own files (readers may bring the derived aggregate and kept view up to date).
    files = {f.name: f.stat().st_mtime_ns for f in own_files(sample_store_path)}
    with Store(sample_store_path, read_only=True) as kg:
        before = kg.stats()["triples"]
    at = _open(monkeypatch, sample_store_path, "Query")
    at.text_area(key="q_text").input(text)
    at = _ok(at.button(key="q_run").click().run())
    (error,) = at.error
    assert error.value.startswith("Refused:"), error.value
    assert not at.get("dataframe")
    assert {f.name: f.stat().st_mtime_ns for f in own_files(sample_store_path)} == files
    with Store(sample_store_path, read_only=True) as kg:
        assert kg.stats()["triples"] == before


_FILTER_10000 = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f'?o = "{i}"' for i in range(10_000)) + ") }"


@pytest.mark.parametrize("text, shown, seconds", [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
     "Stopped: the query ran past 2 s and was stopped", 2),
    ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
     "Stopped: the query needed more than 500 MB and was stopped", 60),
    (_FILTER_10000, "Refused: the query is too long: 148,922 characters (at most 20,000)", 2),
    ("SELECT * WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40,
     "Refused: the query is nested too deeply: 40 levels of brackets (at most 20)", 2),
], ids=["never ends", "all memory", "10000-term filter", "nested 40 deep"])
def test_a_hostile_query_shows_one_line_and_the_app_answers_the_next(monkeypatch, sample_store_path, text, shown,
                                                                    seconds):
    """The bounds are set small for the suite ($REGIONKG_QUERY_TIMEOUT, $REGIONKG_QUERY_MEMORY_MB); the
    query that eats memory gets time enough to reach the memory bound first on a busy machine."""
    monkeypatch.setenv("REGIONKG_QUERY_TIMEOUT", str(seconds))
    monkeypatch.setenv("REGIONKG_QUERY_MEMORY_MB", "500")
    at = _open(monkeypatch, sample_store_path, "Query")
    at.text_area(key="q_text").input(text)
    at = _ok(at.button(key="q_run").click().run())
    assert [re.sub(r"\\(.)", r"\1", e.value) for e in at.error] == [shown]
    assert not at.get("dataframe")
    at.text_area(key="q_text").input('SELECT ?n WHERE { ?r skos:prefLabel "淄博市"@zh ; rkg:divisionCode ?n }')
    at = _ok(at.button(key="q_run").click().run())
    assert not at.error, [e.value for e in at.error]
    assert list(_table(at, "n")["n"]) == ["370300"]


# -- the store changing under the app, and no store ----------------------------------------------


def test_app_leaves_the_store_free_for_ingest_and_shows_its_changes(monkeypatch, sample_store_path, tmp_path):
    """The app only reads: while it runs, ``regionkg ingest`` can still open the store to write, and
    the app's next run shows what changed."""
    from graph.store import Store

    path = _copy(sample_store_path, tmp_path)
    # In a server, Python's cycle collector runs on whichever thread happens to allocate, not
    # necessarily the one that ran the script. Make that certain here: no collection while the
    # script runs, then one on this (another) thread. Query results it frees that way are leaked by
    # pyoxigraph ("unsendable ... dropped on another thread"), and with them the store they hold.
    files = {f.name: f.stat().st_mtime_ns for f in own_files(path)}
    gc.disable()
    try:
        at = _open(monkeypatch, path, "Documents")
    finally:
        gc.enable()
    assert not at.error, [e.value for e in at.error]
    assert len(_table(at, "file", "iri")) == 5
    assert {f.name: f.stat().st_mtime_ns for f in own_files(path)} == files, "reading wrote to the store"
    gc.collect()
    with Store(path) as store:  # what `regionkg ingest` does while the app is up
        first = store.documents()[0]["iri"]
        store.remove_document(first)
    at = _ok(at.run())
    table = _table(at, "file", "iri")
    assert len(table) == 4 and first not in set(table["iri"])


@pytest.mark.parametrize("exists", [False, True], ids=["missing folder", "empty folder"])
def test_app_without_a_store_tells_how_to_build_it(monkeypatch, tmp_path, exists):
    where = tmp_path / "empty" / "no-store-here"
    if exists:
        where.mkdir(parents=True)
    at = _open(monkeypatch, where)
    assert len(at.error) == 1, [e.value for e in at.error]
    message = at.error[0].value
    assert "regionkg ingest" in message
    assert str(where) in message
    # Nothing else is shown, and looking did not create a store.
    assert not at.metric
    assert not at.get("iframe")
    assert not at.get("tab_container")
    assert where.exists() == exists
    assert not exists or not any(where.iterdir())
