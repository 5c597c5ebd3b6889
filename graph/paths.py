"""How two nodes are connected: the shortest paths between them through what plans name.

"Why are these two regions similar?" — because both target 新材料产业, host the same institute, or
(at the broad level) target industries under the same top concept. The paths run over the view
without direction, through nodes of the types asked for; each step says which relation it follows
and which way.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from(["A", "B"], type="region")
>>> G.add_node("i", type="industry", label="新材料产业")
>>> for r in "AB":
...     _ = G.add_edge(r, "i", key="targets_industry", relation="targets_industry", evidence=1)
>>> paths(G, "A", "B").rows[0]["path"]
'A —targets_industry→ 新材料产业 ←targets_industry— B'
"""

from __future__ import annotations

import networkx as nx

from graph.regions import resolve
from graph.table import Table
from graph.taxonomy import BROADER, check_level

__all__ = ["paths", "THROUGH"]

#: The node types a path may pass through by default.
THROUGH = ("industry", "project", "institution", "talent_programme")

_RELATIONS = ("targets_industry", "hosts_project", "hosts_institution", "runs_talent_programme",
              "in_industry", "has_part", "part_of", "located_in")


def paths(G: nx.MultiDiGraph, source: str, target: str, *, level: str = "stated", through=THROUGH,
          limit: int = 10, store=None) -> Table:
    """The shortest paths between two nodes, through nodes of the types in ``through``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    source, target : str
        Any two nodes (regions, industries, institutions …) by name, alias or IRI.
    level : {"stated", "broad"}
        At the broad level paths may also climb the industry hierarchy (``broader`` edges), so two
        regions that target different industries under one top concept are connected through it.
    through : iterable of str
        Node types allowed between the two ends (add ``region`` to pass through regions).
    limit : int
        At most this many paths (the first by their names).
    store : graph.store.Store, optional
        If given, each step that a fact states gets its ``sentences``.

    Returns
    -------
    Table
        ``paths`` rows: ``path`` (the steps written out), ``length``, ``names``, ``relations`` and
        ``nodes`` (the IRIs along it); no rows if the two are not connected that way.

    Raises
    ------
    ValueError
        For the same node twice, an unknown level or type, or ``limit`` below 1.
    """
    check_level(level)
    through = tuple(through)
    bad = [t for t in through if t not in THROUGH + ("region",)]
    if bad:
        raise ValueError(f"unknown node type {bad[0]!r}; known: {', '.join(THROUGH + ('region',))}")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit!r}")
    every = THROUGH + ("region",)
    s, t = resolve(G, source, types=every), resolve(G, target, types=every)
    if s == t:
        raise ValueError(f"source and target are the same node: {G.nodes[s].get('label', s)}")
    relations = set(_RELATIONS) | ({BROADER} if level == "broad" else set())
    allowed = set(through)
    view = nx.subgraph_view(
        G, filter_node=lambda n: n in (s, t) or G.nodes[n].get("type") in allowed,
        filter_edge=lambda u, v, k: G.edges[u, v, k].get("relation") in relations)
    U = view.to_undirected(as_view=True)
    meta = {"source": G.nodes[s].get("label", s), "target": G.nodes[t].get("label", t), "level": level,
            "through": list(through)}
    try:
        length = nx.shortest_path_length(U, s, t)
    except nx.NetworkXNoPath:
        return Table("paths", ["path", "length"], [], {s, t}, {**meta, "length": None})
    pred = nx.predecessor(U, s, cutoff=length)
    found = sorted(_walk(pred, s, t, cap=10_000), key=lambda p: [G.nodes[n].get("label", n) for n in p])
    rows, nodes = [], {s, t}
    for p in found[:limit]:
        steps = [_step(G, u, v, relations) for u, v in zip(p, p[1:])]
        text = G.nodes[p[0]].get("label", p[0])
        for (relation, forward), v in zip(steps, p[1:]):
            text += f" —{relation}→ " if forward else f" ←{relation}— "
            text += G.nodes[v].get("label", v)
        rows.append({"path": text, "length": length, "names": [G.nodes[n].get("label", n) for n in p],
                     "relations": [r for r, _ in steps], "nodes": p, "_steps": steps})
        nodes |= set(p)
    if store is not None:
        _add_sentences(store, rows)
    for row in rows:
        del row["_steps"]
    return Table("paths", ["path", "length"], rows, nodes, {**meta, "length": length})


def _walk(pred: dict, source, node, cap: int):
    """Every path from ``source`` to ``node`` in a predecessor map (at most ``cap``)."""
    stack, count = [[node]], 0
    while stack and count < cap:
        path = stack.pop()
        head = path[-1]
        if head == source:
            count += 1
            yield path[::-1]
            continue
        for p in pred.get(head, ()):
            if p not in path:
                stack.append(path + [p])


def _step(G: nx.MultiDiGraph, u, v, relations) -> tuple[str, bool]:
    for a, b, forward in ((u, v, True), (v, u, False)):
        for key, data in G.get_edge_data(a, b, default={}).items():
            if data.get("relation") in relations:
                return data["relation"], forward
    raise AssertionError(f"no edge between {u} and {v}")  # pragma: no cover - paths follow edges


def _add_sentences(store, rows: list[dict]) -> None:
    from graph.sentences import sentences

    wanted: dict[str, set] = {}
    for row in rows:
        for (relation, forward), u, v in zip(row["_steps"], row["nodes"], row["nodes"][1:]):
            if relation != BROADER:
                wanted.setdefault(relation, set()).add((u, v) if forward else (v, u))
    found = {}
    for relation, edges in wanted.items():
        found.update({(relation, *k): e for k, e in sentences(store, sorted(edges), relation).items()})
    for row in rows:
        row["sentences"] = [
            [e.sentence for e in found.get((relation, *((u, v) if forward else (v, u))), ())]
            for (relation, forward), u, v in zip(row["_steps"], row["nodes"], row["nodes"][1:])]
