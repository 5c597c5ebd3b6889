"""A zone as a plan's subject: named in its title or issuer line, or by the committee it reports for,
and confirmed by the body (宁波国家高新区, 贵州贵安新区, 长沙经开区)."""

from __future__ import annotations

import re
from collections import Counter

from ingest.regions import COUNTY, PROVINCE, Divisions
from ingest.subject.model import _ZONE_SUFFIXES, HEAD_CHARS, SubjectRegion, _aliases, _make
from ingest.vocab import load_vocabulary

_ISSUER_RE = re.compile(r"([^\s，,。；;：:“”《》()（）]{2,24}?)(?:党工委|工作委员会|管理委员会|管委会|人民政府|办公室)")
_ZONE_SPEAKER_RE = re.compile(
    r"我代表([^\s，,。；;：:、|“”《》]{0,24}?)(?:党工委|工委|管委会|管理委员会)"
    r"|在([^\s，,。；;：:、|“”《》]{2,24}?)(?:经济)?工作(?:大会|会议)上")


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
    return load_vocabulary().known_zones.get(name)


def _zone_subject(title, body, issuer, divisions, body_divs, top_province) -> SubjectRegion | None:
    """A zone named in the title or issuer line, confirmed by the body."""
    candidates = _title_zones(title, divisions) + _title_zones(issuer or "", divisions)
    for m in _ISSUER_RE.finditer(title + " " + (issuer or "")):
        candidates += _title_zones(m.group(1), divisions)
    # A zone's report to its own meeting, on behalf of its committee: 我代表贵安新区管委会,
    # ——在经开区经济工作会议上; a committee without a name (我代表管委会): the zone the body names.
    head = body[:HEAD_CHARS]
    for m in _ZONE_SPEAKER_RE.finditer(head):
        named = _title_zones(m.group(1) or m.group(2) or "", divisions)
        candidates += named
        if not named and m.group(0).startswith("我代表"):
            candidates += _body_zones(body, divisions)[:1]
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
            break
    if not zone_name:
        return None
    reasons = [f"zone {zone_name!r} named in the title or issuer and in the body"]
    city_votes = Counter(d.city_code for d in body_divs if d.rank != PROVINCE and d.city_code)
    known = _known_zone(zone_name)
    located = known.located_in if known and known.located_in in divisions.by_code else None
    city_code = None
    if located and divisions.by_code[located].rank != PROVINCE:
        # A new area listed under its province (贵安新区) has no city from the list: the body says.
        city_code = divisions.by_code[located].city_code
    if city_code is None:
        # The city prefix of the name (宁波国际海洋生态科技城 → 宁波) or the body's city.
        for m in divisions.find(zone_name):
            if m.start == 0:
                d = divisions.resolve(m.text, within=top_province)
                if d is not None and d.rank != PROVINCE:
                    city_code = d.city_code
        if city_code is None and city_votes:
            city_code = city_votes.most_common(1)[0][0]
    district_code = located if located and divisions.by_code[located].rank == COUNTY else None
    if district_code is None and city_code:
        in_city = Counter(d.code for d in body_divs if d.rank == COUNTY and d.city_code == city_code)
        if in_city:
            code, n = in_city.most_common(1)[0]
            if n >= 2:
                district_code = code
                reasons.append(f"located in {divisions.by_code[code].name} ({n} mentions)")
    aliases = _aliases(zone_name, title, body)
    return _make(divisions, zone_name, "zone", None, district_code, city_code, aliases, known, reasons)


def _body_zones(body: str, divisions: Divisions) -> list[str]:
    """Zone names the body qualifies by a division (长沙经开区, 宝鸡高新区), most named first."""
    suffixes = "|".join(sorted(_ZONE_SUFFIXES + ("经济技术开发区", "高新技术产业开发区"), key=len, reverse=True))
    names = Counter()
    for m in re.finditer(rf"([\u4e00-\u9fff]{{2,10}}?)(?:国家级)?({suffixes})", body):
        found = divisions.find(m.group(1))
        if found and found[0].start == 0 and found[0].end == len(m.group(1)):
            names[m.group(0)] += 1
    return [name for name, _ in names.most_common()]


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
