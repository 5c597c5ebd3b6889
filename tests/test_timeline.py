"""A region's timeline, as a researcher asks it: which industries did 驻马店 add between 2016 and 2021?

On a store of 驻马店市's five government work reports (2010, 2013, 2016, 2021, 2026) and 海拉尔区's of
2016, ingested once (``zhumadian_store_path``). Expectations are read from the store's facts here,
with SPARQL, independently of the networkx view the timeline runs on.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from graph.compare import overlap
from graph.regions import UnknownRegion
from graph.taxonomy import roll_up
from graph.timeline import by_year, row_evidence, timeline
from graph.views import to_networkx
from regionkg.cli import app as cli

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((Path(__file__).resolve().parent / "data" / "real" / "local" / "truth.json").read_text("utf-8"))
ZHUMADIAN = "https://w3id.org/regionkg/region/411700"
RKG = "https://w3id.org/regionkg/ontology#"


@pytest.fixture(scope="module")
def kg(zhumadian_store_path):
    from graph.store import Store

    with Store(zhumadian_store_path, read_only=True) as store:
        yield store


@pytest.fixture(scope="module")
def G(kg):
    return to_networkx(kg)


def stated(kg, region: str, predicate: str = "targetsIndustry") -> dict[int, dict[str, int]]:
    """Plan year → object → the facts stating ``region predicate object`` in that year's documents."""
    q = f"""SELECT ?year ?o (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
      ?fact rdf:subject <{region}> ; rdf:predicate rkg:{predicate} ; rdf:object ?o ; rkg:statedIn ?doc .
      ?doc rkg:planYear ?year }} GROUP BY ?year ?o"""
    found: dict[int, dict[str, int]] = {}
    for year, o, n in kg.query(q):
        found.setdefault(int(year), {})[str(o)] = int(n)
    return found


def sentences_of(kg, region: str, node: str, year: int) -> set[str]:
    q = f"""SELECT DISTINCT ?text WHERE {{
      ?fact rdf:subject <{region}> ; rdf:object <{node}> ; prov:wasDerivedFrom ?s ; rkg:statedIn ?doc .
      ?doc rkg:planYear {year} . ?s rdf:value ?text }}"""
    return {str(t) for (t,) in kg.query(q)}


def rows(t, year: int, status: str, type: str = "industry") -> dict[str, dict]:
    return {row["node"]: row for row in t if row["year"] == year and row["status"] == status and row["type"] == type}


# -- the timeline --------------------------------------------------------------------------------


def test_zhumadians_timeline_lists_its_five_plan_years_in_order(G):
    expected = sorted(d["year"] for d in TRUTH if "zhumadian" in d["file"])
    assert expected == [2010, 2013, 2016, 2021, 2026]
    for name in ("驻马店", "驻马店市", ZHUMADIAN):
        t = timeline(G, name)
        assert t.meta["region"] == "驻马店市" and t.meta["years"] == expected
    years = [row["year"] for row in t]
    assert years == sorted(years) and set(years) == set(expected)
    assert {row["status"] for row in t if row["year"] == 2010} == {"first"}
    assert {row["previous_year"] for row in t if row["year"] == 2021} == {2016}


def test_an_industry_targeted_in_2021_and_not_in_2016_is_added_in_2021_with_the_sentence_that_states_it(kg, G):
    facts = stated(kg, ZHUMADIAN)
    t = timeline(G, "驻马店", types=["industry"], store=kg)
    added = rows(t, 2021, "added")
    assert set(added) == set(facts[2021]) - set(facts[2016]) and added
    for node, row in added.items():
        assert (row["evidence"], row["before"]) == (facts[2021][node], 0)
        assert set(row["sentences"]) == sentences_of(kg, ZHUMADIAN, node, 2021)
        assert row["sentences"]
    # One row's facts, as the app shows them: each in the 2021 report, its mention in its sentence.
    row = next(iter(added.values()))
    found = row_evidence(kg, t, row)
    assert found and {e.document for e in found} == {"04_zhumadian_2021_zfgzbg.txt"}
    assert all(e.sentence[e.start - e.sentence_start:e.end - e.sentence_start] == e.mention for e in found)


def test_an_industry_of_2016_absent_in_2021_is_dropped_in_2021(kg, G):
    facts = stated(kg, ZHUMADIAN)
    t = timeline(G, "驻马店市", types=["industry"], store=kg)
    dropped = rows(t, 2021, "dropped")
    assert set(dropped) == set(facts[2016]) - set(facts[2021]) and dropped
    for node, row in dropped.items():
        assert (row["evidence"], row["before"]) == (0, facts[2016][node])
        assert set(row["sentences"]) == sentences_of(kg, ZHUMADIAN, node, 2016), "what stated it in 2016"
    kept = rows(t, 2021, "kept")
    assert set(kept) == set(facts[2016]) & set(facts[2021]) and kept
    assert all((row["evidence"], row["before"]) == (facts[2021][n], facts[2016][n]) for n, row in kept.items())
    assert t.meta["changes"][2021]["industry"] == {"added": len(rows(t, 2021, "added")), "kept": len(kept),
                                                   "dropped": len(dropped)}


def test_each_plan_year_lists_what_its_report_states(kg, G):
    facts = stated(kg, ZHUMADIAN)
    t = timeline(G, "驻马店", types=["industry"])
    for year, found in facts.items():
        assert {row["node"]: row["evidence"] for row in t if row["year"] == year and row["evidence"]} == found


def test_projects_and_institutions_that_appear_or_disappear(kg, G):
    t = timeline(G, "驻马店", types=["project", "institution"])
    for type, predicate in (("project", "hostsProject"), ("institution", "hostsInstitution")):
        facts = stated(kg, ZHUMADIAN, predicate)
        assert set(rows(t, 2021, "added", type)) == set(facts[2021]) - set(facts[2016])
        assert set(rows(t, 2021, "dropped", type)) == set(facts[2016]) - set(facts[2021])
    assert {row["type"] for row in t} == {"project", "institution"}


def test_at_the_broad_level_an_industry_is_added_when_nothing_under_it_was_targeted_before(kg, G):
    facts = stated(kg, ZHUMADIAN)
    up = roll_up(G, "broad")
    broad = {y: {c for i in found for c in up.get(i, (i,))} for y, found in facts.items()}
    t = timeline(G, "驻马店", level="broad", types=["industry"])
    assert set(rows(t, 2021, "added")) == broad[2021] - broad[2016]
    assert set(rows(t, 2021, "dropped")) == broad[2016] - broad[2021]
    assert len(broad[2021]) < len(facts[2021]), "rolled up, several industries count as one"
    for row in rows(t, 2021, "kept").values():
        under = [i for i in facts[2021] if row["node"] in up.get(i, (i,))]
        assert row["evidence"] == sum(facts[2021][i] for i in under)
        assert sorted(row["stated"]) == sorted(G.nodes[i]["label"] for i in under)


def test_the_matrix_gives_each_industrys_evidence_in_each_plan_year(kg, G):
    facts = stated(kg, ZHUMADIAN)
    m = by_year(timeline(G, "驻马店", types=["industry"]))
    assert m.meta["years"] == ["2010", "2013", "2016", "2021", "2026"]
    got = {(row["node"], int(y)): n for row in m for y, n in row["evidence"].items()}
    assert got == {(i, y): n for y, found in facts.items() for i, n in found.items()}


def test_an_unknown_region_or_type_is_a_clear_error(G):
    with pytest.raises(UnknownRegion, match="no region named '驻马'; did you mean: .*驻马店"):
        timeline(G, "驻马")
    with pytest.raises(ValueError, match="unknown type 'industries'; known: industry, zone"):
        timeline(G, "驻马店", types=["industries"])
    with pytest.raises(ValueError, match="unknown level 'fine'"):
        timeline(G, "驻马店", level="fine")


# -- comparing in one plan year -------------------------------------------------------------------


def test_compare_in_one_plan_year_differs_from_all_years(kg, G):
    hailaer = next(r for r, a in G.nodes(data=True) if a.get("label") == "海拉尔区")
    mine, theirs = stated(kg, ZHUMADIAN), stated(kg, hailaer)
    every = overlap(G, ["驻马店", "海拉尔区"])
    in_2016 = overlap(G, ["驻马店", "海拉尔区"], year=2016)
    assert {row["node"] for row in in_2016} == set(mine[2016]) & set(theirs[2016])
    everything_mine = {i for found in mine.values() for i in found}
    assert {row["node"] for row in every} == everything_mine & set(theirs[2016])
    assert {row["node"] for row in in_2016} != {row["node"] for row in every}
    assert in_2016.meta["year"] == 2016 and "year" not in every.meta
    for row in in_2016:
        assert row["evidence"]["驻马店市"] == mine[2016][row["node"]]
    with pytest.raises(ValueError, match="海拉尔区 has no plan of 2021; its plan years: 2016"):
        overlap(G, ["驻马店", "海拉尔区"], year=2021)


# -- the command line --------------------------------------------------------------------------


def run(store, *args):
    return CliRunner().invoke(cli, [*map(str, args), "--store", str(store)])


def test_regionkg_timeline_answers_as_the_function_in_each_format(zhumadian_store_path, kg, G):
    result = run(zhumadian_store_path, "timeline", "驻马店市", "--type", "industry", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = timeline(G, "驻马店市", types=["industry"], store=kg)
    assert data["years"] == [2010, 2013, 2016, 2021, 2026]
    assert data["timeline"] == json.loads(expected.to_json())["timeline"]
    assert all(row["sentences"] for row in data["timeline"])
    result = run(zhumadian_store_path, "timeline", "驻马店", "--type", "industry", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == len(expected.rows) and table[0]["sentences"]
    assert {r["status"] for r in table} == {"first", "added", "kept", "dropped"}
    result = run(zhumadian_store_path, "timeline", "驻马店", "--type", "industry", "--sentences")
    assert result.exit_code == 0 and "changes 2021: industry added" in result.stdout
    added = next(row for row in expected if row["year"] == 2021 and row["status"] == "added")
    assert f"2021 added {added['name']}: {added['sentences'][0]}" in result.stdout


def test_regionkg_timeline_exports_the_subgraph_with_its_sentences(zhumadian_store_path, tmp_path):
    out = tmp_path / "timeline.ttl"
    result = run(zhumadian_store_path, "timeline", "驻马店", "--type", "industry", "--export", out)
    assert result.exit_code == 0, result.output
    g = Graph().parse(out)
    years = {int(y) for (y,) in g.query(f"SELECT DISTINCT ?y WHERE {{ ?d <{RKG}planYear> ?y }}")}
    assert years == {2010, 2013, 2016, 2021, 2026}
    assert len(list(g.query(f"SELECT ?f WHERE {{ ?f <{RKG}statedIn> ?d }}"))) > 100


@pytest.mark.parametrize("args, message", [
    (["timeline", "驻马"], "no region named '驻马'; did you mean:"),
    (["timeline", "驻马店", "--type", "road"], "unknown type 'road'"),
    (["compare", "驻马店", "海拉尔区", "--year", "2021"], "海拉尔区 has no plan of 2021; its plan years: 2016"),
])
def test_bad_names_and_years_get_one_clear_error_line(zhumadian_store_path, args, message):
    result = run(zhumadian_store_path, *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_regionkg_compare_year_is_the_overlap_of_that_year(zhumadian_store_path, G):
    result = run(zhumadian_store_path, "compare", "驻马店", "海拉尔区", "--year", "2016", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year"] == 2016
    assert [row["industry"] for row in data["overlap"]] == \
        [row["industry"] for row in overlap(G, ["驻马店", "海拉尔区"], year=2016)]


# -- the app -----------------------------------------------------------------------------------


def _app(monkeypatch, store: Path, view: str) -> AppTest:
    monkeypatch.setenv("REGIONKG_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.session_state["view"] = view
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_the_timeline_view_shows_the_matrix_the_changes_and_a_rows_sentences(monkeypatch, zhumadian_store_path, kg, G):
    at = _app(monkeypatch, zhumadian_store_path, "Timeline")
    at.selectbox(key="tl_region").set_value(ZHUMADIAN)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    page = _html(at)
    t = timeline(G, "驻马店市")
    m = by_year(t)
    # The matrix: the plan years and each industry's evidence in them, as graph.timeline.by_year.
    for year in m.meta["years"]:
        assert f">{year}</th>" in page
    first = m.rows[0]
    assert html.escape(first["name"]) in page
    # What changed between two plans (2016 → 2021): the rows of graph.timeline.timeline.
    at.selectbox(key="tl_year").set_value(2021)
    at.run()
    changes = next(d.value for d in at.dataframe if {"name", "status", "evidence", "before"} <= set(d.value.columns))
    expected = [row for row in t if row["year"] == 2021]
    assert list(changes["name"]) == [row["name"] for row in expected]
    assert list(changes["status"]) == [row["status"] for row in expected]
    # A row's sentences, as the Evidence view shows them: the mention marked, the document named.
    added = next(k for k, row in enumerate(expected) if row["status"] == "added" and row["type"] == "industry")
    at.selectbox(key="tl_row").set_value(added)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    page = _html(at)
    facts = row_evidence(kg, t, expected[added])
    assert facts and "04_zhumadian_2021_zfgzbg.txt" in page
    for e in facts:
        assert html.escape(e.sentence[:e.start - e.sentence_start]) in page
        assert "<mark" in page and html.escape(e.mention) in page


def test_the_compare_view_compares_regions_in_one_plan_year(monkeypatch, zhumadian_store_path, G):
    hailaer = next(r for r, a in G.nodes(data=True) if a.get("label") == "海拉尔区")
    at = _app(monkeypatch, zhumadian_store_path, "Compare")
    at.multiselect(key="cmp_regions").set_value([ZHUMADIAN, hailaer])
    at.run()
    assert at.selectbox(key="cmp_year").options == ["all years", "2016"]
    shown = next(d.value for d in at.dataframe if "industry" in d.value.columns)
    assert list(shown["industry"]) == [row["industry"] for row in overlap(G, [ZHUMADIAN, hailaer])]
    at.selectbox(key="cmp_year").set_value(2016)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = next(d.value for d in at.dataframe if "industry" in d.value.columns)
    assert list(shown["industry"]) == [row["industry"] for row in overlap(G, [ZHUMADIAN, hailaer], year=2016)]


def test_the_timeline_view_at_the_broad_level_is_the_broad_timeline(monkeypatch, zhumadian_store_path, G):
    at = _app(monkeypatch, zhumadian_store_path, "Timeline")
    at.sidebar.radio(key="level").set_value("broad")
    at.selectbox(key="tl_region").set_value(ZHUMADIAN)
    at.run()
    at.multiselect(key="tl_types").set_value(["industry"])
    at.run()
    at.selectbox(key="tl_year").set_value(2016)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = next(d.value for d in at.dataframe if {"name", "status", "stated"} <= set(d.value.columns))
    expected = [row for row in timeline(G, ZHUMADIAN, level="broad", types=["industry"]) if row["year"] == 2016]
    assert list(zip(shown["name"], shown["status"], shown["evidence"])) == \
        [(row["name"], row["status"], row["evidence"]) for row in expected]
    assert "制造业" in set(shown["name"]), "rolled up the scheme"


def test_a_five_year_plan_keeps_its_period_beside_the_annual_reports(tmp_path):
    """“十四五”规划 is a plan for 2021–2025: its plan year is the first, its period is in the graph, in
    the gold JSON and in the timeline; an annual report of the same region has none."""
    from graph.store import Store
    from ingest.batch import ingest_paths
    from ingest.extract import extract
    from ingest.read import SourceText

    plan = SourceText.from_text("襄阳市制造业高质量发展“十四五”规划\n到2025年，襄阳市建成新能源汽车产业集群。",
                                name="plan.txt")
    report = SourceText.from_text("2026年襄阳市政府工作报告\n各位代表：今年，襄阳市大力发展新能源汽车产业。",
                                  name="report.txt")
    assert extract(plan).to_gold()["period"] == [2021, 2025]
    assert extract(report).to_gold()["period"] is None
    paths = []
    for source in (plan, report):
        path = tmp_path / source.path.name
        path.write_text(source.text, encoding="utf-8")
        paths.append(path)
    with Store(tmp_path / "kg") as store:
        lines = list(ingest_paths(paths, store))
        assert [line.status for line in lines] == ["added", "added"], [str(line) for line in lines]
        coverage = {str(row[0]) for row in store.query(
            "SELECT ?c WHERE { ?d <https://schema.org/temporalCoverage> ?c }")}
        assert coverage == {"2021/2025"}
        t = timeline(to_networkx(store), "襄阳市")
    assert t.meta["years"] == [2021, 2026]
    assert t.meta["periods"] == {2021: "2021–2025"}
