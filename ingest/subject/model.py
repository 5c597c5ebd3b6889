"""What a subject region is (:class:`SubjectRegion`), and the names it goes by."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.regions import Divisions, looks_like_name, short_forms
from ingest.vocab import load_vocabulary

__all__ = ["SubjectRegion", "NoSubjectRegion"]

#: How far into the body the statements of a document are looked for (a page's portal header,
#: the title, the congress line, the signature and "我代表…" come first).
HEAD_CHARS = 3000

_ZONE_SUFFIXES = ("新区", "高新区", "开发区", "经开区", "科技城", "自贸区", "试验区", "示范区", "园区",
                  "产业园", "保税区", "科学城", "生态城", "新城", "港区", "合作区")
_SELF_NAME_RE = re.compile(r"全委|全区|全市|全县|全镇")


class NoSubjectRegion(ValueError):
    """The document names no region it could be about."""


@dataclass(frozen=True)
class SubjectRegion:
    """The region a plan is about.

    ``code`` is the division code of the region itself (None for a zone or an anonymised region;
    for a division named by its name of the time, 徐水县, the code of the division today);
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


def _name(divisions: Divisions, code: str | None) -> str | None:
    return divisions.by_code[code].name if code and code in divisions.by_code else None


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
    if short:  # 宁波市 → 宁波, 新疆维吾尔自治区 → 新疆, 凉山彝族自治州 → 凉山
        aliases += short_forms(name)
    counts = Counter(a for a in aliases if a != name)
    return tuple(a for a, n in counts.most_common() if n >= 1)[:5]


def _make(divisions, name, kind, code, district_code, city_code, aliases, known, reasons):
    province_code = None
    for c in (code, district_code, city_code):
        if c:
            province_code = c[:2] + "0000"
            break
    return SubjectRegion(
        name=name, kind=kind, aliases=tuple(aliases), code=code,
        district=_name(divisions, district_code),
        district_code=district_code if _name(divisions, district_code) else None,
        city=_name(divisions, city_code), city_code=city_code if _name(divisions, city_code) else None,
        province=_name(divisions, province_code),
        province_code=province_code if _name(divisions, province_code) else None,
        zone_iri=str(known.iri) if known else None,
        zone_type=str(known.zone_type) if known and known.zone_type else None,
        reasons=tuple(reasons),
    )
