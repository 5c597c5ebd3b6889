"""``regionkg_token_features``: what the rules and the reference lists found, as token features.

The learned recogniser (:mod:`~ingest.recognise.learned`) reads each token's words and characters,
and two features this component writes where spaCy's embedding can read them:

- ``token.lemma_``: the mentions the rule components found over the token (``B-zone``,
  ``I-institution`` …) and the reference-list names it is part of (``B-gaz:zone``,
  ``I-gaz:university``, ``B-gaz:enterprise``), joined by ``+``; ``O`` for none;
- ``token.tag_``: the token's part of speech in jieba's dictionary (``ns``, ``v``, ``n`` …), or
  ``X<n>`` for a word of ``n`` characters the dictionary does not know (a name, often).

So the rules and the gazetteers are evidence the model weighs, not decisions it must take.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> _ = nlp.add_pipe("regionkg_token_features")
>>> doc = nlp("支持北京大学发展")
>>> [(t.text, t.lemma_, t.tag_) for t in doc]
[('支持', 'O', 'v'), ('北京大学', 'B-gaz:university', 'nt'), ('发展', 'O', 'vn')]
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ingest.gazetteer import load_gazetteer
from ingest.recognise.config import component_defaults
from ingest.recognise.mention import doc_text
from ingest.regions import word_tag

__all__ = ["TokenFeatures", "make_token_features"]


@Language.factory("regionkg_token_features", default_config=component_defaults("regionkg_token_features"))
def make_token_features(nlp: Language, name: str, gazetteers: bool) -> TokenFeatures:
    """The ``regionkg_token_features`` component."""
    return TokenFeatures(gazetteers=gazetteers)


class TokenFeatures:
    """Writes the rules' mentions and the reference lists' names into ``lemma_``, and jieba's part of
    speech into ``tag_``, of every token."""

    def __init__(self, *, gazetteers: bool = True):
        self.gazetteer = load_gazetteer() if gazetteers else None

    def spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start, end, label) of every mention and reference-list name in ``doc``."""
        out = [(m.start, m.end, m.type) for m in doc._.mentions or ()]
        if self.gazetteer is not None:
            for start, end, _form, entries in self.gazetteer.find(doc_text(doc)):
                kinds = sorted({e.type if e.type == "zone" else e.kind for e in entries})
                out.append((start, end, "gaz:" + "|".join(kinds)))
        return out

    def __call__(self, doc: Doc) -> Doc:
        labels = [[] for _ in range(len(doc))]
        for start, end, label in self.spans(doc):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            for i in range(span.start, span.end):
                labels[i].append(("B-" if i == span.start else "I-") + label)
        for token, found in zip(doc, labels):
            token.lemma_ = "+".join(sorted(set(found))) if found else "O"
            tag = word_tag(token.text)
            token.tag_ = tag[1] if tag is not None else f"X{min(len(token.text), 4)}"
        return doc
