"""Projections of the RDF graph to networkx graphs, for the comparison queries.

:func:`to_networkx` turns the stored facts into a :class:`networkx.MultiDiGraph` whose nodes are IRIs
(with ``label``, ``type`` and, for regions, ``kind`` attributes) and whose edges are the relations
between regions and what they plan (``relation`` attribute: ``targets_industry``, ``hosts_project``,
…), each with its ``evidence`` count and, for industries, the ``roles`` plans give it.
:func:`region_industry_graph` is its bipartite region–industry view (``bipartite=0`` regions,
``bipartite=1`` industries), the one networkx's projection and similarity functions run on.

Examples
--------
>>> from rdflib import Graph
>>> G = to_networkx(Graph())
>>> G.number_of_nodes()
0
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph

from ontology import RKG, class_types

__all__ = ["to_networkx", "region_industry_graph", "RELATIONS"]

#: RDF predicate → edge ``relation`` name (one concept, one name: the ontology's, in snake case).
RELATIONS = {
    RKG.targetsIndustry: "targets_industry",
    RKG.hostsProject: "hosts_project",
    RKG.hostsInstitution: "hosts_institution",
    RKG.runsTalentProgramme: "runs_talent_programme",
    RKG.hasPart: "has_part",
    RKG.partOf: "part_of",
    RKG.locatedIn: "located_in",
    RKG.inIndustry: "in_industry",
}

_EDGES = """
SELECT ?s ?p ?o (COUNT(DISTINCT ?fact) AS ?evidence) (GROUP_CONCAT(DISTINCT ?rn; separator=" ") AS ?roles)
WHERE {
  VALUES ?p { %s }
  ?s ?p ?o .
  OPTIONAL { ?fact rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
             OPTIONAL { ?fact rkg:role/skos:notation ?rn } }
} GROUP BY ?s ?p ?o
"""

_NODES = """
SELECT ?x ?class ?label WHERE {
  ?x a ?class .
  FILTER(STRSTARTS(STR(?class), STR(rkg:)))
  OPTIONAL { ?x skos:prefLabel ?label FILTER(LANG(?label) = "zh" || LANG(?label) = "") }
}
"""


def to_networkx(graph) -> nx.MultiDiGraph:
    """Project an RDF graph (or a :class:`graph.store.Store`) to a typed networkx multigraph.

    Parameters
    ----------
    graph : rdflib.Graph, rdflib.Dataset or graph.store.Store
        Anything with a SPARQL ``query`` method over regionkg facts.

    Returns
    -------
    networkx.MultiDiGraph
        Node keys are IRI strings; nodes carry ``label``, ``type`` (region, industry, project,
        institution, talent_programme) and ``kind`` (the class's ``skos:notation``: city, zone,
        research …); edges carry ``relation``, ``evidence`` and ``roles``.
    """
    if not hasattr(graph, "query"):
        raise TypeError(f"expected an rdflib graph or a Store, got {type(graph).__name__}")
    G = nx.MultiDiGraph()
    ns = {"rkg": RKG._NS, "skos": "http://www.w3.org/2004/02/skos/core#",
          "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    values = " ".join(f"<{p}>" for p in RELATIONS)
    for row in graph.query(_EDGES % values, initNs=ns):
        s, p, o = str(row[0]), row[1], str(row[2])
        roles = sorted(set(str(row[4]).split())) if row[4] else []
        G.add_edge(s, o, key=RELATIONS[p], relation=RELATIONS[p], evidence=int(row[3]), roles=roles)
    types = class_types()
    for row in graph.query(_NODES, initNs=ns):
        x = str(row[0])
        if x not in G or row[1] not in types:
            continue
        node_type, kind = types[row[1]]
        attrs = G.nodes[x]
        # The most specific class wins (a research institute over an institution, a zone over a region).
        if attrs.get("kind") in (None, attrs.get("type"), "region", "institution") or node_type == "zone":
            attrs["type"], attrs["kind"] = ("region", "zone") if node_type == "zone" else (node_type, kind)
        if row[2] is not None:
            attrs.setdefault("label", str(row[2]))
    for x, attrs in G.nodes(data=True):
        attrs.setdefault("label", x.rsplit("/", 1)[-1])
        attrs.setdefault("type", "industry" if "/industry/" in x else "other")  # vocabulary concepts
        attrs.setdefault("kind", attrs["type"])
    return G


def region_industry_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The bipartite region–industry graph: an edge per region that targets an industry.

    Edges carry ``evidence`` and ``roles``; regions have ``bipartite=0``, industries ``bipartite=1``.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> _ = M.add_edge("r1", "i1", key="targets_industry", relation="targets_industry", evidence=2, roles=["lead"])
    >>> B = region_industry_graph(M)
    >>> nx.bipartite.is_bipartite(B), B.nodes["r1"]["bipartite"], B["r1"]["i1"]["evidence"]
    (True, 0, 2)
    """
    B = nx.Graph()
    for s, o, data in G.edges(data=True):
        if data.get("relation") != "targets_industry":
            continue
        B.add_node(s, bipartite=0, **{k: v for k, v in G.nodes[s].items() if k != "bipartite"})
        B.add_node(o, bipartite=1, **{k: v for k, v in G.nodes[o].items() if k != "bipartite"})
        B.add_edge(s, o, evidence=data.get("evidence", 1), roles=data.get("roles", []))
    return B
