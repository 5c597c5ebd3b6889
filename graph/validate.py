"""SHACL validation of a regionkg graph against ``ontology/shapes.ttl`` (pyshacl), document by document.

The shapes are per document: a plan document, its sentences, its facts and the nodes they name are
all in the document's own named graph. So a store is validated one graph at a time
(:func:`validate_documents`), each graph with the ontology terms it points at: memory holds one
document graph, never the union of the store (2,023 documents as one graph held 14.6 GB and gave
no answer in 900 s), and a failure names its document.

Examples
--------
>>> from rdflib import RDF, Graph
>>> validate(Graph()).conforms
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import RDF, RDFS, Graph, URIRef

from ontology import RKG, load, shapes

__all__ = ["ValidationReport", "DocumentValidation", "validate", "validate_documents", "validate_graph"]


@dataclass(frozen=True)
class DocumentValidation:
    """The outcome for one named graph of the store: a document's (or a loaded file's)."""

    graph: str
    file: str
    conforms: bool
    violations: int
    focus_nodes: int
    text: str


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms``, the number of ``violations`` and the report
    text; for a store, ``documents`` holds each graph's :class:`DocumentValidation`."""

    conforms: bool
    violations: int
    focus_nodes: int
    text: str
    documents: tuple = field(default=())


@lru_cache(maxsize=1)
def _ontology() -> tuple[Graph, tuple]:
    """The terms a document graph points at (the ontology, the industry concepts, the zone types),
    and the class hierarchy, which every document needs for subclass targets."""
    terms = Graph()
    terms += load("regionkg")
    terms += load("industries")
    terms += load("indicators")
    zones = load("zones")
    # The reference list of zones is not mixed in: it points at divisions no document named, and
    # is checked by the vocabulary tests.
    for ztype in zones.subjects(RDF.type, RKG.ZoneType):
        for triple in zones.triples((ztype, None, None)):
            terms.add(triple)
    hierarchy = tuple(terms.triples((None, RDFS.subClassOf, None)))
    return terms, hierarchy


def _checked(data: Graph) -> Graph:
    """``data`` with the class hierarchy and what the ontology says of each term ``data`` names."""
    terms, hierarchy = _ontology()
    checked = Graph()
    checked += data
    for triple in hierarchy:
        checked.add(triple)
    named = {t for t in data.subjects() if isinstance(t, URIRef)} | {
        t for t in data.objects() if isinstance(t, URIRef)} | {
        t for t in data.predicates() if isinstance(t, URIRef)}
    for term in named:
        for triple in terms.triples((term, None, None)):
            checked.add(triple)
    return checked


def validate_graph(data: Graph) -> ValidationReport:
    """Validate one graph of facts (a document's, or any rdflib graph) against the shapes.

    Examples
    --------
    >>> from rdflib import Literal
    >>> g = Graph()
    >>> doc = URIRef("https://w3id.org/regionkg/doc/0000000000000000")
    >>> _ = g.add((doc, RDF.type, RKG.PlanDocument))
    >>> report = validate_graph(g)
    >>> report.conforms, report.violations >= 3  # no hash, no file name, no subject region
    (False, True)
    """
    if not isinstance(data, Graph):
        raise TypeError(f"expected an rdflib Graph, got {type(data).__name__}")
    import pyshacl
    from rdflib.namespace import SH

    conforms, report_graph, text = pyshacl.validate(
        _checked(data), shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=False,
    )
    violations = len(set(report_graph.subjects(RDF.type, SH.ValidationResult)))
    return ValidationReport(bool(conforms), violations, len(set(data.subjects())), text)


def validate_documents(store) -> Iterator[DocumentValidation]:
    """Validate each named graph of ``store`` but the vocabulary, one at a time: the documents in
    the order of their file names, then other graphs (loaded files) in the order of their names.

    Streaming: one graph is read, checked and let go before the next, so memory is bounded by the
    largest document, whatever the size of the store.

    Examples
    --------
    >>> import tempfile
    >>> from graph.store import Store
    >>> with Store(tempfile.mkdtemp()) as kg:
    ...     list(validate_documents(kg))
    []
    """
    from graph.store import VOCABULARY_GRAPH

    # A document's file name from its own graph (whatever else the graph lacks), in no order.
    files = {str(d): str(f) for d, f in store.query(
        "SELECT ?d ?file WHERE { GRAPH ?d { ?d rkg:fileName ?file } }")}
    names = [g for g in store.graph_names() if g != str(VOCABULARY_GRAPH)]
    for name in sorted(names, key=lambda g: (g not in files, files.get(g, ""), g)):
        data = Graph()
        data.parse(data=store.graph_ntriples(name), format="nt")
        report = validate_graph(data)
        del data
        gc.collect()  # rdflib's and pyshacl's graphs hold reference cycles: free each document's now
        yield DocumentValidation(name, files.get(name, ""), report.conforms, report.violations,
                                 report.focus_nodes, report.text)


def validate(source) -> ValidationReport:
    """Validate a :class:`graph.store.Store` (each document graph in turn) or an rdflib graph.

    The ontology terms a graph points at are mixed into it, so subclass targets and the classes of
    industry concepts resolve; the vocabulary itself is checked by its own tests.
    """
    if isinstance(source, Graph):
        return validate_graph(source)
    if not hasattr(source, "graph_ntriples"):
        raise TypeError(f"expected a Store or an rdflib Graph, got {type(source).__name__}")
    documents = tuple(validate_documents(source))
    failed = [d for d in documents if not d.conforms]
    return ValidationReport(
        not failed, sum(d.violations for d in documents), sum(d.focus_nodes for d in documents),
        "\n".join(f"{d.file or d.graph}: {d.violations} violations\n{d.text}" for d in failed),
        documents)
