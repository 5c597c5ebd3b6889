"""The overlap of two or more regions: what they all target and host, what only one of them does."""

from __future__ import annotations

import networkx as nx

from graph.regions import plan_years, region_names, resolve
from graph.table import Table
from graph.taxonomy import check_level, lineage
from graph.views import in_year, region_industry_view

__all__ = ["overlap", "SHARED_RELATIONS"]

#: The other things regions can share, by the key they have in :func:`overlap`'s ``shared``.
SHARED_RELATIONS = {"projects": "hosts_project", "institutions": "hosts_institution",
                    "talent_programmes": "runs_talent_programme"}


def overlap(G: nx.MultiDiGraph, regions, *, level: str = "stated", year: int | None = None) -> Table:
    """The industries all ``regions`` target, with each region's evidence, and how alike they are.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    regions : list of str
        Two or more regions, by name, alias or IRI.
    level : {"stated", "broad"}
        Compare industries as stated, or rolled up to the top concepts of the industry scheme.
    year : int, optional
        Compare what the plans of this plan year state (evidence and roles of that year only);
        every region must have a plan of that year. Default: every plan year.

    Returns
    -------
    Table
        ``overlap`` rows, one per shared industry (most evidence first): ``industry``, ``evidence``
        (region → number of facts; at the broad level summed over the industries under it, listed
        in ``stated``), ``roles`` (region → roles) and ``node``. ``meta``: ``regions``, ``level``,
        ``jaccard`` (shared industries / industries any of them targets), ``weighted_jaccard``,
        ``only`` (region → the industries none of the others targets) and ``shared`` (the
        ``projects``, ``institutions`` and ``talent_programmes`` all of them host or run), and
        ``year`` when one is given.

    Raises
    ------
    ValueError
        For fewer than two different regions, an unknown level, or a year one of them has no plan of.

    Notes
    -----
    ``weighted_jaccard`` is the weighted Jaccard (Ruzicka) index on evidence counts:
    the sum over industries of the smallest count any region has for it (0 where a region does
    not target it) divided by the sum of the largest. Regions that state an industry equally often
    score 1; a region that names it once beside one that names it ten times adds little.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["A", "B"], type="region")
    >>> for r, i, n in [("A", "新材料产业", 2), ("A", "生物产业", 1), ("B", "新材料产业", 1)]:
    ...     _ = G.add_edge(r, i, key="targets_industry", relation="targets_industry", evidence=n, roles=[])
    >>> t = overlap(G, ["A", "B"])
    >>> t.rows[0]["industry"], t.rows[0]["evidence"], t.meta["only"], t.meta["jaccard"]
    ('新材料产业', {'A': 2, 'B': 1}, {'A': ['生物产业'], 'B': []}, 0.5)
    >>> round(t.meta["weighted_jaccard"], 3)  # (min(2, 1) + min(1, 0)) / (max(2, 1) + max(1, 0))
    0.333
    >>> overlap(G, ["A", "A"])
    Traceback (most recent call last):
    ...
    ValueError: overlap needs two or more different regions, got ['A', 'A']

    In one plan year, only what that year's plans state counts:

    >>> G["A"]["生物产业"]["targets_industry"].update(years=[2016], evidence_by_year={2016: 1})
    >>> G["A"]["新材料产业"]["targets_industry"].update(years=[2021], evidence_by_year={2021: 2})
    >>> G["B"]["新材料产业"]["targets_industry"].update(years=[2021], evidence_by_year={2021: 1})
    >>> overlap(G, ["A", "B"], year=2021).meta["jaccard"]
    1.0
    >>> overlap(G, ["A", "B"], year=2016)
    Traceback (most recent call last):
    ...
    ValueError: B has no plan of 2016; its plan years: 2021
    """
    check_level(level)
    rs = list(dict.fromkeys(resolve(G, r) for r in regions))
    if len(rs) < 2:
        raise ValueError(f"overlap needs two or more different regions, got {list(regions)!r}")
    names = region_names(G, rs)
    if year is not None:
        year = int(year)
        for r in rs:
            years = plan_years(G, r)
            if year not in years:
                raise ValueError(f"{names[r]} has no plan of {year}; its plan years: "
                                 f"{', '.join(map(str, years)) or 'none'}")
    B = region_industry_view(G, level, year)
    targets = {r: (B[r] if r in B else {}) for r in rs}
    industries = [set(t) for t in targets.values()]
    shared, union = set.intersection(*industries), set.union(*industries)
    label = {i: G.nodes[i].get("label", i) for i in union}
    rows = []
    for i in shared:
        row = {"industry": label[i], "evidence": {names[r]: targets[r][i]["evidence"] for r in rs},
               "roles": {names[r]: targets[r][i]["roles"] for r in rs}, "node": i}
        if level == "broad":
            row["stated"] = {names[r]: sorted(G.nodes[c].get("label", c) for c in targets[r][i]["stated"])
                             for r in rs}
        rows.append(row)
    rows.sort(key=lambda row: (-sum(row["evidence"].values()), row["industry"]))
    only = {names[r]: sorted(label[i] for i in industries[k] - set().union(*industries[:k], *industries[k + 1:]))
            for k, r in enumerate(rs)}
    smallest = sum(min(t[i]["evidence"] if i in t else 0 for t in targets.values()) for i in union)
    largest = sum(max(t[i]["evidence"] if i in t else 0 for t in targets.values()) for i in union)
    nodes = set(rs) | union
    if level == "broad":
        nodes |= lineage(G, {c for t in targets.values() for e in t.values() for c in e["stated"]})
    shared_other = {}
    for key, relation in SHARED_RELATIONS.items():
        hosted = [{o: e for _, o, rel, d in G.out_edges(r, keys=True, data=True)
                   if rel == relation and (e := d if year is None else in_year(d, year)) is not None} for r in rs]
        common = set.intersection(*(set(h) for h in hosted))
        shared_other[key] = sorted(({"name": G.nodes[o].get("label", o),
                                     "evidence": {names[r]: h[o].get("evidence", 0) for r, h in zip(rs, hosted)},
                                     "node": o} for o in common), key=lambda row: row["name"])
        nodes |= common
    meta = {"regions": [names[r] for r in rs], "level": level,
            "jaccard": len(shared) / len(union) if union else 0.0,
            "weighted_jaccard": smallest / largest if largest else 0.0,
            "only": only, "shared": shared_other, **({"year": year} if year is not None else {})}
    columns = ["industry", "evidence", "roles"] + (["stated"] if level == "broad" else [])
    return Table("overlap", columns, rows, nodes, meta)
