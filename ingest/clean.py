"""Mark which parts of a plan page's text are document body and which are web boilerplate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["CleanText", "clean"]


@dataclass(frozen=True)
class CleanText:
    """A text with its body spans, its dropped boilerplate and its page metadata.

    Attributes
    ----------
    text : str
        The original text, unchanged; all offsets refer to it.
    body : tuple of (int, int)
        Sorted, non-overlapping ``(start, end)`` character spans of body text.
    dropped : tuple of (int, int, str)
        Sorted ``(start, end, reason)`` spans removed as boilerplate, e.g.
        ``"metadata table"``, ``"page metadata"``, ``"login prompt"``,
        ``"hidden-content notice"``, ``"navigation"``, ``"copyright line"``,
        ``"site footer"``, ``"table separator"``. Every non-whitespace
        character of `text` is in exactly one body or dropped span.
    metadata : dict of str to str
        Key/value pairs found in metadata tables and lines (``发布机构``,
        ``成文日期``, ``文号``, ``索引号``, ``来源``, ``发布时间`` ...), keys
        with whitespace and colons removed, first value wins; ``标题`` is the
        title cell that follows a metadata table.

    Examples
    --------
    >>> c = clean("发布时间:2020-06-10 来源:市政府\\n一、总体要求\\n加快发展。")
    >>> c.body_text()
    '一、总体要求\\n加快发展。'
    >>> list(c.iter_body())
    [(23, '一、总体要求'), (30, '加快发展。')]
    >>> c.dropped
    ((0, 22, 'page metadata'),)
    >>> c.metadata
    {'发布时间': '2020-06-10', '来源': '市政府'}
    """

    text: str = field(repr=False)
    body: tuple[tuple[int, int], ...]
    dropped: tuple[tuple[int, int, str], ...]
    metadata: dict[str, str] = field(default_factory=dict, hash=False)

    def iter_body(self) -> Iterator[tuple[int, str]]:
        """Yield ``(start, segment)`` for each body span, keeping exact offsets.

        Examples
        --------
        >>> c = clean("版权所有 © 某市人民政府\\n规划正文。")
        >>> [(s, t) for s, t in c.iter_body()]
        [(14, '规划正文。')]
        """
        for start, end in self.body:
            yield start, self.text[start:end]

    def iter_dropped(self) -> Iterator[tuple[int, str, str]]:
        """Yield ``(start, segment, reason)`` for each dropped span.

        Examples
        --------
        >>> c = clean("版权所有 © 某市人民政府\\n规划正文。")
        >>> list(c.iter_dropped())
        [(0, '版权所有 © 某市人民政府', 'copyright line')]
        """
        for start, end, reason in self.dropped:
            yield start, self.text[start:end], reason

    def body_text(self) -> str:
        """The body segments joined by ``"\\n"`` (offsets are lost; see `iter_body`).

        Examples
        --------
        >>> clean("  一、总体要求  \\n\\n  加快发展。").body_text()
        '一、总体要求\\n加快发展。'
        """
        return "\n".join(self.text[start:end] for start, end in self.body)


# ---------------------------------------------------------------------------
# vocabulary of government / portal web pages

# Metadata keys that are unambiguous even without a colon (table header cells).
_STRONG_KEYS = (
    "索引号", "信息索引号", "主题分类", "体裁分类", "组配分类", "服务对象分类", "信息分类",
    "主题词", "发布机构", "发文机关", "发文机构", "发文单位", "成文日期", "发文日期",
    "发布日期", "公开日期", "生效日期", "废止日期", "失效日期", "实施日期", "文号", "发文字号",
    "文件编号", "公开方式", "公开范围", "公开时限", "公开形式", "有效性", "时效性",
    "所属机构", "所属主题", "更新时间", "更新日期", "发布时间", "信息来源", "文章来源",
    "责任编辑", "浏览次数", "访问次数", "点击次数", "阅读次数", "点击数", "浏览量", "阅读量",
    "访问量", "发布者",
)
# Keys that count only when followed by a colon (they are common words too).
_WEAK_KEYS = ("来源", "作者", "编辑", "标题", "名称", "分类", "稿源")
_ALL_KEYS = frozenset(_STRONG_KEYS + _WEAK_KEYS)
_KEY_ALT = "|".join(
    r"[ \t\u3000\xa0]*".join(map(re.escape, key))
    for key in sorted(_ALL_KEYS, key=len, reverse=True)
)
_COLON = "[:：]"
_KEY_COLON_RE = re.compile(rf"({_KEY_ALT})[ \t\u3000\xa0]*{_COLON}")
_KV_CELL_RE = re.compile(rf"^({_KEY_ALT})[ \t\u3000\xa0]*{_COLON}\s*(.*?)\s*$", re.DOTALL)

_SENTENCE_END = "。！？；!?;"
_SENTENCE_END_RE = re.compile(f"[{_SENTENCE_END}]")
_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PIPE_RE = re.compile("[|｜]")
_ENUMERATOR_RE = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十百\d]+[)）、.．]|第[一二三四五六七八九十百\d]+[章节条部分])"
)

_NAV_TOKENS = frozenset(
    """分享 分享到 热点推荐 相关推荐 推荐阅读 相关阅读 相关链接 相关文章 相关新闻 相关信息
    打印 打印本页 打印此页 打印文章 关闭 关闭窗口 关闭本页 返回顶部 返回首页 返回 顶部 收藏
    加入收藏 设为首页 字体 字号 大 中 小 默认 扫一扫 微信 微博 新浪微博 QQ QQ空间 朋友圈
    网站地图 联系我们 友情链接 我要纠错 纠错 无障碍 无障碍浏览 长者模式 首页 上一篇 下一篇
    上一条 下一条 【 】""".split()
)
_NAV_SPLIT_RE = re.compile(r"[\s:：|｜/、·•【】\[\]()（）<>＞»《》\-]+")
_NAV_LINE_RE = re.compile(
    r"^(?:(?:当前位置|您(?:现在)?的?位置|所在位置)\s*[:：]|首页\s*(?:>|＞|»|/)"
    r"|(?:上一篇|下一篇|上一条|下一条)\s*[:：]|扫一扫(?:在手机上?(?:打开|浏览|阅读)(?:当前页|本页|此页)?)?$)"
)
_NAV_TAIL_RE = re.compile(
    r"(?:\s*[【\[][^】\]]{0,20}[】\]]|\s*(?:字体|字号)\s*[:：]?\s*(?:[大中小]\s*)+"
    r"|\s*(?:打印本页|打印|关闭窗口|关闭|收藏|分享))+\s*$"
)

# Prompts that can sit inside a body line: removed, the rest is kept.
_INLINE_NOTICES = (
    (re.compile(
        r"[(（\[【]?[-—=~～*＊_]{2,}\s*此处(?:已)?隐藏\s*[0-9０-９,，]*\s*字[^-—=~～*＊_\n]{0,20}"
        r"[-—=~～*＊_]{2,}[)）\]】]?"
    ), "hidden-content notice"),
    (re.compile(
        r"此处(?:已)?隐藏\s*[0-9０-９,，]*\s*字[，,、\s]*(?:请|需|须)?(?:下载|登录|购买|付费|注册)后?"
        r"(?:即可|才能|方可|可)?(?:查看|阅读|可见|浏览)"
    ), "hidden-content notice"),
    (re.compile(r"查看隐藏内容\s*[(（]?\s*\*?\s*[)）]?\s*(?:需|须|请)?先?登录"), "login prompt"),
)
# Prompts recognised only as a whole short line.
# (the phrase must end the line: "请登录浙江政务服务网办理" is body text)
_LOGIN_LINE_RE = re.compile(
    r"(?:(?:需要?|须|请)先?登录|登录后?(?:才能|才可以?|方可|即可|可以|可)?"
    r"(?:查看|阅读|浏览|下载|可见|复制|评论)(?:全文|全部|内容|更多)?"
    r"|(?:立即|马上|免费)(?:登录|注册)|注册后(?:才能|方可|即可|可)?(?:查看|可见|下载)"
    r"|开通(?:VIP|会员)|VIP(?:会员)?(?:专享|可见|免费))[\s!！.。…)）】\]]*$",
    re.IGNORECASE,
)
_HIDDEN_LINE_RE = re.compile(
    r"(?:此处|以下|剩余)(?:内容)?(?:已)?隐藏|下载后(?:查看|阅读)|剩余\s*[0-9,]+\s*字"
    r"|(?:展开|阅读|查看)(?:全文|更多)|(?:付费|购买)后(?:查看|阅读|下载)"
    r"|(?:完整|全部)(?:内容|版|文档)请?(?:下载|登录)"
)
_PROMPT_MAX_CHARS = 40
# Keys whose value is document text (the title): the value stays body.
_BODY_VALUE_KEYS = frozenset({"标题", "名称"})

_COPYRIGHT_RE = re.compile(
    r"版权所有|copyright|©|\(c\)\s*\d{4}|all\s+rights\s+reserved|ICP\s*[备证]|公网安备|网站标识码",
    re.IGNORECASE,
)
_FOOTER_MARKER_RE = re.compile(
    _COPYRIGHT_RE.pattern + r"|(?:主办|承办|承建|协办|维护)单位\s*[:：]?|技术支持\s*[:：]",
    re.IGNORECASE,
)
# Markers that only a web page has (主办单位 alone may close an event plan).
_WEB_ONLY_RE = re.compile(
    _COPYRIGHT_RE.pattern + r"|承建单位|技术支持\s*[:：]", re.IGNORECASE
)
_FOOTER_LINE_MAX = 200
# "Near the end": the footer is at most half of the text's non-space
# characters, and at most a quarter of them or at most 1500.
_FOOTER_MAX_SHARE = 0.25
_FOOTER_MAX_CHARS = 1500


# ---------------------------------------------------------------------------
# clean


def clean(text: str) -> CleanText:
    """Split a plan page's text into body and web boilerplate.

    Line by line: metadata tables (``key: | value |`` cells) and metadata
    lines (``发布时间: … 来源: …``) are dropped and their pairs collected;
    login prompts and hidden-content notices are dropped; a site footer,
    from the first strong footer marker (版权所有, Copyright, ICP备, 承建单位,
    主办单位, 技术支持, 网站标识码, 公网安备) near the end of the text to the
    end, is dropped together with the short navigation lines just before it
    (分享, 热点推荐, 打印, 关闭窗口 ...). Everything else is body. Rules err on
    the side of keeping text: a line that reads like prose is never dropped
    as footer, and only the metadata cells of a table row are dropped.

    Parameters
    ----------
    text : str
        The text of one document, e.g. ``SourceText.text``.

    Returns
    -------
    CleanText
        `text` unchanged, with body spans, dropped spans and metadata.

    Raises
    ------
    TypeError
        If `text` is not a str.

    Examples
    --------
    >>> page = ("发布机构: | 区办公室 | 成文日期: | 2018-05-25 |\\n"
    ...         "某区2018年工作安排报告 |\\n"
    ...         "一、总体要求。加快发展。\\n"
    ...         "查看隐藏内容(*)需先登录\\n"
    ...         "分享\\n"
    ...         "Copyright © www.example.gov.cn\\n"
    ...         "某ICP备0000号")
    >>> c = clean(page)
    >>> print(c.body_text())
    某区2018年工作安排报告
    一、总体要求。加快发展。
    >>> for start, segment, reason in c.iter_dropped():
    ...     print(reason, repr(segment))
    metadata table '发布机构: | 区办公室 | 成文日期: | 2018-05-25 |'
    table separator '|'
    login prompt '查看隐藏内容(*)需先登录'
    site footer '分享\\nCopyright © www.example.gov.cn\\n某ICP备0000号'
    >>> c.metadata
    {'发布机构': '区办公室', '成文日期': '2018-05-25', '标题': '某区2018年工作安排报告'}
    """
    if not isinstance(text, str):
        raise TypeError(f"clean() expects str, got {type(text).__name__}: {text!r:.60}")
    lines = _split_lines(text)
    footer = _find_footer(text, lines)
    n_lines = footer[0] if footer else len(lines)

    state = _State()
    spans: list[tuple[int, int, str | None]] = []  # reason None = body
    for start, end in lines[:n_lines]:
        if text[start:end].strip():
            spans.extend(_classify_line(text, start, end, state))
    if footer:
        spans.append((footer[1], footer[2], "site footer"))

    spans = _cut_inline_notices(text, spans)
    body, dropped = [], []
    for start, end, reason in sorted(spans, key=lambda span: span[:2]):
        trimmed = _trim(text, start, end)
        if trimmed is None:
            continue
        if reason is None:
            body.append(trimmed)
        elif dropped and dropped[-1][2] == reason and not text[dropped[-1][1]:trimmed[0]].strip():
            dropped[-1] = (dropped[-1][0], trimmed[1], reason)  # merge neighbours
        else:
            dropped.append((*trimmed, reason))
    return CleanText(text, tuple(body), tuple(dropped), state.metadata)


class _State:
    """What earlier lines told us: metadata found, whether a title was looked for."""

    def __init__(self):
        self.metadata: dict[str, str] = {}
        self.saw_table = False
        self.title_checked = False

    def record(self, key: str, value: str):
        key = re.sub(rf"[\s{_COLON[1:-1]}]", "", key)
        value = value.strip()
        if value and key not in self.metadata:
            self.metadata[key] = value


def _split_lines(text: str) -> list[tuple[int, int]]:
    lines, start = [], 0
    for m in re.finditer("\n", text):
        lines.append((start, m.start()))
        start = m.end()
    lines.append((start, len(text)))
    return lines


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_prose(s: str) -> bool:
    """A line that reads like document body: long CJK text, or CJK sentences."""
    n_cjk = len(_CJK_RE.findall(s))
    return n_cjk >= 100 or (n_cjk >= 30 and _SENTENCE_END_RE.search(s) is not None)


def _is_short_value(s: str) -> bool:
    return len(s) <= 80 and not _SENTENCE_END_RE.search(s)


def _is_nav_text(s: str) -> bool:
    tokens = [t for t in _NAV_SPLIT_RE.split(s) if t]
    return bool(tokens) and all(t in _NAV_TOKENS for t in tokens) and max(map(len, tokens)) >= 2


# ---------------------------------------------------------------------------
# one line


def _classify_line(text: str, start: int, end: int, state: _State):
    """Spans ``(start, end, reason or None)`` of one non-blank line."""
    line = text[start:end]
    stripped = line.strip()
    if _PIPE_RE.search(line):
        cells = _table_cells(text, start, end)
        if cells is not None:
            return _classify_row(text, start, end, cells, state)

    pairs = _parse_metadata_line(stripped)
    if pairs is not None:
        for key, value in pairs:
            state.record(key, value)
        return [(start, end, "page metadata")]

    if len(stripped) <= _PROMPT_MAX_CHARS and "。" not in stripped and not _ENUMERATOR_RE.match(
        stripped
    ):
        if _LOGIN_LINE_RE.search(stripped):
            return [(start, end, "login prompt")]
        if _HIDDEN_LINE_RE.search(stripped):
            return [(start, end, "hidden-content notice")]

    if len(stripped) <= 120 and "。" not in stripped and _COPYRIGHT_RE.search(stripped):
        return [(start, end, "copyright line")]
    if len(stripped) <= 100 and (_NAV_LINE_RE.match(stripped) or _is_nav_text(stripped)):
        return [(start, end, "navigation")]
    _check_title(stripped, state)
    return [(start, end, None)]


def _parse_metadata_line(s: str) -> list[tuple[str, str]] | None:
    """``[(key, value), ...]`` if the whole line is ``key: value`` pairs, else None.

    >>> _parse_metadata_line("更新时间:2022-10 来源:网友投稿")
    [('更新时间', '2022-10'), ('来源', '网友投稿')]
    >>> _parse_metadata_line("来源:各区县推荐的项目名单,经市政府同意后公布。") is None
    True
    """
    if len(s) > 200:
        return None
    s = _NAV_TAIL_RE.sub("", s)
    matches = list(_KEY_COLON_RE.finditer(s))
    if not matches or matches[0].start() != 0:
        return None
    pairs = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = s[m.end(): nxt.start() if nxt else len(s)].strip()
        if len(value) > 60 or _SENTENCE_END_RE.search(value):
            return None
        pairs.append((m.group(1), value))
    if any(re.sub(r"\s", "", k) in _BODY_VALUE_KEYS for k, _ in pairs):
        return None  # "标题: ..." is the title: keep the line as body
    return pairs


def _table_cells(text: str, start: int, end: int):
    """Cells ``(start, end, kind, key, value)`` of a table row, or None if no table row.

    kind is "key" (a metadata key cell), "kv" (key and value in one cell),
    "empty", or "other".
    """
    bounds = [start] + [m.start() for m in _PIPE_RE.finditer(text, start, end)] + [end]
    cells = []
    for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
        a = a + 1 if i else a  # skip the pipe itself
        cell = text[a:b].strip()
        kind, key, value = "other", None, None
        if not cell:
            kind = "empty"
        else:
            bare = re.sub(r"\s", "", cell)
            name = bare.rstrip(_COLON[1:-1])
            if name in _ALL_KEYS and (name in _STRONG_KEYS or name != bare):
                kind, key = "key", name
            else:
                m = _KV_CELL_RE.match(cell)
                if m and _is_short_value(m.group(2)):
                    kind, key, value = "kv", m.group(1), m.group(2)
        cells.append((a, b, kind, key, value))
    stripped = text[start:end].strip()
    is_row = any(c[2] in ("key", "kv") for c in cells) or stripped[:1] in "|｜" or (
        stripped[-1:] in "|｜"
    )
    return cells if is_row else None


def _classify_row(text, start, end, cells, state: _State):
    """Body cells are kept; metadata cells and separators between them dropped."""
    body_cells, meta_cells = [], []
    i = 0
    while i < len(cells):
        a, b, kind, key, value = cells[i]
        if kind == "key":
            state.saw_table = True
            meta_cells.append((a, b))
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if nxt and nxt[2] == "other" and _is_short_value(text[nxt[0]:nxt[1]].strip()):
                state.record(key, text[nxt[0]:nxt[1]])
                if key in _BODY_VALUE_KEYS:  # the title itself is body
                    state.title_checked = True
                    body_cells.append(_trim(text, nxt[0], nxt[1]))
                else:
                    meta_cells.append((nxt[0], nxt[1]))
                i += 1
            elif nxt and nxt[2] == "empty":
                i += 1  # an empty value
        elif kind == "kv":
            state.saw_table = True
            state.record(key, value)
            if re.sub(r"\s", "", key) in _BODY_VALUE_KEYS:
                state.title_checked = True
                body_cells.append(_trim(text, a, b))
            else:
                meta_cells.append((a, b))
        elif kind == "other":
            _check_title(text[a:b].strip(), state)
            body_cells.append(_trim(text, a, b))
        i += 1

    spans: list[tuple[int, int, str | None]] = [(a, b, None) for a, b in body_cells]
    gap_start = start
    for a, b in body_cells + [(end, end)]:
        if gap_start < a:
            has_meta = any(ma < a and mb > gap_start for ma, mb in meta_cells)
            spans.append((gap_start, a, "metadata table" if has_meta else "table separator"))
        gap_start = b
    return spans


def _check_title(s: str, state: _State):
    """Record `s` as 标题 if it is the first body text after a metadata table."""
    if state.saw_table and not state.title_checked:
        state.title_checked = True
        if _looks_like_title(s):
            state.record("标题", s)


def _looks_like_title(s: str) -> bool:
    return (
        4 <= len(s) <= 100
        and _CJK_RE.search(s) is not None
        and s[-1] not in _SENTENCE_END + "，,、:："
        and "。" not in s
    )


# ---------------------------------------------------------------------------
# inline notices


def _cut_inline_notices(text: str, spans):
    """Cut login prompts / hidden-content notices out of body spans."""
    out = []
    for start, end, reason in spans:
        if reason is not None:
            out.append((start, end, reason))
            continue
        hits = sorted(
            (m.start(), m.end(), why)
            for pattern, why in _INLINE_NOTICES
            for m in pattern.finditer(text, start, end)
        )
        pieces, pos = [], start
        for a, b, why in hits:
            if a < pos:  # overlaps an earlier hit
                continue
            pieces += [(pos, a, None), (a, b, why)]
            pos = b
        pieces.append((pos, end, None))
        # A remnant of only punctuation, like "(*)", belongs to its notice.
        for i, (a, b, why) in enumerate(pieces):
            if why is None and hits and text[a:b].strip() and not re.search(r"\w", text[a:b]):
                near = [pieces[k][2] for k in (i - 1, i + 1) if 0 <= k < len(pieces)]
                why = next((r for r in near if r), None)
            out.append((a, b, why))
    return out


# ---------------------------------------------------------------------------
# footer


def _find_footer(text: str, lines) -> tuple[int, int, int] | None:
    """``(first line index, start, end)`` of the site footer, or None."""
    stripped = [text[a:b].strip() for a, b in lines]
    n = len(lines)
    sizes = [len("".join(s.split())) for s in stripped]
    total = sum(sizes) or 1
    # suffix facts: non-space chars from line i on, whether a prose line / a
    # web-only marker occurs from line i on
    tail_size = [0] * (n + 1)
    prose_after = [False] * (n + 1)
    web_after = [False] * (n + 1)
    for i in range(n - 1, -1, -1):
        tail_size[i] = tail_size[i + 1] + sizes[i]
        prose_after[i] = prose_after[i + 1] or _is_prose(stripped[i])
        web_after[i] = web_after[i + 1] or (
            len(stripped[i]) <= _FOOTER_LINE_MAX and _WEB_ONLY_RE.search(stripped[i]) is not None
        )
    for i, s in enumerate(stripped):
        if (
            s
            and len(s) <= _FOOTER_LINE_MAX
            and _FOOTER_MARKER_RE.search(s)
            and not prose_after[i]
            and web_after[i]
            and tail_size[i] <= 0.5 * total
            and (tail_size[i] <= _FOOTER_MAX_CHARS or tail_size[i] <= _FOOTER_MAX_SHARE * total)
        ):
            first = i
            j = i - 1
            while j >= 0 and (
                not stripped[j]
                or (len(stripped[j]) <= 100
                    and (_NAV_LINE_RE.match(stripped[j]) or _is_nav_text(stripped[j])))
            ):
                if stripped[j]:
                    first = j
                j -= 1
            span = _trim(text, lines[first][0], len(text))
            return (first, *span)
    return None
