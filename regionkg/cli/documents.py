"""Commands on documents and the store: ingest, extract, evaluate, stats, export, explain, load,
copy, remove, validate."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from regionkg.cli.common import (
    StoreOption, _fail, _is_storage_error, _open, _output, _store_path, app, console, err,
)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files and folders of plan documents (.txt, .html, .pdf, .docx)."),
    store: Optional[str] = StoreOption,
    max_mb: float = typer.Option(50.0, "--max-mb", help="Reject files larger than this many MB."),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", min=1, show_default="2,000,000",
                                            help="Reject documents with more text than this many characters."),
    max_xml_mb: Optional[float] = typer.Option(None, "--max-xml-mb", min=0.001, show_default="32",
                                               help="Reject a .docx that expands to more than this many MB of XML."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes that recognise documents in parallel (writes stay in order)."),
) -> None:
    """Read plan documents into the graph; one report line per file.

    Exit code 0 when every file named (or found in a folder) is in the graph, 1 when any was
    rejected. A bad file never stops the batch.
    """
    from ingest.batch import STATUSES, ingest_paths
    from ingest.read import iter_input_files

    limits = {} if max_chars is None else {"max_chars": max_chars}  # else ingest's defaults
    if max_xml_mb is not None:
        limits["max_xml_bytes"] = max(1, int(max_xml_mb * 1024 * 1024))
    files = [p for p, _ in iter_input_files(paths)]
    counts = dict.fromkeys(STATUSES, 0)
    started = time.perf_counter()
    chars = 0
    style = {"added": "green", "replaced": "green", "unchanged": "dim", "rejected": "red", "skipped": "yellow"}
    with _open(store, write=True, must_exist=False) as kg:
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("ingesting", total=len(files), rate="")
            for line in ingest_paths(paths, kg, max_bytes=int(max_mb * 1024 * 1024), jobs=jobs, **limits):
                counts[line.status] += 1
                chars += line.chars
                elapsed = max(time.perf_counter() - started, 1e-9)
                done = sum(counts.values())
                progress.update(task, advance=1,
                                rate=f"{done / elapsed:,.1f} docs/s  {chars / elapsed:,.0f} chars/s")
                console.print(str(line), style=style[line.status], markup=False, highlight=False,
                              soft_wrap=True)
        if counts["added"] or counts["replaced"]:
            _keep_view(kg)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    err.print(f"{summary or 'no files'} in {elapsed:.1f} s ({chars / max(elapsed, 1e-9):,.0f} chars/s, "
              f"{jobs} job{'s' if jobs > 1 else ''})")
    raise typer.Exit(1 if counts["rejected"] else 0)


def _keep_view(kg) -> None:
    """Bring the comparisons' view kept with the store up to date (after an ingest, the new
    documents' links and nodes only), so that the next command or app session loads it instead of
    building it."""
    from graph.views import kept_view

    if kg.aggregate is None:
        return  # a SPARQL server: each process reads the view with aggregate queries
    began = time.perf_counter()
    try:
        G = kept_view(kg)
    except Exception as e:  # noqa: BLE001 - the documents are stored; the next reader builds the view
        err.print(f"the comparisons' view was not updated ({e}); it is built when first needed",
                  markup=False, highlight=False, soft_wrap=True)
        return
    err.print(f"comparisons' view kept current: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} "
              f"links, in {time.perf_counter() - began:.1f} s", markup=False, highlight=False, soft_wrap=True)


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Plan documents to extract."),
    fmt: str = typer.Option("gold-json", "--format", help="Output format: gold-json."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write <stem>.json files here instead of stdout."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes that extract side by side (default: one per CPU, at most 4)."),
) -> None:
    """Extract entities from documents, in the gold JSON format (for scoring)."""
    import os

    from ingest.batch import extract_paths, shown
    from ingest.read import iter_input_files

    if fmt != "gold-json":
        _fail(f"unknown format {fmt!r}; known: gold-json")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    failed = False
    found = list(iter_input_files(files))
    readable = [path for path, problem in found if problem is None]
    results = extract_paths(readable, jobs=jobs or min(os.cpu_count() or 1, 4))
    for path, problem in found:
        if problem is None:
            _, result, reason = next(results)
        else:
            result, reason = None, problem.reason
        if result is None:
            if not reason.startswith("skipped"):
                failed = True
            err.print(f"rejected  {shown(path)}  {shown(reason)}", markup=False, highlight=False, soft_wrap=True)
            continue
        text = json.dumps(result, ensure_ascii=False, indent=2)
        if out is None:
            sys.stdout.write(text + "\n")
        else:
            with _output(out / f"{path.stem}.json") as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
            err.print(f"wrote     {shown(out / (path.stem + '.json'))}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1 if failed else 0)


@app.command()
def evaluate(
    docs: list[Path] = typer.Argument(None, help="Documents to extract and score (default: the gold files' documents in data/samples)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Folder of gold JSON files (default: every annotated set of the repository, the real reports' two halves among them)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full evaluation as JSON."),
    only_targets: bool = typer.Option(False, "--targets", help="Only the targets and results: their two "
                                      "halves (development, held-out), full and value alone."),
    model: Optional[Path] = typer.Option(None, "--model", help="The learned recogniser and classifier to "
                                         "measure: a directory the trainer wrote (python -m ingest.recognise.train "
                                         "--out DIR; default: the shipped ingest/recognise/model)."),
) -> None:
    """Score extraction against gold annotations: precision, recall, F1 per type (exact and lenient),
    and of targets and results (full and value alone)."""
    from functools import partial

    from ingest.batch import shown
    from ingest.evaluate import GoldFormatError, format_table, load_gold_dir, score
    from ingest.extract import extract
    from ingest.read import RejectedInput, iter_input_files, read_source

    run_extract = extract
    if model is not None:
        from ingest.recognise import build_pipeline

        try:
            run_extract = partial(extract, nlp=build_pipeline({"model": model}))
        except (FileNotFoundError, ValueError, OSError) as e:
            _fail(e)
    if gold is None and not docs:
        _evaluate_sets(as_json, only_targets=only_targets, run_extract=run_extract, model=model)
        return
    if only_targets:
        _fail("--targets scores the target sets of the repository: drop --gold and the documents")
    if gold is None:
        err.print("[red]error:[/] --gold is needed with documents: the folder of their gold JSON files")
        raise typer.Exit(2)
    try:
        gold_docs = load_gold_dir(gold)
    except (GoldFormatError, OSError) as e:
        _fail(e)
    if not docs:
        docs = [Path("data/samples")]
    predicted = {}
    for path, problem in iter_input_files(docs):
        if path.name not in gold_docs:
            continue
        try:
            if problem is not None:
                raise problem
            predicted[path.name] = run_extract(read_source(path)).to_gold()
        except RejectedInput as e:
            err.print(f"rejected  {shown(path)}  {shown(e.reason)}", markup=False, highlight=False, soft_wrap=True)
    result = score(gold_docs, predicted)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_table(result) + "\n")


def _evaluate_sets(as_json: bool, only_targets: bool = False, run_extract=None, model: Path | None = None) -> None:
    """``regionkg evaluate`` alone: every annotated set of the repository, each saying how many of
    its documents the learned recogniser (of ``model``) was trained on."""
    from ingest.evaluate import format_table
    from ingest.evaluate_targets import format_target_table
    from ingest.evaluation_sets import evaluate_sets, evaluate_target_sets
    from ingest.extract import extract, extract_targets
    from ingest.read import read_source

    run_extract = run_extract or extract

    cache: dict[Path, dict] = {}

    def extract_gold(path: Path) -> dict:
        if path not in cache:
            cache[path] = run_extract(read_source(path)).to_gold()
        return cache[path]

    def extract_target_gold(path: Path) -> dict:
        # The same targets as extract's (the same grammar on the same text), without the pipeline
        # when the document was not extracted already.
        return cache[path] if path in cache else extract_targets(read_source(path))

    results = {}
    try:
        for evaluation_set, result, seen in (() if only_targets else evaluate_sets(extract_gold, model=model)):
            documents = len(result.subject_regions)
            if as_json:
                results[evaluation_set.name] = {**result.to_dict(), "documents": documents,
                                                "trained_on": seen}
                continue
            learned = "never seen by the learned recogniser" if seen == 0 else \
                f"the learned recogniser was trained on {seen} of them: a development figure"
            sys.stdout.write(f"\n== {evaluation_set.name}: {documents} documents, {learned}\n")
            sys.stdout.write(format_table(result) + "\n")
        for evaluation_set, scores in evaluate_target_sets(extract_target_gold):
            documents = len(scores.documents)
            if as_json:
                results[evaluation_set.name] = {**scores.to_dict(), "documents": documents}
                continue
            how = ("held out: the target grammar was never tuned on these documents"
                   if "held-out" in evaluation_set.name else "the target grammar was tuned on these: a development figure")
            sys.stdout.write(f"\n== {evaluation_set.name}: {documents} documents, {how}\n")
            sys.stdout.write(format_target_table(scores) + "\n")
    except FileNotFoundError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


@app.command()
def stats(
    store: Optional[str] = StoreOption,
    check: bool = typer.Option(True, "--check/--no-check",
                               help="First read every index of the store once, so a damaged block "
                                    "anywhere is reported (the time of a few full scans)."),
) -> None:
    """Counts of documents, facts and entities in the graph (after checking every index of the store)."""
    from graph.integrity import check as check_store

    with _open(store) as kg:
        if check:
            check_store(kg)
        counts = kg.stats()
        documents = kg.documents()
    table = Table(title=f"regionkg store {_store_path(store)}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    console.print(table)
    docs = Table(title="documents")
    for col in ("file", "subject region", "year"):
        docs.add_column(col)
    for d in documents:
        docs.add_row(d["file"], d["subject"], str(d["year"] or ""))
    console.print(docs)


@app.command()
def export(
    fmt: str = typer.Option("ttl", "--format", help="ttl, nt, jsonld (or trig, nq with named graphs)."),
    out: Optional[Path] = typer.Option(None, "--out", help="File to write (default: stdout)."),
    store: Optional[str] = StoreOption,
) -> None:
    """Export the whole graph as Turtle, N-Triples or JSON-LD."""
    from graph.store import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        _fail(f"unknown format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    with _open(store) as kg:
        if out is None:
            sys.stdout.write(kg.export(fmt))
        else:
            with _output(out) as tmp:
                kg.export(fmt, tmp)
            err.print(f"wrote {out}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def explain(
    name: str = typer.Argument(..., help="A node's name or alias: 新材料, 淄博, 宁波新材料联合研究院 …"),
    store: Optional[str] = StoreOption,
    as_json: bool = typer.Option(False, "--json", help="Print the evidence as JSON."),
) -> None:
    """Print every sentence a node comes from, with its document and the rule that found it."""
    from dataclasses import asdict

    from rich.text import Text

    from graph.evidence import UnknownEntity, explain as run_explain

    with _open(store) as kg:
        try:
            nodes, evidence = run_explain(kg, name)
        except UnknownEntity as e:
            _fail(e)
    if as_json:
        sys.stdout.write(json.dumps({"nodes": nodes, "evidence": [asdict(e) for e in evidence]},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    for node in nodes:
        console.print(Text(f"{node['label']}  <{node['iri']}>  ({', '.join(node['classes'])})", style="bold"))
    if not evidence:
        console.print("no fact states this node (it is in the vocabulary only)")
    for e in evidence:
        line = Text(f"{e.document} [{e.start}-{e.end}] {e.predicate}"
                    + (f" ({e.role})" if e.role else "") + f" · {e.rule} {e.confidence:.2f}\n  ", style="dim")
        sentence = Text(e.sentence)
        sentence.stylize("bold reverse", e.start - e.sentence_start, e.end - e.sentence_start)
        console.print(line + sentence, soft_wrap=True)


@app.command()
def load(
    files: list[Path] = typer.Argument(..., help="Files written by 'regionkg export' (.ttl, .nt, .jsonld, .trig, .nq)."),
    store: Optional[str] = StoreOption,
) -> None:
    """Load exported graphs into the store (TriG and N-Quads keep one graph per document)."""
    from ingest.batch import shown

    failed = False
    with _open(store, write=True, must_exist=False) as kg:
        for path in files:
            try:
                n = kg.load(path)
                console.print(f"loaded    {shown(path)}  {n:,} triples", markup=False, highlight=False, soft_wrap=True)
            except (ValueError, OSError) as e:
                if _is_storage_error(e):
                    raise
                failed = True
                console.print(f"rejected  {shown(path)}  {shown(e)}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1 if failed else 0)


@app.command()
def copy(
    to: str = typer.Option(..., "--to", help="The store to copy into: a SPARQL endpoint's query URL (or a directory)."),
    store: Optional[str] = StoreOption,
) -> None:
    """Copy every graph of the store into another: how an embedded store moves onto a SPARQL server.

    Graph by graph (documents, vocabulary, imports); graphs already there unchanged are skipped, so
    an interrupted copy is completed by running it again.
    """
    from graph.store import copy_store

    with _open(store) as source, _open(to, write=True, must_exist=False) as destination:
        total = len(source.graph_names())
        with Progress(TextColumn("copying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("copying", total=total)
            try:
                result = copy_store(source, destination, on_graph=lambda _: progress.advance(task))
            except Exception as e:  # the destination refused a write: say which and stop
                _fail(e, 1)
    err.print(f"{result['copied']} graphs copied ({result['triples']:,} triples), "
              f"{result['unchanged']} already there, into {to}")


@app.command()
def remove(
    documents: list[str] = typer.Argument(..., help="Documents by file name, IRI or content hash (8+ hex digits)."),
    store: Optional[str] = StoreOption,
) -> None:
    """Remove documents and every fact only they state; what other documents state stays.

    Exit code 2, and nothing removed, if a name matches no document or more than one.
    """
    with _open(store, write=True) as kg:
        chosen = []
        for key in documents:
            found = kg.find_documents(key)
            if len(found) != 1:
                known = ", ".join(sorted(d["file"] for d in kg.documents())[:10]) or "none"
                what = "no document" if not found else f"{len(found)} documents ({', '.join(d['iri'] for d in found)})"
                _fail(f"{key!r} names {what}; stored documents: {known}")
            chosen.append(found[0])
        for doc in chosen:
            kg.remove_document(doc["iri"])
            console.print(f"removed   {doc['file']}  {doc['iri']}", markup=False, highlight=False)
        _keep_view(kg)  # built anew here (a removal is not an update), not by the next reader


@app.command()
def validate(
    store: Optional[str] = StoreOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the documents that fail, and the summary."),
) -> None:
    """Validate the graph against the SHACL shapes of ontology/shapes.ttl, one document graph at a time.

    One line per document as it is checked (the pyshacl report under each one that fails), then a
    summary. Exit code 0 when every document conforms, 1 when any does not.
    """
    from ingest.batch import shown
    from graph.validate import validate_documents

    checked = failed = violations = nodes = 0
    with _open(store) as kg:
        for doc in validate_documents(kg):
            checked += 1
            nodes += doc.focus_nodes
            name = shown(doc.file or doc.graph)
            if doc.conforms:
                if not quiet:
                    console.print(f"conforms  {name}  {doc.focus_nodes} nodes", markup=False, highlight=False,
                                  soft_wrap=True)
                continue
            failed += 1
            violations += doc.violations
            console.print(f"fails     {name}  {doc.violations} violations  <{doc.graph}>", markup=False,
                          highlight=False, soft_wrap=True, style="red")
            console.print(doc.text.rstrip(), markup=False, highlight=False, soft_wrap=True)
    if not failed:
        console.print(f"conforms: {checked} documents, {nodes} nodes checked, 0 violations", markup=False)
        return
    console.print(f"{failed} of {checked} documents do not conform: {violations} violations "
                  f"({nodes} nodes checked)", markup=False)
    raise typer.Exit(1)

