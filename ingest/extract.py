"""From a document's text to facts with evidence: the subject region, its year, and what it plans.

:func:`extract` runs the cleaning step, decides the subject region and plan year, runs the spaCy
pipeline on the body (boilerplate masked by spaces, so every offset is an offset into the original
text), and turns mentions into :class:`Fact` objects, each with its sentence and the rule that found
it, and reads the targets and results it states (:mod:`ingest.targets`). :meth:`Extraction.to_gold`
writes the gold JSON format of ``tests/data/gold/README.md``, with the ``"targets"`` list of
``tests/data/gold-targets/README.md``.

Examples
--------
>>> from ingest.read import SourceText
>>> src = SourceText.from_text("关于淄博市发展的工作方案\\n全市要突出培育新材料、智能装备等产业。", name="a.txt")
>>> ex = extract(src)
>>> ex.subject.name, [f.name for f in ex.facts if f.type == "industry"]
('淄博市', ['新材料', '智能装备'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest.aliases import ABBREVIATION as _ABBREVIATION_DEFINITION
from ingest.aliases import bracket_abbreviations, canonical_names
from ingest.clean import clean
from ingest.recognise import ENTITY_TYPES, Mention, build_pipeline
from ingest.recognise.choose import LEARNED_RULES
from ingest.read import RejectedInput, SourceText
from ingest.subject import NoSubjectRegion, SubjectRegion, find_period, find_subject, find_year
from ingest.targets import Target, find_targets, to_gold_item
from ingest.vocab import load_vocabulary

__all__ = ["Sentence", "Fact", "Extraction", "extract", "extract_targets", "subject_and_year", "default_pipeline",
           "GOLD_KEYS"]

#: Entity type → key of the gold JSON format.
GOLD_KEYS = {
    "zone": "zones",
    "industry": "industries",
    "project": "projects",
    "institution": "institutions",
    "talent_programme": "talent_programmes",
}

# Which type wins where two mentions overlap: a name beats an industry word inside it.
_PRIORITY = {"talent_programme": 0, "institution": 1, "project": 2, "zone": 3, "industry": 4}


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document: exact offsets into the document text, and its text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fact:
    """One extracted fact: the subject region relates to ``name`` (of ``type``), with evidence.

    ``concept`` is the industry concept IRI (industries) or the known zone IRI; ``kind`` the
    institution kind; ``role`` the industry's role notation; ``industry`` the concept IRI of the
    industry the sentence puts a project or an institution in.
    """

    type: str
    name: str
    start: int
    end: int
    sentence: Sentence
    rule: str
    confidence: float
    concept: str | None = None
    kind: str | None = None
    role: str | None = None
    industry: str | None = None
    broader: str | None = None
    alias: str | None = None  # the name the sentence uses, when the entity's name is another
    zone: str | None = None  # for an industry: the sub-zone the sentence states it for


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    source: SourceText
    title: str
    subject: SubjectRegion
    year: int | None
    facts: tuple[Fact, ...]
    dropped: tuple[tuple[int, int, str], ...] = ()
    targets: tuple[Target, ...] = ()  # the numbers it states: targets and results (ingest.targets)
    period: tuple[int, int] | None = None  # a multi-year plan's (first, last) year; ``year`` is its first

    def names(self, entity_type: str) -> list[str]:
        """The distinct names of one type, in order of first mention; an industry concept stated
        in several words (集成电路, 集成电路产业) is one industry, named as first stated."""
        if entity_type not in GOLD_KEYS:
            raise ValueError(f"unknown entity type {entity_type!r}; known: {', '.join(GOLD_KEYS)}")
        seen = {}
        for fact in self.facts:
            if fact.type != entity_type:
                continue
            key = fact.concept if entity_type == "industry" and fact.concept else fact.name
            seen.setdefault(key, fact.name)
        return list(dict.fromkeys(seen.values()))

    def to_gold(self) -> dict:
        """This extraction in the gold JSON format (``tests/data/gold/README.md``)."""
        first = {}
        for fact in self.facts:
            first.setdefault((fact.type, fact.name), fact)
        out = {
            "doc": self.source.path.name,
            "subject_region": {
                "name": self.subject.name,
                "aliases": list(self.subject.aliases),
                "kind": self.subject.kind,
                "province": self.subject.province,
                "city": self.subject.city,
            },
            "year": self.year,
            "period": list(self.period) if self.period else None,
        }
        for etype, key in GOLD_KEYS.items():
            items = []
            for name in self.names(etype):
                fact = first[(etype, name)]
                if etype == "industry":
                    items.append({"name": name, "role": fact.role or "other"})
                elif etype == "institution":
                    items.append({"name": name, "kind": fact.kind or "other"})
                else:
                    items.append(name)
            out[key] = items
        out["targets"] = [to_gold_item(t) for t in self.targets]
        return out


@lru_cache(maxsize=1)
def default_pipeline():
    """The pipeline of :func:`ingest.recognise.build_pipeline` with its defaults, built once."""
    return build_pipeline()


def _mask(text: str, dropped) -> str:
    """``text`` with dropped spans blanked out (line breaks kept), so offsets stay exact."""
    chars = list(text)
    for start, end, _reason in dropped:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _title(source: SourceText, cleaned, masked: str) -> str:
    for key in ("标题", "title"):
        if cleaned.metadata.get(key):
            return cleaned.metadata[key]
    if source.title:
        return source.title
    for line in masked.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def subject_and_year(source: SourceText) -> tuple[str, SubjectRegion, int | None]:
    """The title, subject region and plan year of a document, as :func:`extract` decides them
    (without recognising its facts).

    Raises
    ------
    RejectedInput
        If the text has no Chinese body text or names no region it could be about.

    Examples
    --------
    >>> src = SourceText.from_text("2026年重庆市政府工作报告\\n各位代表：…", name="a.txt")
    >>> title, subject, year = subject_and_year(src)
    >>> subject.name, subject.kind, subject.city, year
    ('重庆市', 'city', '重庆市', 2026)
    """
    _cleaned, _masked, title, subject, year = _read_subject(source)
    return title, subject, year


def _read_subject(source: SourceText):
    cleaned = clean(source.text)
    masked = _mask(source.text, cleaned.dropped)
    if not re.search(r"[\u4e00-\u9fff]", masked):
        raise RejectedInput(source.path, "no Chinese text in the document body")
    title = _title(source, cleaned, masked)
    issuer = next((cleaned.metadata[k] for k in ("发布机构", "发文单位", "发文机关")
                   if cleaned.metadata.get(k)), None)
    try:
        subject = find_subject(title, masked, issuer=issuer)
    except NoSubjectRegion as e:
        raise RejectedInput(source.path, f"no recognisable region: {e}") from e
    year = find_year(title, masked, cleaned.metadata)
    return cleaned, masked, title, subject, year


def extract(source: SourceText, nlp=None) -> Extraction:
    """Extract the subject region, plan year and facts of one document.

    Raises
    ------
    RejectedInput
        If the text has no Chinese body text or names no region it could be about.
    """
    cleaned, masked, title, subject, year = _read_subject(source)
    mentions, sentences = _recognise(nlp or default_pipeline(), masked)
    facts = _merge_aliases(_facts(mentions, sentences, subject), sentences, masked)
    targets = _targets(masked, subject, year)
    return Extraction(source, title, subject, year, tuple(facts), tuple(cleaned.dropped), tuple(targets),
                      find_period(title, masked))


def _targets(masked: str, subject: SubjectRegion, year: int | None) -> tuple[Target, ...]:
    return tuple(find_targets(masked, year, subject_names=(subject.name, *subject.aliases)))


def extract_targets(source: SourceText) -> dict:
    """The ``doc``, ``year`` and ``"targets"`` of :meth:`Extraction.to_gold`, without the spaCy
    pipeline: the targets of :func:`extract` are read from the same text by the same grammar, so this
    gives the same list in a fraction of the time (for scoring targets).

    Raises
    ------
    RejectedInput
        As :func:`extract`.

    Examples
    --------
    >>> src = SourceText.from_text("2026年淄博市政府工作报告\\n今年地区生产总值增长5%左右。", name="a.txt")
    >>> extract_targets(src)["targets"][0]["value"]
    5
    """
    _cleaned, masked, _title, subject, year = _read_subject(source)
    return {"doc": source.path.name, "year": year,
            "targets": [to_gold_item(t) for t in _targets(masked, subject, year)]}


#: Texts are recognised in chunks of at most this many characters, cut at line or sentence ends,
#: so a long document needs neither spaCy's max_length nor its memory at once.
CHUNK_CHARS = 20_000


def _chunks(text: str):
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + CHUNK_CHARS)
        if end < n:
            cut = max(text.rfind("\n", start, end), text.rfind("。", start, end))
            if cut > start:
                end = cut + 1
        yield start, text[start:end]
        start = end


def _recognise(nlp, text: str) -> tuple[list[Mention], list[Sentence]]:
    """Mentions and sentences of ``text``, offsets into ``text``; sentences stripped of spaces."""
    mentions, sentences = [], []
    chunks = list(_chunks(text))
    for (offset, _), doc in zip(chunks, nlp.pipe(chunk for _, chunk in chunks)):
        for m in doc._.mentions or []:
            mentions.append(replace(m, start=m.start + offset, end=m.end + offset))
        for sent in doc.sents:
            raw = sent.text
            stripped = raw.strip()
            if not stripped:
                continue
            start = offset + sent.start_char + (len(raw) - len(raw.lstrip()))
            sentences.append(Sentence(start, start + len(stripped), stripped))
    return mentions, sentences


def _facts(mentions: list[Mention], sentences: list[Sentence], subject: SubjectRegion) -> list[Fact]:
    vocab = load_vocabulary()
    starts = [s.start for s in sentences]
    mentions = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), _PRIORITY[m.type]))

    # Resolve overlaps: names win over the industry words inside them; the first, longest wins.
    # Mentions come sorted by start, so a mention can only overlap the last one kept.
    kept: list[Mention] = []
    industry_in_name: dict[tuple[int, int], str] = {}
    for m in mentions:
        last = kept[-1] if kept else None
        if last is not None and m.start < last.end:
            if m.end <= last.end and m.type == "industry" and last.type != "industry":
                industry_in_name.setdefault((last.start, last.end), m.concept)
                if last.rule in _SHARED_NAME_RULES and (m.start, m.end) == (last.start, last.end):
                    kept.append(m)  # 集成电路、医疗器械…产业创新服务综合体: the industry is stated too
            continue
        kept.append(m)
    industries_of_sentence: dict[int, set[str]] = {}
    for k in kept:
        if k.type == "industry" and k.concept:
            industries_of_sentence.setdefault(_sentence_index(starts, k.start), set()).add(k.concept)

    self_names = {subject.name, *subject.aliases}
    known_zones = {str(z.iri): z for z in vocab.known_zones.values()}
    target_cues = vocab.words("targetCue")
    umbrella = vocab.words("umbrellaTerm")
    qualifiers = sorted(vocab.words("industryQualifier"), key=len, reverse=True)
    public_services = vocab.words("publicService")
    role_words = sorted(vocab.roles, key=len, reverse=True)
    facts = []
    for m in kept:
        index = _sentence_index(starts, m.start)
        sent = sentences[index]
        if m.text in self_names or (m.type == "zone" and _names_subject(m.text, subject)):
            continue
        if m.type == "zone" and m.concept and not _zone_fits(known_zones.get(m.concept), m.text, subject):
            # 滨海新区 in a 绍兴 plan is not 天津滨海新区: an unqualified name of a known zone
            # links to it only inside the zone's own province.
            m = replace(m, concept=None, kind=None, rule="zone_name")
        role = industry = None
        if m.type == "industry" and m.rule in LEARNED_RULES:
            # The recogniser learned from annotated plans which mentions of an industry are targeted.
            role = _role(sent, m, role_words, vocab)
        elif m.type == "industry":
            if m.text in umbrella:
                # Alone it names no industry; with a qualifier before it (现代服务业) it does.
                lead = _text_before(sentences, starts, m.start, 5)
                qualifier = next((q for q in qualifiers if lead.endswith(q)), None)
                if qualifier is None:
                    continue
                m = replace(m, start=m.start - len(qualifier), text=qualifier + m.text)
            if m.text in public_services and not _stated_as_industry(sent, m):
                continue
            if not _targeted(sent, m, target_cues, role_words):
                continue
            role = _role(sent, m, role_words, vocab)
        elif m.type in ("project", "institution"):
            in_sentence = industries_of_sentence.get(index, set())
            industry = industry_in_name.get((m.start, m.end)) or (
                next(iter(in_sentence)) if len(in_sentence) == 1 else None)
        name = m.text.strip()
        facts.append(Fact(m.type, name, m.start, m.end, sent, m.rule, m.confidence,
                          concept=m.concept, kind=m.kind, role=role, industry=industry,
                          broader=m.broader))
    return _attach_to_zones(facts, target_cues)


def _attach_to_zones(facts: list[Fact], cues) -> list[Fact]:
    """An industry the sentence states for a sub-zone named before it (滨海科技城重点发展集成电路) is
    also that zone's: ``zone`` names it. The words between must hold a targeting cue and no ；."""
    zones_by_sentence: dict[int, list[Fact]] = {}
    for f in facts:
        if f.type == "zone":
            zones_by_sentence.setdefault(f.sentence.start, []).append(f)
    out = []
    for f in facts:
        if f.type == "industry":
            before = [z for z in zones_by_sentence.get(f.sentence.start, ()) if z.end <= f.start]
            if before:
                zone = max(before, key=lambda z: z.end)
                between = f.sentence.text[zone.end - f.sentence.start:f.start - f.sentence.start]
                if len(between) <= 40 and not re.search(r"[；;。]", between) and any(c in between for c in cues):
                    f = replace(f, zone=zone.name)
        out.append(f)
    return out


#: Rules whose name is built on a listed industry (集成电路 + 产业创新服务综合体): the industry word
#: stays a fact of its own.
_SHARED_NAME_RULES = ("coordinated_name", "counted_list")


def _merge_aliases(facts: list[Fact], sentences: list[Sentence], text: str) -> list[Fact]:
    """Name each entity by its longest name in the document; the other names become aliases
    (see :mod:`ingest.aliases`). An abbreviation the text defines in brackets is recognised
    wherever it stands alone, as the entity it abbreviates."""
    vocab = load_vocabulary()
    starts = [s.start for s in sentences]
    abbreviations = bracket_abbreviations(
        text, [(f.start, f.end, f.name) for f in facts if f.type != "industry"])
    if abbreviations:
        covered = bytearray(len(text))  # characters inside a fact or an abbreviation's bracket
        for s, e in [(f.start, f.end) for f in facts] + [
                m.span() for m in _ABBREVIATION_DEFINITION.finditer(text)]:
            covered[s:e] = b"\x01" * (e - s)
        full = {f.name: f for f in facts}
        for abbr, name in abbreviations.items():
            for match in re.finditer(re.escape(abbr), text):
                a, b = match.span()
                if any(covered[a:b]):
                    continue
                if re.match(r"[A-Za-z0-9]", text[b:b + 1]) or re.match(r"[A-Za-z0-9]", text[a - 1:a]):
                    continue  # part of a longer code or word
                source = full[name]
                sent = sentences[_sentence_index(starts, a)]
                facts.append(replace(source, name=name, start=a, end=b, sentence=sent,
                                     rule="bracket_abbreviation", confidence=0.6, alias=abbr))
    renames: dict[tuple[str, str], str] = {}
    for etype in ("zone", "institution"):
        names = [f.name for f in facts if f.type == etype]
        for short, long in canonical_names(names, etype, vocab).items():
            renames[(etype, short)] = long
    out = []
    for f in facts:
        long = renames.get((f.type, f.name))
        if long == "":
            continue
        if f.zone and renames.get(("zone", f.zone)):
            f = replace(f, zone=renames[("zone", f.zone)])
        out.append(replace(f, name=long, alias=f.name) if long else f)
    return sorted(out, key=lambda f: f.start)



def _names_subject(text: str, subject: SubjectRegion) -> bool:
    """滨海新区 in a plan of 绍兴滨海新区 is the subject itself, by a shorter name."""
    return subject.kind == "zone" and len(text) >= 3 and subject.name.endswith(text)


def _zone_fits(zone, text: str, subject: SubjectRegion) -> bool:
    if zone is None or not zone.located_in:
        return False
    from ingest.regions import Divisions

    if any(m.start == 0 for m in Divisions.default().find(text)):
        return True  # the name itself says where it is (宁波高新区)
    return bool(subject.province_code) and zone.located_in[:2] == subject.province_code[:2]


def _sentence_index(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


_CLAUSE_BREAKS = "，,；;。：:！!？?\n"


def _clause(sent: Sentence, m: Mention) -> tuple[str, str]:
    """The text of the mention's clause before and after it (clauses end at , ; : and the like;
    the 、 of an enumeration does not end one)."""
    text = sent.text
    rel_start, rel_end = m.start - sent.start, m.end - sent.start
    left = max(text.rfind(c, 0, rel_start) for c in _CLAUSE_BREAKS) + 1
    rights = [i for i in (text.find(c, rel_end) for c in _CLAUSE_BREAKS) if i >= 0]
    right = min(rights) if rights else len(text)
    return text[left:rel_start], text[rel_end:right]


def _targeted(sent: Sentence, m: Mention, cues, role_words) -> bool:
    """Whether the plan targets the industry: the word is followed by 产业, 集群, 领域 …, stands in
    an enumeration (、), has a role word in its clause, or a targeting cue close before it."""
    before, after = _clause(sent, m)
    if re.match(r"(?:[、和及与]?[^，,；;。]{0,12}?)(?:产业|集群|产业链|经济|领域|业态)", after) \
            or re.match(r"业(?![务主绩])", after):
        return True
    if after.startswith(("、", "/")) or before.endswith(("、", "/")):
        return True
    if any(w in before or w in after for w in role_words):
        return True
    near = before[-8:]
    return any(c in near for c in cues)


def _text_before(sentences: list[Sentence], starts: list[int], offset: int, width: int) -> str:
    sent = sentences[_sentence_index(starts, offset)]
    return sent.text[max(0, offset - sent.start - width):offset - sent.start]


def _stated_as_industry(sent: Sentence, m: Mention) -> bool:
    """Whether the text calls a public-service sector an industry: 养老产业, 教育业, 银发经济, or
    a strong role word (主导, 支柱, 新兴) in its clause."""
    before, after = _clause(sent, m)
    if re.match(r"(?:产业|业(?![务主绩])|经济)", after):
        return True
    return any(w in before or w in after for w in ("主导", "支柱", "新兴", "首位"))


def _role(sent: Sentence, m: Mention, role_words, vocab) -> str:
    """The role the plan gives the industry: the role word nearest to it in its clause (before it,
    or the kind word closing its enumeration after it), else its concept's default role, else lead."""
    from rdflib import URIRef

    before, after = _clause(sent, m)
    best = None
    for word in role_words:
        idx = before.rfind(word)
        if idx >= 0:
            distance = len(before) - idx
            if best is None or distance < best[0]:
                best = (distance, word)
        idx = after.find(word)
        if idx >= 0 and (best is None or idx < best[0]):
            best = (idx, word)
    if best is not None:
        return vocab.role_notations[vocab.roles[best[1]]]
    if m.concept:
        role = vocab.default_role(URIRef(m.concept))
        if role is not None:
            return vocab.role_notations[role]
    return "lead"
