"""Read-only SPARQL: check that a query only reads the graph, then run it, bounded, on the store.

:func:`check` parses a query with rdflib's SPARQL parser and translates it to rdflib's algebra;
it accepts the four query forms (SELECT, ASK, CONSTRUCT, DESCRIBE) and refuses an update
(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY), a ``SERVICE`` call and a
``FROM``/``FROM NAMED`` clause (which could name a file or a remote graph). Before the parser sees
a text, :func:`check_size` refuses one longer than :data:`MAX_CHARS` characters or nested deeper
than :data:`MAX_DEPTH` levels of brackets (the parser recurses on each level; Oxigraph's engine
crashes on a huge expression).

:func:`run` refuses those at once, then checks and runs the query in a process of its own
(:mod:`graph.sandbox`), on the store opened read-only there, over the union of all graphs, reading
at most ``limit`` rows. That process may take at most :data:`TIMEOUT` seconds (10) and
:data:`MEMORY_MB` MB (1024) of memory; a query past either is stopped, and :class:`QueryStopped`
says so in one line (``the query ran past 10 s and was stopped``, ``the query needed more than
1024 MB and was stopped``), never a traceback: the calling process (the app's server) is
untouched and answers the next query. :func:`run_here` is the same without the bounds, in this
process. :data:`EXAMPLES` are queries to start from.

Examples
--------
>>> check("SELECT ?s WHERE { ?s a rkg:City }")
'SELECT'
>>> check("DROP ALL")
Traceback (most recent call last):
...
graph.sparql.RefusedQuery: an update (DROP) is refused: this box only reads the graph
>>> check("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.sparql.RefusedQuery: SERVICE is refused: queries run on this graph only and fetch nothing
>>> check("SELECT * WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40)
Traceback (most recent call last):
...
graph.sparql.RefusedQuery: the query is nested too deeply: 40 levels of brackets (at most 20)
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

from ontology import bind_prefixes

__all__ = ["FORMS", "EXAMPLES", "TIMEOUT", "MEMORY_MB", "MIN_MEMORY_MB", "MAX_CHARS", "MAX_DEPTH", "RefusedQuery",
           "QueryStopped", "QueryResult", "check", "check_size", "run", "run_here"]

#: Seconds a query of :func:`run` may take; ``$REGIONKG_QUERY_TIMEOUT`` overrides it.
TIMEOUT = 10.0
#: MB of memory (address space) the process running a query may take; ``$REGIONKG_QUERY_MEMORY_MB``
#: overrides it. About 200 MB of it is the process itself (Python, rdflib, the store opened).
MEMORY_MB = 1024
#: The least ``memory_mb`` :func:`run` takes: the query's process needs about 200 MB itself.
MIN_MEMORY_MB = 256
#: Characters a query may have: far more than a person types; the parser's time grows with the text.
MAX_CHARS = 20_000
#: Levels of brackets (``{``, ``(``, ``[``) a query may nest: rdflib's parser recurses on each.
MAX_DEPTH = 20

ENV_TIMEOUT = "REGIONKG_QUERY_TIMEOUT"
ENV_MEMORY_MB = "REGIONKG_QUERY_MEMORY_MB"

#: The query forms accepted: rdflib's parse name → the keyword.
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}

_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rkg: <https://w3id.org/regionkg/ontology#>
"""

#: Title → query: examples for the query box (each declares its prefixes, so it runs anywhere).
EXAMPLES = {
    "Regions that target 集成电路, with the sentence": _PREFIXES + """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?region ?industry ?mention ?sentence ?document WHERE {
  ?fact a rdf:Statement ; rdf:subject ?r ; rdf:predicate rkg:targetsIndustry ; rdf:object ?i ;
        rkg:mention ?mention ; prov:wasDerivedFrom ?s ; rkg:statedIn ?d .
  ?i skos:prefLabel ?industry . FILTER(CONTAINS(STR(?industry), "集成电路"))
  ?r skos:prefLabel ?region . FILTER(LANG(?region) = "zh")
  ?s rdf:value ?sentence . ?d rkg:fileName ?document .
} ORDER BY ?region ?document""",
    "How many nodes of each class the plans name": _PREFIXES + """SELECT ?class (COUNT(DISTINCT ?x) AS ?nodes) WHERE {
  GRAPH ?g { ?x a ?class } FILTER(STRSTARTS(STR(?class), STR(rkg:)))
  FILTER(?g != <https://w3id.org/regionkg/graph/vocabulary>)
} GROUP BY ?class ORDER BY DESC(?nodes)""",
    "Documents: subject region and plan year": _PREFIXES + """SELECT ?document ?region ?year WHERE {
  ?d a rkg:PlanDocument ; rkg:fileName ?document ; rkg:subjectRegion ?r .
  ?r skos:prefLabel ?region . FILTER(LANG(?region) = "zh") OPTIONAL { ?d rkg:planYear ?year }
} ORDER BY ?document""",
    "Industries that more than one region targets": _PREFIXES + """SELECT ?industry (COUNT(DISTINCT ?r) AS ?regions) WHERE {
  ?r rkg:targetsIndustry ?i . ?i skos:prefLabel ?industry . FILTER(LANG(?industry) = "zh")
} GROUP BY ?industry HAVING (COUNT(DISTINCT ?r) > 1) ORDER BY DESC(?regions) ?industry""",
    "Does any plan target 新材料产业? (ASK)": _PREFIXES + """ASK { ?r rkg:targetsIndustry ?i . ?i skos:prefLabel "新材料产业"@zh }""",
    "What plans say about 淄博市, as triples (CONSTRUCT)": _PREFIXES + """CONSTRUCT { ?r ?p ?o } WHERE {
  ?r skos:prefLabel "淄博市"@zh ; ?p ?o .
  FILTER(?p IN (rkg:targetsIndustry, rkg:hostsProject, rkg:hostsInstitution, rkg:runsTalentProgramme))
}""",
}


class RefusedQuery(ValueError):
    """A query the read-only box does not run, with the reason."""


class QueryStopped(RefusedQuery):
    """A query that started and was stopped: past its time or its memory, or its process died.

    ``str(error)`` is one line, e.g. ``the query ran past 10 s and was stopped``.
    """


@dataclass
class QueryResult:
    """The answer of :func:`run`.

    Attributes
    ----------
    form : str
        SELECT, ASK, CONSTRUCT or DESCRIBE.
    columns : list of str
        The variables (SELECT) or ``subject``, ``predicate``, ``object`` (CONSTRUCT, DESCRIBE).
    rows : list of dict
        Column → the value as text (``None`` where unbound); at most ``limit``.
    truncated : bool
        True if the query had more rows than ``limit``.
    boolean : bool or None
        The answer of an ASK query.
    graph : rdflib.Graph or None
        The triples of a CONSTRUCT or DESCRIBE query (all of them).
    """

    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    truncated: bool = False
    boolean: bool | None = None
    graph: object = None


def _namespaces(namespaces) -> dict:
    if namespaces is None:
        from rdflib import Graph

        namespaces = dict(bind_prefixes(Graph()).namespaces())
    return {str(k): str(v) for k, v in dict(namespaces).items()}


def _one_line(error) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _whole(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number, 1 or more, got {value!r}")
    return value


# What brackets count: strings, IRIs and comments are skipped whole (they may hold any bracket).
_LEXEME = re.compile(r'''
    """(?:[^"\\]|\\.|"(?!""))*"""
  | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
  | "(?:[^"\\\n\r]|\\.)*"
  | '(?:[^'\\\n\r]|\\.)*'
  | <[^<>"{}|^`\\\x00-\x20]*>
  | \#[^\n\r]*
  | [{(\[]
  | [})\]]
''', re.VERBOSE | re.DOTALL)


def check_size(query: str, *, max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> tuple[int, int]:
    """The length of ``query`` and its deepest nesting of brackets, if within the bounds; else raise.

    A lexical scan, in time linear in the text, that no text can make slow or deep: strings, IRIs
    and comments are skipped whole; ``{``, ``(`` and ``[`` open a level, ``}``, ``)`` and ``]``
    close one.

    Raises
    ------
    RefusedQuery
        ``the query is too long: N characters (at most M)`` or ``the query is nested too deeply:
        N levels of brackets (at most M)``.
    ValueError
        If a bound is not a whole number, 1 or more.

    Examples
    --------
    >>> check_size('SELECT * WHERE { ?s ?p "}}}" FILTER(STR(?s) != "(") }')
    (53, 3)
    >>> check_size("ASK { ?s ?p ?o }", max_chars=10)
    Traceback (most recent call last):
    ...
    graph.sparql.RefusedQuery: the query is too long: 16 characters (at most 10)
    """
    _whole("max_chars", max_chars)
    _whole("max_depth", max_depth)
    text = query or ""
    if len(text) > max_chars:
        raise RefusedQuery(f"the query is too long: {len(text):,} characters (at most {max_chars:,})")
    depth = deepest = 0
    for lexeme in _LEXEME.finditer(text):
        token = lexeme.group()
        if token in ("{", "(", "["):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("}", ")", "]"):
            depth = max(0, depth - 1)
    if deepest > max_depth:
        raise RefusedQuery(f"the query is nested too deeply: {deepest} levels of brackets (at most {max_depth})")
    return len(text), deepest


def check(query: str, namespaces=None, *, max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> str:
    """The form of ``query`` (SELECT, ASK, CONSTRUCT, DESCRIBE) if it only reads; else raise.

    Parameters
    ----------
    query : str
    namespaces : mapping of prefix → IRI, optional
        Prefixes the query may use without declaring them (default: regionkg's and rdflib's).
    max_chars, max_depth : int
        The bounds of :func:`check_size`, checked before the parser sees the text.

    Raises
    ------
    RefusedQuery
        For an empty text, a text too long or nested too deeply, an update, a ``SERVICE`` call, a
        ``FROM`` or ``FROM NAMED`` clause, or a text that is not a SPARQL query (with the parser's
        message).

    Examples
    --------
    >>> check("ASK { ?s ?p ?o }"), check("DESCRIBE <https://w3id.org/regionkg/region/370300>")
    ('ASK', 'DESCRIBE')
    >>> check("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    graph.sparql.RefusedQuery: FROM and FROM NAMED are refused: they could name a file or a remote graph; use GRAPH <…> { … } to read one document's graph
    >>> check("INSERT DATA { <a> <b> <c> }")
    Traceback (most recent call last):
    ...
    graph.sparql.RefusedQuery: an update (INSERT) is refused: this box only reads the graph
    """
    text = (query or "").strip()
    if not text:
        raise RefusedQuery("the query is empty")
    check_size(text, max_chars=max_chars, max_depth=max_depth)
    try:
        return _check_parsed(text, namespaces)
    except RecursionError as e:  # a nesting the bracket count does not see
        raise RefusedQuery("the query is nested too deeply for the parser") from e


def _check_parsed(text: str, namespaces) -> str:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as e:
        try:
            update = parseUpdate(text)
        except ParseException:
            raise RefusedQuery(f"not a SPARQL query: {_one_line(e)}") from e
        kinds = [getattr(r, "name", "update") for r in update.get("request", [])]
        word = _update_word(kinds, text)
        raise RefusedQuery(f"an update ({word}) is refused: this box only reads the graph") from e
    body = parsed[1]
    form = FORMS.get(getattr(body, "name", None))
    if form is None:  # pragma: no cover - the query grammar only yields the four forms
        raise RefusedQuery(f"not a query form this box runs: {getattr(body, 'name', body)!r}")
    if "datasetClause" in body and body["datasetClause"]:
        raise RefusedQuery("FROM and FROM NAMED are refused: they could name a file or a remote graph; "
                           "use GRAPH <…> { … } to read one document's graph")
    try:
        algebra = translateQuery(parsed, initNs=_namespaces(namespaces))
    except RecursionError:
        raise
    except Exception as e:  # rdflib raises plain Exception for an unknown prefix
        raise RefusedQuery(f"not a valid query: {_one_line(e)}") from e
    if _has_service(algebra.algebra) or _has_service(parsed):
        raise RefusedQuery("SERVICE is refused: queries run on this graph only and fetch nothing")
    return form


def _update_word(kinds: list[str], text: str) -> str:
    names = {"InsertData": "INSERT", "DeleteData": "DELETE", "DeleteWhere": "DELETE", "Modify": "INSERT/DELETE",
             "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
             "Move": "MOVE", "Copy": "COPY"}
    for kind in kinds:
        if kind in names:
            return names[kind]
    found = re.search(r"\b(" + "|".join(_UPDATE_WORDS) + r")\b", text, re.IGNORECASE)
    return found.group(1).upper() if found else "update"


def _has_service(node, depth: int = 0) -> bool:
    """True if a parse tree or algebra expression holds a SERVICE pattern."""
    if depth > 200:  # pragma: no cover - far deeper than any query a person writes
        raise RefusedQuery("the query is nested too deeply")
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(v, depth + 1) for k, v in node.items() if not str(k).startswith("_"))
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_has_service(v, depth + 1) for v in node)
    return False


def _bound(name: str, value, env: str, default, kind, least):
    """A bound given, else from the environment variable ``env``, else the default; checked."""
    where, shown = name, value
    if value is None:
        raw = os.environ.get(env, "").strip()
        if not raw:
            return default
        where, shown = f"${env}", raw
        try:
            value = kind(raw)
        except ValueError:
            value = None
    what = "a whole number" if kind is int else "a number"
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or (kind is int and value != int(value)) or value < least):
        raise ValueError(f"{where} must be {what}, at least {least:g}, got {shown!r}")
    return kind(value)


def run(store, query: str, *, limit: int = 1000, timeout: float | None = None, memory_mb: int | None = None,
        max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> QueryResult:
    """Check ``query`` and run it on ``store`` over all graphs, bounded in time and memory.

    The text is measured here first (:func:`check_size`: too long or too deep is refused before
    anything runs); then a process of its own (:mod:`graph.sandbox`) opens the store read-only,
    checks the query (:func:`check`) and runs it (:func:`run_here`), within ``timeout`` seconds and
    ``memory_mb`` MB of address space. Nothing the query does can take this process down.

    Parameters
    ----------
    store : graph.store.Store or graph.endpoint.SparqlStore
        Its ``location`` (the directory, or the server's URL; the server's credentials come from the
        environment, as :func:`graph.store.open_store` takes them) is opened read-only in the
        query's process.
    query : str
    limit : int
        Rows read from a SELECT result (the rest are not computed), triples shown of a CONSTRUCT.
    timeout : float, optional
        Seconds the query may run (the check included, the process's start not); default
        ``$REGIONKG_QUERY_TIMEOUT`` or :data:`TIMEOUT` (10).
    memory_mb : int, optional
        MB of address space the query's process may take (``RLIMIT_AS``, about 200 MB of which the
        process itself needs; at least :data:`MIN_MEMORY_MB`); default ``$REGIONKG_QUERY_MEMORY_MB``
        or :data:`MEMORY_MB` (1024).
    max_chars, max_depth : int
        The bounds of :func:`check_size`: :data:`MAX_CHARS` (20,000) and :data:`MAX_DEPTH` (20).

    Raises
    ------
    RefusedQuery
        As :func:`check`, or when the store fails to run the query (with its message).
    QueryStopped
        A :class:`RefusedQuery` for a query stopped while it ran: ``the query ran past 10 s and was
        stopped``, ``the query needed more than 1024 MB and was stopped``, or its process ended
        without an answer.
    ValueError
        For a ``limit``, ``timeout`` (under 0.1 s) or ``memory_mb`` (under :data:`MIN_MEMORY_MB`)
        out of bounds, or one of the environment that is not a number (each named), or a store
        without a location.

    Examples
    --------
    >>> import tempfile
    >>> from graph.store import Store
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     run(kg, "ASK { ?i skos:prefLabel '新材料产业'@zh }").boolean
    True
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     run(kg, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1)
    Traceback (most recent call last):
    ...
    graph.sparql.QueryStopped: the query ran past 1 s and was stopped
    """
    _whole("limit", limit)
    timeout = _bound("timeout", timeout, ENV_TIMEOUT, TIMEOUT, float, 0.1)
    memory_mb = _bound("memory_mb", memory_mb, ENV_MEMORY_MB, MEMORY_MB, int, MIN_MEMORY_MB)
    location = getattr(store, "location", None)
    if not location:
        raise ValueError(f"cannot run a bounded query on {store!r}: it has no location to open")
    check_size((query or "").strip(), max_chars=max_chars, max_depth=max_depth)
    from graph.sandbox import run_bounded

    return run_bounded(str(location), query, limit=limit, timeout=timeout, memory_mb=memory_mb,
                       max_chars=max_chars, max_depth=max_depth)


def run_here(store, query: str, *, limit: int = 1000, max_chars: int = MAX_CHARS,
             max_depth: int = MAX_DEPTH) -> QueryResult:
    """Check ``query`` (:func:`check`) and run it on ``store`` in this process, unbounded.

    What :func:`run`'s process does; call it only where a query that runs for ever or takes all
    memory may take this process with it.

    Raises
    ------
    RefusedQuery
        As :func:`check`, or when the store fails to run the query (with its message).

    Examples
    --------
    >>> import tempfile
    >>> from graph.store import Store
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     run_here(kg, "SELECT ?n WHERE { ?i skos:prefLabel '新材料产业'@zh ; skos:notation ?n }").rows
    [{'n': '3'}]
    """
    _whole("limit", limit)
    namespaces = store.namespaces()
    form = check(query, namespaces, max_chars=max_chars, max_depth=max_depth)
    try:
        result = store.query(query.strip(), initNs=_namespaces(namespaces))
        if form == "ASK":
            return QueryResult(form, boolean=bool(result.askAnswer))
        if form == "SELECT":
            columns = [str(v) for v in result.vars]
            rows: list[dict] = []
            truncated = False
            for row in result:
                if len(rows) == limit:
                    truncated = True
                    break
                rows.append({c: (None if v is None else str(v)) for c, v in zip(columns, row)})
            return QueryResult(form, columns, rows, truncated)
        graph = bind_prefixes(result.graph)
        triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
        rows = [{"subject": str(s), "predicate": str(p), "object": str(o)} for s, p, o in triples[:limit]]
        return QueryResult(form, ["subject", "predicate", "object"], rows, len(triples) > limit, graph=graph)
    except (RefusedQuery, MemoryError, RecursionError):
        raise
    except Exception as e:  # the store's own error: a type error in a FILTER, an unsupported feature …
        raise RefusedQuery(f"the store could not run the query: {_one_line(e)}") from e
