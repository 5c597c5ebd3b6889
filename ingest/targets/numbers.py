"""Numbers as plans write them: Arabic or Chinese numerals, masked figures (``**``) and their units.

:func:`parse_number` reads one number; ``_VALUE`` is the pattern of a value as the grammar
(:mod:`ingest.targets.grammar`) finds it in a sentence: a number (or a range), its unit, a bound
written after it (左右, 以上 …).
"""

from __future__ import annotations

import re

__all__ = ["parse_number"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"
_MASK = "*＊xX×Ｘ"


def parse_number(text: str) -> float | None:
    """The value of a number as written: Arabic, Chinese (三, 十二, 一百五十, 三点五) or masked (None).

    Raises
    ------
    ValueError
        If ``text`` is not a number.

    Examples
    --------
    >>> parse_number("5.5"), parse_number("三"), parse_number("一百二十"), parse_number("三点五")
    (5.5, 3.0, 120.0, 3.5)
    >>> parse_number("**") is None
    True
    >>> parse_number("很多")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '很多'
    """
    text = (text or "").strip().translate(_FULLWIDTH)
    if text and all(c in _MASK for c in text):
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text and all(c in _CN or c == "点" for c in text) and text.count("点") <= 1:
        whole, _, frac = text.partition("点")
        if whole and all(c in _DIGITS for c in frac):
            value = _chinese_integer(whole)
            if value is not None:
                if frac:
                    value = float(f"{int(value)}." + "".join(str(_DIGITS[c]) for c in frac))
                return float(value)
    raise ValueError(f"not a number: {text!r}")


_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def _chinese_integer(text: str) -> int | None:
    if all(c in _DIGITS for c in text):  # 二〇二五-style digit strings
        return int("".join(str(_DIGITS[c]) for c in text)) if len(text) <= 4 else None
    total, digit = 0, None
    for c in text:
        if c in "零〇":
            continue  # 一百零五: a place left empty
        if c in _DIGITS:
            if digit is not None:
                return None
            digit = _DIGITS[c]
        elif c in _POWERS:
            total += (1 if digit is None else digit) * _POWERS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)




# -- units ----------------------------------------------------------------------------------------

_PERCENT = r"个百分点|百分点|%|‰"
_MAGNITUDE = r"万亿|亿|万|千|百"
# Units a count or a measure is written in; longest first where one is a prefix of another.
_BASE = (r"微克/立方米|吨标准煤|万亩次|亩次|EFLOPS|Eflops|EFlops|PFlops|GWh|吉瓦时|平方公里|平方米|立方米|千瓦时|标准箱|人次|美元|公里|千米|千瓦|兆瓦|吉瓦|小时|"
         r"元|人|户|家|个|项|吨|斤|亩|米|辆|台|套|所|座|张|间|头|只|株|棵|条|处|件|例|场|次|名|位|床|"
         r"栋|艘|架|部|篇|册|倍|天|岁|标箱|千克|公斤|升|度|款|支|颗|枚|门|种|趟|列|GW|TEU")
# Units that make a Chinese numeral an item: a measure or a share, not a list count (三个方面, 十大行动).
_CN_UNITS = re.compile(rf"^(?:{_PERCENT}|成|(?:{_MAGNITUDE})(?:{_BASE})|(?:{_MAGNITUDE})$)")
_UNIT = (rf"(?:{_PERCENT}|成|(?:{_MAGNITUDE})?(?:余|多)?(?:{_BASE})(?:（套）)?(?:/(?:{_MAGNITUDE})?(?:{_BASE}|月|年|日))?|"
         rf"万亿|亿|万(?![\u4e00-\u9fff])|\d*年(?=左右|以上|以内|，|。|；|、))")
_NUMBER = rf"(?:\d+(?:\.\d+)?|[{_MASK}]{{1,4}}|[{_CN}]{{0,5}}[一二两三四五六七八九][{_CN}]{{0,5}}(?:点[{_CN}]{{1,3}})?)"
_VALUE = re.compile(
    rf"(?P<num>{_NUMBER})(?P<more>多|余)?(?P<unit>{_UNIT})?"
    rf"(?:(?P<dash>[—–\-~～至到]{{1,2}})(?P<num2>{_NUMBER})(?P<more2>多|余)?(?P<unit2>{_UNIT})?)?"
    rf"(?P<after>左右|以上|以下|以内|上下)?")

