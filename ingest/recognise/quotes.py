"""``regionkg_quotes``: talent programmes (and programmes of works) named in quotes.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> _ = nlp.add_pipe("regionkg_quotes")
>>> [(m.type, m.text) for m in nlp("实施“3315”和“泛3315”人才计划、“高新精英计划”")._.mentions]
[('talent_programme', '3315人才计划'), ('talent_programme', '泛3315人才计划'), ('talent_programme', '高新精英计划')]
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ingest.recognise.config import component_defaults
from ingest.recognise.mention import Mention, add_mention, doc_text
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["QuotedNames", "make_quotes"]

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


@Language.factory("regionkg_quotes", default_config=component_defaults("regionkg_quotes"))
def make_quotes(nlp: Language, name: str) -> QuotedNames:
    """The ``regionkg_quotes`` component: :class:`QuotedNames` with the vocabulary's talent cues."""
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
        text = doc_text(doc)
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
                    add_mention(doc, Mention("talent_programme", start, start + len(part), name,
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
            add_mention(doc, Mention("talent_programme", start, match.end(2), name, "cue_and_quoted_name", 0.75))
            taken.add(match.start(2))
        for match in (m for pattern in _QUOTED_ACTIONS for m in pattern.finditer(text)):
            quoted_start = match.start(2) - 1
            if match.start(2) in taken or quoted_start in taken or any(c in match.group(2) for c in self.cues):
                continue
            prefix = match.group(1) or ""
            cut = max((prefix.rfind(w) + len(w) for w in self.boundary if len(w) >= 2 and w in prefix),
                      default=0)
            start = (match.start(1) + cut) if prefix[cut:] else quoted_start
            add_mention(doc, Mention("project", start, match.end(), text[start:match.end()], "quoted_action", 0.65))
            taken.add(match.start(2))
        for match in _QUOTED.finditer(text):
            name = match.group(1)
            if match.start(1) in taken:
                continue
            if any(c in name for c in self.cues) and self._is_plan(name):
                add_mention(doc, Mention("talent_programme", match.start(1), match.end(1), name,
                                         "quoted_name", 0.85))
        return doc

