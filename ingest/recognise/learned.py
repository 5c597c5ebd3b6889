"""``regionkg_learned_names``: the names a trained recogniser found, as mentions.

The pipeline's ``regionkg_ner`` is spaCy's own transition-based entity recogniser (``ner``), trained
by :mod:`ingest.recognise.train` on real plans annotated by hand; it reads each token's words and
characters and the features of :mod:`~ingest.recognise.features` (what the rules and the reference
lists found there). This component turns its entities (``doc.ents``) into :class:`Mention` objects
with rule ``learned`` and, as their confidence, the precision the recogniser had for that type on
annotated documents it was not trained on (``meta.json`` beside the model, written by the trainer).

An institution's kind comes from its name's type suffix (…大学 university, …实验室 lab), from the
reference lists (a listed company is an enterprise), else it is an enterprise (海康威视) or, for a
government, ``other``.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ingest.gazetteer import load_gazetteer
from ingest.recognise.config import component_defaults
from ingest.recognise.mention import ENTITY_TYPES, Mention, add_mention
from ingest.vocab import Vocabulary, load_vocabulary

__all__ = ["LearnedNames", "make_learned_names", "institution_kind", "read_meta", "MODEL_DIR", "LABELS"]

#: Where the trained recogniser and its meta.json are kept.
MODEL_DIR = Path(__file__).with_name("model")

#: The recogniser's entity labels: the entity types themselves.
LABELS = ENTITY_TYPES


@Language.factory("regionkg_learned_names", default_config=component_defaults("regionkg_learned_names"))
def make_learned_names(nlp: Language, name: str, default_confidence: float, max_chunk_tokens: int) -> LearnedNames:
    """The ``regionkg_learned_names`` component."""
    return LearnedNames(load_vocabulary(), default_confidence=default_confidence, nlp=nlp,
                        max_chunk_tokens=max_chunk_tokens)


def chunks(doc: Doc, max_tokens: int):
    r"""The (start, end) token ranges the recogniser reads one at a time: lines, as it was trained
    on, and a line longer than ``max_tokens`` cut at sentence starts, so that what one document
    costs in memory is bounded by its longest piece, not its length.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})("甲乙\n丙丁")
    >>> [doc[s:e].text for s, e in chunks(doc, 100)]
    ['甲乙\n', '丙丁']
    """
    start = 0
    for i in range(1, len(doc)):
        if "\n" in doc[i - 1].text or (i - start >= max_tokens and doc[i].is_sent_start):
            yield start, i
            start = i
    if start < len(doc):
        yield start, len(doc)


def read_meta(model: Path) -> dict:
    """The ``meta.json`` the trainer wrote beside a model (what it was trained on, its held-out
    precision per type), or ``{}`` if there is none."""
    path = Path(model) / "meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def institution_kind(name: str, vocab: Vocabulary, gazetteer) -> str:
    """The kind of the institution ``name``: its type suffix's (…大学 university, …实验室 lab), a
    government's ``other``, the reference lists' (a listed company is an enterprise), else an
    enterprise (海康威视).

    Examples
    --------
    >>> vocab = load_vocabulary()
    >>> institution_kind("明月湖实验室", vocab, load_gazetteer()), institution_kind("海康威视", vocab, load_gazetteer())
    ('lab', 'enterprise')
    """
    found = vocab.suffix_class(name)
    if found is not None and found[1] == "institution" and found[2]:
        return found[2]
    if name.endswith(("政府", "委员会", "管委会")):
        return "other"
    entry = gazetteer.lookup(name, "institution")
    return entry.kind if entry is not None else "enterprise"


class LearnedNames:
    """Adds a :class:`Mention` for every entity the trained recogniser set on the doc."""

    def __init__(self, vocab: Vocabulary, *, default_confidence: float = 0.5, meta: dict | None = None,
                 nlp: Language | None = None, max_chunk_tokens: int = 400):
        if not 0 < default_confidence <= 1:
            raise ValueError(f"default_confidence must be in (0, 1], got {default_confidence!r}")
        if max_chunk_tokens < 1:
            raise ValueError(f"max_chunk_tokens must be at least 1, got {max_chunk_tokens!r}")
        self.nlp, self.max_chunk_tokens = nlp, max_chunk_tokens
        self.vocab = vocab
        self.gazetteer = load_gazetteer()
        self.default_confidence = default_confidence
        self.use_meta(read_meta(MODEL_DIR) if meta is None else meta)

    def use_meta(self, meta: dict) -> None:
        """Take the confidence of each type's names from a trainer's ``meta`` (its held-out precision)."""
        self.precision = {t: float(p) for t, p in meta.get("precision", {}).items()}

    def kind(self, name: str) -> str:
        """The kind of the institution ``name`` (:func:`institution_kind`)."""
        return institution_kind(name, self.vocab, self.gazetteer)

    def entities(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start char, end char, label) of the recogniser's entities: read chunk by chunk
        (:func:`chunks`) when the pipeline left ``regionkg_ner`` to this component (disabled, as
        :func:`~ingest.recognise.config.build_pipeline` does), else the doc's own ``ents``."""
        if self.nlp is None or "regionkg_ner" not in self.nlp.disabled:
            return [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        ner = self.nlp.get_pipe("regionkg_ner")
        ranges = list(chunks(doc, self.max_chunk_tokens))
        out = []
        for (start, _end), piece in zip(ranges, ner.pipe((doc[s:e].as_doc(copy_user_data=False) for s, e in ranges), batch_size=64)):
            offset = doc[start].idx
            out += [(offset + e.start_char, offset + e.end_char, e.label_) for e in piece.ents]
        return out

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        for start, end, label in self.entities(doc):
            if label not in LABELS:
                continue
            start, end = _trimmed(text, start, end)
            if end - start < 2:
                continue
            name = text[start:end]
            kind = self.kind(name) if label == "institution" else None
            confidence = round(self.precision.get(label, self.default_confidence), 3)
            add_mention(doc, Mention(label, start, end, name, "learned", confidence, kind=kind))
        return doc


#: What closes a list or a clause and never ends a name (中车长客等龙头企业 → 中车长客).
_TRAILING = ("等等", "等", "、", "，", ",", "。", "；", "：", "-", "—", "–")
_EDGE = " \t\n、，,。；;：:-—–"
#: Marks that come in pairs: a name holds both or neither.
_PAIRS = ("“”", "‘’", "《》", "（）", "()")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the list closer 等 and the punctuation a recogniser may take in,
    and with the other half of a quote or bracket it holds one half of, where that stands next to it.

    Examples
    --------
    >>> text = "支持中车长客等龙头企业"
    >>> s, e = _trimmed(text, 2, 7)
    >>> text[s:e]
    '中车长客'
    >>> text = "建设“双红”产业园"
    >>> s, e = _trimmed(text, 3, 9)
    >>> text[s:e]
    '“双红”产业园'
    """
    while start < end and text[start] in _EDGE:
        start += 1
    changed = True
    while changed and end > start:
        changed = False
        for closer in _TRAILING:
            if text[start:end].endswith(closer) and end - len(closer) > start:
                end -= len(closer)
                changed = True
                break
    for opening, closing in _PAIRS:
        name = text[start:end]
        opened, closed = name.count(opening), name.count(closing)
        if closed > opened and start > 0 and text[start - 1] == opening:
            start -= 1
        elif opened > closed and end < len(text) and text[end] == closing:
            end += 1
    return start, end

