"""Linking and typing: names read without the clause around them, one node for one thing, sub-zones
with their industries, projects in their industry, and evidence for every link."""

from __future__ import annotations

import pytest
from rdflib import RDF, SKOS, Literal, URIRef

from ingest.extract import extract
from ingest.recognise import build_pipeline
from ingest.rdf import to_rdf
from ingest.read import SourceText
from ontology import RKG


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


@pytest.fixture(scope="module")
def rules():
    """The rules alone: their grammar is tested here; in the default pipeline the learned
    recogniser decides which of their names stand (tests/test_quality.py measures it)."""
    return build_pipeline({"learned": False})


def _extract(body: str, title: str = "淄博市2023年工作要点", name: str = "t.txt", nlp=None):
    return extract(SourceText.from_text(f"{title}\n{body}", name=name), nlp)


def _names(doc, etype):
    return [m.text for m in doc._.mentions or [] if m.type == etype]


@pytest.mark.parametrize("sentence, name", [
    ("充分发挥宁波科技大市场作用。", "宁波科技大市场"),
    ("要洽谈推进中科院光电材料研究院落地。", "中科院光电材料研究院"),
    ("服务宁波国家自主创新示范区建设。", "宁波国家自主创新示范区"),
    ("用好阿里巴巴农村淘宝平台。", "阿里巴巴农村淘宝平台"),
])
def test_a_name_does_not_take_the_verbs_before_it(nlp, sentence, name):
    found = [m.text for m in nlp(sentence)._.mentions or [] if m.type != "industry"]
    assert found == [name]


@pytest.mark.parametrize("sentence", ["进一步提高管委会效能。", "牵头部门提出联盟方案。", "全力引项目。"])
def test_a_common_noun_after_a_clause_is_no_name(nlp, sentence):
    assert [m.text for m in nlp(sentence)._.mentions or [] if m.type != "industry"] == []


def test_a_place_that_reads_like_a_verb_stays_in_the_name(nlp):
    # 回天 is a verb in jieba's dictionary; before 地区 it is a place.
    assert "回天地区体育文化中心" in _names(nlp("建成回天地区体育文化中心。"), "project")


def test_a_bracketed_place_belongs_to_the_name(nlp):
    doc = nlp("建设中国（湖南）自由贸易试验区长沙片区和国家集成电路产业创新中心（合肥）。")
    assert "中国（湖南）自由贸易试验区长沙片区" in _names(doc, "zone")
    assert "国家集成电路产业创新中心（合肥）" in _names(doc, "institution")


def test_a_phase_of_a_park_is_a_project(nlp):
    assert _names(nlp("推进洪雅绿色奶业产业园二期建设。"), "project") == ["洪雅绿色奶业产业园二期"]


def test_a_quoted_programme_of_works_is_a_project(rules):
    doc = rules("开展科技型企业“双倍增”行动和“智改数转”三年行动。")
    assert _names(doc, "project") == ["科技型企业“双倍增”行动", "“智改数转”三年行动"]


def test_a_list_of_parks_closed_by_platforms_names_zones(rules):
    doc = rules("研发园、软件园、检测园等产业平台的集聚效应进一步凸显。")
    assert _names(doc, "zone") == ["研发园", "软件园", "检测园"]


def test_a_count_of_listed_names_is_not_a_name(nlp):
    doc = nlp("加快大学城、科学城、创新谷“两城一谷”规划建设。")
    assert "两城一谷" not in " ".join(_names(doc, "zone"))


def test_an_enterprise_with_and_without_its_company_word_is_one_entity(rules):
    ex = _extract("支持均胜集团做强主业。推进均胜、激智等企业上市。", nlp=rules)
    names = {f.name for f in ex.facts if f.type == "institution"}
    assert "均胜集团" in names and "均胜" not in names
    alias = [f for f in ex.facts if f.alias == "均胜"]
    assert alias and alias[0].name == "均胜集团"


def test_a_zone_named_short_and_long_is_one_zone_with_an_alias():
    ex = _extract("开启浙东南国家自主创新示范区建设。浙东南国家自创区获批。争创国家自创区示范。")
    zones = {f.name for f in ex.facts if f.type == "zone"}
    assert zones == {"浙东南国家自主创新示范区"}
    g = to_rdf(ex)
    node = next(g.subjects(SKOS.prefLabel, Literal("浙东南国家自主创新示范区", lang="zh")))
    assert (node, SKOS.altLabel, Literal("浙东南国家自创区", lang="zh")) in g


def test_an_abbreviation_given_in_brackets_is_the_same_node():
    ex = _extract("与北京航空航天大学（以下简称“北航”）共建研究院。推动北航团队落地。")
    abbreviated = [f for f in ex.facts if f.alias == "北航"]
    assert abbreviated and all(f.name == "北京航空航天大学" for f in abbreviated)
    assert all(f.rule == "bracket_abbreviation" for f in abbreviated)


def test_a_bracketed_place_is_not_an_abbreviation():
    ex = _extract("建设国家集成电路产业创新中心（合肥）。合肥要加快发展。", title="合肥市2023年工作要点")
    assert not [f for f in ex.facts if f.alias == "合肥"]


def test_the_same_zone_name_in_two_cities_is_two_nodes():
    a = to_rdf(_extract("建设滨江科技园，发展新材料产业。", title="淄博市2023年工作要点", name="a.txt"))
    b = to_rdf(_extract("建设滨江科技园，发展新材料产业。", title="烟台市2023年工作要点", name="b.txt"))
    label = Literal("滨江科技园", lang="zh")
    assert set(a.subjects(SKOS.prefLabel, label)).isdisjoint(b.subjects(SKOS.prefLabel, label))


def test_an_industry_stated_for_a_sub_zone_is_attached_to_it():
    ex = _extract("黄兴片区重点发展新能源汽车、电子信息产业。")
    g = to_rdf(ex)
    zone = next(g.subjects(SKOS.prefLabel, Literal("黄兴片区", lang="zh")))
    subject = next(g.objects(None, RKG.subjectRegion))
    assert (subject, RKG.hasPart, zone) in g
    stated = {f.name: f.concept for f in ex.facts if f.type == "industry"}
    assert {"新能源汽车", "电子信息产业"} <= set(stated)
    assert {URIRef(c) for c in stated.values()} <= set(g.objects(zone, RKG.targetsIndustry))
    # The link has its own evidence: the sentence and the rule that attached it.
    statements = list(g.subjects(RDF.subject, zone))
    assert statements and all(str(g.value(s, RKG.extractedBy)).endswith("+sub_zone") for s in statements)
    assert all(g.value(s, RKG.statedIn) is not None for s in statements)


def test_an_industry_without_a_sub_zone_before_it_stays_the_regions_only():
    ex = _extract("推进黄兴片区建设；全市重点发展新材料产业。")
    assert all(f.zone is None for f in ex.facts if f.type == "industry")


def test_a_project_is_linked_to_the_industry_its_sentence_names():
    ex = _extract("围绕新材料产业，推进万华化学新材料产业园项目建设。")
    projects = [f for f in ex.facts if f.type == "project"]
    assert projects and projects[0].industry is not None


def test_industries_listed_before_a_name_share_its_rest(rules):
    doc = rules("建成集成电路、医疗器械、生物医药产业创新服务综合体。")
    counted = rules("提速建设集成电路、医疗器械、生物医药等三个产业创新服务综合体，推动发展。")
    assert set(_names(counted, "institution")) == set(_names(doc, "institution"))
    assert set(_names(doc, "institution")) == {
        "集成电路产业创新服务综合体", "医疗器械产业创新服务综合体", "生物医药产业创新服务综合体"}


def test_kinds_of_companies_in_a_list_are_no_names(nlp):
    doc = nlp("紧盯世界500强、领军企业、大型央企、知名民企以及高等院校和科研院所。")
    assert _names(doc, "institution") == []


def test_places_listed_before_a_zone_share_its_type_word(nlp):
    doc = nlp("加快贵驷区块的开发建设和梅墟、新明区块的优化提升。")
    assert set(_names(doc, "zone")) == {"贵驷区块", "梅墟区块", "新明区块"}


def test_a_name_does_not_hold_a_count_of_names(nlp):
    doc = nlp("形成万亩文化健康产业园等七大特色产业园。")
    assert _names(doc, "zone") == ["文化健康产业园"]


def test_an_institution_named_again_without_its_place_is_one_entity():
    ex = _extract("建成宁波新材料联合研究院。新材料联合研究院累计服务企业超千家。", title="宁波市2023年工作要点")
    names = {f.name for f in ex.facts if f.type == "institution"}
    assert names == {"宁波新材料联合研究院"}


def test_a_count_inside_a_head_names_nothing(nlp):
    doc = nlp("深化集成电路和生物医药两大“万亩千亿”平台建设。")
    assert _names(doc, "institution") == [] and _names(doc, "zone") == []


def test_an_industry_platform_is_a_zone(nlp):
    assert _names(nlp("打造集成电路“万亩千亿”新产业平台。"), "zone") == ["集成电路“万亩千亿”新产业平台"]


def test_a_new_area_listed_under_its_province_takes_its_city_from_the_text():
    ex = _extract("贵安新区与贵阳市协同发展，推进贵阳大数据产业。", title="贵州贵安新区2023年政府工作报告")
    assert ex.subject.province == "贵州省"
    assert ex.subject.city == "贵阳市"


def test_an_unplaced_institution_or_programme_of_two_cities_is_two_nodes_a_placed_one_is_one():
    body = "建设星沙创业孵化器，深化“人才新政23条”，与北京航空航天大学合作。"
    a = to_rdf(_extract(body, title="淄博市2023年工作要点", name="a.txt"))
    b = to_rdf(_extract(body, title="烟台市2023年工作要点", name="b.txt"))

    def nodes(g, name):
        return set(g.subjects(SKOS.prefLabel, Literal(name, lang="zh")))

    assert nodes(a, "星沙创业孵化器") and nodes(a, "星沙创业孵化器").isdisjoint(nodes(b, "星沙创业孵化器"))
    assert nodes(a, "人才新政23条") and nodes(a, "人才新政23条").isdisjoint(nodes(b, "人才新政23条"))
    assert nodes(a, "北京航空航天大学") and nodes(a, "北京航空航天大学") == nodes(b, "北京航空航天大学")


def test_a_catalogue_zone_is_one_node_keyed_by_its_code_across_years_and_names():
    # 宁波经济技术开发区 is G331020 in the national catalogue of development zones (2018).
    first = to_rdf(_extract("全力推进宁波经济技术开发区高质量发展。", "2023年宁波市政府工作报告", "a.txt"))
    later = to_rdf(_extract("支持宁波经开区打造先进制造业基地。", "2025年宁波市政府工作报告", "b.txt"))
    node = URIRef("https://w3id.org/regionkg/region/zone-G331020")
    for g in (first, later):
        assert (node, RDF.type, RKG.Zone) in g
        assert (node, SKOS.prefLabel, Literal("宁波经济技术开发区", lang="zh")) in g
        assert (node, URIRef("https://schema.org/identifier"), Literal("G331020")) in g
    assert (node, SKOS.altLabel, Literal("宁波经开区", lang="zh")) in later


def test_a_university_is_keyed_by_its_ministry_code():
    g = to_rdf(_extract("深化与浙江大学合作，共建创新平台。", "2024年宁波市政府工作报告"))
    nodes = {s for s, _, o in g.triples((None, SKOS.prefLabel, Literal("浙江大学", lang="zh")))}
    assert len(nodes) == 1
    node = nodes.pop()
    assert str(node).startswith("https://w3id.org/regionkg/entity/institution-moe")
    assert (node, RDF.type, RKG.University) in g
