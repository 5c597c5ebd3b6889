"""The recogniser's vocabularies, read from the Turtle files of ``ontology/``.

Nothing here is a word list of its own: industries come from ``industries.ttl``, zone types and known
zones from ``zones.ttl``, name suffixes and cue words from ``lexicon.ttl``, industry roles from
``regionkg.ttl``. :func:`load_vocabulary` turns them into plain lookup tables once.

Examples
--------
>>> vocab = load_vocabulary()
>>> vocab.industry_label(vocab.industries["新材料"])
'新材料产业'
>>> vocab.suffix_class("宁波新材料联合研究院")
('研究院', 'institution', 'research')
>>> vocab.suffix_class("梅山湾蓝海工程")
('工程', 'project', None)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import RDF, SKOS, Graph, URIRef

from ontology import RKG, class_types, load

__all__ = ["Vocabulary", "KnownZone", "load_vocabulary"]
_LEX = "https://w3id.org/regionkg/lexicon/"


@dataclass(frozen=True)
class KnownZone:
    """A zone of the reference list (national hi-tech zones, national new areas)."""

    iri: URIRef
    label: str
    zone_type: URIRef | None
    located_in: str | None  # six-digit division code


@dataclass
class Vocabulary:
    """Lookup tables built from the ontology files."""

    industries: dict[str, URIRef] = field(default_factory=dict)  # surface form → concept
    industry_labels: dict[URIRef, str] = field(default_factory=dict)  # concept → zh prefLabel
    industry_broader: dict[URIRef, URIRef] = field(default_factory=dict)
    industry_default_role: dict[URIRef, URIRef] = field(default_factory=dict)
    zone_types: dict[str, URIRef] = field(default_factory=dict)  # surface form → zone type
    known_zones: dict[str, KnownZone] = field(default_factory=dict)  # surface form → zone
    suffixes: dict[str, URIRef] = field(default_factory=dict)  # name suffix → class
    roles: dict[str, URIRef] = field(default_factory=dict)  # cue word → role
    role_notations: dict[URIRef, str] = field(default_factory=dict)
    lexicon: dict[str, frozenset[str]] = field(default_factory=dict)  # lex concept name → words
    class_types: dict[URIRef, tuple[str, str | None]] = field(default_factory=dict)  # class → (type, kind)

    def industry_label(self, concept: URIRef) -> str:
        """The Chinese preferred label of an industry concept."""
        return self.industry_labels[concept]

    def industry_top(self, concept: URIRef) -> URIRef:
        """The top concept above ``concept`` (itself if it is a top concept)."""
        seen = set()
        while concept in self.industry_broader and concept not in seen:
            seen.add(concept)
            concept = self.industry_broader[concept]
        return concept

    def default_role(self, concept: URIRef) -> URIRef | None:
        """The ``rkg:defaultRole`` of ``concept`` or of its nearest broader concept that has one."""
        seen = set()
        while concept is not None and concept not in seen:
            seen.add(concept)
            if concept in self.industry_default_role:
                return self.industry_default_role[concept]
            concept = self.industry_broader.get(concept)
        return None

    def suffix_class(self, name: str) -> tuple[str, str, str | None] | None:
        """The longest type suffix ``name`` ends with, the entity type it makes and the kind.

        The kind is the class's ``skos:notation`` for institutions (university, research …),
        None for the other types.
        """
        for length in range(min(len(name), 12), 0, -1):
            cls = self.suffixes.get(name[-length:])
            if cls is not None:
                return (name[-length:], *self.class_types[cls])
        return None

    def words(self, concept: str) -> frozenset[str]:
        """The words of the lexicon concept ``lex:<concept>`` (e.g. ``"boundary"``)."""
        try:
            return self.lexicon[concept]
        except KeyError:
            raise KeyError(f"no lexicon concept {concept!r}; known: {sorted(self.lexicon)}") from None


def _labels(graph: Graph, subject, *, alt: bool = True) -> list[str]:
    preds = (SKOS.prefLabel, SKOS.altLabel) if alt else (SKOS.prefLabel,)
    out = []
    for pred in preds:
        for label in graph.objects(subject, pred):
            if getattr(label, "language", None) in (None, "zh"):
                out.append(str(label))
    return out


def _zh_pref(graph: Graph, subject) -> str | None:
    for label in graph.objects(subject, SKOS.prefLabel):
        if getattr(label, "language", None) in (None, "zh"):
            return str(label)
    return None


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Build the :class:`Vocabulary` from ``ontology/*.ttl`` (cached)."""
    vocab = Vocabulary()
    industries = load("industries")
    for concept in industries.subjects(RDF.type, SKOS.Concept):
        pref = _zh_pref(industries, concept)
        if pref is None:
            continue
        vocab.industry_labels[concept] = pref
        for broader in industries.objects(concept, SKOS.broader):
            vocab.industry_broader[concept] = broader
        for role in industries.objects(concept, RKG.defaultRole):
            vocab.industry_default_role[concept] = role
        for label in _labels(industries, concept):
            vocab.industries.setdefault(label, concept)
            if label.endswith("产业") and len(label) > 4:
                vocab.industries.setdefault(label[:-2], concept)

    zones = load("zones")
    for ztype in zones.subjects(RDF.type, RKG.ZoneType):
        for label in _labels(zones, ztype):
            vocab.zone_types.setdefault(label, ztype)
    for zone in zones.subjects(RDF.type, RKG.Zone):
        pref = _zh_pref(zones, zone)
        if pref is None:
            continue
        located = next(zones.objects(zone, RKG.locatedIn), None)
        code = str(located).rsplit("/", 1)[-1] if located is not None else None
        known = KnownZone(zone, pref, next(zones.objects(zone, RKG.zoneType), None), code)
        for label in _labels(zones, zone):
            vocab.known_zones.setdefault(label, known)

    lexicon = load("lexicon")
    for cls, suffix in lexicon.subject_objects(RKG.nameSuffix):
        vocab.suffixes[str(suffix)] = cls
    for label, ztype in vocab.zone_types.items():
        # A zone type's names are the suffixes of zone names (…高新区, …产业园, …小镇).
        vocab.suffixes.setdefault(label, RKG.Zone)
    for concept in lexicon.subjects(RDF.type, SKOS.Concept):
        if str(concept).startswith(_LEX):
            words = frozenset(str(w) for w in lexicon.objects(concept, SKOS.altLabel))
            vocab.lexicon[str(concept)[len(_LEX):]] = words

    ontology = load("regionkg")
    for cls, (entity_type, kind) in class_types().items():
        vocab.class_types[cls] = (entity_type, kind if entity_type == "institution" else None)
    for role in ontology.subjects(RDF.type, RKG.IndustryRole):
        notation = next(ontology.objects(role, SKOS.notation), None)
        if notation is not None:
            vocab.role_notations[role] = str(notation)
        for label in ontology.objects(role, SKOS.altLabel):
            vocab.roles[str(label)] = role
    return vocab
