"""Map an :class:`~ingest.extract.Extraction` onto the regionkg ontology as an RDF graph.

One graph per document, named by the document's IRI (the SHA-256 of its bytes): a store keeps each
document's facts in their own named graph, so the same bytes ingested twice add nothing and a
document's facts can be replaced or removed as a whole.

Identifiers are stable across documents: an administrative division is keyed by its code
(``rgn:330206``), a known zone by the reference list's IRI, another zone by its city and name, an
enterprise (or an institution or talent programme whose name opens with a place) by its name, any
other institution or talent programme by its plan's city and name, a project by its region and name. Every fact is an
``rdf:Statement`` with the sentence it came from (``prov:wasDerivedFrom``), the document
(``rkg:statedIn``), the mention's offsets, the rule that produced it and a confidence. Every target
or result (:mod:`ingest.targets`) is a ``rkg:Target`` node (a ``schema:QuantitativeValue``) that the
region ``rkg:setsTarget``, with its indicator concept, value, unit, comparator, year and kind, and the
same evidence on the node itself.

Examples
--------
>>> from ingest.read import SourceText
>>> from ingest.extract import extract
>>> src = SourceText.from_text("关于淄博市发展的工作方案\\n全市要突出培育新材料产业。", name="a.txt")
>>> g = to_rdf(extract(src))
>>> from ontology import RKG, RGN
>>> (RGN["370300"], RKG.targetsIndustry, None) in g
True
"""

from __future__ import annotations

import hashlib
import unicodedata
from decimal import Decimal

from rdflib.plugins.stores.memory import SimpleMemory
from rdflib import RDF, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO as SCHEMA

from ingest.extract import Extraction, Fact
from ingest.gazetteer import entry_iri, load_gazetteer
from ingest.read import file_name
from ingest.regions import COUNTY, PROVINCE, Divisions
from ingest.version import extractor_version
from ingest.vocab import load_vocabulary
from ontology import BASE, IDC, IND, RGN, RKG, bind_prefixes

__all__ = ["to_rdf", "document_iri", "region_iri", "entity_iri", "DOC", "ENT", "FACT"]

DOC = Namespace(BASE + "doc/")
ENT = Namespace(BASE + "entity/")
FACT = Namespace(BASE + "fact/")

_CLASS_OF_KIND = {
    "university": RKG.University, "research": RKG.ResearchInstitute, "lab": RKG.Laboratory,
    "platform": RKG.Platform, "enterprise": RKG.Enterprise, "other": RKG.Institution, None: RKG.Institution,
}
_CLASS_OF_DIVISION = {"province": RKG.Province, "city": RKG.City, "district": RKG.District,
                      "county": RKG.County}
_PREDICATE = {
    "industry": RKG.targetsIndustry, "project": RKG.hostsProject, "institution": RKG.hostsInstitution,
    "talent_programme": RKG.runsTalentProgramme, "zone": RKG.hasPart,
}


def _key(*parts: str) -> str:
    text = "\x1f".join(unicodedata.normalize("NFKC", p or "") for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def document_iri(sha256: str) -> URIRef:
    """The IRI (and named graph) of the document whose bytes hash to ``sha256``.

    Examples
    --------
    >>> str(document_iri("ab" * 32))
    'https://w3id.org/regionkg/doc/abababababababab'
    """
    if len(sha256) < 16:
        raise ValueError(f"expected a hex SHA-256, got {sha256!r}")
    return DOC[sha256[:16]]


def region_iri(code: str) -> URIRef:
    """The IRI of the administrative division with the six-digit ``code``."""
    if not (len(code) == 6 and code.isdigit()):
        raise ValueError(f"expected a six-digit division code, got {code!r}")
    return RGN[code]


def entity_iri(entity_type: str, name: str, scope: str = "") -> URIRef:
    """The IRI of a named entity; ``scope`` separates same-named local things (projects)."""
    prefix = {"project": "project", "institution": "institution", "talent_programme": "talent",
              "zone": "zone"}.get(entity_type)
    if prefix is None:
        raise ValueError(f"no IRIs are minted for entity type {entity_type!r}")
    if prefix == "zone":
        return RGN[f"zone-{_key(scope, name)}"]
    return ENT[f"{prefix}-{_key(scope, name)}"]


def _add_division(g: Graph, code: str) -> URIRef:
    divisions = Divisions.default()
    chain = divisions.lineage(code)
    parent = None
    for division in chain:
        node = region_iri(division.code)
        g.add((node, RDF.type, _CLASS_OF_DIVISION[division.kind]))
        g.add((node, SKOS.prefLabel, Literal(division.name, lang="zh")))
        g.add((node, RKG.divisionCode, Literal(division.code)))
        if parent is not None:
            g.add((node, RKG.partOf, parent))
        parent = node
    return region_iri(code)


def _add_known_zone(g: Graph, zone) -> URIRef:
    """A zone of the reference list, with its preferred name, type and place, as zones.ttl has them."""
    node = URIRef(str(zone.iri))
    g.add((node, RDF.type, RKG.Zone))
    g.add((node, SKOS.prefLabel, Literal(zone.label, lang="zh")))
    if zone.zone_type is not None:
        g.add((node, RKG.zoneType, zone.zone_type))
    if zone.located_in and zone.located_in in Divisions.default().by_code:
        g.add((node, RKG.locatedIn, _add_division(g, zone.located_in)))
    return node


def _known_zones() -> dict:
    return {str(z.iri): z for z in load_vocabulary().known_zones.values()}


def _subject_node(g: Graph, ex: Extraction) -> URIRef:
    s = ex.subject
    container = None
    for code in (s.district_code, s.city_code, s.province_code):
        if code:
            container = _add_division(g, code)
            break
    if s.code:
        node = _add_division(g, s.code)
        if s.name != Divisions.default().by_code[s.code].name:
            g.add((node, SKOS.altLabel, Literal(s.name, lang="zh")))  # its name of the time: 徐水县
    else:
        if s.zone_iri:
            node = _add_known_zone(g, _known_zones()[s.zone_iri])
        elif s.kind == "zone":
            node = entity_iri("zone", s.name, s.city_code or s.province_code or "")
        else:
            # An anonymised region ("X") is only itself within its own document.
            node = RGN[f"anon-{_key(ex.source.sha256, s.name)}"]
            g.add((node, RKG.anonymised, Literal(True)))
        cls = RKG.Zone if s.kind == "zone" else _CLASS_OF_DIVISION.get(s.kind, RKG.Region)
        g.add((node, RDF.type, cls))
        # A known zone has its preferred name in zones.ttl; the document's name is another name.
        if not s.zone_iri:
            g.add((node, SKOS.prefLabel, Literal(s.name, lang="zh")))
        elif s.name != _known_zones()[s.zone_iri].label:
            g.add((node, SKOS.altLabel, Literal(s.name, lang="zh")))
        if s.zone_type:
            g.add((node, RKG.zoneType, URIRef(s.zone_type)))
        if container is not None and (node, RKG.locatedIn, None) not in g:
            g.add((node, RKG.locatedIn if s.kind == "zone" else RKG.partOf, container))
    for alias in s.aliases:
        g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    return node


def _object_node(g: Graph, ex: Extraction, fact: Fact, subject: URIRef) -> URIRef:
    label = Literal(fact.name, lang="zh")
    if fact.type == "industry":
        if fact.concept:
            return URIRef(fact.concept)
        # No concept of the scheme matched: a provisional concept, under the closest broader one.
        node = _provisional_concept(g, IND, RKG.Industry, fact.name)
        if fact.broader:
            g.add((node, SKOS.broader, URIRef(fact.broader)))
        return node
    if fact.type == "zone":
        if fact.concept:
            node = _add_known_zone(g, _known_zones()[fact.concept])
            if fact.name != _known_zones()[fact.concept].label:
                g.add((node, SKOS.altLabel, label))
            return node
        entry = load_gazetteer().lookup(fact.name, "zone", province=ex.subject.province)
        if entry is not None:
            return _add_listed(g, entry, label, RKG.Zone)
        else:
            node = entity_iri("zone", fact.name, ex.subject.city_code or ex.subject.province_code or "")
            vocab = load_vocabulary()
            ztype = _zone_type(fact.name, vocab)
            if ztype is not None:
                g.add((node, RKG.zoneType, ztype))
        g.add((node, RDF.type, RKG.Zone))
    elif fact.type == "project":
        node = entity_iri("project", fact.name, str(subject))
        g.add((node, RDF.type, RKG.Project))
    elif fact.type == "institution":
        entry = load_gazetteer().lookup(fact.name, "institution", province=ex.subject.province)
        if entry is not None:
            node = _add_listed(g, entry, label, _CLASS_OF_KIND.get(entry.kind, RKG.Institution))
            if fact.industry:
                g.add((node, RKG.inIndustry, URIRef(fact.industry)))
            return node
        scope = "" if fact.kind == "enterprise" else _local_scope(fact.name, ex)
        node = entity_iri("institution", fact.name, scope)
        g.add((node, RDF.type, _CLASS_OF_KIND.get(fact.kind, RKG.Institution)))
    else:
        node = entity_iri("talent_programme", fact.name, _local_scope(fact.name, ex))
        g.add((node, RDF.type, RKG.TalentProgramme))
    g.add((node, SKOS.prefLabel, label))
    if fact.alias:
        g.add((node, SKOS.altLabel, Literal(fact.alias, lang="zh")))
    if fact.industry:
        g.add((node, RKG.inIndustry, URIRef(fact.industry)))
    return node


def _add_listed(g: Graph, entry, label: Literal, cls: URIRef) -> URIRef:
    """A thing of a reference list (a catalogue zone, a university, a listed company): one node keyed
    by the list's code across every document and year that names it, with its official name as
    preferred label, the name the plan used as another, and the code (``schema:identifier``)."""
    node = entry_iri(entry)
    g.add((node, RDF.type, cls))
    g.add((node, SKOS.prefLabel, Literal(entry.name, lang="zh")))
    g.add((node, SCHEMA.identifier, Literal(entry.code)))
    if str(label) != entry.name:
        g.add((node, SKOS.altLabel, label))
    if entry.type == "zone":
        ztype = _zone_type(entry.name, load_vocabulary())
        if ztype is not None:
            g.add((node, RKG.zoneType, ztype))
    return node


def _local_scope(name: str, ex: Extraction) -> str:
    """What separates same-named things of two places: nothing for a name that opens with a place
    (宁波新材料联合研究院, 北京航空航天大学 are one thing everywhere), else the plan's city or province
    (两个城市的“人才新政23条”, 科技创新服务中心 are two)."""
    found = Divisions.default().find(name)
    if any(m.start == 0 for m in found) or name.startswith(("中国", "国家", "中科院", "中国科学院")):
        return ""
    return ex.subject.city_code or ex.subject.province_code or ""


def _zone_type(name: str, vocab) -> URIRef | None:
    for length in range(min(len(name) - 1, 12), 1, -1):
        ztype = vocab.zone_types.get(name[-length:])
        if ztype is not None:
            return ztype
    return None


def to_rdf(ex: Extraction) -> Graph:
    """The RDF graph of one document's extraction (to be stored as the document's named graph)."""
    # SimpleMemory: a document graph has no sub-graphs, and this store adds triples twice as fast.
    g = bind_prefixes(Graph(store=SimpleMemory(), identifier=document_iri(ex.source.sha256)))
    doc = document_iri(ex.source.sha256)
    g.add((doc, RDF.type, RKG.PlanDocument))
    g.add((doc, RKG.contentHash, Literal(ex.source.sha256)))
    g.add((doc, RKG.extractorVersion, Literal(extractor_version())))
    g.add((doc, RKG.fileName, Literal(file_name(ex.source.path))))
    g.add((doc, RKG.encoding, Literal(ex.source.encoding)))
    g.add((doc, DCTERMS.format, Literal(ex.source.media_type)))
    if ex.title:
        g.add((doc, DCTERMS.title, Literal(ex.title, lang="zh")))
    if ex.year is not None:
        g.add((doc, RKG.planYear, Literal(ex.year, datatype=XSD.integer)))
    if ex.period is not None:  # an ISO 8601 interval of years: "2021/2025"
        g.add((doc, SCHEMA.temporalCoverage, Literal(f"{ex.period[0]}/{ex.period[1]}")))
    subject = _subject_node(g, ex)
    g.add((doc, RKG.subjectRegion, subject))

    vocab = load_vocabulary()
    roles = {notation: role for role, notation in vocab.role_notations.items()}
    zone_nodes = {}
    for fact in ex.facts:
        if fact.type == "zone":
            zone_nodes[fact.name] = _object_node(g, ex, fact, subject)
    for fact in ex.facts:
        obj = _object_node(g, ex, fact, subject)
        _add_fact(g, doc, ex, fact, subject, obj, roles)
        if fact.zone in zone_nodes:
            # The industry a sentence states for a sub-zone: the zone's as well as the region's.
            _add_fact(g, doc, ex, fact, zone_nodes[fact.zone], obj, roles, key="-zone")
    sentences: dict[tuple[int, int], URIRef] = {}
    for index, target in enumerate(ex.targets):
        _add_target(g, doc, ex, target, subject, index, sentences)
    return g


def _sentence_node(g: Graph, doc: URIRef, start: int, end: int, text: str) -> URIRef:
    sentence = URIRef(f"{doc}/sentence/{start}-{end}")
    g.add((sentence, RDF.type, RKG.Sentence))
    g.add((sentence, RDF.value, Literal(text)))
    g.add((sentence, RKG.inDocument, doc))
    g.add((sentence, RKG.charStart, Literal(start, datatype=XSD.integer)))
    g.add((sentence, RKG.charEnd, Literal(end, datatype=XSD.integer)))
    return sentence


def _indicator_node(g: Graph, target) -> URIRef:
    """The target's indicator concept: the scheme's, or a provisional one named as written."""
    if target.concept:
        return URIRef(target.concept)
    return _provisional_concept(g, IDC, RKG.Indicator, target.indicator)


def _provisional_concept(g: Graph, scheme: Namespace, cls: URIRef, name: str) -> URIRef:
    """A concept a document names that ``scheme`` (industries, indicators) lacks: provisional, in its
    document's graph, named by what the plan wrote."""
    node = scheme[f"x-{_key(name)}"]
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, RDF.type, cls))
    g.add((node, SKOS.inScheme, scheme.scheme))
    g.add((node, SKOS.prefLabel, Literal(name, lang="zh")))
    g.add((node, RKG.provisional, Literal(True)))
    return node


def _add_target(g: Graph, doc: URIRef, ex: Extraction, target, subject: URIRef, index: int,
                sentences: dict) -> None:
    """A target or result: the region sets it; its indicator, value (a typed literal), unit,
    comparator, year and kind; its sentence, document and the span that states it."""
    node = URIRef(f"{doc}/target/{index}")
    g.add((subject, RKG.setsTarget, node))
    g.add((node, RDF.type, RKG.Target))
    g.add((node, RKG.indicator, _indicator_node(g, target)))
    g.add((node, RKG.indicatorText, Literal(target.indicator)))
    if target.value is None:
        g.add((node, RKG.masked, Literal(True)))
    else:
        g.add((node, SCHEMA.value, _number(target.value)))
        if target.value_max is not None:
            g.add((node, SCHEMA.minValue, _number(target.value)))
            g.add((node, SCHEMA.maxValue, _number(target.value_max)))
    if target.unit:
        g.add((node, SCHEMA.unitText, Literal(target.unit)))
    if target.comparator:
        g.add((node, RKG.comparator, Literal(target.comparator)))
    if target.year is not None:
        g.add((node, RKG.forYear, Literal(target.year, datatype=XSD.integer)))
    g.add((node, RKG.kind, Literal(target.kind)))
    text = ex.source.text
    key = (target.sentence_start, target.sentence_end)
    sentence = sentences.get(key)
    if sentence is None:  # several targets of one sentence: its node once
        sentence = sentences[key] = _sentence_node(g, doc, *key, text[key[0]:key[1]])
    g.add((node, PROV.wasDerivedFrom, sentence))
    g.add((node, RKG.statedIn, doc))
    g.add((node, RKG.mention, Literal(text[target.start:target.end])))
    g.add((node, RKG.charStart, Literal(target.start, datatype=XSD.integer)))
    g.add((node, RKG.charEnd, Literal(target.end, datatype=XSD.integer)))
    g.add((node, RKG.extractedBy, Literal("target_grammar")))


def _number(value: float) -> Literal:
    """``value`` as a typed literal in the form SPARQL servers keep: a whole number ``xsd:integer``
    (Virtuoso stores a whole ``xsd:decimal`` as one), any other ``xsd:decimal``.

    >>> [_number(v).n3() for v in (100.0, 5.5)]
    ['"100"^^<http://www.w3.org/2001/XMLSchema#integer>', '"5.5"^^<http://www.w3.org/2001/XMLSchema#decimal>']
    """
    d = Decimal(repr(float(value)))
    if d == d.to_integral_value():
        return Literal(int(d), datatype=XSD.integer)
    return Literal(d.normalize(), datatype=XSD.decimal)


def _add_fact(g: Graph, doc: URIRef, ex: Extraction, fact: Fact, subject: URIRef, obj: URIRef,
              roles: dict, key: str = "") -> None:
    """The triple ``subject predicate obj`` and its evidence: a reified statement with the sentence,
    the document, the mention and its offsets, the rule, the confidence and the role."""
    predicate = _PREDICATE[fact.type]
    g.add((subject, predicate, obj))
    sentence = URIRef(f"{doc}/sentence/{fact.sentence.start}-{fact.sentence.end}")
    g.add((sentence, RDF.type, RKG.Sentence))
    g.add((sentence, RDF.value, Literal(fact.sentence.text)))
    g.add((sentence, RKG.inDocument, doc))
    g.add((sentence, RKG.charStart, Literal(fact.sentence.start, datatype=XSD.integer)))
    g.add((sentence, RKG.charEnd, Literal(fact.sentence.end, datatype=XSD.integer)))
    node = URIRef(f"{doc}/fact/{fact.start}-{fact.end}-{fact.type}{key}")
    g.add((node, RDF.type, RDF.Statement))
    g.add((node, RDF.subject, subject))
    g.add((node, RDF.predicate, predicate))
    g.add((node, RDF.object, obj))
    g.add((node, PROV.wasDerivedFrom, sentence))
    g.add((node, RKG.statedIn, doc))
    g.add((node, RKG.mention, Literal(ex.source.text[fact.start:fact.end])))
    g.add((node, RKG.charStart, Literal(fact.start, datatype=XSD.integer)))
    g.add((node, RKG.charEnd, Literal(fact.end, datatype=XSD.integer)))
    g.add((node, RKG.extractedBy, Literal(fact.rule + ("+sub_zone" if key == "-zone" else ""))))
    g.add((node, RKG.confidence, Literal(round(fact.confidence, 3), datatype=XSD.decimal)))
    if fact.role is not None:
        g.add((node, RKG.role, roles[fact.role]))
