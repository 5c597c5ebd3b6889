"""A subgraph as a file to download: RDF, GraphML and GEXF through :mod:`graph.export`, or CSV.

:func:`export_bytes` writes the subgraph behind a set of nodes in one of :data:`DOWNLOADS` and
returns the file's bytes: Turtle, JSON-LD and N-Triples are :func:`graph.export.export`'s RDF (the
nodes' labels and types, the relations among them and every fact between two of them with its
sentence and document, so ``regionkg load`` reads it back with its evidence), GraphML and GEXF its
networkx files for Gephi, and two CSV tables (nodes; edges) in the columns Gephi's spreadsheet
import reads (``Id``, ``Label``; ``Source``, ``Target``, ``Type``, ``Label``, ``Weight``).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("r", type="region", label="淄博市", years=[2018])
>>> G.add_node("i", type="industry", label="新材料产业")
>>> _ = G.add_edge("r", "i", key="targets_industry", relation="targets_industry", evidence=2, roles=["lead"])
>>> print(export_bytes(G, {"r", "i"}, "edges.csv").decode(), end="")
Source,Target,Type,Label,Weight,evidence,roles,years
r,i,Directed,targets_industry,2,2,lead,
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import networkx as nx

from graph.export import FORMATS, export, subgraph

__all__ = ["DOWNLOADS", "export_bytes", "nodes_csv", "edges_csv"]

#: Download name → (what it is, file suffix, MIME type). The suffixes of RDF, GraphML and GEXF are
#: those of :data:`graph.export.FORMATS`.
DOWNLOADS = {
    "ttl": ("Turtle", ".ttl", "text/turtle"),
    "jsonld": ("JSON-LD", ".jsonld", "application/ld+json"),
    "nt": ("N-Triples", ".nt", "application/n-triples"),
    "graphml": ("GraphML (Gephi)", ".graphml", "application/graphml+xml"),
    "gexf": ("GEXF (Gephi)", ".gexf", "application/gexf+xml"),
    "nodes.csv": ("CSV, nodes", ".csv", "text/csv"),
    "edges.csv": ("CSV, edges", ".csv", "text/csv"),
}

#: Node attributes written to the nodes CSV, after ``Id`` and ``Label``.
NODE_COLUMNS = ("type", "kind", "province", "city", "zone_type", "years", "aliases")


def export_bytes(G: nx.MultiDiGraph, nodes, fmt: str, *, store=None) -> bytes:
    """The subgraph of ``G`` among ``nodes`` as a file in format ``fmt`` (a key of :data:`DOWNLOADS`).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    nodes : collection of str
        The IRIs of the nodes (a :class:`graph.table.Table`'s ``nodes``, an explorer selection).
    fmt : str
    store : graph.store.Store, optional
        Needed for the RDF formats, which are read from the store with their evidence.

    Raises
    ------
    ValueError
        For an unknown format, or RDF without a store.
    """
    if fmt not in DOWNLOADS:
        raise ValueError(f"unknown download format {fmt!r}; known: {', '.join(DOWNLOADS)}")
    nodes = set(nodes)
    if fmt == "nodes.csv":
        return nodes_csv(G, nodes).encode("utf-8")
    if fmt == "edges.csv":
        return edges_csv(G, nodes).encode("utf-8")
    suffix = DOWNLOADS[fmt][1]
    assert suffix in FORMATS, suffix
    with tempfile.TemporaryDirectory(prefix="regionkg-") as tmp:
        path = Path(tmp) / f"subgraph{suffix}"
        export(G, nodes, path, store=store)
        return path.read_bytes()


def nodes_csv(G: nx.MultiDiGraph, nodes) -> str:
    """The nodes among ``nodes`` as CSV: ``Id`` (IRI), ``Label`` and :data:`NODE_COLUMNS`.

    Lists are joined with ``"; "``; a missing value is an empty cell.
    """
    H = subgraph(G, nodes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Id", "Label", *NODE_COLUMNS])
    for n in sorted(H):
        attrs = H.nodes[n]
        writer.writerow([n, attrs.get("label", n), *(attrs.get(c, "") for c in NODE_COLUMNS)])
    return out.getvalue()


def edges_csv(G: nx.MultiDiGraph, nodes) -> str:
    """The edges among ``nodes`` as CSV: ``Source``, ``Target``, ``Type`` (Directed), ``Label``
    (the relation), ``Weight`` (the evidence, at least 1), ``evidence``, ``roles``, ``years``."""
    H = subgraph(G, nodes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Source", "Target", "Type", "Label", "Weight", "evidence", "roles", "years"])
    for s, o, key, data in sorted(H.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        evidence = int(data.get("evidence", 0) or 0)
        writer.writerow([s, o, "Directed", data.get("relation", key), max(1, evidence), evidence,
                         data.get("roles", ""), data.get("years", "")])
    return out.getvalue()
