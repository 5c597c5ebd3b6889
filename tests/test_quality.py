"""Extraction quality on both development sets, guarded: a figure that drops below its floor fails.

The floors are the figures measured when they were last raised (with `regionkg evaluate`), less
0.02 for harmless reordering. They are not the targets: issue 3 asks lenient F1 >= 0.85 and exact
F1 >= 0.75 per type; raise a floor whenever extraction improves, never lower one to pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.evaluate import load_gold_dir, score
from ingest.extract import extract
from ingest.read import read_source

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent

# (lenient F1, exact F1) per type, measured 2026-11-22 (README "Extraction quality").
FLOORS = {
    "samples": {
        "zones": (0.563, 0.369), "industries": (0.783, 0.681), "projects": (0.767, 0.686),
        "institutions": (0.609, 0.522), "talent_programmes": (0.966, 0.897),
    },
    "dev2": {
        "zones": (0.794, 0.611), "industries": (0.823, 0.667), "projects": (0.699, 0.590),
        "institutions": (0.864, 0.757), "talent_programmes": (0.919, 0.811),
    },
}
SETS = {"samples": (DATA / "gold", ROOT / "data" / "samples"), "dev2": (DATA / "dev2", DATA / "dev2")}


@pytest.fixture(scope="module", params=sorted(SETS))
def evaluation(request):
    gold_dir, docs = SETS[request.param]
    gold = load_gold_dir(gold_dir)
    predicted = {name: extract(read_source(docs / name)).to_gold() for name in gold}
    return request.param, score(gold, predicted)


@pytest.mark.parametrize("entity_type", ["zones", "industries", "projects", "institutions", "talent_programmes"])
def test_extraction_keeps_its_measured_quality(evaluation, entity_type):
    name, result = evaluation
    row = result.types[entity_type]
    lenient_floor, exact_floor = FLOORS[name][entity_type]
    assert row.f1_lenient >= lenient_floor - 0.02, (name, entity_type, row.f1_lenient)
    assert row.f1_exact >= exact_floor - 0.02, (name, entity_type, row.f1_exact)


def test_every_subject_region_with_its_city_and_province_is_right(evaluation):
    name, result = evaluation
    wrong = [r for r in result.subject_regions.values() if not r.right]
    assert not wrong, (name, wrong)
