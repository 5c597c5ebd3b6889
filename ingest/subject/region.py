"""The subject region of a plan: the region the document is the plan of.

The subject region of an official document is stated, not voted. In order of trust:

1. a zone named in the title or issuer line and in the body (宁波国家高新区, 贵州贵安新区);
2. the statements of the document: its title (2026年重庆市政府工作报告), the congress line
   (——在重庆市第六届人民代表大会第四次会议上), "我代表重庆市人民政府", the signature line
   (重庆市人民政府市长), the issuer; each must agree with the level the document calls itself by
   (我代表市人民政府, 我州, 全县), so a reposting site's title (南昌市… over a 区's plan) does not win;
3. a letter the document uses as its own name (X将…, 把X建设成为…, A市): an anonymised region;
4. the body: of the regions of the document's own level, the one it names most, with the
   divisions under it that it lists as its own; other regions (partner cities, counterpart aid)
   are named less.

Examples
--------
>>> s = find_subject("关于淄博市新旧动能转换的工作方案", "全市要加快发展。淄博市将培育新材料产业。")
>>> (s.name, s.kind, s.city, s.province, s.code)
('淄博市', 'city', '淄博市', '山东省', '370300')
>>> s = find_subject("", "各位代表：现在，我代表州人民政府向大会报告工作。凉山各族人民……凉山州西昌市、会理市。")
>>> (s.name, s.kind, s.city, s.province)
('凉山彝族自治州', 'city', '凉山彝族自治州', '四川省')
"""

from __future__ import annotations

import re
from collections import Counter
from ingest.regions import COUNTY, PROVINCE, Division, Divisions
from ingest.subject.model import HEAD_CHARS, NoSubjectRegion, SubjectRegion, _aliases, _make, _name
from ingest.subject.year import _plain, _preamble
from ingest.subject.zone import _zone_subject

__all__ = ["SubjectRegion", "find_subject", "NoSubjectRegion"]

# The word a document calls itself by (我市, 全州, 我代表县人民政府) → the table's kinds it fits.
_LEVEL_KINDS = {
    "省": {"省"},
    "自治区": {"自治区"},
    "市": {"地级市", "直辖市", "县级市"},
    "州": {"自治州"},
    "盟": {"盟"},
    "地区": {"地区"},
    "县": {"县", "自治县"},
    "区": {"市辖区", "自治区", "林区", "特区"},
    "旗": {"旗", "自治旗"},
}
_LEVEL = "自治区|地区|省|市|州|盟|县|区|旗"
_SELF_RE = re.compile(rf"(我|本|全)({_LEVEL})(?![委长级])")
_REPRESENT_RE = re.compile(
    rf"我代表([^\s，,。；;：:、|“”《》]{{0,24}}?)(?:({_LEVEL})?)(?:人民政府|政府|行政公署|行署)")
_CONGRESS_RE = re.compile(
    r"在([^\s，,。；;：:、|“”《》()（）]{2,30}?)(?:第?[一二三四五六七八九十百\d]+届)?人民代表大会")
_SIGNATURE_RE = re.compile(
    r"([^\s，,。；;：:、|“”《》()（）]{2,24}?)(?:人民政府|行政公署)?(?:代理|代)?"
    r"(?:省长|市长|县长|区长|州长|盟长|旗长|专员|主席)")
_TITLE_LINE_RE = re.compile(
    r"^[^\n。；;]{0,40}?(?:政府工作报告|工作要点|规划|计划|方案|意见|通知|办法|纲要|报告)[^\n。]{0,12}$",
    re.M)
# A Latin letter that stands for the document's own region (X将…, 把X建设成为…, X市, 令X人自豪),
# and the contexts in which a letter is a grade, a type or a count (A级, B型, 劣V类, N个, 2+N).
_LETTER = r"(?<![A-Za-z0-9+＋·.\-－])([A-Z])(?![A-Za-z0-9+＋·.\-－])"
_ANON_NAME_RE = re.compile(r"(?:(?<=[把令让使在将])|(?<=推动)|(?<=全))" + _LETTER + r"(?=[将要的人市区县州镇乡已是在经发建高])"
                           r"|" + _LETTER + r"(?=[将要市区县州镇乡]|的(?:发展|经济|建设|产业))")


def find_subject(title: str, body: str, *, issuer: str | None = None) -> SubjectRegion:
    """Decide the subject region from a document's title, body and issuer.

    Parameters
    ----------
    title : str
        The document's title ("" if it has none).
    body : str
        The document's text.
    issuer : str, optional
        The issuing body of the page's metadata (发布机构, 发文单位).

    Returns
    -------
    SubjectRegion
        With ``reasons`` saying which statement or vote decided.

    Raises
    ------
    TypeError
        If ``title``, ``body`` or ``issuer`` is not a string.
    NoSubjectRegion
        If neither a division, a zone nor an anonymised placeholder is found.

    Examples
    --------
    >>> find_subject("", "——2024年1月在徐水县第十四届人民代表大会第四次会议上\\n我代表县人民政府…").name
    '徐水县'
    >>> s = find_subject("", "我代表市人民政府报告工作。天门市将…天门的发展…武汉城市圈…天门")
    >>> (s.name, s.kind, s.city, s.province)
    ('天门市', 'county', None, '湖北省')
    >>> find_subject("", "深入开展劣V类水体剿灭，V类，V类，V类。")
    Traceback (most recent call last):
    ...
    ingest.subject.model.NoSubjectRegion: no region found: the text names no division, zone or placeholder
    """
    for label, value in (("title", title), ("body", body)):
        if not isinstance(value, str):
            raise TypeError(f"{label} must be a str, not {type(value).__name__}: {value!r:.60}")
    if issuer is not None and not isinstance(issuer, str):
        raise TypeError(f"issuer must be a str or None, not {type(issuer).__name__}: {issuer!r:.60}")
    title, body = _plain(title), _plain(body)
    divisions = Divisions.default()
    head = body[:HEAD_CHARS]
    if "。" in title or len(title) > 100:
        title = ""  # a text without line breaks: its "title" is its first sentences

    # Mentions of divisions in the body, each read within the province the document is in.
    body_mentions = divisions.find(body)
    top_province = _document_province(title, body, divisions)
    body_divs = [d for d in (_resolve_mention(m, divisions, top_province) for m in body_mentions) if d]

    zone = _zone_subject(title, body, issuer, divisions, body_divs, top_province)
    if zone is not None:
        return zone

    level, strong, level_reason = _self_level(title, body)
    for division, reason, from_title in _statements(title, head, issuer, divisions):
        # What the document calls itself outweighs a title (a reposting site's), and a stated
        # level (我代表县人民政府) outweighs any statement of another level.
        if level and (from_title or strong) and not _fits(division, level, strong):
            continue
        reasons = (f"{reason}: {division.name}",) + ((level_reason,) if level else ())
        return _from_division(division, title, body, reasons)

    anonymised = _anonymised(body, level, body_divs, divisions)
    if anonymised is not None:
        return anonymised

    if not body_divs:
        raise NoSubjectRegion("no region found: the text names no division, zone or placeholder")
    division, why = _body_vote(body, body_divs, level, strong, top_province, divisions)
    reasons = (why,) + ((level_reason,) if level else ())
    return _from_division(division, title, body, reasons)


def _document_province(title: str, body: str, divisions: Divisions) -> str | None:
    """The province whose name and cities' names the document uses most (any of their names:
    保定 and 包头 are words too, and are counted)."""
    upper = [c for c, d in divisions.by_code.items() if d.rank != COUNTY]
    votes = Counter()
    for code, n in divisions.count_names(title + "\n" + body, upper, shared=True).items():
        votes[divisions.by_code[code].province_code] += n
    return votes.most_common(1)[0][0] if votes else None


def _resolve_mention(mention, divisions: Divisions, province: str | None) -> Division | None:
    division = divisions.resolve(mention.text, within=province)
    if division is None:
        return None
    if division.rank == COUNTY and province and division.province_code != province:
        return None  # a county name of another province: too often a namesake (江北区)
    return division


def _chain(text: str, divisions: Divisions) -> Division | None:
    """The lowest division of the run of division names that ``text`` opens with (or first names):
    呼伦贝尔市海拉尔区 → 海拉尔区, 重庆市沙坪坝区 → 沙坪坝区, 徐水县 → 徐水县 (its name of the time)."""
    found, last_end, within = None, None, None
    for m in divisions.find(text):
        if last_end is not None and text[last_end:m.start].strip():
            break
        division = divisions.resolve(m.text, within=within)
        if division is None:
            break
        if found is not None and not division.code.startswith(found.code.rstrip("0")[:2]):
            break
        found, last_end, within = division, m.end, division.code
    return found


def _statements(title: str, head: str, issuer: str | None, divisions: Divisions):
    """The regions the document states it is the plan of, most trusted first: (division, reason)."""
    # The title, and title lines at the head of the body (a page's title is often the body's first
    # line after the portal's header: 2026年上海市政府工作报告).
    for line in [title] + [m.group(0) for m in _TITLE_LINE_RE.finditer(_preamble(head))]:
        line = re.sub(r"^\s*(?:标\s*题|title)\s*[:：]\s*", "", line)
        for part in re.split(r"\d{4}年|关于|中共|印发|转发|《", line):
            division = _chain(part.strip(" \t-—·、|"), divisions)
            if division is not None:
                yield division, "named in the title", True
                break
    for m in _CONGRESS_RE.finditer(head):
        division = _chain(m.group(1), divisions)
        if division is not None:
            yield division, "its people's congress", False
    for m in _REPRESENT_RE.finditer(head):
        division = _chain(m.group(1) + (m.group(2) or ""), divisions)
        if division is not None:
            yield division, "we report on behalf of its government", False
    for line in head.splitlines():
        m = _SIGNATURE_RE.match(line.strip()) if len(line.strip()) <= 40 else None
        division = _chain(m.group(1), divisions) if m else None
        if division is not None:
            yield division, "signed by its head of government", False
    if issuer:
        division = _chain(issuer.strip(), divisions)
        if division is not None:
            yield division, "issued by its government", False


# Levels from the lowest up: a plan that says 全区 twice and 全市 often is a district's (it cites
# its city's directives); a city's plan says 全省 often (全省第一) and seldom 全县.
_LOW_TO_HIGH = ("旗", "县", "区", "市", "州", "盟", "地区", "自治区", "省")


def _self_level(title: str, body: str) -> tuple[str | None, bool, str]:
    """The level the document calls itself by, whether it states it, and why.

    Stated: 我代表市人民政府 (or 我代表苏州市人民政府). Else its 我X/本X at least twice, the most
    frequent; else the lowest of its 全X at least twice.
    """
    m = _REPRESENT_RE.search(body[:HEAD_CHARS])
    if m and m.group(2):
        return m.group(2), True, f"calls itself {m.group(2)} (我代表…{m.group(2)}人民政府)"
    own = Counter(m.group(2) for m in _SELF_RE.finditer(body) if m.group(1) in "我本")
    if own and own.most_common(1)[0][1] >= 2:
        level, n = own.most_common(1)[0]
        return level, False, f"calls itself 我{level} ({n} times)"
    whole = Counter(m.group(2) for m in _SELF_RE.finditer(body) if m.group(1) == "全")
    for level in _LOW_TO_HIGH:
        if whole.get(level, 0) >= 2:
            return level, False, f"calls itself 全{level} ({whole[level]} times)"
    return None, False, ""


def _fits(division: Division, level: str, stated: bool = False) -> bool:
    """Whether ``division`` is of the level a document calls itself by; a stated 区
    (我代表区人民政府) is a district's, a 全区 may be an autonomous region's too."""
    if stated and level == "区":
        return division.category in _LEVEL_KINDS[level] - {"自治区"}
    return division.category in _LEVEL_KINDS[level]


def _body_vote(body: str, body_divs: list[Division], level: str | None, stated: bool,
               province: str | None, divisions: Divisions):
    """The region of the document's level that the body names most (by any of its names: 天门,
    潜江, 保定 are words too), with the divisions under it that the body names as its own.

    Candidates are the regions of that level in the document's province (names of the time, 徐水县,
    too); without a level, or if none of them is named, the regions the body names. Two namesakes
    (鼓楼区 of 南京 and of 徐州) are told apart by how much the body names their cities.
    """
    named = list(dict.fromkeys(body_divs))
    pool = []
    if level:
        pool = [d for d in list(divisions.by_code.values()) + list(divisions.former.values())
                if _fits(d, level, stated) and (province is None or d.province_code == province or d in named)]
    counts = divisions.count_names(body, list(dict.fromkeys(pool)), shared=True)
    if not any(counts.values()):
        pool = named
        counts = divisions.count_names(body, pool, shared=True)
    candidates = [d for d in pool if counts.get(d)] or named
    # The divisions under a candidate that the body names, other than the candidates themselves
    # (a county-level city's report names its prefecture's other counties less than its own name).
    peers = {d.code for d in candidates}
    under = Counter()
    for d in named:
        if d.code in peers:
            continue
        parent = d.city_code if d.rank == COUNTY and d.city_code else d.province_code
        if parent != d.code:
            under[parent] += 1  # its own districts and counties, a province's own cities
    parents = divisions.count_names(body, sorted({d.city_code for d in candidates if d.rank == COUNTY
                                                  and d.city_code in divisions.by_code}))
    score = {d: counts.get(d, 0) + (0 if d.former else under[d.code]) for d in candidates}
    best = max(candidates, key=lambda d: (score[d], parents.get(d.city_code, 0), d in named,
                                          not d.former, d.code))
    return best, (f"named {counts.get(best, 0)} times in the body, {under[best.code]} of its "
                  f"divisions too: {best.name}")


def _anonymised(body: str, level: str | None, body_divs, divisions) -> SubjectRegion | None:
    """A letter the body uses as its own name (X将…, 把X建设成为…), at least three times."""
    uses = Counter((m.group(1) or m.group(2)) for m in _ANON_NAME_RE.finditer(body))
    if not uses:
        return None
    letter, n = uses.most_common(1)[0]
    if n < 3:
        return None
    kind = {"市": "city", "县": "county", "省": "province", "州": "city", "盟": "city",
            "旗": "county", "地区": "city"}.get(level or "", "district")
    cities = Counter(d.city_code for d in body_divs if d.rank != PROVINCE and d.city_code)
    city_code = cities.most_common(1)[0][0] if cities else None
    reason = f"anonymised region {letter!r}: used as the document's own name {n} times"
    return _make(divisions, letter, kind, None, None, city_code, (), None, (reason,))


def _from_division(division: Division, title: str, body: str, reasons) -> SubjectRegion:
    divisions = Divisions.default()
    aliases = list(_aliases(division.name, title, body, short=True))
    if division.former and division.code in divisions.by_code:
        aliases.append(divisions.by_code[division.code].name)  # 徐水县 is 徐水区 today
    city_code = division.city_code
    province_code = division.province_code
    return SubjectRegion(
        name=division.name, kind=division.kind, aliases=tuple(dict.fromkeys(aliases))[:6],
        code=division.code,
        district=division.name if division.rank == COUNTY else None,
        district_code=division.code if division.rank == COUNTY else None,
        city=_name(divisions, city_code), city_code=city_code if _name(divisions, city_code) else None,
        province=_name(divisions, province_code), province_code=province_code,
        reasons=tuple(reasons),
    )
