"""The segmenter: spaCy's Chinese tokenizer with jieba, taught the vocabulary, and how it aligns.

Vocabulary terms are matched on characters and mapped to tokens with
``Doc.char_span(..., alignment_mode="expand")``, so segmentation never loses a term. The pipeline's
tokenizer (``regionkg.ChineseTokenizer.v1`` in ``pipeline.cfg``) also gives spaCy's jieba segmenter
:func:`taught_jieba`, a private jieba that knows the vocabulary, so that most terms are single
tokens; :func:`alignment_report` measures how many are not.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.util import registry

from ingest.recognise.config import component_defaults
from ingest.recognise.industries import IndustryMatcher
from ingest.vocab import load_vocabulary

__all__ = ["SEGMENTERS", "create_tokenizer", "taught_jieba", "alignment_report"]

#: The segmenters the pipeline can use.
SEGMENTERS = ("jieba", "char")


@registry.tokenizers("regionkg.ChineseTokenizer.v1")
def create_tokenizer(segmenter: str, teach: bool):
    """spaCy's Chinese tokenizer with ``segmenter`` ("jieba" or "char"); with ``teach``, its jieba
    is :func:`taught_jieba`. jieba's logging is quieted first.

    Raises
    ------
    ValueError
        For another segmenter.
    """
    if segmenter not in SEGMENTERS:
        raise ValueError(f"segmenter must be 'jieba' or 'char', got {segmenter!r}")

    def tokenizer_factory(nlp: Language) -> ChineseTokenizer:
        _quiet_jieba()
        tokenizer = ChineseTokenizer(nlp.vocab, segmenter=segmenter)
        if segmenter == "jieba" and teach:
            tokenizer.jieba_seg = taught_jieba()
        return tokenizer

    return tokenizer_factory


def _quiet_jieba() -> None:
    """jieba logs its dictionary loading at INFO to stderr; keep the CLI's output clean."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def taught_jieba():
    """A private jieba tokenizer that knows every vocabulary term (the global one is untouched)."""
    import jieba

    _quiet_jieba()
    tokenizer = jieba.Tokenizer()
    vocab = load_vocabulary()
    for word in list(vocab.industries) + list(vocab.known_zones) + list(vocab.suffixes):
        if len(word) >= 2:
            tokenizer.add_word(word, freq=None)
    return tokenizer


def alignment_report(nlp: Language, texts) -> dict:
    """Measure how the segmentation of ``nlp`` agrees with the industry vocabulary in ``texts``.

    Every label is found on characters (as the pipeline does). Of those mentions, ``misaligned``
    ones cross a token boundary (化工 in 强化/工作), and ``split_differently`` ones fall on token
    boundaries but are segmented otherwise than the label alone (新/材料 in context, 新材料 alone):
    both are what a token-based matcher (spaCy's PhraseMatcher, SpanRuler) would lose.

    Returns ``{"mentions", "misaligned", "split_differently", "lost", "examples"}`` where ``lost``
    is the sum of the two and ``examples`` holds up to ten (term, tokens in context).

    Examples
    --------
    >>> from ingest.recognise import build_pipeline
    >>> nlp = build_pipeline({"teach_segmenter": False})
    >>> r = alignment_report(nlp, ["强化工作督查,大力发展化工产业"])
    >>> r["mentions"], r["lost"], r["examples"]
    (2, 1, [('化工', '强化 工作')])
    """
    settings = component_defaults("regionkg_industries")
    matcher = IndustryMatcher(load_vocabulary(), min_chars=settings["min_chars"], require_alignment=False)
    alone: dict[str, list[str]] = {}
    total = misaligned = split = 0
    examples = []
    for doc in nlp.pipe(texts, disable=list(nlp.pipe_names)):
        doc._.mentions = []
        matcher(doc)
        for mention in doc._.mentions:
            total += 1
            span = doc.char_span(mention.start, mention.end, alignment_mode="strict")
            if span is None:
                misaligned += 1
                context = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                tokens = [t.text for t in context] if context is not None else []
            else:
                if mention.text not in alone:
                    alone[mention.text] = [t.text for t in nlp.make_doc(mention.text)]
                tokens = [t.text for t in span]
                if tokens == alone[mention.text]:
                    continue
                split += 1
            if len(examples) < 10:
                examples.append((mention.text, " ".join(tokens)))
    return {"mentions": total, "misaligned": misaligned, "split_differently": split,
            "lost": misaligned + split, "examples": examples}
