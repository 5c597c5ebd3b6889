"""``regionkg_enumerations``: names listed before 等…项目 / 企业 / 平台, and counted lists of names.

Examples
--------
>>> from ingest.recognise import build_pipeline
>>> doc = build_pipeline({"learned": False})("着力推动开诚机器人、捷德-空客直升机等项目落地。")
>>> [(m.type, m.text) for m in doc._.mentions if m.rule == "enumeration"]
[('project', '开诚机器人'), ('project', '捷德-空客直升机')]
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.mention import Mention, add_mention, doc_text
from ingest.recognise.words import _NUMBERED_ABBREVIATION, _distinctive, _segment, _strip_clause
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["EnumerationGrammar", "make_enumerations"]

_ITEM = r"[^、，,。；;：:《》()（）\s等]{2,24}"
#: Characters that make a word of the 等 after them (高等, 中等, 平等 …): that 等 closes no list.
NOT_A_CLOSER_AFTER = "高中初同平优对均"
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


def _without(text: str, words) -> str:
    """``text`` with every occurrence of ``words`` removed, longest first."""
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


@Language.factory("regionkg_enumerations", default_config=component_defaults("regionkg_enumerations"))
def make_enumerations(nlp: Language, name: str) -> EnumerationGrammar:
    """The ``regionkg_enumerations`` component: an :class:`EnumerationGrammar` of the vocabulary."""
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
            rf"((?:{_ITEM}、)+{_ITEM})(?<![{NOT_A_CLOSER_AFTER}])(?:等|系列)(?:一批|一系列|重点|重大|知名|骨干|\d+[家个所项])*"
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
        text = doc_text(doc)
        for match in _COUNTED_LIST.finditer(text):
            # 大学城、科学城、创新谷“两城一谷”: the count names the listed things, each of its own type.
            if not _NUMBERED_ABBREVIATION.match(match.group(2)):
                continue
            for start, stripped in self.items(match):
                own = self.vocab.suffix_class(stripped)
                if own is not None and own[1] in ("zone", "institution", "project"):
                    add_mention(doc, Mention(own[1], start, start + len(stripped), stripped, "counted_list", 0.6,
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
                    add_mention(doc, Mention(own[1], start, start + len(stripped), stripped + kind_phrase,
                                             "counted_list", 0.6, kind=own[2]))
        for match in self.single.finditer(text):
            item = match.group(1)
            words = _segment(item)
            # Only the last word before 等, if it is a proper name (普洛斯), is the listed company.
            name = words[-1] if words else ""
            if len(name) >= 2 and _distinctive(name) and name not in self.vocab.industries \
                    and "、" not in text[max(0, match.start() - 1):match.start()]:
                start = match.start(1) + len(item) - len(name)
                add_mention(doc, Mention("institution", start, start + len(name), name, "enumeration", 0.5,
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
                add_mention(doc, Mention(item_type, start, start + len(stripped), stripped, "enumeration",
                                         0.6, kind=item_kind))
        return doc

