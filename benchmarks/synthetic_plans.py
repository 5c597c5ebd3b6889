"""A seeded corpus of plan-like documents, recombined from the sample documents' sentence shapes.

The five sample plans (``data/samples``) are cut into sentences (at 。！？ and line breaks), and each
sentence becomes a shape with slots where a name stands:

- **regions**: every name of a division (the division table, as :class:`ingest.regions.Divisions` finds
  it) and the anonymised region "X"; a slot remembers the name's rank (province, city, county),
  whether it is the sample's own region (its most named division of that rank) or another one, and
  whether it was written in full (宁波市) or short (宁波);
- **industries**: every surface form of ``ontology/industries.ttl``;
- **names**: the distinctive word before a type suffix of a zone, institution, project or talent
  programme (the 联合 of 宁波新材料联合研究院, the 蓝海 of 梅山湾蓝海工程): suffixes from
  ``ontology/lexicon.ttl`` and ``ontology/zones.ttl``, words as jieba's own dictionary cuts them,
  only words it tags as nouns or names (or does not know), never the generic and boundary words
  of the lexicon (重点, 一批, 建设);
- **self-references**: the 区 of 全区, 我区, 本区 (and 市, 县).

A slot is kept only where jieba's tokens agree with it (化工 inside 强化工作 is not an industry).

A synthetic document gets a subject region (a real city, district or county, or a city's 高新区
or 经济技术开发区), a plan year (2016–2024) and a kind (政府工作报告, 工作要点, 实施意见, 工作方案,
五年规划), a title line saying them as plans do (``襄阳市2021年政府工作报告``), a date line, and a body
of runs of consecutive sentences taken from the samples (4–20 sentences a run, so headings stay
with their paragraphs), until it reaches a length drawn around the samples' (log-normal, median
5,500 characters; the samples have 4,061–9,053). In the body, each consistently within a document:
the sample's own region becomes the document's (its province the document's province; its city
and its district both the document's city, district or zone, so the body agrees with the title),
how the plan calls itself follows (全区, 我市, 本县), other regions become other divisions of the same
rank (in the same province or city), industries become other industries, name heads become other
heads (two characters from a fixed set: 瑞泰, 星海, 汇智 …), and years move with the plan year. A
sample's title lines (and its metadata table) are not reused. The subject region that ``regionkg``
reads is the one written for most documents, not all (a county-level city whose body says 全市 is
read as its city, as a real plan could be).

Document ``i`` of seed ``s`` depends only on ``(s, i)``: the first 1,000 documents of a 10,000
corpus are the 1,000 corpus, and the same seed writes byte-identical files. What the corpus is made
of (the samples, the division table, the ontology files, jieba's dictionary) is part of its identity:
:meth:`PlanCorpus.write` returns a SHA-256 over every file name and its bytes to tell.

Example::

    corpus = PlanCorpus(seed=7)
    info = corpus.write(1000, Path("/tmp/plans"))   # plan-00000.txt … plan-00999.txt
    print(info["sha256"], info["chars"])
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "data" / "samples"
#: The plan year each sample is for (data/SAMPLES.md); body years move by the synthetic year's offset.
SAMPLE_YEARS = {"000": 2018, "001": 2018, "002": 2020, "003": 2017, "004": 2018}

KINDS = ("政府工作报告", "工作要点", "实施意见", "工作方案", "五年规划")
#: The characters a varied name head is made of: two of them, in order, never the same twice.
HEAD_CHARS = ("华鼎瑞泰恒嘉启航远达睿芯云海星辰宏博润金铭锦源"
              "汇聚天元正和盛光明德信通安泽卓越峰湖")
RANK_ORDER = ("province", "city", "county")
#: jieba dictionary tags of a word that can be a name's distinctive head (nouns, place and
#: organisation names, abbreviations); verbs, numerals, adjectives and idioms are left alone.
NAME_TAGS = {"n", "nz", "ns", "nt", "nr", "nrt", "nrfg", "j"}


@dataclass(frozen=True)
class Slot:
    """A place in a sentence shape where a name stands."""

    start: int
    end: int
    kind: str  # "region", "anon", "self", "year", "industry", "head"
    text: str
    rank: str = ""  # for regions: province, city, county
    own: bool = False  # for regions: the sample's own region at that rank
    short: bool = False  # for regions: written in the short form (宁波 for 宁波市)


@dataclass(frozen=True)
class Shape:
    """One sentence of a sample (with its end: 。！？ or a line break) and its slots."""

    text: str
    slots: tuple[Slot, ...]
    source: str


class PlanCorpus:
    """The sentence shapes of the samples and the name pools; :meth:`document` makes one document."""

    def __init__(self, seed: int = 7, samples: Path = SAMPLES):
        import jieba

        from ingest.regions import CITY, COUNTY, PROVINCE, Divisions, _forms, word_tag
        from ingest.vocab import load_vocabulary

        jieba.setLogLevel(60)
        jieba.initialize()
        self.seed = seed
        self.divisions = Divisions.default()
        self._forms = _forms
        self._word_tag = word_tag
        vocab = load_vocabulary()
        self.industry_forms = sorted(f for f in vocab.industries if 2 <= len(f) <= 10)
        self.suffixes = sorted({s for s in vocab.suffixes if len(s) >= 2}, key=lambda s: (-len(s), s))
        self.keep_words = set(vocab.lexicon.get("boundary", ())) | set(vocab.lexicon.get("generic", ()))
        ranks = {PROVINCE: "province", CITY: "city", COUNTY: "county"}
        self.rank_of = {code: ranks[d.rank] for code, d in self.divisions.by_code.items()}

        # The subject pool: cities and counties whose city is in the table (not a municipality's
        # districts, whose city is their municipality, nor 省直辖县级行政区划, a heading of the table
        # rather than a city), in code order.
        by_code = self.divisions.by_code
        self.cities = sorted(c for c, d in by_code.items() if d.rank == CITY and "行政区划" not in d.name)
        cities = set(self.cities)
        self.counties = sorted(c for c, d in by_code.items() if d.rank == COUNTY and d.city_code in cities)
        self.provinces = sorted(c for c, d in by_code.items() if d.rank == PROVINCE)
        self.counties_of: dict[str, list[str]] = {}
        for c in self.counties:
            self.counties_of.setdefault(by_code[c].city_code, []).append(c)
        self.cities_of: dict[str, list[str]] = {}
        for c in self.cities:
            self.cities_of.setdefault(by_code[c].province_code, []).append(c)
        self.heads = [a + b for a in HEAD_CHARS for b in HEAD_CHARS if a != b]

        self.shapes: list[Shape] = []
        self._source_spans: list[tuple[int, int]] = []
        for path in sorted(samples.glob("*.txt")):
            first = len(self.shapes)
            self.shapes.extend(self._shapes(path, jieba))
            self._source_spans.append((first, len(self.shapes)))
        # A run starts at any shape of a source; sources weighted by their length.
        self._cumulative = _cumulative([sum(len(s.text) for s in self.shapes[first:last])
                                        for first, last in self._source_spans])

    # -- the shapes ------------------------------------------------------------------------------

    def _shapes(self, path: Path, jieba) -> list[Shape]:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        source = path.name[:3]
        lines = text.split("\n")
        # Not reused: the title (the first non-empty line), a document number, the metadata table
        # and web-page dates (their lines hold "|" or 来源 / 更新时间).
        body_lines = []
        title_seen = False
        for line in lines:
            if not title_seen and line.strip():
                title_seen = True
                continue
            if "|" in line or re.search(r"来源|更新时间|〔\d{4}〕\d+号", line):
                body_lines.append("")
                continue
            body_lines.append(line)
        body = "\n".join(body_lines).strip("\n") + "\n"

        # The sample's own region at each rank: the division it names most often at that rank.
        counts: dict[str, Counter] = {r: Counter() for r in RANK_ORDER}
        for m in self.divisions.find(body):
            code = m.codes[0]
            counts[self.rank_of[code]][code] += 1
        own = {r: c.most_common(1)[0][0] for r, c in counts.items() if c}

        shapes = []
        for piece in re.findall(r"[^。！？\n]*(?:[。！？]+[”’」』）)]?|\n)|[^。！？\n]+$", body):
            if piece:
                shapes.append(Shape(piece, self._slots(piece, own, jieba), source))
        return shapes

    def _slots(self, sentence: str, own: dict[str, str], jieba) -> tuple[Slot, ...]:
        words = jieba.lcut(sentence, HMM=False)
        bounds, pos = {0}, 0
        word_at_end: dict[int, str] = {}
        for w in words:
            pos += len(w)
            bounds.add(pos)
            word_at_end[pos] = w
        taken = [False] * len(sentence)
        slots: list[Slot] = []

        def free(a, b):
            return a in bounds and b in bounds and not any(taken[a:b])

        def take(slot):
            for i in range(slot.start, slot.end):
                taken[i] = True
            slots.append(slot)

        for m in self.divisions.find(sentence):
            if not free(m.start, m.end):
                continue
            code = m.codes[0]
            rank = self.rank_of[code]
            full = self.divisions.by_code[code].name
            take(Slot(m.start, m.end, "region", m.text, rank, own.get(rank) in m.codes, m.text != full))
        for m in re.finditer(r"(?<![A-Za-z0-9])X(?![A-Za-z0-9])", sentence):
            if not taken[m.start()]:
                take(Slot(m.start(), m.end(), "anon", "X"))
        for m in re.finditer(r"(?<=[全我本])[区市县](?![场民委])", sentence):
            if not taken[m.start()]:
                take(Slot(m.start(), m.end(), "self", m.group()))
        for m in re.finditer(r"(?<!\d)(20[12]\d)(?=年)", sentence):
            if not any(taken[m.start():m.end()]):
                take(Slot(m.start(), m.end(), "year", m.group(1)))
        for start, end in _longest_matches(sentence, self.industry_forms):
            if free(start, end):
                take(Slot(start, end, "industry", sentence[start:end]))
        # Name heads: the jieba word right before a type suffix.
        for suffix in self.suffixes:
            for m in re.finditer(re.escape(suffix), sentence):
                head_end = m.start()
                head = word_at_end.get(head_end)
                if not head or head_end not in bounds:
                    continue
                head_start = head_end - len(head)
                tag = self._word_tag(head)
                if (2 <= len(head) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", head)
                        and (tag is None or tag[1] in NAME_TAGS) and not head.endswith("性")
                        and head not in self.keep_words and not any(taken[head_start:head_end])):
                    take(Slot(head_start, head_end, "head", head))
        return tuple(sorted(slots, key=lambda s: s.start))

    # -- one document ----------------------------------------------------------------------------

    def document(self, i: int) -> tuple[str, str, dict]:
        """``(file name, text, what it is about)`` of document ``i``; the same for the same seed."""
        rng = random.Random(f"regionkg-plans:{self.seed}:{i}")
        by_code = self.divisions.by_code
        year = rng.randint(2016, 2024)
        kind = rng.choice(KINDS)
        roll = rng.random()
        if roll < 0.40:
            city, county = rng.choice(self.cities), None
            subject, subject_name = city, by_code[city].name
        else:
            county = rng.choice(self.counties)
            city = by_code[county].city_code
            subject, subject_name = county, by_code[county].name
        province = by_code[city].province_code
        zone = None
        if roll >= 0.85:  # a city's zone
            short = self._short(by_code[city].name)
            zone = short + rng.choice(("高新区", "经济技术开发区"))
            subject_name = zone
        # The sample's own region becomes this document's region: at its own rank and below (a city
        # document's samples about a district speak of the city), and above it for a district
        # (the city it is in is named in the title), so that the body agrees with the title.
        names = {"province": self._both(by_code[province].name), "city": self._both(by_code[city].name)}
        if zone:
            names["county"] = (zone, zone)
        elif subject == county:
            names["city"] = names["county"] = self._both(by_code[county].name)
        else:
            names["county"] = names["city"]
        # How the plan calls itself (全市, 我区, 本县): by the subject's own name.
        names["self"] = "区" if zone else subject_name[-1] if subject_name[-1] in "区市县" else "市"
        own = names

        title_region = subject_name if zone else (
            by_code[city].name + by_code[county].name if subject == county else by_code[city].name)
        title = self._title(rng, kind, title_region, year)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        lines = [title, "", f"{year}年{month}月{day}日", ""]

        target = int(min(16000, max(2000, rng.lognormvariate(math.log(5500), 0.35))))
        mapping: dict[tuple[str, str], str] = {}
        body: list[str] = []
        size = 0
        cumulative = self._cumulative
        while size < target:
            s = bisect.bisect(cumulative, rng.random() * cumulative[-1])
            first, last = self._source_spans[s]
            start = rng.randrange(first, last)
            stop = min(last, start + rng.randint(4, 20))
            for shape in self.shapes[start:stop]:
                piece = self._fill(shape, rng, own, (province, city), year, mapping)
                body.append(piece)
                size += len(piece)
            if body and not body[-1].endswith("\n"):
                body.append("\n")
        text = "\n".join(lines) + "".join(body).rstrip("\n") + "\n"
        about = {"subject": subject_name, "code": subject, "year": year, "kind": kind, "title": title}
        return f"plan-{i:05d}.txt", text, about

    def _title(self, rng, kind: str, region: str, year: int) -> str:
        industry = self._industry_name(rng.choice(self.industry_forms))
        if kind == "政府工作报告":
            return f"{region}{year}年政府工作报告"
        if kind == "工作要点":
            return f"{region}{year}年{rng.choice(('经济工作', '发展改革工作', '科技创新工作'))}要点"
        if kind == "实施意见":
            return f"关于{region}加快推进{industry}高质量发展的实施意见"
        if kind == "工作方案":
            return f"{region}{year}年{industry}发展工作方案"
        plan = "十四个五年" if year > 2020 else "十三个五年"
        return f"{region}国民经济和社会发展第{plan}规划纲要"

    @staticmethod
    def _industry_name(form: str) -> str:
        return form if form.endswith(("产业", "业", "经济")) else form + "产业"

    def _both(self, name: str) -> tuple[str, str]:
        return name, self._short(name)

    def _short(self, name: str) -> str:
        forms = self._forms(name)
        return forms[-1]

    def _replacement(self, slot: Slot, rng, own: dict, where: tuple[str, str], shift: int,
                     mapping: dict) -> str:
        by_code = self.divisions.by_code
        province, city = where
        if slot.kind == "year":
            return str(int(slot.text) + shift)
        if slot.kind == "self":
            return own["self"]
        key = (slot.kind + slot.rank + ("own" if slot.own else ""), slot.text)
        if key in mapping:
            return mapping[key]
        if slot.kind == "anon":
            new = own["county"][0]
        elif slot.kind == "region" and slot.own:
            new = own[slot.rank][1 if slot.short else 0]
        elif slot.kind == "region":
            if slot.rank == "province":
                code = rng.choice(self.provinces)
            elif slot.rank == "city":
                code = rng.choice(self.cities_of.get(province, self.cities))
            else:
                code = rng.choice(self.counties_of.get(city, self.counties))
            name = by_code[code].name
            new = self._short(name) if slot.short else name
        elif slot.kind == "industry":
            new = rng.choice(self.industry_forms)
        else:  # a name head
            new = rng.choice(self.heads)
        mapping[key] = new
        return new

    def _fill(self, shape: Shape, rng, own, where, year, mapping) -> str:
        shift = year - SAMPLE_YEARS.get(shape.source, year)
        out, pos = [], 0
        for slot in shape.slots:
            out.append(shape.text[pos:slot.start])
            out.append(self._replacement(slot, rng, own, where, shift, mapping))
            pos = slot.end
        out.append(shape.text[pos:])
        return "".join(out)

    # -- the corpus ------------------------------------------------------------------------------

    def write(self, n: int, folder: Path, manifest: Path | None = None) -> dict:
        """Write documents ``0 … n-1`` into ``folder``; returns counts and the corpus's SHA-256."""
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        chars = 0
        lengths = []
        about = []
        for i in range(n):
            name, text, info = self.document(i)
            data = text.encode("utf-8")
            (folder / name).write_bytes(data)
            digest.update(name.encode() + b"\0" + data + b"\0")
            chars += len(text)
            lengths.append(len(text))
            about.append({"file": name, **info})
        if manifest is not None:
            manifest.write_text(json.dumps(about, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        lengths.sort()
        return {"documents": n, "chars": chars, "sha256": digest.hexdigest(), "about": about,
                "chars_median": lengths[len(lengths) // 2], "chars_min": lengths[0], "chars_max": lengths[-1]}

    def slot_counts(self) -> Counter:
        """How many slots of each kind the shapes have (to say what varies)."""
        return Counter(s.kind for shape in self.shapes for s in shape.slots)


def _cumulative(weights):
    out, total = [], 0
    for w in weights:
        total += w
        out.append(total)
    return out


def _longest_matches(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of ``forms`` in ``text``, longest first at each place."""
    automaton = _automaton(tuple(forms))
    found = sorted(((end - len(form) + 1, end + 1) for end, form in automaton.iter(text)),
                   key=lambda m: (m[0], -(m[1] - m[0])))
    kept, last = [], -1
    for start, end in found:
        if start >= last:
            kept.append((start, end))
            last = end
    return kept


_AUTOMATA: dict = {}


def _automaton(forms: tuple[str, ...]):
    key = hash(forms)
    if key not in _AUTOMATA:
        import ahocorasick

        a = ahocorasick.Automaton()
        for f in forms:
            a.add_word(f, f)
        a.make_automaton()
        _AUTOMATA[key] = a
    return _AUTOMATA[key]


if __name__ == "__main__":  # python benchmarks/synthetic_plans.py N DIR [SEED]
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic corpus of plan-like documents.")
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus = PlanCorpus(args.seed)
    info = corpus.write(args.n, args.folder)
    print(f"{info['documents']} documents, {info['chars']:,} characters (median {info['chars_median']:,}), "
          f"sha256 {info['sha256']}; slots {dict(corpus.slot_counts())}")
