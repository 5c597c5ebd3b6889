"""The spaCy pipeline that recognises zones, industries, projects, institutions and talent programmes.

spaCy's ``zh`` language with the jieba segmenter, rule components and a learned recogniser that the
repository trains from its own annotated plans (nothing is downloaded). Every recogniser is a
component registered by name, in a module of its own, configured from the vocabularies in
``ontology/`` and testable alone. The rules:

- ``regionkg_sentences`` (:mod:`~ingest.recognise.sentences`): sentences end at 。！？； and line breaks;
- ``regionkg_industries`` (:mod:`~ingest.recognise.industries`): the industry scheme's labels;
- ``regionkg_industry_lists`` (:mod:`~ingest.recognise.industry_lists`): unknown items of an
  industry list;
- ``regionkg_known_zones`` (:mod:`~ingest.recognise.known_zones`): the zones of the reference list;
- ``regionkg_names`` (:mod:`~ingest.recognise.names`, its heads in
  :mod:`~ingest.recognise.name_heads`): a proper-name head before a type suffix;
- ``regionkg_enumerations`` (:mod:`~ingest.recognise.enumerations`): A、B、C等…项目;
- ``regionkg_quotes`` (:mod:`~ingest.recognise.quotes`): “…计划”, “X”人才计划.

The learned recogniser, after them:

- ``regionkg_token_features`` (:mod:`~ingest.recognise.features`): what the rules and the reference
  lists (``ontology/gazetteers``) found over each token, and its part of speech, as token features;
- ``regionkg_ner``: spaCy's own trainable ``ner`` over the jieba tokens, trained by
  :mod:`~ingest.recognise.train` (``make train``), its weights in ``model/``;
- ``regionkg_learned_names`` (:mod:`~ingest.recognise.learned`): its entities as mentions, with
  the precision measured on plans it never saw as their confidence;
- ``regionkg_shared_endings`` (:mod:`~ingest.recognise.lists`): 金凤、嘉陵江、明月湖实验室 → three labs;
- ``regionkg_choose`` (:mod:`~ingest.recognise.choose`): the learned names stand, with what the
  rules know of the same characters; the trusted rules add theirs where it found nothing.

``build_pipeline({"learned": False})`` is the rules alone.

Each adds :class:`Mention` objects, with exact character offsets, to ``doc._.mentions`` and a
token-aligned span to ``doc.spans[<type>]`` (:mod:`~ingest.recognise.mention`). The pipeline is
assembled from one config, ``pipeline.cfg``, by :func:`build_pipeline`
(:mod:`~ingest.recognise.config`).

Vocabulary terms are matched on characters (Aho-Corasick) and mapped to tokens with
``Doc.char_span(..., alignment_mode="expand")``, so segmentation never loses a term; the pipeline also
teaches its own jieba instance the vocabulary so that most terms are single tokens, and
:func:`alignment_report` measures how many are not (:mod:`~ingest.recognise.segmenter`).

Examples
--------
>>> nlp = build_pipeline()
>>> doc = nlp("围绕新材料产业,加快建设宁波新材料联合研究院。")
>>> [(m.type, m.text, m.kind) for m in doc._.mentions if m.type != "industry"]
[('institution', '宁波新材料联合研究院', 'research')]
>>> sorted(m.text for m in doc._.mentions if m.type == "industry")
['新材料产业']
"""

from __future__ import annotations

import importlib
import pkgutil

from ingest.recognise.config import COMPONENTS, DEFAULT_CONFIG, build_pipeline
from ingest.recognise.mention import ENTITY_TYPES, Mention
from ingest.recognise.segmenter import alignment_report, taught_jieba
from ingest.recognise.sentences import SENTENCE_PUNCT

__all__ = [
    "Mention",
    "ENTITY_TYPES",
    "SENTENCE_PUNCT",
    "COMPONENTS",
    "DEFAULT_CONFIG",
    "build_pipeline",
    "alignment_report",
    "taught_jieba",
]

# Every module of the package is imported, so that each component's factory is registered with
# spaCy: a new component is a module here and its entry in pipeline.cfg.
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "train":  # the trainer registers nothing; it runs as python -m ingest.recognise.train
        importlib.import_module(f"{__name__}.{_module.name}")
del _module
