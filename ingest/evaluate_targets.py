"""Scoring the ``"targets"`` lists of extraction against gold annotations of targets and results.

The rules are those of ``tests/data/gold-targets/README.md``: per document, gold and extracted items
are matched one to one (a maximum matching of the bipartite graph of agreeing pairs, networkx's
Hopcroft–Karp); **full** agreement is value, value_max, unit, year and kind equal and the indicator
agreeing (the same concept where both have one, otherwise one indicator containing the other once
增速 is read as 增长); **value alone** is value, value_max and unit equal. Precision, recall and F1
are summed over the documents of a set.

Examples
--------
>>> gold = {"a.txt": {"targets": [
...     {"indicator": "地区生产总值增长", "concept": "地区生产总值增长", "value": 5, "value_max": None,
...      "unit": "%", "year": 2026, "kind": "target"},
...     {"indicator": "城镇调查失业率", "concept": "城镇调查失业率", "value": 5.5, "value_max": None,
...      "unit": "%", "year": 2026, "kind": "target"}]}}
>>> predicted = {"a.txt": {"targets": [
...     {"indicator": "生产总值增长", "concept": "地区生产总值增长", "value": 5, "value_max": None,
...      "unit": "%", "year": 2026, "kind": "target"},
...     {"indicator": "城镇调查失业率", "concept": "城镇调查失业率", "value": 5.5, "value_max": None,
...      "unit": "%", "year": 2025, "kind": "result"}]}}
>>> s = score_targets(gold, predicted)
>>> s.full.precision, s.full.recall, s.value.f1
(0.5, 0.5, 1.0)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Counts", "TargetScores", "TargetFormatError", "agrees", "same_value", "load_target_gold",
           "load_target_gold_dir", "score_targets", "format_target_table"]

_KEYS = ("indicator", "concept", "value", "value_max", "unit", "year", "kind")


class TargetFormatError(ValueError):
    """A gold or predicted file that does not follow the targets format; the message names it."""


@dataclass
class Counts:
    """Matched, gold and predicted items, and the ratios they give."""

    matched: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"matched": self.matched, "gold": self.gold, "predicted": self.predicted,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class TargetScores:
    """Full and value-alone counts of a set, and per document."""

    full: Counts = field(default_factory=Counts)
    value: Counts = field(default_factory=Counts)
    documents: dict = field(default_factory=dict)  # doc → {"full": Counts, "value": Counts}

    def to_dict(self) -> dict:
        return {"full": self.full.to_dict(), "value": self.value.to_dict(),
                "documents": {d: {k: c.to_dict() for k, c in v.items()} for d, v in self.documents.items()}}


def _number(v):
    return None if v is None else float(v)


def _unit(u):
    return None if u is None else str(u).replace("％", "%").strip() or None


def same_value(gold: Mapping, predicted: Mapping) -> bool:
    """Value, value_max and unit equal (a masked value is None on both sides).

    Examples
    --------
    >>> same_value({"value": 5, "value_max": None, "unit": "%"}, {"value": 5.0, "value_max": None, "unit": "％"})
    True
    """
    a, b = _number(gold.get("value")), _number(predicted.get("value"))
    if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-9):
        return False
    a, b = _number(gold.get("value_max")), _number(predicted.get("value_max"))
    if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-9):
        return False
    return _unit(gold.get("unit")) == _unit(predicted.get("unit"))


def _indicator_text(text) -> str:
    return str(text or "").replace("增速", "增长").replace(" ", "")


def agrees(gold: Mapping, predicted: Mapping) -> bool:
    """Full agreement: the same value, year and kind, and the indicator agreeing.

    Examples
    --------
    >>> g = {"indicator": "规上工业增加值增速", "concept": None, "value": 7, "value_max": None,
    ...      "unit": "%", "year": 2025, "kind": "result"}
    >>> agrees(g, {**g, "indicator": "全省规上工业增加值增长"})
    True
    >>> agrees(g, {**g, "kind": "target"})
    False
    """
    if not same_value(gold, predicted):
        return False
    if gold.get("year") != predicted.get("year") or gold.get("kind") != predicted.get("kind"):
        return False
    if gold.get("concept") and predicted.get("concept"):
        return gold["concept"] == predicted["concept"]
    a, b = _indicator_text(gold.get("indicator")), _indicator_text(predicted.get("indicator"))
    return bool(a and b) and (a in b or b in a)


def _matched(gold: list, predicted: list, same) -> int:
    """The size of a maximum one-to-one matching of ``gold`` and ``predicted`` items under ``same``."""
    import networkx as nx

    G = nx.Graph()
    top = [("g", i) for i in range(len(gold))]
    G.add_nodes_from(top)
    G.add_nodes_from(("p", j) for j in range(len(predicted)))
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if same(g, p):
                G.add_edge(("g", i), ("p", j))
    if not G.number_of_edges():
        return 0
    matching = nx.bipartite.hopcroft_karp_matching(G, top_nodes=top)
    return sum(1 for node in matching if node[0] == "g")


def score_targets(gold_docs: Mapping, predicted_docs: Mapping) -> TargetScores:
    """Full and value-alone precision, recall and F1 of ``predicted_docs`` against ``gold_docs``.

    Both map a document's file name to its gold-format dict (with a ``"targets"`` list); a document
    of the gold that has no prediction counts as predicting nothing.

    Raises
    ------
    TargetFormatError
        If a ``"targets"`` list or an item is not in the format (the message names the document).
    """
    scores = TargetScores()
    for doc, gold in gold_docs.items():
        g = _targets(gold, doc)
        p = _targets(predicted_docs.get(doc) or {"targets": []}, doc)
        full = Counts(_matched(g, p, agrees), len(g), len(p))
        value = Counts(_matched(g, p, same_value), len(g), len(p))
        scores.documents[doc] = {"full": full, "value": value}
        for total, part in ((scores.full, full), (scores.value, value)):
            total.matched += part.matched
            total.gold += part.gold
            total.predicted += part.predicted
    return scores


def _targets(data, doc) -> list:
    if not isinstance(data, Mapping):
        raise TargetFormatError(f"{doc}: expected an object with a 'targets' list, got {type(data).__name__}")
    items = data.get("targets")
    if not isinstance(items, list):
        raise TargetFormatError(f"{doc}: 'targets' must be a list, got {items!r}")
    for k, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise TargetFormatError(f"{doc}: targets[{k}] must be an object, got {item!r}")
        if item.get("kind") not in ("target", "result"):
            raise TargetFormatError(f"{doc}: targets[{k}].kind must be 'target' or 'result', got {item.get('kind')!r}")
        for key in ("value", "value_max"):
            v = item.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                raise TargetFormatError(f"{doc}: targets[{k}].{key} must be a number or null, got {v!r}")
    return list(items)


def load_target_gold(path) -> dict:
    """One gold file of targets (``{"doc": …, "year": …, "targets": [...]}``), checked.

    Raises
    ------
    TargetFormatError
        If the file is not JSON or not in the format; the message names the file.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise TargetFormatError(f"{path}: cannot read it as JSON: {e}") from e
    if not isinstance(data, Mapping) or not isinstance(data.get("doc"), str):
        raise TargetFormatError(f"{path}: expected an object with 'doc' and 'targets'")
    _targets(data, str(path))
    return data


def load_target_gold_dir(directory, stems=None) -> dict:
    """``doc`` → gold of every ``*.json`` of ``directory`` (only ``stems`` when given), by file name.

    Raises
    ------
    FileNotFoundError
        If the directory, or a named stem's file, is missing.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"no folder of target gold files at {directory}")
    paths = sorted(directory.glob("*.json")) if stems is None else [directory / f"{s}.json" for s in stems]
    out = {}
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"no gold file {path}")
        data = load_target_gold(path)
        out[data["doc"]] = data
    return out


def format_target_table(scores: TargetScores) -> str:
    """The full and value-alone figures of a set as a small table."""
    lines = [f"{'targets':<14}{'gold':>6}{'pred':>6}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}"]
    for name, c in (("full", scores.full), ("value alone", scores.value)):
        lines.append(f"{name:<14}{c.gold:>6}{c.predicted:>6}{c.matched:>7}{c.precision:>8.3f}"
                     f"{c.recall:>8.3f}{c.f1:>8.3f}")
    return "\n".join(lines)
