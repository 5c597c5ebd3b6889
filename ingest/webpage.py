"""The main content of a web page: the article, without the site around it.

A government portal wraps a plan in a top bar, a navigation bar, a breadcrumb (当前位置：首页 >
政务公开 > …), an article header (发布时间、来源、浏览次数、字号：大 中 小), share buttons, a list of
相关链接 and a footer (主办单位, 网站标识码, ICP备案号, 公安备案号, 联系我们). :func:`main_text`
finds the article with trafilatura's main-content extraction (rules on the page's structure, class
names, link density and text length: no model, nothing downloaded) and renders it one paragraph
(or ``<br>``-separated line, or table row) a line; the article's heading leads it, as the title
line leads a plan saved as text.

trafilatura runs in precision mode without its fallbacks (``favor_precision=True, fast=True``).
Its fallbacks count what Chinese text lacks (jusText stop words between spaces, and it has no
Chinese list; its readability port ASCII commas), and its whole-page rescue puts the navigation
back into a short page. A page with less main text than trafilatura's own lower bound for an
extraction (``MIN_EXTRACTED_SIZE``, 250 characters) is not judged: :func:`main_text` returns
None and the caller reads the whole page. Where trafilatura finds no container for the article
(no class or id it knows) it gathers the page's paragraphs and keeps one of identical ones.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

__all__ = ["MainText", "main_text"]

# trafilatura logs "discarding data" and the like as warnings; with no handler configured they
# would reach stderr through logging.lastResort and garble the command line's report.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())

# trafilatura.extract's options: the article only, its tables kept, nothing deduplicated across
# pages, no metadata (dates, authors) looked for.
_OPTIONS = dict(
    favor_precision=True,
    fast=True,
    include_comments=False,
    include_tables=True,
    include_images=False,
    include_links=False,
    deduplicate=False,
    with_metadata=False,
)

# Elements of trafilatura's output tree (its TEI-like vocabulary) that stand on lines of their own.
_BLOCKS = frozenset({"ab", "body", "code", "div", "head", "item", "list", "main", "p", "quote",
                     "row", "table", "graphic", "doc"})
# Elements whose text is never content (trafilatura leaves <template> content in).
_NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object")
_SPACES_RE = re.compile(r"[ \t\r\f\v]+")
_WS_RE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space (a no-break space is no white space)


@dataclass(frozen=True)
class MainText:
    """The main content of a page.

    Attributes
    ----------
    text : str
        The article, one paragraph a line, led by its heading.
    title : str or None
        The page's ``<title>``, or else its first ``<h1>`` (what the whole-page reader
        returns as title).
    heading : str or None
        The article's heading that leads `text`: ``<meta name="ArticleTitle">`` (the tag
        Chinese government CMSs write), else the ``<h1>`` or ``<h2>`` whose text the
        ``<title>`` contains, else the first ``<h1>``, else the ``<title>``.
    """

    text: str
    title: str | None
    heading: str | None


def _min_size() -> int:
    from trafilatura.settings import DEFAULT_CONFIG

    return DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")


def main_text(markup: str) -> MainText | None:
    """The article of an HTML page, or None if there is no article to tell from the page.

    None when the page cannot be parsed or when trafilatura finds less main text than its
    lower bound for an extraction (a tiny or odd page: the caller then reads the whole page).

    Examples
    --------
    >>> nav = "".join(f"<li><a href='/{i}'>栏目{i}</a></li>" for i in range(8))
    >>> body = "".join(f"<p>第{i}段：坚持新发展理念，推动高质量发展，加快建设现代化经济体系。</p>"
    ...                for i in range(8))
    >>> page = (f"<html><head><title>某区工作方案_某区人民政府</title></head><body>"
    ...         f"<ul class='nav'>{nav}</ul><div>当前位置：<a href='/'>首页</a></div>"
    ...         f"<h1>某区工作方案</h1><div id='zoom'>{body}</div>"
    ...         f"<div class='footer'>网站标识码：3302000001 浙ICP备05006245号</div></body></html>")
    >>> m = main_text(page)
    >>> m.title, m.heading
    ('某区工作方案_某区人民政府', '某区工作方案')
    >>> lines = m.text.split("\\n")
    >>> lines[:2], len(lines)
    (['某区工作方案', '第0段：坚持新发展理念，推动高质量发展，加快建设现代化经济体系。'], 9)
    >>> main_text("<html><body><p>第一段</p></body></html>") is None
    True
    """
    import trafilatura

    try:
        tree = trafilatura.load_html(markup)
    except Exception:  # noqa: BLE001 - lxml's errors on odd markup: read the whole page instead
        return None
    if tree is None:
        return None
    for element in list(tree.iter(*_NEVER_TEXT)):
        element.drop_tree()  # keeps the tail
    title = _page_title(tree)
    heading = _heading(tree, title)
    _unlayout_tables(tree)
    try:
        document = trafilatura.bare_extraction(tree, **_OPTIONS)
    except Exception:  # noqa: BLE001 - a failure on odd markup: read the whole page instead
        return None
    if document is None or document.body is None:
        return None
    lines = _render(document.body)
    if sum(len(line) for line in lines) < _min_size():
        return None
    if heading and (not lines or _WS_RE.sub("", lines[0]) != _WS_RE.sub("", heading)):
        lines.insert(0, heading)
    return MainText("\n".join(lines), title, heading)


# ---------------------------------------------------------------------------
# title and heading


def _text(element) -> str:
    return _WS_RE.sub(" ", element.text_content()).strip()


def _page_title(tree) -> str | None:
    """``<title>``, else the first non-empty ``<h1>``: the whole-page reader's title."""
    element = next(tree.iter("title"), None)
    if element is not None and (text := _text(element)):
        return text
    return next((t for h1 in tree.iter("h1") if (t := _text(h1))), None)


def _heading(tree, title: str | None) -> str | None:
    """See :attr:`MainText.heading`; of the headings in the ``<title>``, the longest (a portal's
    ``<title>`` is the article's title and the site's name, and its logo may be an ``<h1>``)."""
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").lower() == "articletitle":
            if text := _WS_RE.sub(" ", meta.get("content") or "").strip():
                return text
    headings = [t for h in tree.iter("h1", "h2") if (t := _text(h))]
    if title:
        bare_title = _WS_RE.sub("", title)
        in_title = [t for t in headings if len(t) >= 4 and _WS_RE.sub("", t) in bare_title]
        if in_title:
            return max(in_title, key=len)
    h1 = next((t for h in tree.iter("h1") if (t := _text(h))), None)
    return h1 or title


# ---------------------------------------------------------------------------
# layout tables


def _unlayout_tables(tree) -> None:
    """Turn the tables that lay out a page (not data) into ``<div>``s.

    Older portals put the whole page in nested tables; trafilatura takes a table for data and
    would flatten the article, all its paragraphs, into one cell of one row, and keep the
    navigation and footer as rows. A table is layout if it says so (``role="presentation"``),
    holds another table, has one row or one column, or has a cell of several paragraphs: the
    tests of Mozilla Readability's data-table check that need no rendering.
    """
    layout = [table for table in tree.iter("table") if _is_layout_table(table)]
    for table in layout:
        for element in [table, *_own_parts(table)]:
            element.tag = "div"


def _own_parts(table):
    """The rows, cells and row groups of `table`, not those of tables nested in it."""
    stack = list(table)
    while stack:
        element = stack.pop()
        if element.tag in ("tbody", "thead", "tfoot", "tr", "td", "th"):
            yield element
            stack.extend(element)


def _is_layout_table(table) -> bool:
    if (table.get("role") or "").lower() == "presentation":
        return True
    if table.find(".//table") is not None:
        return True
    rows = [part for part in _own_parts(table) if part.tag == "tr"]
    if len(rows) <= 1 or all(len([c for c in row if c.tag in ("td", "th")]) <= 1 for row in rows):
        return True
    for cell in table.iter("td", "th"):
        if len(cell.xpath(".//p|.//div|.//br|.//li|.//h1|.//h2|.//h3|.//h4")) >= 3:
            return True
    return False


# ---------------------------------------------------------------------------
# rendering


def _render(body) -> list[str]:
    """Lines of trafilatura's output tree: a block per line, ``<lb>`` a line break, a table
    row per line with its non-empty cells joined by ``" | "`` (as the whole-page reader
    writes them)."""
    parts: list[str] = []

    def newline():
        if parts and parts[-1] != "\n":
            parts.append("\n")

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else ""  # comments have no str tag
        if tag == "lb":
            parts.append("\n")
        elif tag == "row":
            cells = (" ".join(_render(cell)) for cell in element if cell.tag == "cell")
            newline()
            parts.append(" | ".join(cell for cell in cells if cell))
            newline()
        else:
            if tag in _BLOCKS:
                newline()
            if element.text:
                parts.append(element.text)
            for child in element:
                walk(child)
            if tag in _BLOCKS:
                newline()
        if element.tail:
            parts.append(element.tail)

    walk(body)
    lines = (_SPACES_RE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]
