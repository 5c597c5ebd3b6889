"""SHACL validation of a regionkg graph against ``ontology/shapes.ttl`` (pyshacl).

Examples
--------
>>> from rdflib import RDF, Graph
>>> validate(Graph()).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, Graph

from ontology import RKG, load, shapes

__all__ = ["ValidationReport", "validate"]


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms``, the number of ``violations`` and the report text."""

    conforms: bool
    violations: int
    focus_nodes: int
    text: str


def validate(source) -> ValidationReport:
    """Validate a :class:`graph.store.Store` or an rdflib graph of facts.

    The ontology and vocabularies are the ontology graph, so subclass targets and the classes of
    industry concepts resolve; the vocabulary itself is checked by its own tests.
    """
    if hasattr(source, "facts_graph"):
        data = source.facts_graph()
    elif isinstance(source, Graph):
        data = source
    else:
        raise TypeError(f"expected a Store or an rdflib Graph, got {type(source).__name__}")
    import pyshacl

    # The data graph carries the terms it points at: the ontology (so subclass targets resolve),
    # the industry concepts and the zone types. The reference list of zones is not mixed in: it
    # points at divisions no document named, and is checked by the vocabulary tests.
    checked = Graph()
    checked += data
    checked += load("regionkg")
    checked += load("industries")
    zones = load("zones")
    for ztype in zones.subjects(RDF.type, RKG.ZoneType):
        for triple in zones.triples((ztype, None, None)):
            checked.add(triple)
    conforms, report_graph, text = pyshacl.validate(
        checked, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=False,
    )
    from rdflib.namespace import SH

    violations = len(set(report_graph.subjects(RDF.type, SH.ValidationResult)))
    focus = len(set(data.subjects()))
    return ValidationReport(bool(conforms), violations, focus, text)
