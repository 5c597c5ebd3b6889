"""The head of a name before its type suffix: where it begins, and the clause words trimmed off it.

:class:`NameHeads` is what ``regionkg_names`` (:class:`ingest.recognise.names.NameGrammar`) knows
of a name's head. It reads the head leftwards over tokens from the suffix, then drops the words a
clause puts before a name, as jieba's dictionary tags them, and tells a generic head from a name's.

Examples
--------
>>> import spacy
>>> from ingest.vocab import load_vocabulary
>>> from ingest.recognise import taught_jieba
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> nlp.tokenizer.jieba_seg = taught_jieba()
>>> heads = NameHeads(load_vocabulary(), max_name_chars=24, min_head_chars=2)
>>> doc = nlp("充分发挥宁波科技大市场作用")
>>> start = heads.head_start(doc, doc.text, 8, 0, "大市场")
>>> doc.text[start:8], doc.text[heads.trim_head(doc, start, 8, "大市场"):8]
('充分发挥宁波科技', '宁波科技')
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ingest.recognise.mention import doc_text
from ingest.recognise.words import (_COMPLEMENTS, _FUNCTION_CHARS, _VERB_POS, _distinctive, _freq,
                                    _opens_clause, _pos)
from ingest.vocab import Vocabulary

__all__ = ["NameHeads"]

# Characters that can never be inside a name.
_NAME_BREAK = set("，,。；;：:！!？?、“”\"‘’'《》〈〉【】[]{}()（）—…\n\r\t 　|")

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[)）、.．]|第[一二三四五六七八九十]+"
                      r"|(?:专栏|附表|表|图)\s*\d+\s*|\d+[处个家座项批所])")


class NameHeads:
    """Reads the head of a name leftwards over tokens from its type suffix, and trims it.

    The head stops at punctuation, at a boundary word of ``lexicon.ttl`` (verbs such as 建设 and
    function words such as 和), or at ``max_name_chars``; the words a clause puts before a name are
    then dropped (:meth:`trim_head`), and a head made only of generic words is no name's
    (:meth:`is_generic`).
    """

    def __init__(self, vocab: Vocabulary, *, max_name_chars: int, min_head_chars: int):
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

        text = doc_text(doc)
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

    def is_generic(self, doc: Doc, start: int, end: int, suffix: str = "") -> bool:
        """A head made only of generic words; or, before a weak suffix, one with no distinctive word."""
        span = doc.char_span(start, end, alignment_mode="expand")
        text = doc_text(doc)
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


def _bracketed_name_part(inner: str) -> bool:
    """Whether a bracketed text belongs to the name around it: a place (湖南, 合肥) or 集团.

    Examples
    --------
    >>> _bracketed_name_part("重庆"), _bracketed_name_part("北航"), _bracketed_name_part("集团")
    (True, False, True)
    """
    from ingest.regions import Divisions

    return inner in ("集团", "控股") or inner in Divisions.default().by_name

