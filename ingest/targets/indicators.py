"""The indicator scheme: the concepts of ``ontology/indicators.ttl`` and their labels, the concept of
an indicator as written, and a target as an item of the gold format.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.targets.grammar import Target

__all__ = ["indicator_concepts", "concept_of", "to_gold_item"]


@lru_cache(maxsize=1)
def indicator_concepts() -> dict[str, str]:
    """Surface form → concept IRI, from the prefLabels and altLabels of ``ontology/indicators.ttl``.

    Examples
    --------
    >>> indicator_concepts()["规上工业增加值增长"].rsplit("/", 1)[-1]
    'industry-value-added-growth'
    """
    from rdflib import RDF, SKOS

    from ontology import RKG, load

    graph = load("indicators")
    out = {}
    for concept in graph.subjects(RDF.type, RKG.Indicator):
        for pred in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, pred):
                if getattr(label, "language", None) in (None, "zh"):
                    out.setdefault(_normal(str(label)), str(concept))
    return out


@lru_cache(maxsize=1)
def _concept_labels() -> dict[str, str]:
    from rdflib import RDF, SKOS

    from ontology import RKG, load

    graph = load("indicators")
    return {str(c): str(label) for c in graph.subjects(RDF.type, RKG.Indicator)
            for label in graph.objects(c, SKOS.prefLabel) if getattr(label, "language", None) == "zh"}


def _normal(text: str) -> str:
    return text.replace("增速", "增长").replace("（", "(").replace("）", ")").replace(" ", "")


_INCREASE = re.compile(r"新增|净增|新认定|新培育|新引进|增加")


def concept_of(indicator: str) -> str | None:
    """The concept IRI of an indicator as written: the longest scheme label that ends it, else None.

    Examples
    --------
    >>> concept_of("全省生产总值增长").rsplit("/", 1)[-1]
    'gdp-growth'
    >>> concept_of("农村常住居民人均可支配收入增长").rsplit("/", 1)[-1]
    'rural-income-growth'
    >>> concept_of("新建5G基站") is None
    True
    >>> concept_of("新增高新技术企业") is None  # an increase, not the stock
    True
    """
    text = _normal(indicator or "")
    concepts = indicator_concepts()
    for i in range(len(text)):
        concept = concepts.get(text[i:])
        if concept is not None and len(text) - i >= 2:
            if _INCREASE.search(text[:i]) and not _INCREASE.search(text[i:]):
                return None  # 新增高新技术企业 is an increase, not the stock the concept counts
            return concept
    return None


def to_gold_item(target: Target) -> dict:
    """A target as an item of the gold format's ``"targets"`` list (concept by its label).

    Examples
    --------
    >>> from ingest.targets import find_targets
    >>> t = find_targets("今年地区生产总值增长5%左右。", 2026)[0]
    >>> to_gold_item(t)["concept"], to_gold_item(t)["value"]
    ('地区生产总值增长', 5)
    """
    def number(v):
        return None if v is None else (int(v) if float(v).is_integer() else v)

    return {"indicator": target.indicator,
            "concept": _concept_labels().get(target.concept) if target.concept else None,
            "value": number(target.value), "value_max": number(target.value_max), "unit": target.unit,
            "comparator": target.comparator, "year": target.year, "kind": target.kind, "text": target.text}
