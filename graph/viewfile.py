"""The networkx view of an embedded store, kept on disk with the store.

A process that answers one comparison (the command line) cannot afford to build the view of a big
store: at 10,000 documents that takes longer than the answer may. The view is written once, beside
the store's files (:data:`FILE_NAME`), with the stamps of the aggregate's rows it was built from
(:meth:`graph.aggregate.Aggregate.stamps`: graph name → the write that gave the graph its rows); a
process finds it there, checks that it is the view of the store as it is, and loads it instead of
building it. A view of fewer graphs is brought up to date (:func:`graph.views.refresh`) and written
again.

The file holds plain data only (``marshal``: dicts, lists, strings, numbers; no code is run to read
it, unlike ``pickle``), with a SHA-256 of its content: a damaged or foreign file is ignored and the
view is built again.

Examples
--------
>>> import tempfile, os, networkx as nx
>>> G = nx.MultiDiGraph(); _ = G.add_edge("r", "i", key="targets_industry", evidence=2)
>>> path = os.path.join(tempfile.mkdtemp(), FILE_NAME)
>>> save_view(path, {"urn:g": 7}, G)
>>> stamps, H = load_view(path)
>>> stamps, H.edges["r", "i", "targets_industry"]["evidence"]
({'urn:g': 7}, 2)
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import struct
import tempfile
from pathlib import Path

import networkx as nx

__all__ = ["FILE_NAME", "save_view", "load_view", "read_stamps"]

#: The view's file in the embedded store's directory.
FILE_NAME = "regionkg-view.bin"
_MAGIC = b"regionkg view 1\n"
_HEAD = struct.Struct("<QQ32s")  # header length, payload length, SHA-256 of both


def save_view(path, stamps: dict, G: nx.MultiDiGraph) -> None:
    """Write the view ``G``, built from the rows of graphs with these ``stamps``, to ``path``, whole
    or not at all.

    Attribute values that are equal lists or dicts (most edges' ``roles``, ``years``,
    ``evidence_by_year``) are written once and read back as one shared object: a third fewer
    objects to make when the view is loaded. A view is read-only; nothing may change them in place.
    """
    header = marshal.dumps(dict(stamps), 4)
    payload = marshal.dumps((dict(G.graph), _shared(G._node.values(), G._node),
                             _shared((d for keyed in _edges(G) for d in keyed.values()), G._succ), G._pred), 4)
    digest = hashlib.sha256(header + payload).digest()
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".view-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + _HEAD.pack(len(header), len(payload), digest))
            out.write(header)
            out.write(payload)
        os.chmod(tmp, 0o644)  # as the store's own files: readable by whoever may read the store
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _edges(G):
    for neighbours in G._succ.values():
        yield from neighbours.values()


def _shared(attribute_dicts, result):
    """Make equal list and dict values of these attribute dicts one object each (in place); returns
    ``result``. marshal then writes each once (it keeps shared references)."""
    pool: dict = {}
    pooled: set[int] = set()  # objects already the pool's own (a view loaded from a file is mostly)
    for attrs in attribute_dicts:
        for name, value in attrs.items():
            if id(value) in pooled:
                continue
            if isinstance(value, list):
                key = ("l", *value)
            elif isinstance(value, dict):
                key = ("d", *value.items())
            else:
                continue
            try:
                attrs[name] = shared = pool.setdefault(key, value)
            except TypeError:  # unhashable members: left as they are
                continue
            pooled.add(id(shared))
    return result


def _read(path, *, whole: bool):
    with open(path, "rb") as f:
        if f.read(len(_MAGIC)) != _MAGIC:
            return None
        n_header, n_payload, digest = _HEAD.unpack(f.read(_HEAD.size))
        header = f.read(n_header)
        if not whole:
            return marshal.loads(header), None
        payload = f.read(n_payload)
    if len(payload) != n_payload or hashlib.sha256(header + payload).digest() != digest:
        return None
    return marshal.loads(header), payload


def read_stamps(path) -> dict | None:
    """The stamps of the view at ``path``, without reading the view; None if there is none."""
    try:
        found = _read(path, whole=False)
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        return None
    return None if found is None else found[0]


def load_view(path) -> tuple[dict, nx.MultiDiGraph] | None:
    """The stamps and the view kept at ``path``; None if there is none, or it is damaged."""
    try:
        found = _read(path, whole=True)
        if found is None:
            return None
        stamps, payload = found
        enabled = gc.isenabled()
        gc.disable()  # millions of containers: the collector would walk them again and again
        try:
            graph, node, succ, pred = marshal.loads(payload)
        finally:
            if enabled:
                gc.enable()
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        return None
    G = nx.MultiDiGraph()
    G.graph.update(graph)
    G._node, G._succ, G._adj, G._pred = node, succ, succ, pred
    return stamps, G
