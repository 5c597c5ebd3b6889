"""Named things of the authoritative reference lists, found in text and keyed by their codes.

The national catalogue of development zones (2018), the Ministry of Education's universities (2025)
and the A-share listed companies, read through :mod:`ontology.gazetteers`, become one index of
surface forms: a zone by its catalogue name and the short type name plans use for it
(宁波经济技术开发区, 宁波经开区), a university by its name, a company by its full name and its stock
short name without the trading marks (*ST, A). Each entry is keyed by its list's own code, so a zone
that many documents and years name is one node (:func:`entry_iri`).

Examples
--------
>>> gaz = load_gazetteer()
>>> [(e.name, e.code) for e in gaz.by_surface["宁波经开区"]]
[('宁波经济技术开发区', 'G331020')]
>>> [(s, e[0].type, e[0].kind) for _, _, s, e in gaz.find("推动北京大学与宁波经开区合作")]
[('北京大学', 'institution', 'university'), ('宁波经开区', 'zone', '经济技术开发区')]
>>> str(entry_iri(gaz.by_surface["北京大学"][0]))
'https://w3id.org/regionkg/entity/institution-moe4111010001'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
from rdflib import Namespace, URIRef

from ontology import BASE, RGN
from ontology.gazetteers import rows

__all__ = ["Entry", "Gazetteer", "load_gazetteer", "entry_iri", "ZONE_SHORT_TYPES"]

#: The short type names plans use for a catalogue zone's type word.
ZONE_SHORT_TYPES = {
    "经济技术开发区": "经开区",
    "高新技术产业开发区": "高新区",
    "综合保税区": "综保区",
    "经济开发区": "经开区",
}

_ENT = Namespace(BASE + "entity/")
_TRADING_MARKS = re.compile(r"^(?:\*?ST|S\*ST|SST|XD|XR|DR)|[AB]$")


@dataclass(frozen=True)
class Entry:
    """One thing of a reference list: ``source`` (the list), its ``code`` there, its official
    ``name``, the entity ``type`` it is (zone or institution), its ``kind`` (the zone type as the
    list names it, or university / enterprise), and where it is (``province``, ``city``)."""

    source: str
    code: str
    name: str
    type: str
    kind: str
    province: str = ""
    city: str = ""
    alt_names: tuple[str, ...] = ()


class Gazetteer:
    """An index of the reference lists' surface forms (``by_surface``: form → entries)."""

    def __init__(self, entries):
        self.entries = tuple(entries)
        self.by_surface: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for form in _surface_forms(entry):
                if len(form) >= 2:
                    bucket = self.by_surface.setdefault(form, [])
                    if entry not in bucket:
                        bucket.append(entry)
        self._automaton = ahocorasick.Automaton()
        for form in self.by_surface:
            self._automaton.add_word(form, form)
        self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str, list[Entry]]]:
        """Every surface form in ``text``, longest first at each position, non-overlapping:
        ``(start, end, form, entries)``."""
        hits = sorted(((end - len(form) + 1, end + 1, form) for end, form in self._automaton.iter(text)),
                      key=lambda h: (h[0], -(h[1] - h[0])))
        out, last = [], -1
        for start, end, form in hits:
            if start >= last:
                out.append((start, end, form, self.by_surface[form]))
                last = end
        return out

    def lookup(self, name: str, entity_type: str, *, province: str | None = None) -> Entry | None:
        """The one entry of ``entity_type`` named ``name`` (preferring one in ``province``), or None
        when there is none or the name is ambiguous."""
        found = [e for e in self.by_surface.get(name, ()) if e.type == entity_type]
        if province and len(found) > 1:
            found = [e for e in found if e.province and province.startswith(e.province)] or found
        return found[0] if len(found) == 1 else None


def entry_iri(entry: Entry) -> URIRef:
    """The node of a reference-list entry, keyed by its list's code: a zone by its catalogue code
    (``rgn:zone-G331020``), a university by its Ministry code, a company by its stock code."""
    if entry.source == "development_zones":
        return RGN[f"zone-{entry.code}"]
    if entry.source == "universities":
        return _ENT[f"institution-moe{entry.code}"]
    return _ENT[f"institution-{entry.code}"]


def _surface_forms(entry: Entry) -> list[str]:
    return [entry.name, *entry.alt_names]


def _zone_short_names(name: str) -> tuple[str, ...]:
    """宁波经济技术开发区 → 宁波经开区: the short type name plans use."""
    for long, short in ZONE_SHORT_TYPES.items():
        if name.endswith(long) and len(name) > len(long) + 1:
            return (name[: -len(long)] + short,)
    return ()


def _stock_short_names(short_name: str) -> tuple[str, ...]:
    """A stock short name without its trading marks (*ST国华 → 国华), if it reads as a name."""
    short = _TRADING_MARKS.sub("", short_name).strip()
    return (short,) if len(short) >= 2 and _name_like(short) else ()


def _name_like(word: str) -> bool:
    """A stock short name that reads as a name in running text, not a common word (农产品, 美丽生态)."""
    from ingest.regions import word_tag

    tag = word_tag(word)
    return tag is None or tag[1] in ("nz", "nt", "nr", "nrt", "j")


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The index of every reference list (built once)."""
    entries = []
    for row in rows("development_zones"):
        entries.append(Entry("development_zones", row["code"], row["name"], "zone", row["zone_type"],
                             row["province"], row["city_inferred"], _zone_short_names(row["name"])))
    for row in rows("universities"):
        entries.append(Entry("universities", row["moe_id"], row["name"], "institution", "university",
                             row["province"], row["city"]))
    for row in rows("listed_companies"):
        name = row["full_name_cn"] or row["short_name"]
        entries.append(Entry("listed_companies", row["ts_code"], name, "institution", "enterprise",
                             row["province"], row["city"], _stock_short_names(row["short_name"])))
    return Gazetteer(entries)
