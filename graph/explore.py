"""What the graph explorer shows: the nodes chosen by filters and a neighbourhood, capped, and why.

:func:`select` turns the explorer's choices (entity types, province, city, zone type, plan year,
industry, a start node and a depth) into the subgraph to draw, keeping at most ``max_nodes`` nodes
and saying what the cap left out (:attr:`Selection.notice`). :func:`facets` lists the values each
filter can take in a view; :func:`links` and :func:`node_evidence` are a node's details. The
region filters are those of the comparison commands (:func:`graph.regions.select_regions`), so
``--province 浙江`` and the explorer's 浙江 choose the same regions.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", type="region", label="A", province="浙江省")
>>> G.add_node("b", type="region", label="B", province="山东省")
>>> G.add_node("i", type="industry", label="新材料产业")
>>> for r in "ab":
...     _ = G.add_edge(r, "i", key="targets_industry", relation="targets_industry", evidence=1)
>>> sorted(select(G, province="浙江").graph)
['a', 'i']
>>> s = select(G, max_nodes=2)
>>> s.notice
'Showing 2 of 3 nodes: left out 1 region (B), the least connected.'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from graph.regions import select_regions
from graph.taxonomy import BROADER, check_level, lineage
from graph.views import memoized, region_industry_view

__all__ = ["NODE_TYPES", "REGION_FILTERS", "Selection", "facets", "select", "links", "node_evidence",
           "overlap_nodes"]

#: The entity types the explorer filters on, in the legend's order (``other`` is a vocabulary node
#: that no class of the ontology types, such as a division only named by its code).
NODE_TYPES = ("region", "industry", "project", "institution", "talent_programme", "other")

#: The region filters :func:`select` passes to :func:`graph.regions.select_regions`.
REGION_FILTERS = ("province", "city", "zone_type", "year")

_EXAMPLES = 5

#: Node type → (singular, plural), for notices.
_NAMES = {"region": ("region", "regions"), "industry": ("industry", "industries"),
          "project": ("project", "projects"), "institution": ("institution", "institutions"),
          "talent_programme": ("talent programme", "talent programmes"), "other": ("other node", "other nodes")}


@dataclass
class Selection:
    """The subgraph to draw, and what the cap left out of it.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        The nodes kept and every edge among them (a view of the input; do not change it).
    matched : int
        How many nodes the filters and the neighbourhood chose before the cap.
    left_out : dict
        Node type → how many nodes of that type the cap left out.
    examples : dict
        Node type → the labels of the best connected nodes left out (a few).
    start : str or None
        The start node, if one was given.
    """

    graph: nx.MultiDiGraph
    matched: int
    left_out: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    start: str | None = None

    @property
    def nodes(self) -> set[str]:
        """The IRIs of the nodes kept (what an export writes)."""
        return set(self.graph)

    @property
    def notice(self) -> str | None:
        """One sentence saying how many nodes of which type were left out, or None.

        Examples
        --------
        >>> Selection(nx.MultiDiGraph(), 0).notice is None
        True
        """
        if not self.left_out:
            return None
        parts = []
        for t in sorted(self.left_out, key=lambda t: (-self.left_out[t], t)):
            n = self.left_out[t]
            name = _NAMES.get(t, (t, t))[n != 1]
            shown = self.examples.get(t, [])
            more = ", …" if n > len(shown) else ""
            parts.append(f"{n} {name}" + (f" ({', '.join(shown)}{more})" if shown else ""))
        order = "the farthest from the start, then the least connected" if self.start else "the least connected"
        return (f"Showing {self.graph.number_of_nodes()} of {self.matched} nodes: left out "
                f"{'; '.join(parts)}, {order}.")


def facets(G: nx.MultiDiGraph, level: str = "stated") -> dict[str, list]:
    """The values each explorer filter can take in ``G``.

    Returns
    -------
    dict
        ``types`` (of :data:`NODE_TYPES`, those present), ``province``, ``city``, ``zone_type``
        (labels), ``year`` (plan years) of the regions, and ``industry``: (IRI, label) of the
        industries some region targets at ``level`` (top concepts at the broad level), by label.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", type="region", label="R", province="浙江省", city="宁波市", zone_type=None, years=[2018])
    >>> G.add_node("i", type="industry", label="新材料产业")
    >>> _ = G.add_edge("r", "i", key="targets_industry", relation="targets_industry", evidence=1)
    >>> f = facets(G)
    >>> f["types"], f["province"], f["zone_type"], f["year"], f["industry"]
    (['region', 'industry'], ['浙江省'], [], [2018], [('i', '新材料产业')])
    """
    check_level(level)

    def build():
        regions = [a for _, a in G.nodes(data=True) if a.get("type") == "region"]
        present = {a.get("type", "other") for _, a in G.nodes(data=True)}
        out = {"types": [t for t in NODE_TYPES if t in present]}
        for key in ("province", "city", "zone_type"):
            out[key] = sorted({a[key] for a in regions if a.get(key)})
        out["year"] = sorted({y for a in regions for y in a.get("years", ())})
        B = region_industry_view(G, level)
        out["industry"] = sorted(((n, G.nodes[n].get("label", n)) for n, side in B.nodes(data="bipartite")
                                  if side == 1), key=lambda x: (x[1], x[0]))
        return out

    return memoized(G, ("explore_facets", level), build)


def select(G: nx.MultiDiGraph, *, types=None, province=None, city=None, zone_type=None, year=None,
           industry=None, level: str = "stated", start=None, depth: int = 1,
           max_nodes: int = 200) -> Selection:
    """The part of ``G`` to draw: filtered, around a start node, at most ``max_nodes`` nodes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`; it is not changed.
    types : iterable of str, optional
        Keep nodes of these types (:data:`NODE_TYPES`; default: all). The start node is kept.
    province, city, zone_type, year : optional
        Keep the regions that pass these filters (as the comparison commands read them) and the
        nodes they are linked to. Without any of them, and without ``industry``, every node is in.
    industry : str, optional
        An industry's IRI: keep the regions that target it (at ``level``; at the broad level, a top
        concept stands for every industry under it), the nodes they are linked to, and the
        industry with the concepts between it and what they state.
    start : str, optional
        A node's IRI: keep the nodes at most ``depth`` links from it (either direction) among those
        the filters keep.
    depth : int
        How far from ``start`` (1 or more).
    max_nodes : int
        At most this many nodes: the start node, then the nearest to it, then the best connected
        (most links among the nodes chosen), then by label.

    Raises
    ------
    ValueError
        For an unknown type or node, ``depth`` or ``max_nodes`` below 1, or a filter value no
        region has (from :func:`graph.regions.select_regions`, naming the known values).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["a", "b"], type="region")
    >>> G.add_node("i", type="industry", label="i")
    >>> G.add_node("p", type="project", label="p")
    >>> _ = G.add_edge("a", "i", key="targets_industry", relation="targets_industry", evidence=1)
    >>> _ = G.add_edge("b", "i", key="targets_industry", relation="targets_industry", evidence=1)
    >>> _ = G.add_edge("b", "p", key="hosts_project", relation="hosts_project", evidence=1)
    >>> sorted(select(G, start="a", depth=2).graph), sorted(select(G, start="a", depth=3).graph)
    (['a', 'b', 'i'], ['a', 'b', 'i', 'p'])
    >>> sorted(select(G, industry="i", types=["region"]).graph)
    ['a', 'b']
    """
    check_level(level)
    types = tuple(NODE_TYPES if types is None else types)
    bad = [t for t in types if t not in NODE_TYPES]
    if bad:
        raise ValueError(f"unknown node type {bad[0]!r}; known: {', '.join(NODE_TYPES)}")
    if not isinstance(depth, int) or depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes!r}")
    for name, node in (("start", start), ("industry", industry)):
        if node is not None and node not in G:
            raise ValueError(f"no node {node!r} in the graph ({name})")
    filters = {k: v for k, v in (("province", province), ("city", city), ("zone_type", zone_type),
                                 ("year", year)) if v is not None}
    if filters or industry is not None:
        chosen = _scope(G, filters, industry, level)
    else:
        chosen = set(G)
    chosen = {n for n in chosen if G.nodes[n].get("type", "other") in types}
    distance: dict[str, int] = {}
    if start is not None:
        chosen.add(start)
        U = G.subgraph(chosen).to_undirected(as_view=True)
        distance = nx.single_source_shortest_path_length(U, start, cutoff=depth)
        chosen = set(distance)
    H = G.subgraph(chosen)
    if len(chosen) <= max_nodes:
        return Selection(H, len(chosen), start=start)
    far = max_nodes + 1
    ranked = sorted(chosen, key=lambda n: (n != start, distance.get(n, far), -H.degree(n),
                                           G.nodes[n].get("label", n), n))
    kept, dropped = ranked[:max_nodes], ranked[max_nodes:]
    left_out = Counter(G.nodes[n].get("type", "other") for n in dropped)
    examples: dict[str, list[str]] = {}
    for n in dropped:
        t = G.nodes[n].get("type", "other")
        if len(examples.setdefault(t, [])) < _EXAMPLES:
            examples[t].append(G.nodes[n].get("label", n))
    return Selection(G.subgraph(kept), len(chosen), dict(left_out), examples, start)


def _scope(G: nx.MultiDiGraph, filters: dict, industry, level: str) -> set[str]:
    """The regions passing the filters (and targeting ``industry``) and the nodes linked to them."""
    everyone = [n for n, t in G.nodes(data="type") if t == "region"]
    regions = set(select_regions(G, everyone, **filters)) if filters else set(everyone)
    extra: set[str] = set()
    if industry is not None:
        B = region_industry_view(G, level)
        targeting = set(B[industry]) if industry in B else set()
        regions &= targeting
        stated = {c for r in regions for c in B[r][industry].get("stated", (industry,))}
        extra = {industry} | (lineage(G, stated) if level == "broad" else set())
    chosen = set(regions) | extra
    for r in regions:
        chosen.update(v for _, v, rel in G.out_edges(r, keys=True) if rel != BROADER)
        chosen.update(u for u, _, rel in G.in_edges(r, keys=True) if rel != BROADER)
    return chosen


def links(G: nx.MultiDiGraph, node: str, within=None) -> list[dict]:
    """A node's links: ``relation``, ``direction`` (``out`` or ``in``), the ``other`` node and its
    ``label`` and ``type``, ``evidence``, ``roles``; most evidence first.

    Parameters
    ----------
    within : collection of str, optional
        Keep links to these nodes only (the nodes shown).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", type="region", label="淄博市")
    >>> G.add_node("i", type="industry", label="新材料产业")
    >>> _ = G.add_edge("r", "i", key="targets_industry", relation="targets_industry", evidence=2, roles=["lead"])
    >>> [(l["relation"], l["direction"], l["label"], l["evidence"]) for l in links(G, "i")]
    [('targets_industry', 'in', '淄博市', 2)]
    """
    if node not in G:
        raise ValueError(f"no node {node!r} in the graph")
    out = []
    for direction, edges in (("out", G.out_edges(node, keys=True, data=True)),
                             ("in", G.in_edges(node, keys=True, data=True))):
        for u, v, relation, data in edges:
            other = v if direction == "out" else u
            if within is not None and other not in within:
                continue
            attrs = G.nodes[other]
            out.append({"relation": relation, "direction": direction, "other": other,
                        "label": attrs.get("label", other), "type": attrs.get("type", "other"),
                        "evidence": data.get("evidence", 0), "roles": list(data.get("roles", []))})
    out.sort(key=lambda row: (-row["evidence"], row["relation"], row["label"], row["other"]))
    return out


def node_evidence(store, G: nx.MultiDiGraph, node: str) -> list:
    """Every fact stating a link of ``node``, with its sentence and document, by document and offset.

    The facts behind the links :func:`links` counts as evidence, read from the store with
    :func:`graph.sentences.sentences` (the evidence of ``regionkg explain``, for one node by IRI).

    Returns
    -------
    list of graph.evidence.Evidence
    """
    from graph.sentences import sentences

    wanted: dict[str, set] = {}
    for row in links(G, node):
        if row["evidence"] and row["relation"] != BROADER:
            pair = (node, row["other"]) if row["direction"] == "out" else (row["other"], node)
            wanted.setdefault(row["relation"], set()).add(pair)
    found = []
    for relation, pairs in sorted(wanted.items()):
        for facts in sentences(store, sorted(pairs), relation).values():
            found.extend(facts)
    found.sort(key=lambda e: (e.document, e.start, e.subject, e.object))
    return found


def overlap_nodes(G: nx.MultiDiGraph, regions, answer, *, level: str = "stated") -> set[str]:
    """The nodes that draw an overlap: the regions and what they all target, host or run.

    At the broad level a shared top concept is drawn with the industries each region states under
    it and the concepts between, so the drawing shows the links that make the overlap.

    Parameters
    ----------
    regions : list of str
        The regions' IRIs, as passed to :func:`graph.compare.overlap`.
    answer : graph.table.Table
        What :func:`graph.compare.overlap` returned for them at ``level``.

    Examples
    --------
    >>> from graph.compare import overlap
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("AB", type="region")
    >>> for r, i in [("A", "x"), ("A", "y"), ("B", "x")]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1, roles=[])
    >>> sorted(overlap_nodes(G, ["A", "B"], overlap(G, ["A", "B"])))
    ['A', 'B', 'x']
    """
    check_level(level)
    nodes = set(regions)
    B = region_industry_view(G, level)
    for row in answer.rows:
        nodes.add(row["node"])
        if level == "broad":
            stated = {c for r in regions if r in B and row["node"] in B[r] for c in B[r][row["node"]]["stated"]}
            nodes |= lineage(G, stated)
    for rows in answer.meta.get("shared", {}).values():
        nodes |= {r["node"] for r in rows}
    return nodes
