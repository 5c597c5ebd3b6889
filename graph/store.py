"""The persistent store: an embedded, on-disk RDF dataset read and written through rdflib's API.

The store is an rdflib :class:`~rdflib.Dataset` over the ``Oxigraph`` store plugin (oxrdflib), so it
is a real SPARQL database on disk, one directory, and every rdflib tool works on it. Each document's
facts live in their own named graph (the document's IRI); the ontology and vocabularies live in the
named graph :data:`VOCABULARY_GRAPH`. Queries see the union of all graphs.

Examples
--------
>>> import tempfile
>>> with Store(tempfile.mkdtemp()) as store:
...     store.stats()["documents"]
0
"""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Literal, URIRef

from ontology import BASE, RKG, VOCABULARY_FILES, ONTOLOGY_DIR, bind_prefixes, vocabulary

__all__ = [
    "Store",
    "StoreError",
    "VOCABULARY_GRAPH",
    "DEFAULT_STORE",
    "EXPORT_FORMATS",
    "default_store_path",
    "sparql_iri",
    "sparql_string",
]

VOCABULARY_GRAPH = URIRef(BASE + "graph/vocabulary")
_VOCAB_HASH = URIRef(BASE + "graph/vocabulary#hash")
_VOCAB = f"<{VOCABULARY_GRAPH}>"

#: Where the store lives unless ``--store`` or ``REGIONKG_STORE`` says otherwise.
DEFAULT_STORE = Path("data/store")

#: Export format name → (rdflib serializer, file suffix).
EXPORT_FORMATS = {"ttl": ("turtle", ".ttl"), "nt": ("nt", ".nt"), "jsonld": ("json-ld", ".jsonld"),
                  "trig": ("trig", ".trig"), "nq": ("nquads", ".nq")}


class StoreError(RuntimeError):
    """The store cannot be opened or written (locked, corrupt, not a store)."""


_IRI_FORBIDDEN = set('<>"{}|^`\\') | {chr(i) for i in range(0x21)}


def sparql_iri(iri) -> str:
    """``iri`` written as a SPARQL IRI reference, refusing characters that could break out of it.

    Examples
    --------
    >>> sparql_iri("https://w3id.org/regionkg/region/330206")
    '<https://w3id.org/regionkg/region/330206>'
    >>> sparql_iri("x> } DROP ALL #")
    Traceback (most recent call last):
    ...
    ValueError: not a safe IRI: 'x> } DROP ALL #'
    """
    text = str(iri)
    if not text or any(c in _IRI_FORBIDDEN for c in text):
        raise ValueError(f"not a safe IRI: {text!r}")
    return f"<{text}>"


def sparql_string(value) -> str:
    r"""``value`` as a SPARQL string literal, every quote, backslash and line break escaped.

    Examples
    --------
    >>> sparql_string('新材料" } ; DROP ALL #')
    '"新材料\\" } ; DROP ALL #"'
    """
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("'", "\\'")):
        text = text.replace(raw, escaped)
    return f'"{text}"'


def default_store_path() -> Path:
    """``$REGIONKG_STORE`` if set, else :data:`DEFAULT_STORE` (relative to the working directory)."""
    return Path(os.environ.get("REGIONKG_STORE") or DEFAULT_STORE)


class Store:
    """An on-disk regionkg graph. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    path : str or Path
        The store's directory; created if missing.
    read_only : bool
        Open without taking the write lock (several readers, e.g. the app and the CLI).
    """

    def __init__(self, path, *, read_only: bool = False):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store path {str(self.path)!r} exists and is not a directory")
        self.read_only = read_only
        if read_only and not self.path.is_dir():
            raise StoreError(f"no store at {str(self.path)!r}: run 'regionkg ingest' first")
        try:
            import pyoxigraph
            from oxrdflib import OxigraphStore

            if read_only:
                inner = pyoxigraph.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                inner = pyoxigraph.Store(str(self.path))
        except (OSError, RuntimeError) as e:
            # RuntimeError: RocksDB's own errors, e.g. "Corruption: … .sst missing" when a read-only
            # handle opens while a writer compacts; a retry usually succeeds.
            raise StoreError(f"cannot open store {str(self.path)!r}: {e}") from e
        self.dataset = bind_prefixes(Dataset(store=OxigraphStore(store=inner), default_union=True))
        if not read_only:
            self.ensure_vocabulary()

    # -- life cycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Flush and close the store."""
        store = self.dataset.store
        if getattr(store, "_store", None) is not None:
            if not self.read_only:
                store._store.flush()
            store._store = None
            # Query results caught in reference cycles hold the database open; free them here, on
            # this thread (pyoxigraph objects cannot be freed from another thread), so the lock
            # is released when close() returns.
            gc.collect()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- documents ----------------------------------------------------------------------------

    def ensure_vocabulary(self) -> bool:
        """Load the ontology files into :data:`VOCABULARY_GRAPH` if they changed; True if loaded."""
        digest = hashlib.sha256()
        for name in VOCABULARY_FILES:
            digest.update((ONTOLOGY_DIR / f"{name}.ttl").read_bytes())
        current = Literal(digest.hexdigest())
        graph = self.dataset.graph(VOCABULARY_GRAPH)
        if (_VOCAB_HASH, RKG.contentHash, current) in graph:
            return False
        self.dataset.remove_graph(VOCABULARY_GRAPH)
        graph = self.dataset.graph(VOCABULARY_GRAPH)
        graph.addN((s, p, o, graph) for s, p, o in vocabulary())
        graph.add((_VOCAB_HASH, RKG.contentHash, current))
        return True

    def has_document(self, sha256: str) -> bool:
        """True if a document with these bytes (hex SHA-256) is in the store."""
        return bool(self.dataset.query(
            f"ASK {{ ?d a rkg:PlanDocument ; rkg:contentHash {sparql_string(sha256)} }}",
            initNs={"rkg": RKG._NS},
        ).askAnswer)

    def add_document(self, graph: Graph) -> int:
        """Store ``graph`` as its document's named graph (its identifier); returns triples added.

        A graph whose identifier is already stored replaces the stored one.
        """
        name = graph.identifier
        if not isinstance(name, URIRef):
            raise ValueError(f"a document graph needs an IRI identifier, got {name!r}")
        self.add_ntriples(name, graph.serialize(format="nt", encoding="utf-8"))
        return len(graph)

    def add_ntriples(self, iri, data: bytes) -> None:
        """Store N-Triples ``data`` as the named graph ``iri``, replacing a graph of that name.

        The triples are written in one transaction (Oxigraph's ``load``): a crash leaves the
        document's graph whole or absent, never half-written.

        Raises
        ------
        ValueError
            If ``data`` is not N-Triples (the parser's message included) or ``iri`` is not an IRI.
        """
        if self.read_only:
            raise StoreError("the store is open read-only")
        import pyoxigraph

        sparql_iri(iri)  # refuses a name that is not an IRI
        inner = self.dataset.store._inner
        name = pyoxigraph.NamedNode(str(iri))
        try:
            inner.remove_graph(name)
        except RuntimeError:  # pyoxigraph < 0.4 raised for a missing graph
            pass
        try:
            inner.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=name)
        except SyntaxError as e:
            raise ValueError(f"not N-Triples for {str(iri)!r}: {e}") from e

    def remove_document(self, iri) -> None:
        """Remove a document's named graph, and with it every fact only it stated; nodes and facts
        that another document states stay (they live in that document's graph too)."""
        if self.read_only:
            raise StoreError("the store is open read-only")
        self.dataset.remove_graph(URIRef(str(iri)))

    def find_documents(self, key: str) -> list[dict]:
        """The stored documents that ``key`` names: by IRI, file name, or the start (8 or more hex
        digits) of the SHA-256 of their bytes.

        Raises
        ------
        ValueError
            If ``key`` is empty.
        """
        key = (key or "").strip()
        if not key:
            raise ValueError("name a document: its file name, IRI or content hash")
        rows = self.dataset.query(
            "SELECT ?d ?hash WHERE { GRAPH ?d { ?d a rkg:PlanDocument ; rkg:contentHash ?hash } }",
            initNs={"rkg": RKG._NS})
        hashes = {str(r.d): str(r.hash) for r in rows}
        by_hash = len(key) >= 8 and all(c in "0123456789abcdef" for c in key.lower())
        return [d for d in self.documents()
                if key in (d["iri"], d["file"]) or (by_hash and hashes.get(d["iri"], "").startswith(key.lower()))]

    def documents(self) -> list[dict]:
        """One dict per stored document: iri, file, title, year, subject (label), triples."""
        rows = self.dataset.query(
            """SELECT ?d ?file ?title ?year ?label WHERE {
                 GRAPH ?d { ?d a rkg:PlanDocument ; rkg:fileName ?file ; rkg:subjectRegion ?r .
                   OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d rkg:planYear ?year }
                   OPTIONAL { ?r skos:prefLabel ?label } } } ORDER BY ?file""",
        )
        return [
            {"iri": str(r.d), "file": str(r.file), "title": str(r.title or ""),
             "year": int(r.year) if r.year is not None else None, "subject": str(r.label or "")}
            for r in rows
        ]

    def fingerprint(self) -> str:
        """A cheap key of the store's content: a hash of its document IRIs and vocabulary version.

        One SPARQL query over the named graphs. Documents are named by the hash of their bytes, so
        the same documents give the same fingerprint in any store, and adding or removing one, or
        loading a changed vocabulary, changes it. (Re-storing a document graph under the same name
        with different triples does not: regionkg only does that through ``add_document``'s
        replacement, for the same bytes.) Caches of derived views are keyed on it.

        Examples
        --------
        >>> import tempfile
        >>> with Store(tempfile.mkdtemp()) as store:
        ...     len(store.fingerprint())
        64
        """
        rows = self.dataset.query(
            f"""SELECT ?g ?d ?h WHERE {{ {{ GRAPH ?g {{ ?d a rkg:PlanDocument }} }}
                 UNION {{ GRAPH {_VOCAB} {{ <{_VOCAB_HASH}> rkg:contentHash ?h }} }} }}""",
            initNs={"rkg": RKG._NS})
        keys = sorted(" ".join(str(x) for x in row if x is not None) for row in rows)
        return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()

    # -- reading ------------------------------------------------------------------------------

    def query(self, sparql: str, **kwargs):
        """Run a SPARQL query over the union of all graphs (see :func:`graph.queries.read_only`)."""
        return self.dataset.query(sparql, **kwargs)

    def union(self) -> Graph:
        """All triples of all graphs, deduplicated, as an in-memory graph."""
        g = bind_prefixes(Graph())
        for s, p, o in self.dataset.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"):
            g.add((s, p, o))
        return g

    def facts_graph(self) -> Graph:
        """The union of the document graphs only (no vocabulary), deduplicated."""
        g = bind_prefixes(Graph())
        rows = self.dataset.query(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {_VOCAB}) }}")
        for s, p, o in rows:
            g.add((s, p, o))
        return g

    def stats(self) -> dict:
        """Counts: documents, facts, sentences, triples, and nodes of each regionkg class."""
        counts = {"documents": 0}
        rows = self.dataset.query(
            f"""SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {{
                 GRAPH ?g {{ ?x a ?class }} FILTER(?g != {_VOCAB}) }} GROUP BY ?class""")
        by_class = {str(r[0]): int(r[1]) for r in rows}
        names = {
            "documents": RKG.PlanDocument, "facts": RDF.Statement, "sentences": RKG.Sentence,
            "zones": RKG.Zone, "projects": RKG.Project, "talent_programmes": RKG.TalentProgramme,
        }
        for key, cls in names.items():
            counts[key] = by_class.get(str(cls), 0)
        counts["regions"] = self._count_distinct(
            "GRAPH ?g { ?x a ?c } ?c rdfs:subClassOf* rkg:Region")
        counts["institutions"] = self._count_distinct(
            "GRAPH ?g { ?x a ?c } ?c rdfs:subClassOf* rkg:Institution")
        counts["industries"] = self._count_distinct("GRAPH ?g { ?r rkg:targetsIndustry ?x }")
        counts["triples"] = self._count(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {_VOCAB}) }}")
        return counts

    def _count_distinct(self, pattern: str) -> int:
        return self._count(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} FILTER(?g != {_VOCAB}) }}")

    def _count(self, query: str) -> int:
        # Read results to the end: a half-read pyoxigraph result keeps the store (and its lock) alive.
        rows = list(self.dataset.query(query))
        return int(rows[0][0])

    def load(self, path, fmt: str | None = None) -> int:
        """Load an exported file back; returns the number of triples loaded.

        TriG and N-Quads restore their named graphs (one per document). Turtle, N-Triples and
        JSON-LD hold no graph names: their triples go into one named graph for the file, named by
        its content hash, so loading the same file twice adds nothing.

        Raises
        ------
        ValueError
            For an unknown format, or a file that does not parse (the parser's message included).
        """
        path = Path(path)
        fmt = fmt or {v[1]: k for k, v in EXPORT_FORMATS.items()}.get(path.suffix.lower())
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown format {fmt!r} for {path.name!r}; known: {', '.join(EXPORT_FORMATS)}")
        parser = EXPORT_FORMATS[fmt][0]
        try:
            if fmt in ("trig", "nq"):
                incoming = Dataset()
                incoming.parse(path, format=parser)
                total = 0
                for graph in incoming.graphs():
                    if len(graph) and isinstance(graph.identifier, URIRef) \
                            and not str(graph.identifier).startswith("urn:x-rdflib:"):
                        total += self.add_document(graph)
                return total
            graph = Graph(identifier=URIRef(
                BASE + "graph/import/" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]))
            graph.parse(path, format=parser)
        except (SyntaxError, ValueError) as e:  # rdflib's parsers raise both
            raise ValueError(f"cannot load {path.name!r} as {fmt}: {e}") from e
        return self.add_document(graph)

    # -- export -------------------------------------------------------------------------------

    def export(self, fmt: str = "ttl", destination=None, *, include_vocabulary: bool = False):
        """Serialise the graph as Turtle, N-Triples or JSON-LD (or TriG/N-Quads with named graphs).

        Returns the serialisation as a string when ``destination`` is None.

        Raises
        ------
        ValueError
            For an unknown format; the message lists the known ones.
        """
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
        serializer, _ = EXPORT_FORMATS[fmt]
        if fmt in ("trig", "nq"):
            source = self.dataset
        else:
            source = self.union() if include_vocabulary else self.facts_graph()
        if destination is None:
            return source.serialize(format=serializer)
        source.serialize(destination=str(destination), format=serializer, encoding="utf-8")
        return None
