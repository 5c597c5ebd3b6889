"""Projections of the RDF graph to networkx graphs, for the comparison queries.

:func:`to_networkx` turns the stored facts into a :class:`networkx.MultiDiGraph` whose nodes are IRIs
(with ``label``, ``aliases``, ``type``, ``kind`` and, for regions, ``province``, ``city``, ``zone_type``,
``years`` and ``subject`` attributes) and whose edges are the relations between regions and what they
plan (``relation`` attribute: ``targets_industry``, ``hosts_project``, …), each with its ``evidence``
count, the plan ``years`` that state it (with ``evidence_by_year`` and ``roles_by_year``) and, for
industries, the ``roles`` plans give it; ``broader`` edges carry the industry hierarchy.
:func:`region_industry_graph` is its bipartite region–industry view (``bipartite=0`` regions,
``bipartite=1`` industries, at the stated or the broad level, over every plan year or in one), the
one the comparison queries run on. :data:`cached_view` builds the view of a store once per content.

Examples
--------
>>> from rdflib import Graph
>>> G = to_networkx(Graph())
>>> G.number_of_nodes()
0
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections import OrderedDict

import networkx as nx

from graph.taxonomy import BROADER, check_level, roll_up
from ontology import IND, RKG, class_types

__all__ = ["to_networkx", "region_industry_graph", "region_industry_view", "in_year", "cached_view",
           "kept_view", "view_key", "refresh", "memoized", "RELATIONS"]

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

# Counted per plan year in a subquery (each fact is stated in one document, of one plan year), then
# summed: the edge's ``evidence``, and ``evidence_by_year`` and ``roles_by_year`` from the
# "year:count:role,role" triples.
_EDGES = """
SELECT ?s ?p ?o (SUM(?n) AS ?evidence) (GROUP_CONCAT(?rs; separator=",") AS ?roles)
       (GROUP_CONCAT(?yc; separator=" ") AS ?years)
WHERE {
  { SELECT ?s ?p ?o ?yn (COUNT(DISTINCT ?fact) AS ?n) (GROUP_CONCAT(DISTINCT ?rn; separator=",") AS ?rs)
    WHERE {
      VALUES ?p { %s }
      ?s ?p ?o .
      OPTIONAL { ?fact rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                 OPTIONAL { ?fact rkg:role/skos:notation ?role }
                 OPTIONAL { ?fact rkg:statedIn/rkg:planYear ?year } }
      # Bound to "" when missing: rdflib's own engine cannot GROUP_CONCAT unbound values.
      BIND(COALESCE(STR(?role), "") AS ?rn)
      BIND(COALESCE(STR(?year), "") AS ?yn)
    } GROUP BY ?s ?p ?o ?yn }
  BIND(IF(?yn = "" || ?n = 0, "", CONCAT(?yn, ":", STR(?n), ":", ?rs)) AS ?yc)
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
SELECT DISTINCT ?r ?ztype ?zlabel ?doc ?year ?zt ?zalias ?period WHERE {
  { ?r rkg:zoneType ?ztype . OPTIONAL { ?ztype skos:prefLabel ?zlabel FILTER(LANG(?zlabel) = "zh") } }
  UNION { ?doc rkg:subjectRegion ?r . OPTIONAL { ?doc rkg:planYear ?year }
          OPTIONAL { ?doc schema:temporalCoverage ?period } }
  UNION { ?zt a rkg:ZoneType ; skos:altLabel ?zalias }
}
"""

_NS = {"rkg": RKG._NS, "skos": "http://www.w3.org/2004/02/skos/core#",
       "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "ind": str(IND), "schema": "https://schema.org/"}


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
        ``zone_type`` (label), ``years`` (plan years of the documents about it), ``periods`` (the
        first year → the last of each multi-year plan about it: {2021: 2025}) and ``subject``
        (True if a document has it as subject region); industries that are top concepts of the
        industry scheme carry ``top=True``. Edges carry ``relation``, ``evidence`` (the number of
        facts stating them), ``roles`` and ``years`` (plan years of those facts' documents),
        ``evidence_by_year`` (plan year → facts stated in documents of that year; facts of a document
        without a plan year count in ``evidence`` only) and ``roles_by_year`` (plan year → roles);
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
    >>> e = G.edges["http://x/r", "http://x/i", "targets_industry"]
    >>> e["evidence"], e["years"], e["evidence_by_year"]  # a plain triple, no fact states it
    (0, [], {})
    """
    if not hasattr(graph, "query"):
        raise TypeError(f"expected an rdflib graph or a Store, got {type(graph).__name__}")
    aggregate = getattr(graph, "aggregate", None)
    rows = _aggregate_rows(graph, aggregate) if aggregate is not None else _sparql_rows(graph)
    return _assemble(rows)


def _sparql_rows(graph) -> dict:
    """The rows of the view from the store's triples, by the SPARQL queries above."""
    values = " ".join(f"<{p}>" for p in RELATIONS)
    edges = []
    for row in graph.query(_EDGES % values, initNs=_NS):
        if row[0] is None:
            continue  # rdflib's engine answers an empty group with one unbound row
        roles = sorted(set(str(row[4]).split(",")) - {""}) if row[4] else []
        by_year, roles_by_year = _by_year(str(row[5]) if row[5] else "")
        edges.append((str(row[0]), str(row[1]), str(row[2]), int(row[3] or 0), roles, by_year, roles_by_year))
    broader: dict[str, list[str]] = {}
    tops = set()
    for c, b, top in graph.query(_BROADER, initNs=_NS):
        if top is not None:
            tops.add(str(top))
        else:
            broader.setdefault(str(c), []).append(str(b))
    classes = " ".join(f"<{c}>" for c in sorted(class_types()))
    nodes = [(str(x), str(c), None if label is None else str(label))
             for x, c, label in graph.query(_NODES % classes, initNs=_NS)]
    aliases = [(str(x), str(alias)) for x, alias in graph.query(_NAMES, initNs=_NS)]
    regions = [tuple(None if v is None else str(v) for v in row) for row in graph.query(_REGIONS, initNs=_NS)]
    return {"edges": edges, "broader": broader, "tops": tops, "nodes": nodes, "aliases": aliases,
            "regions": regions}


def _aggregate_rows(store, aggregate, keys: dict | None = None, touching=None) -> dict:
    """The rows of the view from the store's aggregate (:mod:`graph.aggregate`), brought up to date
    first: the same rows as :func:`_sparql_rows`, without reading a fact.

    ``keys``: the store's graph keys (:meth:`graph.store.StoreBase.graph_keys`), if already read;
    ``touching``: only the rows that graphs being added touch (see :func:`refresh`)."""
    keys = store.graph_keys() if keys is None else keys
    aggregate.sync(store, keys)
    got = aggregate.view_rows(keys, touching)
    notation = dict(got["notations"])
    merged: dict[tuple, list] = {}
    for s, p, o, year, n, roles in got["edges"]:
        entry = merged.setdefault((s, p, o), [0, set(), {}, {}])
        if n is None:
            continue
        named = {notation[r] for r in (roles or "").split(",") if r in notation}
        entry[0] += n
        entry[1] |= named
        if year is not None and n:
            entry[2][year] = entry[2].get(year, 0) + n
            entry[3].setdefault(year, set()).update(named)
    edges = [(s, p, o, n, sorted(roles), dict(sorted(by_year.items())),
              {y: sorted(r) for y, r in sorted(by_role.items()) if r})
             for (s, p, o), (n, roles, by_year, by_role) in merged.items()]
    broader: dict[str, list[str]] = {}
    for c, b in got["broader"]:
        broader.setdefault(c, []).append(b)
    labels = dict(got["labels"])
    nodes = [(x, c, labels.get(x)) for x, c in got["nodes"]]
    zone_type = str(RKG.ZoneType)
    zone_types = {x for x, c in got["nodes"] if c == zone_type}
    aliases = [(x, a) for x, a, lang in got["aliases"] if lang in ("zh", "")]
    regions = [(r, t, labels.get(t), None, None, None, None, None) for r, t in got["zone_types"]]
    regions += [(r, None, None, d, None if y is None else str(y), None, None, period)
                for d, r, y, period in got["documents"]]
    regions += [(None, None, None, None, None, x, a, None) for x, a, _ in got["aliases"] if x in zone_types]
    out = {"edges": edges, "broader": broader, "tops": {c for (c,) in got["tops"]}, "nodes": nodes,
           "aliases": aliases, "regions": regions}
    if "touched" in got:
        out["touched"] = {x for (x,) in got["touched"]}
    return out


def refresh(G: nx.MultiDiGraph, store, keys: dict, added) -> nx.MultiDiGraph:
    """Update the view ``G`` of a store in place for graphs ``added`` to it since ``G`` was built:
    only the links and nodes those graphs name are read again (from the store's aggregate), so a
    new document costs the view its own size, not a rebuild. Returns ``G``; it equals the view
    :func:`to_networkx` builds of the store now.

    ``keys``: the store's graph keys now (:meth:`graph.store.StoreBase.graph_keys`), holding ``added``
    and every graph ``G`` was built from, unchanged (a graph removed or written again needs a new
    view). Derived views memoized on ``G`` (:func:`memoized`) are dropped.
    """
    if store.aggregate is None:
        raise ValueError("the store keeps no aggregate: build the view with to_networkx")
    rows = _aggregate_rows(store, store.aggregate, keys, touching=list(added))
    _assemble(rows, G)
    G.__networkx_cache__.clear()
    return G


def _assemble(rows: dict, G: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """The view from its rows (:func:`_sparql_rows` or :func:`_aggregate_rows`); with ``G``, the
    update of ``G`` by the rows of the nodes and links some graphs touch (``rows["touched"]``)."""
    touched = rows.get("touched")
    if G is None:
        G = nx.MultiDiGraph()
    else:  # what is read again of a touched node starts afresh
        for x in touched:
            if x in G:
                attrs = G.nodes[x]
                for name in ("type", "kind", "label", "aliases", "zone_type", "years", "periods", "subject"):
                    attrs.pop(name, None)
    relation_of = {str(p): name for p, name in RELATIONS.items()}
    for s, p, o, evidence, roles, by_year, roles_by_year in rows["edges"]:
        G.add_edge(s, o, key=relation_of[p], relation=relation_of[p], evidence=evidence, roles=roles,
                   years=sorted(by_year), evidence_by_year=by_year, roles_by_year=roles_by_year)
    _add_hierarchy(G, rows["broader"], rows["tops"])
    types = {str(c): t for c, t in class_types().items()}
    for x, c, label in rows["nodes"]:
        if x not in G or c not in types:
            continue
        node_type, kind = types[c]
        attrs = G.nodes[x]
        # The most specific class wins (a research institute over an institution, a zone over a region).
        if attrs.get("kind") in (None, attrs.get("type"), "region", "institution") or node_type == "zone":
            attrs["type"], attrs["kind"] = ("region", "zone") if node_type == "zone" else (node_type, kind)
        if label is not None:
            attrs.setdefault("label", label)
    aliases: dict[str, set] = {}
    for x, alias in rows["aliases"]:
        if x in G:
            aliases.setdefault(x, set()).add(alias)
    for x, attrs in G.nodes(data=True) if touched is None else ((x, G.nodes[x]) for x in touched if x in G):
        attrs.setdefault("label", x.rsplit("/", 1)[-1])
        attrs.setdefault("type", "industry" if "/industry/" in x else "other")  # vocabulary concepts
        attrs.setdefault("kind", attrs["type"])
        attrs["aliases"] = sorted(aliases.get(x, set()) - {attrs["label"]})
    _add_region_attributes(G, rows["regions"], touched)
    return G


def _by_year(triples: str) -> tuple[dict[int, int], dict[int, list[str]]]:
    """``"2021:1: 2016:3:lead,key"`` → the evidence and the roles of each plan year, by year.

    >>> _by_year("2021:1: 2016:3:lead,key")
    ({2016: 3, 2021: 1}, {2016: ['key', 'lead']})
    >>> _by_year("")
    ({}, {})
    """
    counts: dict[int, int] = {}
    roles: dict[int, set] = {}
    for triple in triples.split():
        year, n, named = triple.split(":", 2)
        counts[int(year)] = counts.get(int(year), 0) + int(n)
        roles.setdefault(int(year), set()).update(r for r in named.split(",") if r)
    return dict(sorted(counts.items())), {y: sorted(roles[y]) for y in sorted(roles) if roles[y]}


def _add_hierarchy(G: nx.MultiDiGraph, broader: dict[str, list[str]], tops: set) -> None:
    """Add ``broader`` edges from the industries of ``G`` up to the top concepts; mark the tops."""
    todo = [n for n in G if n in broader or n in tops]
    seen = set(todo)
    while todo:
        c = todo.pop()
        if c in tops:
            G.nodes[c]["top"] = True
            continue  # the roll-up stops at a top concept
        for b in broader.get(c, ()):
            G.add_edge(c, b, key=BROADER, relation=BROADER, evidence=0, roles=[], years=[],
                       evidence_by_year={}, roles_by_year={})
            if b not in seen:
                seen.add(b)
                todo.append(b)


def _add_region_attributes(G: nx.MultiDiGraph, rows, touched=None) -> None:
    zone_types: dict[str, str] = {}
    zone_aliases: list[tuple[str, str]] = []
    years: dict[str, set] = {}
    periods: dict[str, dict[int, int]] = {}
    subjects = set()
    for r, ztype, zlabel, doc, year, zt, zalias, period in rows:
        if zt is not None:
            zone_aliases.append((zt, zalias))
        elif ztype is not None:
            label = zlabel if zlabel is not None else ztype.rsplit("/", 1)[-1]
            zone_types[ztype] = label
            if r in G:
                G.nodes[r]["zone_type"] = label
        elif doc is not None and r in G:
            subjects.add(r)
            if year is not None:
                years.setdefault(r, set()).add(int(year))
                first, _, last = (period or "").partition("/")
                if first == str(year) and last.isdigit():
                    periods.setdefault(r, {})[int(year)] = int(last)
    G.graph["zone_types"] = {**{a: zone_types[t] for t, a in zone_aliases if t in zone_types},
                             **{label: label for label in zone_types.values()},
                             **{t.rsplit("/", 1)[-1]: label for t, label in zone_types.items()}}
    # A new link may change the chain of the regions below a touched node: those are read again.
    chained = None if touched is None else _below(G, touched)
    for x, attrs in G.nodes(data=True) if touched is None else ((x, G.nodes[x]) for x in chained):
        if attrs["type"] != "region":
            continue
        if touched is None or x in touched:
            attrs.setdefault("zone_type", None)
            attrs["years"] = sorted(years.get(x, ()))
            attrs["periods"] = dict(sorted(periods.get(x, {}).items()))
            attrs["subject"] = x in subjects
        attrs["province"], attrs["city"] = _containers(G, x)


def _below(G: nx.MultiDiGraph, nodes) -> list:
    """``nodes`` in ``G`` and every node whose ``part_of``/``located_in`` chain passes through one."""
    found = [x for x in nodes if x in G]
    seen = set(found)
    todo = list(found)
    while todo:
        x = todo.pop()
        for child, _, relation in G.in_edges(x, keys=True):
            if relation in ("part_of", "located_in") and child not in seen:
                seen.add(child)
                found.append(child)
                todo.append(child)
    return found


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


def region_industry_graph(G: nx.MultiDiGraph, level: str = "stated", year: int | None = None) -> nx.Graph:
    """The bipartite region–industry graph: an edge per region that targets an industry.

    Regions have ``bipartite=0``, industries ``bipartite=1``. At ``level="broad"`` the industries
    are rolled up to the top concepts of the scheme (:func:`graph.taxonomy.roll_up`): a region's
    edge to a top concept sums the ``evidence`` of the industries it targets under it and joins
    their ``roles`` and ``years`` (and sums ``evidence_by_year``); ``stated`` lists those industries
    (itself at the stated level).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`to_networkx`; it is not changed.
    level : {"stated", "broad"}
    year : int, optional
        Only what plans of this plan year state: an edge's ``evidence`` and ``roles`` are that
        year's, and a region–industry pair no plan of that year states has no edge.

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
    >>> M["r1"]["i1"]["targets_industry"]["evidence_by_year"] = {2016: 1, 2021: 1}
    >>> M["r1"]["i2"]["targets_industry"]["evidence_by_year"] = {2021: 1}
    >>> B = region_industry_graph(M, level="broad", year=2016)
    >>> B["r1"]["top"]["evidence"], B["r1"]["top"]["stated"], B["r1"]["top"]["years"]
    (1, ['i1'], [2016])
    """
    up = roll_up(G, check_level(level))
    B = nx.Graph()
    # Straight into networkx's own dicts (node → attributes, node → neighbour → edge attributes, the
    # same dict both ways): at 10,000 documents add_node/add_edge cost more than the rest.
    nodes, adj = B._node, B._adj
    for s, neighbours in G._adj.items():
        for o, keyed in neighbours.items():
            for data in keyed.values():
                if data.get("relation") != "targets_industry":
                    continue
                if year is not None:
                    data = in_year(data, year)
                    if data is None:
                        continue
                if s not in nodes:
                    nodes[s] = {**{k: v for k, v in G._node[s].items() if k != "bipartite"}, "bipartite": 0}
                    adj[s] = {}
                for c in up.get(o, (o,)):
                    if c not in nodes:
                        nodes[c] = {**{k: v for k, v in G._node[c].items() if k != "bipartite"}, "bipartite": 1}
                        adj[c] = {}
                    e = adj[s].get(c)
                    if e is not None:
                        e["evidence"] += data.get("evidence", 1)
                        e["roles"] = sorted(set(e["roles"]) | set(data.get("roles", [])))
                        e["years"] = sorted(set(e["years"]) | set(data.get("years", [])))
                        e["stated"] = sorted({*e["stated"], o})
                        by_year = e["evidence_by_year"]
                        for y, n in data.get("evidence_by_year", {}).items():
                            by_year[y] = by_year.get(y, 0) + n
                        e["evidence_by_year"] = dict(sorted(by_year.items()))
                    else:
                        e = {"evidence": data.get("evidence", 1), "roles": list(data.get("roles", [])),
                             "years": list(data.get("years", [])), "stated": [o],
                             "evidence_by_year": dict(data.get("evidence_by_year", {}))}
                        adj[s][c] = adj[c][s] = e
    return B


def in_year(edge: dict, year: int) -> dict | None:
    """An edge's attributes as plans of one plan ``year`` state it, or None if none of them does.

    Examples
    --------
    >>> e = {"relation": "targets_industry", "evidence": 3, "roles": ["key", "lead"], "years": [2016, 2021],
    ...      "evidence_by_year": {2016: 1, 2021: 2}, "roles_by_year": {2021: ["lead"]}}
    >>> in_year(e, 2021)["evidence"], in_year(e, 2021)["roles"], in_year(e, 2016)["roles"], in_year(e, 2013)
    (2, ['lead'], [], None)
    """
    n = edge.get("evidence_by_year", {}).get(int(year), 0)
    if not n:
        return None
    return {**edge, "evidence": n, "roles": list(edge.get("roles_by_year", {}).get(int(year), [])),
            "years": [int(year)], "evidence_by_year": {int(year): n},
            "roles_by_year": {k: v for k, v in edge.get("roles_by_year", {}).items() if k == int(year)}}


def region_industry_view(G: nx.MultiDiGraph, level: str = "stated", year: int | None = None) -> nx.Graph:
    """:func:`region_industry_graph`, built once per view, level and plan year and shared: do not change it.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> _ = M.add_edge("r1", "i1", key="targets_industry", relation="targets_industry", evidence=2)
    >>> region_industry_view(M) is region_industry_view(M)
    True
    """
    year = None if year is None else int(year)
    return memoized(G, ("region_industry", check_level(level), year),
                    lambda: region_industry_graph(G, level, year))


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
        # Derived data lives as long as the view: see _out_of_the_collectors_sight.
        with _out_of_the_collectors_sight(G.number_of_edges() >= _BIG_VIEW_LINKS):
            mine[key] = build()
    return mine[key]


#: Views (and their derived graphs) at least this big are kept out of the collector's sight: about
#: 500 documents. Smaller ones cost a collection little, and freezing costs a long-running app the
#: cycles it would later free among what is frozen with them.
_BIG_VIEW_LINKS = 20_000
#: The same in the store's graphs (about one a document), known before the view is read.
_BIG_VIEW_GRAPHS = 500


@contextlib.contextmanager
def _out_of_the_collectors_sight(big: bool = True):
    """Build or load a view without the cyclic garbage collector, then keep it out of its sight.

    A view of 10,000 documents is millions of dicts and lists; each full collection walks them all
    (about 0.3 s each, several while a view is built and while the queries derive from it). The
    view holds no reference cycles, so reference counting frees it when it is dropped: it is
    frozen (:func:`gc.freeze`) once made. What is garbage before is collected first, so that
    nothing that needs the collector (a store's query results) is frozen with it. ``big``: whether
    to do so; a small view is only made with the collector off.
    """
    if big:
        gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if big:
            gc.freeze()


class _ViewCache:
    """The networkx view of each store content, built once: see :data:`cached_view`."""

    def __init__(self, maxsize: int = 4):
        self.maxsize = maxsize
        self._views: OrderedDict[str, nx.MultiDiGraph] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __call__(self, store) -> nx.MultiDiGraph:
        found = view_key(store)
        key = found[0]
        with self._lock:
            if key in self._views:
                self.hits += 1
                self._views.move_to_end(key)
                return self._views[key]
        with _out_of_the_collectors_sight(len(found[1]) >= _BIG_VIEW_GRAPHS):
            G = kept_view(store, found)
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


def view_key(store) -> tuple[str, dict, dict | None]:
    """What a view of ``store`` is the view of: a key for caches, the store's graph keys
    (:meth:`graph.store.StoreBase.graph_keys`) and, for a store with an aggregate (brought up to
    date first), the stamps of the rows its view is built from (:meth:`graph.aggregate.Aggregate.stamps`)."""
    from graph.store import fingerprint_of

    keys = store.graph_keys()
    aggregate = getattr(store, "aggregate", None)
    if aggregate is None:
        return fingerprint_of(keys), keys, None
    aggregate.sync(store, keys)
    stamps = aggregate.stamps(keys)
    return "rows " + fingerprint_of({g: str(n) for g, n in stamps.items()}), keys, stamps


def kept_view(store, key: tuple | None = None) -> nx.MultiDiGraph:
    """:func:`to_networkx` of ``store``, by way of the view kept on disk with an embedded store
    (:mod:`graph.viewfile`): loaded if it is the view of the store as it is, brought up to date if
    documents were only added since (:func:`refresh`), else built; written back when it changed.
    A store without an aggregate (a SPARQL server) has its view built each time.

    ``key``: :func:`view_key` of the store, if already read.
    """
    from graph import viewfile

    _, keys, stamps = view_key(store) if key is None else key
    if stamps is None:
        return to_networkx(store)
    path = store.path / viewfile.FILE_NAME
    saved = viewfile.load_view(path) if path.exists() else None
    if saved is not None and saved[0] == stamps:
        return saved[1]
    if saved is not None and all(stamps.get(g) == n for g, n in saved[0].items()):
        G = refresh(saved[1], store, keys, [g for g in stamps if g not in saved[0]])
    else:
        G = _assemble(_aggregate_rows(store, store.aggregate, keys))
    try:
        viewfile.save_view(path, stamps, G)
    except (OSError, ValueError):
        pass  # a read-only directory, an unexpected value: the view is still right, only not kept
    return G


#: ``cached_view(store)``: :func:`to_networkx` of ``store``, built once and rebuilt only when the
#: store changes (keyed on :func:`view_key`); for an embedded store, loaded
#: from the view kept on disk with it, or updated from it (:func:`kept_view`). The few most recent
#: views are kept in memory; the view returned is shared, so do not change it.
cached_view = _ViewCache()
