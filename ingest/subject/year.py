"""The year a plan is for.

Stated before voted, in this order: the title's year (a five-year plan's title gives the first
year of its period: 行动方案（2021—2025年）, “十四五”规划 → 2021); the year of a title line at the head
of the body; the meeting's date (2024年1月…在…人民代表大会上 → 2024); the report's structure (一、2023年
工作回顾 → the report is for 2024; 2026年是“十五五”开局之年 → 2026); the document's own number
(洛发〔2022〕6号); a five-year period the head names; then the years the body talks about first and
most; last, the page's dates (plans are often posted years later). Years may be written in Chinese numerals (二〇一〇年, 二O一三年).

Examples
--------
>>> find_year("", "各位代表：现在，我代表市人民政府向大会报告工作。\\n一、2023年工作回顾\\n2023年，全市…")
2024
>>> find_year("", "——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上")
2026
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["find_year", "find_period"]

_YEAR = r"(19[5-9]\d|20[0-4]\d)"
_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "O": "0", "0": "0", "一": "1", "二": "2", "三": "3",
              "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR_RE = re.compile(r"([一二][〇○零O0一二三四五六七八九]{3})(?=\s*年)")
# The first year of each five-year plan (十一五 2006 … 十五五 2026).
_FIVE_YEAR = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
_PERIOD_RE = re.compile(_YEAR + r"\s*年?\s*[—–\-－~～至到]+\s*" + _YEAR + r"\s*年")
_HEAD_CHARS = 3000
_TITLE_LINE_RE = re.compile(
    r"^[^\n。；;，,]{0,40}?(?:政府工作报告|工作要点|工作报告|规划|计划|方案|意见|通知|办法|纲要)[^\n。]{0,12}$", re.M)
_MEETING_RE = re.compile(_YEAR + r"\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*在[^\n。]{2,40}?(?:大会|会议)"
                         r"|人民代表大会第?[一二三四五六七八九十\d]+次会议上?\s*[)）]?\s*[(（]?\s*" + _YEAR + r"\s*年")
# A heading: at a line's start, or numbered after a sentence (texts without line breaks).
_HEADING = r"(?:^|\n|。\s*(?=[一二三四五六七八九十]+、))\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])?\s*"
_REVIEW_RE = re.compile(_HEADING + r"[^\n。，,]{0,12}?" + _YEAR +
                        r"\s*年(?:[和及][^\n。，,]{1,12})?(?:政府)?工作(?:回顾|总结)")
_PLAN_RE = re.compile(_HEADING + _YEAR + r"\s*年(?:政府)?(?:工作安排|主要任务|重点工作|工作任务|工作建议|"
                      r"政府工作总体要求|工作总体要求|总体要求|目标任务|主要目标|工作部署)(?!完成|进展|情况|回顾|总结)")
_THIS_YEAR_RE = re.compile(r"(今年|" + _YEAR + r"\s*年)是[^。，,；]{0,12}?“?(十[一二三四五]五)”?[^。，,；]{0,8}?(开局|收官)之年")
_OWN_NUMBER_RE = re.compile(r"^\s*[\u4e00-\u9fff]{1,10}\s*[〔\[［(（]" + _YEAR + r"[〕\]］)）]\s*\d+\s*号\s*$", re.M)
_TARGET_RE = re.compile(r"(?:到|至|截至|截止)\s*" + _YEAR + r"\s*年|" + _YEAR + r"\s*年(?:前|底前|以前)")
_HEADING_RE = re.compile(r"\s*(?:[一二三四五六七八九十]+、)?\s*" + _YEAR + r"\s*年(?:政府)?工作(?:回顾|总结)\s*")


def _plain(text: str) -> str:
    """``text`` with the escapes a scraped page leaves behind as text (\\r\\n, &nbsp;) undone."""
    return re.sub(r"\\r\\n|\\n|\\r", "\n", text).replace("&nbsp;", " ")


def _preamble(head: str) -> str:
    """The lines before the first sentence of prose (a page's header, the title, the congress
    line, the signature): a heading further down (三、实施成德同城化方案) is not the title."""
    m = re.search(r"。|各位代表|同志们", head)
    return head[: m.start()] if m else head


def _arabic(text: str) -> str:
    """``text`` with years in Chinese numerals written in digits (二O一三年 → 2013年)."""
    return _CN_YEAR_RE.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)), text)


def _title_and_head(title: str, body: str) -> tuple[str, str, str]:
    """The title (empty where it is no title), the body and the body's head, as the year rules read
    them: scraped escapes undone, years in Chinese numerals in digits (the title and the head)."""
    title, body = _plain(title), _plain(body)
    if "。" in title or len(title) > 100 or _HEADING_RE.fullmatch(title):
        title = ""  # a text without line breaks, or one opening with a section heading: no title
    return _arabic(title), body, _arabic(body[:_HEAD_CHARS])


def _stated_year(line: str) -> int | None:
    """The year a title states: the first of a period (2021—2025年, “十四五”), else the latest."""
    period = _PERIOD_RE.search(line)
    if period:
        return int(period.group(1))
    for name, first in _FIVE_YEAR.items():
        if name in line and not re.search(_YEAR + r"\s*年", line):
            return first
    years = [int(y) for y in re.findall(_YEAR + r"\s*年", line)]
    return max(years) if years else None


def _stated_period(line: str) -> tuple[int, int] | None:
    """The period a title line states (2021—2025年, “十四五”规划), or None."""
    period = _PERIOD_RE.search(line)
    if period and int(period.group(1)) < int(period.group(2)):
        return int(period.group(1)), int(period.group(2))
    for name, first in _FIVE_YEAR.items():
        if re.search(name + r"[”\"]?\s*(?:时期)?[^。，,；]{0,16}?(?:规划|纲要|计划|方案)", line):
            return first, first + 4
    return None


def find_period(title: str, body: str) -> tuple[int, int] | None:
    """The period a five-year (or other multi-year) plan is for, as its title states it: ``(first
    year, last year)``, or None for a plan of one year.

    Only the title and the title lines at the head of the body count: an annual report that talks
    of the “十四五” is still a plan for one year.

    Raises
    ------
    TypeError
        If ``title`` or ``body`` is not a string.

    Examples
    --------
    >>> find_period("智能终端产业高质量发展行动方案（2021—2025年）", "到2025年，…")
    (2021, 2025)
    >>> find_period("", "驻马店市国民经济和社会发展第十四个五年规划\\n“十四五”规划纲要\\n各位代表：")
    (2021, 2025)
    >>> find_period("2026年重庆市政府工作报告", "今年是“十五五”开局之年。") is None
    True
    """
    for label, value in (("title", title), ("body", body)):
        if not isinstance(value, str):
            raise TypeError(f"{label} must be a str, not {type(value).__name__}: {value!r:.60}")
    title, _body, head = _title_and_head(title, body)
    for line in [title, *(m.group(0) for m in _TITLE_LINE_RE.finditer(_preamble(head)))]:
        if line and (found := _stated_period(line)):
            return found
    return None


def find_year(title: str, body: str, metadata: dict | None = None) -> int | None:
    """The year a plan is for (the first year of a five-year plan's period), or None.

    Parameters
    ----------
    title : str
        The document's title ("" if it has none).
    body : str
        The document's text.
    metadata : dict, optional
        The page's metadata (成文日期, 发布时间, 来源…), a last resort.

    Raises
    ------
    TypeError
        If ``title`` or ``body`` is not a string, or ``metadata`` not a mapping.

    Examples
    --------
    >>> find_year("2017年工作总结和2018年工作安排报告", "2017年,我们…")
    2018
    >>> find_year("工作方案", "根据《方案》(鲁厅字〔2018〕20号)精神", {"来源": "2020-06-10"})
    2018
    >>> find_year("智能终端产业高质量发展行动方案（2021—2025年）", "到2025年，…")
    2021
    >>> find_year("标题：二O一三年政府工作报告", "一、2012年政府工作回顾")
    2013
    """
    for label, value in (("title", title), ("body", body)):
        if not isinstance(value, str):
            raise TypeError(f"{label} must be a str, not {type(value).__name__}: {value!r:.60}")
    if metadata is not None and not hasattr(metadata, "get"):
        raise TypeError(f"metadata must be a mapping or None, not {type(metadata).__name__}")
    title, body, head = _title_and_head(title, body)

    stated = _stated_year(title)
    if stated:
        return stated
    for line in _TITLE_LINE_RE.finditer(_preamble(head)):
        stated = _stated_year(line.group(0))
        if stated:
            return stated
    meeting = _MEETING_RE.search(head)
    if meeting:
        return int(meeting.group(1) or meeting.group(2))
    plan = _PLAN_RE.search(_arabic(body))
    if plan:
        return int(plan.group(1))  # 三、2024年重点工作
    review = _REVIEW_RE.search(head)
    if review:
        return int(review.group(1)) + 1  # a report reviewing 2023 is delivered in, and for, 2024
    past = re.search(r"(?:刚刚|刚)过去的\s*" + _YEAR + r"\s*年", head)
    if past:
        return int(past.group(1)) + 1  # 刚刚过去的2025年: said in 2026
    # 今年是“十五五”开局之年, 2026年是“十五五”开局之年: a report names the year it reviews and the year
    # it plans so, never a later one; the latest is the plan's.
    stated_years = [_FIVE_YEAR[m.group(3)] + (0 if m.group(4) == "开局" else 4)
                    for m in _THIS_YEAR_RE.finditer(_arabic(body))]
    if stated_years:
        return max(stated_years)
    number = re.search(r"[〔\[［(（]" + _YEAR + r"[〕\]］)）]", str(metadata.get("文号", ""))) \
        if metadata else None
    number = number or _OWN_NUMBER_RE.search(head[:1000])
    if number:
        return int(number.group(1))  # the document's own number: the year it was issued
    period = _PERIOD_RE.search(head)
    if period:
        return int(period.group(1))
    for name, first in _FIVE_YEAR.items():
        if f"{name}”规划" in head or f"{name}规划" in head:
            return first

    # The years the body talks about first and most, not those it sets targets for (到2025年).
    targets = {m.start(): int(m.group(1) or m.group(2)) for m in _TARGET_RE.finditer(head)}
    votes = Counter()
    for y in re.findall(r"[〔\[［(（]" + _YEAR + r"[〕\]］)）]", title + body):
        votes[int(y)] += 3
    years = [m for m in re.finditer(_YEAR + r"\s*年", head)
             if not any(start <= m.start() <= start + 3 for start in targets)]
    for i, m in enumerate(years):
        votes[int(m.group(1))] += 2 if i == 0 else 1
    if votes:
        return votes.most_common(1)[0][0]
    for key in ("成文日期", "发文日期", "印发日期"):
        m = re.search(_YEAR, str((metadata or {}).get(key, "")))
        if m:
            return int(m.group(1))
    if targets:
        # Only targets: a plan 到2025年 with no year of its own is of the five years up to 2025.
        target = min(targets.values())
        return target - 4 if target % 5 == 0 else target
    for key in ("发布时间", "发布日期", "日期", "更新时间", "来源"):
        m = re.search(_YEAR, str((metadata or {}).get(key, "")))
        if m:
            return int(m.group(1))
    return None
