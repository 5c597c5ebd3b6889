"""The sample corpus, ingested: the graph a user gets from `regionkg ingest data/samples`."""

from __future__ import annotations

import pytest
from rdflib import RDF, SKOS, Literal, URIRef
from rdflib.namespace import PROV

from graph.validate import validate
from ingest.batch import ingest_paths
from ingest.read import read_source
from ontology import RGN, RKG

# What the "done when" names: the subject region of each sample, its city and province.
EXPECTED_SUBJECTS = {
    "000_35aee153b5e1f174.txt": ("宁波国际海洋生态科技城", "zone", "北仑区", "宁波市", "浙江省"),
    "001_585d3f6695bf431d.txt": ("宁波国家高新区", "zone", None, "宁波市", "浙江省"),
    "002_2f001e7e59a5abec.txt": ("绍兴滨海新区", "zone", None, "绍兴市", "浙江省"),
    "003_6df439c02bdb466d.txt": ("X", "district", None, "烟台市", "山东省"),
    "004_deeb158c161dd6a1.txt": ("淄博市", "city", None, "淄博市", "山东省"),
}
EXPECTED_YEARS = {"000": 2018, "001": 2018, "002": 2020, "003": 2017, "004": 2018}


def _subject_row(store, file_name):
    q = f"""SELECT ?region WHERE {{ ?d rkg:fileName "{file_name}" ; rkg:subjectRegion ?region }}"""
    regions = {r[0] for r in store.query(q)}
    assert len(regions) == 1, regions
    region = regions.pop()
    names = {str(n) for n in store.rdflib.objects(region, SKOS.prefLabel)}
    names |= {str(n) for n in store.rdflib.objects(region, SKOS.altLabel)}
    return region, names


def _containers(store, region):
    """Names of every region the subject is part of or located in, transitively."""
    q = f"""SELECT DISTINCT ?label WHERE {{
      <{region}> (rkg:partOf|rkg:locatedIn)+ ?up . ?up skos:prefLabel ?label }}"""
    return {str(r[0]) for r in store.query(q)}


def test_the_sample_graph_is_shacl_valid(sample_store):
    report = validate(sample_store)
    assert report.conforms, report.text
    assert report.focus_nodes > 500


@pytest.mark.parametrize("file_name", sorted(EXPECTED_SUBJECTS))
def test_each_sample_has_its_subject_region_with_city_and_province(sample_store, file_name):
    name, kind, district, city, province = EXPECTED_SUBJECTS[file_name]
    region, names = _subject_row(sample_store, file_name)
    assert name in names
    containers = _containers(sample_store, region)
    assert province in containers
    if kind != "city":
        assert city in containers
    if district:
        assert district in containers
    classes = {str(c).rsplit("#", 1)[-1] for c in sample_store.rdflib.objects(region, RDF.type)}
    assert {"zone": "Zone", "district": "District", "city": "City"}[kind] in classes


def test_002_is_about_shaoxing_although_its_title_says_hangzhou(sample_store):
    region, _ = _subject_row(sample_store, "002_2f001e7e59a5abec.txt")
    containers = _containers(sample_store, region)
    assert "绍兴市" in containers and "杭州市" not in containers


def test_a_city_is_keyed_by_its_division_code_so_two_spellings_meet(sample_store):
    # 淄博市 (title) and 淄博 (body) are one node, the one with code 370300.
    region, _ = _subject_row(sample_store, "004_deeb158c161dd6a1.txt")
    assert region == RGN["370300"]
    assert (region, RKG.divisionCode, Literal("370300")) in sample_store.rdflib


@pytest.mark.parametrize("prefix,year", sorted(EXPECTED_YEARS.items()))
def test_each_sample_has_its_plan_year(sample_store, prefix, year):
    q = f'SELECT ?y WHERE {{ ?d rkg:fileName ?f ; rkg:planYear ?y FILTER(STRSTARTS(?f, "{prefix}_")) }}'
    assert [int(r[0]) for r in sample_store.query(q)] == [year]


def test_every_fact_points_at_its_document_and_the_sentence_holding_the_mention(sample_store, samples):
    texts = {p.name: read_source(p).text for p in samples.glob("*.txt")}
    q = """
    SELECT ?file ?mention ?fs ?fe ?stext ?ss ?se WHERE {
      ?fact a rdf:Statement ; rkg:statedIn ?d ; prov:wasDerivedFrom ?s ;
            rkg:mention ?mention ; rkg:charStart ?fs ; rkg:charEnd ?fe .
      ?s rkg:inDocument ?d ; rdf:value ?stext ; rkg:charStart ?ss ; rkg:charEnd ?se .
      ?d rkg:fileName ?file .
    }"""
    rows = list(sample_store.query(q))
    assert len(rows) > 300
    for file, mention, fs, fe, stext, ss, se in rows:
        text = texts[str(file)]
        assert text[int(fs):int(fe)] == str(mention)
        assert int(ss) <= int(fs) and int(fe) <= int(se)
        assert str(mention) in str(stext)
        # The sentence is the document's own text, where boilerplate (a table cell, a login
        # prompt) inside its line is blanked out, never changed.
        original = text[int(ss):int(se)]
        assert len(original) == len(str(stext))
        assert all(a == b or a.isspace() for a, b in zip(str(stext), original))
        assert sum(a == b for a, b in zip(str(stext), original)) >= 0.9 * len(original)


def test_ingesting_the_same_documents_again_adds_nothing(store_copy, samples):
    before = store_copy.stats()["triples"]
    lines = list(ingest_paths([samples], store_copy))
    assert [line.status for line in lines] == ["unchanged"] * 5
    assert store_copy.stats()["triples"] == before


def test_one_industry_named_by_two_documents_is_one_node(sample_store):
    # 新材料 is targeted by 宁波国家高新区 and by 淄博市: both point at one concept node.
    q = """SELECT ?ind (COUNT(DISTINCT ?r) AS ?n) WHERE {
      ?r rkg:targetsIndustry ?ind . ?ind skos:prefLabel|skos:altLabel "新材料"@zh } GROUP BY ?ind"""
    rows = list(sample_store.query(q))
    assert len(rows) == 1
    assert int(rows[0][1]) >= 2


def test_boilerplate_never_reaches_the_graph(sample_store):
    # 004's site footer names 山东省人民政府 and 山东省互联网传媒集团; 001's metadata table 区办公室.
    for junk in ("山东省互联网传媒集团", "版权所有", "索引号", "查看隐藏内容"):
        q = f'ASK {{ ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(STR(?o), "{junk}")) ?s a rdf:Statement }}'
        assert not sample_store.query(q).askAnswer, junk
        q = f'ASK {{ ?s a rkg:Sentence ; rdf:value ?v FILTER(CONTAINS(STR(?v), "{junk}")) }}'
        assert not sample_store.query(q).askAnswer, junk
