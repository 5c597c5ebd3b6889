"""A recognised mention, and how a component adds one to a :class:`~spacy.tokens.Doc`.

Every component of :mod:`ingest.recognise` adds :class:`Mention` objects, with exact character
offsets, to ``doc._.mentions`` and a token-aligned span to ``doc.spans[<type>]``.

Examples
--------
>>> import spacy
>>> doc = spacy.blank("zh")("发展新材料产业")
>>> add_mention(doc, Mention("industry", 2, 5, "新材料", "industry_vocabulary", 0.9))
>>> [m.text for m in doc._.mentions], [s.text for s in doc.spans["industry"]]
(['新材料'], ['新材料'])
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

__all__ = ["Mention", "ENTITY_TYPES", "add_mention", "doc_text"]

#: The five entity types, in the order of the gold format.
ENTITY_TYPES = ("zone", "industry", "project", "institution", "talent_programme")


@dataclass(frozen=True)
class Mention:
    """A recognised mention: its type, exact offsets in the document text, and how it was found.

    ``concept`` is the IRI of an industry concept or of a known zone; ``kind`` is the institution
    kind (university, research, lab, platform, enterprise, other) or a zone type IRI.
    """

    type: str
    start: int
    end: int
    text: str
    rule: str
    confidence: float
    concept: str | None = None
    kind: str | None = None
    broader: str | None = None  # for a provisional industry: the concept it is placed under


if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)


def _mentions(doc: Doc) -> list[Mention]:
    if doc._.mentions is None:
        doc._.mentions = []
    return doc._.mentions


def add_mention(doc: Doc, mention: Mention) -> None:
    """Add ``mention`` to ``doc._.mentions``, and its span, expanded to whole tokens, to
    ``doc.spans[mention.type]``."""
    _mentions(doc).append(mention)
    span = doc.char_span(mention.start, mention.end, label=mention.type, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault(mention.type, []).append(span)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token's text on each access, which made
    per-name lookups quadratic in the document's length."""
    text = doc.user_data.get("regionkg_text")
    if text is None:
        text = doc.user_data["regionkg_text"] = doc.text
    return text

