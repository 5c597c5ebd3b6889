"""Extraction quality on the annotated sets, guarded per entity type.

Two guards per (set, type):

- the **floor**: the figure measured when it was last raised (``regionkg evaluate``), less 0.02 for
  harmless reordering; a drop below it fails. Raise a floor whenever extraction improves, never
  lower one to pass.
- the **target**: on the development sets (samples, dev2) issue 3's lenient F1 >= 0.85 and exact
  F1 >= 0.75; on each half of the annotated real reports (``gold-real A``, ``gold-real B``) issue
  11's lenient F1 >= 0.80 and exact F1 >= 0.70. Where a target is not met yet, its test is a strict
  expected failure (listed in ``NOT_YET``): it shows in every run as ``xfail``, and it fails (XPASS
  strict) the day the target is reached, so the list stays true.

The learned recogniser never saw ``gold-real B`` (its ``meta.json`` says what it was trained on):
that half's figures are held-out figures; ``gold-real A`` was in its training set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from ingest.evaluate import load_gold_dir, score
from ingest.evaluation_sets import SETS as REAL_SETS, evaluate_sets, trained_on
from ingest.extract import extract
from ingest.read import read_source

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent
TYPES = ["zones", "industries", "projects", "institutions", "talent_programmes"]

#: The targets, (lenient F1, exact F1) for every type: issue 3's on the development sets, issue
#: 11's on the real reports.
TARGETS = {"samples": (0.85, 0.75), "dev2": (0.85, 0.75), "gold-real A": (0.80, 0.70),
           "gold-real B": (0.80, 0.70)}

# (lenient F1, exact F1) per type, last raised 2026-12-07, measured with `regionkg evaluate` (the real sets
# and the samples) and `regionkg evaluate --gold tests/data/<set> tests/data/<set>` (dev2, heldout).
FLOORS = {
    "samples": {
        "zones": (0.870, 0.817), "industries": (0.958, 0.950), "projects": (0.904, 0.821),
        "institutions": (0.877, 0.860), "talent_programmes": (0.929, 0.857),
    },
    # heldout: written for the project in the samples' style, never tuned on; a guard against
    # regressions only. Its floors were the rules' figures (lenient 0.850 0.826 0.783 0.823 0.759)
    # until the learned recogniser took over (2026-12-07): on real reports it never saw (gold-real B)
    # it gains 0.118 lenient F1 over all types (0.553 -> 0.671); on this synthetic set it loses 0.014.
    "heldout": {
        "zones": (0.797, 0.719), "industries": (0.883, 0.834), "projects": (0.762, 0.610),
        "institutions": (0.797, 0.696), "talent_programmes": (0.690, 0.621),
    },
    "dev2": {
        "zones": (0.906, 0.892), "industries": (0.981, 0.976), "projects": (0.948, 0.936),
        "institutions": (0.963, 0.938), "talent_programmes": (0.947, 0.947),
    },
    "gold-real A": {  # in the learned recogniser's training set: a development figure
        "zones": (0.832, 0.781), "industries": (0.932, 0.904), "projects": (0.872, 0.787),
        "institutions": (0.854, 0.801), "talent_programmes": (0.833, 0.750),
    },
    "gold-real B": {  # never seen by the learned recogniser: the held-out figure
        "zones": (0.631, 0.560), "industries": (0.800, 0.751), "projects": (0.600, 0.513),
        "institutions": (0.588, 0.535), "talent_programmes": (0.686, 0.400),
    },
}

#: (set, type) pairs whose target is not met yet.
NOT_YET: set[tuple[str, str]] = {("gold-real B", t) for t in TYPES if t != "industries"}

SETS = {"samples": (DATA / "gold", ROOT / "data" / "samples", None),
        "dev2": (DATA / "dev2", DATA / "dev2", None),
        "heldout": (DATA / "heldout", DATA / "heldout", None)}
SETS.update({s.name: (s.gold, s.texts, s) for s in REAL_SETS if s.name in ("gold-real A", "gold-real B")})


def _extract_gold(path: Path) -> dict:
    return extract(read_source(path)).to_gold()


@lru_cache(maxsize=None)
def _evaluate(name: str):
    gold_dir, texts, real = SETS[name]
    if real is not None:
        ((_, result, _seen),) = evaluate_sets(_extract_gold, sets=(real,))
        return result
    gold = load_gold_dir(gold_dir)
    return score(gold, {doc: _extract_gold(texts / doc) for doc in gold})


@pytest.fixture(params=sorted(SETS))
def evaluation(request):
    return request.param, _evaluate(request.param)


@pytest.mark.parametrize("entity_type", TYPES)
def test_extraction_keeps_its_measured_quality(evaluation, entity_type):
    name, result = evaluation
    row = result.types[entity_type]
    lenient_floor, exact_floor = FLOORS[name][entity_type]
    assert row.f1_lenient >= lenient_floor - 0.02, (name, entity_type, row.f1_lenient)
    assert row.f1_exact >= exact_floor - 0.02, (name, entity_type, row.f1_exact)


@pytest.mark.parametrize("name", sorted(TARGETS))  # the synthetic held-out set has floors, no target
@pytest.mark.parametrize("entity_type", TYPES)
def test_extraction_meets_the_issue_target(request, name, entity_type):
    result = _evaluate(name)
    if (name, entity_type) in NOT_YET:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"{name} {entity_type}: target not met yet"))
    row = result.types[entity_type]
    lenient, exact = TARGETS[name]
    # 1e-9: F1 = 820/1025 is 0.8 exactly, computed as 0.7999999999999999
    assert row.f1_lenient >= lenient - 1e-9, (name, entity_type, "lenient", round(row.f1_lenient, 3))
    assert row.f1_exact >= exact - 1e-9, (name, entity_type, "exact", round(row.f1_exact, 3))


def test_every_subject_region_with_its_city_and_province_is_right(evaluation):
    name, result = evaluation
    wrong = [r for r in result.subject_regions.values() if not r.right]
    assert not wrong, (name, wrong)


def test_the_held_out_half_was_never_seen_by_the_learned_recogniser():
    # Its figures are reported as held-out figures; they would be development figures otherwise.
    stems = {stem for stem, _ in SETS["gold-real B"][2].documents()}
    assert stems and not stems & trained_on()
