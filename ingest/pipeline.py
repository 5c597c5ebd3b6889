"""The spaCy pipeline that recognises zones, industries, projects, institutions and talent programmes.

spaCy's ``zh`` language with the jieba segmenter; no trained model. Every recogniser is a component
registered by name (``regionkg_industries``, ``regionkg_names``, ``regionkg_enumerations``,
``regionkg_quotes``), configured from the vocabularies in ``ontology/`` and testable alone. Each adds
:class:`Mention` objects, with exact character offsets, to ``doc._.mentions`` and a token-aligned
span to ``doc.spans[<type>]``.

Vocabulary terms are matched on characters (Aho-Corasick) and mapped to tokens with
``Doc.char_span(..., alignment_mode="expand")``, so segmentation never loses a term; the pipeline also
teaches its own jieba instance the vocabulary so that most terms are single tokens, and
:func:`alignment_report` measures how many are not.

Examples
--------
>>> nlp = build_pipeline()
>>> doc = nlp("围绕新材料产业,加快建设宁波新材料联合研究院。")
>>> [(m.type, m.text, m.kind) for m in doc._.mentions if m.type != "industry"]
[('institution', '宁波新材料联合研究院', 'research')]
>>> sorted(m.text for m in doc._.mentions if m.type == "industry")
['新材料', '新材料产业']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import ahocorasick
import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.vocab import Vocabulary, load_vocabulary

__all__ = [
    "Mention",
    "ENTITY_TYPES",
    "SENTENCE_PUNCT",
    "build_pipeline",
    "alignment_report",
    "DEFAULT_CONFIG",
]

#: The five entity types, in the order of the gold format.
ENTITY_TYPES = ("zone", "industry", "project", "institution", "talent_programme")

#: Characters that end a sentence (Chinese and the ASCII forms web pages use), and line breaks.
SENTENCE_PUNCT = ["。", "！", "？", "；", "!", "?", ";", "\n"]

# Characters that can never be inside a name.
_NAME_BREAK = set("，,。；;：:！!？?、“”\"‘’'《》〈〉【】[]{}()（）—…\n\r\t 　|")

DEFAULT_CONFIG = {
    "segmenter": "jieba",
    "teach_segmenter": True,
    "max_name_chars": 24,
}


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


def _add(doc: Doc, mention: Mention) -> None:
    _mentions(doc).append(mention)
    span = doc.char_span(mention.start, mention.end, label=mention.type, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault(mention.type, []).append(span)


def _text_of(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token's text on each access, which made
    per-name lookups quadratic in the document's length."""
    text = doc.user_data.get("regionkg_text")
    if text is None:
        text = doc.user_data["regionkg_text"] = doc.text
    return text


def _strip_clause(item: str, boundary) -> int:
    """How many leading characters of a list item belong to the clause before it: boundary words
    and words that open a clause (提速建设集成电路 → 4); at least two characters are left."""
    cut = 0
    for word in _segment(item):
        # A common clause word only: rare dictionary words are often names (永新光学, 开诚机器人).
        if len(item) - cut - len(word) < 2 or not (
                word in boundary or (_opens_clause(word) and (_freq(word) >= 300 or _pos(word) is None))):
            break
        cut += len(word)
    return cut + _strip_leading(item[cut:], [w for w in boundary if len(w) >= 2])


def _strip_leading(item: str, boundary) -> int:
    """How many leading characters of ``item`` are boundary words (推动开诚机器人 → 2); at least
    two characters are always left. ``boundary`` is sorted longest first."""
    cut, changed = 0, True
    while changed:
        changed = False
        for word in boundary:
            if item.startswith(word, cut) and len(item) - cut > len(word) + 1:
                cut += len(word)
                changed = True
                break
    return cut


def _automaton(words) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _longest_matches(automaton, text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Non-overlapping matches, longest first at each position, in text order."""
    hits = sorted(
        ((end - len(w) + 1, end + 1, w) for end, w in automaton.iter(text)),
        key=lambda h: (h[0], -(h[1] - h[0])),
    )
    kept, last = [], -1
    for start, end, word in hits:
        if start >= last:
            kept.append((start + offset, end + offset, word))
            last = end
    return kept


# ---------------------------------------------------------------------------------------------
# Sentences: Chinese sentence punctuation and line breaks
# ---------------------------------------------------------------------------------------------


@Language.component("regionkg_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Start a sentence after 。！？；!?; and after any token holding a line break.

    spaCy's sentencizer compares whole tokens with its punctuation, and jieba glues a line break
    to the spaces around it ("\\n\\n  "), so plan documents need this rule of their own.
    """
    ends = set(SENTENCE_PUNCT)
    starts = numpy.zeros((len(doc), 1), dtype="int32")
    previous = None
    for i, token in enumerate(doc):
        text = token.text
        if i == 0 or previous in ends or "\n" in previous:
            starts[i, 0] = 1
        else:
            starts[i, 0] = -1
        previous = text
    if len(doc):
        doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


# ---------------------------------------------------------------------------------------------
# Industries: the concept scheme's labels, matched on characters
# ---------------------------------------------------------------------------------------------


@Language.factory("regionkg_industries", default_config={"min_chars": 2, "require_alignment": True})
def make_industry_matcher(nlp: Language, name: str, min_chars: int, require_alignment: bool):
    return IndustryMatcher(load_vocabulary(), min_chars=min_chars, require_alignment=require_alignment)


class IndustryMatcher:
    """Finds the labels of ``ontology/industries.ttl`` in the text, linked to their concepts.

    Labels are matched on characters, then kept only where they fall on token boundaries
    (``require_alignment``): with the vocabulary taught to the segmenter, a term that is not a
    whole token is a word inside another word (化工 in 强化工作, 航空航天 in 北京航空航天大学).
    """

    def __init__(self, vocab: Vocabulary, *, min_chars: int = 2, require_alignment: bool = True):
        if min_chars < 1:
            raise ValueError(f"min_chars must be at least 1, got {min_chars!r}")
        self.vocab = vocab
        self.require_alignment = require_alignment
        self.automaton = _automaton(w for w in vocab.industries if len(w) >= min_chars)

    def __call__(self, doc: Doc) -> Doc:
        for start, end, word in _longest_matches(self.automaton, _text_of(doc)):
            if self.require_alignment and doc.char_span(start, end, alignment_mode="strict") is None:
                continue
            concept = self.vocab.industries[word]
            _add(doc, Mention("industry", start, end, word, "industry_vocabulary", 0.9, str(concept)))
        return doc


_LIST_ITEM = r"[^、，,。；;：:（）()“”\"《》\s等和及与]{2,10}"
_INDUSTRY_LIST = re.compile(rf"{_LIST_ITEM}(?:[、/]{_LIST_ITEM})+")
# 工程机械（挖掘机械、起重机械、混凝土机械）: a parent industry with its sub-fields in brackets.
_SUBFIELDS = re.compile(rf"[（(]({_LIST_ITEM}(?:、{_LIST_ITEM})*)(?:等)?[)）]")


@Language.factory("regionkg_industry_lists", default_config={"max_item_chars": 8})
def make_industry_lists(nlp: Language, name: str, max_item_chars: int):
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

    def __init__(self, vocab: Vocabulary, *, max_item_chars: int = 8):
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
        text = _text_of(doc)
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
            heads = [None if c is not None else self._head_concept(item) for (_, item), c in zip(items, concepts)]
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
                _add(doc, Mention("industry", start, start + len(item), item, "industry_list", 0.55,
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

    def _head_concept(self, item: str):
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


# ---------------------------------------------------------------------------------------------
# Names by their grammar: proper-name head + type suffix (…研究院, …大学, …工程, …高新区)
# ---------------------------------------------------------------------------------------------


@Language.factory("regionkg_names", default_config={"max_name_chars": 24, "min_head_chars": 2})
def make_name_grammar(nlp: Language, name: str, max_name_chars: int, min_head_chars: int):
    return NameGrammar(load_vocabulary(), max_name_chars=max_name_chars, min_head_chars=min_head_chars)


_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[)）、.．]|第[一二三四五六七八九十]+"
                      r"|(?:专栏|附表|表|图)\s*\d+\s*|\d+[处个家座项批所])")


class NameGrammar:
    """Recognises names that end in a type suffix; the head is read leftwards over tokens.

    The head stops at punctuation, at a boundary word of ``lexicon.ttl`` (verbs such as 建设 and
    function words such as 和), or at ``max_name_chars``. A head made only of generic words
    (``lex:generic``) is not a name: 新型产业技术研究院 is a phrase, 宁波新材料联合研究院 is a name.
    """

    def __init__(self, vocab: Vocabulary, *, max_name_chars: int = 24, min_head_chars: int = 2):
        if max_name_chars < 3:
            raise ValueError(f"max_name_chars must be at least 3, got {max_name_chars!r}")
        self.vocab = vocab
        self.max_name_chars = max_name_chars
        self.min_head_chars = min_head_chars
        self.boundary = vocab.words("boundary")
        self.generic = vocab.words("generic")
        self.weak = vocab.words("weakSuffix")
        self.place_words = vocab.words("placeWord")
        self.superlatives = vocab.words("superlative")
        self.boundary_sorted = sorted(self.boundary, key=len, reverse=True)
        # Suffixes that are common nouns on their own (联盟, 管委会, 项目, 平台).
        self.common_nouns = self.weak | {sfx for sfx, cls in vocab.suffixes.items()
                                         if vocab.class_types.get(cls, ("", ""))[1] == "other"}
        self.automaton = _automaton(vocab.suffixes)

    def head_start(self, doc: Doc, text: str, suffix_start: int, floor: int, suffix: str = "") -> int:
        """Offset where the name ending in the suffix at ``suffix_start`` begins (``text`` is doc.text)."""
        token = doc.char_span(suffix_start, suffix_start + 1, alignment_mode="expand")
        start = suffix_start
        i = token.start if token is not None else None
        if token is not None and doc[i].idx < suffix_start:
            # The suffix begins inside a token (联合研究院): its first part belongs to the head,
            # unless that part is itself a boundary word.
            part = text[doc[i].idx:suffix_start]
            if part in self.boundary or any(c in _NAME_BREAK for c in part):
                return suffix_start
            start = doc[i].idx
        j = (i - 1) if i is not None else -1
        adjacent_boundary = None  # 发展 in 滨海新区发展集团: kept only if more head follows it
        while j >= 0:
            tok = doc[j]
            if tok.text in ("）", ")") and tok.idx > floor:
                # A place (or 集团) in brackets inside a name: 中国（湖南）自由贸易试验区, …控股（集团）有限公司.
                opening = max(text.rfind("（", floor, tok.idx), text.rfind("(", floor, tok.idx))
                inner = text[opening + 1:tok.idx] if opening >= 0 else ""
                if _bracketed_name_part(inner) and suffix_start - opening <= self.max_name_chars:
                    start = opening
                    bracket = doc.char_span(opening, opening + 1, alignment_mode="expand")
                    j = bracket.start - 1 if bracket is not None else -1
                    continue
                break
            if tok.text == "”" and tok.idx > floor:
                # A quoted part inside a name: 宁波“一带一路”建设综合试验区.
                opening = text.rfind("“", floor, tok.idx)
                inner = text[opening + 1:tok.idx] if opening >= 0 else ""
                if 0 < len(inner) <= 10 and not any(c in _NAME_BREAK for c in inner) \
                        and suffix_start - opening <= self.max_name_chars:
                    start = opening
                    quote = doc.char_span(opening, opening + 1, alignment_mode="expand")
                    j = quote.start - 1 if quote is not None else -1
                    continue
                break
            if tok.idx < floor or tok.is_space or any(c in _NAME_BREAK for c in tok.text):
                break
            if suffix_start - tok.idx > self.max_name_chars:
                break
            if tok.text in self.boundary:
                # Only a word of two or more characters (发展 in 滨海新区发展集团, 升级 in
                # …产业转型升级示范区), never a function word (的, 对, 在, 把, 个); a verb only before
                # a company's or a work's suffix (…产能提升工程): 在高新区设立联合实验室 names no
                # laboratory, 拓展新城区 no new town.
                if (j == i - 1 and start == suffix_start and adjacent_boundary is None
                        and len(tok.text) >= 2 and (_pos(tok.text) != "v" or self._verb_may_name(suffix))):
                    adjacent_boundary = tok.idx
                    j -= 1
                    continue
                break
            start = tok.idx
            j -= 1
        if adjacent_boundary is not None and start == suffix_start:
            start = suffix_start  # nothing but the boundary word before the suffix: no name
        # Strip an ordinal (一是, (二), 3.) that jieba may have glued to the head, and anything up
        # to a year (浙江杭州2020年滨海新区 → 滨海新区).
        match = _ORDINAL.match(text[start:suffix_start])
        if match:
            start += match.end()
        year = list(re.finditer(r"\d{4}年", text[start:suffix_start]))
        if year:
            start += year[-1].end()
        if text[start:start + 1] == "“" and "”" not in text[start:suffix_start]:
            start += 1
        return start

    def _verb_may_name(self, suffix: str) -> bool:
        found = self.vocab.suffix_class(suffix) if suffix else None
        return found is not None and (found[2] == "enterprise" or found[0] == "工程")

    def trim_head(self, doc: Doc, start: int, suffix_start: int, suffix: str = "") -> int | None:
        """Drop the words a clause puts before a name: verbs, adverbs, prepositions, conjunctions,
        pronouns and quantifiers, as jieba's dictionary tags them (充分发挥宁波科技大市场 → 宁波科技大市场,
        服务宁波国家自主创新示范区 → 宁波国家自主创新示范区, 国内首个…综合体 → …综合体).

        ``None`` when the word just before a weak suffix (``lex:weakSuffix``) is a one-character
        verb: the suffix is then the verb's object (引项目, 抓项目), not the end of a name.
        """
        from ingest.regions import word_tag

        text = _text_of(doc)
        span = doc.char_span(start, suffix_start, alignment_mode="expand") if suffix_start > start else None
        tokens = [t for t in span if start <= t.idx < suffix_start] if span is not None else []
        if tokens and suffix in self.weak:
            last = text[tokens[-1].idx:suffix_start]
            tag = word_tag(last)
            if len(last) == 1 and tag is not None and tag[1] == "v":
                return None
        words = [text[t.idx:min(t.idx + len(t.text), suffix_start)] for t in tokens]
        if len(words) == 1 and _pos(words[0]) == "v" and _freq(words[0]) >= 200 and suffix_start - start == len(words[0]):
            return None  # 筹集人才公寓: a verb and its object
        if words and any(len(w) > 1 for w in words) \
                and all(_opens_clause(w) or (len(words) > 1 and _pos(w) in _VERB_POS) for w in words) and (
                suffix in self.common_nouns or len(words) > 1 or words[0] in self.boundary):
            return None  # 进一步提高管委会, 针对管委会: a clause before a common noun, no name
        if words and len(words[-1]) >= 2 and _pos(words[-1]) == "v" and _freq(words[-1]) >= 1000 \
                and suffix in self.common_nouns and not any(_distinctive(w) for w in words[:-1]):
            return None  # 部门提出联盟: a common noun as the object of a common verb
        head = text[start:suffix_start]
        ranked = max((head.find(w) + len(w) for w in self.superlatives if w in head), default=-1)
        if ranked > 0:
            # 全国首个新材料公共技术服务平台: a description; 全国首个NQI特色小镇: a name after one.
            rest = [t for t in tokens if t.idx >= start + ranked]
            words_after = [text[t.idx:min(t.idx + len(t.text), suffix_start)] for t in rest]
            if not any(_distinctive(w) and w not in self.vocab.industries for w in words_after):
                return None
            start += ranked
            tokens = rest
        skip_complement = False
        for k, tok in enumerate(tokens):
            word = text[tok.idx:min(tok.idx + len(tok.text), suffix_start)]
            if _pos(tok.text) is None and len(word) >= 3 and word[0] in _FUNCTION_CHARS:
                start = tok.idx + 1  # 以智汇: the segmenter glued a preposition to an unknown name
                break
            if suffix_start - (tok.idx + len(word)) < self.min_head_chars:
                break
            following = tokens[k + 1].text if k + 1 < len(tokens) else ""
            if following in self.place_words:
                break  # 回天地区: a place's name, whatever the dictionary says
            if _opens_clause(word) or (len(word) == 1 and _pos(word) == "v" and _opens_clause(following)) \
                    or (_pos(word) == "vn" and (following == "“" or following in self.vocab.industries or (
                    len(following) > 1 and _distinctive(following)))):
                start = tok.idx + len(word)  # 充分发挥宁波…; 服务宁波…, 服务“一带一路”…
                if following in _COMPLEMENTS:
                    skip_complement = True  # 用 好 阿里巴巴…
                continue
            if skip_complement and word in _COMPLEMENTS:
                start = tok.idx + len(word)
                skip_complement = False
                continue
            break
        # 梅山服务宁波“一带一路”建设综合试验区: a place, then a verb, then the name (a clause whose
        # subject is the place).
        rest = [t for t in tokens if t.idx >= start]
        for k in range(1, len(rest) - 1):
            word, following = rest[k].text, rest[k + 1].text
            if _pos(word) in ("v", "vn") and (following == "“" or _pos(following) == "ns") \
                    and all(_distinctive(t.text) for t in rest[:k]):
                return rest[k + 1].idx
        counted = list(re.finditer(r"等[一二两三四五六七八九十\d]+[大个项家类]", text[start:suffix_start]))
        if counted:
            return start + counted[-1].end()  # 文化健康产业园等七大特色产业园: a count, then its kind
        if re.search(r"[两三四五六七八九十]+[大个项家类]", text[start:suffix_start]):
            return None  # 集成电路和生物医药两大“万亩千亿”平台: a count of things named elsewhere
        return start

    def is_level_zone(self, suffix: str) -> bool:
        """A zone type's name that says its level (国家高新区, 省级高新技术产业园区): used alone, it
        names the zone of that type in the plan's own place."""
        ztype = self.vocab.zone_types.get(suffix)
        return (suffix.startswith(("国家", "省级")) and len(suffix) >= 5 and ztype is not None
                and not any(ztype == self.vocab.zone_types.get(level) for level in ("国家级开发区", "省级开发区")))

    def is_generic(self, doc: Doc, start: int, end: int, suffix: str = "") -> bool:
        """A head made only of generic words; or, before a weak suffix, one with no distinctive word."""
        span = doc.char_span(start, end, alignment_mode="expand")
        text = _text_of(doc)
        # The head's words, clipped to the head (上市|公司: the token 上市公司 holds the suffix too).
        words = [text[max(t.idx, start):min(t.idx + len(t.text), end)] for t in span] if span is not None \
            else [text[start:end]]
        head = head_text = "".join(words)
        if head_text + suffix in self.generic:
            return True  # 科产城: a generic word that happens to end like a name
        for word in sorted(self.generic, key=len, reverse=True):
            head = head.replace(word, "")
        if len(head) < 1:
            return True
        if suffix in self.weak:
            if len(head_text) >= 2 and all(len(w) == 1 and w not in self.generic for w in words) \
                    and _distinctive(head_text):
                return False  # 贵|驷片区: single characters of a name the dictionary does not know
            found = self.vocab.suffix_class(suffix)
            if found is not None and (found[1] == "project" or suffix.endswith(("平台", "基金"))) \
                    and self.vocab.suffix_class(head_text) is None:
                # 智能制造项目, 休闲旅游项目: an industry's words name no project either.
                return not any(_distinctive(w) and w not in self.vocab.industries for w in words)
            return not any(_distinctive(w) for w in words)
        if suffix.endswith("基金") and self.vocab.suffix_class(head_text) is None:
            # 医药产业专项基金: a fund named only by its industry is a kind of fund, not a name.
            return not any(_distinctive(w) and w not in self.vocab.industries for w in words)
        return False

    def __call__(self, doc: Doc) -> Doc:
        text = _text_of(doc)
        for sent in doc.sents:
            floor = sent.start_char
            candidates = {}
            for s_start, s_end, suffix in _longest_matches(self.automaton, sent.text, floor):
                # The suffix must end the word: at a token end or before a name break.
                if s_end < len(text) and text[s_end] not in _NAME_BREAK:
                    tok = doc.char_span(s_end - 1, s_end, alignment_mode="expand")
                    if tok is None or tok.end_char != s_end:
                        continue
                if len(suffix) == 1:
                    # A one-character suffix inside a dictionary word is no suffix (长城, 双城, 校园).
                    tok = doc.char_span(s_start, s_end, alignment_mode="expand")
                    if tok is not None and len(tok.text) > 1 and _pos(tok.text) is not None:
                        continue
                start = self.head_start(doc, text, s_start, floor, suffix)
                start = self.trim_head(doc, start, s_start, suffix)
                if start is not None and start == s_start and self.is_level_zone(suffix):
                    # 国家高新区, 省级高新技术产业园区 alone: the place's own zone of that type.
                    candidates[(s_start, s_end)] = (suffix, "zone", None, "level_zone")
                    continue
                if start is None or s_start - start < self.min_head_chars:
                    continue
                if _NUMBERED_ABBREVIATION.match(text[start:s_end].strip("“”\"")):
                    continue  # “两城一谷”: a count of names listed before it, not a name
                if self.is_generic(doc, start, s_start, suffix):
                    continue
                base = text[start:s_end]
                section = _SECTION.match(text, s_end)
                if section and (section.group(1) is None or _distinctive(section.group(1))):
                    s_end = section.end()  # 六横高速北仑段, 省立医院烟台分院, 东六线北延
                place = _TRAILING_BRACKET.match(text, s_end)
                if place and _bracketed_name_part(place.group(1)):
                    s_end = place.end()  # 国家集成电路产业创新中心（合肥）
                phase = _PHASE.match(text, s_end)
                if phase:
                    s_end = phase.end()  # 人才公寓二期, 花溪河综合治理一期: a phase is its own project
                name = text[start:s_end]
                found = self.vocab.suffix_class(base)
                if found is None:
                    continue
                matched, etype, kind = found
                if phase and etype == "zone":
                    etype = "project"  # 洪雅绿色奶业产业园二期: a phase of a park is a building project
                if matched == "项目" and s_end == s_start + 2:
                    # 京合光电激光显示模组项目 is the project 京合光电激光显示模组; but 新材料联合研究院项目
                    # keeps 项目 (without it, it names the institute), as does …系列项目.
                    rest = text[start:s_start]
                    last = _segment(rest)[-1]
                    if _pos(last) in (_LEADING_POS - {"v", "vd", "vi"}) | {"a", "f"} or re.search(r"\d[万亿]?元$|以[上下]$", rest):
                        continue  # 新开工亿元以上项目, 有大项目好项目: a phrase, not a project's name
                    own = self.vocab.suffix_class(rest)
                    if len(rest) >= 4 and (own is None or own[1] == "project") and not rest.endswith("系列"):
                        s_end = s_start
                        name = rest
                candidates[(start, s_end)] = (name, etype, kind, "name_grammar")
            # Keep the outermost names: 宁波大学产业工程研究院 over 宁波大学 inside it.
            spans = sorted(candidates, key=lambda se: (se[0], -se[1]))
            last_end = -1
            for start, end in spans:
                if start < last_end:
                    continue
                name, etype, kind, rule = candidates[(start, end)]
                _add(doc, Mention(etype, start, end, name, rule, 0.7 if rule == "name_grammar" else 0.5,
                                  kind=kind))
                last_end = end
                self.distribute(doc, start, name, etype, kind)
        return doc

    def distribute(self, doc: Doc, start: int, name: str, etype: str, kind) -> None:
        """集成电路、医疗器械、生物医药产业创新服务综合体: industries listed before a name that opens
        with one share its rest, each its own name (集成电路产业创新服务综合体 …)."""
        text = _text_of(doc)
        if start == 0 or text[start - 1] != "、":
            return
        first = next((name[:n] for n in range(min(len(name) - 2, 10), 1, -1)
                      if name[:n] in self.vocab.industries), None)
        places = False
        if first is None:
            # 梅墟、新明区块: places listed before a place's zone share its type word.
            found = self.vocab.suffix_class(name)
            head = name[: len(name) - len(found[0])] if found else ""
            if etype != "zone" or not (2 <= len(head) <= 3 and _distinctive(head)):
                return
            first, places = head, True
        elif first.endswith("产业") and first[:-2] in self.vocab.industries:
            first = first[:-2]  # 生物医药|产业创新服务综合体: the listed items share 产业… too
        rest = name[len(first):]
        end = start - 1
        while end > 0:
            begin = max(text.rfind(c, 0, end) for c in "、，,。；;：:（(“") + 1
            item = text[begin:end]
            if places and item:
                token = doc.char_span(end - 1, end, alignment_mode="expand")
                if token is None or token.start_char < begin:
                    break
                item = text[token.start_char:end]  # 开发建设和梅墟: the place is the last word
                begin = token.start_char
            item = item[_strip_clause(item, self.boundary_sorted):] if len(item) > 2 else item
            if not (item in self.vocab.industries if not places else
                    2 <= len(item) <= 3 and _distinctive(item) and item not in self.vocab.industries
                    and self.vocab.suffix_class(item) is None):
                break
            item_start = end - len(item)
            _add(doc, Mention(etype, item_start, end, item + rest, "coordinated_name", 0.6, kind=kind))
            if begin == 0 or text[begin - 1] != "、":
                break
            end = begin - 1


def _pos(word: str) -> str | None:
    from ingest.regions import word_tag

    tag = word_tag(word)
    return tag[1] if tag is not None else None


@lru_cache(maxsize=4096)
def _segment(text: str) -> tuple[str, ...]:
    """``text`` split into words by jieba's own dictionary (not the taught one)."""
    import jieba

    _quiet_jieba()
    return tuple(jieba.lcut(text, HMM=False))


def _freq(word: str) -> int:
    from ingest.regions import word_tag

    tag = word_tag(word)
    return tag[0] if tag is not None else 0


def _opens_clause(word: str) -> bool:
    """A word tagged as a verb, adverb, preposition … (:data:`_LEADING_POS`), or one made of two such
    words that the segmenter joined (充分发挥, 进一步提高, 用好, 打造成).

    Examples
    --------
    >>> _opens_clause("充分发挥"), _opens_clause("打造成"), _opens_clause("宁波")
    (True, True, False)
    """
    pos = _pos(word)
    if pos in _LEADING_POS:
        # A lone character opens a clause only as a function word (在, 与, 对): as a verb it is
        # too often part of a name (花溪河, 回天地区).
        return len(word) > 1 or pos not in _VERB_POS
    if pos is not None and (len(word) < 3 or _freq(word) >= 100):
        return False  # a word of its own (未来, 家具), not two words joined
    for cut in range(1, len(word)):
        head, rest = word[:cut], word[cut:]
        if rest in _COMPLEMENTS:
            if _pos(head) in _VERB_POS - {"m", "q", "mq"}:
                return True  # 用好, 打造成
        elif len(head) >= 2 and len(rest) >= 2 and _pos(head) in _LEADING_POS \
                and _pos(rest) in _LEADING_POS | {"a"}:
            return True  # 充分发挥, 进一步提高
    return False


#: jieba part-of-speech tags of words that can open a clause but never a name: verbs, adverbs,
#: prepositions, conjunctions, particles, pronouns, numerals and measure words.
_LEADING_POS = frozenset({"v", "vd", "vi", "d", "ad", "p", "c", "u", "uj", "ul", "r", "m", "q", "mq"})

#: 两城一谷, 一中心三基地, 3个1000万: a count of things named elsewhere.
_NUMBERED_ABBREVIATION = re.compile(r"^(?:[一二两三四五六七八九十百千万多\d]+[个大]?[\u4e00-\u9fff]{1,2}){2,}$")

#: Prepositions and conjunctions the segmenter may glue to an unknown word (以智汇芯城).
_DIRECTIONS = frozenset({"东", "西", "南", "北", "东部", "西部", "南部", "北部", "中部", "东区", "西区", "南区", "北区"})

_FUNCTION_CHARS = frozenset("以在把对向从将与和及由为")

#: Characters that complete a verb (打造成, 用好, 建设到): part of the clause, not of the name.
_COMPLEMENTS = frozenset("成为好到出")

_VERB_POS = frozenset({"v", "vd", "vi", "m", "q", "mq", "d"})

_PHASE = re.compile(r"[一二三四五六七八九十\d]{1,2}期(?:[一二三四五六七八九十]{1,2}期)*")


# A section or branch of a named thing, after its suffix: (北仑)段, (烟台)分院, 北延.
_SECTION = re.compile(r"([\u4e00-\u9fff]{2,4}?)?(?:段|分院|院区|新院区|分校|分中心|[东南西北]延(?:线|段)?)(?![\u4e00-\u9fff]{0,1}[院区校线段])")

_TRAILING_BRACKET = re.compile(r"[（(]([^（()）]{1,6})[)）]")


def _bracketed_name_part(inner: str) -> bool:
    """Whether a bracketed text belongs to the name around it: a place (湖南, 合肥) or 集团.

    Examples
    --------
    >>> _bracketed_name_part("重庆"), _bracketed_name_part("北航"), _bracketed_name_part("集团")
    (True, False, True)
    """
    from ingest.regions import Divisions

    return inner in ("集团", "控股") or inner in Divisions.default().by_name


def _without(text: str, words) -> str:
    """``text`` with every occurrence of ``words`` removed, longest first."""
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def _distinctive(word: str) -> bool:
    """A word that can only be part of a name: a place or proper name, an abbreviation, a number
    or Latin letters, or a word jieba's dictionary does not know (旷视, 丹马士)."""
    from ingest.regions import Divisions, word_tag

    if re.search(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]", word):
        return True
    if word in _DIRECTIONS:
        return True  # 南部新区, 北区: a part named by where it lies
    entry = word_tag(word)
    if entry is None:
        return len(word) >= 2
    if entry[1] in ("ns", "nr", "nrt", "nz", "nt", "j"):
        return True
    return word in Divisions.default().by_name


# ---------------------------------------------------------------------------------------------
# Known zones and zone types (zones.ttl)
# ---------------------------------------------------------------------------------------------


@Language.factory("regionkg_known_zones", default_config={})
def make_known_zones(nlp: Language, name: str):
    return KnownZoneMatcher(load_vocabulary())


class KnownZoneMatcher:
    """Finds the zones of the reference list (national hi-tech zones, new areas) by their labels."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.automaton = _automaton(w for w in vocab.known_zones if len(w) >= 3)

    def __call__(self, doc: Doc) -> Doc:
        for start, end, word in _longest_matches(self.automaton, _text_of(doc)):
            zone = self.vocab.known_zones[word]
            _add(doc, Mention("zone", start, end, word, "known_zone", 0.95, str(zone.iri),
                              str(zone.zone_type) if zone.zone_type else None))
        return doc


# ---------------------------------------------------------------------------------------------
# Enumerations: A、B、C等一批…项目 / 企业 / 平台
# ---------------------------------------------------------------------------------------------

_ITEM = r"[^、，,。；;：:《》()（）\s等]{2,24}"
_COUNTED_KIND = re.compile(r"((?:[^、，,。；;：:“”《》()（）\s]{2,10}、)+[^、，,。；;：:“”《》()（）\s]{2,10}?)"
                           r"(?:等[一二两三四五六七八九十\d]{1,2}|[两三四五六七八九十]{1,2})[个大家所座]"
                           r"([\u4e00-\u9fff]{2,12}?)(?=[，,。；;、]|$)")
_COUNTED_LIST = re.compile(r"((?:[^、，,。；;：:“”《》()（）\s]{2,12}、)+[^、，,。；;：:“”《》()（）\s]{2,12})[“\"]([^“”\"]{2,8})[”\"]")


def _closers(vocab: Vocabulary) -> dict[str, tuple[str, str | None]]:
    out = {}
    for entry in vocab.words("enumerationCloser"):
        word, _, target = entry.partition("=")
        etype, _, kind = target.partition(":")
        out[word] = (etype, kind or None)
    return out


@Language.factory("regionkg_enumerations", default_config={})
def make_enumerations(nlp: Language, name: str):
    return EnumerationGrammar(load_vocabulary())


class EnumerationGrammar:
    """Names listed before 等…项目 (or 企业, 平台, 院所 … as ``lex:enumerationCloser`` says) are
    names of that kind; an item with a type suffix of its own (…小镇, …研究院) keeps its own type."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.boundary = sorted(vocab.words("boundary"), key=len, reverse=True)
        self.generic = vocab.words("generic")
        self.closers = _closers(vocab)
        words = "|".join(sorted(map(re.escape, self.closers), key=len, reverse=True))
        self.pattern = re.compile(
            rf"((?:{_ITEM}、)+{_ITEM})(?<![高中初同平优对均])(?:等|系列)(?:一批|一系列|重点|重大|知名|骨干|\d+[家个所项])*"
            rf"([^，,。；;、“”]{{0,8}})({words})")
        # 引进普洛斯等世界知名物流设施开发商: one distinctive name before 等 and a company word.
        company_words = "|".join(sorted((re.escape(w) for w, (t, k) in self.closers.items()
                                         if k == "enterprise"), key=len, reverse=True))
        self.single = re.compile(rf"([^、，,。；;：:“”《》()（）\s等和及与]{{2,8}})等"
                                 rf"([^，,。；;、“”]{{0,10}})({company_words})")

    def items(self, match: re.Match, group: int = 1):
        """(start, item) for each 、-separated item of ``match.group(group)``, the clause words before
        it stripped (推进永新光学 → 永新光学)."""
        pos = match.start(group)
        for item in match.group(group).split("、"):
            stripped = item[_strip_clause(item, self.boundary):]
            yield pos + (len(item) - len(stripped)), stripped
            pos += len(item) + 1

    def __call__(self, doc: Doc) -> Doc:
        text = _text_of(doc)
        for match in _COUNTED_LIST.finditer(text):
            # 大学城、科学城、创新谷“两城一谷”: the count names the listed things, each of its own type.
            if not _NUMBERED_ABBREVIATION.match(match.group(2)):
                continue
            for start, stripped in self.items(match):
                own = self.vocab.suffix_class(stripped)
                if own is not None and own[1] in ("zone", "institution", "project"):
                    _add(doc, Mention(own[1], start, start + len(stripped), stripped, "counted_list", 0.6,
                                      kind=own[2]))
        for match in _COUNTED_KIND.finditer(text):
            # 集成电路、医疗器械、生物医药等三个产业创新服务综合体: each listed item with the kind.
            kind_phrase = match.group(2)
            own = self.vocab.suffix_class(kind_phrase)
            if own is None or own[1] == "industry" or len(own[0]) == len(kind_phrase) and own[0] in self.generic:
                continue
            for start, stripped in self.items(match):
                if stripped not in self.vocab.industries and self.vocab.suffix_class(stripped) is not None:
                    continue  # 孵化园 in a count of 特色产业园: already a name of its own
                if stripped in self.vocab.industries or _distinctive(stripped):
                    _add(doc, Mention(own[1], start, start + len(stripped), stripped + kind_phrase,
                                      "counted_list", 0.6, kind=own[2]))
        for match in self.single.finditer(text):
            item = match.group(1)
            words = _segment(item)
            # Only the last word before 等, if it is a proper name (普洛斯), is the listed company.
            name = words[-1] if words else ""
            if len(name) >= 2 and _distinctive(name) and name not in self.vocab.industries \
                    and "、" not in text[max(0, match.start() - 1):match.start()]:
                start = match.start(1) + len(item) - len(name)
                _add(doc, Mention("institution", start, start + len(name), name, "enumeration", 0.5,
                                  kind="enterprise"))
        for match in self.pattern.finditer(text):
            etype, kind = self.closers[match.group(3)]
            items = list(self.items(match))
            # 进口国际景观植物、进口木材、冷链物流等平台: a list holding industries lists themes, not names.
            themed = any(item in self.vocab.industries for _, item in items)
            for start, stripped in items:
                if len(stripped) < 2 or stripped in self.vocab.industries or "等" in stripped \
                        or not _without(stripped, self.generic):
                    continue  # 领军企业、大型央企: kinds of companies, not names
                own = self.vocab.suffix_class(stripped)
                if themed and own is None:
                    continue
                # The kind word decides; an institution's own suffix refines its kind (…研究院 in a
                # list of 机构 is a research institute).
                item_type, item_kind = etype, kind
                if own and (len(own[0]) < len(stripped) or own[1] == "zone") and (
                        own[1] == etype == "institution" or (own[1] == "zone" and etype != "project")):
                    # …园 in a list of 平台 is a zone; in a list of 项目, a project.
                    item_type, item_kind = own[1], own[2]
                _add(doc, Mention(item_type, start, start + len(stripped), stripped, "enumeration",
                                  0.6, kind=item_kind))
        return doc


# ---------------------------------------------------------------------------------------------
# Quoted names: “高新精英计划”
# ---------------------------------------------------------------------------------------------

_QUOTED = re.compile(r"[“\"]([^“”\"\n]{2,20})[”\"]")
_TALENT_TYPE = r"人才计划|人才政策|人才新政|人才工程|计划|新政|工程"
# “3315”和“泛3315”人才计划 / “港城精英/港城英才”人才政策 / “3个1000万”的人才新政
_QUOTED_THEN_TYPE = re.compile(
    r"((?:[“\"][^“”\"\n]{1,16}[”\"](?:和|、|及|与)?)+)(的)?((?:支持|培育|培养|引进|奖励|资助|专项)?(?:"
    + _TALENT_TYPE + r"|行动))")
# 高端产业人才“引领工程”
_CUE_THEN_QUOTED = re.compile(r"([\u4e00-\u9fff]{0,10}(?:人才|英才|企业家))[“\"]([^“”\"\n]{2,12})[”\"]")


# 科技型企业“双倍增”行动, “智改数转”三年行动, 高新技术企业“倍增计划”, "油改水"改造: a named programme of
# works (a project); the 企业 it is for is part of its name.
_QUOTED_ACTIONS = (
    re.compile(r"([\u4e00-\u9fff]{0,8}企业)?[“\"]([^“”\"\n]{2,10})[”\"]"
               r"(?:(?:[一二三四五\d]年)?(?:专项)?行动(?:计划|方案)?|改造|攻坚)"),
    re.compile(r"([\u4e00-\u9fff]{0,8}企业)[“\"]([^“”\"\n]{2,8}(?:计划|行动))[”\"]"),
)


@Language.factory("regionkg_quotes", default_config={})
def make_quotes(nlp: Language, name: str):
    return QuotedNames(load_vocabulary())


class QuotedNames:
    """Talent programmes named in quotes.

    - “高新精英计划”, “人才新政23条”: a quoted name holding a talent cue that ends like a plan;
    - “3315”和“泛3315”人才计划: quoted names before a talent type word, each with that word;
    - 高端产业人才“引领工程”: a talent cue phrase before a quoted plan name, joined.
    """

    ENDINGS = ("计划", "工程", "新政", "政策", "行动", "专项")

    def __init__(self, vocab: Vocabulary):
        self.cues = vocab.words("talentCue")
        self.boundary = sorted(vocab.words("boundary"), key=len, reverse=True)

    def _is_plan(self, name: str) -> bool:
        return name.endswith(self.ENDINGS) or bool(re.search(r"\d+条$", name))

    def __call__(self, doc: Doc) -> Doc:
        text = _text_of(doc)
        taken = set()
        for match in _QUOTED_THEN_TYPE.finditer(text):
            type_word = match.group(3)
            quoted_text = match.group(1)
            if "人才" not in type_word and not any(c in quoted_text for c in self.cues):
                continue
            for quoted in _QUOTED.finditer(match.group(1)):
                for part in re.split(r"[/／]", quoted.group(1)):
                    if not part:
                        continue
                    name = part + type_word
                    start = match.start(1) + quoted.start(1) + quoted.group(1).find(part)
                    _add(doc, Mention("talent_programme", start, start + len(part), name,
                                      "quoted_name_and_type", 0.75))
                    taken.add(match.start(1) + quoted.start(1))
        for match in _CUE_THEN_QUOTED.finditer(text):
            if not self._is_plan(match.group(2)) or match.start(2) in taken:
                continue
            prefix = match.group(1)
            cut = max((prefix.rfind(w) + len(w) for w in self.boundary if w in prefix), default=0)
            prefix = prefix[cut:]
            name = prefix + match.group(2)
            start = match.start(1) + cut
            _add(doc, Mention("talent_programme", start, match.end(2), name, "cue_and_quoted_name", 0.75))
            taken.add(match.start(2))
        for match in (m for pattern in _QUOTED_ACTIONS for m in pattern.finditer(text)):
            quoted_start = match.start(2) - 1
            if match.start(2) in taken or quoted_start in taken or any(c in match.group(2) for c in self.cues):
                continue
            prefix = match.group(1) or ""
            cut = max((prefix.rfind(w) + len(w) for w in self.boundary if len(w) >= 2 and w in prefix),
                      default=0)
            start = (match.start(1) + cut) if prefix[cut:] else quoted_start
            _add(doc, Mention("project", start, match.end(), text[start:match.end()], "quoted_action", 0.65))
            taken.add(match.start(2))
        for match in _QUOTED.finditer(text):
            name = match.group(1)
            if match.start(1) in taken:
                continue
            if any(c in name for c in self.cues) and self._is_plan(name):
                _add(doc, Mention("talent_programme", match.start(1), match.end(1), name,
                                  "quoted_name", 0.85))
        return doc


# ---------------------------------------------------------------------------------------------
# Building the pipeline
# ---------------------------------------------------------------------------------------------

COMPONENTS = ("regionkg_industries", "regionkg_industry_lists", "regionkg_known_zones",
              "regionkg_names", "regionkg_enumerations", "regionkg_quotes")


def build_pipeline(config: dict | None = None) -> Language:
    """Build the recognition pipeline from one config (defaults: :data:`DEFAULT_CONFIG`).

    Parameters
    ----------
    config : dict, optional
        ``segmenter`` ("jieba" or "char"), ``teach_segmenter`` (add the vocabulary to the
        pipeline's own jieba dictionary), ``max_name_chars``.

    Raises
    ------
    ValueError
        For an unknown key or segmenter.
    """
    config = {**DEFAULT_CONFIG, **(config or {})}
    unknown = set(config) - set(DEFAULT_CONFIG)
    if unknown:
        raise ValueError(f"unknown pipeline option(s) {sorted(unknown)}; known: {sorted(DEFAULT_CONFIG)}")
    if config["segmenter"] not in ("jieba", "char"):
        raise ValueError(f"segmenter must be 'jieba' or 'char', got {config['segmenter']!r}")
    _quiet_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": config["segmenter"]}}})
    if config["segmenter"] == "jieba" and config["teach_segmenter"]:
        nlp.tokenizer.jieba_seg = taught_jieba()
    nlp.add_pipe("regionkg_sentences")
    for name in COMPONENTS:
        if name == "regionkg_names":
            nlp.add_pipe(name, config={"max_name_chars": config["max_name_chars"]})
        else:
            nlp.add_pipe(name)
    return nlp


def _quiet_jieba() -> None:
    """jieba logs its dictionary loading at INFO to stderr; keep the CLI's output clean."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def taught_jieba():
    """A private jieba tokenizer that knows every vocabulary term (the global one is untouched)."""
    import jieba

    _quiet_jieba()
    tokenizer = jieba.Tokenizer()
    vocab = load_vocabulary()
    for word in list(vocab.industries) + list(vocab.known_zones) + list(vocab.suffixes):
        if len(word) >= 2:
            tokenizer.add_word(word, freq=None)
    return tokenizer


def alignment_report(nlp: Language, texts) -> dict:
    """Measure how the segmentation of ``nlp`` agrees with the industry vocabulary in ``texts``.

    Every label is found on characters (as the pipeline does). Of those mentions, ``misaligned``
    ones cross a token boundary (化工 in 强化/工作), and ``split_differently`` ones fall on token
    boundaries but are segmented otherwise than the label alone (新/材料 in context, 新材料 alone):
    both are what a token-based matcher (spaCy's PhraseMatcher, SpanRuler) would lose.

    Returns ``{"mentions", "misaligned", "split_differently", "lost", "examples"}`` where ``lost``
    is the sum of the two and ``examples`` holds up to ten (term, tokens in context).

    Examples
    --------
    >>> nlp = build_pipeline({"teach_segmenter": False})
    >>> r = alignment_report(nlp, ["强化工作督查,大力发展化工产业"])
    >>> r["mentions"], r["lost"], r["examples"]
    (2, 1, [('化工', '强化 工作')])
    """
    matcher = IndustryMatcher(load_vocabulary(), require_alignment=False)
    alone: dict[str, list[str]] = {}
    total = misaligned = split = 0
    examples = []
    for doc in nlp.pipe(texts, disable=list(nlp.pipe_names)):
        doc._.mentions = []
        matcher(doc)
        for mention in doc._.mentions:
            total += 1
            span = doc.char_span(mention.start, mention.end, alignment_mode="strict")
            if span is None:
                misaligned += 1
                context = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                tokens = [t.text for t in context] if context is not None else []
            else:
                if mention.text not in alone:
                    alone[mention.text] = [t.text for t in nlp.make_doc(mention.text)]
                tokens = [t.text for t in span]
                if tokens == alone[mention.text]:
                    continue
                split += 1
            if len(examples) < 10:
                examples.append((mention.text, " ".join(tokens)))
    return {"mentions": total, "misaligned": misaligned, "split_differently": split,
            "lost": misaligned + split, "examples": examples}
