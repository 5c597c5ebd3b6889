"""``regionkg_industry_lists``: unknown items of an industry list become provisional industries.

Examples
--------
>>> from ingest.recognise import build_pipeline
>>> doc = build_pipeline({"learned": False})("重点发展工程机械（挖掘机械、起重机械）产业。")
>>> [(m.text, m.rule) for m in doc._.mentions if m.rule == "industry_list"]
[('挖掘机械', 'industry_list'), ('起重机械', 'industry_list')]
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.mention import Mention, add_mention, doc_text
from ingest.recognise.words import _VERB_POS, _opens_clause, _pos, _segment, _strip_leading
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["IndustryLists", "make_industry_lists"]

_LIST_ITEM = r"[^、，,。；;：:（）()“”\"《》\s等和及与]{2,10}"
_INDUSTRY_LIST = re.compile(rf"{_LIST_ITEM}(?:[、/]{_LIST_ITEM})+")


@Language.factory("regionkg_industry_lists", default_config=component_defaults("regionkg_industry_lists"))
def make_industry_lists(nlp: Language, name: str, max_item_chars: int) -> IndustryLists:
    """The ``regionkg_industry_lists`` component: :class:`IndustryLists` of the vocabulary."""
    return IndustryLists(load_vocabulary(), max_item_chars=max_item_chars)


def _head_nouns(vocab: Vocabulary) -> dict:
    """Two-character head nouns of industry labels (机械 of 工程机械 and 农业机械) → the closest concept
    above all the concepts whose labels end in that head (or the one concept, if only one does)."""
    by_head: dict[str, set] = {}
    for label, concept in vocab.industries.items():
        if len(label) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", label) and not label.endswith("业"):
            by_head.setdefault(label[-2:], set()).add(concept)
    out = {}
    for head, concepts in by_head.items():
        chains = [_ancestors(vocab, c) for c in concepts]
        common = [c for c in chains[0] if all(c in chain for chain in chains[1:])]
        if common:
            out[head] = common[0]
    return out


def _ancestors(vocab: Vocabulary, concept) -> list:
    """``concept`` and the concepts above it, nearest first."""
    chain, seen = [], set()
    while concept is not None and concept not in seen:
        seen.add(concept)
        chain.append(concept)
        concept = vocab.industry_broader.get(concept)
    return chain


class IndustryLists:
    """Items of an industry enumeration that no concept matches become provisional industries.

    A list A、B、C is a list of industries when one item is an industry of the scheme, or the list
    is closed by 产业, 领域, 集群 … (``lex:industryListCue``). Its unknown items are industries too,
    each under the concept of a known sibling's broader concept, or of the parent industry whose
    sub-fields are listed in brackets (工程机械（挖掘机械、起重机械）).
    """

    def __init__(self, vocab: Vocabulary, *, max_item_chars: int):
        self.vocab = vocab
        self.max_item_chars = max_item_chars
        self.cues = sorted(vocab.words("industryListCue"), key=len, reverse=True)
        self.boundary = sorted(vocab.words("boundary"), key=len, reverse=True)
        self.generic = vocab.words("generic")
        self.not_heads = vocab.words("publicService") | vocab.words("umbrellaTerm")
        self.head_nouns = _head_nouns(vocab)

    def _strip(self, item: str) -> tuple[int, str]:
        cut = _strip_leading(item, self.boundary)
        rest = item[cut:]
        words = _segment(rest)
        # Verbs and adverbs that open the clause (超前布局量子信息, 突破动力电池).
        while len(words) > 1 and _opens_clause(words[0]) and len(rest) - len(words[0]) >= 2 and (
                _pos(words[0]) not in _VERB_POS or self._known_start(rest[len(words[0]):])):
            # 突破动力电池 → 动力电池; but 挖掘机械 keeps its verb-like modifier.
            cut += len(words[0])
            rest = rest[len(words[0]):]
            words = words[1:]
        for cue in self.cues:
            if rest.endswith(cue) and len(rest) - len(cue) >= 2:
                rest = rest[: -len(cue)]
                break
        return cut, rest

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        known = [(m.start, m.end) for m in (doc._.mentions or []) if m.type == "industry"]
        long_boundary = [w for w in self.boundary if len(w) >= 2]
        for match in _INDUSTRY_LIST.finditer(text):
            items, pos = [], match.start()
            for raw in re.split(r"[、/]", match.group(0)):
                cut, item = self._strip(raw)
                items.append((pos + cut, item))
                pos += len(raw) + 1
            parent = self._parent(text, match.start())
            closer = text[match.end():match.end() + 6]
            concepts = [self.vocab.industries.get(item) for _, item in items]
            # 挖掘机械, 存储芯片: an item that ends in a known industry is a sub-field of it.
            heads = [None if c is not None else self.head_concept(item) for (_, item), c in zip(items, concepts)]
            siblings = [c for c in concepts if c is not None]
            # 晶圆制造为龙头, 玻璃基板: an item that opens with a known industry speaks for the list too.
            leads = [self._lead_concept(item) if c is None else None for (_, item), c in zip(items, concepts)]
            evidence = len(siblings) + sum(1 for h in heads if h) + sum(1 for c in leads if c)
            if not siblings and evidence < 2 and not parent and \
                    not any(closer.lstrip("等").startswith(c) for c in self.cues):
                continue
            broader = parent or (self.vocab.industry_broader.get(siblings[0]) if siblings else None)
            for (start, item), concept, head, lead in zip(items, concepts, heads, leads):
                end = start + len(item)
                if concept is not None:
                    continue
                if lead is not None and head is None and _pos(item[len(self._lead_word(item)):]) in ("n", None) \
                        and len(item) <= 6:
                    head = lead  # 玻璃基板: a product of the known industry it opens with
                if head is None and any(ks < end and start < ke for ks, ke in known):
                    continue  # holding a known industry (要突出培育新材料)
                if not (2 <= len(item) <= self.max_item_chars) or item in self.generic:
                    continue
                if any(w in item for w in long_boundary) or self.vocab.suffix_class(item) \
                        or item[-2:] in self.generic or item[-1:] in "师员者人":
                    continue  # a verb phrase, a name (…研发中心), a group of people
                if re.search(r"\d|[A-Za-z]{4,}", item) or item[-1] in "区市县省园城镇化":
                    continue  # places; 智能化, 电动化: ways of changing, not industries
                words = _segment(item)
                if head is None and any(_pos(w) == "v" and len(w) > 1 for w in words):
                    continue  # 人才打通医疗, 筑牢拒腐防线: a clause rather than an industry
                if any(item.endswith(w) for w in self.not_heads):
                    continue  # 抓实安全生产: a public service, not an industry
                under = head or broader
                add_mention(doc, Mention("industry", start, start + len(item), item, "industry_list", 0.55,
                                         broader=str(under) if under else None))
        return doc

    def _known_start(self, text: str) -> bool:
        return any(text[:n] in self.vocab.industries for n in range(min(len(text), 12), 1, -1))

    def _lead_word(self, item: str) -> str:
        """The longest known industry that opens ``item`` and leaves at least two characters."""
        for length in range(len(item) - 2, 1, -1):
            if item[:length] in self.vocab.industries and item[:length] not in self.not_heads:
                return item[:length]
        return ""

    def _lead_concept(self, item: str):
        word = self._lead_word(item)
        return self.vocab.industries.get(word) if word else None

    def head_concept(self, item: str):
        """The concept of the longest known industry that ends ``item`` after a modifier of at least
        two characters (存储芯片 → 芯片), or None."""
        for length in range(len(item) - 2, 1, -1):
            word = item[-length:]
            concept = self.vocab.industries.get(word)
            if concept is not None:
                # Not a public service (办好义务教育) or a whole class of industry (生产性服务业).
                return None if word in self.not_heads else concept
        # 挖掘机械, 液晶显示: no concept is the head word, but concepts end in it (工程机械,
        # 新型显示): the item sits under what those have in common.
        if len(item) >= 4 and _pos(item[-2:]) != "vn" and _pos(item[:-2]) not in ("d", "ad", "p", "c", "r"):
            return self.head_nouns.get(item[-2:])
        return None

    def _parent(self, text: str, list_start: int):
        """The industry whose sub-fields open with the bracket just before ``list_start``."""
        if list_start == 0 or text[list_start - 1] not in "（(":
            return None
        before = text[max(0, list_start - 12): list_start - 1]
        for length in range(min(len(before), 10), 1, -1):
            concept = self.vocab.industries.get(before[-length:])
            if concept is not None:
                return concept
        return None

