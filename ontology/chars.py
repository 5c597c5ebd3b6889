"""The characters a text of the graph may hold: those of XML 1.0, its ``Char`` production.

``Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]``

GraphML and GEXF are XML, and a name holding any other character cannot be written to them: a C0
control character (``\\x07``, ``\\x0b`` …), a lone surrogate (how Python holds the undecodable bytes
of a file name) or the noncharacters ``\\ufffe`` and ``\\uffff``. Ingest cleans a document's text,
title and file name of them (:mod:`ingest.read`, :mod:`ingest.rdf`), and export cleans what it
writes again (:mod:`graph.export`), so every export format can be read back. Both meet here, in
the package that says what the graph holds.

Examples
--------
>>> xml_chars("嘉兴\\x07智能研究院")
'嘉兴智能研究院'
>>> xml_chars("plan\\udcff.txt", "\\ufffd")
'plan�.txt'
"""

from __future__ import annotations

import re

__all__ = ["NOT_XML", "xml_chars", "is_xml_text"]

#: One character that XML 1.0 cannot hold.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_chars(text: str, replacement: str = "") -> str:
    """``text`` without the characters XML 1.0 cannot hold, each removed or put as ``replacement``.

    Raises
    ------
    TypeError
        If ``text`` is not a str.
    ValueError
        If ``replacement`` itself holds such a character.

    Examples
    --------
    >>> xml_chars("a\\x0bb\\ufffec\\U0001F600", " ")
    'a b c😀'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}: {text!r:.60}")
    if NOT_XML.search(replacement):
        raise ValueError(f"replacement must be text XML can hold, got {replacement!r}")
    return NOT_XML.sub(replacement, text)


def is_xml_text(text: str) -> bool:
    """Whether XML 1.0 can hold every character of ``text``.

    Examples
    --------
    >>> is_xml_text("淄博市\\t新材料"), is_xml_text("淄博\\x07市")
    (True, False)
    """
    return NOT_XML.search(text) is None
