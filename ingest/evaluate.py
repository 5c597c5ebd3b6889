"""Score predicted extractions against hand-annotated gold documents."""

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ENTITY_TYPES",
    "REGION_KINDS",
    "ROLES",
    "INSTITUTION_KINDS",
    "GoldFormatError",
    "TypeScores",
    "Agreement",
    "SubjectRegionResult",
    "TypeErrors",
    "Evaluation",
    "normalise",
    "match",
    "load_gold",
    "load_gold_dir",
    "score",
    "format_table",
]

ENTITY_TYPES = ("zones", "industries", "projects", "institutions", "talent_programmes")
REGION_KINDS = ("zone", "district", "county", "city", "province")
ROLES = ("lead", "emerging", "traditional", "service", "other")
INSTITUTION_KINDS = ("university", "research", "lab", "platform", "enterprise", "other")

# entity type -> (attribute scored for agreement, allowed values)
_ATTRIBUTES = {"industries": ("role", ROLES), "institutions": ("kind", INSTITUTION_KINDS)}
_DROPPED = str.maketrans("", "", "“”\"'‘’「」『』《》()（）")
_INDUSTRY_SUFFIX = "产业"
_SUBJECT_KEYS = ("name", "aliases", "kind", "province", "city")


class GoldFormatError(ValueError):
    """A gold (or prediction) document does not follow the gold format."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TypeScores:
    """Counts and precision, recall and F1 of one entity type, micro-averaged.

    ``matched_exact`` counts pairs when only exact matches count;
    ``matched_lenient`` counts pairs when exact and then lenient matches count.
    A ratio whose denominator is zero is 0.0.
    """

    entity_type: str
    gold: int
    predicted: int
    matched_exact: int
    matched_lenient: int

    @property
    def precision_exact(self):
        return _ratio(self.matched_exact, self.predicted)

    @property
    def recall_exact(self):
        return _ratio(self.matched_exact, self.gold)

    @property
    def f1_exact(self):
        return _f1(self.precision_exact, self.recall_exact)

    @property
    def precision_lenient(self):
        return _ratio(self.matched_lenient, self.predicted)

    @property
    def recall_lenient(self):
        return _ratio(self.matched_lenient, self.gold)

    @property
    def f1_lenient(self):
        return _f1(self.precision_lenient, self.recall_lenient)

    def to_dict(self):
        """Return the counts and scores as a JSON-serialisable dict."""
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "exact": {
                "matched": self.matched_exact,
                "precision": self.precision_exact,
                "recall": self.recall_exact,
                "f1": self.f1_exact,
            },
            "lenient": {
                "matched": self.matched_lenient,
                "precision": self.precision_lenient,
                "recall": self.recall_lenient,
                "f1": self.f1_lenient,
            },
        }


@dataclass(frozen=True)
class Agreement:
    """Agreement of an attribute (role or kind) over leniently matched items.

    ``matched`` is the number of matched (gold, predicted) pairs, ``agreed`` those
    whose attribute is the same, ``missing`` those whose prediction gives no value
    (they count as disagreeing).
    """

    entity_type: str
    attribute: str
    matched: int
    agreed: int
    missing: int

    @property
    def share(self):
        return _ratio(self.agreed, self.matched)

    def to_dict(self):
        """Return the counts and share as a JSON-serialisable dict."""
        return {
            "entity_type": self.entity_type,
            "attribute": self.attribute,
            "matched": self.matched,
            "agreed": self.agreed,
            "missing": self.missing,
            "share": self.share,
        }


@dataclass(frozen=True)
class SubjectRegionResult:
    """Whether the predicted subject region of one document is right, and why."""

    doc: str
    right: bool
    name_ok: bool
    province_ok: bool
    city_ok: bool
    gold_name: str
    gold_province: str | None
    gold_city: str | None
    predicted_name: str | None
    predicted_province: str | None
    predicted_city: str | None

    def to_dict(self):
        """Return the result as a JSON-serialisable dict."""
        return {
            "right": self.right,
            "name_ok": self.name_ok,
            "province_ok": self.province_ok,
            "city_ok": self.city_ok,
            "gold": {
                "name": self.gold_name,
                "province": self.gold_province,
                "city": self.gold_city,
            },
            "predicted": {
                "name": self.predicted_name,
                "province": self.predicted_province,
                "city": self.predicted_city,
            },
        }


@dataclass(frozen=True)
class TypeErrors:
    """Errors of one entity type in one document, under lenient matching.

    ``missed`` are unmatched gold names, ``spurious`` unmatched predicted names,
    ``lenient_only`` the (gold, predicted) pairs that matched only leniently, and
    ``attribute_mismatches`` the (gold name, gold value, predicted value) of matched
    industries or institutions whose role or kind differs. Names are as given.
    """

    doc: str
    entity_type: str
    missed: tuple[str, ...]
    spurious: tuple[str, ...]
    lenient_only: tuple[tuple[str, str], ...]
    attribute_mismatches: tuple[tuple[str, str, str | None], ...]

    def to_dict(self):
        """Return the errors as a JSON-serialisable dict."""
        return {
            "missed": list(self.missed),
            "spurious": list(self.spurious),
            "lenient_only": [list(pair) for pair in self.lenient_only],
            "attribute_mismatches": [list(item) for item in self.attribute_mismatches],
        }


@dataclass(frozen=True)
class Evaluation:
    """Result of :func:`score`; treat its dicts as read-only.

    Attributes
    ----------
    types : dict
        Entity type -> :class:`TypeScores`, in the order of ``ENTITY_TYPES``.
    role_agreement, kind_agreement : Agreement
        Role agreement of industries and kind agreement of institutions.
    subject_regions : dict
        Document -> :class:`SubjectRegionResult`, for every gold document.
    errors : dict
        Document -> entity type -> :class:`TypeErrors`, for every gold document.
    documents : tuple of str
        The scored (gold) documents, sorted.
    missing_docs : tuple of str
        Gold documents without a prediction (scored as all missed).
    unscored_docs : tuple of str
        Predicted documents without gold (ignored).
    """

    types: dict
    role_agreement: Agreement
    kind_agreement: Agreement
    subject_regions: dict
    errors: dict
    documents: tuple
    missing_docs: tuple
    unscored_docs: tuple

    @property
    def overall(self):
        """Micro-average over all entity types, as a :class:`TypeScores` named ``"all"``."""
        scores = self.types.values()
        return TypeScores(
            entity_type="all",
            gold=sum(s.gold for s in scores),
            predicted=sum(s.predicted for s in scores),
            matched_exact=sum(s.matched_exact for s in scores),
            matched_lenient=sum(s.matched_lenient for s in scores),
        )

    @property
    def subject_regions_right(self):
        """Number of documents whose subject region is right."""
        return sum(result.right for result in self.subject_regions.values())

    def to_dict(self):
        """Return the whole evaluation as a JSON-serialisable dict.

        Examples
        --------
        >>> import json
        >>> doc = {"doc": "a.txt", "year": 2018, "zones": ["大学城"], "industries": [],
        ...        "projects": [], "institutions": [], "talent_programmes": [],
        ...        "subject_region": {"name": "淄博市", "aliases": [], "kind": "city",
        ...                           "province": "山东省", "city": "淄博市"}}
        >>> result = score({"a.txt": doc}, {"a.txt": doc}).to_dict()
        >>> result["types"]["zones"]["lenient"]["f1"], result["all"]["gold"]
        (1.0, 1)
        >>> _ = json.dumps(result)
        """
        return {
            "documents": {
                "scored": list(self.documents),
                "missing": list(self.missing_docs),
                "unscored": list(self.unscored_docs),
            },
            "types": {name: scores.to_dict() for name, scores in self.types.items()},
            "all": self.overall.to_dict(),
            "role_agreement": self.role_agreement.to_dict(),
            "kind_agreement": self.kind_agreement.to_dict(),
            "subject_region": {
                "right": self.subject_regions_right,
                "total": len(self.subject_regions),
                "share": _ratio(self.subject_regions_right, len(self.subject_regions)),
                "documents": {doc: r.to_dict() for doc, r in self.subject_regions.items()},
            },
            "errors": {
                doc: {name: errors.to_dict() for name, errors in per_type.items()}
                for doc, per_type in self.errors.items()
            },
        }


# --------------------------------------------------------------------------- public functions


def normalise(name, *, entity_type):
    """Return the normalised form of an entity name, as used for matching.

    Applies Unicode NFKC, removes all white space and the quotes and brackets
    ``“”"'‘’「」『』《》()（）``, and for industries removes a trailing 产业 when at
    least two characters remain.

    Parameters
    ----------
    name : str
        The name as annotated or predicted.
    entity_type : str
        One of ``ENTITY_TYPES``.

    Returns
    -------
    str
        The normalised name (possibly empty).

    Raises
    ------
    ValueError
        If `entity_type` is not one of ``ENTITY_TYPES``.
    TypeError
        If `name` is not a string.

    Examples
    --------
    >>> normalise("“新材料” 产业", entity_type="industries")
    '新材料'
    >>> normalise("新材料产业", entity_type="zones")
    '新材料产业'
    >>> normalise("新产业", entity_type="industries")
    '新产业'
    >>> normalise("中国（宁波）海外人才　基地", entity_type="institutions")
    '中国宁波海外人才基地'
    """
    _check_entity_type(entity_type)
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}")
    text = _normalise_plain(name)
    suffix = _INDUSTRY_SUFFIX
    if entity_type == "industries" and text.endswith(suffix) and len(text) - len(suffix) >= 2:
        text = text[: -len(suffix)]
    return text


def match(gold, predicted, *, entity_type):
    """Match gold names with predicted names one-to-one, within one document.

    Exact matches (equal normalised names) are taken first, in list order. The
    remaining names are then matched leniently (one normalised name contains the
    other and the shorter has at least two characters), longest names first:
    candidate pairs are taken by decreasing length of their longer name, then of
    their shorter name, then by gold and predicted position. Each gold name and
    each predicted name is matched at most once; empty normalised names never match.

    Parameters
    ----------
    gold, predicted : list of str
        Gold and predicted names of one entity type in one document.
    entity_type : str
        One of ``ENTITY_TYPES`` (decides the normalisation).

    Returns
    -------
    list of (int, int, str)
        ``(gold_index, predicted_index, "exact" | "lenient")``, sorted by gold index.

    Raises
    ------
    ValueError
        If `entity_type` is not one of ``ENTITY_TYPES``.
    TypeError
        If `gold` or `predicted` is not a list of strings.

    Examples
    --------
    >>> match(["新材料科技城", "新材料"], ["新材料", "科技城"], entity_type="zones")
    [(0, 1, 'lenient'), (1, 0, 'exact')]
    >>> match(["新材料"], ["新材料产业", "新材料"], entity_type="industries")
    [(0, 0, 'exact')]
    >>> match(["港城英才"], ["城"], entity_type="talent_programmes")
    []
    """
    _check_entity_type(entity_type)
    gold_names = _normalised_names(gold, entity_type, "gold")
    predicted_names = _normalised_names(predicted, entity_type, "predicted")
    return _match_normalised(gold_names, predicted_names)


def load_gold(path, *, strict=True):
    """Read and check one gold document (a JSON file in the gold format).

    Parameters
    ----------
    path : str or Path
        The JSON file.
    strict : bool, default True
        If true, the file must follow the gold format exactly: all keys present,
        industries and institutions as objects with a valid role or kind, the
        other types as strings, no empty or (after normalisation) repeated names,
        and the file named after the document. If false (for prediction files),
        only ``doc`` is required, every entity type may give strings or objects
        with a ``name``, and role and kind may be missing or null; values that
        are given must still have the right type and vocabulary.

    Returns
    -------
    dict
        The document as read.

    Raises
    ------
    GoldFormatError
        If the file cannot be read as JSON or does not follow the format; the
        message names the file and the problem.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> doc = {"doc": "a.txt", "year": 2018, "zones": ["大学城"], "industries": [],
    ...        "projects": [], "institutions": [], "talent_programmes": [],
    ...        "subject_region": {"name": "淄博市", "aliases": [], "kind": "city",
    ...                           "province": "山东省", "city": "淄博市"}}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "a.json"
    ...     _ = path.write_text(json.dumps(doc), encoding="utf-8")
    ...     print(load_gold(path)["zones"])
    ...     _ = path.write_text('{"doc": "a.txt"}', encoding="utf-8")
    ...     try:
    ...         load_gold(path)
    ...     except GoldFormatError as err:
    ...         print(err)  # doctest: +ELLIPSIS
    ['大学城']
    ...a.json: missing key 'subject_region'
    """
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise GoldFormatError(f"{source}: cannot read file: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise GoldFormatError(f"{source}: not UTF-8 ({err.reason} at byte {err.start})") from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GoldFormatError(
            f"{source}: invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})"
        ) from err
    _check_document(data, source, strict=strict)
    if "doc" not in data:
        raise GoldFormatError(f"{source}: missing key 'doc'")
    if strict and Path(data["doc"]).stem != path.stem:
        raise GoldFormatError(
            f"{source}: file is not named after its document {data['doc']!r} "
            f"(expected {Path(data['doc']).stem}.json)"
        )
    return data


def load_gold_dir(directory, *, strict=True):
    """Read and check every ``*.json`` gold document of a directory.

    Parameters
    ----------
    directory : str or Path
        Directory holding one JSON file per document (other files are ignored;
        subdirectories are not read).
    strict : bool, default True
        Passed to :func:`load_gold`; use false for prediction files.

    Returns
    -------
    dict
        Document file name (the ``doc`` field) -> document, sorted by name.

    Raises
    ------
    NotADirectoryError
        If `directory` is not a directory.
    GoldFormatError
        If a file is malformed, two files give the same ``doc``, or the
        directory holds no ``*.json`` file.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> doc = {"doc": "a.txt", "year": 2018, "zones": ["大学城"], "industries": [],
    ...        "projects": [], "institutions": [], "talent_programmes": [],
    ...        "subject_region": {"name": "淄博市", "aliases": [], "kind": "city",
    ...                           "province": "山东省", "city": "淄博市"}}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (pathlib.Path(tmp) / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    ...     print(list(load_gold_dir(tmp)))
    ['a.txt']
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise NotADirectoryError(f"gold directory {str(directory)!r} is not a directory")
    paths = sorted(p for p in directory.glob("*.json") if p.is_file())
    if not paths:
        raise GoldFormatError(f"{directory}: no *.json files")
    documents = {}
    sources = {}
    for path in paths:
        data = load_gold(path, strict=strict)
        doc = data["doc"]
        if doc in documents:
            raise GoldFormatError(f"{path}: document {doc!r} is also given by {sources[doc]}")
        documents[doc] = data
        sources[doc] = path
    return dict(sorted(documents.items()))


def score(gold_docs, predicted_docs):
    """Score predicted documents against gold documents.

    Per entity type, counts are summed over documents (micro-average). A gold
    document without a prediction counts all its gold names as missed; a
    predicted document without gold is ignored. See :func:`match` for matching.

    Parameters
    ----------
    gold_docs : dict
        Document name -> gold document (strict gold format, as from
        :func:`load_gold`).
    predicted_docs : dict
        Document name -> predicted document in the gold format; every entity
        type may give strings or objects with a ``name``, and missing keys count
        as empty.

    Returns
    -------
    Evaluation

    Raises
    ------
    TypeError
        If an argument is not a mapping of document names to dicts.
    GoldFormatError
        If a scored document does not follow the format, or its ``doc`` field
        differs from its key.

    Examples
    --------
    >>> region = {"name": "淄博市", "aliases": ["淄博"], "kind": "city",
    ...           "province": "山东省", "city": "淄博市"}
    >>> empty = {t: [] for t in ENTITY_TYPES}
    >>> gold = {"a.txt": {**empty, "doc": "a.txt", "year": 2018,
    ...                   "subject_region": region, "zones": ["大学城", "科学城"]}}
    >>> predicted = {"a.txt": {"subject_region": {**region, "name": "淄博"},
    ...                        "zones": ["淄博大学城", "科学城", "创新谷"]}}
    >>> result = score(gold, predicted)
    >>> zones = result.types["zones"]
    >>> zones.gold, zones.predicted, zones.matched_exact, zones.matched_lenient
    (2, 3, 1, 2)
    >>> round(zones.f1_exact, 3), round(zones.f1_lenient, 3)
    (0.4, 0.8)
    >>> result.errors["a.txt"]["zones"].spurious, result.subject_regions["a.txt"].right
    (('创新谷',), True)
    """
    _check_mapping(gold_docs, "gold_docs")
    _check_mapping(predicted_docs, "predicted_docs")
    documents = tuple(sorted(gold_docs))
    missing = tuple(doc for doc in documents if doc not in predicted_docs)
    unscored = tuple(sorted(doc for doc in predicted_docs if doc not in gold_docs))

    counts = {name: [0, 0, 0, 0] for name in ENTITY_TYPES}
    agreement = {name: [0, 0, 0] for name in _ATTRIBUTES}
    subject_regions = {}
    errors = {}
    for doc in documents:
        gold = gold_docs[doc]
        source = f"gold document {doc!r}"
        _check_document(gold, source, strict=True)
        _check_key(gold, doc, source)
        predicted = predicted_docs.get(doc)
        if predicted is not None:
            psource = f"predicted document {doc!r}"
            _check_document(predicted, psource, strict=False)
            _check_key(predicted, doc, psource)
        errors[doc] = {}
        for entity_type in ENTITY_TYPES:
            gold_items = _items(gold, entity_type)
            predicted_items = _items(predicted, entity_type)
            pairs = _match_normalised(
                [normalise(name, entity_type=entity_type) for name, _ in gold_items],
                [normalise(name, entity_type=entity_type) for name, _ in predicted_items],
            )
            row = counts[entity_type]
            row[0] += len(gold_items)
            row[1] += len(predicted_items)
            row[2] += sum(1 for _, _, how in pairs if how == "exact")
            row[3] += len(pairs)
            mismatches = []
            if entity_type in _ATTRIBUTES:
                tally = agreement[entity_type]
                for i, j, _ in pairs:
                    gold_value = gold_items[i][1]
                    predicted_value = predicted_items[j][1]
                    tally[0] += 1
                    if predicted_value == gold_value:
                        tally[1] += 1
                    else:
                        mismatches.append((gold_items[i][0], gold_value, predicted_value))
                        if predicted_value is None:
                            tally[2] += 1
            matched_gold = {i for i, _, _ in pairs}
            matched_predicted = {j for _, j, _ in pairs}
            errors[doc][entity_type] = TypeErrors(
                doc=doc,
                entity_type=entity_type,
                missed=tuple(n for i, (n, _) in enumerate(gold_items) if i not in matched_gold),
                spurious=tuple(
                    n for j, (n, _) in enumerate(predicted_items) if j not in matched_predicted
                ),
                lenient_only=tuple(
                    (gold_items[i][0], predicted_items[j][0])
                    for i, j, how in pairs
                    if how == "lenient"
                ),
                attribute_mismatches=tuple(mismatches),
            )
        subject_regions[doc] = _score_subject_region(doc, gold, predicted)

    def _agreement(entity_type):
        attribute = _ATTRIBUTES[entity_type][0]
        return Agreement(entity_type, attribute, *agreement[entity_type])

    return Evaluation(
        types={name: TypeScores(name, *counts[name]) for name in ENTITY_TYPES},
        role_agreement=_agreement("industries"),
        kind_agreement=_agreement("institutions"),
        subject_regions=subject_regions,
        errors=errors,
        documents=documents,
        missing_docs=missing,
        unscored_docs=unscored,
    )


def format_table(evaluation):
    """Return an evaluation as a plain-text table.

    One row per entity type and a micro-averaged ``all`` row (gold and predicted
    counts, exact and lenient precision, recall and F1), then a line with role and
    kind agreement, a line per document for the subject region, a line with the
    number of right subject regions, and lines naming missing and unscored
    documents if there are any.

    Parameters
    ----------
    evaluation : Evaluation
        As returned by :func:`score`.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If `evaluation` is not an :class:`Evaluation`.

    Examples
    --------
    >>> doc = {"doc": "a.txt", "year": 2018, "zones": ["大学城"], "industries": [],
    ...        "projects": [], "institutions": [], "talent_programmes": [],
    ...        "subject_region": {"name": "淄博市", "aliases": [], "kind": "city",
    ...                           "province": "山东省", "city": "淄博市"}}
    >>> table = format_table(score({"a.txt": doc}, {"a.txt": doc}))
    >>> print(table.splitlines()[1])
    zones                 1     1  1.000  1.000  1.000   1.000  1.000  1.000
    """
    if not isinstance(evaluation, Evaluation):
        raise TypeError(f"evaluation must be an Evaluation, got {type(evaluation).__name__}")
    width = max(len(name) for name in ENTITY_TYPES)
    header = (
        f"{'type':<{width}} {'gold':>5} {'pred':>5} "
        f"{'P ex':>6} {'R ex':>6} {'F1 ex':>6}  {'P len':>6} {'R len':>6} {'F1 len':>6}"
    )
    lines = [header]
    for scores in (*evaluation.types.values(), evaluation.overall):
        lines.append(
            f"{scores.entity_type:<{width}} {scores.gold:>5} {scores.predicted:>5} "
            f"{scores.precision_exact:>6.3f} {scores.recall_exact:>6.3f} "
            f"{scores.f1_exact:>6.3f}  {scores.precision_lenient:>6.3f} "
            f"{scores.recall_lenient:>6.3f} {scores.f1_lenient:>6.3f}"
        )
    lines.append(
        f"{_format_agreement(evaluation.role_agreement)}; "
        f"{_format_agreement(evaluation.kind_agreement)}"
    )
    for doc, result in evaluation.subject_regions.items():
        verdict = "right" if result.right else "wrong"
        predicted = _format_region(
            result.predicted_name, result.predicted_province, result.predicted_city
        )
        gold = _format_region(result.gold_name, result.gold_province, result.gold_city)
        lines.append(f"subject region {doc}: {verdict} (predicted {predicted}; gold {gold})")
    lines.append(
        f"subject region right in {evaluation.subject_regions_right}"
        f"/{len(evaluation.subject_regions)} documents"
    )
    if evaluation.missing_docs:
        missing = ", ".join(evaluation.missing_docs)
        lines.append(f"missing documents (scored as all missed): {missing}")
    if evaluation.unscored_docs:
        lines.append("unscored documents (no gold): " + ", ".join(evaluation.unscored_docs))
    return "\n".join(lines)


# --------------------------------------------------------------------------- helpers


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


def _f1(precision, recall):
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _check_entity_type(entity_type):
    if entity_type not in ENTITY_TYPES:
        raise ValueError(
            f"unknown entity_type {entity_type!r}; expected one of {', '.join(ENTITY_TYPES)}"
        )


def _check_mapping(value, argument):
    if not isinstance(value, Mapping):
        raise TypeError(f"{argument} must map document names to dicts, got {type(value).__name__}")
    for doc, data in value.items():
        if not isinstance(doc, str):
            raise TypeError(f"{argument}: document name {doc!r} is not a str")
        if not isinstance(data, Mapping):
            raise TypeError(f"{argument}[{doc!r}] must be a dict, got {type(data).__name__}")


def _check_key(data, doc, source):
    if "doc" in data and data["doc"] != doc:
        raise GoldFormatError(f"{source}: its 'doc' field {data['doc']!r} differs from its key")


def _normalise_plain(text):
    return "".join(unicodedata.normalize("NFKC", text).split()).translate(_DROPPED)


def _normalised_names(names, entity_type, argument):
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(f"{argument} must be a list of str, got {names!r}")
    for index, name in enumerate(names):
        if not isinstance(name, str):
            raise TypeError(f"{argument}[{index}] must be a str, got {name!r}")
    return [normalise(name, entity_type=entity_type) for name in names]


def _lenient(a, b):
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return len(shorter) >= 2 and shorter in longer


def _match_normalised(gold, predicted):
    """One-to-one matching of normalised names: exact first, then lenient."""
    pairs = []
    free = {}
    for j, name in enumerate(predicted):
        if name:
            free.setdefault(name, []).append(j)
    matched_gold, matched_predicted = set(), set()
    for i, name in enumerate(gold):
        queue = free.get(name)
        if name and queue:
            j = queue.pop(0)
            pairs.append((i, j, "exact"))
            matched_gold.add(i)
            matched_predicted.add(j)
    candidates = []
    for i, g in enumerate(gold):
        if i in matched_gold:
            continue
        for j, p in enumerate(predicted):
            if j not in matched_predicted and _lenient(g, p):
                candidates.append((-max(len(g), len(p)), -min(len(g), len(p)), i, j))
    for _, _, i, j in sorted(candidates):
        if i not in matched_gold and j not in matched_predicted:
            pairs.append((i, j, "lenient"))
            matched_gold.add(i)
            matched_predicted.add(j)
    return sorted(pairs)


def _items(data, entity_type):
    """(name, role-or-kind) pairs of one entity type of a checked document."""
    if data is None:
        return []
    attribute = _ATTRIBUTES.get(entity_type, (None,))[0]
    items = []
    for item in data.get(entity_type) or []:
        if isinstance(item, str):
            items.append((item, None))
        else:
            items.append((item["name"], item.get(attribute) if attribute else None))
    return items


def _check_document(data, source, *, strict):
    """Raise GoldFormatError naming `source` if `data` is not a gold-format dict."""
    if not isinstance(data, Mapping):
        raise GoldFormatError(f"{source}: top level must be an object, got {_json_type(data)}")
    required = ("doc", "subject_region", "year", *ENTITY_TYPES) if strict else ()
    for key in required:
        if key not in data:
            raise GoldFormatError(f"{source}: missing key {key!r}")
    if "doc" in data and (not isinstance(data["doc"], str) or not data["doc"].strip()):
        raise GoldFormatError(f"{source}: 'doc' must be a non-empty string, got {data['doc']!r}")
    year = data.get("year")
    if (year is not None or strict) and (not isinstance(year, int) or isinstance(year, bool)):
        raise GoldFormatError(f"{source}: 'year' must be an integer, got {year!r}")
    region = data.get("subject_region")
    if region is not None or strict:
        _check_subject_region(region, source, strict=strict)
    for entity_type in ENTITY_TYPES:
        _check_entities(data.get(entity_type), entity_type, source, strict=strict)


def _check_subject_region(region, source, *, strict):
    where = f"{source}: subject_region"
    if not isinstance(region, Mapping):
        raise GoldFormatError(f"{where} must be an object, got {_json_type(region)}")
    if strict:
        for key in _SUBJECT_KEYS:
            if key not in region:
                raise GoldFormatError(f"{where}: missing key {key!r}")
    name = region.get("name")
    if strict and (not isinstance(name, str) or not _normalise_plain(name)):
        raise GoldFormatError(f"{where}.name must be a non-empty string, got {name!r}")
    if not strict and name is not None and not isinstance(name, str):
        raise GoldFormatError(f"{where}.name must be a string, got {name!r}")
    aliases = region.get("aliases", [])
    if not strict and aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise GoldFormatError(f"{where}.aliases must be a list of strings, got {aliases!r}")
    kind = region.get("kind")
    if (kind is not None or strict) and kind not in REGION_KINDS:
        raise GoldFormatError(
            f"{where}.kind {kind!r} is not one of {', '.join(REGION_KINDS)}"
        )
    for key in ("province", "city"):
        value = region.get(key)
        if value is not None and not isinstance(value, str):
            raise GoldFormatError(f"{where}.{key} must be a string or null, got {value!r}")


def _check_entities(items, entity_type, source, *, strict):
    if items is None and not strict:
        return
    if not isinstance(items, list):
        raise GoldFormatError(f"{source}: {entity_type!r} must be a list, got {_json_type(items)}")
    attribute, allowed = _ATTRIBUTES.get(entity_type, (None, ()))
    seen = {}
    for index, item in enumerate(items):
        where = f"{source}: {entity_type}[{index}]"
        if isinstance(item, str) and (not strict or attribute is None):
            name = item
        elif isinstance(item, Mapping) and (not strict or attribute is not None):
            if "name" not in item:
                raise GoldFormatError(f"{where}: missing key 'name'")
            name = item["name"]
            if not isinstance(name, str):
                raise GoldFormatError(f"{where}.name must be a string, got {name!r}")
            if attribute is not None:
                if strict and attribute not in item:
                    raise GoldFormatError(f"{where}: missing key {attribute!r}")
                value = item.get(attribute)
                if (value is not None or strict) and value not in allowed:
                    raise GoldFormatError(
                        f"{where}.{attribute} {value!r} is not one of {', '.join(allowed)}"
                    )
        else:
            expected = "an object with name and " + attribute if attribute else "a string"
            raise GoldFormatError(f"{where} must be {expected}, got {item!r}")
        if strict:
            key = normalise(name, entity_type=entity_type)
            if not key:
                raise GoldFormatError(f"{where}: empty name {name!r}")
            if key in seen:
                raise GoldFormatError(
                    f"{where}: {name!r} repeats {entity_type}[{seen[key]}] after normalisation"
                )
            seen[key] = index


def _json_type(value):
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    for kind, label in names.items():
        if isinstance(value, kind):
            return label
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _score_subject_region(doc, gold, predicted):
    region = gold["subject_region"]
    guess = predicted.get("subject_region") if predicted is not None else None
    guess = guess if isinstance(guess, Mapping) else {}
    name, province, city = guess.get("name"), guess.get("province"), guess.get("city")
    name_ok = False
    if isinstance(name, str) and _normalise_plain(name):
        candidate = _normalise_plain(name)
        targets = [_normalise_plain(t) for t in (region["name"], *region["aliases"])]
        name_ok = any(candidate == t or _lenient(candidate, t) for t in targets if t)

    def same(a, b):
        # No value and an empty string both say "none" (a province's plan has no city).
        a = _normalise_plain(a) if a else None
        return a == (_normalise_plain(b) if b else None)

    province_ok = same(province, region["province"])
    city_ok = same(city, region["city"])
    return SubjectRegionResult(
        doc=doc,
        right=name_ok and province_ok and city_ok,
        name_ok=name_ok,
        province_ok=province_ok,
        city_ok=city_ok,
        gold_name=region["name"],
        gold_province=region["province"],
        gold_city=region["city"],
        predicted_name=name,
        predicted_province=province,
        predicted_city=city,
    )


def _format_agreement(agreement):
    text = (
        f"{agreement.attribute} agreement ({agreement.entity_type}, lenient matches): "
        f"{agreement.share:.3f} ({agreement.agreed}/{agreement.matched}"
    )
    if agreement.missing:
        text += f", {agreement.missing} without {agreement.attribute}"
    return text + ")"


def _format_region(name, province, city):
    if name is None and province is None and city is None:
        return "nothing"
    return " / ".join("-" if part is None else part for part in (name, province, city))
