"""``regionkg_names``: names by their grammar, a proper-name head before a type suffix.

…研究院, …大学, …工程, …高新区: the suffixes of ``lexicon.ttl`` and ``zones.ttl`` end a name, and its
head is read leftwards from them (:class:`~ingest.recognise.name_heads.NameHeads`).

Examples
--------
>>> from ingest.recognise import build_pipeline
>>> doc = build_pipeline({"learned": False})("推动激智科技等企业组建新型产业技术研究院,加快建设宁波新材料联合研究院。")
>>> [(m.type, m.text, m.kind) for m in doc._.mentions if m.rule == "name_grammar"]
[('institution', '宁波新材料联合研究院', 'research')]
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.matching import _automaton, _longest_matches
from ingest.recognise.mention import Mention, add_mention, doc_text
from ingest.recognise.name_heads import _NAME_BREAK, NameHeads, _bracketed_name_part
from ingest.recognise.words import (_LEADING_POS, _NUMBERED_ABBREVIATION, _distinctive, _pos, _segment,
                                    _strip_clause)
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["NameGrammar", "make_name_grammar"]

# A phase of a project, after its suffix: 人才公寓二期.
_PHASE = re.compile(r"[一二三四五六七八九十\d]{1,2}期(?:[一二三四五六七八九十]{1,2}期)*")

# A section or branch of a named thing, after its suffix: (北仑)段, (烟台)分院, 北延.
_SECTION = re.compile(r"([\u4e00-\u9fff]{2,4}?)?(?:段|分院|院区|新院区|分校|分中心|[东南西北]延(?:线|段)?)(?![\u4e00-\u9fff]{0,1}[院区校线段])")

# A bracketed place after the suffix: 国家集成电路产业创新中心（合肥）.
_TRAILING_BRACKET = re.compile(r"[（(]([^（()）]{1,6})[)）]")


@Language.factory("regionkg_names", default_config=component_defaults("regionkg_names"))
def make_name_grammar(nlp: Language, name: str, max_name_chars: int, min_head_chars: int) -> NameGrammar:
    """The ``regionkg_names`` component: a :class:`NameGrammar` of the vocabulary."""
    return NameGrammar(load_vocabulary(), max_name_chars=max_name_chars, min_head_chars=min_head_chars)


class NameGrammar(NameHeads):
    """Recognises names that end in a type suffix; the head is read leftwards over tokens.

    The head stops at punctuation, at a boundary word of ``lexicon.ttl`` (verbs such as 建设 and
    function words such as 和), or at ``max_name_chars``. A head made only of generic words
    (``lex:generic``) is not a name: 新型产业技术研究院 is a phrase, 宁波新材料联合研究院 is a name.
    """

    def __init__(self, vocab: Vocabulary, *, max_name_chars: int, min_head_chars: int):
        super().__init__(vocab, max_name_chars=max_name_chars, min_head_chars=min_head_chars)
        self.automaton = _automaton(vocab.suffixes)

    def is_level_zone(self, suffix: str) -> bool:
        """A zone type's name that says its level (国家高新区, 省级高新技术产业园区): used alone, it
        names the zone of that type in the plan's own place."""
        ztype = self.vocab.zone_types.get(suffix)
        return (suffix.startswith(("国家", "省级")) and len(suffix) >= 5 and ztype is not None
                and not any(ztype == self.vocab.zone_types.get(level) for level in ("国家级开发区", "省级开发区")))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
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
                add_mention(doc, Mention(etype, start, end, name, rule, 0.7 if rule == "name_grammar" else 0.5,
                                         kind=kind))
                last_end = end
                self.distribute(doc, start, name, etype, kind)
        return doc

    def distribute(self, doc: Doc, start: int, name: str, etype: str, kind) -> None:
        """集成电路、医疗器械、生物医药产业创新服务综合体: industries listed before a name that opens
        with one share its rest, each its own name (集成电路产业创新服务综合体 …)."""
        text = doc_text(doc)
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
            add_mention(doc, Mention(etype, item_start, end, item + rest, "coordinated_name", 0.6, kind=kind))
            if begin == 0 or text[begin - 1] != "、":
                break
            end = begin - 1

