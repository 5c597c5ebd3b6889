"""The ``rkg:`` namespace, as a closed :class:`rdflib.namespace.DefinedNamespace`.

Generated from ``ontology/regionkg.ttl`` by ``python -m ontology.make_namespace``; do not edit.
A misspelt term (``RKG.targetIndustry``) raises instead of minting a new IRI.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["RKG"]


class RKG(DefinedNamespace):
    """Terms of the regionkg ontology (https://w3id.org/regionkg/ontology#)."""

    _fail = True
    _NS = Namespace("https://w3id.org/regionkg/ontology#")

    City: URIRef
    County: URIRef
    District: URIRef
    EmergingRole: URIRef
    Enterprise: URIRef
    Indicator: URIRef
    Industry: URIRef
    IndustryRole: URIRef
    Institution: URIRef
    Laboratory: URIRef
    LeadRole: URIRef
    OtherRole: URIRef
    PlanDocument: URIRef
    Platform: URIRef
    Project: URIRef
    Province: URIRef
    Region: URIRef
    ResearchInstitute: URIRef
    Sentence: URIRef
    ServiceRole: URIRef
    TalentProgramme: URIRef
    Target: URIRef
    TraditionalRole: URIRef
    University: URIRef
    Zone: URIRef
    ZoneType: URIRef
    anonymised: URIRef
    charEnd: URIRef
    charStart: URIRef
    comparator: URIRef
    confidence: URIRef
    contentHash: URIRef
    defaultRole: URIRef
    divisionCode: URIRef
    encoding: URIRef
    extractedBy: URIRef
    extractorVersion: URIRef
    fileName: URIRef
    forYear: URIRef
    hasPart: URIRef
    hostsInstitution: URIRef
    hostsProject: URIRef
    inDocument: URIRef
    inIndustry: URIRef
    indicator: URIRef
    indicatorText: URIRef
    kind: URIRef
    level: URIRef
    locatedIn: URIRef
    masked: URIRef
    mention: URIRef
    nameSuffix: URIRef
    partOf: URIRef
    planYear: URIRef
    provisional: URIRef
    role: URIRef
    roles: URIRef
    runsTalentProgramme: URIRef
    setsTarget: URIRef
    statedIn: URIRef
    subjectRegion: URIRef
    targetsIndustry: URIRef
    zoneType: URIRef
