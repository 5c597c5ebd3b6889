"""``regionkg_shared_endings``: the names of a list whose items share one ending, written out.

Plans list names that share their ending once: 金凤、嘉陵江、明月湖实验室 are three laboratories,
湘琼、粤琼、深儋合作产业园 three parks, 莱临、德商铁路 two railways. The recognisers find the heads
(金凤, 嘉陵江) and the last, whole name; this component gives each head the ending it shares with
that name, as a mention of the same type over the head's own characters.

The shared ending is what follows the last item's own head. Where the list is closed by 等
(紫金山、太湖、钟山、云龙湖等实验室) the closer marks it: the ending is what follows 等, and the last
item is its head and the ending too (云龙湖实验室). Otherwise the last name is cut after as many
characters as the item before it has (嘉陵江 → 明月湖|实验室), and only between two words (a list
shares words, never half of one: 汉关文化城、铁门古镇文化产业园 is two names, not 汉关文化城 +
化产业园). The ending is at least two characters and, where the last name has a type suffix
(``lexicon.ttl``), holds it.

Examples
--------
>>> from ingest.recognise.mention import Mention
>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> doc = nlp("建设金凤、嘉陵江、明月湖实验室")
>>> doc._.mentions = [Mention("institution", 2, 4, "金凤", "learned", 0.6),
...                   Mention("institution", 5, 8, "嘉陵江", "learned", 0.6),
...                   Mention("institution", 9, 15, "明月湖实验室", "learned", 0.6, kind="lab")]
>>> doc = SharedEndings(load_vocabulary())(doc)
>>> [(m.text, m.start, m.end, m.kind) for m in doc._.mentions if m.rule == "shared_ending"]
[('金凤实验室', 2, 4, 'lab'), ('嘉陵江实验室', 5, 8, 'lab')]
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.enumerations import NOT_A_CLOSER_AFTER
from ingest.recognise.mention import Mention, doc_text
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["SharedEndings", "make_shared_endings"]

#: What joins the items of a list.
JOINERS = "、和及与"
#: What closes a list before the ending its items share (A、B等实验室).
_CLOSER = "等"


@Language.factory("regionkg_shared_endings", default_config=component_defaults("regionkg_shared_endings"))
def make_shared_endings(nlp: Language, name: str, max_head_chars: int) -> SharedEndings:
    """The ``regionkg_shared_endings`` component."""
    return SharedEndings(load_vocabulary(), max_head_chars=max_head_chars)


class SharedEndings:
    """Completes the heads of a list with the ending they share with its last name."""

    def __init__(self, vocab: Vocabulary, *, max_head_chars: int = 6):
        if max_head_chars < 2:
            raise ValueError(f"max_head_chars must be at least 2, got {max_head_chars!r}")
        self.vocab = vocab
        self.max_head_chars = max_head_chars

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.mentions or []
        text = doc_text(doc)
        by_start = {}
        for m in mentions:
            if m.type != "industry":
                by_start.setdefault(m.start, m)
        boundaries = {token.idx for token in doc} | {len(text)}
        completed = []
        for last in sorted(by_start.values(), key=lambda m: m.start):
            heads = self._heads(text, last, mentions)
            if not heads:
                continue
            split = self._split(last, heads[-1], boundaries)
            if split is None:
                continue
            own_head, ending = split
            for head in heads:
                completed.append(replace(head, type=last.type, text=head.text + ending, rule="shared_ending",
                                         kind=last.kind))
            if own_head + ending != last.text:  # 云龙湖等实验室 → 云龙湖实验室
                completed.append(replace(last, text=own_head + ending, rule="shared_ending"))
        doc._.mentions = [m for m in mentions if all((m.start, m.end) != (c.start, c.end) for c in completed)] \
            + completed
        return doc

    def _heads(self, text: str, last: Mention, mentions) -> list[Mention]:
        """The mentions that stand as list items right before ``last``, nearest last."""
        ends = {m.end: m for m in mentions if m.end - m.start <= self.max_head_chars and m.type != "industry"}
        heads, start = [], last.start
        while start > 0 and text[start - 1] in JOINERS and (start - 1) in ends:
            head = ends[start - 1]
            found = self.vocab.suffix_class(head.text)
            if found is not None and len(found[0]) >= 2:
                break  # a whole name of its own (…实验室、…实验室)
            heads.insert(0, head)
            start = head.start
        return heads

    def _split(self, last: Mention, before: Mention, boundaries: set[int]) -> tuple[str, str] | None:
        """``last``'s text as its own head and the ending the list shares (without the closer 等);
        None if the list shares no ending there."""
        closer = last.text.rfind(_CLOSER)
        if closer > 0 and last.text[closer - 1] in NOT_A_CLOSER_AFTER:
            closer = -1  # 高等研究院: a word, not a list's closer
        cut = closer if closer > 0 else len(before.text)
        ending = last.text[cut:].removeprefix(_CLOSER)
        if cut >= len(last.text) or len(ending) < 2 or closer <= 0 and last.start + cut not in boundaries:
            return None
        found = self.vocab.suffix_class(last.text)
        if found is not None and not ending.endswith(found[0]):
            return None
        return last.text[:cut], ending
