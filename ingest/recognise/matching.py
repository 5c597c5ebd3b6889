"""Vocabulary terms found on characters, with Aho-Corasick: segmentation never loses a term.

A component matches its terms on the text and maps each match to tokens with
``Doc.char_span``; the helpers here are shared by the components of :mod:`ingest.recognise`.

Examples
--------
>>> _longest_matches(_automaton(["新材料", "新材料产业", "材料"]), "发展新材料产业和材料")
[(2, 7, '新材料产业'), (8, 10, '材料')]
"""

from __future__ import annotations

import ahocorasick

__all__: list[str] = []  # the helpers are shared inside the package only


def _automaton(words) -> ahocorasick.Automaton:
    """An automaton that finds every one of ``words`` in a text."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _longest_matches(automaton, text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Non-overlapping matches, longest first at each position, in text order."""
    hits = sorted(
        ((end - len(w) + 1, end + 1, w) for end, w in automaton.iter(text)),
        key=lambda h: (h[0], -(h[1] - h[0])),
    )
    kept, last = [], -1
    for start, end, word in hits:
        if start >= last:
            kept.append((start + offset, end + offset, word))
            last = end
    return kept
