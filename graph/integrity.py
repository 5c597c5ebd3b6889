"""Reading every part of the embedded store once, so that a damaged block anywhere is found.

Oxigraph keeps each quad in six RocksDB indexes (spog, posg, ospg over all named graphs; gspo, gpos,
gosp per graph), three more for the default graph, the strings of its terms (id2str) and the list
of named graphs. RocksDB checks a block's checksum when it reads the block, so a damaged block is
only noticed by a read that needs it: a count over one index says nothing about another.
:func:`check` reads each index from end to end, and every term's string, with streaming queries
that return nothing (or one row per distinct term), so it takes little memory and stops at the
first error.

Why before a command: Oxigraph 0.5 (``RocksDbDecodingQuadIterator``) returns a read error again
on every step after the first, and a query that sorts or groups collects those errors without
end (22 GB and six minutes for ``regionkg stats`` on the sample store with one overwritten block).
A check first turns that into one line.

Examples
--------
>>> import tempfile
>>> from graph.store import Store
>>> with Store(tempfile.mkdtemp()) as kg:
...     check(kg)["graphs"]
1
"""

from __future__ import annotations

from graph.store import StoreDamaged, storage_error

__all__ = ["check", "INDEX_SCANS"]

# Each query reads one index whole. The variables the inner SELECT binds decide which index the
# pattern after LATERAL is read from (Oxigraph picks it by the positions bound: the subject alone,
# spog; a graph and a predicate, gpos …), and the FILTER, true of no row, keeps every row inside
# the engine; it tests a variable only the LATERAL part binds, so it cannot be evaluated before
# that part is read. A read error is not a FILTER error: it reaches the caller.
_NONE = "FILTER(isLiteral(?p))"


def _lateral(bound: str, pattern: str) -> str:
    """Read ``pattern`` once for each distinct value of the ``bound`` variables (the others renamed
    in the inner SELECT, so they stay free after LATERAL)."""
    inner = pattern
    for var in ("?g", "?s", "?p", "?o"):
        if var not in bound.split():
            inner = inner.replace(var, var + "0")
    free = "?p" if "?s" in bound.split() else "?s"  # never a literal, in a variable bound after LATERAL
    return (f"SELECT ?s WHERE {{ {{ SELECT DISTINCT {bound} WHERE {{ {inner} }} }} "
            f"LATERAL {{ {pattern} }} FILTER(isLiteral({free})) }}")


#: Index name → the query that reads it from end to end.
INDEX_SCANS = {
    "gspo": f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NONE} }}",
    "spog": _lateral("?s", "GRAPH ?g { ?s ?p ?o }"),
    "posg": _lateral("?p", "GRAPH ?g { ?s ?p ?o }"),
    "ospg": _lateral("?o", "GRAPH ?g { ?s ?p ?o }"),
    "gpos": _lateral("?g ?p", "GRAPH ?g { ?s ?p ?o }"),
    "gosp": _lateral("?g ?o", "GRAPH ?g { ?s ?p ?o }"),
    "dspo": f"SELECT ?s WHERE {{ ?s ?p ?o {_NONE} }}",
    "dpos": _lateral("?p", "?s ?p ?o"),
    "dosp": _lateral("?o", "?s ?p ?o"),
}

#: Every term of every quad, once: returning them makes Oxigraph read each one's string.
_TERMS = """SELECT DISTINCT ?t WHERE {
  { GRAPH ?t { ?s ?p ?o } } UNION { GRAPH ?g { ?t ?p ?o } } UNION { GRAPH ?g { ?s ?t ?o } }
  UNION { GRAPH ?g { ?s ?p ?t } } UNION { ?t ?p ?o } UNION { ?s ?t ?o } UNION { ?s ?p ?t } }"""


def check(store) -> dict:
    """Read every index and every term of an embedded store once; the counts read.

    A store on a SPARQL server keeps its own storage: nothing is read there (an empty dict).

    Returns
    -------
    dict
        ``graphs`` (named graphs listed) and ``terms`` (distinct terms read).

    Raises
    ------
    StoreDamaged
        At the first block that cannot be read, with RocksDB's words (the file and offset).
    """
    inner = getattr(store, "_inner", None)
    if inner is None:
        return {}
    location = getattr(store, "path", store)
    try:
        graphs = sum(1 for _ in inner.named_graphs())
        for query in INDEX_SCANS.values():
            for _ in inner.query(query, use_default_graph_as_union=False):
                pass
        terms = sum(1 for _ in inner.query(_TERMS, use_default_graph_as_union=False))
    except (OSError, RuntimeError) as e:
        error = storage_error(e, location)
        if isinstance(error, StoreDamaged):
            raise error from e
        raise StoreDamaged(f"the store at {location} is damaged: {e}") from e
    return {"graphs": graphs, "terms": terms}
