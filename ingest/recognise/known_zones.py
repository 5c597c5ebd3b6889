"""``regionkg_known_zones``: the zones of the reference list (``zones.ttl``), found by their labels.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> _ = nlp.add_pipe("regionkg_known_zones")
>>> [m.text for m in nlp("推动宁波国家高新区高质量发展")._.mentions]
['宁波国家高新区']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.matching import _automaton, _longest_matches
from ingest.recognise.mention import Mention, add_mention, doc_text
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["KnownZoneMatcher", "make_known_zones"]


@Language.factory("regionkg_known_zones", default_config=component_defaults("regionkg_known_zones"))
def make_known_zones(nlp: Language, name: str) -> KnownZoneMatcher:
    """The ``regionkg_known_zones`` component: a :class:`KnownZoneMatcher` of the vocabulary."""
    return KnownZoneMatcher(load_vocabulary())


class KnownZoneMatcher:
    """Finds the zones of the reference list (national hi-tech zones, new areas) by their labels."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.automaton = _automaton(w for w in vocab.known_zones if len(w) >= 3)

    def __call__(self, doc: Doc) -> Doc:
        for start, end, word in _longest_matches(self.automaton, doc_text(doc)):
            zone = self.vocab.known_zones[word]
            add_mention(doc, Mention("zone", start, end, word, "known_zone", 0.95, str(zone.iri),
                                     str(zone.zone_type) if zone.zone_type else None))
        return doc
