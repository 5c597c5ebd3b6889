"""``regionkg_sentences``: sentences end at Chinese sentence punctuation and at line breaks.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> _ = nlp.add_pipe("regionkg_sentences")
>>> [s.text for s in nlp("坚持创新。加快发展新材料产业\\n培育生物医药").sents]
['坚持创新。', '加快发展新材料产业\\n', '培育生物医药']
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["SENTENCE_PUNCT", "split_sentences"]

#: Characters that end a sentence (Chinese and the ASCII forms web pages use), and line breaks.
SENTENCE_PUNCT = ["。", "！", "？", "；", "!", "?", ";", "\n"]


@Language.component("regionkg_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Start a sentence after 。！？；!?; and after any token holding a line break.

    spaCy's sentencizer compares whole tokens with its punctuation, and jieba glues a line break
    to the spaces around it ("\\n\\n  "), so plan documents need this rule of their own.
    """
    ends = set(SENTENCE_PUNCT)
    starts = numpy.zeros((len(doc), 1), dtype="int32")
    previous = None
    for i, token in enumerate(doc):
        text = token.text
        if i == 0 or previous in ends or "\n" in previous:
            starts[i, 0] = 1
        else:
            starts[i, 0] = -1
        previous = text
    if len(doc):
        doc.from_array([SENT_START], starts.astype("uint64"))
    return doc
