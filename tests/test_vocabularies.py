"""Checks of the hand-curated vocabularies ontology/industries.ttl and ontology/zones.ttl.

They read the real Turtle files and the reference CSVs in ontology/sources/ (no mocks): every
reference row must be in the vocabulary with its exact name, the SKOS hierarchy must be a forest,
and no surface form (the recogniser's input) may name two concepts.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
SOURCES = ONTOLOGY / "sources"

RKG = Namespace("https://w3id.org/regionkg/ontology#")
IND = Namespace("https://w3id.org/regionkg/industry/")
ZT = Namespace("https://w3id.org/regionkg/zone-type/")
RGN = Namespace("https://w3id.org/regionkg/region/")

CODE_IRI = re.compile(r"^https://w3id\.org/regionkg/region/(\d{6})$")


def read_csv(name: str) -> list[dict[str, str]]:
    with open(SOURCES / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def industries() -> Graph:
    return Graph().parse(ONTOLOGY / "industries.ttl", format="turtle")


@pytest.fixture(scope="module")
def zones() -> Graph:
    return Graph().parse(ONTOLOGY / "zones.ttl", format="turtle")


def zh_labels(g: Graph, s, pred) -> list[str]:
    return [str(o) for o in g.objects(s, pred) if isinstance(o, Literal) and o.language == "zh"]


def pref(g: Graph, s, lang: str) -> list[str]:
    return [str(o) for o in g.objects(s, SKOS.prefLabel) if isinstance(o, Literal) and o.language == lang]


def concepts_in(g: Graph, scheme: URIRef) -> set:
    return set(g.subjects(SKOS.inScheme, scheme))


def label_owners(g: Graph, concepts) -> dict[str, set]:
    owners: dict[str, set] = defaultdict(set)
    for c in concepts:
        for pred in (SKOS.prefLabel, SKOS.altLabel):
            for label in zh_labels(g, c, pred):
                owners[label].add(c)
    return owners


def province_codes() -> dict[str, str]:
    """Province name → six-digit code, from the Ministry of Civil Affairs' table (GB/T 2260)."""
    from ontology.gazetteers import rows

    return {row["name"]: row["code"] for row in rows("admin_divisions") if row["level"] == "1"}


# --------------------------------------------------------------------------------------------
# Both files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["industries.ttl", "zones.ttl"])
def test_file_parses_as_turtle(name):
    g = Graph().parse(ONTOLOGY / name, format="turtle")
    assert len(g) > 500


@pytest.mark.parametrize("fixture, scheme, cls", [("industries", IND.scheme, RKG.Industry),
                                                  ("zones", ZT.scheme, RKG.ZoneType)])
def test_hierarchy_is_a_forest(request, fixture, scheme, cls):
    g: Graph = request.getfixturevalue(fixture)
    concepts = concepts_in(g, scheme)
    assert concepts, "empty scheme"
    tops = set(g.subjects(SKOS.topConceptOf, scheme))
    assert tops and tops <= concepts
    parent = {}
    for c in concepts:
        assert (c, RDF.type, SKOS.Concept) in g, c
        assert (c, RDF.type, cls) in g, c
        broader = list(g.objects(c, SKOS.broader))
        if c in tops:
            assert broader == [], f"top concept {c} has a broader concept"
            continue
        assert len(broader) == 1, f"{c} has {len(broader)} broader concepts"
        assert broader[0] in concepts, f"{c} broader {broader[0]} is not a concept of the scheme"
        parent[c] = broader[0]
    for c in concepts:  # every chain ends at a top concept: no cycles
        seen = [c]
        while c in parent:
            c = parent[c]
            assert c not in seen, f"cycle: {seen + [c]}"
            seen.append(c)
        assert c in tops, f"{seen} does not end at a top concept"


@pytest.mark.parametrize("fixture, scheme", [("industries", IND.scheme), ("zones", ZT.scheme)])
def test_every_concept_has_one_zh_and_one_en_preflabel(request, fixture, scheme):
    g: Graph = request.getfixturevalue(fixture)
    for c in concepts_in(g, scheme):
        assert len(pref(g, c, "zh")) == 1, c
        assert len(pref(g, c, "en")) == 1, c


@pytest.mark.parametrize("fixture", ["industries", "zones"])
def test_labels_are_clean(request, fixture):
    g: Graph = request.getfixturevalue(fixture)
    for s, p, o in g.triples((None, None, None)):
        if p in (SKOS.prefLabel, SKOS.altLabel):
            assert isinstance(o, Literal) and o.language in ("zh", "en"), (s, o)
            text = str(o)
            assert text and text == text.strip() and not re.search(r"\s{2,}|[\t\n]", text), (s, text)
    for s in set(g.subjects(SKOS.altLabel, None)):
        prefs = set(pref(g, s, "zh"))
        for alt in zh_labels(g, s, SKOS.altLabel):
            assert alt not in prefs, f"{s}: altLabel {alt!r} repeats the prefLabel"


# --------------------------------------------------------------------------------------------
# industries.ttl
# --------------------------------------------------------------------------------------------


def sei_iri(code: str) -> URIRef:
    return IND[f"sei-{code}"]


def gbt_iri(code: str) -> URIRef:
    return IND[f"gbt-{code}"]


def test_every_sei2018_row_is_a_concept(industries):
    rows = read_csv("sei2018.csv")
    assert len(rows) == 49
    for r in rows:
        c = sei_iri(r["code"])
        assert (c, SKOS.inScheme, IND.scheme) in industries, r
        assert pref(industries, c, "zh") == [r["name"]], r
        assert [str(n) for n in industries.objects(c, SKOS.notation)] == [r["code"]], r
        if r["level"] == "1":
            assert (c, SKOS.topConceptOf, IND.scheme) in industries, r
        else:
            assert list(industries.objects(c, SKOS.broader)) == [sei_iri(r["parent_code"])], r


def test_every_gbt4754_row_is_a_concept(industries):
    rows = read_csv("gbt4754_2017.csv")
    assert sum(r["level"] == "门类" for r in rows) == 20
    assert sum(r["level"] == "大类" for r in rows) == 97
    for r in rows:
        c = gbt_iri(r["code"])
        assert (c, SKOS.inScheme, IND.scheme) in industries, r
        assert pref(industries, c, "zh") == [r["name"]], r
        assert [str(n) for n in industries.objects(c, SKOS.notation)] == [r["code"]], r
        if r["level"] == "门类":
            assert (c, SKOS.topConceptOf, IND.scheme) in industries, r
        else:
            assert list(industries.objects(c, SKOS.broader)) == [gbt_iri(r["parent_code"])], r


def test_no_industry_label_names_two_concepts(industries):
    """A surface form (prefLabel@zh or altLabel) belongs to one concept.

    The only exception is forced by GB/T 4754 itself: a section whose single-named division has
    the same name (K/70 房地产业, P/83 教育, T/97 国际组织).
    """
    gbt = read_csv("gbt4754_2017.csv")
    section_names = {r["code"]: r["name"] for r in gbt if r["level"] == "门类"}
    allowed = {
        r["name"]: {gbt_iri(r["code"]), gbt_iri(r["parent_code"])}
        for r in gbt
        if r["level"] == "大类" and section_names[r["parent_code"]] == r["name"]
    }
    owners = label_owners(industries, concepts_in(industries, IND.scheme))
    shared = {label: cs for label, cs in owners.items() if len(cs) > 1}
    for label, cs in shared.items():
        assert allowed.get(label) == cs, f"{label!r} names {sorted(cs)}"


def test_industry_labels_without_trailing_chanye_stay_unambiguous(industries):
    """The recogniser also matches a label ending in 产业 without it; that form must not name
    another concept."""
    owners = label_owners(industries, concepts_in(industries, IND.scheme))
    for label, cs in owners.items():
        if label.endswith("产业") and len(label) > 4 and label[:-2] in owners:
            assert owners[label[:-2]] == cs, (label, cs, owners[label[:-2]])


def test_sei_top_concepts_have_short_forms(industries):
    short = {"1": "新一代信息技术", "2": "高端装备制造", "3": "新材料", "4": "生物",
             "5": "新能源汽车", "6": "新能源", "7": "节能环保", "8": "数字创意"}
    for code, label in short.items():
        assert label in zh_labels(industries, sei_iri(code), SKOS.altLabel), (code, label)


def test_extension_concepts(industries):
    seeded = {sei_iri(r["code"]) for r in read_csv("sei2018.csv")}
    seeded |= {gbt_iri(r["code"]) for r in read_csv("gbt4754_2017.csv")}
    ext = concepts_in(industries, IND.scheme) - seeded
    assert 250 <= len(ext) <= 400, len(ext)
    for c in ext:
        assert re.fullmatch(re.escape(str(IND)) + r"[a-z0-9]+(-[a-z0-9]+)*", str(c)), c
        assert not list(industries.objects(c, SKOS.notation)), c


def ancestors(g: Graph, c) -> list:
    out = []
    while True:
        b = list(g.objects(c, SKOS.broader))
        if not b or b[0] in out or b[0] == c:  # a cycle is reported by test_hierarchy_is_a_forest
            return out
        c = b[0]
        out.append(c)


def concept_for(g: Graph, label: str):
    owners = label_owners(g, concepts_in(g, IND.scheme))
    assert label in owners, f"no concept labelled {label!r}"
    (c,) = owners[label]
    return c


@pytest.mark.parametrize("label, expected", [
    ("新材料", "sei-3"),
    ("新能源汽车", "sei-5"),
    ("人工智能", "sei-1.5"),
    ("生物医药", "sei-4.1"),
    ("智能装备", "sei-2.1"),
    ("化工", "gbt-26"),
    ("纺织", "gbt-17"),
    ("汽车", "gbt-36"),
])
def test_synonyms_of_seeded_concepts_are_altlabels(industries, label, expected):
    assert concept_for(industries, label) == IND[expected]


@pytest.mark.parametrize("label, ancestor", [
    ("集成电路", "sei-1.2"),
    ("智能制造", "sei-2"),
    ("工业机器人", "sei-2.1"),
    ("增材制造", "sei-2.1"),
    ("3D打印", "sei-2.1"),
    ("现代物流", "gbt-G"),
    ("冷链物流", "gbt-G"),
    ("跨境电商", "gbt-F"),
    ("医疗器械", "sei-4"),
    ("光伏", "sei-6"),
    ("石墨烯", "sei-3"),
    ("全域旅游", "services"),
    ("量子通讯", "future-industries"),
    ("精品果蔬", "gbt-A"),
])
def test_narrower_industries_sit_under_their_broader_concept(industries, label, ancestor):
    c = concept_for(industries, label)
    assert IND[ancestor] in ancestors(industries, c), (label, ancestors(industries, c))


# --------------------------------------------------------------------------------------------
# zones.ttl
# --------------------------------------------------------------------------------------------


def zone_type_by_name(zones: Graph) -> dict[str, URIRef]:
    return {pref(zones, c, "zh")[0]: c for c in concepts_in(zones, ZT.scheme)}


def test_every_zone_type_row_is_a_concept(zones):
    by_name = zone_type_by_name(zones)
    rows = read_csv("zone_types.csv")
    for r in rows:
        assert r["name"] in by_name, r
        c = by_name[r["name"]]
        assert (c, RDF.type, RKG.ZoneType) in zones
        assert [str(v) for v in zones.objects(c, RKG.level)] == [r["level"]], r
        assert list(zones.objects(c, SKOS.definition)), r
        m = re.search(r"kind of ([^\s;,()]+)", r["description"])
        if m:
            assert list(zones.objects(c, SKOS.broader)) == [by_name[m.group(1)]], r


@pytest.mark.parametrize("label, slug", [
    ("经开区", "national-etdz"), ("高新区", "national-hitech"), ("国家高新区", "national-hitech"),
    ("新区", "national-new-area"), ("自贸区", "pilot-ftz"), ("自贸试验区", "pilot-ftz"),
    ("综保区", "comprehensive-bonded"), ("自创区", "national-innovation-demo"),
    ("开发区", "provincial-dev-zone"), ("产业园", "industrial-park"), ("工业园区", "industrial-park"),
    ("小镇", "characteristic-town"), ("片区", "sub-area"), ("区块", "block"), ("科技城", "science-city"),
])
def test_zone_type_short_forms(zones, label, slug):
    owners = label_owners(zones, concepts_in(zones, ZT.scheme))
    assert owners.get(label) == {ZT[slug]}, (label, owners.get(label))


def test_no_zone_type_label_names_two_types(zones):
    owners = label_owners(zones, concepts_in(zones, ZT.scheme))
    shared = {label: sorted(cs) for label, cs in owners.items() if len(cs) > 1}
    assert shared == {}


def test_zone_and_industry_labels_do_not_overlap(zones, industries):
    z = label_owners(zones, concepts_in(zones, ZT.scheme))
    i = label_owners(industries, concepts_in(industries, IND.scheme))
    assert set(z) & set(i) == set()


def known_zones(zones: Graph) -> dict[str, URIRef]:
    out = {}
    for z in zones.subjects(RDF.type, RKG.Zone):
        (name,) = pref(zones, z, "zh")
        assert name not in out, f"two zones named {name}"
        out[name] = z
    return out


def located_code(zones: Graph, z) -> str:
    located = list(zones.objects(z, RKG.locatedIn))
    assert len(located) == 1, (z, located)
    m = CODE_IRI.match(str(located[0]))
    assert m, f"{z} rkg:locatedIn {located[0]} is not a six-digit code IRI"
    return m.group(1)


def test_every_hitech_zone_row_is_a_zone(zones):
    rows = read_csv("national_hitech_zones.csv")
    by_name = known_zones(zones)
    for r in rows:
        assert r["name"] in by_name, r
        z = by_name[r["name"]]
        assert list(zones.objects(z, RKG.zoneType)) == [ZT["national-hitech"]], r
        code = located_code(zones, z)
        if r["district_adcode"]:
            assert code == r["district_adcode"], r
            assert re.fullmatch(rf"{re.escape(str(RGN))}nhz-{code}(-\d+)?", str(z)), (z, r)
        else:
            assert code.endswith("00"), (code, r)  # the city's code


def test_every_new_area_row_is_a_zone(zones):
    provinces = province_codes()
    by_name = known_zones(zones)
    for r in read_csv("national_new_areas.csv"):
        assert r["name"] in by_name, r
        z = by_name[r["name"]]
        assert list(zones.objects(z, RKG.zoneType)) == [ZT["national-new-area"]], r
        code = located_code(zones, z)
        assert code == provinces[r["province"]], r
        assert str(z).startswith(f"{RGN}nna-{code}-"), z


def test_zone_short_forms(zones):
    by_label = {}
    for z in zones.subjects(RDF.type, RKG.Zone):
        for pred in (SKOS.prefLabel, SKOS.altLabel):
            for label in zh_labels(zones, z, pred):
                assert label not in by_label or by_label[label] == z, f"{label!r} names two zones"
                by_label[label] = z
    type_labels = set(label_owners(zones, concepts_in(zones, ZT.scheme)))
    assert set(by_label) & type_labels == set(), "a generic zone-type label is on an individual zone"
    names = known_zones(zones)
    assert by_label["宁波高新区"] == names["宁波高新技术产业开发区"]
    assert by_label["宁波国家高新区"] == names["宁波高新技术产业开发区"]
    assert by_label["两江新区"] == names["重庆两江新区"]
    assert by_label["中关村"] == names["中关村科技园区"]
