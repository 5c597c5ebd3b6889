"""How alike regions' industry profiles are: pairwise similarity, nearest regions, clusters.

Similarity runs on the bipartite region–industry graph (:func:`graph.views.region_industry_graph`,
at the stated or the broad level): :func:`similarity` with :func:`networkx.jaccard_coefficient`;
:func:`nearest` and :func:`similarity_graph` (the weighted projection onto the regions) count the
same values in one pass over each industry's regions, which is what keeps ``nearest`` at a few
milliseconds among a thousand regions (networkx's per-pair functions and projections took ten times
longer; the tests check the values agree). Clusters are
:func:`networkx.community.louvain_communities` of the similarity graph. Two measures (:data:`MEASURES`):

- ``jaccard``: industries both target / industries either targets;
- ``weighted_jaccard``: the weighted Jaccard (Ruzicka) index on evidence counts, the sum over
  industries of the smaller count over the sum of the larger (0 where a region does not target it).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from("ABC", type="region")
>>> for r, i in ["Ax", "Ay", "Bx", "By", "Cz"]:
...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1)
>>> similarity(G, "A", "B"), similarity(G, "A", "C")
(1.0, 0.0)
"""

from __future__ import annotations

import heapq
from collections import Counter

import networkx as nx

from graph.regions import region_names, resolve, select_regions
from graph.table import Table
from graph.taxonomy import check_level
from graph.views import memoized, region_industry_view

__all__ = ["MEASURES", "similarity", "similarity_graph", "similarity_matrix", "nearest", "clusters"]


def _jaccard(B: nx.Graph, u, v) -> float:
    return float(next(nx.jaccard_coefficient(B, [(u, v)]))[2])


def _weighted_jaccard(B: nx.Graph, u, v) -> float:
    a, b = B[u], B[v]
    smallest = sum(min(a[i]["evidence"], b[i]["evidence"]) for i in a.keys() & b.keys())
    largest = sum(e["evidence"] for e in a.values()) + sum(e["evidence"] for e in b.values()) - smallest
    return smallest / largest if largest else 0.0


#: Similarity measure name → function of (region–industry graph, region, region).
MEASURES = {"jaccard": _jaccard, "weighted_jaccard": _weighted_jaccard}


def _check(level: str, measure: str) -> None:
    check_level(level)
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")


def similarity(G: nx.MultiDiGraph, a: str, b: str, *, level: str = "stated", measure: str = "jaccard") -> float:
    """How alike two regions' industries are, between 0 and 1 (see :data:`MEASURES`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("AB", type="region")
    >>> for r, i, n in [("A", "x", 3), ("A", "y", 1), ("B", "x", 1)]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=n)
    >>> similarity(G, "A", "B"), similarity(G, "A", "B", measure="weighted_jaccard")
    (0.5, 0.25)
    """
    _check(level, measure)
    u, v = resolve(G, a), resolve(G, b)
    B = region_industry_view(G, level)
    if u not in B or v not in B:
        return 0.0
    return MEASURES[measure](B, u, v)


def similarity_graph(G: nx.MultiDiGraph, regions=None, *, level: str = "stated", measure: str = "jaccard",
                     neighbours: int | None = None) -> nx.Graph:
    """The region–region graph: an edge (``weight`` = similarity) between regions sharing an industry.

    The weighted projection of the region–industry graph onto ``regions`` (default: every region
    that targets an industry), as :func:`networkx.bipartite.overlap_weighted_projected_graph`
    (``jaccard=True``) computes it, but counted in one pass over the industries' regions.

    Parameters
    ----------
    neighbours : int, optional
        Keep only each region's ``neighbours`` most similar regions (an edge stays if either end
        keeps it): a k-nearest-neighbour graph, sparse enough for community detection.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("ABC", type="region")
    >>> for r, i in ["Ax", "Bx", "By", "Cz"]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1)
    >>> S = similarity_graph(G)
    >>> sorted(S.edges(data="weight")), sorted(S)
    ([('A', 'B', 0.5)], ['A', 'B', 'C'])
    """
    _check(level, measure)
    if neighbours is not None and neighbours < 1:
        raise ValueError(f"neighbours must be at least 1, got {neighbours!r}")
    B = region_industry_view(G, level)
    rs = [r for r in select_regions(G, regions) if r in B]
    keep = set(rs)
    S = nx.Graph(level=level, measure=measure)
    S.add_nodes_from((r, B.nodes[r]) for r in rs)
    for u in rs:
        scored = [(v, score) for v, score in _scores(G, B, level, u)[measure].items() if v in keep]
        if neighbours is not None:
            scored = sorted(scored, key=lambda x: (-x[1], x[0]))[:neighbours]
        S.add_weighted_edges_from((u, v, score) for v, score in scored)
    return S


def similarity_matrix(G: nx.MultiDiGraph, regions=None, *, level: str = "stated",
                      measure: str = "jaccard") -> Table:
    """The similarity of every pair of ``regions`` (default: all that target an industry), as a table.

    Returns
    -------
    Table
        ``similarity`` rows, one per region: ``region`` and a column per region (1.0 on the
        diagonal, 0.0 for regions with no industry in common).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("AB", type="region")
    >>> for r, i in ["Ax", "Bx", "By"]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1)
    >>> print(similarity_matrix(G).to_csv(), end="")
    region,A,B
    A,1,0.5
    B,0.5,1
    """
    S = similarity_graph(G, regions, level=level, measure=measure)
    rs = list(S)
    names = region_names(G, rs)
    rows = []
    for u in rs:
        row = {"region": names[u]}
        row.update({names[v]: 1.0 if u == v else float(S[u][v]["weight"]) if S.has_edge(u, v) else 0.0
                    for v in rs})
        rows.append(row)
    meta = {"regions": [names[r] for r in rs], "level": level, "measure": measure}
    return Table("similarity", ["region", *(names[r] for r in rs)], rows, set(rs), meta)


def nearest(G: nx.MultiDiGraph, region: str, *, top: int = 10, regions=None, level: str = "stated",
            measure: str = "jaccard") -> Table:
    """The ``top`` regions most like ``region``, most similar first (ties by the other measure, name).

    Parameters
    ----------
    region : str
        A region's name, alias or IRI.
    top : int
        How many to return (at least 1).
    regions : list of str, optional
        The candidates (default: every region that targets an industry).
    level, measure : str
        See :mod:`graph.taxonomy` and :data:`MEASURES`.

    Returns
    -------
    Table
        ``nearest`` rows: ``region``, ``jaccard``, ``weighted_jaccard``, ``shared`` (how many
        industries both target), ``overlap`` (those industries, most evidence first) and ``node``.
        Regions sharing no industry are left out.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("ABC", type="region")
    >>> for r, i in ["Ax", "Ay", "Bx", "By", "Cx", "Cz"]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1)
    >>> [(row["region"], row["jaccard"]) for row in nearest(G, "A", top=2)]
    [('B', 1.0), ('C', 0.3333333333333333)]
    >>> nearest(G, "A", top=0)
    Traceback (most recent call last):
    ...
    ValueError: top must be at least 1, got 0
    """
    _check(level, measure)
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    r = resolve(G, region)
    B = region_industry_view(G, level)
    meta = {"region": region_names(G, [r])[r], "level": level, "measure": measure, "top": top}
    if r not in B:
        return Table("nearest", _NEAREST, [], {r}, meta)
    scores = _scores(G, B, level, r)
    jaccard, weighted = scores["jaccard"], scores["weighted_jaccard"]
    candidates = set(jaccard) if regions is None else set(jaccard) & set(select_regions(G, regions))
    first, second = (jaccard, weighted) if measure == "jaccard" else (weighted, jaccard)
    best = heapq.nsmallest(top, candidates, key=lambda o: (-first[o], -second[o], G.nodes[o].get("label", o), o))
    names = region_names(G, [r, *best])
    rows, nodes = [], {r}
    for o in best:
        shared = sorted(B[r].keys() & B[o].keys(),
                        key=lambda i: (-B[r][i]["evidence"] - B[o][i]["evidence"], G.nodes[i].get("label", i)))
        rows.append({"region": names[o], "jaccard": jaccard[o], "weighted_jaccard": weighted[o],
                     "shared": len(shared), "overlap": [G.nodes[i].get("label", i) for i in shared], "node": o})
        nodes |= {o, *shared}
    return Table("nearest", _NEAREST, rows, nodes, meta)


def _scores(G: nx.MultiDiGraph, B: nx.Graph, level: str, region: str) -> dict[str, dict[str, float]]:
    """Both :data:`MEASURES` between ``region`` and every region sharing an industry with it, counted
    in one pass over its industries' regions (the values networkx's functions give, faster)."""
    totals = memoized(G, ("evidence_totals", level), lambda: {
        n: sum(e["evidence"] for e in B[n].values()) for n, side in B.nodes(data="bipartite") if side == 0})
    shared: dict[str, int] = {}
    smallest: dict[str, int] = {}
    for i, e in B[region].items():
        w = e["evidence"]
        for o, f in B[i].items():
            shared[o] = shared.get(o, 0) + 1
            v = f["evidence"]
            smallest[o] = smallest.get(o, 0) + (w if w < v else v)
    shared.pop(region, None)
    n, t = len(B[region]), totals[region]
    return {"jaccard": {o: k / (n + len(B[o]) - k) for o, k in shared.items()},
            "weighted_jaccard": {o: (smallest[o] / (t + totals[o] - smallest[o]) if t + totals[o] - smallest[o]
                                     else 0.0) for o in shared}}


_NEAREST = ["region", "jaccard", "weighted_jaccard", "shared", "overlap"]


def clusters(G: nx.MultiDiGraph, regions=None, *, level: str = "stated", measure: str = "jaccard",
             neighbours: int | None = 10, resolution: float = 1.0, seed: int = 0) -> Table:
    """Groups of regions with alike industry profiles: Louvain communities of the similarity graph.

    :func:`networkx.community.louvain_communities` runs on :func:`similarity_graph` with each region
    linked to its ``neighbours`` most similar regions: with every pair linked (``neighbours=None``)
    a thousand regions make half a million edges and Louvain takes many seconds, while the nearest
    neighbours carry the structure.

    Parameters
    ----------
    regions : list of str, optional
        The regions to cluster (default: every region that targets an industry).
    level, measure : str
        See :mod:`graph.taxonomy` and :data:`MEASURES`.
    neighbours : int or None
        How many most similar regions each region is linked to (None: all that share an industry).
    resolution : float
        Louvain's resolution: above 1 favours smaller clusters.
    seed : int
        Louvain's random seed; the same seed gives the same clusters.

    Returns
    -------
    Table
        ``clusters`` rows, largest first: ``cluster`` (1, 2, …), ``size``, ``regions`` and
        ``industries`` (those at least half of the members target, most common first, up to 10).
        ``meta["modularity"]`` says how well the graph splits into them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("ABCD", type="region")
    >>> for r, i in ["Ax", "Ay", "Bx", "By", "Cz", "Cw", "Dz", "Dw"]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1)
    >>> [row["regions"] for row in clusters(G)]
    [['A', 'B'], ['C', 'D']]
    """
    S = similarity_graph(G, regions, level=level, measure=measure, neighbours=neighbours)
    B = region_industry_view(G, level)
    found = nx.community.louvain_communities(S, weight="weight", resolution=resolution, seed=seed) if len(S) else []
    names = region_names(G, S)
    groups = sorted((sorted(c, key=lambda n: names[n]) for c in found), key=lambda c: (-len(c), names[c[0]]))
    rows, nodes = [], set(S)
    for k, members in enumerate(groups, 1):
        counts = Counter(i for r in members for i in B[r])
        common = [i for i, n in sorted(counts.items(), key=lambda x: (-x[1], G.nodes[x[0]].get("label", x[0])))
                  if 2 * n >= len(members)][:10]
        nodes |= set(common)
        rows.append({"cluster": k, "size": len(members), "regions": [names[r] for r in members],
                     "industries": [G.nodes[i].get("label", i) for i in common], "nodes": members})
    modularity = (nx.community.modularity(S, found, weight="weight", resolution=resolution)
                  if S.number_of_edges() else 0.0)
    meta = {"level": level, "measure": measure, "neighbours": neighbours, "resolution": resolution, "seed": seed,
            "modularity": round(modularity, 6) + 0.0}
    return Table("clusters", ["cluster", "size", "regions", "industries"], rows, nodes, meta)
