"""A regionkg store on a SPARQL 1.1 server: the graph that outgrows one machine's store.

:class:`SparqlStore` speaks only the SPARQL 1.1 Protocol (queries and updates over HTTP POST), so it
works with any conforming server: Virtuoso open-source is the one the tests run against; Oxigraph
server, Apache Jena Fuseki and GraphDB speak the same protocol. Everything regionkg reads is a query
and everything it writes is a whole named graph (:class:`graph.store.StoreBase`), so ingest, the
comparison queries, the app and export run unchanged on it.

Where things come from:

- ``--store URL`` (or ``$REGIONKG_STORE``): the query URL, e.g. ``http://127.0.0.1:8890/sparql``;
- ``$REGIONKG_SPARQL_UPDATE_URL``: the update URL (default: the query URL), e.g. Virtuoso's
  ``http://127.0.0.1:8890/sparql-auth``;
- ``$REGIONKG_SPARQL_USER`` and ``$REGIONKG_SPARQL_PASSWORD``: credentials, sent with HTTP Basic or
  Digest authentication as the server asks (Virtuoso's ``/sparql-auth`` asks for Digest). They are
  never read from the command line, where other users of the machine could see them.

A document's graph is written in requests of at most :attr:`SparqlStore.batch_triples` triples
(halved where the server finds a request too big), its ``rkg:contentHash`` in the last one: a
document counts as stored only when all of it is, and a run interrupted mid-document rewrites that
document's graph from the start the next time.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Graph
from rdflib.query import Result

from graph.store import StoreBase, StoreError, sparql_iri
from ontology import BASE, RKG, bind_prefixes

__all__ = ["SparqlStore", "ENV_UPDATE_URL", "ENV_USER", "ENV_PASSWORD"]

ENV_UPDATE_URL = "REGIONKG_SPARQL_UPDATE_URL"
ENV_USER = "REGIONKG_SPARQL_USER"
ENV_PASSWORD = "REGIONKG_SPARQL_PASSWORD"

_HASH_PREDICATE = f"<{RKG.contentHash}>".encode()
_IRI = re.compile(r"<[^<>\s]*>")
_COMMENT = re.compile(r"#[^\n]*")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_DECLARED = re.compile(r"PREFIX\s+([\w.-]*):", re.IGNORECASE)


class SparqlStore(StoreBase):
    """regionkg's graphs on a SPARQL 1.1 server.

    Parameters
    ----------
    query_url : str
        The server's SPARQL query endpoint (http or https).
    update_url : str, optional
        Its SPARQL update endpoint (default: ``query_url``).
    user, password : str, optional
        Credentials for both endpoints (HTTP Basic or Digest, as the server asks).
    read_only : bool
        Refuse every write (the app opens stores this way).
    timeout : float
        Seconds to wait for one HTTP response.

    Raises
    ------
    StoreError
        If the server does not answer a query, or (unless read-only) refuses the update that loads
        the vocabulary (wrong credentials, no update rights).
    ValueError
        If a URL is not http(s).

    Examples
    --------
    >>> SparqlStore("ftp://example.org/sparql")
    Traceback (most recent call last):
    ...
    ValueError: a SPARQL endpoint is an http or https URL, got 'ftp://example.org/sparql'
    """

    #: Triples per INSERT DATA request: Virtuoso's SPARQL parser runs out of stack ("SP030 memory
    #: exhausted") a little under 5,000 N-Triples lines in one request.
    batch_triples = 1000

    def __init__(self, query_url: str, update_url: str | None = None, *, user: str | None = None,
                 password: str | None = None, read_only: bool = False, timeout: float = 120.0):
        for url in (query_url, update_url or query_url):
            if urllib.parse.urlsplit(str(url)).scheme not in ("http", "https"):
                raise ValueError(f"a SPARQL endpoint is an http or https URL, got {url!r}")
        self.query_url = str(query_url)
        self.update_url = str(update_url or query_url)
        self.location = self.query_url
        self.read_only = read_only
        self.timeout = timeout
        self._handlers = []
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.query_url, self.update_url}:
                passwords.add_password(None, url, user, password or "")
            self._handlers = [urllib.request.HTTPDigestAuthHandler(passwords),
                              urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*self._handlers)
        self._prefixes = self.namespaces()
        self.query("ASK { }")  # the server answers, or a StoreError says why not
        if not read_only:
            # An update that changes nothing: refused credentials show now, not at the first write.
            self.update(f"DROP SILENT GRAPH <{BASE}graph/write-check>")
            self.ensure_vocabulary()

    @classmethod
    def from_environment(cls, query_url: str, *, read_only: bool = False) -> "SparqlStore":
        """The store at ``query_url``, with the update URL and credentials of the environment
        (``$REGIONKG_SPARQL_UPDATE_URL``, ``$REGIONKG_SPARQL_USER``, ``$REGIONKG_SPARQL_PASSWORD``)."""
        return cls(query_url, os.environ.get(ENV_UPDATE_URL) or None, user=os.environ.get(ENV_USER) or None,
                   password=os.environ.get(ENV_PASSWORD), read_only=read_only)

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r}, update_url={self.update_url!r})"

    # -- the SPARQL protocol -----------------------------------------------------------------

    def _post(self, url: str, form: dict, accept: str) -> tuple[bytes, str, dict]:
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        for handler in self._handlers:  # urllib counts failed requests as failed logins, forever
            if hasattr(handler, "reset_retry_count"):
                handler.reset_retry_count()
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", ""), dict(response.headers)
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace").strip().replace("\n", " ")
            hint = " (check $REGIONKG_SPARQL_USER / $REGIONKG_SPARQL_PASSWORD)" if e.code in (401, 403) else ""
            raise StoreError(f"the SPARQL server at {url} answered {e.code} {e.reason}{hint}: {body[:400]}") from e
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise StoreError(f"cannot reach the SPARQL server at {url}: {reason}") from e

    def _with_prefixes(self, sparql: str, namespaces: dict | None = None) -> str:
        declared = {m.group(1) for m in _DECLARED.finditer(sparql)}
        known = dict(self._prefixes)
        known.update({str(k): str(v) for k, v in (namespaces or {}).items()})
        lines = [f"PREFIX {p}: <{ns}>" for p, ns in sorted(known.items())
                 if p not in declared and f"{p}:" in sparql]
        return "\n".join(lines + [sparql])

    def query(self, sparql: str, *, initNs: dict | None = None, **kwargs) -> Result:
        """Run a SPARQL query on the server; an rdflib ``Result`` (rows, ``askAnswer`` or ``graph``).

        Prefixes regionkg uses (rkg:, skos:, ind: …) need no declaration, as on the embedded store.

        Raises
        ------
        StoreError
            If the server refuses or fails the query, or cut its result short (Virtuoso's
            ``ResultSetMaxRows``): a partial answer is never returned as a whole one.
        ValueError
            For ``initBindings`` (bind values in the query text with ``VALUES``).
        """
        if kwargs.get("initBindings"):
            raise ValueError("initBindings is not supported on a SPARQL server: use VALUES in the query")
        text = self._with_prefixes(sparql, initNs)
        form = _query_form(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            accept = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
        else:
            accept = "application/sparql-results+json"
        body, content_type, headers = self._post(self.query_url, {"query": text}, accept)
        cut = _row_limit(headers)
        if cut and form == "SELECT":
            return self._paged(text, cut)
        if cut:
            raise StoreError(f"the SPARQL server at {self.query_url} cut the result at {cut} rows: "
                             f"raise its limit (Virtuoso: ResultSetMaxRows in [SPARQL] of virtuoso.ini)")
        if form in ("CONSTRUCT", "DESCRIBE"):
            result = Result(form)
            fmt = "turtle" if "turtle" in content_type else "nt"
            result.graph = bind_prefixes(Graph()).parse(data=body.decode("utf-8"), format=fmt)
            return result
        return self._result(body, content_type)

    def _result(self, body: bytes, content_type: str) -> Result:
        try:
            return Result.parse(io.BytesIO(body), format="json")
        except Exception as e:  # noqa: BLE001 - the server sent something that is not a result
            raise StoreError(f"the SPARQL server at {self.query_url} sent no SPARQL JSON result "
                             f"({content_type or 'no content type'}): {body[:200]!r}") from e

    def _paged(self, text: str, page: int) -> Result:
        """A SELECT the server cut at ``page`` rows, read whole, ``page`` rows a request.

        The query becomes a subquery (``SELECT * { { … } } LIMIT page OFFSET k``); a page the
        server cuts too, or a result that changes under the reading, is an error.
        """
        split = _PROLOGUE.match(text).end()
        prologue, body = text[:split], text[split:]
        rows, variables, offset = [], None, 0
        while True:
            paged = f"{prologue}\nSELECT * WHERE {{ {{ {body}\n }} }} LIMIT {page} OFFSET {offset}"
            raw, content_type, headers = self._post(self.query_url, {"query": paged},
                                                    "application/sparql-results+json")
            if _row_limit(headers) and _row_limit(headers) < page:
                raise StoreError(f"the SPARQL server at {self.query_url} cut a page of {page} rows")
            result = self._result(raw, content_type)
            variables = variables or list(result.vars or [])
            chunk = list(result)
            rows.extend(chunk)
            if len(chunk) < page:
                break
            offset += page
        whole = Result("SELECT")
        whole.vars = variables
        whole.bindings = [{v: row[str(v)] for v in variables if row[str(v)] is not None} for row in rows]
        return whole

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update on the server's update endpoint.

        Raises
        ------
        StoreError
            If the store is read-only, or the server refuses the update (with its answer).
        """
        if self.read_only:
            raise StoreError("the store is open read-only")
        self._post(self.update_url, {"update": self._with_prefixes(sparql)}, "*/*")

    # -- named graphs ------------------------------------------------------------------------

    def add_ntriples(self, iri, data: bytes) -> None:
        """Store N-Triples ``data`` as the named graph ``iri``, replacing a graph of that name.

        Written in requests of at most :attr:`batch_triples` triples (split further where the
        server finds one too big), the ``rkg:contentHash`` lines last. Blank nodes are given
        stable IRIs first (one request cannot refer to another's).
        """
        name = sparql_iri(iri)
        if self.read_only:
            raise StoreError("the store is open read-only")
        if b"_:" in data:
            data = _skolemized(data, str(iri))
        lines = [line for line in data.splitlines() if line.strip() and not line.lstrip().startswith(b"#")]
        last = [line for line in lines if _HASH_PREDICATE in line]
        lines = [line for line in lines if _HASH_PREDICATE not in line] + last
        self.update(f"DROP SILENT GRAPH {name}")
        size = max(1, int(self.batch_triples))
        for k in range(0, len(lines), size):
            self._insert(name, lines[k:k + size])

    def _insert(self, name: str, lines: list[bytes]) -> None:
        """INSERT DATA ``lines`` into graph ``name``; a request the server finds too big is split."""
        body = b"\n".join(lines).decode("utf-8")
        try:
            self.update(f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
        except StoreError as e:
            if len(lines) < 2 or not _too_big(e):
                raise
            half = len(lines) // 2
            self._insert(name, lines[:half])
            self._insert(name, lines[half:])

    def remove_graph(self, iri) -> None:
        self.update(f"DROP SILENT GRAPH {sparql_iri(iri)}")

    def graph_names(self) -> list[str]:
        rows = self.query(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{BASE}")) }}')
        return sorted(str(r[0]) for r in rows)

    def graph_ntriples(self, iri) -> bytes:
        # A SELECT, not a CONSTRUCT: Virtuoso cuts a CONSTRUCT at its row limit without a word,
        # while a SELECT it cuts says so and is read in pages.
        graph = Graph()
        for s, p, o in self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {sparql_iri(iri)} {{ ?s ?p ?o }} }}"):
            graph.add((s, p, o))
        return graph.serialize(format="nt", encoding="utf-8")

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""


def _row_limit(headers: dict) -> int:
    """The row count at which the server says it cut a result (Virtuoso: ``X-SPARQL-MaxRows``), or 0."""
    value = {k.lower(): v for k, v in headers.items()}.get("x-sparql-maxrows", "")
    return int(value) if value.strip().isdigit() else 0


def _too_big(error: StoreError) -> bool:
    """Whether the server refused a request for its size (HTTP 413, Virtuoso's SP030/SP031)."""
    text = str(error)
    return any(sign in text for sign in (" 413 ", "SP030", "SP031", "memory exhausted", "too large", "exceeded"))


def _query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's form, after its prologue.

    Examples
    --------
    >>> _query_form("PREFIX x: <http://x/> # SELECT in a comment\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    text = _COMMENT.sub("", _IRI.sub("<>", sparql))  # a '#' inside an IRI opens no comment
    text = text[_PROLOGUE.match(text).end():]
    found = _FORM.search(text)
    return found.group(1).upper() if found else "SELECT"


def _skolemized(data: bytes, graph: str) -> bytes:
    """N-Triples with each blank node replaced by an IRI under the graph's name (RDF 1.1 §3.5)."""
    g = Graph().parse(data=data.decode("utf-8"), format="nt")
    key = hashlib.sha256(graph.encode("utf-8")).hexdigest()[:16]
    return g.skolemize(authority=BASE, basepath=f".well-known/genid/{key}/").serialize(format="nt", encoding="utf-8")
