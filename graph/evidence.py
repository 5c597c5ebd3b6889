"""Evidence: every sentence a node of the graph comes from, with its document and the rule.

Examples
--------
>>> import tempfile
>>> from graph.store import Store
>>> with Store(tempfile.mkdtemp()) as store:
...     find_nodes(store, "新材料")[0]["label"]
'新材料产业'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from graph.store import sparql_iri, sparql_string

__all__ = ["Evidence", "UnknownEntity", "find_nodes", "explain"]


class UnknownEntity(LookupError):
    """No node has this name; ``candidates`` holds the closest names."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        hint = f"; did you mean: {', '.join(candidates)}" if candidates else ""
        super().__init__(f"no node named {name!r}{hint}")


@dataclass(frozen=True)
class Evidence:
    """One fact about a node and where it is stated."""

    subject: str
    predicate: str
    object: str
    mention: str
    sentence: str
    start: int
    end: int
    sentence_start: int
    document: str
    rule: str
    confidence: float
    role: str | None = None
    year: int | None = None  #: the plan year of the document (filled by :func:`graph.sentences.sentences`)


def find_nodes(store, name: str) -> list[dict]:
    """Nodes whose preferred or alternative name is ``name`` (stripped); ``iri``, ``label``, ``type``.

    Raises
    ------
    ValueError
        If ``name`` is empty.
    """
    name = (name or "").strip()
    if not name:
        raise ValueError("name a node: got an empty name")
    q = f"""
    SELECT DISTINCT ?x ?label ?class WHERE {{
      ?x skos:prefLabel|skos:altLabel ?n . FILTER(STR(?n) = {sparql_string(name)})
      ?x a ?class . FILTER(STRSTARTS(STR(?class), STR(rkg:)))
      OPTIONAL {{ ?x skos:prefLabel ?label FILTER(LANG(?label) = "zh") }}
    }} ORDER BY ?x"""
    nodes: dict[str, dict] = {}
    for x, label, cls in store.query(q):
        node = nodes.setdefault(str(x), {"iri": str(x), "label": str(label or name), "classes": []})
        node["classes"].append(str(cls).rsplit("#", 1)[-1])
    return list(nodes.values())


def _all_names(store) -> list[str]:
    q = """SELECT DISTINCT ?n WHERE { ?f a rdf:Statement ; rdf:subject|rdf:object ?x .
           ?x skos:prefLabel|skos:altLabel ?n }"""
    return [str(r[0]) for r in store.query(q)]


def explain(store, name: str) -> tuple[list[dict], list[Evidence]]:
    """The nodes named ``name`` and every fact that states them, with its sentence and document.

    Raises
    ------
    UnknownEntity
        If no node has that name; the error lists the closest names in the graph.
    """
    nodes = find_nodes(store, name)
    if not nodes:
        names = _all_names(store)
        close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
        close += [n for n in names if name in n and n not in close][: 5 - len(close)]
        raise UnknownEntity(name, close)
    values = " ".join(sparql_iri(n["iri"]) for n in nodes)
    q = f"""
    SELECT ?s ?p ?o ?mention ?text ?start ?end ?ss ?file ?rule ?conf ?role WHERE {{
      VALUES ?x {{ {values} }}
      ?fact a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
            prov:wasDerivedFrom ?sent ; rkg:statedIn ?doc ; rkg:mention ?mention ;
            rkg:charStart ?start ; rkg:charEnd ?end ; rkg:extractedBy ?rule ; rkg:confidence ?conf .
      FILTER(?s = ?x || ?o = ?x)
      ?sent rdf:value ?text ; rkg:charStart ?ss . ?doc rkg:fileName ?file .
      OPTIONAL {{ ?fact rkg:role/skos:notation ?role }}
    }} ORDER BY ?file ?start"""
    rows = [
        Evidence(str(s), str(p).rsplit("#", 1)[-1], str(o), str(mention), str(text), int(start),
                 int(end), int(ss), str(file), str(rule), float(conf), str(role) if role is not None else None)
        for s, p, o, mention, text, start, end, ss, file, rule, conf, role in store.query(q)
    ]
    return nodes, rows
