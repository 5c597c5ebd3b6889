"""The HTML the app shows: the graph drawn with pyvis, a sentence with its mention marked, tables.

:func:`to_pyvis` returns a :class:`pyvis.network.Network` laid out by :func:`layout` and writes no
file; :func:`to_html` renders it to a self-contained HTML page (pyvis's own copy of vis-network
inlined, nothing taken from a CDN), which the app embeds. :func:`legend` is the legend of
:data:`STYLE`, :func:`highlight` a sentence with its mention marked, :func:`heat_map` and
:func:`html_table` plain tables. Names and sentences come from documents, so every label, tooltip,
sentence and cell is HTML-escaped here before any markup is added.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("r", label="<script>x</script>", type="region")
>>> "<script>x</script>" in to_html(G)
False
>>> highlight("发展<b>新材料</b>产业", 5, 8)
'发展&lt;b&gt;<mark>新材料</mark>&lt;/b&gt;产业'
"""

from __future__ import annotations

import html
import json
import re

import networkx as nx

__all__ = ["STYLE", "OPTIONS", "to_pyvis", "to_html", "cap", "layout", "legend", "highlight", "heat_map",
           "html_table"]

#: Node type → (colour, shape, legend label). One place for the legend and the drawing.
STYLE = {
    "region": ("#d62728", "star", "区域 region"),
    "industry": ("#1f77b4", "dot", "产业 industry"),
    "project": ("#2ca02c", "square", "项目 project"),
    "institution": ("#9467bd", "triangle", "机构 institution"),
    "talent_programme": ("#ff7f0e", "diamond", "人才计划 talent programme"),
    "other": ("#7f7f7f", "dot", "其他 other"),
}

#: vis-network options: nodes come with positions (:func:`layout`, computed once in Python and
#: seeded, so the same graph is drawn the same way and at once, without a physics simulation in the
#: browser), arrows, hover tooltips; nodes can still be dragged.
OPTIONS = {
    "layout": {"randomSeed": 7, "improvedLayout": False},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
              "color": {"color": "#b0b0b0", "highlight": "#555555", "inherit": False}},
    "nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, sans-serif"}},
}

# The layout in the browser, for a graph :func:`layout` leaves to vis-network: a short stabilisation.
_PHYSICS = {"enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 80, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": 150, "fit": True, "updateInterval": 50}}


def cap(G: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, int]:
    """Keep the ``max_nodes`` best-connected nodes; return the subgraph and how many were left out.

    (The explorer's selection, with what it leaves out by type, is :func:`graph.explore.select`.)

    Examples
    --------
    >>> G = nx.MultiDiGraph([(1, 2), (1, 3)])
    >>> H, left_out = cap(G, 2)
    >>> sorted(H), left_out
    ([1, 2], 1)
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be positive, got {max_nodes!r}")
    if G.number_of_nodes() <= max_nodes:
        return G, 0
    keep = sorted(G.nodes, key=lambda n: (-G.degree(n), str(n)))[:max_nodes]
    return G.subgraph(keep).copy(), G.number_of_nodes() - max_nodes


def layout(G: nx.Graph, *, seed: int = 7, scale: float | None = None) -> dict | None:
    """Positions for drawing ``G``: networkx's spring layout of the graph without directions, seeded,
    scaled with the number of nodes.

    Returns None for 500 nodes or more when scipy (which networkx's layout of large graphs needs) is
    not installed: vis-network lays such a graph out in the browser instead.

    Examples
    --------
    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos), layout(nx.Graph([(2, 1), (1, 0)])) == pos
    ([0, 1, 2], True)
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if n >= 500:
        try:
            import scipy  # noqa: F401
        except ImportError:
            return None
    scale = scale if scale is not None else 120 + 40 * n ** 0.5
    # The same graph gets the same positions whatever order its nodes and edges were added in.
    U = nx.Graph()
    U.add_nodes_from(sorted(G, key=str))
    U.add_edges_from(sorted({tuple(sorted((u, v), key=str)) for u, v in G.edges()}, key=lambda e: (str(e[0]), str(e[1]))))
    pos = nx.spring_layout(U, seed=seed, k=1.6 / max(n, 1) ** 0.5, iterations=60, scale=scale)
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def to_pyvis(G: nx.MultiDiGraph, *, height: str = "640px", start=None):
    """A pyvis network of ``G`` with escaped labels and tooltips, laid out (:func:`layout`);
    ``start`` is drawn larger."""
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line",
                  notebook=False)
    pos = layout(G)
    for node, attrs in G.nodes(data=True):
        colour, shape, _ = STYLE.get(attrs.get("type"), STYLE["other"])
        label = str(attrs.get("label", node))
        where = " · ".join(str(attrs[k]) for k in ("province", "city", "zone_type") if attrs.get(k))
        tooltip = f"{label} ({attrs.get('kind', attrs.get('type', ''))})" + (f"\n{where}" if where else "")
        size = (22 if attrs.get("type") == "region" else 12) + (10 if node == start else 0)
        extra = {"borderWidth": 4} if node == start else {}
        if pos is not None:
            extra["x"], extra["y"] = pos[node]
        net.add_node(str(node), label=html.escape(label), title=html.escape(tooltip), color=colour,
                     shape=shape, size=size, **extra)
    for s, o, data in G.edges(data=True):
        relation = data.get("relation", "")
        tooltip = f"{G.nodes[s].get('label', s)} —{relation}→ {G.nodes[o].get('label', o)} · evidence {data.get('evidence', 0)}"
        net.add_edge(str(s), str(o), title=html.escape(tooltip), value=max(1, data.get("evidence", 1)))
    net.set_options(json.dumps(OPTIONS if pos is not None else {**OPTIONS, "physics": _PHYSICS}))
    return net


_REMOTE = re.compile(r"""<(link|script)\b[^>]*\b(?:href|src)\s*=\s*["']?(?:https?:)?//[^>]*>(?:\s*</script>)?""",
                     re.IGNORECASE)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
_VIS_STYLESHEET = re.compile(r"<style>\s*\.vis-overlay\{.*?</style>", re.S)
_VIS_CSS = ("div.vis-tooltip{background-color:#f5f4ed;border:1px solid #808074;border-radius:3px;"
            "box-shadow:3px 3px 10px rgba(0,0,0,.2);color:#000;font-family:sans-serif;font-size:13px;padding:5px;"
            "pointer-events:none;position:absolute;visibility:hidden;white-space:pre-line;z-index:5}"
            ".vis-network:focus{outline:none}")
_REMOTE_LEFT = re.compile(r"""\b(?:href|src)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def to_html(G: nx.MultiDiGraph, *, height: str = "640px", start=None) -> str:
    """The HTML page of :func:`to_pyvis`, self-contained: vis-network's script and stylesheet are
    inlined from pyvis's bundled copy, and the tags pyvis's template links from a CDN (bootstrap,
    unused here) are removed, so the page loads nothing from outside.

    Raises
    ------
    RuntimeError
        If the page would still load something from another host, or lacks vis-network (a pyvis
        whose template changed).

    Examples
    --------
    >>> page = to_html(nx.MultiDiGraph())
    >>> "cdn.jsdelivr" in page, "vis-network" in page
    (False, True)
    """
    page = _REMOTE.sub("", to_pyvis(G, height=height, start=start).generate_html(notebook=False))
    page = _EMPTY_HEADING.sub("", page)
    # vis-network's stylesheet (220 kB, mostly images for buttons and editors not used here): only
    # the tooltip's rule is needed, with line breaks kept.
    page = _VIS_STYLESHEET.sub(lambda m: f"<style>{_VIS_CSS}</style>", page, count=1)
    if _REMOTE_LEFT.search(page):
        raise RuntimeError("the graph page still links a remote resource: pyvis's template changed")
    if "vis.Network" not in page or "vis-network" not in page:
        raise RuntimeError("the graph page does not inline vis-network: pyvis's template changed")
    return page


def legend(types=None) -> str:
    """HTML of the legend: a coloured shape and a label per node type of :data:`STYLE`.

    Examples
    --------
    >>> "区域 region" in legend(["region"]), "产业" in legend(["region"])
    (True, False)
    """
    symbols = {"star": "★", "dot": "●", "square": "■", "triangle": "▲", "diamond": "◆"}
    items = []
    for t in (types if types is not None else STYLE):
        colour, shape, label = STYLE.get(t, STYLE["other"])
        items.append(f'<span style="margin-right:1.2em;white-space:nowrap">'
                     f'<span style="color:{colour};font-size:1.2em">{symbols.get(shape, "●")}</span> '
                     f'{html.escape(label)}</span>')
    return f'<div class="regionkg-legend">{" ".join(items)}</div>'


def highlight(sentence: str, start: int, end: int) -> str:
    """``sentence`` as HTML with ``sentence[start:end]`` in ``<mark>``: the text is escaped first,
    then the markup added. Offsets outside the sentence mark nothing.

    Examples
    --------
    >>> highlight("<img src=x onerror=alert(1)>研究院", 0, 28)
    '<mark>&lt;img src=x onerror=alert(1)&gt;</mark>研究院'
    >>> highlight("abc", 5, 9)
    'abc'
    """
    if not (0 <= start < end <= len(sentence)):
        return html.escape(sentence)
    return (html.escape(sentence[:start]) + "<mark>" + html.escape(sentence[start:end]) + "</mark>"
            + html.escape(sentence[end:]))


def heat_map(columns: list[str], rows: list[tuple[str, dict]], *, title: str = "facts") -> str:
    """An HTML table of counts, each cell shaded by its value: ``rows`` are (row label, column label →
    count). Labels are escaped; column labels are written vertically (as Chinese can be).

    Examples
    --------
    >>> page = heat_map(["新材料产业"], [("<b>淄博市</b>", {"新材料产业": 2})])
    >>> "&lt;b&gt;淄博市&lt;/b&gt;" in page, ">2</td>" in page
    (True, True)
    """
    top = max((v for _, cells in rows for v in cells.values()), default=0) or 1
    head = "".join(f'<th title="{html.escape(c)}" style="writing-mode:vertical-rl;vertical-align:bottom;'
                   f'font-weight:normal;padding:2px 3px;max-height:11em;overflow:hidden">{html.escape(c)}</th>'
                   for c in columns)
    body = []
    for label, cells in rows:
        tds = []
        for c in columns:
            v = cells.get(c)
            if v is None:
                tds.append('<td style="border:1px solid #f0f0f0"></td>')
                continue
            level = 0.15 + 0.85 * v / top
            colour = "#ffffff" if level > 0.6 else "#08306b"
            tds.append(f'<td title="{html.escape(label)} · {html.escape(c)}: {v} {html.escape(title)}" '
                       f'style="background:rgba(33,113,181,{level:.2f});color:{colour};text-align:center;'
                       f'border:1px solid #f0f0f0;min-width:1.6em">{v}</td>')
        body.append(f'<tr><th style="text-align:right;font-weight:normal;padding-right:6px;white-space:nowrap">'
                    f'{html.escape(label)}</th>{"".join(tds)}</tr>')
    return ('<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:0.85em">'
            f'<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def html_table(rows: list[dict], columns: list[str]) -> str:
    """A plain HTML table of ``rows`` (dicts) in ``columns``, every value escaped; lists joined with 、.

    Examples
    --------
    >>> page = html_table([{"a": "<x>", "b": [1, 2]}], ["a", "b"])
    >>> "<td" in page, "&lt;x&gt;" in page, "<x>" in page, "1、2" in page
    (True, True, False, True)
    """
    def cell(value) -> str:
        if isinstance(value, (list, tuple)):
            value = "、".join(map(str, value))
        elif isinstance(value, float):
            value = f"{value:.3g}"
        return html.escape("" if value is None else str(value))

    style = 'style="text-align:left;padding:3px 10px;border-bottom:1px solid #e6e6e6;white-space:nowrap"'
    head = "".join(f"<th {style}>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td {style}>{cell(row.get(c))}</td>" for c in columns) + "</tr>"
                   for row in rows)
    return (f'<div style="overflow-x:auto"><table style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')
