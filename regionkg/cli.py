"""The ``regionkg`` command: ingest plans, extract and evaluate, inspect and export the graph.

It only presents: every command calls ``ingest/`` and ``graph/`` functions that the app uses too.
"""

from __future__ import annotations

import json
import sys
import time
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

StoreOption = typer.Option(None, "--store", help="Store directory (default: $REGIONKG_STORE or data/store).")


def _store_path(store: Optional[Path]) -> Path:
    from graph.store import default_store_path

    return store or default_store_path()


def _open(store: Optional[Path], *, must_exist: bool = True):
    from graph.store import Store, StoreError

    path = _store_path(store)
    if must_exist and not path.is_dir():
        err.print(f"[red]error:[/] no store at {path}: run 'regionkg ingest PATH' first")
        raise typer.Exit(2)
    try:
        return Store(path)
    except StoreError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files and folders of plan documents (.txt, .html)."),
    store: Optional[Path] = StoreOption,
    max_mb: float = typer.Option(50.0, "--max-mb", help="Reject files larger than this many MB."),
) -> None:
    """Read plan documents into the graph; one report line per file.

    Exit code 0 when every file named (or found in a folder) is in the graph, 1 when any was
    rejected. A bad file never stops the batch.
    """
    from ingest.batch import ingest_paths
    from ingest.read import iter_input_files

    files = [p for p, _ in iter_input_files(paths)]
    counts = {"added": 0, "unchanged": 0, "rejected": 0, "skipped": 0}
    started = time.perf_counter()
    chars = 0
    with _open(store, must_exist=False) as kg:
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("ingesting", total=len(files))
            for line in ingest_paths(paths, kg, max_bytes=int(max_mb * 1024 * 1024)):
                progress.advance(task)
                counts[line.status] += 1
                chars += line.chars
                style = {"added": "green", "unchanged": "dim", "rejected": "red", "skipped": "yellow"}
                console.print(str(line), style=style[line.status], markup=False, highlight=False,
                              soft_wrap=True)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    err.print(f"{summary or 'no files'} in {elapsed:.1f} s ({chars / max(elapsed, 1e-9):,.0f} chars/s)")
    raise typer.Exit(1 if counts["rejected"] else 0)


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Plan documents to extract."),
    fmt: str = typer.Option("gold-json", "--format", help="Output format: gold-json."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write <stem>.json files here instead of stdout."),
) -> None:
    """Extract entities from documents, in the gold JSON format (for scoring)."""
    from ingest.extract import extract as run_extract
    from ingest.read import RejectedInput, iter_input_files, read_source

    if fmt != "gold-json":
        err.print(f"[red]error:[/] unknown format {fmt!r}; known: gold-json")
        raise typer.Exit(2)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    failed = False
    for path, problem in iter_input_files(files):
        try:
            if problem is not None:
                raise problem
            result = run_extract(read_source(path)).to_gold()
        except RejectedInput as e:
            if not e.reason.startswith("skipped"):
                failed = True
            err.print(f"rejected  {path}  {e.reason}", markup=False, highlight=False)
            continue
        text = json.dumps(result, ensure_ascii=False, indent=2)
        if out is None:
            sys.stdout.write(text + "\n")
        else:
            (out / f"{path.stem}.json").write_text(text + "\n", encoding="utf-8")
            err.print(f"wrote     {out / (path.stem + '.json')}", markup=False, highlight=False)
    raise typer.Exit(1 if failed else 0)


@app.command()
def evaluate(
    docs: list[Path] = typer.Argument(None, help="Documents to extract and score (default: the gold files' documents in data/samples)."),
    gold: Path = typer.Option(..., "--gold", help="Folder of gold JSON files."),
    as_json: bool = typer.Option(False, "--json", help="Print the full evaluation as JSON."),
) -> None:
    """Score extraction against gold annotations: precision, recall, F1 per type (exact and lenient)."""
    from ingest.evaluate import GoldFormatError, format_table, load_gold_dir, score
    from ingest.extract import extract as run_extract
    from ingest.read import RejectedInput, iter_input_files, read_source

    try:
        gold_docs = load_gold_dir(gold)
    except (GoldFormatError, OSError) as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
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
            err.print(f"rejected  {path}  {e.reason}", markup=False, highlight=False)
    result = score(gold_docs, predicted)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_table(result) + "\n")


@app.command()
def stats(store: Optional[Path] = StoreOption) -> None:
    """Counts of documents, facts and entities in the graph."""
    with _open(store) as kg:
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
    store: Optional[Path] = StoreOption,
) -> None:
    """Export the whole graph as Turtle, N-Triples or JSON-LD."""
    from graph.store import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        err.print(f"[red]error:[/] unknown format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    with _open(store) as kg:
        if out is None:
            sys.stdout.write(kg.export(fmt))
        else:
            kg.export(fmt, out)
            err.print(f"wrote {out}")


@app.command()
def explain(
    name: str = typer.Argument(..., help="A node's name or alias: 新材料, 淄博, 宁波新材料联合研究院 …"),
    store: Optional[Path] = StoreOption,
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
            err.print(f"error: {e}", markup=False, highlight=False)
            raise typer.Exit(2) from e
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
    store: Optional[Path] = StoreOption,
) -> None:
    """Load exported graphs into the store (TriG and N-Quads keep one graph per document)."""
    failed = False
    with _open(store, must_exist=False) as kg:
        for path in files:
            try:
                n = kg.load(path)
                console.print(f"loaded    {path}  {n:,} triples", markup=False, highlight=False)
            except (ValueError, OSError) as e:
                failed = True
                console.print(f"rejected  {path}  {e}", markup=False, highlight=False)
    raise typer.Exit(1 if failed else 0)


@app.command()
def validate(store: Optional[Path] = StoreOption) -> None:
    """Validate the graph against the SHACL shapes of ontology/shapes.ttl."""
    from graph.validate import validate as run_validate

    with _open(store) as kg:
        report = run_validate(kg)
    if report.conforms:
        console.print(f"conforms: {report.focus_nodes} nodes checked, 0 violations")
    else:
        console.print(report.text, markup=False, highlight=False)
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``regionkg`` console script."""
    app()


if __name__ == "__main__":
    main()
