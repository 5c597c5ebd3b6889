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

__all__ = ["LearnedNames", "make_learned_names", "MODEL_DIR", "LABELS"]

#: Where the trained recogniser and its meta.json are kept.
MODEL_DIR = Path(__file__).with_name("model")

#: The recogniser's entity labels: the entity types themselves.
LABELS = ENTITY_TYPES


@Language.factory("regionkg_learned_names", default_config=component_defaults("regionkg_learned_names"))
def make_learned_names(nlp: Language, name: str, default_confidence: float) -> LearnedNames:
    """The ``regionkg_learned_names`` component."""
    return LearnedNames(load_vocabulary(), default_confidence=default_confidence)


class LearnedNames:
    """Adds a :class:`Mention` for every entity the trained recogniser set on the doc."""

    def __init__(self, vocab: Vocabulary, *, default_confidence: float = 0.5, meta: dict | None = None):
        if not 0 < default_confidence <= 1:
            raise ValueError(f"default_confidence must be in (0, 1], got {default_confidence!r}")
        self.vocab = vocab
        self.gazetteer = load_gazetteer()
        if meta is None:
            path = MODEL_DIR / "meta.json"
            meta = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self.precision = {t: float(p) for t, p in meta.get("precision", {}).items()}
        self.default_confidence = default_confidence

    def kind(self, name: str) -> str:
        """The kind of the institution ``name``."""
        found = self.vocab.suffix_class(name)
        if found is not None and found[1] == "institution" and found[2]:
            return found[2]
        if name.endswith(("政府", "委员会", "管委会")):
            return "other"
        entry = self.gazetteer.lookup(name, "institution")
        return entry.kind if entry is not None else "enterprise"

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.label_ not in LABELS:
                continue
            kind = self.kind(ent.text) if ent.label_ == "institution" else None
            confidence = round(self.precision.get(ent.label_, self.default_confidence), 3)
            add_mention(doc, Mention(ent.label_, ent.start_char, ent.end_char, ent.text, "learned",
                                     confidence, kind=kind))
        return doc
