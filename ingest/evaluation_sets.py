"""The annotated sets regionkg measures itself on, and whether the learned recogniser saw them.

- ``samples``: the five sample plans (``data/samples``) with their hand annotations
  (``tests/data/gold``), the set the rules were first written on;
- ``gold-real A`` and ``gold-real B``: two halves, split by document, of the real government
  reports annotated by hand (``tests/data/gold-real``, texts in ``tests/data/real``); rules are
  changed on one half and kept only if the other confirms them;
- ``gold-real``: both halves together;
- ``targets development`` and ``targets held-out``: the two halves, split by document, of the real
  reports annotated for their targets and results (``tests/data/gold-targets``); the target grammar
  (``ingest/targets/``) was written on the texts of the development half and never on the
  held-out half, whose figures are the ones to expect on unseen reports.

The learned recogniser's ``meta.json`` lists the documents it was trained on; :func:`evaluate_sets`
says for each set how many of its documents those are, so that a figure on documents the
recogniser learned from is never read as one on unseen documents.

Examples
--------
>>> [s.name for s in SETS]
['samples', 'gold-real A', 'gold-real B', 'gold-real']
>>> len(HALVES["A"]), len(HALVES["B"])
(7, 7)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EvaluationSet", "SETS", "HALVES", "TARGET_HALVES", "TARGET_SETS", "evaluate_sets",
           "evaluate_target_sets", "trained_on"]

_REPO = Path(__file__).resolve().parents[1]
_REAL_GOLD = _REPO / "tests" / "data" / "gold-real"
_REAL_TEXTS = _REPO / "tests" / "data" / "real"

#: The two halves of ``tests/data/gold-real``, split by document (each with one local report).
HALVES = {
    "A": ("04_zhumadian_2021_zfgzbg", "2026_上海市_政府工作报告", "2026_山东省_政府工作报告",
          "2026_新疆维吾尔自治区_政府工作报告", "2026_河南省_政府工作报告", "2026_湖南省_政府工作报告",
          "2026_辽宁省_政府工作报告"),
    "B": ("18_xinan_2024_zfgzbg", "2026_北京市_政府工作报告", "2026_广西壮族自治区_政府工作报告",
          "2026_江苏省_政府工作报告", "2026_海南省_政府工作报告", "2026_福建省_政府工作报告",
          "2026_黑龙江省_政府工作报告"),
}


@dataclass(frozen=True)
class EvaluationSet:
    """A set: its ``name``, the folder of its ``gold`` files, the folder of its ``texts``, and the
    stems of its documents (None: every gold file)."""

    name: str
    gold: Path
    texts: Path
    stems: tuple[str, ...] | None = None

    def documents(self) -> list[tuple[str, Path]]:
        """(gold file name's stem, text path) of each document of the set.

        Raises
        ------
        FileNotFoundError
            If a document's text or the set's folders are missing (a package installed without
            the repository's tests has no sets).
        """
        if not self.gold.is_dir():
            raise FileNotFoundError(f"the set {self.name!r} needs {self.gold}: run from a clone of regionkg")
        stems = self.stems or tuple(sorted(p.stem for p in self.gold.glob("*.json")))
        out = []
        for stem in stems:
            found = sorted(self.texts.glob(f"**/{stem}.txt"))
            if not found:
                raise FileNotFoundError(f"no text {stem}.txt under {self.texts} for the set {self.name!r}")
            out.append((stem, found[0]))
        return out


#: The two halves of ``tests/data/gold-targets``: the grammar was tuned on ``development`` only.
TARGET_HALVES = {
    "development": ("2026_河北省_政府工作报告", "2026_北京市_政府工作报告", "2026_贵州省_政府工作报告",
                    "05_zhumadian_2026_zfgzbg", "天门", "东营"),
    "held-out": ("2026_河南省_政府工作报告", "2026_甘肃省_政府工作报告", "2026_新疆维吾尔自治区_政府工作报告",
                 "18_xinan_2024_zfgzbg", "15_gaoyang_2017_zfgzbg", "咸宁"),
}
_TARGET_GOLD = _REPO / "tests" / "data" / "gold-targets"

SETS = (
    EvaluationSet("samples", _REPO / "tests" / "data" / "gold", _REPO / "data" / "samples"),
    EvaluationSet("gold-real A", _REAL_GOLD, _REAL_TEXTS, HALVES["A"]),
    EvaluationSet("gold-real B", _REAL_GOLD, _REAL_TEXTS, HALVES["B"]),
    EvaluationSet("gold-real", _REAL_GOLD, _REAL_TEXTS),
)

#: The sets the target grammar is scored on (``ingest.evaluate_targets``).
TARGET_SETS = (
    EvaluationSet("targets development", _TARGET_GOLD, _REAL_TEXTS, TARGET_HALVES["development"]),
    EvaluationSet("targets held-out", _TARGET_GOLD, _REAL_TEXTS, TARGET_HALVES["held-out"]),
)


def trained_on(model: Path | None = None) -> frozenset[str]:
    """The stems of the documents the learned recogniser of ``model`` (a directory the trainer
    wrote; default: the shipped one) was trained on."""
    from ingest.recognise.learned import MODEL_DIR, read_meta

    return frozenset(read_meta(MODEL_DIR if model is None else model).get("trained_on", ()))


def evaluate_sets(extract_gold, sets=SETS, model: Path | None = None):
    """Yield ``(set, evaluation, seen)`` for each set: ``extract_gold(path)`` gives a document's
    prediction in the gold format; ``seen`` is how many of the set's documents the learned
    recogniser (of ``model``, default the shipped one) was trained on."""
    from ingest.evaluate import load_gold_dir, score

    seen_stems = trained_on(model)
    for evaluation_set in sets:
        documents = evaluation_set.documents()
        wanted = {f"{stem}.txt" for stem, _ in documents}
        gold = {doc: data for doc, data in load_gold_dir(evaluation_set.gold).items() if doc in wanted}
        predicted = {path.name: extract_gold(path) for _, path in documents}
        seen = sum(1 for stem, _ in documents if stem in seen_stems)
        yield evaluation_set, score(gold, predicted), seen


def evaluate_target_sets(extract_gold, sets=TARGET_SETS):
    """Yield ``(set, scores)`` for each set of :data:`TARGET_SETS`: ``extract_gold(path)`` gives a
    document's prediction in the gold format (with its ``"targets"``); ``scores`` is a
    :class:`ingest.evaluate_targets.TargetScores` (full and value alone)."""
    from ingest.evaluate_targets import load_target_gold_dir, score_targets

    for evaluation_set in sets:
        documents = evaluation_set.documents()
        gold = load_target_gold_dir(evaluation_set.gold, [stem for stem, _ in documents])
        predicted = {path.name: extract_gold(path) for _, path in documents}
        yield evaluation_set, score_targets(gold, predicted)
