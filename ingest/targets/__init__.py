"""Quantitative targets and results (指标): every number a plan states for its region, read by a grammar.

A *target* is a number the plan commits to (``kind="target"``: 预期目标, 力争, 到2027年 …), a *result*
one it reports as achieved (``kind="result"``: the review of 过去一年, 五年来 …). Each is read as

    indicator phrase · verb · number (or a range, or a masked ``**``) · unit · comparator

within a clause; a distributive list (一二三产增加值分别增长3.5%左右、6%左右、5%左右) gives one item per
number, each with its share of the list's head. The kind comes from the tense cues of the sentence
(力争, 确保, 今年, 到2030年 … against 去年, 上年, 五年来 …) and of its section (the review against the
plan's 主要预期目标 and 重点工作); the year from the plan year, a year the sentence names, or the
period ("十五五" → 2030). Indicators are matched to the concepts of ``ontology/indicators.ttl``
(prefLabels and altLabels), longest label ending the indicator; what no concept matches keeps its
written form and becomes a provisional concept in the graph. The conventions are those of
``tests/data/gold-targets/README.md``.

Only regular expressions without nested repetition run over the text, sentence by sentence, so the
cost is linear in the text and no text can make it hang.

Examples
--------
>>> [(t.indicator, t.value, t.unit, t.comparator, t.year, t.kind)
...  for t in find_targets("主要预期目标是：地区生产总值增长5%左右，城镇调查失业率控制在5.5%以内。", 2026)]
[('地区生产总值增长', 5.0, '%', '左右', 2026, 'target'), ('城镇调查失业率', 5.5, '%', '以内', 2026, 'target')]
>>> [(t.indicator, t.value, t.year, t.kind) for t in find_targets("过去一年，全省生产总值增长5.1%。", 2026)]
[('生产总值增长', 5.1, 2025, 'result')]
"""

from __future__ import annotations

from ingest.targets.grammar import COMPARATORS, KINDS, Target, find_targets
from ingest.targets.indicators import concept_of, indicator_concepts, to_gold_item
from ingest.targets.numbers import parse_number

__all__ = ["Target", "KINDS", "COMPARATORS", "find_targets", "parse_number", "indicator_concepts",
           "concept_of", "to_gold_item"]
