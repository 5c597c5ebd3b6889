"""Read-only SPARQL: check that a query only reads the graph, then run it on the store.

:func:`check` parses a query with rdflib's SPARQL parser and translates it to rdflib's algebra;
it accepts the four query forms (SELECT, ASK, CONSTRUCT, DESCRIBE) and refuses an update
(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY), a ``SERVICE`` call and a
``FROM``/``FROM NAMED`` clause (which could name a file or a remote graph). :func:`run` checks,
then runs the query on the store (Oxigraph, over the union of all graphs), and reads at most
``limit`` rows. :data:`EXAMPLES` are queries to start from.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ontology import bind_prefixes

__all__ = ["FORMS", "EXAMPLES", "RefusedQuery", "QueryResult", "check", "run"]

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


def check(query: str, namespaces=None) -> str:
    """The form of ``query`` (SELECT, ASK, CONSTRUCT, DESCRIBE) if it only reads; else raise.

    Parameters
    ----------
    query : str
    namespaces : mapping of prefix → IRI, optional
        Prefixes the query may use without declaring them (default: regionkg's and rdflib's).

    Raises
    ------
    RefusedQuery
        For an empty text, an update, a ``SERVICE`` call, a ``FROM`` or ``FROM NAMED`` clause, or a
        text that is not a SPARQL query (with the parser's message).

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
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = (query or "").strip()
    if not text:
        raise RefusedQuery("the query is empty")
    try:
        parsed = parseQuery(text)
    except ParseException as e:
        try:
            update = parseUpdate(text)
        except ParseException:
            raise RefusedQuery(f"not a SPARQL query: {e}") from e
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
    except Exception as e:  # rdflib raises plain Exception for an unknown prefix
        raise RefusedQuery(f"not a valid query: {e}") from e
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


def run(store, query: str, *, limit: int = 1000) -> QueryResult:
    """Check ``query`` (:func:`check`) and run it on ``store`` over all graphs; at most ``limit`` rows.

    Parameters
    ----------
    store : graph.store.Store
        Open the store read-only where you can: the check is the first guard, the store the second.
    query : str
    limit : int
        Rows read from a SELECT result (the rest are not computed), triples shown of a CONSTRUCT.

    Raises
    ------
    RefusedQuery
        As :func:`check`, or when the store fails to run the query (with its message).

    Examples
    --------
    >>> import tempfile
    >>> from graph.store import Store
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     run(kg, "ASK { ?i skos:prefLabel '新材料产业'@zh }").boolean
    True
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit!r}")
    namespaces = store.namespaces()
    form = check(query, namespaces)
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
    except RefusedQuery:
        raise
    except Exception as e:  # the store's own error: a type error in a FILTER, an unsupported feature …
        raise RefusedQuery(f"the store could not run the query: {e}") from e
