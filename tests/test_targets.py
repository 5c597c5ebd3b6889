"""Quantitative targets and results (issue 14): the grammar, the graph, the command, the app, the quality.

The grammar tests read like the conventions of ``tests/data/gold-targets/README.md``; the store tests
ingest the 21 provincial reports of 2026 once per session and ask what a reader asks: each province's
2026 target for 地区生产总值增长, with the sentence it comes from. The quality tests score the recogniser
on the two halves of the hand-annotated reports, as ``regionkg evaluate --targets`` does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest.targets import find_targets, parse_number

ROOT = Path(__file__).resolve().parent.parent
PROVINCIAL = ROOT / "tests" / "data" / "real" / "provincial-2026"
TIMEOUT = 120


def _one(text: str, year: int = 2026, **kwargs):
    found = find_targets(text, year, **kwargs)
    assert len(found) == 1, found
    return found[0]


# -- the grammar ---------------------------------------------------------------------------------


def test_a_growth_rate_in_the_main_targets_is_a_target_for_the_plan_year():
    t = _one("今年经济社会发展主要预期目标是：地区生产总值增长5%左右。")
    assert (t.indicator, t.value, t.unit, t.comparator, t.year, t.kind) == (
        "地区生产总值增长", 5, "%", "左右", 2026, "target")
    assert t.text == "地区生产总值增长5%左右"
    assert t.concept.endswith("/gdp-growth")


def test_a_growth_rate_in_the_review_is_a_result_of_the_previous_year():
    t = _one("过去一年，全区地区生产总值增长5.1%，经济运行稳中向好。")
    assert (t.indicator, t.value, t.year, t.kind, t.comparator) == ("地区生产总值增长", 5.1, 2025, "result", None)


def test_the_review_section_makes_results_and_the_plan_section_targets():
    text = ("一、2025年工作回顾\n全省规上工业增加值增长7.9%。\n"
            "二、2026年工作安排\n全省规上工业增加值增长6%。")
    first, second = find_targets(text, 2026)
    assert (first.kind, first.year) == ("result", 2025)
    assert (second.kind, second.year) == ("target", 2026)
    assert first.concept == second.concept and first.concept.endswith("/industry-value-added-growth")


def test_a_past_year_opening_a_paragraph_is_the_review_even_when_it_reads_like_a_plan():
    t = _one("2025年是“十四五”收官之年。全省地区生产总值增长4.1%。")
    assert (t.kind, t.year) == ("result", 2025)


def test_a_five_year_goal_is_for_the_end_of_the_period():
    t = _one("“十五五”时期主要目标：到2030年，常住人口城镇化率达到60%。")
    assert (t.kind, t.year, t.comparator) == ("target", 2030, "达到")
    assert t.concept.endswith("/urbanisation-rate")


def test_a_range_is_one_item_with_its_upper_end():
    t = _one("今年地区生产总值增长5%—5.5%。")
    assert (t.value, t.value_max, t.unit) == (5, 5.5, "%")


def test_a_distributive_list_gives_one_item_per_value_with_its_share_of_the_head():
    found = find_targets("今年主要预期目标：城镇和农村居民人均可支配收入分别增长4%左右和6%左右。", 2026)
    assert [(t.indicator, t.value, t.comparator) for t in found] == [
        ("城镇居民人均可支配收入增长", 4, "左右"), ("农村居民人均可支配收入增长", 6, "左右")]
    assert [t.concept.rsplit("/", 1)[-1] for t in found] == ["urban-income-growth", "rural-income-growth"]
    assert {t.text for t in found} == {"城镇和农村居民人均可支配收入分别增长4%左右和6%左右"}


def test_the_comparator_after_the_last_value_of_a_list_applies_to_every_value():
    found = find_targets("今年一二三产增加值分别增长3.5%、6%、5%左右。", 2026)
    assert [(t.concept.rsplit("/", 1)[-1], t.value, t.comparator) for t in found] == [
        ("primary-growth", 3.5, "左右"), ("secondary-growth", 6, "左右"), ("tertiary-growth", 5, "左右")]


def test_a_masked_figure_is_kept_masked_never_guessed():
    t = _one("今年主要预期目标：居民消费价格涨幅**%左右。")
    assert (t.value, t.unit, t.comparator, t.masked) == (None, "%", "左右", True)
    assert t.text == "居民消费价格涨幅**%左右"


@pytest.mark.parametrize("text, comparator", [
    ("今年力争地区生产总值增长6%以上。", "以上"),
    ("今年城镇调查失业率控制在5.5%以内。", "以内"),
    ("今年研发经费投入强度不低于2.5%。", "不低于"),
    ("今年力争地区生产总值增长6%。", "力争"),
    ("今年社会消费品零售总额突破5000亿元。", "以上"),
    ("今年粮食产量达到760亿斤。", "达到"),
])
def test_a_bound_written_after_the_value_wins_then_力争_then_达到(text, comparator):
    assert _one(text).comparator == comparator


def test_counts_levels_and_chinese_numerals_keep_their_unit_as_written():
    found = find_targets("今年要新增高新技术企业500家，打造3个千亿级产业集群，研发投入占比提高到三成。", 2026)
    assert [(t.value, t.unit) for t in found] == [(500, "家"), (3, "个"), (3, "成")]
    assert found[1].indicator.endswith("千亿级产业集群")


@pytest.mark.parametrize("text", [
    "围绕三个方面实施十大行动。",                          # list counts
    "综合算力指数全国第一，居全省第3位。",                 # rankings
    "全省经济增速高于全国1.8个百分点。",                   # a comparison with the nation
    "地铁3号线二期工程于2025年12月开通。",                  # names and dates
])
def test_ordinals_rankings_comparisons_names_and_dates_are_no_items(text):
    assert find_targets(text, 2026) == []


def test_parse_number_reads_chinese_numerals_and_refuses_words():
    assert parse_number("十二") == 12 and parse_number("一百零五") == 105
    with pytest.raises(ValueError, match="not a number"):
        parse_number("若干")


@pytest.mark.parametrize("text", ["", "%%%%", "1" * 5000 + "%", "增长" * 20000, "。" * 10000, "\x00\ufffe**％—",
                                  "分别" * 3000 + "5%、" * 3000])
def test_hostile_text_never_crashes_and_stays_fast(text):
    import time

    started = time.perf_counter()
    find_targets(text, 2026)
    assert time.perf_counter() - started < 5


def test_bad_arguments_are_refused_naming_the_value():
    with pytest.raises(ValueError, match="plan_year must be a year.*3026x"):
        find_targets("今年地区生产总值增长5%。", "3026x")
    with pytest.raises(TypeError, match="bytes"):
        find_targets(b"abc", 2026)


# -- extraction, gold JSON, RDF ------------------------------------------------------------------

_REPORT = ("2026年淄博市政府工作报告\n各位代表：\n一、2025年工作回顾\n过去一年，全市地区生产总值增长5.1%，"
           "新增高新技术企业300家。\n二、2026年主要目标\n今年主要预期目标是：地区生产总值增长5.5%左右，"
           "居民消费价格涨幅**%左右，建成5G基站1万个。")


def test_extract_gold_json_writes_one_object_per_target_or_result():
    from ingest.extract import extract, extract_targets
    from ingest.read import SourceText

    src = SourceText.from_text(_REPORT, name="淄博.txt")
    gold = extract(src).to_gold()
    assert gold["targets"] == extract_targets(src)["targets"]
    assert [(t["indicator"], t["concept"], t["value"], t["unit"], t["year"], t["kind"]) for t in gold["targets"]] == [
        ("地区生产总值增长", "地区生产总值增长", 5.1, "%", 2025, "result"),
        ("新增高新技术企业", None, 300, "家", 2025, "result"),  # an increase: no concept
        ("地区生产总值增长", "地区生产总值增长", 5.5, "%", 2026, "target"),
        ("居民消费价格涨幅", "居民消费价格涨幅", None, "%", 2026, "target"),
        ("建成5G基站", None, 1, "万个", 2026, "target"),
    ]
    assert set(gold["targets"][0]) == {"indicator", "concept", "value", "value_max", "unit", "comparator", "year",
                                       "kind", "text"}


def test_each_target_is_a_node_with_region_indicator_document_sentence_and_a_typed_value(tmp_path):
    from rdflib import XSD, Literal, URIRef
    from rdflib.namespace import PROV, SDO

    from graph.store import Store
    from graph.validate import validate_documents
    from ingest.extract import extract
    from ingest.rdf import to_rdf
    from ingest.read import SourceText
    from ontology import RGN, RKG

    src = SourceText.from_text(_REPORT, name="淄博.txt")
    g = to_rdf(extract(src))
    nodes = list(g.objects(RGN["370300"], RKG.setsTarget))
    assert len(nodes) == 5
    gdp = next(n for n in nodes if (n, SDO.value, Literal("5.5", datatype=XSD.decimal)) in g)
    assert (gdp, RKG.indicator, URIRef("https://w3id.org/regionkg/indicator/gdp-growth")) in g
    assert (gdp, RKG.kind, Literal("target")) in g and (gdp, RKG.forYear, Literal(2026, datatype=XSD.integer)) in g
    sentence = g.value(gdp, PROV.wasDerivedFrom)
    assert "地区生产总值增长5.5%左右" in str(g.value(sentence, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")))
    masked = next(n for n in nodes if (n, RKG.masked, Literal(True)) in g)
    assert g.value(masked, SDO.value) is None
    provisional = next(g.objects(next(n for n in nodes if "5G" in str(g.value(n, RKG.indicatorText))), RKG.indicator))
    assert (provisional, RKG.provisional, Literal(True)) in g

    with Store(tmp_path / "kg") as kg:
        kg.add_document(g)
        assert all(doc.conforms for doc in validate_documents(kg)), [d.text for d in validate_documents(kg)]
        assert len(list(kg.query("SELECT ?t WHERE { ?t a rkg:Target }"))) == 5
        kg.remove_document(g.identifier)
        assert list(kg.query("SELECT ?t WHERE { ?t a rkg:Target }")) == []


def test_the_shapes_refuse_a_target_without_a_region_or_a_value():
    from rdflib import Graph, Literal, URIRef

    from graph.validate import validate_graph
    from ontology import RKG
    from rdflib import RDF

    g = Graph()
    t = URIRef("https://w3id.org/regionkg/doc/0/target/0")
    g.add((t, RDF.type, RKG.Target))
    g.add((t, RKG.kind, Literal("wish")))
    report = validate_graph(g)
    assert not report.conforms
    for words in ("set by a region", "has a value, or is marked masked", "sentence", "document"):
        assert words in report.text


# -- the store of the 21 provincial reports of 2026 ----------------------------------------------

PROVINCES = sorted(p.stem.split("_")[1] for p in PROVINCIAL.glob("2026_*.txt"))


@pytest.fixture(scope="session")
def provincial_store(tmp_path_factory) -> Path:
    """A store of the 21 provincial government work reports of 2026, ingested once per session."""
    from graph.store import Store
    from ingest.batch import ingest_paths

    path = tmp_path_factory.mktemp("provincial") / "kg"
    with Store(path) as kg:
        lines = list(ingest_paths([PROVINCIAL], kg, jobs=2))
    assert [line.status for line in lines if line.status != "skipped"] == ["added"] * 21, [str(x) for x in lines]
    return path


def _cli(*args: str):
    from typer.testing import CliRunner

    from regionkg.cli import app

    return CliRunner().invoke(app, list(args))


def test_each_provinces_2026_gdp_growth_target_comes_out_of_the_cli_with_evidence(provincial_store):
    assert len(PROVINCES) == 21
    result = _cli("targets", "--indicator", "地区生产总值增长", "--year", "2026", "--format", "json",
                  "--store", str(provincial_store))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["targets"]
    by_region = {}
    for row in rows:
        by_region.setdefault(row["region"], []).append(row)
    assert sorted(by_region) == PROVINCES
    texts = {p.stem.split("_")[1]: p.read_text(encoding="utf-8") for p in PROVINCIAL.glob("2026_*.txt")}
    for province, found in by_region.items():
        for row in found:
            assert row["kind"] == "target" and row["unit"] == "%" and 3 <= row["value"] <= 8, row
            assert row["document"] == f"2026_{province}_政府工作报告.txt"
            assert row["text"] in row["sentence"] and row["sentence"] in texts[province]
            assert f"{row['value']:g}" in row["text"] and "增长" in row["text"]
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)  # ranked by value


def test_a_provinces_targets_are_listed_with_their_sentences(provincial_store):
    result = _cli("targets", "河北", "--year", "2026", "--kind", "target", "--format", "json",
                  "--store", str(provincial_store))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["targets"]
    main = {r["indicator"]: (r["value"], r["comparator"]) for r in rows}
    assert main["地区生产总值增长"] == (5, "以上")
    assert main["城镇调查失业率"] == (5.5, "左右")
    assert all(r["region"] == "河北省" and r["sentence"] for r in rows)
    csv_out = _cli("targets", "河北省", "--format", "csv", "--store", str(provincial_store))
    assert csv_out.stdout.startswith("kind,indicator,value,value_max,unit,comparator,year,reported,document,text")


def test_a_target_meets_the_result_a_later_document_reports(provincial_store, tmp_path):
    """A 2025 report's target and the 2026 report's result for the same region, indicator and year."""
    import shutil

    from graph.store import Store
    from graph.targets import targets
    from ingest.batch import ingest_paths

    store = tmp_path / "kg"
    shutil.copytree(provincial_store, store)
    earlier = tmp_path / "2025_河北省_政府工作报告.txt"
    earlier.write_text("2025年河北省政府工作报告\n各位代表：\n二、2025年主要目标\n今年主要预期目标是：地区生产总值增长5%以上。",
                       encoding="utf-8")
    with Store(store) as kg:
        assert [line.status for line in ingest_paths([earlier], kg)] == ["added"]
        t = targets(kg, "河北省", "地区生产总值增长", 2025)
    (target,) = [r for r in t.rows if r["kind"] == "target"]
    (result,) = [r for r in t.rows if r["kind"] == "result"]
    assert (target["value"], target["reported"], target["reported_in"]) == (5, result["value"], result["document"])
    assert result["document"] == "2026_河北省_政府工作报告.txt" and result["value"] == 5.6


@pytest.mark.parametrize("args, message", [
    (["targets", "河北x"], "no region named '河北x'; did you mean: 河北"),
    (["targets", "--indicator", "没有这个指标"], "no indicator named '没有这个指标'"),
    (["targets", "河北", "--format", "xml"], "unknown format 'xml'"),
    (["targets", "河北", "--kind", "wish"], "unknown kind 'wish'"),
    (["targets", "河北", "--export", "out.graphml"], "cannot export to 'out.graphml'"),
    (["targets"], "name a region, an indicator"),
])
def test_wrong_arguments_end_in_one_line_and_exit_2(provincial_store, args, message):
    result = _cli(*args, "--store", str(provincial_store))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_export_writes_the_targets_with_their_evidence(provincial_store, tmp_path):
    from rdflib import Graph

    from ontology import RKG

    out = tmp_path / "hebei.ttl"
    result = _cli("targets", "河北省", "--year", "2026", "--export", str(out), "--store", str(provincial_store))
    assert result.exit_code == 0, result.output
    g = Graph().parse(out)
    nodes = set(g.subjects(RKG.kind, None))
    assert nodes and all(g.value(n, RKG.statedIn) is not None for n in nodes)


# -- the app -------------------------------------------------------------------------------------


def _app(monkeypatch, store):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("REGIONKG_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    at.session_state["view"] = "Targets"
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_app_shows_a_regions_targets_with_evidence_and_one_indicator_across_regions(monkeypatch, provincial_store):
    import html

    from graph.store import Store
    from graph.targets import targets

    at = _app(monkeypatch, provincial_store)
    at = at.selectbox(key="tg_region").set_value("https://w3id.org/regionkg/region/130000").run()
    assert not at.exception
    with Store(provincial_store, read_only=True) as kg:
        expected = targets(kg, "河北省")
    shown = next(d.value for d in at.dataframe if "indicator" in d.value.columns)
    assert len(shown) == len(expected.rows)
    body = "\n".join(h.proto.body for h in at.get("html"))
    for row in expected.rows[:5]:
        assert html.escape(row["document"]) in body
        assert "<mark>" + html.escape(row["text"]) + "</mark>" in body

    at = at.radio(key="tg_mode").set_value("indicator").run()
    at = at.selectbox(key="tg_indicator").select("地区生产总值增长").run()
    at = at.selectbox(key="tg_iyear").select(2026).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    ranked = next(d.value for d in at.dataframe if "rank" in d.value.columns)
    assert set(ranked["region"]) == {p for p in PROVINCES}


def test_the_app_shows_document_text_as_text(monkeypatch, tmp_path):
    from graph.store import Store
    from ingest.batch import ingest_paths

    doc = tmp_path / "2026_淄博市_政府工作报告.txt"
    doc.write_text("2026年淄博市政府工作报告\n今年主要预期目标是：<img src=x onerror=alert(1)>产值增长5%左右，"
                   "<script>alert(2)</script>企业增加300家。", encoding="utf-8")
    store = tmp_path / "kg"
    with Store(store) as kg:
        assert [line.status for line in ingest_paths([doc], kg)] == ["added"]
    at = _app(monkeypatch, store)
    body = "\n".join(h.proto.body for h in at.get("html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in body and "&lt;script&gt;" in body
    assert "<img" not in body and "<script" not in body


# -- a SPARQL server -----------------------------------------------------------------------------


def test_the_targets_are_the_same_on_a_sparql_server(virtuoso, provincial_store):
    from graph.endpoint import SparqlStore
    from graph.store import Store, copy_store
    from graph.targets import targets

    server = SparqlStore(virtuoso.query_url, virtuoso.update_url, user=virtuoso.user, password=virtuoso.password)
    for name in server.graph_names():
        server.remove_graph(name)
    with Store(provincial_store, read_only=True) as local:
        copy_store(local, server)
        for args in (("河北省", None, 2026), (None, "地区生产总值增长", 2026), ("贵州", "城镇调查失业率", None)):
            ours, theirs = targets(local, *args), targets(server, *args)
            assert ours.rows == theirs.rows and ours.rows, args
    for name in server.graph_names():
        server.remove_graph(name)


# -- quality -------------------------------------------------------------------------------------

#: Measured with ``regionkg evaluate --targets`` (2026-12-07); a floor a little below each figure.
FLOORS = {
    "targets development": {"full": 0.88, "value": 0.95},  # measured 0.900, 0.969
    "targets held-out": {"full": 0.75, "value": 0.90},     # measured 0.772, 0.917
}


@pytest.fixture(scope="module")
def target_scores():
    from ingest.evaluation_sets import evaluate_target_sets
    from ingest.extract import extract_targets
    from ingest.read import read_source

    return {s.name: scores for s, scores in evaluate_target_sets(lambda path: extract_targets(read_source(path)))}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_on_each_half_of_the_annotated_reports_holds_its_floor(target_scores, name):
    scores = target_scores[name]
    assert scores.full.gold > 700 and len(scores.documents) == 6
    assert scores.full.f1 >= FLOORS[name]["full"], scores.full.to_dict()
    assert scores.value.f1 >= FLOORS[name]["value"], scores.value.to_dict()


def test_the_cli_prints_the_figures_of_both_halves_and_says_which_is_held_out():
    result = _cli("evaluate", "--targets")
    assert result.exit_code == 0, result.output
    assert "== targets development: 6 documents" in result.stdout
    assert "== targets held-out: 6 documents, held out" in result.stdout
    assert re.search(r"value alone\s+\d+\s+\d+", result.stdout)
