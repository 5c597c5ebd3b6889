"""The subject region of a plan (the region its body is about) and the year the plan is for.

The title, the issuer and the body each vote; the body wins where they disagree (a page titled
"浙江杭州…滨海新区工作思路" whose body is about 绍兴滨海新区 is about 绍兴). The region is normalised to
province / city / district with its division code, and a zone is resolved through the reference
list of ``ontology/zones.ttl`` where it is known.

Examples
--------
>>> s = find_subject("关于淄博市新旧动能转换的工作方案", "全市要加快发展。淄博市将培育新材料产业。")
>>> (s.name, s.kind, s.city, s.province, s.code)
('淄博市', 'city', '淄博市', '山东省', '370300')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.regions import CITY, COUNTY, PROVINCE, Divisions, looks_like_name
from ingest.vocab import load_vocabulary

__all__ = ["SubjectRegion", "find_subject", "find_year", "NoSubjectRegion"]


class NoSubjectRegion(ValueError):
    """The document names no region it could be about."""


@dataclass(frozen=True)
class SubjectRegion:
    """The region a plan is about.

    ``code`` is the division code of the region itself (None for a zone or an anonymised region);
    ``district``/``city``/``province`` are the names of the divisions it is in (or is), with their
    codes in ``district_code``/``city_code``/``province_code``; ``zone_iri`` is set for a known zone.
    """

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    code: str | None = None
    district: str | None = None
    district_code: str | None = None
    city: str | None = None
    city_code: str | None = None
    province: str | None = None
    province_code: str | None = None
    zone_iri: str | None = None
    zone_type: str | None = None
    reasons: tuple[str, ...] = field(default=(), compare=False)


# Words by which a plan refers to its own region, and the kind each implies.
_SELF = {"区": "district", "市": "city", "县": "county", "省": "province", "委": "zone"}
_SELF_RE = re.compile(r"(?:全|我|本)(区|市|县|省|委)")
_ISSUER_RE = re.compile(r"([^\s，,。；;：:“”《》()（）]{2,24}?)(?:党工委|工作委员会|管理委员会|管委会|人民政府|办公室)")
_ANON_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z])(?![A-Za-z0-9])")
_ZONE_SUFFIXES = ("新区", "高新区", "开发区", "经开区", "科技城", "自贸区", "试验区", "示范区", "园区",
                  "产业园", "保税区", "科学城", "生态城", "新城", "港区", "合作区")
_SELF_NAME_RE = re.compile(r"全委|全区|全市|全县|全镇")


def _title_zones(title: str, divisions: Divisions) -> list[str]:
    """Zone names in a title or issuer line: the shortest-prefix forms ending in a zone suffix."""
    names = []
    for chunk in re.split(r"[\s，,。；;：:“”《》()（）|]+", title):
        # 浙江杭州2020年滨海新区工作思路, 长沙经济技术开发区2022年工作报告: either side of a year.
        for part in re.split(r"\d{4}年|关于|中共", chunk):
            for suffix in sorted(_ZONE_SUFFIXES, key=len, reverse=True):
                idx = part.find(suffix)
                if idx >= 2:
                    name = part[: idx + len(suffix)]
                    name = re.sub(r"^.*?(?:市委|省委|区委|县委)", "", name)
                    if len(name) > len(suffix) + 1:
                        names.append(name)
                    break
    return names


def _known_zone(name: str):
    vocab = load_vocabulary()
    return vocab.known_zones.get(name)


def find_subject(title: str, body: str, *, issuer: str | None = None) -> SubjectRegion:
    """Decide the subject region from a document's title, body and issuer.

    Raises
    ------
    NoSubjectRegion
        If neither a division, a zone nor an anonymised placeholder is found.
    """
    divisions = Divisions.default()
    reasons = []
    self_kinds = Counter(_SELF[m.group(1)] for m in _SELF_RE.finditer(body))

    # Division mentions, each resolved within the dominant province.
    body_mentions = divisions.find(body)
    title_mentions = divisions.find(title + " " + (issuer or ""))
    # The province is voted by province- and city-level names only: county names are too often
    # ambiguous (江北区 is in 宁波 and in 重庆) and are then read within that province.
    provinces = Counter(
        divisions.by_code[c].province_code
        for m in body_mentions + title_mentions if len(m.codes) == 1
        for c in m.codes if divisions.by_code[c].rank != COUNTY
    )
    top_province = provinces.most_common(1)[0][0] if provinces else None

    def resolve_all(mentions):
        out = []
        for m in mentions:
            d = divisions.resolve(m.text, within=top_province)
            if d is None:
                continue
            if d.rank == COUNTY and top_province and d.province_code != top_province:
                continue
            out.append(d)
        return out

    body_divs = resolve_all(body_mentions)
    title_divs = resolve_all(title_mentions)
    counts = Counter(d.code for d in body_divs)
    city_votes = Counter()
    for d in body_divs:
        if d.rank != PROVINCE and d.city_code in divisions.by_code:
            city_votes[d.city_code] += 1
    for d in title_divs:
        if d.rank != PROVINCE and d.city_code in divisions.by_code:
            city_votes[d.city_code] += 0.5  # a title votes, but the body outvotes it

    # 1. A zone named in the title or issuer line, confirmed by the body.
    candidates = _title_zones(title, divisions) + _title_zones(issuer or "", divisions)
    for m in _ISSUER_RE.finditer(title + " " + (issuer or "")):
        candidates += _title_zones(m.group(1), divisions)
    zone_name = None
    order = list(dict.fromkeys(candidates))  # title order: a main name precedes its bracketed alias
    for cand in sorted(order, key=lambda c: (_known_zone(c) is None, order.index(c))):
        # The body's qualified form of it: 滨海新区 in the title, 绍兴滨海新区 in the body.
        qualified = _qualified_forms(cand, body, divisions)
        if qualified:
            zone_name = qualified.most_common(1)[0][0]
        elif body.count(cand) or body.count(cand[-2:]) >= 3:
            zone_name = cand
        if zone_name:
            reasons.append(f"zone {zone_name!r} named in the title or issuer and in the body")
            break

    if zone_name:
        known = _known_zone(zone_name)
        located = known.located_in if known and known.located_in in divisions.by_code else None
        city_code = None
        if located and located in divisions.by_code and divisions.by_code[located].rank != PROVINCE:
            # A new area listed under its province (贵安新区) has no city from the list: the body says.
            city_code = divisions.by_code[located].city_code or located
        if city_code is None:
            # The city prefix of the name (宁波国际海洋生态科技城 → 宁波) or the body's city.
            prefix = divisions.find(zone_name)
            for m in prefix:
                if m.start == 0:
                    d = divisions.resolve(m.text, within=top_province)
                    if d is not None and d.rank != PROVINCE:
                        city_code = d.city_code or d.code
            if city_code is None and city_votes:
                city_code = city_votes.most_common(1)[0][0]
        district_code = located if located and divisions.by_code[located].rank == COUNTY else None
        if district_code is None and city_code:
            in_city = Counter(
                d.code for d in body_divs if d.rank == COUNTY and d.city_code == city_code
            )
            if in_city:
                code, n = in_city.most_common(1)[0]
                if n >= 2:
                    district_code = code
                    reasons.append(f"located in {divisions.by_code[code].name} ({n} mentions)")
        aliases = _aliases(zone_name, title, body)
        return _make(divisions, zone_name, "zone", None, district_code, city_code, aliases,
                     known, reasons)

    # 2. An anonymised region ("X") that the body treats as a place.
    anon = Counter(m.group(1) for m in _ANON_RE.finditer(body))
    if anon:
        letter, n = anon.most_common(1)[0]
        if n >= 3:
            kind = _dominant_self_kind(self_kinds, default="district")
            city_code = city_votes.most_common(1)[0][0] if city_votes else None
            reasons.append(f"anonymised region {letter!r} ({n} mentions), kind from self-references")
            return _make(divisions, letter, kind, None, None, city_code, (), None, reasons)

    # 3. The division the body is about: title and body votes, at the rank its self-references say.
    if not counts and not title_divs:
        raise NoSubjectRegion("no region found: the text names no division, zone or placeholder")
    kind = _dominant_self_kind(self_kinds, default=None)
    scores = Counter()
    for d in body_divs:
        scores[d.code] += 1
    for d in title_divs:
        scores[d.code] += 3
    rank_of_kind = {"city": CITY, "province": PROVINCE, "district": COUNTY, "county": COUNTY}
    ranked = sorted(scores, key=lambda c: (-scores[c], c))
    if kind in rank_of_kind:
        same_rank = [c for c in ranked if divisions.by_code[c].rank == rank_of_kind[kind]]
        ranked = same_rank or ranked
    division = divisions.by_code[ranked[0]]
    reasons.append(f"division {division.name} ({scores[division.code]} votes)")
    district = division.code if division.rank == COUNTY else None
    return _make(divisions, division.name, division.kind, division.code, district,
                 division.city_code if division.rank != PROVINCE else None,
                 _aliases(division.name, title, body, short=True), None, reasons)


def _qualified_forms(name: str, body: str, divisions: Divisions) -> Counter:
    """Forms of ``name`` in ``body`` preceded by a division name (绍兴 + 滨海新区)."""
    forms = Counter()
    for m in re.finditer(re.escape(name), body):
        for n in (4, 3, 2):
            prefix = body[max(0, m.start() - n): m.start()]
            if len(prefix) == n and divisions.resolve(prefix) is not None:
                if not name.startswith(prefix):
                    forms[prefix + name] += 1
                break
    return forms


def _dominant_self_kind(self_kinds: Counter, *, default):
    """The lowest level a plan calls itself by at least twice (全区 twice beats 全市 four times:
    a district's plan cites city-wide directives, a city's plan rarely says 全区)."""
    for kind in ("district", "county", "city", "province"):
        if self_kinds.get(kind, 0) >= 2:
            return kind
    kinds = Counter({k: v for k, v in self_kinds.items() if k != "zone"})
    return kinds.most_common(1)[0][0] if kinds else default


def _aliases(name: str, title: str, body: str, *, short: bool = False) -> tuple[str, ...]:
    aliases = []
    # 宁波国家高新区(新材料科技城): the bracketed name is another name of the same region.
    for m in re.finditer(re.escape(name) + r"[(（]([^()（）]{2,12})[)）]", title + body):
        aliases.append(m.group(1))
    # The word a plan puts before 全委/全区 is how it calls itself (动员梅山全委上下 → 梅山),
    # when the body also uses it on its own.
    from ingest.recognise import taught_jieba

    tokenizer = taught_jieba()
    boundary = load_vocabulary().words("boundary")
    for m in _SELF_NAME_RE.finditer(body):
        tokens = tokenizer.lcut(body[max(0, m.start() - 8): m.start()])
        word = tokens[-1] if tokens else ""
        if re.fullmatch(r"[\u4e00-\u9fff]{2,6}", word) and word not in boundary \
                and looks_like_name(word) and body.count(word) >= 3:
            aliases.append(word)
    for suffix in sorted(_ZONE_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and name != suffix:
            if body.count(suffix) >= 3:
                aliases.append(suffix)  # 高新区 for 宁波国家高新区, 新区 for 绍兴滨海新区
            break
    if short:
        for suffix in ("市", "区", "县", "省"):
            if name.endswith(suffix) and len(name) > 2:
                aliases.append(name[:-1])
    counts = Counter(a for a in aliases if a != name)
    return tuple(a for a, n in counts.most_common() if n >= 1)[:5]


def _make(divisions, name, kind, code, district_code, city_code, aliases, known, reasons):
    def nm(c):
        return divisions.by_code[c].name if c and c in divisions.by_code else None

    province_code = None
    for c in (code, district_code, city_code):
        if c:
            province_code = c[:2] + "0000"
            break
    # A municipality (北京市) is its own city.
    if city_code and city_code not in divisions.by_code and province_code in divisions.by_code:
        city_code = province_code
    return SubjectRegion(
        name=name, kind=kind, aliases=tuple(aliases), code=code,
        district=nm(district_code), district_code=district_code if nm(district_code) else None,
        city=nm(city_code), city_code=city_code if nm(city_code) else None,
        province=nm(province_code), province_code=province_code if nm(province_code) else None,
        zone_iri=str(known.iri) if known else None,
        zone_type=str(known.zone_type) if known and known.zone_type else None,
        reasons=tuple(reasons),
    )


_YEAR = r"(19[5-9]\d|20[0-4]\d)"


def find_year(title: str, body: str, metadata: dict | None = None) -> int | None:
    """The year a plan is for: the title's latest year, else the document numbers' and body's.

    A page's posting date (更新时间, 来源) is only a last resort: plans are often posted years later.

    Examples
    --------
    >>> find_year("2017年工作总结和2018年工作安排报告", "2017年,我们…")
    2018
    >>> find_year("工作方案", "根据《方案》(鲁厅字〔2018〕20号)精神", {"来源": "2020-06-10"})
    2018
    """
    title_years = [int(y) for y in re.findall(_YEAR + r"\s*年", title)]
    if title_years:
        return max(title_years)
    votes = Counter()
    for y in re.findall(r"[〔\[［(（]" + _YEAR + r"[〕\]］)）]", title + body):
        votes[int(y)] += 3
    # The plan's own year is the one it talks about first and most ("2017年,X将…").
    for i, y in enumerate(re.findall(_YEAR + r"\s*年", body[:3000])):
        votes[int(y)] += 2 if i == 0 else 1
    if votes:
        return votes.most_common(1)[0][0]
    for key in ("成文日期", "发布时间", "发布日期", "日期", "更新时间", "来源"):
        value = (metadata or {}).get(key, "")
        m = re.search(_YEAR, value)
        if m:
            return int(m.group(1))
    return None
