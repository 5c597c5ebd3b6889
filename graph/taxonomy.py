"""The level a comparison runs at: industries as plans state them, or rolled up the industry scheme.

The hierarchy is never repeated here: :func:`graph.views.to_networkx` reads it from the store (the
vocabulary graph and the provisional concepts documents add, each with its own ``skos:broader``) as
``broader`` edges above the industries plans name, and marks the scheme's top concepts ``top=True``.
At ``level="broad"`` an industry counts as the top concept(s) it reaches by following ``broader``
edges, so 集成电路 counts as 新一代信息技术产业; a concept that reaches no top concept (a provisional
concept with no broader one) counts as itself.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> _ = G.add_edge("集成电路", "电子核心产业", key="broader", relation="broader")
>>> _ = G.add_edge("电子核心产业", "新一代信息技术产业", key="broader", relation="broader")
>>> G.nodes["新一代信息技术产业"]["top"] = True
>>> nx.set_node_attributes(G, "industry", "type")
>>> roll_up(G, "broad")["集成电路"], roll_up(G, "stated")["集成电路"]
(('新一代信息技术产业',), ('集成电路',))
"""

from __future__ import annotations

import networkx as nx

__all__ = ["LEVELS", "BROADER", "check_level", "roll_up", "lineage"]

#: The taxonomy levels every comparison runs at.
LEVELS = ("stated", "broad")

#: Edge ``relation`` of the hierarchy (``skos:broader``), from a concept to a broader one.
BROADER = "broader"


def check_level(level: str) -> str:
    """Return ``level`` if it is one of :data:`LEVELS`.

    Raises
    ------
    ValueError
        Naming the unknown level and the known ones.

    Examples
    --------
    >>> check_level("broad")
    'broad'
    >>> check_level("top")
    Traceback (most recent call last):
    ...
    ValueError: unknown level 'top'; known: stated, broad
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; known: {', '.join(LEVELS)}")
    return level


def roll_up(G: nx.MultiDiGraph, level: str = "stated") -> dict[str, tuple[str, ...]]:
    """Map every industry of ``G`` to the concepts it counts as at ``level``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx` (industries have ``type="industry"``).
    level : {"stated", "broad"}
        ``"stated"``: each industry is itself. ``"broad"``: the top concepts reached up the
        ``broader`` edges (several if the scheme gives a concept several broader ones).

    Returns
    -------
    dict
        Industry node → tuple of nodes, sorted.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x-智能经济", type="industry")  # a provisional concept with no broader one
    >>> roll_up(G, "broad")
    {'x-智能经济': ('x-智能经济',)}
    """
    check_level(level)
    industries = [n for n, t in G.nodes(data="type") if t == "industry"]
    if level == "stated":
        return {n: (n,) for n in industries}
    return {n: tuple(sorted(_tops(G, n))) for n in industries}


def lineage(G: nx.MultiDiGraph, concepts) -> set[str]:
    """``concepts`` and every concept above them, up to the top concepts (for exported subgraphs).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", key="broader", relation="broader")
    >>> _ = G.add_edge("b", "c", key="broader", relation="broader")
    >>> sorted(lineage(G, ["a"]))
    ['a', 'b', 'c']
    """
    out, todo = set(), [c for c in concepts if c in G]
    while todo:
        c = todo.pop()
        if c in out:
            continue
        out.add(c)
        if not G.nodes[c].get("top"):
            todo.extend(_broader(G, c))
    return out


def _broader(G: nx.MultiDiGraph, concept: str) -> list[str]:
    return [b for _, b, relation in G.out_edges(concept, keys=True) if relation == BROADER]


def _tops(G: nx.MultiDiGraph, concept: str) -> set[str]:
    tops, todo, seen = set(), [concept], {concept}
    while todo:
        c = todo.pop()
        up = [] if G.nodes[c].get("top") else _broader(G, c)
        if not up:
            tops.add(c)
        for b in up:
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return tops or {concept}  # a cycle without a top concept: the concept stays itself
