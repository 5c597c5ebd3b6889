"""Write the subgraph behind an answer: RDF from the store, or GraphML / GEXF for Gephi.

The suffix of the file decides the format (:data:`FORMATS`). RDF (``.ttl``, ``.nt``, ``.jsonld``) is
taken from the store: the labels and types of the answer's nodes, the relations among them, and
every fact (``rdf:Statement``) between two of them with its sentence and document — so the file
keeps its evidence. GraphML and GEXF are written by networkx from the view, restricted to the
answer's nodes; list attributes are joined with ``"; "`` and missing values left out, so the files
load in Gephi. Every text written is cleaned of the characters XML 1.0 cannot hold
(:mod:`ontology.chars`: control characters, lone surrogates, ``\\ufffe``), in every format: ingest
keeps them out of the graph, and this keeps them out of a file should a graph hold one anyway, so
each file reads back (networkx, rdflib).

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> G = nx.MultiDiGraph()
>>> _ = G.add_edge("A", "i", key="targets_industry", relation="targets_industry", evidence=2, roles=["lead", "emerging"])
>>> out = pathlib.Path(tempfile.mkdtemp()) / "answer.graphml"
>>> export(G, {"A", "i"}, out)
2
>>> [roles for *_, roles in nx.read_graphml(out).edges(data="roles")]
['lead; emerging']
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import Graph, Literal

from graph.store import sparql_iri
from graph.views import RELATIONS
from ontology import bind_prefixes
from ontology.chars import NOT_XML, xml_chars

__all__ = ["FORMATS", "export", "subgraph", "to_rdf"]

#: File suffix → format name (an rdflib serializer, or a networkx writer).
FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".graphml": "graphml", ".gexf": "gexf"}

_NODE_FACTS = """
CONSTRUCT { ?x ?p ?o } WHERE {
  VALUES ?x { %s }
  ?x ?p ?o .
  FILTER(?p IN (rdf:type, skos:prefLabel, skos:altLabel, skos:inScheme, skos:topConceptOf, skos:notation,
                rkg:zoneType, rkg:divisionCode, rkg:provisional, rkg:anonymised))
}"""

_LINKS = """
SELECT ?x ?p ?y WHERE {
  VALUES ?x { %s }
  ?x ?p ?y . FILTER(isIRI(?y))
  FILTER(?p IN (%s, skos:broader))
}"""

_FACTS = """
SELECT DISTINCT ?f ?o WHERE { VALUES ?s { %s } ?f a rdf:Statement ; rdf:subject ?s ; rdf:object ?o }"""

_EVIDENCE = """
CONSTRUCT { ?f ?fp ?fo . ?sent ?sp ?so . ?doc ?dp ?do } WHERE {
  VALUES ?f { %s }
  { ?f ?fp ?fo }
  UNION { ?f prov:wasDerivedFrom ?sent . ?sent ?sp ?so }
  UNION { ?f rkg:statedIn ?doc . ?doc ?dp ?do
          FILTER(?dp IN (rdf:type, dcterms:title, rkg:fileName, rkg:planYear, rkg:subjectRegion)) }
}"""


def _nodes(answer) -> list[str]:
    return sorted(answer.nodes if hasattr(answer, "nodes") and not isinstance(answer, nx.Graph) else answer)


def subgraph(G: nx.MultiDiGraph, answer) -> nx.MultiDiGraph:
    """The view restricted to an answer's nodes (a :class:`graph.table.Table` or a set of IRIs),
    as a new graph whose attributes GraphML and GEXF can hold: no None, lists and dicts joined,
    texts with only characters XML can hold.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("A", years=[2018, 2020], zone_type=None, label="嘉兴\x07研究院")
    >>> subgraph(G, {"A"}).nodes["A"]
    {'years': '2018; 2020', 'label': '嘉兴研究院'}
    """
    H = nx.MultiDiGraph(G.subgraph([n for n in _nodes(answer) if n in G]))
    H.graph = {}
    for _, attrs in list(H.nodes(data=True)) + [(None, d) for *_, d in H.edges(keys=True, data=True)]:
        for key, value in list(attrs.items()):
            if value is None:
                del attrs[key]
            elif isinstance(value, (list, tuple, set)):
                attrs[key] = "; ".join(str(v) for v in value)
            elif isinstance(value, dict):
                attrs[key] = "; ".join(f"{k}: {v}" for k, v in value.items())
            if isinstance(attrs.get(key), str):
                attrs[key] = xml_chars(attrs[key])
    unsafe = {n: xml_chars(n, "\ufffd") for n in H if isinstance(n, str) and NOT_XML.search(n)}
    return nx.relabel_nodes(H, unsafe) if unsafe else H


def to_rdf(store, answer, *, chunk: int = 400) -> Graph:
    """The RDF behind an answer's nodes, from the store: their labels and types, the relations among
    them, and each fact between two of them with its sentence and document.
    """
    nodes = _nodes(answer)
    inside = set(nodes)
    g = bind_prefixes(Graph())
    predicates = ", ".join(sparql_iri(p) for p in RELATIONS)
    facts = set()
    for k in range(0, len(nodes), chunk):
        values = " ".join(sparql_iri(n) for n in nodes[k:k + chunk])
        for triple in store.query(_NODE_FACTS % values):
            g.add(triple)
        for x, p, y in store.query(_LINKS % (values, predicates)):
            if str(y) in inside:
                g.add((x, p, y))
        facts |= {f for f, o in store.query(_FACTS % values) if str(o) in inside}
    facts = sorted(facts)
    for k in range(0, len(facts), chunk):
        for triple in store.query(_EVIDENCE % " ".join(sparql_iri(f) for f in facts[k:k + chunk])):
            g.add(triple)
    return _xml_literals(g)


def _xml_literals(g: Graph) -> Graph:
    """``g`` with every literal cleaned of characters XML cannot hold (in place)."""
    unsafe = [(s, p, o) for s, p, o in g if isinstance(o, Literal) and NOT_XML.search(str(o))]
    for s, p, o in unsafe:
        g.remove((s, p, o))
        g.add((s, p, Literal(xml_chars(str(o)), lang=o.language, datatype=o.datatype)))
    return g


def export(G: nx.MultiDiGraph, answer, path, *, store=None) -> int:
    """Write the subgraph behind ``answer`` (a Table or a set of IRIs) to ``path``; its suffix says how.

    Returns
    -------
    int
        The number of nodes written (GraphML, GEXF) or of triples (RDF).

    Raises
    ------
    ValueError
        For an unknown suffix (the message lists the known ones), or RDF asked for without a store.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot export to {path.name!r}: unknown suffix; known: {', '.join(FORMATS)}")
    if fmt in ("graphml", "gexf"):
        H = subgraph(G, answer)
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(H, path)
        return H.number_of_nodes()
    if store is None:
        raise ValueError(f"exporting {path.name!r} as RDF needs the store")
    g = to_rdf(store, answer)
    g.serialize(destination=str(path), format=fmt, encoding="utf-8")
    return len(g)
