"""The pipeline's one config, ``pipeline.cfg``, and the pipeline built from it.

``pipeline.cfg`` beside this module holds the tokenizer, the components in their order and every
setting; it is read with spaCy's own config machinery (:func:`spacy.util.load_config`) and built
by :func:`spacy.util.load_model_from_config`. Each default lives there and nowhere else: a
component's factory takes its ``default_config`` from its section (:func:`component_defaults`),
so a component added alone to a blank ``zh`` pipeline is configured as in the whole pipeline, and
:data:`DEFAULT_CONFIG` is read from the file too.

Adding a component is a module of :mod:`ingest.recognise` that registers its factory with
``default_config=component_defaults(name)``, and an entry in ``pipeline.cfg``: the name in
``[nlp] pipeline`` and a ``[components.<name>]`` section.

Examples
--------
>>> DEFAULT_CONFIG
{'segmenter': 'jieba', 'teach_segmenter': True, 'max_name_chars': 24}
>>> component_defaults("regionkg_names")
{'max_name_chars': 24, 'min_head_chars': 2}
>>> build_pipeline({"max_name_chars": 30}).get_pipe("regionkg_names").max_name_chars
30
"""

from __future__ import annotations

from pathlib import Path

from spacy import util
from spacy.language import Language

__all__ = ["CONFIG_PATH", "COMPONENTS", "DEFAULT_CONFIG", "build_pipeline", "component_defaults"]

#: The pipeline's config file.
CONFIG_PATH = Path(__file__).with_name("pipeline.cfg")

_CONFIG = util.load_config(CONFIG_PATH)

# The options of build_pipeline(), and where each is set in pipeline.cfg.
_OPTIONS = {
    "segmenter": "nlp.tokenizer.segmenter",
    "teach_segmenter": "nlp.tokenizer.teach",
    "max_name_chars": "components.regionkg_names.max_name_chars",
}


def _setting(config, path: str):
    for key in path.split("."):
        config = config[key]
    return config


#: The options of :func:`build_pipeline` and their defaults, as ``pipeline.cfg`` sets them.
DEFAULT_CONFIG = {option: _setting(_CONFIG, path) for option, path in _OPTIONS.items()}

#: The recognisers, in their order in the pipeline (after ``regionkg_sentences``).
COMPONENTS = tuple(name for name in _CONFIG["nlp"]["pipeline"] if name != "regionkg_sentences")


def component_defaults(name: str) -> dict:
    """The settings of component ``name`` in ``pipeline.cfg``: its factory's ``default_config``."""
    settings = dict(_CONFIG["components"][name])
    settings.pop("factory")
    return settings


#: The components of the learned recogniser, left out with ``learned=False``.
LEARNED = ("regionkg_token_features", "regionkg_ner", "regionkg_learned_names", "regionkg_shared_endings",
           "regionkg_rule_names", "regionkg_choose")


def build_pipeline(config: dict | None = None) -> Language:
    """Build the recognition pipeline from ``pipeline.cfg`` (defaults: :data:`DEFAULT_CONFIG`).

    Parameters
    ----------
    config : dict, optional
        ``segmenter`` ("jieba" or "char"), ``teach_segmenter`` (add the vocabulary to the
        pipeline's own jieba dictionary), ``max_name_chars``, ``learned``: True (the trained
        recogniser with its weights, the default), False (the rules alone) or "untrained" (the
        recogniser's components without weights, for :mod:`ingest.recognise.train`); ``model``:
        the directory of the learned components' weights and ``meta.json`` (default: the shipped
        ``ingest/recognise/model``; another is one the trainer wrote with ``--out``).

    Raises
    ------
    ValueError
        For an unknown key, segmenter or value of ``learned``, or a ``model`` with ``learned`` not True.
    FileNotFoundError
        If the learned recogniser's weights are missing (``make train`` writes them).
    """
    config = dict(config or {})
    learned = config.pop("learned", True)
    model = config.pop("model", None)
    unknown = set(config) - set(DEFAULT_CONFIG)
    if unknown:
        raise ValueError(f"unknown pipeline option(s) {sorted(unknown)}; known: {sorted(DEFAULT_CONFIG) + ['learned']}")
    if learned not in (True, False, "untrained"):
        raise ValueError(f"learned must be True, False or 'untrained', got {learned!r}")
    if model is not None and learned is not True:
        raise ValueError(f"a model directory ({model}) is read only with learned=True, not {learned!r}")
    overrides = {_OPTIONS[option]: value for option, value in config.items()}
    cfg = util.load_config(CONFIG_PATH, overrides=overrides)
    if learned is False:
        cfg["nlp"]["pipeline"] = [name for name in cfg["nlp"]["pipeline"] if name not in LEARNED]
        for name in LEARNED:
            del cfg["components"][name]
    nlp = util.load_model_from_config(cfg, auto_fill=True)
    if learned is True:
        from ingest.recognise.learned import MODEL_DIR, read_meta
        from ingest.recognise.rule_names import NameClassifier

        model = Path(model) if model is not None else MODEL_DIR
        weights = model / "regionkg_ner"
        if not (weights / "model").is_file():
            raise FileNotFoundError(f"no trained recogniser in {weights}: run `make train`")
        nlp.get_pipe("regionkg_ner").from_disk(weights)
        nlp.disable_pipe("regionkg_ner")  # regionkg_learned_names runs it line by line
        classifier = model / "rule_names.npz"
        if not classifier.is_file():
            raise FileNotFoundError(f"no trained rule-name classifier in {model}: run `make train`")
        nlp.get_pipe("regionkg_rule_names").classifier = NameClassifier.from_disk(classifier)
        if model != MODEL_DIR:
            nlp.get_pipe("regionkg_learned_names").use_meta(read_meta(model))
    return nlp
