"""What the grammar knows of words, from jieba's own dictionary (not the taught one).

A word's part of speech and frequency (:func:`ingest.regions.word_tag`), a text's words, whether a
word opens a clause (a verb, an adverb, a preposition …) or can only be part of a name (a place, a
proper name, a word the dictionary does not know), and how many leading characters of a list item
belong to the clause before it. The components of :mod:`ingest.recognise` share these helpers.

Examples
--------
>>> _pos("宁波"), _segment("充分发挥宁波科技大市场")[:2]
('ns', ('充分发挥', '宁波'))
>>> _distinctive("宁波"), _distinctive("发展")
(True, False)
>>> _strip_clause("推进永新光学", [])
2
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.recognise.segmenter import _quiet_jieba

__all__: list[str] = []  # the helpers are shared inside the package only

#: jieba part-of-speech tags of words that can open a clause but never a name: verbs, adverbs,
#: prepositions, conjunctions, particles, pronouns, numerals and measure words.
_LEADING_POS = frozenset({"v", "vd", "vi", "d", "ad", "p", "c", "u", "uj", "ul", "r", "m", "q", "mq"})

_VERB_POS = frozenset({"v", "vd", "vi", "m", "q", "mq", "d"})

#: Characters that complete a verb (打造成, 用好, 建设到): part of the clause, not of the name.
_COMPLEMENTS = frozenset("成为好到出")

#: Prepositions and conjunctions the segmenter may glue to an unknown word (以智汇芯城).
_FUNCTION_CHARS = frozenset("以在把对向从将与和及由为")

#: Parts named by where they lie (南部新区, 北区).
_DIRECTIONS = frozenset({"东", "西", "南", "北", "东部", "西部", "南部", "北部", "中部", "东区", "西区", "南区", "北区"})

#: 两城一谷, 一中心三基地, 3个1000万: a count of things named elsewhere.
_NUMBERED_ABBREVIATION = re.compile(r"^(?:[一二两三四五六七八九十百千万多\d]+[个大]?[\u4e00-\u9fff]{1,2}){2,}$")


def _pos(word: str) -> str | None:
    """The part of speech jieba's dictionary gives ``word`` (``"v"``, ``"ns"`` …), or None."""
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
    """How often jieba's dictionary counts ``word`` (0 for a word it does not know)."""
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

