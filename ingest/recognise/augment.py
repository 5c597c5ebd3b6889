"""More training text for the learned recogniser: the annotated documents with names swapped.

With some sixty annotated documents the recogniser learns many names by heart; on plans it never
saw, most of what it misses are names it has not met (README, "Extraction quality"). Swapping the
names of a document for other names of the same type from other documents (mention replacement,
as in Dai and Adel, "An Analysis of Simple Data Augmentation for Named Entity Recognition", 2020)
keeps every sentence's context and makes that context, and the name's own shape, what the
recogniser has to learn from.

Examples
--------
>>> from ingest.recognise.train import AnnotatedDocument
>>> a = AnnotatedDocument("a", "建设明月湖实验室。", {"institution": ["明月湖实验室"]})
>>> b = AnnotatedDocument("b", "支持长白山实验室。", {"institution": ["长白山实验室"]})
>>> [d.text for d in with_names_swapped([a, b], share=1.0)]
['建设长白山实验室。', '支持明月湖实验室。']
"""

from __future__ import annotations

import random

__all__ = ["with_names_swapped"]

def with_names_swapped(docs, *, share: float = 0.5, seed: int = 0) -> list:
    """Each of ``docs`` again, with about ``share`` of the occurrences of its names replaced by a
    name of the same type that another of ``docs`` has; a new document's names are its own and
    those put in (stem ``<stem>+swapped``).

    A list item whose name the text does not write out (金凤 of 金凤、明月湖实验室) stays as it is.

    Raises
    ------
    ValueError
        If ``share`` is not between 0 and 1.
    """
    from ingest.recognise.train import AnnotatedDocument, gold_spans, without_quotes

    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must be between 0 and 1, got {share!r}")
    rng = random.Random(seed)
    pool: dict[str, list[tuple[str, str]]] = {}
    for doc in docs:
        for etype, names in doc.names.items():
            pool.setdefault(etype, []).extend((doc.stem, n) for n in names if len(without_quotes(n)) >= 2)
    out = []
    for doc in docs:
        whole = {etype: {without_quotes(n) for n in names} for etype, names in doc.names.items()}
        others = {etype: [n for stem, n in named if stem != doc.stem] for etype, named in pool.items()}
        pieces, put_in, last = [], {}, 0
        for start, end, etype in gold_spans(doc):
            if without_quotes(doc.text[start:end]) not in whole.get(etype, ()) or rng.random() >= share:
                continue
            if not others.get(etype):
                continue
            name = rng.choice(others[etype])
            pieces += [doc.text[last:start], name]
            put_in.setdefault(etype, []).append(name)
            last = end
        text = "".join(pieces) + doc.text[last:]
        names = {etype: list(names) for etype, names in doc.names.items()}
        for etype, extra in put_in.items():
            names.setdefault(etype, []).extend(extra)
        out.append(AnnotatedDocument(f"{doc.stem}+swapped", text, names))
    return out
