"""Projections of the RDF graph to networkx graphs, for the comparison queries.

:func:`to_networkx` turns the stored facts into a :class:`networkx.MultiDiGraph` whose nodes are IRIs
(with ``label``, ``aliases``, ``type``, ``kind`` and, for regions, ``province``, ``city``, ``zone_type``,
``years`` and ``subject`` attributes) and whose edges are the relations between regions and what they
plan (``relation`` attribute: ``targets_industry``, ``hosts_project``, …), each with its ``evidence``
count, the plan ``years`` that state it and, for industries, the ``roles`` plans give it; ``broader``
edges carry the industry hierarchy. :func:`region_industry_graph` is its bipartite region–industry
view (``bipartite=0`` regions, ``bipartite=1`` industries, at the stated or the broad level), the one
the comparison queries run on. :data:`cached_view` builds the view of a store once per content.

Examples
--------
>>> from rdflib import Graph
>>> G = to_networkx(Graph())
>>> G.number_of_nodes()
0
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import networkx as nx

from graph.taxonomy import BROADER, check_level, roll_up
from ontology import IND, RKG, class_types

__all__ = ["to_networkx", "region_industry_graph", "region_industry_view", "cached_view", "memoized",
           "RELATIONS"]

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
       (GROUP_CONCAT(DISTINCT ?yn; separator=" ") AS ?years)
WHERE {
  VALUES ?p { %s }
  ?s ?p ?o .
  OPTIONAL { ?fact rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
             OPTIONAL { ?fact rkg:role/skos:notation ?role }
             OPTIONAL { ?fact rkg:statedIn/rkg:planYear ?year } }
  # Bound to "" when missing: rdflib's own engine cannot GROUP_CONCAT unbound values.
  BIND(COALESCE(STR(?role), "") AS ?rn)
  BIND(COALESCE(STR(?year), "") AS ?yn)
} GROUP BY ?s ?p ?o
"""

# DISTINCT: the union of the document graphs repeats a node's triples once per document (Oxigraph
# and Virtuoso alike); only the classes of entities (not sentences, documents or statements).
_NODES = """
SELECT DISTINCT ?x ?class ?label WHERE {
  VALUES ?class { %s }
  ?x a ?class .
  OPTIONAL { ?x skos:prefLabel ?label FILTER(LANG(?label) = "zh" || LANG(?label) = "") }
}
"""

# The industry hierarchy: every skos:broader of the scheme (vocabulary and provisional concepts of
# documents alike), and its top concepts. Only the ancestors of industries in the view are added.
_BROADER = """
SELECT DISTINCT ?c ?b ?top WHERE {
  { ?c skos:inScheme ind:scheme ; skos:broader ?b }
  UNION { ?top skos:topConceptOf ind:scheme } UNION { ind:scheme skos:hasTopConcept ?top }
}
"""

_NAMES = """
SELECT DISTINCT ?x ?alias WHERE { ?x skos:altLabel ?alias FILTER(LANG(?alias) = "zh" || LANG(?alias) = "") }
"""

# Zone types (with their other names, for filters) and the plan years of each subject region.
_REGIONS = """
SELECT DISTINCT ?r ?ztype ?zlabel ?doc ?year ?zt ?zalias WHERE {
  { ?r rkg:zoneType ?ztype . OPTIONAL { ?ztype skos:prefLabel ?zlabel FILTER(LANG(?zlabel) = "zh") } }
  UNION { ?doc rkg:subjectRegion ?r . OPTIONAL { ?doc rkg:planYear ?year } }
  UNION { ?zt a rkg:ZoneType ; skos:altLabel ?zalias }
}
"""

_NS = {"rkg": RKG._NS, "skos": "http://www.w3.org/2004/02/skos/core#",
       "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "ind": str(IND)}


def to_networkx(graph) -> nx.MultiDiGraph:
    """Project an RDF graph (or a :class:`graph.store.Store`) to a typed networkx multigraph.

    Parameters
    ----------
    graph : rdflib.Graph, rdflib.Dataset or graph.store.Store
        Anything with a SPARQL ``query`` method over regionkg facts.

    Returns
    -------
    networkx.MultiDiGraph
        Node keys are IRI strings; nodes carry ``label``, ``aliases`` (its ``skos:altLabel`` names),
        ``type`` (region, industry, project, institution, talent_programme) and ``kind`` (the
        class's ``skos:notation``: city, zone, research …). Regions also carry ``province`` and
        ``city`` (labels, read up the ``part_of``/``located_in`` chain; a city is its own city),
        ``zone_type`` (label), ``years`` (plan years of the documents about it) and ``subject``
        (True if a document has it as subject region); industries that are top concepts of the
        industry scheme carry ``top=True``. Edges carry ``relation``, ``evidence`` (the number of
        facts stating them), ``roles`` and ``years`` (plan years of those facts' documents);
        ``broader`` edges lead from each industry to its broader concepts, up to the top.
        ``G.graph["zone_types"]`` maps every name of a zone type to its label.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...   @prefix rkg: <https://w3id.org/regionkg/ontology#> .
    ...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...   <r> a rkg:City ; skos:prefLabel "淄博市"@zh ; skos:altLabel "淄博"@zh ; rkg:targetsIndustry <i> .
    ...   <d> rkg:subjectRegion <r> ; rkg:planYear 2018 .''', publicID="http://x/")
    >>> G = to_networkx(g)
    >>> r = G.nodes["http://x/r"]
    >>> r["label"], r["aliases"], r["kind"], r["city"], r["years"], r["subject"]
    ('淄博市', ['淄博'], 'city', '淄博市', [2018], True)
    """
    if not hasattr(graph, "query"):
        raise TypeError(f"expected an rdflib graph or a Store, got {type(graph).__name__}")
    G = nx.MultiDiGraph()
    values = " ".join(f"<{p}>" for p in RELATIONS)
    for row in graph.query(_EDGES % values, initNs=_NS):
        s, p, o = str(row[0]), row[1], str(row[2])
        roles = sorted(set(str(row[4]).split())) if row[4] else []
        years = sorted({int(y) for y in str(row[5]).split()}) if row[5] else []
        G.add_edge(s, o, key=RELATIONS[p], relation=RELATIONS[p], evidence=int(row[3]), roles=roles,
                   years=years)
    _add_hierarchy(G, graph)
    types = class_types()
    classes = " ".join(f"<{c}>" for c in sorted(types))
    for row in graph.query(_NODES % classes, initNs=_NS):
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
    aliases: dict[str, set] = {}
    for x, alias in graph.query(_NAMES, initNs=_NS):
        if str(x) in G:
            aliases.setdefault(str(x), set()).add(str(alias))
    for x, attrs in G.nodes(data=True):
        attrs.setdefault("label", x.rsplit("/", 1)[-1])
        attrs.setdefault("type", "industry" if "/industry/" in x else "other")  # vocabulary concepts
        attrs.setdefault("kind", attrs["type"])
        attrs["aliases"] = sorted(aliases.get(x, set()) - {attrs["label"]})
    _add_region_attributes(G, graph)
    return G


def _add_hierarchy(G: nx.MultiDiGraph, graph) -> None:
    """Add ``broader`` edges from the industries of ``G`` up to the top concepts; mark the tops."""
    broader: dict[str, list[str]] = {}
    tops = set()
    for c, b, top in graph.query(_BROADER, initNs=_NS):
        if top is not None:
            tops.add(str(top))
        else:
            broader.setdefault(str(c), []).append(str(b))
    todo = [n for n in G if n in broader or n in tops]
    seen = set(todo)
    while todo:
        c = todo.pop()
        if c in tops:
            G.nodes[c]["top"] = True
            continue  # the roll-up stops at a top concept
        for b in broader.get(c, ()):
            G.add_edge(c, b, key=BROADER, relation=BROADER, evidence=0, roles=[], years=[])
            if b not in seen:
                seen.add(b)
                todo.append(b)


def _add_region_attributes(G: nx.MultiDiGraph, graph) -> None:
    zone_types: dict[str, str] = {}
    zone_aliases: list[tuple[str, str]] = []
    years: dict[str, set] = {}
    subjects = set()
    for r, ztype, zlabel, doc, year, zt, zalias in graph.query(_REGIONS, initNs=_NS):
        if zt is not None:
            zone_aliases.append((str(zt), str(zalias)))
        elif ztype is not None:
            label = str(zlabel) if zlabel is not None else str(ztype).rsplit("/", 1)[-1]
            zone_types[str(ztype)] = label
            if str(r) in G:
                G.nodes[str(r)]["zone_type"] = label
        elif doc is not None and str(r) in G:
            subjects.add(str(r))
            if year is not None:
                years.setdefault(str(r), set()).add(int(year))
    G.graph["zone_types"] = {**{a: zone_types[t] for t, a in zone_aliases if t in zone_types},
                             **{label: label for label in zone_types.values()},
                             **{t.rsplit("/", 1)[-1]: label for t, label in zone_types.items()}}
    for x, attrs in G.nodes(data=True):
        if attrs["type"] != "region":
            continue
        attrs.setdefault("zone_type", None)
        attrs["years"] = sorted(years.get(x, ()))
        attrs["subject"] = x in subjects
        attrs["province"], attrs["city"] = _containers(G, x)


def _containers(G: nx.MultiDiGraph, region: str) -> tuple[str | None, str | None]:
    """The labels of the province and the city a region lies in (itself if it is one)."""
    found = {"province": None, "city": None}
    todo, seen = [region], {region}
    while todo:
        x = todo.pop(0)
        kind = G.nodes[x].get("kind")
        if kind in found and found[kind] is None:
            found[kind] = G.nodes[x].get("label")
        for _, parent, relation in G.out_edges(x, keys=True):
            if relation in ("part_of", "located_in") and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return found["province"], found["city"]


def region_industry_graph(G: nx.MultiDiGraph, level: str = "stated") -> nx.Graph:
    """The bipartite region–industry graph: an edge per region that targets an industry.

    Regions have ``bipartite=0``, industries ``bipartite=1``. At ``level="broad"`` the industries
    are rolled up to the top concepts of the scheme (:func:`graph.taxonomy.roll_up`): a region's
    edge to a top concept sums the ``evidence`` of the industries it targets under it and joins
    their ``roles`` and ``years``; ``stated`` lists those industries (itself at the stated level).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`to_networkx`; it is not changed.
    level : {"stated", "broad"}

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> _ = M.add_edge("r1", "i1", key="targets_industry", relation="targets_industry", evidence=2, roles=["lead"])
    >>> B = region_industry_graph(M)
    >>> nx.bipartite.is_bipartite(B), B.nodes["r1"]["bipartite"], B["r1"]["i1"]["evidence"]
    (True, 0, 2)
    >>> _ = M.add_edge("r1", "i2", key="targets_industry", relation="targets_industry", evidence=1, roles=[])
    >>> _ = M.add_edge("i1", "top", key="broader", relation="broader")
    >>> _ = M.add_edge("i2", "top", key="broader", relation="broader")
    >>> nx.set_node_attributes(M, {"i1": "industry", "i2": "industry", "top": "industry"}, "type")
    >>> B = region_industry_graph(M, level="broad")
    >>> B["r1"]["top"]["evidence"], B["r1"]["top"]["stated"]
    (3, ['i1', 'i2'])
    """
    up = roll_up(G, check_level(level))
    B = nx.Graph()
    for s, o, data in G.edges(data=True):
        if data.get("relation") != "targets_industry":
            continue
        if s not in B:
            B.add_node(s, bipartite=0, **{k: v for k, v in G.nodes[s].items() if k != "bipartite"})
        for c in up.get(o, (o,)):
            if c not in B:
                B.add_node(c, bipartite=1, **{k: v for k, v in G.nodes[c].items() if k != "bipartite"})
            if B.has_edge(s, c):
                e = B[s][c]
                e["evidence"] += data.get("evidence", 1)
                e["roles"] = sorted(set(e["roles"]) | set(data.get("roles", [])))
                e["years"] = sorted(set(e["years"]) | set(data.get("years", [])))
                e["stated"] = sorted({*e["stated"], o})
            else:
                B.add_edge(s, c, evidence=data.get("evidence", 1), roles=list(data.get("roles", [])),
                           years=list(data.get("years", [])), stated=[o])
    return B


def region_industry_view(G: nx.MultiDiGraph, level: str = "stated") -> nx.Graph:
    """:func:`region_industry_graph`, built once per view and level and shared: do not change it.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> _ = M.add_edge("r1", "i1", key="targets_industry", relation="targets_industry", evidence=2)
    >>> region_industry_view(M) is region_industry_view(M)
    True
    """
    return memoized(G, ("region_industry", check_level(level)), lambda: region_industry_graph(G, level))


def memoized(G: nx.Graph, key, build):
    """``build()``, computed once per graph ``G`` and ``key``; for derived data of ``graph/`` queries.

    The value is kept in networkx's own per-graph cache (``G.__networkx_cache__``), which networkx
    clears whenever nodes or edges are added or removed. Changing attributes in place does not clear
    it (as for networkx's own caches): treat a view as read-only, and callers must not change the
    value returned.

    Examples
    --------
    >>> G = nx.Graph([(1, 2)])
    >>> memoized(G, "n", G.number_of_nodes), memoized(G, "n", lambda: -1)
    (2, 2)
    >>> G.add_edge(2, 3)
    >>> memoized(G, "n", G.number_of_nodes)
    3
    """
    cache = getattr(G, "__networkx_cache__", None)
    if cache is None:
        return build()
    mine = cache.setdefault("regionkg", {})
    if key not in mine:
        mine[key] = build()
    return mine[key]


class _ViewCache:
    """The networkx view of each store content, built once: see :data:`cached_view`."""

    def __init__(self, maxsize: int = 4):
        self.maxsize = maxsize
        self._views: OrderedDict[str, nx.MultiDiGraph] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __call__(self, store) -> nx.MultiDiGraph:
        key = store.fingerprint()
        with self._lock:
            if key in self._views:
                self.hits += 1
                self._views.move_to_end(key)
                return self._views[key]
        G = to_networkx(store)
        with self._lock:
            self.misses += 1
            self._views[key] = G
            while len(self._views) > self.maxsize:
                self._views.popitem(last=False)
        return G

    def cache_info(self) -> dict:
        """``hits``, ``misses`` (views built) and ``size`` (views kept)."""
        return {"hits": self.hits, "misses": self.misses, "size": len(self._views)}

    def cache_clear(self) -> None:
        """Forget every view."""
        with self._lock:
            self._views.clear()
            self.hits = self.misses = 0


#: ``cached_view(store)``: :func:`to_networkx` of ``store``, built once and rebuilt only when the
#: store changes (keyed on :meth:`graph.store.Store.fingerprint`, one SPARQL query). The few most
#: recent views are kept; the view returned is shared, so do not change it.
cached_view = _ViewCache()
