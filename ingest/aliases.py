"""One thing, one name: a document's short and long names for the same thing become one entity.

A plan names the same thing in several ways. Within one document:

- a zone by its full and its short type name (浙东南国家自主创新示范区, 浙东南国家自创区): the same
  head before two names of one zone type (``zones.ttl`` labels) is one zone;
- a zone by its type alone (国家自创区) when the document names exactly one zone of that type;
- an enterprise with and without its company word (均胜集团, 均胜): one enterprise;
- anything by an abbreviation the text gives in brackets (北京航空航天大学（以下简称“北航”）).

Each group is named by its longest name; the other names stay on the facts as ``alias`` (they
become ``skos:altLabel`` in the graph). Different documents are not merged here: entity IRIs do that
for names that mean the same thing everywhere (see :mod:`ingest.rdf`).

Examples
--------
>>> from ingest.vocab import load_vocabulary
>>> canonical_names(["浙东南国家自主创新示范区", "浙东南国家自创区", "国家自创区"], "zone",
...                 load_vocabulary())["国家自创区"]
'浙东南国家自主创新示范区'
>>> canonical_names(["均胜集团", "均胜"], "institution", load_vocabulary())
{'均胜': '均胜集团'}
"""

from __future__ import annotations

import re

from ingest.regions import Divisions
from ingest.vocab import Vocabulary

__all__ = ["canonical_names", "bracket_abbreviations", "COMPANY_WORDS", "ABBREVIATION"]

#: Words that end an enterprise's name and may be left out when the plan names it again.
COMPANY_WORDS = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "股份", "控股", "科技")

#: A bracket that defines an abbreviation: （北航）, （以下简称“北航”）.
ABBREVIATION = re.compile(
    r"[（(](?:以下)?(?:简称|下称)?[“\"]?([\u4e00-\u9fffA-Za-z0-9]{2,8})[”\"]?[)）]")


def _zone_key(name: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """(head, zone type IRI) of a zone name: 浙东南国家自创区 → (浙东南, …innovation-demo-zone)."""
    for length in range(min(len(name), 12), 1, -1):
        ztype = vocab.zone_types.get(name[-length:])
        if ztype is not None:
            return name[:-length], str(ztype)
    return None


def _plain(text: str) -> str:
    return re.sub(r"[“”\"'‘’「」『』《》]", "", text)


def canonical_names(names, entity_type: str, vocab: Vocabulary) -> dict[str, str]:
    """Map each name of ``names`` that is another name of a longer one to that longer name.

    Parameters
    ----------
    names : iterable of str
        The names of one entity type found in one document.
    entity_type : str
        ``"zone"`` or ``"institution"`` (other types are returned unmerged).
    vocab : Vocabulary
        Supplies the zone types and their labels.

    Returns
    -------
    dict
        ``{short name: canonical name}`` for the names that change; names not in it keep their name.
        A zone type's bare name that could be any of several named zones maps to ``""``: it names
        no entity of its own.
    """
    if entity_type not in ("zone", "institution", "project", "industry", "talent_programme"):
        raise ValueError(f"unknown entity type {entity_type!r}")
    names = sorted(set(names), key=lambda n: (-len(n), n))
    out: dict[str, str] = {}
    if entity_type == "zone":
        by_key: dict[tuple[str, str], str] = {}
        by_type: dict[str, set[str]] = {}
        for name in names:
            key = _zone_key(name, vocab)
            if key is None:
                continue
            head, ztype = key
            if not head:
                continue
            if key in by_key:
                out[name] = by_key[key]
            else:
                by_key[key] = name
                by_type.setdefault(ztype, set()).add(name)
        for name in names:
            # “一带一路”综试区 for 宁波“一带一路”建设综合试验区: a short head inside one longer zone's
            # head, with a name of the same zone type.
            key = _zone_key(name, vocab)
            if key is None or name in out or len(_plain(key[0])) < 2:
                continue
            longer = [n for n in by_type.get(key[1], ()) if n != name and _plain(key[0]) in _plain(_zone_key(n, vocab)[0])
                      and len(n) > len(name)]
            if len(longer) == 1:
                out[name] = longer[0]
        for name in names:
            key = _zone_key(name, vocab)
            if key is None or key[0]:
                continue
            named = by_type.get(key[1], set())
            if len(named) == 1:
                out[name] = next(iter(named))
            elif len(named) > 1:
                out[name] = ""  # 国家自创区 beside two named ones: which one is not said
    elif entity_type == "institution":
        for name in names:
            # 新材料联合研究院 for 宁波新材料联合研究院: the same name without its place.
            longer = [n for n in names if n != name and n.endswith(name) and len(n) - len(name) <= 3
                      and n[: len(n) - len(name)] in Divisions.default().by_name]
            if len(longer) == 1:
                out[name] = longer[0]
        for name in names:
            for word in COMPANY_WORDS:
                stem = name[: -len(word)]
                if name.endswith(word) and len(stem) >= 2 and stem in names and stem not in out:
                    out[stem] = out.get(name, name)
    return out


def bracket_abbreviations(text: str, spans) -> dict[str, str]:
    """Abbreviations the text defines in brackets right after a name: ``{abbreviation: name}``.

    ``spans`` are ``(start, end, name)`` of the names found in ``text``.

    Examples
    --------
    >>> t = "与北京航空航天大学（以下简称“北航”）合作。"
    >>> bracket_abbreviations(t, [(1, 9, "北京航空航天大学")])
    {'北航': '北京航空航天大学'}
    """
    out = {}
    for start, end, name in spans:
        match = ABBREVIATION.match(text, end)
        if match and match.group(1) != name and len(match.group(1)) < len(name) \
                and match.group(1) not in Divisions.default().by_name:  # （合肥）: a place, not a short name
            out[match.group(1)] = name
    return out
