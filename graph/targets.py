"""Targets and results: what regions commit to in numbers, with evidence, and what they later report.

:func:`targets` answers three questions as a :class:`graph.table.Table`:

- a region's targets and results (``targets(store, "河北省")``), each with its document and sentence;
- one indicator across regions, ranked by value (``targets(store, indicator="地区生产总值增长")``);
- for each target, the result a later document of the same region reports for the same indicator
  and year (``reported``, with that document).

Everything is read from the store with SPARQL that runs on the embedded store and on a SPARQL
server alike; names given by the user are written into queries escaped (:func:`graph.store.sparql_string`).

Examples
--------
>>> import tempfile
>>> from graph.store import Store
>>> from ingest.extract import extract
>>> from ingest.rdf import to_rdf
>>> from ingest.read import SourceText
>>> text = "2026年淄博市政府工作报告\\n过去一年，地区生产总值增长5.1%。今年主要预期目标是：地区生产总值增长5.5%左右。"
>>> with Store(tempfile.mkdtemp()) as kg:
...     _ = kg.add_document(to_rdf(extract(SourceText.from_text(text, name="a.txt"))))
...     t = targets(kg, "淄博市")
>>> [(r["kind"], r["indicator"], r["value"], r["year"]) for r in t.rows]
[('target', '地区生产总值增长', 5.5, 2026), ('result', '地区生产总值增长', 5.1, 2025)]
"""

from __future__ import annotations

import difflib

from graph.store import sparql_iri, sparql_string
from graph.table import Table

__all__ = ["KINDS", "RDF_FORMATS", "targets", "indicator_names", "target_regions", "to_rdf"]

#: The kinds of a number a plan states.
KINDS = ("target", "result")

_COLUMNS_REGION = ["kind", "indicator", "value", "value_max", "unit", "comparator", "year", "reported", "document", "text"]
_COLUMNS_RANKED = ["rank", "region", "value", "value_max", "unit", "comparator", "year", "kind", "reported", "document", "text"]

_QUERY = """
SELECT DISTINCT ?t ?region ?regionLabel ?concept ?conceptLabel ?provisional ?written ?kind ?value ?max ?unit
       ?comparator ?year ?mention ?sentence ?file ?docYear WHERE {{
  {values}
  ?region rkg:setsTarget ?t .
  ?t rkg:indicator ?concept ; rkg:indicatorText ?written ; rkg:kind ?kind ; rkg:mention ?mention ;
     prov:wasDerivedFrom ?s ; rkg:statedIn ?doc .
  ?s rdf:value ?sentence .
  ?doc rkg:fileName ?file .
  OPTIONAL {{ ?doc rkg:planYear ?docYear }}
  OPTIONAL {{ ?t schema:value ?value }}
  OPTIONAL {{ ?t schema:maxValue ?max }}
  OPTIONAL {{ ?t schema:unitText ?unit }}
  OPTIONAL {{ ?t rkg:comparator ?comparator }}
  OPTIONAL {{ ?t rkg:forYear ?year }}
  OPTIONAL {{ ?concept rkg:provisional ?provisional }}
  OPTIONAL {{ ?region skos:prefLabel ?regionLabel FILTER(LANG(?regionLabel) = "zh") }}
  OPTIONAL {{ ?concept skos:prefLabel ?conceptLabel FILTER(LANG(?conceptLabel) = "zh") }}
  {filters}
}}"""


def targets(store, region: str | None = None, indicator: str | None = None, year: int | None = None,
            *, kind: str | None = None) -> Table:
    """A region's targets and results, or one indicator across regions ranked by value.

    Parameters
    ----------
    store : graph.store.StoreBase
        The store (embedded or a SPARQL server).
    region : str, optional
        A region's name or alias (河北省, 河北) or IRI. Without it, every region that states the
        indicator, ranked by value (largest first).
    indicator : str, optional
        An indicator concept's label or surface form (地区生产总值增长, GDP增长), or words an indicator
        as written contains (5G基站).
    year : int, optional
        Only targets and results for this year.
    kind : {"target", "result"}, optional
        Only targets, or only results. Ranking across regions defaults to targets.

    Returns
    -------
    Table
        ``targets`` rows: ``kind``, ``indicator`` (the concept's label), ``indicator_as_written``,
        ``value``, ``value_max``, ``unit``, ``comparator``, ``year``, ``region``, ``document``,
        ``sentence``, ``text`` (the span stating it), and ``reported`` / ``reported_in``: the value a
        later document of the region reports as the result for the same indicator and year.

    Raises
    ------
    ValueError
        If neither a region nor an indicator is named, if ``year`` or ``kind`` is not valid, or if the
        indicator is unknown (the message lists the closest indicators).
    graph.regions.UnknownRegion, graph.regions.AmbiguousName
        If no region, or several, have the name.
    """
    if region is None and indicator is None:
        raise ValueError("name a region, an indicator (--indicator), or both")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100):
        raise ValueError(f"year must be a year between 1949 and 2100, got {year!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    region_iri = _resolve_region(store, region) if region is not None else None
    concept, words = _resolve_indicator(store, indicator) if indicator is not None else (None, None)

    values = f"VALUES ?region {{ {sparql_iri(region_iri)} }}" if region_iri else ""
    filters = []
    if concept is not None:
        filters.append(f"FILTER(?concept = {sparql_iri(concept)})")
    elif words is not None:
        filters.append(f"FILTER(CONTAINS(STR(?written), {sparql_string(words)}))")
    rows = [_row(r) for r in store.query(_QUERY.format(values=values, filters="\n  ".join(filters)))]
    _link_results(rows)
    shown = [r for r in rows if (year is None or r["year"] == year)]
    if kind is not None:
        shown = [r for r in shown if r["kind"] == kind]
    elif region_iri is None:
        shown = [r for r in shown if r["kind"] == "target"]
    meta = {"region": region, "indicator": indicator, "year": year}
    nodes = {r["iri"] for r in shown} | {r["region_iri"] for r in shown} | {r["concept"] for r in shown}
    if region_iri is None:
        shown.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0), r["region"], r["document"]))
        for rank, r in enumerate(shown, 1):
            r["rank"] = rank
        return Table("targets", _COLUMNS_RANKED, shown, nodes=nodes, meta=meta)
    shown.sort(key=lambda r: (KINDS.index(r["kind"]), -(r["year"] or 0), r["document"], r["start"]))
    return Table("targets", _COLUMNS_REGION, shown, nodes=nodes, meta=meta)


def indicator_names(store) -> list[str]:
    """The labels of the indicators some region states a target or a result for, most stated first.

    Examples
    --------
    >>> import tempfile
    >>> from graph.store import Store
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     indicator_names(kg)
    []
    """
    q = """SELECT ?label (COUNT(DISTINCT ?t) AS ?n) WHERE {
      ?r rkg:setsTarget ?t . ?t rkg:indicator ?c . ?c skos:prefLabel ?label FILTER(LANG(?label) = "zh")
    } GROUP BY ?label ORDER BY DESC(?n) ?label"""
    return [str(row[0]) for row in store.query(q)]


def target_regions(store) -> dict[str, str]:
    """IRI → label of the regions that state a target or a result, by label.

    Examples
    --------
    >>> import tempfile
    >>> from graph.store import Store
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     target_regions(kg)
    {}
    """
    q = """SELECT DISTINCT ?r ?label WHERE { ?r rkg:setsTarget ?t .
             OPTIONAL { ?r skos:prefLabel ?label FILTER(LANG(?label) = "zh") } }"""
    found = {str(r): str(label if label is not None else r) for r, label in store.query(q)}
    return dict(sorted(found.items(), key=lambda kv: (kv[1], kv[0])))


def _row(r) -> dict:
    (t, region, region_label, concept, concept_label, provisional, written, kind, value, vmax, unit,
     comparator, year, mention, sentence, file, doc_year) = r
    start = str(t).rsplit("/", 1)[-1]
    return {
        "iri": str(t), "kind": str(kind), "indicator": str(concept_label or written),
        "indicator_as_written": str(written), "concept": str(concept),
        "provisional": provisional is not None and bool(provisional.toPython()),
        "value": _num(value), "value_max": _num(vmax), "masked": value is None,
        "unit": str(unit) if unit is not None else None,
        "comparator": str(comparator) if comparator is not None else None,
        "year": int(year) if year is not None else None, "region": str(region_label or region),
        "region_iri": str(region), "document": str(file),
        "plan_year": int(doc_year) if doc_year is not None else None,
        "text": str(mention), "sentence": str(sentence), "start": int(start) if start.isdigit() else 0,
        "reported": None, "reported_in": None,
    }


def _num(literal):
    if literal is None:
        return None
    value = float(literal.toPython())
    return int(value) if value.is_integer() else value


def _link_results(rows: list[dict]) -> None:
    """Give each target the result a later document of its region reports for its indicator and year."""
    results = {}
    for r in rows:
        if r["kind"] == "result" and r["value"] is not None:
            results.setdefault((r["region_iri"], r["concept"], r["year"], r["unit"]), []).append(r)
    for r in rows:
        if r["kind"] != "target":
            continue
        later = [x for x in results.get((r["region_iri"], r["concept"], r["year"], r["unit"]), ())
                 if (x["plan_year"] or 0) > (r["plan_year"] or 0)]
        if later:
            first = min(later, key=lambda x: (x["plan_year"] or 0, x["document"]))
            r["reported"], r["reported_in"] = first["value"], first["document"]


def _resolve_region(store, name: str) -> str:
    from graph.regions import AmbiguousName, UnknownRegion

    name = (name or "").strip()
    if not name:
        raise ValueError("name a region: got an empty name")
    q = """SELECT DISTINCT ?r ?label ?alt WHERE {
      ?d rkg:subjectRegion ?r .
      OPTIONAL { ?r skos:prefLabel ?label FILTER(LANG(?label) = "zh") }
      OPTIONAL { ?r skos:altLabel ?alt }
    }"""
    labels: dict[str, set] = {}
    aliases: dict[str, set] = {}
    for r, label, alt in store.query(q):
        if label is not None:
            labels.setdefault(str(label), set()).add(str(r))
        if alt is not None:
            aliases.setdefault(str(alt), set()).add(str(r))
    every = {r for index in (labels, aliases) for nodes in index.values() for r in nodes}
    if name in every:
        return name
    found = labels.get(name) or aliases.get(name) or set()
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise AmbiguousName(name, [f"{name} <{r}>" for r in sorted(found)])
    names = sorted(set(labels) | set(aliases))
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    close += [n for n in names if name in n and n not in close][: max(0, 5 - len(close))]
    raise UnknownRegion(name, close)


def _resolve_indicator(store, name: str) -> tuple[str | None, str | None]:
    """(concept IRI, None) for a concept's label or surface form, else (None, words) when an
    indicator as written contains the words; ValueError naming the closest indicators if none does."""
    from ingest.targets import indicator_concepts

    name = (name or "").strip()
    if not name:
        raise ValueError("name an indicator: got an empty name")
    concept = indicator_concepts().get(name.replace("增速", "增长"))
    if concept is not None:
        return concept, None
    q = f"""SELECT DISTINCT ?c WHERE {{ ?c a rkg:Indicator ; skos:prefLabel ?l .
             FILTER(STR(?l) = {sparql_string(name)}) }}"""
    found = [str(r[0]) for r in store.query(q)]
    if len(found) == 1:
        return found[0], None
    q = f"""ASK {{ ?t rkg:indicatorText ?w . FILTER(CONTAINS(STR(?w), {sparql_string(name)})) }}"""
    if store.query(q).askAnswer:
        return None, name
    names = indicator_names(store) or sorted(set(indicator_concepts()))
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.4)
    hint = f"; did you mean: {', '.join(close)}" if close else ""
    raise ValueError(f"no indicator named {name!r}{hint}")


#: File suffix → rdflib format of :func:`to_rdf`'s graph.
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}

_CONSTRUCT = """
CONSTRUCT {{ ?r rkg:setsTarget ?t . ?t ?p ?o . ?s ?sp ?so . ?c ?cp ?co .
            ?doc a rkg:PlanDocument ; rkg:fileName ?file ; rkg:subjectRegion ?r . ?r skos:prefLabel ?rl }} WHERE {{
  VALUES ?t {{ {values} }}
  ?r rkg:setsTarget ?t . ?t ?p ?o .
  ?t prov:wasDerivedFrom ?s . ?s ?sp ?so .
  ?t rkg:indicator ?c . ?c ?cp ?co . FILTER(?cp IN (rdf:type, skos:prefLabel, skos:inScheme, rkg:provisional))
  ?t rkg:statedIn ?doc . ?doc rkg:fileName ?file .
  OPTIONAL {{ ?r skos:prefLabel ?rl }}
}}"""


def to_rdf(store, table: Table):
    """The targets of an answer of :func:`targets` as an RDF graph: each target with its value,
    indicator concept, region, sentence and document (what ``--export`` writes).

    Examples
    --------
    >>> import tempfile
    >>> from graph.store import Store
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     len(to_rdf(kg, Table("targets", [], [])))
    0
    """
    from rdflib import Graph

    from ontology import bind_prefixes

    graph = bind_prefixes(Graph())
    iris = [r["iri"] for r in table.rows if r.get("iri")]
    for k in range(0, len(iris), 200):
        values = " ".join(sparql_iri(i) for i in iris[k:k + 200])
        for triple in store.query(_CONSTRUCT.format(values=values)):
            graph.add(triple)
    return graph
