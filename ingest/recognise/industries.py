"""``regionkg_industries``: the labels of the industry concept scheme, matched on characters.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> _ = nlp.add_pipe("regionkg_industries")
>>> [m.text for m in nlp("强化工作落实,大力发展化工产业")._.mentions]
['化工产业']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.matching import _automaton, _longest_matches
from ingest.recognise.mention import Mention, add_mention, doc_text
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["IndustryMatcher", "make_industry_matcher"]


@Language.factory("regionkg_industries", default_config=component_defaults("regionkg_industries"))
def make_industry_matcher(nlp: Language, name: str, min_chars: int, require_alignment: bool) -> IndustryMatcher:
    """The ``regionkg_industries`` component: an :class:`IndustryMatcher` of the vocabulary."""
    return IndustryMatcher(load_vocabulary(), min_chars=min_chars, require_alignment=require_alignment)


class IndustryMatcher:
    """Finds the labels of ``ontology/industries.ttl`` in the text, linked to their concepts.

    Labels are matched on characters, then kept only where they fall on token boundaries
    (``require_alignment``): with the vocabulary taught to the segmenter, a term that is not a
    whole token is a word inside another word (化工 in 强化工作, 航空航天 in 北京航空航天大学).
    """

    def __init__(self, vocab: Vocabulary, *, min_chars: int, require_alignment: bool):
        if min_chars < 1:
            raise ValueError(f"min_chars must be at least 1, got {min_chars!r}")
        self.vocab = vocab
        self.require_alignment = require_alignment
        self.automaton = _automaton(w for w in vocab.industries if len(w) >= min_chars)

    def __call__(self, doc: Doc) -> Doc:
        for start, end, word in _longest_matches(self.automaton, doc_text(doc)):
            if self.require_alignment and doc.char_span(start, end, alignment_mode="strict") is None:
                continue
            concept = self.vocab.industries[word]
            add_mention(doc, Mention("industry", start, end, word, "industry_vocabulary", 0.9, str(concept)))
        return doc
