"""``regionkg_rule_names``: which of the rules' names stand where the learned recogniser found none.

The rule components (:mod:`~ingest.recognise.names`, :mod:`~ingest.recognise.enumerations`,
:mod:`~ingest.recognise.quotes` …) propose many names; on real plans about half of them are
generic phrases (中试平台, 革命老区) and the learned recogniser rejects most, but not only wrong
ones: on annotated plans it never saw, the rules held about half of the names it missed (北沿江高铁,
太湖实验室, 粤琼合作产业园). This component is a classifier that reads each rule candidate no learned
name overlaps — its words, its ending, what stands before and after it, which rules proposed it and
as what, what the reference lists know of its tokens — and keeps it, with the type it gives, when
it is sure enough (``threshold``); its probability is the name's confidence (rule
``rule_classifier``, which :mod:`~ingest.recognise.choose` lets stand).

The classifier is a multinomial logistic regression over hashed features (:class:`NameClassifier`),
trained by :mod:`ingest.recognise.train` on the same annotated documents as the recogniser: the
rules run over each whole document, and a candidate's class is the gold type whose names include
it (normalised as :mod:`ingest.evaluate` matches), else ``none``. Its weights are in
``model/rule_names.npz``, which :func:`~ingest.recognise.build_pipeline` reads.

Examples
--------
>>> clf = NameClassifier.fit([["s2=高铁"], ["s2=平台"]] * 20, [CLASSES.index("project"), 0] * 20, epochs=3)
>>> CLASSES[int(clf.probabilities(["s2=高铁"]).argmax())]
'project'
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ingest.gazetteer import load_gazetteer
from ingest.recognise.config import component_defaults
from ingest.recognise.choose import LEARNED_RULES
from ingest.recognise.learned import institution_kind
from ingest.recognise.mention import ENTITY_TYPES, Mention, add_mention, doc_text
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["RuleNames", "NameClassifier", "make_rule_names", "candidates", "candidate_features", "CLASSES"]

#: What the classifier says of a candidate: no name, or a name of one of the five types.
CLASSES = ("none",) + ENTITY_TYPES

#: The rules whose names are the learned recogniser's or this component's (never candidates here).
_LEARNED = LEARNED_RULES + ("rule_classifier",)
_QUOTES = frozenset("“”\"《》")


@Language.factory("regionkg_rule_names", default_config=component_defaults("regionkg_rule_names"))
def make_rule_names(nlp: Language, name: str, threshold: float) -> RuleNames:
    """The ``regionkg_rule_names`` component, untrained: :func:`~ingest.recognise.build_pipeline`
    gives it its weights, as it gives ``regionkg_ner`` its own."""
    return RuleNames(load_vocabulary(), None, threshold=threshold)


def candidates(doc: Doc) -> dict[tuple[int, int], list[Mention]]:
    """The rules' mentions of ``doc`` by their (start, end): the candidates to classify."""
    out: dict[tuple[int, int], list[Mention]] = defaultdict(list)
    for m in doc._.mentions or ():
        if m.rule not in _LEARNED:
            out[(m.start, m.end)].append(m)
    return out


def candidate_features(doc: Doc, start: int, end: int, mentions: list[Mention]) -> list[str]:
    """The features of the candidate ``doc.text[start:end]`` that ``mentions`` propose.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("zh")("建设北沿江高铁")
    >>> m = Mention("project", 2, 7, "北沿江高铁", "name_grammar", 0.6)
    >>> f = candidate_features(doc, 2, 7, [m])
    >>> "rt=name_grammar|project" in f, "s2=高铁" in f, "l2=建设" in f
    (True, True, True)
    """
    text = doc_text(doc)
    name = text[start:end]
    f = []
    for m in mentions:
        f += [f"r={m.rule}", f"t={m.type}", f"rt={m.rule}|{m.type}", f"k={m.kind}"]
        if m.concept:
            f.append(f"concept|{m.type}")
    f += [f"s1={name[-1:]}", f"s2={name[-2:]}", f"s3={name[-3:]}", f"p1={name[:1]}", f"p2={name[:2]}",
          f"len={min(len(name), 12)}", f"l1={text[start - 1:start]}", f"l2={text[max(0, start - 2):start]}",
          f"r1={text[end:end + 1]}", f"r2={text[end:end + 2]}", f"cnt={min(text.count(name), 4)}"]
    if any(c.isdigit() for c in name):
        f.append("digit")
    if any(c in _QUOTES for c in name):
        f.append("quote")
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        tokens = list(span)
        f += [f"ntok={min(len(tokens), 6)}", f"ft={tokens[0].text}", f"lt={tokens[-1].text}",
              "tags=" + "_".join(t.tag_ for t in tokens[:4])]
        for t in tokens:
            f.append(f"tag={t.tag_}")
            f += [f"g={label}" for label in t.lemma_.split("+") if "gaz:" in label]
        for i in range(1, 4):
            if span.start - i >= 0:
                f += [f"L{i}={doc[span.start - i].text}", f"Lw={doc[span.start - i].text}"]
            if span.end + i - 1 < len(doc):
                f += [f"R{i}={doc[span.end + i - 1].text}", f"Rw={doc[span.end + i - 1].text}"]
        if span.start > 0:
            f.append(f"Ltag={doc[span.start - 1].tag_}")
    return f


class NameClassifier:
    """A multinomial logistic regression over hashed string features: ``weights`` (``dim`` rows, one
    column per class of :data:`CLASSES`) and ``bias``."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray):
        if weights.ndim != 2 or weights.shape[1] != len(CLASSES) or bias.shape != (len(CLASSES),):
            raise ValueError(f"weights must be (dim, {len(CLASSES)}) and bias ({len(CLASSES)},), got "
                             f"{weights.shape} and {bias.shape}")
        self.weights, self.bias = weights, bias
        self.dim = weights.shape[0]

    def rows(self, features) -> np.ndarray:
        """The weight rows of ``features`` (CRC-32 of each, modulo ``dim``: the same in every process)."""
        return np.fromiter((zlib.crc32(f.encode("utf-8")) % self.dim for f in features), dtype=np.int64)

    def probabilities(self, features) -> np.ndarray:
        """The probability of each class of :data:`CLASSES` for a candidate with ``features``."""
        return self._probabilities(self.rows(features))

    def _probabilities(self, rows: np.ndarray) -> np.ndarray:
        z = self.weights[rows].sum(0) + self.bias
        z = np.exp(z - z.max())
        return z / z.sum()

    @classmethod
    def fit(cls, features, classes, *, dim: int = 1 << 18, epochs: int = 15, rate: float = 0.2,
            seed: int = 0) -> NameClassifier:
        """Fit on ``features`` (a list of feature lists) and their ``classes`` (indices into
        :data:`CLASSES`) by AdaGrad on the cross-entropy, ``epochs`` passes in a seeded order."""
        if len(features) != len(classes) or not features:
            raise ValueError(f"need as many classes as feature lists, and some: {len(features)} and {len(classes)}")
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {epochs!r}")
        clf = cls(np.zeros((dim, len(CLASSES)), dtype=np.float32), np.zeros(len(CLASSES), dtype=np.float32))
        rows = [clf.rows(f) for f in features]
        squares = np.full((dim, len(CLASSES)), 1e-6, dtype=np.float32)
        order = np.arange(len(rows))
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            rng.shuffle(order)
            for i in order:
                r = rows[i]
                gradient = clf._probabilities(r)
                gradient[classes[i]] -= 1
                squares[r] += gradient * gradient
                clf.weights[r] -= rate * gradient / np.sqrt(squares[r])
                clf.bias -= 0.01 * gradient
        return clf

    def to_disk(self, path: Path) -> None:
        """Write the classifier to ``path`` (``.npz``): only its non-zero rows, as float16."""
        used = np.flatnonzero(np.abs(self.weights).sum(1))
        np.savez_compressed(path, dim=np.int64(self.dim), used=used.astype(np.int32),
                            rows=self.weights[used].astype(np.float16), bias=self.bias,
                            classes=np.array(CLASSES))

    @classmethod
    def from_disk(cls, path: Path) -> NameClassifier:
        """Read a classifier :meth:`to_disk` wrote.

        Raises
        ------
        ValueError
            If the file's classes are not :data:`CLASSES`.
        """
        with np.load(path) as data:
            if tuple(str(c) for c in data["classes"]) != CLASSES:
                raise ValueError(f"{path} classifies {list(data['classes'])}, not {list(CLASSES)}: train it again")
            weights = np.zeros((int(data["dim"]), len(CLASSES)), dtype=np.float32)
            weights[data["used"]] = data["rows"].astype(np.float32)
            return cls(weights, data["bias"].astype(np.float32))


class RuleNames:
    """Adds, as rule ``rule_classifier``, the rules' candidates that no learned name overlaps and
    that the classifier keeps with at least ``threshold`` probability; no classifier, no names."""

    def __init__(self, vocab: Vocabulary, classifier: NameClassifier | None, *, threshold: float = 0.5):
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
        self.vocab, self.classifier, self.threshold = vocab, classifier, threshold
        self.gazetteer = load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        if self.classifier is None:
            return doc
        text = doc_text(doc)
        taken = bytearray(len(text) + 1)
        for m in doc._.mentions or ():
            if m.rule in _LEARNED:
                taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        for (start, end), proposed in candidates(doc).items():
            if any(taken[start:end]):
                continue
            p = self.classifier.probabilities(candidate_features(doc, start, end, proposed))
            best = 1 + int(p[1:].argmax())
            if p[best] < self.threshold:
                continue
            etype = CLASSES[best]
            same = next((m for m in proposed if m.type == etype), None)
            name = text[start:end]
            kind = same.kind if same is not None else None
            if etype == "institution" and kind is None:
                kind = institution_kind(name, self.vocab, self.gazetteer)
            add_mention(doc, Mention(etype, start, end, name, "rule_classifier", round(float(p[best]), 3),
                                     concept=same.concept if same is not None else None, kind=kind,
                                     broader=same.broader if same is not None else None))
        return doc
