"""``regionkg_choose``: which mentions stand as the document's names once the learned recogniser ran.

Measured on annotated real plans it was not trained on, the learned recogniser alone is more
precise than the rules and than rules and recogniser together, so its names stand; a rule adds what
it knows about the same characters (the zone or industry concept, the institution's kind, the type
its suffix says), and only the rules named in the config (``rules``: those whose names were right
where the recogniser found nothing) add names of their own.

An industry the recogniser names is linked to the industry scheme: to the concept one of its labels
names (集成电路, 集成电路产业), else it is a provisional industry under the concept its head word
belongs to (存储芯片 under 芯片).

Examples
--------
>>> from ingest.recognise.mention import Mention
>>> import spacy
>>> doc = spacy.blank("zh")("建设明月湖实验室和宁波国家高新区")
>>> doc._.mentions = [Mention("zone", 9, 16, "宁波国家高新区", "known_zone", 0.95, concept="urn:x"),
...                   Mention("institution", 2, 8, "明月湖实验室", "learned", 0.6, kind="lab"),
...                   Mention("project", 9, 16, "宁波国家高新区", "learned", 0.6)]
>>> doc = Choose(load_vocabulary(), rules=("known_zone",))(doc)
>>> [(m.type, m.text, m.rule, m.concept) for m in doc._.mentions]
[('institution', '明月湖实验室', 'learned', None), ('zone', '宁波国家高新区', 'learned', 'urn:x')]
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.industry_lists import IndustryLists
from ingest.recognise.mention import Mention
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["Choose", "make_choose", "LEARNED_RULES"]

#: Rules whose names are the learned recogniser's own (:mod:`~ingest.recognise.learned`, completed
#: by :mod:`~ingest.recognise.lists`).
LEARNED_RULES = ("learned", "shared_ending")


@Language.factory("regionkg_choose", default_config=component_defaults("regionkg_choose"))
def make_choose(nlp: Language, name: str, rules: list[str]) -> Choose:
    """The ``regionkg_choose`` component."""
    return Choose(load_vocabulary(), rules=tuple(rules))


class Choose:
    """Keeps the learned names, with what the rules know of the same characters, and the names of
    the trusted ``rules`` where the recogniser found nothing."""

    def __init__(self, vocab: Vocabulary, *, rules: tuple[str, ...] = ()):
        self.vocab = vocab
        self.rules = frozenset(rules)
        self.industry_lists = IndustryLists(vocab, max_item_chars=12)

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.mentions or []
        learned = [m for m in mentions if m.rule in LEARNED_RULES]
        by_span: dict[tuple[int, int], Mention] = {}
        for m in mentions:
            if m.rule not in LEARNED_RULES:
                by_span.setdefault((m.start, m.end), m)
        kept = [self._with_rule(m, by_span.get((m.start, m.end))) for m in learned]
        taken = bytearray(max((m.end for m in mentions), default=0))
        for m in kept:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        for m in mentions:
            if m.rule in self.rules and not any(taken[m.start:m.end]):
                kept.append(m)
        doc._.mentions = sorted(kept, key=lambda m: (m.start, m.end))
        return doc

    def _with_rule(self, m: Mention, rule: Mention | None) -> Mention:
        if rule is not None and (rule.type == "industry") == (m.type == "industry"):
            # The rule's type (its suffix says it), concept and kind; the learned kind where the
            # rule has none for an institution both call one.
            kind = rule.kind or (m.kind if m.type == rule.type == "institution" else None)
            m = replace(m, type=rule.type, concept=rule.concept or m.concept,
                        broader=rule.broader or m.broader, kind=kind)
        if m.type == "industry" and m.concept is None:
            concept = self.vocab.industries.get(m.text)
            if concept is None and m.text.endswith("产业"):
                concept = self.vocab.industries.get(m.text[:-2])
            if concept is not None:
                m = replace(m, concept=str(concept))
            elif m.broader is None:
                head = self.industry_lists.head_concept(m.text)
                m = replace(m, broader=str(head) if head is not None else None)
        return m
