"""The ``regionkg`` command: ingest plans, extract and evaluate, inspect and export the graph.

It only presents: every command calls ``ingest/`` and ``graph/`` functions that the app uses too.

Read commands open the store read-only (beside a writer, as the app does); only ``ingest`` and
``load`` create a store, and only in a directory that is absent or empty. What goes wrong is said
in one line on stderr (never wrapped, never a traceback), and a file is written whole or not at all.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

__all__ = ["app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="regionkg: a knowledge graph of Chinese regional development plans.")
console = Console()
err = Console(stderr=True)

StoreOption = typer.Option(
    None, "--store",
    help="Store directory, or a SPARQL endpoint's query URL (update URL and credentials from "
         "$REGIONKG_SPARQL_UPDATE_URL, $REGIONKG_SPARQL_USER, $REGIONKG_SPARQL_PASSWORD). "
         "Default: $REGIONKG_STORE or data/store.")


def _store_path(store: Optional[str]) -> str:
    from graph.store import default_store_path

    return store or str(default_store_path())


def _error(message) -> None:
    """Say what went wrong in one line on stderr: never wrapped (a path or a command named in it
    stays whole however wide the terminal), never read as rich markup."""
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)


def _fail(e, code: int = 2):
    _error(e)
    raise typer.Exit(code) from (e if isinstance(e, BaseException) else None)


def _is_storage_error(e: BaseException) -> bool:
    """An error of the store itself (RocksDB's, through Oxigraph), not of regionkg or the command."""
    import click

    from graph.store import StoreError

    if isinstance(e, (click.exceptions.Exit, click.exceptions.Abort, click.ClickException)):
        return False
    if isinstance(e, StoreError):
        return True
    return isinstance(e, (OSError, RuntimeError)) and any(
        word in str(e) for word in ("Corruption", "IO error", "Invalid argument", "Not implemented", "Busy"))


@contextmanager
def _open(store: Optional[str], *, write: bool = False, must_exist: bool = True):
    """The store, read-only unless ``write``; any error of the store (opening it or reading it
    later) ends the command with one line and exit code 2, and so does a read that runs away
    with the memory (:mod:`regionkg.memory`)."""
    import click

    from graph.store import is_endpoint, open_store, storage_error
    from regionkg.memory import bounded, limit_mb

    location = _store_path(store)
    if must_exist and not is_endpoint(location) and not Path(location).is_dir():
        _fail(f"no store at {location}: run 'regionkg ingest PATH' first")
    try:
        limit = limit_mb()
    except ValueError as e:
        _fail(e)

    def runaway(rss: int, bound: int) -> None:
        from graph.output import discard_partial_files

        discard_partial_files()  # the process ends without unwinding: no partial file stays
        _error(f"reading the store at {location} took more than {bound:,} MB ({rss:,} MB) and was "
               f"stopped: the store may be damaged (regionkg stats checks it), or raise "
               f"$REGIONKG_MEMORY_LIMIT_MB")

    try:
        kg = open_store(location, read_only=not write)
    except (ValueError, OSError, RuntimeError) as e:
        _fail(storage_error(e, location) if _is_storage_error(e) else e)
    try:
        with bounded(limit, runaway), kg:
            try:
                yield kg
            except Exception as e:
                if not _is_storage_error(e) and not isinstance(e, click.exceptions.Exit):
                    _raise_damage(kg, e)  # an odd answer of a damaged store, rather than a bug?
                raise
    except (OSError, RuntimeError) as e:
        if not _is_storage_error(e):
            raise
        _fail(storage_error(e, location))


def _raise_damage(kg, error: Exception) -> None:
    """Raise :class:`graph.store.StoreDamaged` if ``kg`` is damaged, else return.

    A damaged store does not always fail with RocksDB's words: Oxigraph turns some read errors
    into an unbound value (a COUNT without a number) that fails later in Python. When a command
    on the store fails unexpectedly, the store is checked before the error is shown as a bug.
    """
    from graph.integrity import check
    from graph.store import StoreDamaged

    try:
        check(kg)
    except StoreDamaged as damage:
        raise damage from error


@contextmanager
def _output(path: Path):
    """A temporary file beside ``path`` that becomes ``path`` only when it is written whole
    (:func:`graph.output.written`); a file that cannot be written ends the command in one line."""
    from graph.output import written

    try:
        with written(path) as tmp:
            yield tmp
    except (ValueError, OSError) as e:
        if _is_storage_error(e):
            raise
        _fail(f"cannot write {path}: {getattr(e, 'strerror', None) or e}")


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
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    err.print(f"{summary or 'no files'} in {elapsed:.1f} s ({chars / max(elapsed, 1e-9):,.0f} chars/s, "
              f"{jobs} job{'s' if jobs > 1 else ''})")
    raise typer.Exit(1 if counts["rejected"] else 0)


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
) -> None:
    """Score extraction against gold annotations: precision, recall, F1 per type (exact and lenient),
    and of targets and results (full and value alone)."""
    from ingest.batch import shown
    from ingest.evaluate import GoldFormatError, format_table, load_gold_dir, score
    from ingest.extract import extract as run_extract
    from ingest.read import RejectedInput, iter_input_files, read_source

    if gold is None and not docs:
        _evaluate_sets(as_json, only_targets=only_targets)
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


def _evaluate_sets(as_json: bool, only_targets: bool = False) -> None:
    """``regionkg evaluate`` alone: every annotated set of the repository, each saying how many of
    its documents the learned recogniser was trained on."""
    from ingest.evaluate import format_table
    from ingest.evaluate_targets import format_target_table
    from ingest.evaluation_sets import evaluate_sets, evaluate_target_sets
    from ingest.extract import extract as run_extract, extract_targets
    from ingest.read import read_source

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
        for evaluation_set, result, seen in (() if only_targets else evaluate_sets(extract_gold)):
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


# -- comparing regions --------------------------------------------------------------------------
# Each command resolves names, runs one graph/ query on the cached networkx view of the store,
# prints the answer as a table, JSON or CSV, and can write the subgraph behind it (--export).

LevelOption = typer.Option("stated", "--level",
                           help="stated: industries as plans name them; broad: rolled up to the top concepts of the scheme.")
FormatOption = typer.Option("table", "--format", help="table | json | csv.")
ExportOption = typer.Option(None, "--export", help="Also write the subgraph behind the answer: "
                            "FILE.ttl | .nt | .jsonld | .graphml | .gexf.")
ProvinceOption = typer.Option(None, "--province", help="Only regions of this province (浙江 or 浙江省).")
CityOption = typer.Option(None, "--city", help="Only regions of this city.")
ZoneTypeOption = typer.Option(None, "--zone-type", help="Only zones of this type (国家高新区, national-hitech …).")
YearOption = typer.Option(None, "--year", help="Only regions with a plan of this year.")
KindOption = typer.Option(None, "--kind", help="Only regions of this kind: city, district, county, zone, province.")
MeasureOption = typer.Option("jaccard", "--measure",
                             help="jaccard (shared industries) or weighted_jaccard (on evidence counts).")
_FORMATS = ("table", "json", "csv")


def _filters(**values) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def _answer(store: Optional[str], fmt: str, export_to: Optional[Path], query, level: str = "stated",
            show=None) -> None:
    """Check the options, run ``query(G, kg)`` on the cached view, print the answer, export it."""
    from graph.evidence import UnknownEntity
    from graph.export import FORMATS, export as write_subgraph
    from graph.taxonomy import check_level
    from graph.views import cached_view

    try:
        check_level(level)
        if fmt not in _FORMATS:
            raise ValueError(f"unknown format {fmt!r}; known: {', '.join(_FORMATS)}")
        if export_to is not None and export_to.suffix.lower() not in FORMATS:
            raise ValueError(f"cannot export to {export_to.name!r}: unknown suffix; known: {', '.join(FORMATS)}")
    except ValueError as e:
        _fail(e)
    with _open(store) as kg:
        G = cached_view(kg)
        try:
            table = query(G, kg)
        except (UnknownEntity, ValueError) as e:
            _fail(e)
        if export_to is not None:
            with _output(export_to) as tmp:
                n = write_subgraph(G, table, tmp, store=kg)
            what = "nodes" if export_to.suffix.lower() in (".graphml", ".gexf") else "triples"
            err.print(f"wrote {export_to} ({n:,} {what})", markup=False, highlight=False, soft_wrap=True)
    if fmt == "json":
        sys.stdout.write(table.to_json(indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(table.to_csv())
    else:
        _print_table(table)
        if show is not None:
            show(table)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dict):
        return " · ".join(f"{k} {_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "、".join(_text(v) for v in value)
    return str(value)


def _print_table(table) -> None:
    """The answer's summary (``meta``) as lines, then its rows as a rich table."""
    for key, value in table.meta.items():
        if isinstance(value, dict) and value and all(isinstance(v, (list, dict)) for v in value.values()):
            for sub, items in value.items():
                console.print(f"{key} {sub}: {_text(items) or '—'}", markup=False, highlight=False, soft_wrap=True)
        elif value not in (None, [], {}):
            console.print(f"{key}: {_text(value)}", markup=False, highlight=False, soft_wrap=True)
    if not table.rows:
        console.print(f"no {table.name}", markup=False)
        return
    out = Table(title=table.name)
    for col in table.columns:
        numeric = all(isinstance(row.get(col), (int, float)) for row in table.rows if row.get(col) is not None)
        out.add_column(col.replace("_", " "), justify="right" if numeric else "left")
    for row in table.rows:
        out.add_row(*(_text(row.get(col)) for col in table.columns))
    console.print(out)


@app.command()
def profile(
    region: str = typer.Argument(..., help="A region's name or alias: 宁波国家高新区, 淄博 …"),
    level: str = LevelOption,
    types: Optional[list[str]] = typer.Option(
        None, "--type", help="Only these entity types (industry, project, institution, talent_programme, "
        "region); repeatable."),
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """A region's industries (role, evidence), projects, institutions, talent programmes, sub-zones and parents."""
    from graph.profile import profile as run

    _answer(store, fmt, export_to, lambda G, kg: run(G, region, level=level, types=types or None), level)


@app.command()
def compare(
    regions: list[str] = typer.Argument(..., help="Two or more regions, by name or alias."),
    level: str = LevelOption,
    year: Optional[int] = typer.Option(
        None, "--year", help="Compare what the plans of this plan year state (each region must have one)."),
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """The overlap of regions: shared industries with each one's evidence, what only one targets, Jaccard."""
    from graph.compare import overlap

    _answer(store, fmt, export_to, lambda G, kg: overlap(G, regions, level=level, year=year), level)


@app.command()
def timeline(
    region: str = typer.Argument(..., help="A region's name or alias: 驻马店市, 驻马店 …"),
    level: str = LevelOption,
    types: Optional[list[str]] = typer.Option(
        None, "--type", help="Only these types (industry, zone, project, institution, talent_programme); "
        "repeatable."),
    sentences: bool = typer.Option(
        False, "--sentences", help="Print each row's sentences under the table (JSON and CSV always have them)."),
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """A region's plans year by year: what each targets and hosts, and what was added, kept and dropped."""
    from graph.timeline import timeline as run

    def query(G, kg):
        t = run(G, region, level=level, types=types or None, store=kg if sentences or fmt != "table" else None)
        if fmt == "csv":
            t.columns.append("sentences")
        return t

    def show(table):
        if sentences:
            for row in table.rows:
                for text in row["sentences"]:
                    console.print(f"{row['year']} {row['status']} {row['name']}: {text}", markup=False,
                                  highlight=False, soft_wrap=True)

    _answer(store, fmt, export_to, query, level, show)


@app.command()
def gaps(
    region: str = typer.Argument(..., help="The region to find gaps for."),
    peers: Optional[list[str]] = typer.Option(
        None, "--peers", help="Peer regions (repeatable, or comma-separated); default: every other region."),
    same: Optional[list[str]] = typer.Option(
        None, "--same", help="Peers share this with the region: province, city, zone_type, kind (repeatable)."),
    nearest: Optional[int] = typer.Option(None, "--nearest", help="Peers are the n most similar regions."),
    min_peers: int = typer.Option(1, "--min-peers", help="Industries at least k peers target."),
    top: Optional[int] = typer.Option(None, "--top", help="Show the first n gaps."),
    sentences: bool = typer.Option(
        False, "--sentences", help="Print the peers' sentences under the table (JSON always has them)."),
    province: Optional[str] = ProvinceOption, city: Optional[str] = CityOption,
    zone_type: Optional[str] = ZoneTypeOption, year: Optional[int] = YearOption, kind: Optional[str] = KindOption,
    level: str = LevelOption,
    measure: str = MeasureOption,
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """Industries a region's peers target and it does not, ranked by how many peers target them."""
    from graph.gaps import gaps as run, peers as choose

    names = [n.strip() for p in peers or [] for n in p.split(",") if n.strip()] or None

    def query(G, kg):
        chosen = choose(G, region, regions=names, same=same or (), nearest=nearest, level=level, measure=measure,
                        **_filters(province=province, city=city, zone_type=zone_type, year=year, kind=kind))
        return run(G, region, chosen, min_peers=min_peers, level=level, top=top, store=kg)

    def show(table):
        if sentences:
            for row in table.rows:
                for peer, texts in row.get("sentences", {}).items():
                    for text in texts:
                        console.print(f"{row['industry']} · {peer}: {text}", markup=False, highlight=False,
                                      soft_wrap=True)

    _answer(store, fmt, export_to, query, level, show)


@app.command()
def similar(
    region: str = typer.Argument(..., help="The region to find the nearest regions of."),
    top: int = typer.Option(10, "--top", help="How many regions."),
    measure: str = MeasureOption,
    province: Optional[str] = ProvinceOption, city: Optional[str] = CityOption,
    zone_type: Optional[str] = ZoneTypeOption, year: Optional[int] = YearOption, kind: Optional[str] = KindOption,
    level: str = LevelOption,
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """The regions whose industries are most like a region's, with what they share."""
    from graph.regions import select_regions
    from graph.similarity import nearest

    filters = _filters(province=province, city=city, zone_type=zone_type, year=year, kind=kind)
    _answer(store, fmt, export_to, lambda G, kg: nearest(
        G, region, top=top, regions=select_regions(G, **filters) if filters else None, level=level,
        measure=measure), level)


@app.command()
def industries(
    top: Optional[int] = typer.Option(20, "--top", help="How many industries (per group)."),
    by: Optional[str] = typer.Option(None, "--by", help="Rank within each province, city, zone_type, kind or year."),
    contested: bool = typer.Option(False, "--contested", help="The industries most regions lead with (产业同构)."),
    province: Optional[str] = ProvinceOption, city: Optional[str] = CityOption,
    zone_type: Optional[str] = ZoneTypeOption, year: Optional[int] = YearOption, kind: Optional[str] = KindOption,
    level: str = LevelOption,
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """How many regions target each industry (by province, year …), or the most contested industries."""
    from graph.rankings import contested as run_contested, industry_ranking

    filters = _filters(province=province, city=city, zone_type=zone_type, year=year, kind=kind)

    def query(G, kg):
        if contested:
            if by is not None:
                raise ValueError("--contested ranks all regions together; drop --by")
            return run_contested(G, level=level, top=top, **filters)
        return industry_ranking(G, level=level, by=by, top=top, **filters)

    _answer(store, fmt, export_to, query, level)


@app.command()
def clusters(
    measure: str = MeasureOption,
    resolution: float = typer.Option(1.0, "--resolution", help="Louvain resolution: above 1, smaller clusters."),
    seed: int = typer.Option(0, "--seed", help="Louvain seed (the same seed, the same clusters)."),
    province: Optional[str] = ProvinceOption, city: Optional[str] = CityOption,
    zone_type: Optional[str] = ZoneTypeOption, year: Optional[int] = YearOption, kind: Optional[str] = KindOption,
    level: str = LevelOption,
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """Groups of regions with alike industry profiles (Louvain communities of the similarity graph)."""
    from graph.regions import select_regions
    from graph.similarity import clusters as run

    filters = _filters(province=province, city=city, zone_type=zone_type, year=year, kind=kind)
    _answer(store, fmt, export_to, lambda G, kg: run(
        G, select_regions(G, **filters) if filters else None, level=level, measure=measure,
        resolution=resolution, seed=seed), level)


@app.command()
def path(
    source: str = typer.Argument(..., help="A region, industry, institution … by name or alias."),
    target: str = typer.Argument(..., help="Another node."),
    through: Optional[list[str]] = typer.Option(
        None, "--through", help="Node types a path may pass through (default: industry, project, institution, "
        "talent_programme); repeatable."),
    limit: int = typer.Option(10, "--limit", help="At most this many paths."),
    level: str = LevelOption,
    fmt: str = FormatOption,
    export_to: Optional[Path] = ExportOption,
    store: Optional[str] = StoreOption,
) -> None:
    """How two nodes are connected: the shortest paths between them ("why are these regions similar?")."""
    from graph.paths import THROUGH, paths

    _answer(store, fmt, export_to, lambda G, kg: paths(
        G, source, target, level=level, through=through or THROUGH, limit=limit, store=kg), level)


@app.command()
def targets(
    region: Optional[str] = typer.Argument(None, help="A region's name or alias (河北省, 河北); without it, "
                                           "one indicator across regions, ranked."),
    indicator: Optional[str] = typer.Option(None, "--indicator", help="An indicator: 地区生产总值增长, 城镇调查失业率 …"),
    year: Optional[int] = typer.Option(None, "--year", help="Only targets and results for this year."),
    kind: Optional[str] = typer.Option(None, "--kind", help="target or result (ranking across regions: target)."),
    fmt: str = FormatOption,
    export_to: Optional[Path] = typer.Option(None, "--export", help="Also write the targets with their evidence: "
                                             "FILE.ttl | .nt | .jsonld."),
    store: Optional[str] = StoreOption,
) -> None:
    """A region's quantitative targets and results (with the sentence each comes from), or one indicator
    across regions ranked by value; a target shows the result a later document reports for it."""
    from graph.evidence import UnknownEntity
    from graph.targets import RDF_FORMATS, targets as run, to_rdf

    if fmt not in _FORMATS:
        _fail(f"unknown format {fmt!r}; known: {', '.join(_FORMATS)}")
    if export_to is not None and export_to.suffix.lower() not in RDF_FORMATS:
        _fail(f"cannot export to {export_to.name!r}: unknown suffix; known: {', '.join(RDF_FORMATS)}")
    with _open(store) as kg:
        try:
            table = run(kg, region, indicator, year, kind=kind)
        except (UnknownEntity, ValueError) as e:
            _fail(e)
        if export_to is not None:
            graph = to_rdf(kg, table)
            with _output(export_to) as tmp:
                graph.serialize(destination=str(tmp), format=RDF_FORMATS[export_to.suffix.lower()], encoding="utf-8")
            err.print(f"wrote {export_to} ({len(graph):,} triples)", markup=False, highlight=False, soft_wrap=True)
    if fmt == "json":
        sys.stdout.write(table.to_json(indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(table.to_csv())
    else:
        _print_table(table)


def main() -> None:
    """Entry point of the ``regionkg`` console script."""
    app()


if __name__ == "__main__":
    main()
