"""Where the graph is kept: an embedded on-disk store (the default), or a SPARQL 1.1 server.

Each document's facts live in their own named graph (the document's IRI); the ontology and
vocabularies live in the named graph :data:`VOCABULARY_GRAPH`. Queries see the union of all graphs.

:class:`Store` is the embedded store: an rdflib :class:`~rdflib.Dataset` over the ``Oxigraph``
store plugin (oxrdflib), so it is a real SPARQL database on disk, one directory, and every rdflib
tool works on it. :class:`graph.endpoint.SparqlStore` keeps the same graphs on a SPARQL 1.1 server
(Virtuoso, Oxigraph server, Fuseki …). Both share :class:`StoreBase`: everything regionkg reads is a
SPARQL query, everything it writes is a whole named graph, so ingest, the comparison queries, the
app and export run the same on either. :func:`open_store` picks one by the location's form.

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

from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef

from ontology import BASE, RKG, VOCABULARY_FILES, ONTOLOGY_DIR, bind_prefixes, vocabulary

__all__ = [
    "Store",
    "StoreBase",
    "open_store",
    "copy_store",
    "StoreError",
    "StoreDamaged",
    "storage_error",
    "own_files",
    "fingerprint_of",
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
#: A FILTER keeping ``?g`` to regionkg's own graphs but the vocabulary: a SPARQL server may hold
#: other graphs (Virtuoso keeps its system graphs beside the data).
_FACT_GRAPHS = f"FILTER(STRSTARTS(STR(?g), {BASE!r}) && ?g != {_VOCAB})".replace("'", '"')

#: Where the store lives unless ``--store`` or ``REGIONKG_STORE`` says otherwise.
DEFAULT_STORE = Path("data/store")

#: Export format name → (rdflib serializer, file suffix).
EXPORT_FORMATS = {"ttl": ("turtle", ".ttl"), "nt": ("nt", ".nt"), "jsonld": ("json-ld", ".jsonld"),
                  "trig": ("trig", ".trig"), "nq": ("nquads", ".nq")}


class StoreError(RuntimeError):
    """The store cannot be opened or written (locked, corrupt, not a store)."""


class StoreDamaged(StoreError):
    """The store's files are damaged (RocksDB found a checksum mismatch, a missing file …)."""


#: What RocksDB's errors say, for each kind of trouble.
_DAMAGE = ("Corruption",)
_BUSY = ("While lock file", "lock hold by current process", "/LOCK:")


def own_files(path) -> list[Path]:
    """The files of the embedded store at ``path`` that hold its content: not those derived from it
    (the aggregate, the kept view and their temporary files), which readers may write.

    >>> import tempfile
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     any(p.name.startswith("regionkg-") for p in own_files(kg.path))
    False
    """
    return [p for p in Path(path).iterdir()
            if p.is_file() and not p.name.startswith(("regionkg-", ".view-"))]


def fingerprint_of(keys: dict[str, str]) -> str:
    """The fingerprint of a store whose graph keys are ``keys`` (see :meth:`StoreBase.fingerprint`).

    >>> fingerprint_of({"urn:g": "v1"}) == fingerprint_of({"urn:g": "v1"}) != fingerprint_of({"urn:g": "v2"})
    True
    """
    text = "\n".join(f"{g} {k}" for g, k in sorted(keys.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def storage_error(error: Exception, location) -> StoreError:
    """The one-line :class:`StoreError` that says what an error of the embedded store means.

    RocksDB (under Oxigraph) raises ``RuntimeError``/``OSError`` with its own status text; this
    names the store and says what to do, on one line.

    Examples
    --------
    >>> str(storage_error(RuntimeError("Corruption: block checksum mismatch in kg/000016.sst"), "kg"))
    'the store at kg is damaged (Corruption: block checksum mismatch in kg/000016.sst); restore it from a copy or an export, or build it again with regionkg ingest'
    >>> type(storage_error(OSError("IO error: While lock file: kg/LOCK: Resource temporarily unavailable"), "kg")).__name__
    'StoreError'
    """
    if isinstance(error, StoreError):
        return error
    text = " ".join(str(error).split())  # RocksDB's messages can run over several lines
    if any(word in text for word in _BUSY):
        return StoreError(f"the store at {location} is being written by another process ({text}); "
                          "read commands can run beside it, a second writer cannot")
    if any(word in text for word in _DAMAGE):
        return StoreDamaged(f"the store at {location} is damaged ({text}); restore it from a copy or an "
                            "export, or build it again with regionkg ingest")
    return StoreError(f"cannot read the store at {location}: {text}")


def _moving(error: Exception) -> bool:
    """Whether an error opening a store may come from another process writing it (files moving)."""
    text = str(error)
    return "No such file" in text or "missing" in text or "IO error" in text


def _check_store_directory(path: Path, *, create: bool) -> None:
    """Refuse, before RocksDB sees it, a path where no store is and none may be made."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"store path {str(path)!r} exists and is not a directory")
    if not path.is_dir():
        if create:
            return
        raise StoreError(f"no store at {str(path)!r}: run 'regionkg ingest' first")
    if (path / "CURRENT").is_file():
        return
    try:
        names = sorted(entry.name for entry in os.scandir(path))
    except OSError as e:
        raise StoreError(f"cannot read the store directory {str(path)!r}: {e.strerror}") from e
    if not names:
        if create:
            return
        raise StoreError(f"no store at {str(path)!r} (the directory is empty): run 'regionkg ingest' first")
    if any(name.startswith("MANIFEST-") or name.endswith((".sst", ".log")) for name in names):
        raise StoreDamaged(
            f"the store at {path} is damaged: its RocksDB CURRENT file (which names the manifest) is "
            f"missing; nothing was opened or changed. Restore CURRENT or the store from a copy; "
            f"opening it as it is would start a new empty store and delete its {len(names)} files")
    raise StoreError(f"{str(path)!r} is not a regionkg store: it holds files but no RocksDB CURRENT file; "
                     "nothing was opened or changed")


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


def default_store_path():
    """``$REGIONKG_STORE`` if set, else :data:`DEFAULT_STORE` (relative to the working directory):
    a Path, or the URL string of a SPARQL endpoint."""
    location = os.environ.get("REGIONKG_STORE")
    if location and is_endpoint(location):
        return location
    return Path(location or DEFAULT_STORE)


def is_endpoint(location) -> bool:
    """True if ``location`` names a SPARQL endpoint (an http or https URL) rather than a directory.

    Examples
    --------
    >>> is_endpoint("http://127.0.0.1:8890/sparql"), is_endpoint("data/store")
    (True, False)
    """
    return str(location).lower().startswith(("http://", "https://"))


def open_store(location=None, *, read_only: bool = False) -> "StoreBase":
    """The store at ``location``: a SPARQL endpoint URL or a directory (default
    :func:`default_store_path`).

    For an endpoint, the update URL and the credentials come from the environment
    (see :class:`graph.endpoint.SparqlStore`).

    Raises
    ------
    StoreError
        If the store cannot be opened (not a directory, locked, the server does not answer).

    Examples
    --------
    >>> import tempfile
    >>> with open_store(tempfile.mkdtemp()) as kg:
    ...     type(kg).__name__
    'Store'
    """
    location = default_store_path() if location is None else location
    if is_endpoint(location):
        from graph.endpoint import SparqlStore

        return SparqlStore.from_environment(str(location), read_only=read_only)
    return Store(location, read_only=read_only)


class StoreBase:
    """What every regionkg store does, written once as SPARQL over named graphs.

    A store class supplies :meth:`query` (SPARQL over the union of all graphs), :meth:`add_ntriples`
    (replace one named graph by N-Triples), :meth:`remove_graph`, :meth:`graph_names`,
    :meth:`graph_ntriples` and :meth:`close`; the rest is here.
    """

    read_only = False
    #: Where the store is, as the user named it (a directory or a URL).
    location = ""
    #: The store's :class:`graph.aggregate.Aggregate`, kept current by its writes; None where the
    #: store has none (a SPARQL server: the views are read with aggregate queries).
    aggregate = None

    # -- to be supplied ------------------------------------------------------------------------

    def query(self, sparql: str, **kwargs):  # pragma: no cover - abstract
        """Run a SPARQL query over the union of all graphs; an rdflib ``Result``."""
        raise NotImplementedError

    def add_ntriples(self, iri, data: bytes) -> None:  # pragma: no cover - abstract
        """Store N-Triples ``data`` as the named graph ``iri``, replacing a graph of that name."""
        raise NotImplementedError

    def remove_graph(self, iri) -> None:  # pragma: no cover - abstract
        """Remove the named graph ``iri`` (nothing if there is none)."""
        raise NotImplementedError

    def replace_ntriples(self, old_iri, iri, data: bytes) -> None:
        """Store N-Triples ``data`` as the named graph ``iri`` in place of the graph ``old_iri``.

        Here (a server: several requests, no transaction) the new graph is written first, then the
        old one removed, so an interruption leaves both rather than neither. :class:`Store`
        replaces in one transaction.
        """
        self.add_ntriples(iri, data)
        if str(old_iri) != str(iri):
            self.remove_graph(old_iri)

    def graph_names(self) -> list[str]:  # pragma: no cover - abstract
        """The names of regionkg's named graphs in the store (vocabulary, documents, imports)."""
        raise NotImplementedError

    def graph_ntriples(self, iri) -> bytes:  # pragma: no cover - abstract
        """The triples of the named graph ``iri`` as N-Triples (UTF-8)."""
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def namespaces(self) -> dict[str, str]:
        """Prefix → namespace of the names regionkg writes (rkg:, skos:, ind: …)."""
        return {prefix: str(ns) for prefix, ns in bind_prefixes(Graph()).namespaces()}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- documents ----------------------------------------------------------------------------

    def ensure_vocabulary(self) -> bool:
        """Load the ontology files into :data:`VOCABULARY_GRAPH` if they changed; True if loaded."""
        digest = hashlib.sha256()
        for name in VOCABULARY_FILES:
            digest.update((ONTOLOGY_DIR / f"{name}.ttl").read_bytes())
        current = digest.hexdigest()
        if self._ask(f"ASK {{ GRAPH {_VOCAB} {{ <{_VOCAB_HASH}> rkg:contentHash {sparql_string(current)} }} }}"):
            return False
        graph = Graph(identifier=VOCABULARY_GRAPH)
        graph += vocabulary()
        graph.add((_VOCAB_HASH, RKG.contentHash, Literal(current)))
        self.add_ntriples(VOCABULARY_GRAPH, graph.serialize(format="nt", encoding="utf-8"))
        return True

    def has_document(self, sha256: str) -> bool:
        """True if a document with these bytes (hex SHA-256) is in the store."""
        return self._ask(f"ASK {{ ?d a rkg:PlanDocument ; rkg:contentHash {sparql_string(sha256)} }}")

    def extractor_versions(self, sha256: str) -> set[str]:
        """The extractor versions (``rkg:extractorVersion``) the stored document with these bytes
        was extracted by: empty if it is not stored or was stored before versions were kept."""
        rows = self.query(f"""SELECT DISTINCT ?v WHERE {{ ?d a rkg:PlanDocument ;
            rkg:contentHash {sparql_string(sha256)} ; rkg:extractorVersion ?v }}""")
        return {str(row[0]) for row in rows}

    def add_document(self, graph: Graph) -> int:
        """Store ``graph`` as its document's named graph (its identifier); returns triples added.

        A graph whose identifier is already stored replaces the stored one.
        """
        name = graph.identifier
        if not isinstance(name, URIRef):
            raise ValueError(f"a document graph needs an IRI identifier, got {name!r}")
        self.add_ntriples(name, graph.serialize(format="nt", encoding="utf-8"))
        return len(graph)

    def remove_document(self, iri) -> None:
        """Remove a document's named graph, and with it every fact only it stated; nodes and facts
        that another document states stay (they live in that document's graph too)."""
        if self.read_only:
            raise StoreError("the store is open read-only")
        self.remove_graph(URIRef(str(iri)))

    def find_documents(self, key: str) -> list[dict]:
        """The stored documents that ``key`` names: by IRI, file name, or the start (8 or more hex
        digits) of the SHA-256 of their bytes.

        One targeted query (ingest asks it for every file, so it must not list the whole store).

        Raises
        ------
        ValueError
            If ``key`` is empty.
        """
        key = (key or "").strip()
        if not key:
            raise ValueError("name a document: its file name, IRI or content hash")
        ways = [f"{{ ?d rkg:fileName {sparql_string(key)} }}"]
        if is_endpoint(key) or key.startswith("urn:"):
            try:
                ways.append(f"{{ VALUES ?d {{ {sparql_iri(key)} }} }}")
            except ValueError:
                pass  # not a safe IRI: then it names no document
        if len(key) >= 8 and all(c in "0123456789abcdef" for c in key.lower()):
            ways.append(f"{{ ?d rkg:contentHash ?h FILTER(STRSTARTS(STR(?h), {sparql_string(key.lower())})) }}")
        return self._documents(" UNION ".join(ways))

    def documents(self) -> list[dict]:
        """One dict per stored document: iri, file, title, year, subject (label)."""
        return self._documents()

    def _documents(self, which: str = "") -> list[dict]:
        rows = self.query(
            """SELECT DISTINCT ?d ?file ?title ?year ?label WHERE {
                 GRAPH ?d { ?d a rkg:PlanDocument ; rkg:contentHash ?hash ; rkg:fileName ?file ;
                   rkg:subjectRegion ?r . %s
                   OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d rkg:planYear ?year }
                   OPTIONAL { ?r skos:prefLabel ?label } } } ORDER BY ?file ?d""" % which,
        )
        return [
            {"iri": str(r[0]), "file": str(r[1]), "title": str(r[2] or ""),
             "year": int(r[3]) if r[3] is not None else None, "subject": str(r[4] or "")}
            for r in rows
        ]

    def fingerprint(self) -> str:
        """A cheap key of the store's content: a hash of its graphs' names and keys (:meth:`graph_keys`).

        Documents are named by the hash of their bytes, so the same documents give the same
        fingerprint in any store; adding or removing one, extracting one again with another
        extractor version, or loading a changed vocabulary changes it. Caches of derived views are
        keyed on it.

        Examples
        --------
        >>> import tempfile
        >>> with Store(tempfile.mkdtemp()) as store:
        ...     len(store.fingerprint())
        64
        """
        return fingerprint_of(self.graph_keys())

    def graph_keys(self) -> dict[str, str]:
        """Graph name → key of every graph queries see: the key changes when regionkg writes the
        same graph name with other content (a document extracted again by another extractor
        version, a new vocabulary). One listing of the graphs and one SPARQL query.

        Examples
        --------
        >>> import tempfile
        >>> with Store(tempfile.mkdtemp()) as store:
        ...     [(g.rsplit("/", 1)[-1], len(k)) for g, k in store.graph_keys().items()]
        [('vocabulary', 64)]
        """
        from graph.aggregate import KEY_QUERY, graph_key

        values: dict[str, list] = {name: [] for name in self._all_graph_names()}
        for g, v in self._select(KEY_QUERY):
            if g in values:
                values[g].append(v)
        return {g: graph_key(v) for g, v in sorted(values.items())}

    def _all_graph_names(self) -> list[str]:
        return self.graph_names()

    def _select(self, query: str):
        """Rows of a SPARQL query as tuples of strings (None where unbound)."""
        return [tuple(None if v is None else str(v) for v in row) for row in self.query(query)]

    # -- reading ------------------------------------------------------------------------------

    def union(self) -> Graph:
        """All triples of regionkg's graphs, deduplicated, as an in-memory graph."""
        g = bind_prefixes(Graph())
        rows = self.query(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {BASE!r})) }}"
            .replace("'", '"'))
        for s, p, o in rows:
            g.add((s, p, _plain(o)))
        return g

    def facts_graph(self) -> Graph:
        """The union of the document graphs only (no vocabulary), deduplicated."""
        g = bind_prefixes(Graph())
        for s, p, o in self.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_FACT_GRAPHS} }}"):
            g.add((s, p, _plain(o)))
        return g

    def dataset(self) -> Dataset:
        """Every regionkg graph of the store, with its name, as an in-memory rdflib Dataset.

        Each graph is read whole (:meth:`graph_ntriples`), so a graph that cannot be read raises:
        an export never leaves one out without a word.
        """
        ds = bind_prefixes(Dataset())
        for name in self.graph_names():
            ds.graph(URIRef(name)).parse(data=self.graph_ntriples(name), format="nt")
        return ds

    def stats(self) -> dict:
        """Counts: documents, facts, sentences, triples, and nodes of each regionkg class.

        From the store's aggregate where it keeps one (brought up to date first), else by SPARQL.
        """
        if self.aggregate is not None:
            keys = self.graph_keys()
            self.aggregate.sync(self, keys)
            return self.aggregate.stats(keys)
        return self._sparql_stats()

    def _sparql_stats(self) -> dict:
        counts = {"documents": 0}
        rows = self.query(
            f"""SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {{
                 GRAPH ?g {{ ?x a ?class }} {_FACT_GRAPHS} }} GROUP BY ?class""")
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
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_FACT_GRAPHS} }}")
        return counts

    def _count_distinct(self, pattern: str) -> int:
        return self._count(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} {_FACT_GRAPHS} }}")

    def _count(self, query: str) -> int:
        # Read results to the end: a half-read pyoxigraph result keeps the store (and its lock) alive.
        rows = list(self.query(query))
        return int(rows[0][0])

    def _ask(self, query: str) -> bool:
        return bool(self.query(query).askAnswer)

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

        Returns the serialisation as a string when ``destination`` is None; a file is written
        whole or not at all (:func:`graph.output.written`).

        Raises
        ------
        ValueError
            For an unknown format; the message lists the known ones.
        """
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
        serializer, _ = EXPORT_FORMATS[fmt]
        if fmt in ("trig", "nq"):
            source = self.dataset()
        else:
            source = self.union() if include_vocabulary else self.facts_graph()
        if destination is None:
            return source.serialize(format=serializer)
        from graph.output import written

        with written(destination) as tmp:  # whole or not at all: never half a file
            source.serialize(destination=str(tmp), format=serializer, encoding="utf-8")
        return None


def _plain(term):
    """``"x"^^xsd:string`` as the simple literal ``"x"``: the same RDF 1.1 term, which Oxigraph
    returns typed and other stores plain; rdflib tells them apart, and exports should not show it."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def copy_store(source: StoreBase, destination: StoreBase, *, on_graph=None) -> dict:
    """Copy every regionkg graph of ``source`` into ``destination``, graph by graph.

    Graphs the destination already holds with the same number of triples are left alone, so an
    interrupted copy is completed by running it again. Use it to move an embedded store onto a
    SPARQL server (``regionkg copy --to URL``), or back.

    Returns
    -------
    dict
        ``copied`` and ``unchanged`` graph counts, ``triples`` copied.

    Examples
    --------
    >>> import tempfile
    >>> with Store(tempfile.mkdtemp()) as a, Store(tempfile.mkdtemp()) as b:
    ...     copy_store(a, b)["unchanged"]  # the vocabulary is in both already
    1
    """
    if destination.read_only:
        raise StoreError("the destination store is open read-only")
    there = _graph_sizes(destination)
    result = {"copied": 0, "unchanged": 0, "triples": 0}
    for name, size in sorted(_graph_sizes(source).items()):
        if there.get(name) == size:
            result["unchanged"] += 1
        else:
            destination.add_ntriples(name, source.graph_ntriples(name))
            result["copied"] += 1
            result["triples"] += size
        if on_graph is not None:
            on_graph(name)
    return result


def _graph_sizes(store: StoreBase) -> dict[str, int]:
    rows = store.query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {BASE!r})) }} GROUP BY ?g"
        .replace("'", '"'))
    return {str(r[0]): int(r[1]) for r in rows}


class Store(StoreBase):
    """The embedded on-disk store (the default). Use as a context manager, or call :meth:`close`.

    A store is created only in a directory that is absent or empty. A directory that holds files
    but no RocksDB ``CURRENT`` file (a damaged store, or not a store) is refused, in either mode,
    before RocksDB sees it: RocksDB would start a new empty store there and delete the old files.

    Parameters
    ----------
    path : str or Path
        The store's directory; created if missing (unless ``read_only``).
    read_only : bool
        Open without taking the write lock (several readers, e.g. the app and the CLI, beside one
        writer).

    Raises
    ------
    StoreError
        If the path is not a store (or not a directory), the store is locked by another writer, or
        its files cannot be read; :class:`StoreDamaged` if they are damaged. One line each.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("not a store")
    >>> Store(folder)
    Traceback (most recent call last):
    ...
    graph.store.StoreError: ... is not a regionkg store: it holds files but no RocksDB CURRENT file; nothing was opened or changed
    """

    #: Triples written between flushes of RocksDB's memory tables to disk.
    flush_every = 100_000
    #: Tries of a read-only open while another process writes (RocksDB may delete a file between
    #: our listing the store's files and opening them).
    open_attempts = 5

    def __init__(self, path, *, read_only: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        self._unflushed = 0
        self.read_only = read_only
        _check_store_directory(self.path, create=not read_only)
        import pyoxigraph
        from oxrdflib import OxigraphStore

        if read_only:
            inner = self._open_read_only(pyoxigraph)
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                inner = pyoxigraph.Store(str(self.path))
            except (OSError, RuntimeError) as e:
                raise storage_error(e, self.path) from e
        #: The rdflib view of the store (all graphs; queries see their union).
        self.rdflib = bind_prefixes(Dataset(store=OxigraphStore(store=inner), default_union=True))
        self.aggregate = self._open_aggregate()
        if not read_only:
            self.ensure_vocabulary()

    def _open_aggregate(self):
        """The aggregate beside the store's files, or None if it cannot be opened (a read-only
        directory, a damaged file): then the views are read from the triples, as on a server."""
        from graph.aggregate import FILE_NAME, Aggregate

        try:
            return Aggregate(self.path / FILE_NAME)
        except Exception:  # noqa: BLE001 - derived data: the store works without it
            return None

    def _open_read_only(self, pyoxigraph):
        import time

        for attempt in range(self.open_attempts):
            try:
                return pyoxigraph.Store.read_only(str(self.path))
            except (OSError, RuntimeError) as e:
                # RocksDB's own errors, e.g. "Corruption: … .sst missing" when a read-only handle
                # opens while a writer compacts: a retry usually succeeds; a damaged store does not.
                if attempt == self.open_attempts - 1 or not _moving(e):
                    raise storage_error(e, self.path) from e
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def _inner(self):
        return self.rdflib.store._inner

    def close(self) -> None:
        """Flush and close the store."""
        if self.aggregate is not None:
            self.aggregate.close()
            self.aggregate = None
        store = self.rdflib.store
        if getattr(store, "_store", None) is not None:
            if not self.read_only:
                store._store.flush()
            store._store = None
            # Query results caught in reference cycles hold the database open; free them here, on
            # this thread (pyoxigraph objects cannot be freed from another thread), so the lock
            # is released when close() returns.
            gc.collect()

    def query(self, sparql: str, **kwargs):
        """Run a SPARQL query over the union of all graphs (see :func:`graph.sparql.run`)."""
        return self.rdflib.query(sparql, **kwargs)

    def add_ntriples(self, iri, data: bytes) -> None:
        """Store N-Triples ``data`` as the named graph ``iri``, replacing a graph of that name.

        One transaction (Oxigraph's ``load``, or one SPARQL update where a graph of that name is
        replaced): a crash leaves the graph as it was or as it is written, never half-written and
        never absent.

        Raises
        ------
        ValueError
            If ``data`` is not N-Triples (the parser's message included) or ``iri`` is not an IRI.
        """
        self._write_graph(iri, data, removing=(iri,))

    def replace_ntriples(self, old_iri, iri, data: bytes) -> None:
        r"""Store N-Triples ``data`` as the named graph ``iri`` and remove the graph ``old_iri``, in
        one transaction: a crash leaves the old graph or the new one, never both, never neither.

        Examples
        --------
        >>> import tempfile
        >>> old, new = BASE + "graph/import/old", BASE + "graph/import/new"
        >>> with Store(tempfile.mkdtemp()) as kg:
        ...     kg.add_ntriples(old, b"<urn:x:a> <urn:x:p> \"v1\" .\n")
        ...     kg.replace_ntriples(old, new, b"<urn:x:a> <urn:x:p> \"v2\" .\n")
        ...     [name.rsplit("/", 1)[-1] for name in kg.graph_names()]
        ['new', 'vocabulary']
        """
        self._write_graph(iri, data, removing=(old_iri, iri))

    def _write_graph(self, iri, data: bytes, removing) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")
        import pyoxigraph

        sparql_iri(iri)  # refuses a name that is not an IRI
        name = pyoxigraph.NamedNode(str(iri))
        present = []
        for old in dict.fromkeys(str(g) for g in removing):
            sparql_iri(old)
            if self._inner.contains_named_graph(pyoxigraph.NamedNode(old)):
                present.append(pyoxigraph.NamedNode(old))
        rows = self._summarise(iri, data)
        if self.aggregate is not None:  # pending until the store holds the graph: see Aggregate.sync
            self.aggregate.begin([str(iri), *(str(g.value) for g in present)])
        try:
            if not present:
                self._inner.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=name)
            else:
                # One SPARQL update is one transaction. The triples are parsed first and written
                # back in Oxigraph's own syntax, so the update holds nothing but those triples.
                quads = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
                body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
                drops = "".join(f"DROP SILENT GRAPH {g} ;\n" for g in present)
                self._inner.update(f"{drops}INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
        except SyntaxError as e:
            raise ValueError(f"not N-Triples for {str(iri)!r}: {e}") from e
        except (OSError, RuntimeError) as e:
            raise storage_error(e, self.path) from e
        if self.aggregate is not None:
            for old in present:
                if old.value != str(iri):
                    self.aggregate.remove(old.value)
            self.aggregate.put(str(iri), rows)
        # RocksDB keeps writes in memory tables (one per index) until they fill: flushed now and
        # then, a long ingest stays at a few hundred MB instead of growing by ~0.8 MB a document.
        self._unflushed += data.count(b"\n")
        if self._unflushed >= self.flush_every:
            self._inner.flush()
            self._unflushed = 0

    def remove_graph(self, iri) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")
        import pyoxigraph

        if self.aggregate is not None:
            self.aggregate.begin([str(iri)])
        self._inner.remove_graph(pyoxigraph.NamedNode(str(iri)))
        if self.aggregate is not None:
            self.aggregate.remove(str(iri))

    def _summarise(self, iri, data: bytes):
        """The aggregate rows of a graph about to be written (None without an aggregate)."""
        if self.aggregate is None:
            return None
        from graph.aggregate import summarise

        try:
            return summarise(data)
        except ValueError as e:
            raise ValueError(f"not N-Triples for {str(iri)!r}: {e.__cause__ or e}") from e

    def graph_names(self) -> list[str]:
        return sorted(str(g.value) for g in self._inner.named_graphs() if g.value.startswith(BASE))

    def _all_graph_names(self) -> list[str]:
        """The names of every named graph, regionkg's or not (queries see their union)."""
        return sorted(str(g.value) for g in self._inner.named_graphs())

    def _select(self, query: str):
        # pyoxigraph's own results: the store's graph keys are read by every process that opens a
        # view, and rdflib's conversion of 10,000 rows costs more than the query.
        return [tuple(None if t is None else t.value for t in row) for row in self._inner.query(query)]

    def graph_ntriples(self, iri) -> bytes:
        import pyoxigraph

        return self._inner.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(str(iri)))
