"""Draw a networkx view of the graph with pyvis: colour and shape by node type, text escaped.

:func:`to_pyvis` returns a :class:`pyvis.network.Network` and writes no file; :func:`to_html`
renders it to a self-contained HTML page (vis-network inlined, no CDN), which the app embeds.
Names and sentences come from documents, so every label and tooltip is HTML-escaped here.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("r", label="<script>x</script>", type="region")
>>> "<script>x</script>" in to_html(G)
False
"""

from __future__ import annotations

import html
import re

import networkx as nx

__all__ = ["STYLE", "to_pyvis", "to_html", "cap"]

#: Node type → (colour, shape, legend label). One place for the legend and the drawing.
STYLE = {
    "region": ("#d62728", "star", "区域 region"),
    "industry": ("#1f77b4", "dot", "产业 industry"),
    "project": ("#2ca02c", "square", "项目 project"),
    "institution": ("#9467bd", "triangle", "机构 institution"),
    "talent_programme": ("#ff7f0e", "diamond", "人才计划 talent programme"),
    "other": ("#7f7f7f", "dot", "其他 other"),
}


def cap(G: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, int]:
    """Keep the ``max_nodes`` best-connected nodes; return the subgraph and how many were left out."""
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be positive, got {max_nodes!r}")
    if G.number_of_nodes() <= max_nodes:
        return G, 0
    keep = sorted(G.nodes, key=lambda n: (-G.degree(n), str(n)))[:max_nodes]
    return G.subgraph(keep).copy(), G.number_of_nodes() - max_nodes


def to_pyvis(G: nx.MultiDiGraph, *, height: str = "640px"):
    """A pyvis network of ``G`` with escaped labels and tooltips, physics on."""
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line",
                  notebook=False)
    for node, attrs in G.nodes(data=True):
        colour, shape, _ = STYLE.get(attrs.get("type"), STYLE["other"])
        label = html.escape(str(attrs.get("label", node)))
        tooltip = html.escape(f"{attrs.get('label', node)} ({attrs.get('kind', attrs.get('type', ''))})")
        size = 22 if attrs.get("type") == "region" else 12
        net.add_node(str(node), label=label, title=tooltip, color=colour, shape=shape, size=size)
    for s, o, data in G.edges(data=True):
        relation = data.get("relation", "")
        tooltip = html.escape(f"{relation} · evidence {data.get('evidence', 0)}")
        net.add_edge(str(s), str(o), title=tooltip, value=max(1, data.get("evidence", 1)))
    net.toggle_physics(True)
    return net


_REMOTE = re.compile(r"""<(link|script)\b[^>]*\b(?:href|src)\s*=\s*["']?(?:https?:)?//[^>]*>(?:\s*</script>)?""",
                     re.IGNORECASE)


def to_html(G: nx.MultiDiGraph, *, height: str = "640px") -> str:
    """The HTML page of :func:`to_pyvis`, self-contained: vis-network is inlined, and the
    stylesheet and script tags pyvis's template links from a CDN (bootstrap, unused here) are
    removed, so the page loads nothing from outside.

    Examples
    --------
    >>> page = to_html(nx.MultiDiGraph())
    >>> "cdn.jsdelivr" in page, "vis-network" in page
    (False, True)
    """
    return _REMOTE.sub("", to_pyvis(G, height=height).generate_html(notebook=False))
