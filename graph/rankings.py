"""Industry rankings: how many regions target each industry (by province, year …), and which
industries the most regions contend for as their lead industry (产业同构)."""

from __future__ import annotations

import networkx as nx

from graph.regions import region_names, select_regions
from graph.table import Table
from graph.taxonomy import check_level, lineage
from graph.views import region_industry_view

__all__ = ["BY", "industry_ranking", "contested"]

#: What :func:`industry_ranking` can group by: a region attribute, or the plan year of the facts.
BY = ("province", "city", "zone_type", "kind", "year")


def industry_ranking(G: nx.MultiDiGraph, regions=None, *, level: str = "stated", by: str | None = None,
                     top: int | None = None, **filters) -> Table:
    """How many regions target each industry, most first; optionally within groups.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    regions : list of str, optional
        The regions counted (default: every region that targets an industry).
    level : {"stated", "broad"}
    by : {None, "province", "city", "zone_type", "kind", "year"}
        Rank within each value of a region attribute, or each plan year (a region counts for a year
        when a plan of that year states the targeting).
    top : int, optional
        Keep the first ``top`` industries (of each group).
    **filters
        ``province``, ``city``, ``zone_type``, ``year``, ``kind``: see :func:`graph.regions.select_regions`.

    Returns
    -------
    Table
        ``ranking`` rows: the group (``by``), ``industry``, ``regions`` (how many target it),
        ``lead`` (how many of them as a lead industry), ``evidence`` (facts, all regions) and ``node``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["A", "B"], type="region", province="浙江省")
    >>> G.add_node("C", type="region", province="山东省")
    >>> for r, i, y in [("A", "x", 2018), ("B", "x", 2020), ("C", "x", 2020), ("C", "y", 2020)]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1, roles=["lead"], years=[y])
    >>> [(row["industry"], row["regions"]) for row in industry_ranking(G)]
    [('x', 3), ('y', 1)]
    >>> [(row["year"], row["industry"], row["regions"]) for row in industry_ranking(G, by="year")]
    [(2018, 'x', 1), (2020, 'x', 2), (2020, 'y', 1)]
    """
    check_level(level)
    if by is not None and by not in BY:
        raise ValueError(f"unknown grouping {by!r}; known: {', '.join(BY)}")
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    B = region_industry_view(G, level)
    pool = [r for r in select_regions(G, regions, **filters) if r in B]
    counts: dict[tuple, list] = {}
    adj = B._adj  # networkx's own dicts: its views cost more than the counting at 10,000 documents
    for r in pool:
        group = (G.nodes[r].get(by),) if by not in (None, "year") else (None,)
        for i, e in adj[r].items():
            for g in (e.get("years", []) if by == "year" else group):
                c = counts.get((g, i))
                if c is None:
                    c = counts[g, i] = [0, 0, 0]
                c[0] += 1
                c[1] += "lead" in e.get("roles", ())
                c[2] += e.get("evidence", 1)
    rows = [{**({by: g} if by else {}), "industry": G.nodes[i].get("label", i), "regions": n, "lead": lead,
             "evidence": ev, "node": i} for (g, i), (n, lead, ev) in counts.items()]
    rows.sort(key=lambda row: (_order(row.get(by)), -row["regions"], -row["lead"], -row["evidence"], row["industry"]))
    if top is not None:
        kept: dict = {}
        rows = [row for row in rows if kept.setdefault(row.get(by), []).append(row) or len(kept[row.get(by)]) <= top]
    nodes = {row["node"] for row in rows} | set(pool)
    meta = {"level": level, "by": by, "compared": len(pool)}
    return Table("ranking", ([by] if by else []) + ["industry", "regions", "lead", "evidence"], rows, nodes, meta)


def contested(G: nx.MultiDiGraph, regions=None, *, level: str = "stated", min_regions: int = 2,
              top: int | None = None, **filters) -> Table:
    """The industries the most regions make their lead industry (产业同构), most contested first.

    An industry is contested when several regions give it the lead role (主导, 重点, 支柱 …: the
    ``roles`` of their plans); industries led by fewer than ``min_regions`` regions are left out.

    Returns
    -------
    Table
        ``contested`` rows: ``industry``, ``lead`` (regions that lead with it), ``regions`` (regions
        that target it at all), ``share`` (``lead`` over the regions compared), ``lead_regions``
        (their names) and ``node``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from("ABC", type="region")
    >>> for r, i, role in [("A", "x", "lead"), ("B", "x", "lead"), ("C", "x", "service"), ("A", "y", "lead")]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=1, roles=[role])
    >>> [(row["industry"], row["lead"], row["regions"], row["lead_regions"]) for row in contested(G)]
    [('x', 2, 3, ['A', 'B'])]
    """
    check_level(level)
    if min_regions < 1:
        raise ValueError(f"min_regions must be at least 1, got {min_regions!r}")
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    B = region_industry_view(G, level)
    pool = [r for r in select_regions(G, regions, **filters) if r in B]
    names = region_names(G, pool)
    leads: dict[str, list] = {}
    targeted: dict[str, int] = {}
    adj = B._adj
    for r in pool:
        for i, e in adj[r].items():
            targeted[i] = targeted.get(i, 0) + 1
            if "lead" in e.get("roles", ()):
                leads.setdefault(i, []).append(r)
    rows = [{"industry": G.nodes[i].get("label", i), "lead": len(who), "regions": targeted[i],
             "share": len(who) / len(pool), "lead_regions": sorted(names[r] for r in who), "node": i,
             "_who": who} for i, who in leads.items() if len(who) >= min_regions]
    rows.sort(key=lambda row: (-row["lead"], -row["regions"], row["industry"]))
    rows = rows[:top] if top is not None else rows
    nodes = set()
    for row in rows:
        who = row.pop("_who")
        nodes |= {row["node"], *who}
        if level == "broad":
            nodes |= lineage(G, {c for r in who for c in B[r][row["node"]]["stated"]})
    meta = {"level": level, "compared": len(pool), "min_regions": min_regions}
    return Table("contested", ["industry", "lead", "regions", "share", "lead_regions"], rows, nodes, meta)


def _order(value):
    return (value is None, str(value) if value is not None else "")
