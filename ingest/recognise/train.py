"""Train the pipeline's learned recogniser (``regionkg_ner``) on real plans annotated by hand.

Each annotated document is a text and the gold names of its five types (the gold format of
``tests/data/gold/README.md``). Every occurrence of a gold name in the text becomes a training span
of its type (longest names first, never overlapping); a name that a list shares with its neighbours
(金凤、嘉陵江、明月湖实验室 → 金凤实验室) teaches its head (金凤), which
:mod:`~ingest.recognise.lists` completes at run time. Lines are the training examples; the rules and
the reference lists run first, so their findings are features (:mod:`~ingest.recognise.features`)
exactly as at run time. Everything is the repository's own data; nothing is downloaded.

``python -m ingest.recognise.train --help`` says how to run it; ``make train`` trains the shipped
model on the training set and half A of ``tests/data/gold-real``, measures half B (which it never
sees) and records that held-out precision per type in the model's ``meta.json`` (the confidence of
the recogniser's facts); ``make crossval`` trains holding out each half in turn and measures it.
On this project's 2-core machine an epoch takes two to three minutes, twelve epochs half an hour.

The same run trains the classifier of :mod:`~ingest.recognise.rule_names` (which rules' names
stand where the recogniser found none) on the same documents, in a few minutes;
``--only-rule-names`` trains it alone beside a recogniser already trained.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch

from ingest.evaluation_sets import HALVES
from ingest.read import read_source
from ingest.recognise.augment import with_names_swapped
from ingest.recognise.config import build_pipeline
from ingest.recognise.learned import LABELS, MODEL_DIR, read_meta
from ingest.recognise.rule_names import CLASSES, NameClassifier, candidate_features, candidates

__all__ = ["AnnotatedDocument", "load_annotated", "training_set", "examples", "gold_spans", "without_quotes", "train",
           "train_rule_names", "rule_name_examples", "held_out_table", "main"]

REPO = Path(__file__).resolve().parents[2]
TEXTS = REPO / "tests" / "data" / "real"
GOLD = REPO / "tests" / "data" / "gold-real"
TRAINING = Path(__file__).with_name("training")

_GOLD_KEYS = {"zones": "zone", "industries": "industry", "projects": "project",
              "institutions": "institution", "talent_programmes": "talent_programme"}
_QUOTES = frozenset("“”\"‘’《》")
_LIST_JOINERS = "、和及与"


class AnnotatedDocument:
    """A document's ``stem``, ``text`` and gold ``names`` (entity type → names)."""

    def __init__(self, stem: str, text: str, names: dict[str, list[str]]):
        self.stem, self.text, self.names = stem, text, names

    def __repr__(self) -> str:
        return f"AnnotatedDocument({self.stem!r}, {sum(map(len, self.names.values()))} names)"


def load_annotated(directory: Path, texts: Path = TEXTS) -> list[AnnotatedDocument]:
    """The annotated documents of ``directory`` (gold JSON files), with their texts from ``texts``.

    Raises
    ------
    FileNotFoundError
        If a gold file has no text of its name under ``texts``.
    """
    docs = []
    for path in sorted(Path(directory).glob("*.json")):
        found = sorted(Path(texts).glob(f"**/{path.stem}.txt"))
        if not found:
            raise FileNotFoundError(f"no text {path.stem}.txt under {texts} for the annotation {path}")
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {etype: [item["name"] if isinstance(item, dict) else item for item in data.get(key) or ()]
                 for key, etype in _GOLD_KEYS.items()}
        docs.append(AnnotatedDocument(path.stem, read_source(found[0]).text, names))
    return docs


def training_set() -> list[AnnotatedDocument]:
    """The training set: the real reports annotated for training (``training/silver-real``) and the
    two development sets the rules were written on (the five samples, ``tests/data/dev2``)."""
    return (load_annotated(TRAINING / "silver-real")
            + load_annotated(REPO / "tests" / "data" / "gold", REPO / "data" / "samples")
            + load_annotated(REPO / "tests" / "data" / "dev2", REPO / "tests" / "data" / "dev2"))


def without_quotes(name: str) -> str:
    """``name`` without the quote marks a gold name may leave out or hold (“双红”产业园 → 双红产业园)."""
    return "".join(c for c in name if c not in _QUOTES)


def gold_spans(doc: AnnotatedDocument) -> list[tuple[int, int, str]]:
    """(start, end, type) of every occurrence of every gold name in the text: quotes the name leaves
    out are skipped over; a name not in the text whose head stands in a list before a name with the
    same ending gives that head; longest first, never overlapping, in text order.

    Examples
    --------
    >>> d = AnnotatedDocument("x", "建设金凤、嘉陵江、明月湖实验室。", {"institution": ["金凤实验室", "嘉陵江实验室", "明月湖实验室"]})
    >>> [d.text[s:e] for s, e, _ in gold_spans(d)]
    ['金凤', '嘉陵江', '明月湖实验室']
    """
    text = doc.text
    keep = [i for i, c in enumerate(text) if c not in _QUOTES]
    bare = "".join(text[i] for i in keep)
    candidates = []
    for etype, names in doc.names.items():
        for name in names:
            name = without_quotes(name)
            if len(name) < 2:
                continue
            found = [(keep[m.start()], keep[m.end() - 1] + 1) for m in re.finditer(re.escape(name), bare)]
            if not found and etype != "industry":
                found = _list_heads(text, name)
            candidates += [(s, e, etype) for s, e in found]
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = bytearray(len(text))
    out = []
    for start, end, etype in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        out.append((start, end, etype))
    return sorted(out)


def _list_heads(text: str, name: str) -> list[tuple[int, int]]:
    """Where ``name`` stands as the head of a list item sharing the ending of a later item."""
    out = []
    for cut in range(len(name) - 1, 1, -1):
        head, ending = name[:cut], name[cut:]
        pattern = re.escape(head) + f"[{_LIST_JOINERS}][^，,。；;：:\n]{{0,40}}?" + re.escape(ending)
        out += [(m.start(), m.start() + len(head)) for m in re.finditer(pattern, text)]
        if out:
            break
    return out


def examples(nlp: Language, docs, *, report=None) -> list[Example]:
    """One :class:`Example` per non-empty line: the line run through the pipeline up to the learned
    recogniser (so the features are there), and its gold spans aligned to tokens."""
    before = _components_before(nlp)
    out, total, dropped = [], 0, 0
    for doc in docs:
        spans = gold_spans(doc)
        for offset, line in _lines(doc.text):
            predicted = _run(nlp.make_doc(line), before)
            reference = nlp.make_doc(line)
            ents = []
            for start, end, etype in spans:
                if start < offset or end > offset + len(line):
                    continue
                total += 1
                span = _aligned(predicted, start - offset, end - offset, etype)
                if span is None or (ents and span.start < ents[-1].end):
                    dropped += 1
                    continue
                ents.append(span)
            reference.ents = [Span(reference, s.start, s.end, label=s.label_) for s in ents]
            out.append(Example(predicted, reference))
    if report is not None:
        print(f"{len(out)} lines, {total} gold spans, {dropped} not on token or sentence boundaries",
              file=report)
    return out


def _aligned(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None or len(span.text) > end - start + 2:
            return None  # the segmenter glued the name to more than a character or two around it
    if any(token.is_sent_start for token in span[1:]):
        return None  # entities never cross a sentence boundary
    return span


def _components_before(nlp: Language):
    names = nlp.pipe_names
    return [proc for name, proc in nlp.pipeline[: names.index("regionkg_ner")]]


def _run(doc: Doc, components) -> Doc:
    for proc in components:
        doc = proc(doc)
    return doc


def _lines(text: str):
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            yield offset, line
        offset += len(line) + 1


def predict(nlp: Language, doc: AnnotatedDocument) -> dict[str, list[str]]:
    """The names the pipeline's learned recogniser finds in ``doc``, by type (no rules, no aliases)."""
    before = _components_before(nlp)
    ner = nlp.get_pipe("regionkg_ner")
    found: dict[str, list[str]] = {etype: [] for etype in LABELS}
    for _, line in _lines(doc.text):
        for ent in ner(_run(nlp.make_doc(line), before)).ents:
            found[ent.label_].append(ent.text)
    return found


def rule_name_examples(nlp: Language, docs) -> tuple[list[list[str]], list[int]]:
    """The candidates of the rules in ``docs`` as :mod:`~ingest.recognise.rule_names` classifies
    them: each whole document run through the rules and the token features (as at run time), each
    candidate's features, and its class: the first type whose gold names hold it (normalised as
    ``regionkg evaluate`` matches), else ``none``."""
    from ingest.evaluate import normalise

    keys = {etype: key for key, etype in _GOLD_KEYS.items()}
    before = _components_before(nlp)
    features, classes = [], []
    for doc in docs:
        gold = {etype: {normalise(n, entity_type=keys[etype]) for n in doc.names[etype]} - {""}
                for etype in LABELS}
        parsed = _run(nlp.make_doc(doc.text), before)
        for (start, end), proposed in candidates(parsed).items():
            name = doc.text[start:end]
            found = next((etype for etype in LABELS if normalise(name, entity_type=keys[etype]) in gold[etype]),
                         "none")
            features.append(candidate_features(parsed, start, end, proposed))
            classes.append(CLASSES.index(found))
    return features, classes


def train_rule_names(train_docs, *, seed: int = 0, report=sys.stderr) -> NameClassifier:
    """Train the classifier of :mod:`~ingest.recognise.rule_names` on ``train_docs``."""
    started = time.time()
    features, classes = rule_name_examples(build_pipeline({"learned": "untrained"}), train_docs)
    classifier = NameClassifier.fit(features, classes, seed=seed)
    print(f"rule names: {len(classes)} candidates, {sum(1 for c in classes if c)} of them names, "
          f"classifier trained in {time.time() - started:.0f} s", file=report)
    return classifier


def train(train_docs, *, epochs: int = 12, seed: int = 0, swap_names: float = 0.0, report=sys.stderr,
          after_epoch=None) -> Language:
    """Train ``regionkg_ner`` of a new pipeline on ``train_docs``, printing each epoch's loss to
    ``report``; ``after_epoch(epoch, nlp)``, if given, is called after each epoch (the learning
    curve of ``--curve-from``). With ``swap_names`` > 0 it also trains on each document again with
    that share of its names swapped for others (:mod:`~ingest.recognise.augment`). Returns the
    pipeline."""
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs!r}")
    random.seed(seed)
    fix_random_seed(seed)  # thinc's initial weights and dropout too: the same seed, the same model
    nlp = build_pipeline({"learned": "untrained"})
    if swap_names:
        train_docs = list(train_docs) + with_names_swapped(train_docs, share=swap_names, seed=seed)
    data = examples(nlp, train_docs, report=report)
    nlp.initialize(lambda: data)
    frozen = [name for name in nlp.pipe_names if name != "regionkg_ner"]
    for epoch in range(epochs):
        random.shuffle(data)
        losses: dict[str, float] = {}
        started = time.time()
        for batch in minibatch(data, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=0.2, losses=losses, exclude=frozen)
        print(f"epoch {epoch + 1}/{epochs}: loss {losses.get('regionkg_ner', 0):.0f}, "
              f"{time.time() - started:.0f} s", file=report)
        if after_epoch is not None:
            after_epoch(epoch + 1, nlp)
    return nlp


def held_out_table(nlp: Language, docs) -> dict[str, dict[str, float]]:
    """Score the learned recogniser alone on ``docs`` as ``regionkg evaluate`` scores (lenient and
    exact, micro-averaged): ``{type: {"precision", "recall", "f1", "f1_exact", "gold", "predicted"}}``."""
    from ingest.evaluate import match, normalise

    keys = {etype: key for key, etype in _GOLD_KEYS.items()}
    totals = {etype: [0, 0, 0, 0] for etype in LABELS}  # exact, lenient, predicted, gold
    for doc in docs:
        found = predict(nlp, doc)
        for etype, key in keys.items():
            pairs = match(doc.names[etype], found[etype], entity_type=key)
            totals[etype][0] += sum(1 for *_, how in pairs if how == "exact")
            totals[etype][1] += len(pairs)
            totals[etype][2] += len({normalise(n, entity_type=key) for n in found[etype]} - {""})
            totals[etype][3] += len({normalise(n, entity_type=key) for n in doc.names[etype]} - {""})
    table = {}
    for etype, (exact, lenient, predicted, gold) in totals.items():
        p, r = (lenient / predicted if predicted else 0.0), (lenient / gold if gold else 0.0)
        pe, re_ = (exact / predicted if predicted else 0.0), (exact / gold if gold else 0.0)
        table[etype] = {"precision": round(p, 3), "recall": round(r, 3),
                        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                        "f1_exact": round(2 * pe * re_ / (pe + re_), 3) if pe + re_ else 0.0,
                        "gold": gold, "predicted": predicted}
    return table


def main(argv=None) -> int:
    """The command line of the trainer."""
    parser = argparse.ArgumentParser(prog="python -m ingest.recognise.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--hold-out", choices=["A", "B", "gold-real", "none"], default="B",
                        help="annotated real reports (tests/data/gold-real: a half, all, or none) left out of "
                             "training and measured; the training set (training/silver-real) is always used")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--swap-names", type=float, default=0.0, metavar="SHARE",
                        help="also train on every document again with this share of its names swapped for "
                             "names of the same type from other documents (0: not)")
    parser.add_argument("--curve-from", type=int, default=None, metavar="EPOCH",
                        help="from this epoch on, measure the held-out documents after every epoch (the "
                             "learning curve, one JSON line each) and, with --out, keep each epoch's model "
                             "in OUT/epoch-N")
    parser.add_argument("--only-rule-names", action="store_true",
                        help="train only the rule-name classifier (minutes), beside the recogniser already in --out")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"where to write the model and its meta.json (the shipped model: {MODEL_DIR})")
    args = parser.parse_args(argv)
    gold = load_annotated(GOLD)
    held = {d.stem for d in gold} if args.hold_out == "gold-real" else set(HALVES.get(args.hold_out, ()))
    train_docs = training_set() + [d for d in gold if d.stem not in held]
    test_docs = [d for d in gold if d.stem in held]
    print(f"training on {len(train_docs)} documents, holding out {len(test_docs)}", file=sys.stderr)
    def after_epoch(epoch: int, nlp: Language) -> None:
        if args.curve_from is None or epoch < args.curve_from or not test_docs:
            return
        table = held_out_table(nlp, test_docs)
        print(json.dumps({"epoch": epoch, "f1": {t: row["f1"] for t, row in table.items()},
                          "f1_exact": {t: row["f1_exact"] for t, row in table.items()}}), file=sys.stderr)
        if args.out is not None:
            (args.out / f"epoch-{epoch}").mkdir(parents=True, exist_ok=True)
            nlp.get_pipe("regionkg_ner").to_disk(args.out / f"epoch-{epoch}" / "regionkg_ner")

    if args.only_rule_names:
        if args.out is None or not (args.out / "meta.json").is_file():
            parser.error("--only-rule-names needs --out, a model directory with its meta.json")
        meta = read_meta(args.out)
        if meta.get("held_out") != args.hold_out:
            parser.error(f"the recogniser in {args.out} held out {meta.get('held_out')!r}, not {args.hold_out!r}")
        train_rule_names(train_docs, seed=args.seed).to_disk(args.out / "rule_names.npz")
        print(f"rule-name classifier written to {args.out}", file=sys.stderr)
        return 0
    nlp = train(train_docs, epochs=args.epochs, seed=args.seed, swap_names=args.swap_names, after_epoch=after_epoch)
    classifier = train_rule_names(train_docs, seed=args.seed)
    meta = {"trained_on": sorted(d.stem for d in train_docs), "held_out": args.hold_out,
            "epochs": args.epochs, "seed": args.seed, "swap_names": args.swap_names}
    if test_docs:
        table = held_out_table(nlp, test_docs)
        meta["held_out_table"] = table
        meta["precision"] = {etype: row["precision"] for etype, row in table.items()}
        print(json.dumps({"held_out": args.hold_out, "table": table}, ensure_ascii=False, indent=1))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        nlp.get_pipe("regionkg_ner").to_disk(args.out / "regionkg_ner")
        classifier.to_disk(args.out / "rule_names.npz")
        (args.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
        print(f"model written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
