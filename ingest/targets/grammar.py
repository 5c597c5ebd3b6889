"""The grammar of targets and results: sentences, sections and clauses read into :class:`Target` items.

Each item is read as indicator phrase · verb · number · unit · comparator within a clause
(:mod:`ingest.targets.numbers` reads the number and its unit, :mod:`ingest.targets.indicators` matches
the indicator to a concept of the scheme); distributive and implicit lists give one item per number;
the kind and the year come from the tense cues of the sentence and of its section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.targets.indicators import concept_of
from ingest.targets.numbers import _CN, _CN_UNITS, _FULLWIDTH, _VALUE, parse_number

__all__ = ["Target", "KINDS", "COMPARATORS", "find_targets"]

#: What a number can be: a target the plan sets, or a result it reports.
KINDS = ("target", "result")
#: The comparators of the gold format, bounds written after the value first.
COMPARATORS = ("左右", "以上", "以下", "以内", "不低于", "力争", "达到")


@dataclass(frozen=True)
class Target:
    """One target or result: the indicator as written (reduced to the quantity) and its concept IRI
    (None: no concept of the scheme), the value (None when masked), the upper end of a range, the
    unit and comparator as written, the year it is for, its kind, the span of the sentence that states
    it (``start``/``end``, offsets into the text) and the sentence's offsets."""

    indicator: str
    concept: str | None
    value: float | None
    value_max: float | None
    unit: str | None
    comparator: str | None
    year: int | None
    kind: str
    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int

    @property
    def masked(self) -> bool:
        """True when the document masks the figure (``**%``)."""
        return self.value is None



#: Clause boundaries: a list item or a clause ends here.
_BOUNDARY = "，,；;：:。！？!?\n"
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")

# Words before an indicator that name the subject or the intent, not the quantity.
_LEAD = re.compile(
    r"^(?:其中|同时|并且|并|且|而且|要|将|过去一年|过去五年|五年来|一年来|全年|今年|去年|上年|年内|我们|力争|确保|争取|努力|全力|预计|实现|推动|推进|"
    r"全省|全市|全区|全县|全州|全盟|全旗|我省|我市|我区|我县|我州|本市|本省|主要预期目标是|主要目标是|目标是|"
    r"经济社会发展主要预期目标是|主要指标|和|及|与|以及|使|让|促进|带动|完成了|完成)+")
# Words before a value that say how it bounds the quantity (or that it is a level, not a change).
_LEVEL_VERB = re.compile(
    r"(?:保持在|稳定在|控制在|维持在|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|下降到|下降至|"
    r"降低到|降低至|扩大到|扩大至|达到了|达到|分别为|分别是|分别达到|分别达|超过|突破|不低于|不超过|不高于|"
    r"不少于|高于|低于|稳定|保持|控制|接近|将近|完成|达|为|是|至|到|超|逾|近|约|在|总计|合计|共|"
    r"(?:到|至)?\d{4}年(?:末|底)?的?)$")
_GROWTH = ("增长", "下降", "降低", "提高", "提升", "增加", "减少", "上涨", "上升", "回落", "扩大", "增速", "涨幅",
           "降幅", "缩小", "压减", "节约")
# Comparisons with another place, rankings and ordinals are no items.
_COMPARISON = re.compile(r"(?:高于|低于|快于|慢于|高出|超出|领先|好于|优于|超过|多于|少于|比)(?:全国|全省|全市|全区|全球|"
                         r"国家|平均|同期全国)")
_ELSEWHERE = re.compile(r"^(?:全国|全球|世界|国家|我国|国内)(?:经济|GDP|生产总值|国内生产总值|平均|居民|城镇|规上|规模以上|"
                        r"固定资产|社会消费品|进出口|外贸|一般公共预算|粮食|CPI|物价)")
# Tense cues.
_FUTURE = re.compile(r"力争|确保|争取|预期|目标|计划|今年|明年|新的一年|将|要|奋力|努力实现|“十五五”|十五五")
_PAST = re.compile(r"(?<![比较与同])(?:去年|上年(?!同期)|过去一年|一年来|五年来|过去五年|这五年|已经|已)|“十四五”|十四五")
_REVIEW_START = re.compile(r"^(?:[一二三四五六七八九十]+、)?\s*(?:过去一年|过去的一年|刚刚过去的|一年来|五年来|过去五年|这五年|"
                           r"回顾|去年以来|\d{4}年工作回顾|.{0,6}工作回顾)")
_PLAN_START = re.compile(r"^(?:[一二三四五六七八九十]+、)?\s*(?:今年|新的一年|\d{4}年(?:是|重点|工作|的?主要|经济)|"
                         r"“十五五”时期|十五五时期|.{0,12}主要(?:预期)?目标|.{0,12}重点工作|.{0,12}工作安排|"
                         r"做好今年|做好\d{4}年)")
_HEADING = re.compile(r"(?:^|(?<=[。\n]))\s*[一二三四五六七八九十]{1,2}、[^。\n]{0,40}")
_YEAR = re.compile(r"(?<![比较从与自同])(?:到|至|在|于)?(?P<y>(?:19|20)\d{2})年")
_DISTRIBUTIVE = "分别"
_ORDINAL_BEFORE = ("第", "前", "排", "居", "号", "#", "“", "「", "‘")
_THRESHOLD = re.compile(r"^(?:以上|及以上|级)?(?:的)?[\u4e00-\u9fff]{0,10}(?:项目|工程|机组|发电机|企业|泊位)")
_NOT_AFTER = re.compile(r"^(?:年|月|日|号|期|级|届|轮|次会|代|G|C|型|强|星|部分|方面|号线|条线)")
_NOT_AFTER_ANY = re.compile(r"^(?:级|量级|内(?!容)|范围|以内的|号|[\u4e00-\u9fff]{0,8}(?:政策措施|措施|举措|意见|条款))")


def find_targets(text: str, plan_year: int | None = None, *, subject_names=()) -> list[Target]:
    """Every target and result ``text`` states, in the order of the text.

    Parameters
    ----------
    text : str
        A document's text (offsets of the answer index into it).
    plan_year : int or None
        The plan year: a target for the plan year has it, a result of last year has it minus one.
    subject_names : iterable of str
        Names of the subject region (河北省, 河北): dropped where they open an indicator.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If ``plan_year`` is not a plausible year.

    Examples
    --------
    >>> [(t.indicator, t.value, t.comparator) for t in find_targets(
    ...     "今年主要预期目标：一二三产增加值分别增长3.5%左右、6%、5%左右。", 2026)]
    [('第一产业增加值增长', 3.5, '左右'), ('第二产业增加值增长', 6.0, '左右'), ('第三产业增加值增长', 5.0, '左右')]
    >>> [(t.value, t.value_max, t.unit) for t in find_targets("今年地区生产总值增长5%—5.5%。", 2026)]
    [(5.0, 5.5, '%')]
    >>> [(t.value, t.unit, t.text) for t in find_targets("今年居民消费价格涨幅**%左右。", 2026)]
    [(None, '%', '居民消费价格涨幅**%左右')]
    """
    if not isinstance(text, str):
        raise TypeError(f"expected the document's text as a str, got {type(text).__name__}")
    if plan_year is not None and not (isinstance(plan_year, int) and 1949 <= plan_year <= 2100):
        raise ValueError(f"plan_year must be a year between 1949 and 2100, got {plan_year!r}")
    names = sorted({n for n in subject_names if n}, key=len, reverse=True)
    out: list[Target] = []
    headings = {m.start() + len(m.group()) - len(m.group().lstrip()): m.group().strip() for m in _HEADING.finditer(text)}
    heading_starts = sorted(headings)
    state = "review" if re.search(r"各位代表|政府工作报告|过去一年|回顾", text[:3000]) else "plan"
    section_year = None
    h = 0
    for match in _SENTENCE.finditer(text):
        raw = match.group()
        start = match.start() + len(raw) - len(raw.lstrip())
        sentence = raw.strip()
        if not sentence:
            continue
        end = start + len(sentence)
        # Section headings inside this sentence's span switch the state before its figures are read.
        while h < len(heading_starts) and heading_starts[h] < end:
            state, section_year = _section(headings[heading_starts[h]], state, section_year, plan_year)
            h += 1
        head = sentence[:16]
        opening_year = re.match(r"^(?:[一二三四五六七八九十]+、)?\s*((?:19|20)\d{2})年", head)
        if opening_year and plan_year is not None and int(opening_year.group(1)) < plan_year and (
                _PLAN_START.search(head) or _REVIEW_START.search(head)):
            state, section_year = "review", None  # 2025年是“十四五”收官之年 in a 2026 report
        elif _REVIEW_START.search(head):
            state, section_year = "review", None
        elif _PLAN_START.search(head):
            state = "plan"
            if re.match(r"^(?:今年|新的一年)", head) or (plan_year and head.startswith(f"{plan_year}年")):
                section_year = None
            elif "十五五" in head:
                section_year = 2030
        if not re.search(r"\d|[*＊]|[零一二两三四五六七八九十]", sentence):
            continue
        out.extend(_sentence_targets(sentence, start, state, section_year, plan_year, names))
    return out


def _section(heading: str, state: str, section_year, plan_year):
    body = heading.split("、", 1)[-1]
    if re.search(r"回顾|过去|成就|成绩", body):
        return "review", None
    if re.search(r"十五五", body) and re.search(r"目标|任务", body):
        return "plan", 2030
    if re.search(r"目标|任务|工作|安排|今年|\d{4}年", body):
        return "plan", None
    return state, section_year


#: How far back from a value its clause and its cues are looked for, and how far forward a list runs:
#: bounds that keep the cost linear however long a "sentence" without a full stop is.
_REACH = 240


def _clause_start(sentence: str, pos: int, floor: int = 0) -> int:
    floor = max(floor, pos - _REACH)
    i = pos
    while i > floor and sentence[i - 1] not in _BOUNDARY:
        i -= 1
    return i


def _sentence_targets(sentence, offset, state, section_year, plan_year, names) -> list[Target]:
    items = []
    values = list(_VALUE.finditer(sentence))
    previous_end = 0
    previous_head = None
    previous_clause = -1
    distributive = None  # (clause start, parts, verb) of a 分别 list being read
    for m in values:
        num, unit = m.group("num"), m.group("unit") or m.group("unit2")
        if unit is None:
            continue
        value = _number(num)
        if value is _NOT_A_NUMBER:
            continue
        is_chinese = num[0] in _CN
        if unit.endswith("年") and (value is None or value >= 100):
            continue  # 2025年 is a date, not a length of time
        if is_chinese and not _CN_UNITS.match(unit):
            continue
        if is_chinese and num in ("一", "两") and unit in ("个", "家", "项", "批", "场", "次", "条", "件", "部"):
            continue
        before_char = sentence[m.start() - 1] if m.start() else ""
        if before_char in _ORDINAL_BEFORE or before_char.isdigit() or before_char in "." or (
                before_char.isascii() and before_char.isalpha()):
            continue
        rest = sentence[m.end():m.end() + _REACH]
        if _NOT_AFTER.match(rest) and unit in (
                "个", "家", "项", "条", "次", "部", "期", "天"):
            continue
        if m.group("unit") is None and m.group("unit2") is None:
            continue
        if _NOT_AFTER_ANY.match(rest) and not m.group("after"):
            continue
        clause = _clause_start(sentence, m.start())
        prefix = sentence[max(clause, previous_end if previous_clause == clause else clause):m.start()]
        before_clause = sentence[clause:m.start()]
        if _COMPARISON.search(before_clause[-12:]) or "《" in before_clause:
            continue
        if before_clause.count("“") > before_clause.count("”"):
            continue  # inside quotes: part of a name (“人才金政40条”)
        if unit.endswith("条") and re.search(r"政策|措施|举措|意见|办法|条例", sentence[clause:m.end() + 12]):
            continue  # articles of a policy are a list count
        if (_THRESHOLD.match(rest) and re.search(r"元|瓦|吨", unit)) or (
                re.search(r"岁|米|小时$", unit) and re.match(r"(?:以上|以下)?[\u4e00-\u9fff]", rest)):
            continue  # 500万元以上项目, 800兆瓦光伏发电项目: the size of the things, not an item
        if re.search(r"[从由][^到至为，；]*$", sentence[clause:m.start()]):
            # 从A增长到B: A is a baseline; B is the item, with the head before 从.
            head_text = sentence[clause:m.start()]
            previous_head = _strip(head_text[: head_text.rfind("从") if "从" in head_text else head_text.rfind("由")], names)
            previous_end, previous_clause = m.end(), clause
            continue
        # A distributive list: 城镇和农村居民人均可支配收入分别增长4%左右和6%左右.
        where = sentence.rfind(_DISTRIBUTIVE, clause, m.start())
        if where >= 0 and (distributive is None or distributive[0] != where):
            verb = sentence[where + len(_DISTRIBUTIVE):m.start()]
            head = re.sub(r"较“?[^“”]{0,6}”?时期$|较上年$|比上年$|同比$", "", sentence[clause:where])
            modifier = re.search(r"(?:年均|累计)$", head)
            if modifier:
                head, verb = head[: modifier.start()], modifier.group() + verb
            distributive = [where, _split_head(_strip(head, names)), verb, 0, clause, None]
        elif where < 0 and not (distributive is not None and distributive[5] and m.start() < distributive[5]):
            distributive = _implicit_list(sentence, clause, m, names)
        after_noun = ""
        each = ()
        if distributive is not None:
            parts, verb, k = distributive[1], distributive[2], distributive[3]
            verb = _LEVEL_VERB.sub("", verb) if not verb.endswith(_GROWTH) else verb
            if k == "each":
                indicator, each = parts[0] + verb, tuple(p + verb for p in parts[1:])
            else:
                indicator = (parts[k] if k < len(parts) else parts[-1]) + verb
                distributive[3] += 1
            span_start = distributive[4]
        else:
            indicator = _strip(prefix, names)
            after_noun = _noun_after(rest, unit)
            if indicator and (not after_noun) and indicator.endswith(_GROWTH) and len(indicator) <= 3 and previous_head:
                indicator = previous_head + indicator  # 进出口总额突破8000亿元、增长8.4%
            elif not _content(indicator) and previous_head and not after_noun:
                indicator = previous_head + indicator
            if after_noun:
                noun, predicate = _noun_and_predicate(after_noun, rest[rest.find(after_noun):])
                # 4所学校投入使用 → 投入使用学校: what is done to the things counted, then the things.
                lead = _content(indicator) and not _ELSEWHERE.search(indicator)
                indicator = (predicate + noun) if predicate and not lead else (indicator + noun + predicate)
                noun_end = m.end() + rest.find(after_noun) + len(noun) + len(predicate)
            span_start = clause + (len(prefix) - len(prefix.lstrip()) if previous_clause != clause else 0)
            span_start = max(span_start, m.start() - len(prefix) + _lead_len(prefix, names))
        if not _content(indicator) or (_ELSEWHERE.search(indicator) and not after_noun):
            previous_end, previous_clause = m.end(), clause
            continue
        value_max = None
        if m.group("num2") is not None and (m.group("unit2") is not None or m.group("unit") is not None):
            second = _number(m.group("num2"))
            if second is _NOT_A_NUMBER or (m.group("unit2") and m.group("unit") and m.group("unit2") != m.group("unit")):
                second = None
            if m.group("dash") in ("到", "至") and not m.group("unit"):
                second = second  # 5到6% reads as a range too
            value_max = second if second is not _NOT_A_NUMBER else None
        window = max(0, m.start() - _REACH)
        comparator = _comparator(m.group("after"), sentence[clause:m.start()], sentence[window:m.start()])
        if comparator in (None, "力争", "达到") and (m.group("more") or re.search(r"[余多]", unit or "")):
            comparator = "以上"
        elif comparator is None and sentence[max(0, m.start() - 1):m.start()] == "约":
            comparator = "左右"
        if distributive is not None:
            last = _list_end_comparator(sentence, m.end())
            if comparator in (None, "力争", "达到") and last:
                comparator = last
        kind = _kind(sentence[window:], clause - window, m.start() - window, state, plan_year)
        year = _year(sentence[window:], m.start() - window, kind, section_year, plan_year)
        span_end = m.end()
        if distributive is None and after_noun:
            span_end = noun_end
        if distributive is not None:
            span_end = _list_end(sentence, m.end())
        while span_start < m.start() and sentence[span_start] in "、，,；：: ":
            span_start += 1
        text = sentence[span_start:span_end]
        for name in (indicator, *each):
            items.append(Target(
                indicator=name, concept=concept_of(name), value=value, value_max=value_max,
                unit=re.sub(r"(?<=[万亿千百])[余多]", "", unit or "").translate(_FULLWIDTH), comparator=comparator,
                year=year, kind=kind, text=text, start=offset + span_start, end=offset + span_end,
                sentence_start=offset, sentence_end=offset + len(sentence)))
        previous_head = _head(indicator)
        previous_end, previous_clause = span_end, clause
    return items


_NOT_A_NUMBER = object()


def _number(text: str):
    try:
        return parse_number(text)
    except ValueError:
        return _NOT_A_NUMBER


def _lead_len(prefix: str, names) -> int:
    stripped = prefix.lstrip()
    n = len(prefix) - len(stripped)
    for name in names:
        if stripped.startswith(name):
            stripped, n = stripped[len(name):], n + len(name)
            break
    lead = _LEAD.match(stripped)
    return n + (lead.end() if lead else 0)


_ENUMERATION_VERB = re.compile(r"(?:完成|实施|建成|新建|打造|培育|新增|引进|推动|开展|推进|建设|改造|治理|整治|创建|落地|"
                               r"支持|布局|认定|新认定|获批|入选|培训|举办|服务|帮扶|招引|签约|储备|谋划|开工|竣工|投用|在|为)")


def _strip(prefix: str, names) -> str:
    """The indicator in the words before a value: without the subject, intent verbs, level verbs."""
    text = prefix.strip()
    if text.endswith("等"):
        # 实施杜家坎等30项市级疏堵工程: the named examples are no part of the quantity.
        verbs = list(_ENUMERATION_VERB.finditer(text))
        text = text[: verbs[-1].end()] if verbs else ""
    for name in names:
        if text.startswith(name):
            text = text[len(name):]
            break
    text = _LEAD.sub("", text)
    baseline = re.search(r"[从由](?=.*(?:到|至)$)", text)
    if baseline:
        text = text[: baseline.start()]  # 受教育年限从2020年的9.6年提升至: the baseline is no part of it
    text = re.sub(r"\d{4}年(?:末|底)?的?$", "", text)
    text = re.sub(r"按(?=增长|下降)", "", text)
    text = re.sub(r"(?:比上年|比去年|较上年|较去年|同比|比\d{4}年|较\d{4}年|年均|累计)(?=[^，]*$)", lambda x: x.group() if x.group() in ("年均", "累计") else "", text)
    for _ in range(3):
        new = _LEVEL_VERB.sub("", text)
        if new == text:
            break
        text = new
    return text.strip("的、 \u3000")


def _content(indicator: str) -> bool:
    """Whether an indicator names a quantity (more than a verb or a function word)."""
    core = indicator
    for word in _GROWTH:
        core = core.replace(word, "")
    return len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9.]", "", core)) >= 2


def _head(indicator: str) -> str:
    """The quantity of an indicator without its change verb (进出口总额增长 → 进出口总额)."""
    for word in sorted(_GROWTH, key=len, reverse=True):
        if indicator.endswith(word):
            return indicator[: -len(word)]
    return indicator


_AFTER_STOP = re.compile(r"(?:以上|左右|以内|以下|增长|下降|提高|累计|分别|和|、)")


def _noun_after(rest: str, unit: str) -> str:
    """The thing counted when the count comes first (培育3个千亿级产业集群 → 千亿级产业集群)."""
    if unit.endswith(("%", "‰", "百分点", "元", "成", "倍", "岁")):
        return ""
    m = re.match(r"(?:左右|以上|以内|以下)?([\u4e00-\u9fffA-Za-z0-9“”]{2,16})", rest)
    if not m:
        return ""
    noun = m.group(1)
    stop = _AFTER_STOP.search(noun)
    if stop:
        noun = noun[: stop.start()]
    return noun if len(noun) >= 2 and not _VALUE.match(noun) else ""


_PREDICATE_POS = frozenset({"v", "vd", "vi", "d", "ad", "p"})
_HEAD_NOUN = re.compile(r"(?:项目|工程|企业|园区|中心|平台|基地|学校|小区|医院|集群|产业|设施|场景|线路|村|站|点|区|"
                        r"家庭|人员|群众|学生|老人)$")


def _noun_and_predicate(noun: str, rest: str) -> tuple[str, str]:
    """The things counted and what the clause says is done to them, from the words after a count:
    学校投入使用 → (学校, 投入使用); 千亿级产业集群 → (千亿级产业集群, ""). Words are jieba's, with the
    parts of speech of its dictionary (a verb, an adverb or a preposition opens the predicate)."""
    from ingest.recognise.words import _pos, _segment

    words = _segment(noun)
    for k, word in enumerate(words):
        head = "".join(words[:k])
        if not k or head.count("“") != head.count("”"):
            continue
        pos = _pos(word)
        if pos in ("d", "ad") and not (k + 1 < len(words) and _pos(words[k + 1]) in ("v", "vd", "vi")):
            continue  # an adverb opens a predicate only before a verb (尽快开工, not 永久园区)
        if pos in ("v", "vd", "vi") and len(word) < 2:
            continue
        after_head_noun = bool(_HEAD_NOUN.search(words[k - 1])) and len(words[k - 1]) >= 2 and (
            len(word) >= 3 or pos in ("j", "l", "i"))
        if pos in _PREDICATE_POS or after_head_noun or (word.startswith("“") and "“" not in head):
            tail = re.match(r"[^，,；;。、（(]{0,12}", rest[len(head):]).group()
            if _HEAD_NOUN.search(tail):
                continue  # 城中村改造项目: the verb is inside the noun phrase
            # A lone verb closing the clause (老旧小区改造) belongs to the noun phrase.
            if len(_segment(tail)) < 2 and _pos(word) == "v" and len(tail) <= 2:
                return noun, ""
            return head, tail
    return noun, ""


def _split_head(head: str) -> list[str]:
    """The parts a distributive list's head names, each with the shared rest.

    一二三产增加值 → 第一产业增加值, 第二产业增加值, 第三产业增加值; 城镇和农村居民人均可支配收入 →
    城镇居民人均可支配收入, 农村居民人均可支配收入.
    """
    m = re.search(r"(?:第)?([一二三](?:[、和]?(?:第)?[一二三])+)(?:次)?产(?:业)?", head)
    if m:
        rest = head[m.end():]
        return [f"{head[:m.start()]}第{d}产业{rest}" for d in re.findall(r"[一二三]", m.group(1))]
    parts = re.split(r"[、和与及]", head)
    if len(parts) < 2 or any(not p for p in parts):
        return [head]
    last = parts[-1]
    k = len(parts[0])
    if len(last) <= 2 < k and all(len(p) == len(last) for p in parts[1:]):
        stem = parts[0][: -len(last)]
        return [parts[0]] + [stem + p for p in parts[1:]]
    if len(last) <= k or k > 2:
        return parts
    rest = last[k:]
    return [p + rest for p in parts[:-1]] + [last]


_LIST_VERB = re.compile(r"(?:年均|累计|比上年|同比)?(?:增长|下降|降低|提高|提升|增加|减少|完成|达到|达|为|是|分别为)$")


def _implicit_list(sentence: str, clause: int, m, names):
    """A list without 分别 whose head names as many quantities as values follow: 固定资产投资、社会消费品
    零售总额年均增长9.4%、6.5% (two items); None when the counts differ."""
    head = sentence[clause:m.start()]
    verb = _LIST_VERB.search(head)
    if verb is None or "、" not in head[: verb.start()]:
        return None
    parts = _split_head(_strip(head[: verb.start()], names))
    end, values = m.end(), 1
    while end - m.end() < _REACH:
        nxt = re.match(rf"[、和及与]{_VALUE.pattern}", sentence[end:end + _REACH])
        if not nxt or not (nxt.group("unit") or nxt.group("unit2")):
            break
        end, values = end + nxt.end(), values + 1
    if values == 1 and len(parts) > 1 and head[: verb.start()].endswith("均"):
        parts = _split_head(_strip(head[: verb.start() - 1], names))
        return [m.start(), parts, verb.group(), "each", clause, end]  # A、B均增长8%: one value for each
    if values < 2 or values != len(parts):
        return None
    return [m.start(), parts, verb.group(), 0, clause, end]


def _list_end(sentence: str, pos: int) -> int:
    """The end of a distributive list that continues after ``pos`` (、6%左右和5%)."""
    end = pos
    sentence = sentence[: pos + _REACH]
    while True:
        m = re.match(rf"[、和及与]?{_VALUE.pattern}", sentence[end:])
        if not m or not m.group("unit") and not m.group("unit2"):
            return end
        end += m.end()


def _list_end_comparator(sentence: str, pos: int) -> str | None:
    end = _list_end(sentence, pos)
    m = re.search(r"(左右|以上|以下|以内)$", sentence[:end])
    return m.group(1) if m else None


def _comparator(after: str | None, clause_before: str, sentence_before: str) -> str | None:
    if after:
        return "左右" if after == "上下" else after
    near = clause_before[-8:]
    if re.search(r"不低于|不少于", near):
        return "不低于"
    if re.search(r"不超过|不高于|控制在", near):
        return "以内" if "控制在" not in near else None
    if re.search(r"超过|突破|超|逾|高于", near):
        return "以上"
    since = sentence_before[max(sentence_before.rfind("；"), sentence_before.rfind(";")) + 1:]
    if re.search(r"力争|争取", since):
        return "力争"
    if re.search(r"达到|达", near):
        return "达到"
    return None


def _kind(sentence: str, clause: int, pos: int, state: str, plan_year) -> str:
    before = sentence[:pos]
    around = sentence[clause:pos]
    future_year = past_year = False
    for y in _YEAR.finditer(before):
        year = int(y.group("y"))
        if plan_year is not None:
            future_year |= year >= plan_year
            past_year |= year < plan_year
    if state == "review":
        if re.search(r"力争|确保|预期目标|目标是|今年|明年", before) or (future_year and re.search(r"到\d{4}年", before)):
            return "target"
        return "result"
    if _PAST.search(around) or (past_year and not future_year and not re.search(r"比\d{4}年|较\d{4}年", before)):
        return "result"
    return "target"


def _year(sentence: str, pos: int, kind: str, section_year, plan_year) -> int | None:
    before = sentence[:pos]
    named = [int(y.group("y")) for y in _YEAR.finditer(before)]
    if kind == "target":
        future = [y for y in named if plan_year is None or y >= plan_year]
        if future:
            return future[-1]
        if "十五五" in before:
            return 2030
        return section_year or plan_year
    past = [y for y in named if plan_year is None or y < plan_year]
    if past:
        return past[-1]
    return plan_year - 1 if plan_year is not None else None

