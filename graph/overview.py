"""The graph at a glance: the region × industry matrix of evidence counts.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from(["A", "B"], type="region")
>>> for r, i, n in [("A", "x", 2), ("B", "x", 1), ("B", "y", 3)]:
...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=n, roles=[])
>>> t = matrix(G)
>>> t.meta["industries"], [(row["region"], row["evidence"]) for row in t]
(['x', 'y'], [('A', {'x': 2}), ('B', {'x': 1, 'y': 3})])
"""

from __future__ import annotations

import networkx as nx

from graph.regions import region_names, select_regions
from graph.table import Table
from graph.taxonomy import check_level
from graph.views import region_industry_view

__all__ = ["matrix"]


def matrix(G: nx.MultiDiGraph, regions=None, *, level: str = "stated", top: int | None = 30,
           **filters) -> Table:
    """Which regions target which industries, and how often their plans say so.

    The industries are those the most regions target (then the most evidence, then by name), at
    most ``top`` of them; the regions are those :func:`graph.regions.select_regions` compares.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    regions : list of str, optional
        The regions (default: every region that targets an industry).
    level : {"stated", "broad"}
        Industries as stated, or rolled up to the top concepts of the scheme.
    top : int or None
        How many industries (None: all).
    **filters
        ``province``, ``city``, ``zone_type``, ``year``, ``kind``, as :func:`graph.regions.select_regions`.

    Returns
    -------
    Table
        ``matrix`` rows, one per region: ``region``, ``evidence`` (industry → number of facts,
        for the industries it targets among those kept), ``lead`` (the industries it leads with)
        and ``node``. ``meta``: ``level``, ``industries`` (labels, in column order; two
        industries with one label get their IRI's last part), ``regions`` and ``left_out`` (how
        many industries ``top`` left out). As CSV, one column per industry (``evidence[新材料产业]``).

    Raises
    ------
    ValueError
        For an unknown level, ``top`` below 1, or a filter value no region has.
    """
    check_level(level)
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    B = region_industry_view(G, level)
    pool = [r for r in select_regions(G, regions, **filters) if r in B]
    count: dict[str, list] = {}
    for r in pool:
        for i, e in B[r].items():
            c = count.setdefault(i, [0, 0])
            c[0] += 1
            c[1] += e.get("evidence", 1)
    ranked = sorted(count, key=lambda i: (-count[i][0], -count[i][1], G.nodes[i].get("label", i), i))
    kept = ranked[:top] if top is not None else ranked
    labels = _labels(G, kept)
    names = region_names(G, pool)
    rows, nodes = [], set(pool) | set(kept)
    for r in pool:
        targets = B[r]
        rows.append({"region": names[r],
                     "evidence": {labels[i]: targets[i].get("evidence", 1) for i in kept if i in targets},
                     "lead": [labels[i] for i in kept if i in targets and "lead" in targets[i].get("roles", ())],
                     "node": r})
    meta = {"level": level, "industries": [labels[i] for i in kept], "regions": [names[r] for r in pool],
            "left_out": len(ranked) - len(kept)}
    return Table("matrix", ["region", "evidence"], rows, nodes, meta)


def _labels(G: nx.MultiDiGraph, industries) -> dict[str, str]:
    seen: dict[str, int] = {}
    for i in industries:
        label = G.nodes[i].get("label", i)
        seen[label] = seen.get(label, 0) + 1
    return {i: G.nodes[i].get("label", i) + (f" ({i.rsplit('/', 1)[-1]})" if seen[G.nodes[i].get("label", i)] > 1 else "")
            for i in industries}
