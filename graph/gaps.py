"""Gaps: industries a region's peers target and the region does not, with the peers' evidence."""

from __future__ import annotations

import networkx as nx

from graph.regions import REGION_FILTERS, region_names, resolve, select_regions
from graph.table import Table
from graph.taxonomy import check_level, lineage
from graph.views import memoized, region_industry_view

__all__ = ["peers", "gaps", "SAME"]

#: Region attributes a peer can be asked to share with the region (``same=``).
SAME = ("province", "city", "zone_type", "kind")


def peers(G: nx.MultiDiGraph, region: str, *, regions=None, same=(), nearest: int | None = None,
          level: str = "stated", measure: str = "jaccard", **filters) -> list[str]:
    """The regions to hold ``region`` against: chosen, filtered, alike, or the most similar.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    region : str
        A region's name, alias or IRI; never its own peer.
    regions : list of str, optional
        The peers by name (default: every region that is the subject of a plan and targets an
        industry; sub-zones count only when named, since their industries are their region's too).
    same : iterable of str
        Keep peers that share these attributes with the region (:data:`SAME`).
    nearest : int, optional
        Keep the ``nearest`` most similar of them (:func:`graph.similarity.nearest`, with ``level``
        and ``measure``).
    **filters
        ``province``, ``city``, ``zone_type``, ``year``, ``kind``, as :func:`graph.regions.select_regions`.

    Raises
    ------
    ValueError
        For an unknown attribute in ``same``, one the region lacks, or an unknown filter.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["A", "B"], type="region", province="浙江省")
    >>> G.add_node("C", type="region", province="山东省")
    >>> for r in "ABC":
    ...     _ = G.add_edge(r, "x", key="targets_industry", relation="targets_industry")
    >>> peers(G, "A"), peers(G, "A", same=["province"])
    (['B', 'C'], ['B'])
    """
    r = resolve(G, region)
    unknown = set(filters) - set(REGION_FILTERS)
    if unknown:
        raise ValueError(f"unknown filter {sorted(unknown)[0]!r}; known: {', '.join(REGION_FILTERS)}")
    for attr in same:
        if attr not in SAME:
            raise ValueError(f"unknown attribute {attr!r} to share; known: {', '.join(SAME)}")
        if G.nodes[r].get(attr) is None:
            raise ValueError(f"{G.nodes[r].get('label', r)} has no {attr.replace('_', ' ')} to share")
        filters.setdefault(attr, G.nodes[r][attr])
    found = [p for p in select_regions(G, regions, **filters) if p != r]
    if regions is None and any(G.nodes[p].get("subject") for p in found):
        found = [p for p in found if G.nodes[p].get("subject")]
    if nearest is not None:
        from graph.similarity import nearest as most_similar

        found = [row["node"] for row in most_similar(G, r, top=nearest, regions=found or [],
                                                     level=level, measure=measure)] if found else []
    return found


def gaps(G: nx.MultiDiGraph, region: str, peers=None, *, min_peers: int = 1, level: str = "stated",
         top: int | None = None, store=None) -> Table:
    """Industries targeted by at least ``min_peers`` of ``peers`` but not by ``region``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    region : str
        A region's name, alias or IRI.
    peers : list of str, optional
        The regions to hold it against (default: every other region that targets an industry; see
        :func:`peers` to choose them by province, zone type or similarity).
    min_peers : int
        Keep industries at least this many peers target (1 or more, at most the number of peers).
    level : {"stated", "broad"}
        At the broad level a region has a gap where it targets nothing under a top concept.
    top : int, optional
        Keep the first ``top`` gaps.
    store : graph.store.Store, optional
        If given, each gap also gets the peers' ``sentences`` (peer → the sentences stating it).

    Returns
    -------
    Table
        ``gaps`` rows, most peers first (then most evidence): ``industry``, ``peers`` (how many
        target it), ``evidence`` (peer → number of facts), ``roles`` (peer → roles), at the broad
        level ``stated`` (peer → the industries under it), ``sentences`` with a store, and ``node``.

    Raises
    ------
    ValueError
        For ``min_peers`` below 1 or above the number of peers, no peers, or an unknown level.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("ABC", type="region")
    >>> for r, i, n in [("A", "x", 1), ("B", "x", 2), ("B", "y", 1), ("C", "y", 3), ("C", "z", 1)]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=n)
    >>> [(row["industry"], row["peers"], row["evidence"]) for row in gaps(G, "A", min_peers=1)]
    [('y', 2, {'B': 1, 'C': 3}), ('z', 1, {'C': 1})]
    >>> gaps(G, "A", min_peers=3)
    Traceback (most recent call last):
    ...
    ValueError: min_peers=3 but A has only 2 peers
    """
    check_level(level)
    r = resolve(G, region)
    ps = [p for p in (peers if peers is not None else select_regions(G)) if p is not None]
    ps = [p for p in dict.fromkeys(resolve(G, p) for p in ps) if p != r]
    label = G.nodes[r].get("label", r)
    if not isinstance(min_peers, int) or min_peers < 1:
        raise ValueError(f"min_peers must be at least 1, got {min_peers!r}")
    if not ps:
        raise ValueError(f"{label} has no peers to compare with")
    if min_peers > len(ps):
        raise ValueError(f"min_peers={min_peers} but {label} has only {len(ps)} peers")
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    B = region_industry_view(G, level)
    own = set(B[r]) if r in B else set()
    names = region_names(G, [r, *ps])
    # Each industry's regions are its neighbours in the bipartite graph: one pass over those of the
    # industries the region lacks (networkx's own dicts; its views cost more than the work at
    # 10,000 documents).
    adj, peer_set = B._adj, set(ps)
    industries = [i for i in memoized(B, "industries", lambda: [n for n, side in B.nodes(data="bipartite") if side == 1])
                  if i not in own]
    rows = []
    for i in industries:
        found = {p: e for p, e in adj[i].items() if p in peer_set}
        if len(found) < min_peers:
            continue
        row = {"industry": G.nodes[i].get("label", i), "peers": len(found),
               "evidence": {names[p]: e["evidence"] for p, e in found.items()},
               "roles": {names[p]: e["roles"] for p, e in found.items()}, "node": i}
        if level == "broad":
            row["stated"] = {names[p]: sorted(G.nodes[c].get("label", c) for c in e["stated"]) for p, e in found.items()}
        row["_who"] = list(found)
        rows.append(row)
    rows.sort(key=lambda row: (-row["peers"], -sum(row["evidence"].values()), row["industry"], row["node"]))
    rows = rows[:top] if top is not None else rows
    nodes = {r}
    for row in rows:
        nodes |= {row["node"], *row["_who"]}
        if level == "broad":
            nodes |= lineage(G, {c for p in row["_who"] for c in B[p][row["node"]]["stated"]})
    if store is not None:
        _add_sentences(store, B, rows, names)
    for row in rows:
        del row["_who"]
    meta = {"region": names[r], "level": level, "peers": [names[p] for p in ps], "min_peers": min_peers}
    columns = ["industry", "peers", "evidence", "roles"] + (["stated"] if level == "broad" else [])
    return Table("gaps", columns, rows, nodes, meta)


def _add_sentences(store, B: nx.Graph, rows: list[dict], names: dict) -> None:
    from graph.sentences import sentences

    wanted = {(p, c) for row in rows for p in row["_who"] for c in B[p][row["node"]]["stated"]}
    found = sentences(store, sorted(wanted))
    for row in rows:
        row["sentences"] = {names[p]: list(dict.fromkeys(
            e.sentence for c in B[p][row["node"]]["stated"] for e in found.get((p, c), ())))
            for p in row["_who"]}
