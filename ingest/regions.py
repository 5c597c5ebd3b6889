"""Administrative divisions of China (province, city, county level) with their GB/T 2260 codes.

The division table is cpca's ``adcodes.csv`` (about 2020), read directly from the installed package
without importing cpca (whose import builds its own matcher and needs ``pkg_resources``). Names are
matched on characters with an Aho-Corasick automaton, full names and their common short forms
(宁波市 and 宁波, 北仑区 and 北仑, 浙江省 and 浙江).

Examples
--------
>>> divisions = Divisions.default()
>>> divisions.by_code["330206"].name
'北仑区'
>>> [d.name for d in divisions.lineage("330206")]
['浙江省', '宁波市', '北仑区']
>>> [(m.text, m.codes) for m in divisions.find("梅山位于宁波北仑")]
[('宁波', ('330200',)), ('北仑', ('330206',))]
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

__all__ = ["Division", "DivisionMention", "Divisions", "PROVINCE", "CITY", "COUNTY", "looks_like_name"]

PROVINCE, CITY, COUNTY = "province", "city", "county"

# Suffixes whose removal gives the short form plans use (宁波市 → 宁波). Ordered longest first.
_SHORT_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "地区", "新区", "省", "市", "区", "县", "盟", "旗",
)
# Short forms too generic to stand for a place on their own.
_NO_SHORT_FORM = {"市辖区", "县", "矿区", "郊区", "城区", "新区", "开发区"}


@dataclass(frozen=True)
class Division:
    """One administrative division: ``code`` (6 digits), ``name``, ``rank`` and parent codes."""

    code: str
    name: str
    rank: str

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str | None:
        """The code of the city (地级) this division is in; None for a province."""
        if self.rank == PROVINCE:
            return None
        return self.code[:4] + "00"

    @property
    def kind(self) -> str:
        """province, city, district or county, as the gold format names them."""
        if self.rank != COUNTY:
            return self.rank
        return "district" if self.name.endswith("区") else "county"


@dataclass(frozen=True)
class DivisionMention:
    """A name of a division found in a text: ``start``/``end`` offsets and the candidate ``codes``."""

    start: int
    end: int
    text: str
    codes: tuple[str, ...]


class Divisions:
    """The division table with name lookup. Use :meth:`default` for the shared instance."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.by_code: dict[str, Division] = {}
        for code, name in rows:
            code = code[:6]
            if name == "市辖区" or not re.fullmatch(r"\d{6}", code):
                continue
            if code.endswith("0000"):
                rank = PROVINCE
            elif code.endswith("00"):
                rank = CITY
            else:
                rank = COUNTY
            self.by_code[code] = Division(code, name, rank)
        self.by_name: dict[str, list[str]] = {}
        common = _common_words()
        for division in self.by_code.values():
            if division.name in _NO_SHORT_FORM or len(division.name) < 2:
                continue  # 城区, 矿区, 县: names too generic to find in running text
            for form in _forms(division.name):
                if form != division.name and not _place_like(form, division.rank, common):
                    continue
                self.by_name.setdefault(form, []).append(division.code)
        self._automaton = ahocorasick.Automaton()
        for form, codes in self.by_name.items():
            self._automaton.add_word(form, (form, tuple(sorted(codes))))
        self._automaton.make_automaton()

    @classmethod
    def default(cls) -> "Divisions":
        """The table shipped with cpca, loaded once."""
        return _default_divisions()

    def lineage(self, code: str) -> list[Division]:
        """The divisions from the province down to ``code`` itself.

        Raises
        ------
        KeyError
            If ``code`` is not a known division code.
        """
        if code not in self.by_code:
            raise KeyError(f"unknown division code {code!r}")
        division = self.by_code[code]
        chain = []
        if division.rank != PROVINCE and division.province_code in self.by_code:
            chain.append(self.by_code[division.province_code])
        city = division.city_code
        if division.rank == COUNTY and city in self.by_code:
            chain.append(self.by_code[city])
        chain.append(division)
        return chain

    def parent(self, code: str) -> Division | None:
        """The division ``code`` is directly part of, or None for a province."""
        chain = self.lineage(code)
        return chain[-2] if len(chain) > 1 else None

    def find(self, text: str) -> list[DivisionMention]:
        """Every division name in ``text``, longest match first, non-overlapping, in text order."""
        found = []
        for end, (form, codes) in self._automaton.iter(text):
            start = end - len(form) + 1
            found.append(DivisionMention(start, end + 1, form, codes))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept, last_end = [], -1
        for mention in found:
            if mention.start >= last_end:
                kept.append(mention)
                last_end = mention.end
        return kept

    def resolve(self, name: str, *, within: str | None = None) -> Division | None:
        """The division named ``name`` (full or short form), preferring one inside code ``within``.

        Examples
        --------
        >>> Divisions.default().resolve("宁波").code
        '330200'
        >>> Divisions.default().resolve("鼓楼区", within="350000").code
        '350102'
        """
        codes = self.by_name.get(name, [])
        if within:
            prefix = within.rstrip("0")
            inside = [c for c in codes if c.startswith(prefix[: max(2, len(prefix))])]
            codes = inside or codes
        if not codes:
            return None
        # Prefer the higher rank (浙江 the province over a county of the same short name).
        ranks = {PROVINCE: 0, CITY: 1, COUNTY: 2}
        return min((self.by_code[c] for c in codes), key=lambda d: (ranks[d.rank], d.code))


def _forms(name: str) -> list[str]:
    forms = [name]
    if name in _NO_SHORT_FORM:
        return forms
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            short = name[: -len(suffix)]
            # 广西壮族自治区 → 广西; 延边朝鲜族自治州 → 延边
            short = re.sub(r"(.{2,}?)(蒙古族|回族|藏族|维吾尔|壮族|朝鲜族|苗族|土家族|彝族|哈尼族|傣族|布依族|侗族|白族|黎族|羌族|满族|畲族)+$", r"\1", short)
            if len(short) >= 2 and short not in _NO_SHORT_FORM:
                forms.append(short)
            break
    return forms


def word_tag(word: str) -> tuple[int, str] | None:
    """jieba's dictionary entry for ``word``: (frequency, part-of-speech tag), or None if unknown.

    Examples
    --------
    >>> word_tag("宁波")
    (538, 'ns')
    """
    return _common_words().get(word)


def looks_like_name(word: str) -> bool:
    """Whether ``word`` can be a proper name: jieba tags it a name or place, or does not know it.

    Examples
    --------
    >>> looks_like_name("梅山"), looks_like_name("宣传")
    (True, False)
    """
    entry = _common_words().get(word)
    return entry is None or entry[1] in ("ns", "nr", "nrt", "nz", "nt")


def _place_like(short: str, rank: str, common: dict[str, tuple[int, str]]) -> bool:
    """Whether a short form reads as a place in running text, by jieba's dictionary.

    新兴 (an adjective), 资源 (a noun), 合作 (a verb) are short forms of counties but words first;
    a county's short form must be a rare word or one jieba tags as a place (北仑, 上虞). Cities'
    and provinces' short forms only need not be verbs, adjectives or adverbs.
    """
    entry = common.get(short)
    if entry is None:
        return True
    freq, tag = entry
    if tag in ("v", "vn", "a", "ad", "an", "d", "b", "f", "c", "p", "m", "q", "r", "u"):
        return False
    if rank == COUNTY:
        return tag in ("ns", "nr", "nrt") and freq < 500
    return True


@lru_cache(maxsize=1)
def _common_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary (word → frequency, part-of-speech tag), read once."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "dict.txt"
    words = {}
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) <= 4:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


def _adcodes_csv() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package is not installed; it provides the division table")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def _default_divisions() -> Divisions:
    with _adcodes_csv().open(encoding="utf-8") as stream:
        rows = [(row["adcode"], row["name"]) for row in csv.DictReader(stream)]
    return Divisions(rows)
