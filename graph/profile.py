"""The profile of one region: what its plans target and host, its sub-zones and what it lies in."""

from __future__ import annotations

import networkx as nx

from graph.regions import region_names, resolve
from graph.table import Table
from graph.taxonomy import check_level, lineage
from graph.views import region_industry_view

__all__ = ["profile", "PROFILE_TYPES"]

#: What a profile lists, in this order: node type → the relations that lead to it.
PROFILE_TYPES = {
    "industry": ("targets_industry",),
    "project": ("hosts_project",),
    "institution": ("hosts_institution",),
    "talent_programme": ("runs_talent_programme",),
    "region": ("has_part", "part_of", "located_in"),
}


def profile(G: nx.MultiDiGraph, region: str, *, level: str = "stated", types=None) -> Table:
    """A region's industries (with role and evidence count), projects, institutions, talent
    programmes, sub-zones and the regions it lies in.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    region : str
        A region's name, alias or IRI (:func:`graph.regions.resolve`).
    level : {"stated", "broad"}
        Industries as stated, or rolled up to the top concepts of the scheme; a rolled-up row sums
        the evidence of the industries under it and lists them in ``stated``.
    types : iterable of str, optional
        Keep only these entity types (keys of :data:`PROFILE_TYPES`; ``region`` are the sub-zones
        and the containing regions).

    Returns
    -------
    Table
        ``profile`` rows with ``relation`` (``targets_industry`` … ``has_part`` for a sub-zone,
        ``part_of``/``located_in`` for the regions it lies in, nearest first), ``name``, ``type``,
        ``kind``, ``roles``, ``evidence`` (facts stating it; 0 for reference data) and ``node``;
        ``meta`` holds the region's attributes.

    Raises
    ------
    ValueError
        For an unknown level or entity type.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", type="region", label="淄博市", kind="city", province="山东省")
    >>> G.add_node("p", type="region", label="山东省", kind="province")
    >>> G.add_node("i", type="industry", label="新材料产业")
    >>> _ = G.add_edge("r", "i", key="targets_industry", relation="targets_industry", evidence=3, roles=["lead"])
    >>> _ = G.add_edge("r", "p", key="part_of", relation="part_of", evidence=0)
    >>> t = profile(G, "淄博市")
    >>> [(row["relation"], row["name"], row["roles"], row["evidence"]) for row in t]
    [('targets_industry', '新材料产业', ['lead'], 3), ('part_of', '山东省', [], 0)]
    >>> t.meta["province"]
    '山东省'
    """
    check_level(level)
    types = tuple(PROFILE_TYPES) if types is None else tuple(types)
    for t in types:
        if t not in PROFILE_TYPES:
            raise ValueError(f"unknown entity type {t!r}; known: {', '.join(PROFILE_TYPES)}")
    r = resolve(G, region)
    rows: list[dict] = []
    nodes = {r}
    if "industry" in types:
        B = region_industry_view(G, level)
        found = []
        for i, data in (B[r].items() if r in B else ()):
            row = _row(G, "targets_industry", i, data)
            if level == "broad":
                row["stated"] = sorted(G.nodes[c].get("label", c) for c in data["stated"])
            found.append(row)
            nodes |= (lineage(G, data["stated"]) if level == "broad" else set()) | {i}
        rows += sorted(found, key=lambda row: (-row["evidence"], row["name"]))
    for t in ("project", "institution", "talent_programme"):
        if t in types:
            found = [_row(G, relation, o, data) for _, o, relation, data in G.out_edges(r, keys=True, data=True)
                     if relation in PROFILE_TYPES[t]]
            rows += sorted(found, key=lambda row: (-row["evidence"], row["name"]))
    if "region" in types:
        # A sub-zone the region's plans name (has_part, with evidence), or a region that says it is
        # part of or located in this one (reference data, no evidence); the first kept.
        parts = [_row(G, "has_part", o, data) for _, o, rel, data in G.out_edges(r, keys=True, data=True)
                 if rel == "has_part"]
        parts += [_row(G, "has_part", s, {**data, "roles": []})
                  for s, _, rel, data in G.in_edges(r, keys=True, data=True) if rel in ("part_of", "located_in")]
        unique = {}
        for row in parts:
            unique.setdefault(row["node"], row)
        rows += sorted(unique.values(), key=lambda row: (-row["evidence"], row["name"]))
        rows += _parents(G, r)
    nodes |= {row["node"] for row in rows}
    attrs = G.nodes[r]
    meta = {"region": region_names(G, [r])[r], "node": r, "level": level,
            **{k: attrs.get(k) for k in ("label", "aliases", "kind", "province", "city", "zone_type", "years")}}
    columns = ["relation", "name", "kind", "roles", "evidence"] + (["stated"] if level == "broad" else [])
    return Table("profile", columns, rows, nodes, meta)


def _row(G: nx.MultiDiGraph, relation: str, node: str, data: dict) -> dict:
    attrs = G.nodes[node]
    return {"relation": relation, "name": attrs.get("label", node), "type": attrs.get("type"),
            "kind": attrs.get("kind"), "roles": list(data.get("roles", [])),
            "evidence": data.get("evidence", 0), "node": node}


def _parents(G: nx.MultiDiGraph, region: str) -> list[dict]:
    """The part_of / located_in chain above a region, nearest first (breadth first)."""
    rows, todo, seen = [], [region], {region}
    while todo:
        x = todo.pop(0)
        for _, parent, relation, data in G.out_edges(x, keys=True, data=True):
            if relation in ("part_of", "located_in") and parent not in seen:
                seen.add(parent)
                todo.append(parent)
                rows.append(_row(G, relation, parent, {**data, "roles": []}))
    return rows
