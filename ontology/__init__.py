"""The regionkg ontology and vocabularies, read from the Turtle files beside this module.

The Turtle files are the single source of truth: ``regionkg.ttl`` (classes and properties),
``industries.ttl`` (the SKOS scheme of industries), ``indicators.ttl`` (the SKOS scheme of the
indicators of targets), ``zones.ttl`` (zone types and known national
zones) and ``shapes.ttl`` (SHACL shapes). Python reads them and never repeats them; the namespace
class :class:`RKG` is checked against ``regionkg.ttl`` by a test.

Examples
--------
>>> from ontology import RKG, load
>>> str(RKG.targetsIndustry)
'https://w3id.org/regionkg/ontology#targetsIndustry'
>>> from rdflib import RDF, OWL
>>> (RKG.Region, RDF.type, OWL.Class) in load("regionkg")
True
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace

from ontology.namespace import RKG

__all__ = [
    "RKG",
    "IND",
    "ZT",
    "RGN",
    "IDC",
    "BASE",
    "ONTOLOGY_DIR",
    "VOCABULARY_FILES",
    "load",
    "vocabulary",
    "shapes",
    "bind_prefixes",
    "ENTITY_CLASSES",
    "class_types",
]

ONTOLOGY_DIR = Path(__file__).resolve().parent

BASE = "https://w3id.org/regionkg/"
IND = Namespace(BASE + "industry/")
ZT = Namespace(BASE + "zone-type/")
RGN = Namespace(BASE + "region/")
IDC = Namespace(BASE + "indicator/")

#: The vocabulary files that are loaded into every store (``shapes`` is for validation only).
VOCABULARY_FILES = ("regionkg", "industries", "zones", "indicators")

_PREFIXES = {
    "rkg": str(RKG),
    "ind": str(IND),
    "zt": str(ZT),
    "rgn": str(RGN),
    "idc": str(IDC),
    "doc": BASE + "doc/",
    "ent": BASE + "entity/",
    "fact": BASE + "fact/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
}


def bind_prefixes(graph):
    """Bind regionkg's prefixes on ``graph`` (a Graph or Dataset) and return it.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = bind_prefixes(Graph())
    >>> str(dict(g.namespaces())["rkg"]) == str(RKG._NS)
    True
    """
    for prefix, iri in _PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


@lru_cache(maxsize=None)
def _load_cached(name: str) -> Graph:
    path = ONTOLOGY_DIR / f"{name}.ttl"
    if not path.is_file():
        known = sorted(p.stem for p in ONTOLOGY_DIR.glob("*.ttl"))
        raise ValueError(f"unknown ontology file {name!r}; known: {', '.join(known)}")
    graph = bind_prefixes(Graph())
    graph.parse(path, format="turtle")
    return graph


def load(name: str) -> Graph:
    """Return the parsed Turtle file ``ontology/<name>.ttl`` (cached; do not mutate it).

    Raises
    ------
    ValueError
        If there is no such file; the message lists the known names.

    Examples
    --------
    >>> len(load("industries")) > 100
    True
    >>> load("nonsense")
    Traceback (most recent call last):
    ...
    ValueError: unknown ontology file 'nonsense'; known: ...
    """
    return _load_cached(name)


@lru_cache(maxsize=1)
def vocabulary() -> Graph:
    """Return one graph holding every file of :data:`VOCABULARY_FILES` (cached; do not mutate).

    Examples
    --------
    >>> g = vocabulary()
    >>> from rdflib import RDF, OWL
    >>> (RKG.Region, RDF.type, OWL.Class) in g
    True
    """
    graph = bind_prefixes(Graph())
    for name in VOCABULARY_FILES:
        graph += load(name)
    return graph


#: The node type of each top class of the graph (one name per concept: the same names in the
#: pipeline, the gold format, the networkx views and the app). A subclass has its top class's
#: type, and its own ``skos:notation`` as its kind (rkg:ResearchInstitute → institution, research).
ENTITY_CLASSES = {
    "Region": "region",
    "Industry": "industry",
    "Zone": "zone",
    "Project": "project",
    "Institution": "institution",
    "TalentProgramme": "talent_programme",
    "PlanDocument": "document",
}


@lru_cache(maxsize=1)
def class_types() -> dict:
    """Map every class of regionkg.ttl below a top class to ``(type, kind)``.

    Zones are regions whose type is ``zone``; the most specific top class wins.

    Examples
    --------
    >>> class_types()[RKG.ResearchInstitute]
    ('institution', 'research')
    >>> class_types()[RKG.City]
    ('region', 'city')
    """
    from rdflib import RDFS, SKOS

    graph = load("regionkg")
    out = {}
    # Broad classes first, so that Zone (a Region) ends as a zone.
    for local, node_type in ENTITY_CLASSES.items():
        top = RKG[local]
        for cls in graph.transitive_subjects(RDFS.subClassOf, top):
            notation = next(graph.objects(cls, SKOS.notation), None)
            out[cls] = (node_type, str(notation) if notation is not None else node_type)
    return out


def shapes() -> Graph:
    """Return the SHACL shapes of ``ontology/shapes.ttl``."""
    return load("shapes")
