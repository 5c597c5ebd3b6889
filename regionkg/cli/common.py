"""The plumbing every command shares: the Typer app, the consoles, the store option and opening the
store, errors in one line, files written whole, and the options and printing of the answers
(``_answer``, ``_print_table``) of the commands that query the graph.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

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


# -- the answers' options and printing ----------------------------------------------------------

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
    _print_answer(table, fmt, show)


def _print_answer(table, fmt: str, show=None) -> None:
    """An answer on stdout: JSON, CSV, or its summary and rows as a table (then ``show(table)``)."""
    if fmt == "json":
        sys.stdout.write(table.to_json(indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(table.to_csv())
    else:
        _print_table(table)
        if show is not None:
            show(table)


#: A table prints at most this many rows and says how many it left out (JSON and CSV keep them all):
#: a terminal table of 500 gaps is slow to draw and no one reads its end.
TABLE_ROWS = 100
#: A table shows this many entries of a list or a dict in one cell, and counts the rest: a gap that
#: 3,000 peers target is one line, not 3,000 (JSON and CSV keep them all).
CELL_ITEMS = 12


def _text(value, limit: int | None = None) -> str:
    """A value as a table cell shows it; with ``limit``, at most that many entries of a list or dict.

    >>> _text({"淄博市": 2, "X": 1}), _text(["a", "b", "c"], limit=2), _text(0.33333)
    ('淄博市 2 · X 1', 'a、b … 1 more', '0.333')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")  # 0.333, 0.5, 7
    if isinstance(value, dict):
        items = list(value.items())
        shown = " · ".join(f"{k} {_text(v, limit)}" for k, v in items[:limit])
    elif isinstance(value, (list, tuple, set)):
        items = list(value)
        shown = "、".join(_text(v, limit) for v in items[:limit])
    else:
        return str(value)
    more = len(items) - limit if limit is not None and len(items) > limit else 0
    return f"{shown} … {more:,} more" if more else shown


def _print_table(table) -> None:
    """The answer's summary (``meta``) as lines, then its rows as a rich table."""
    for key, value in table.meta.items():
        if isinstance(value, dict) and value and all(isinstance(v, (list, dict)) for v in value.values()):
            for sub, items in value.items():
                console.print(f"{key} {sub}: {_text(items, CELL_ITEMS * 4) or '—'}", markup=False,
                              highlight=False, soft_wrap=True)
        elif value not in (None, [], {}):
            console.print(f"{key}: {_text(value, CELL_ITEMS * 4)}", markup=False, highlight=False, soft_wrap=True)
    if not table.rows:
        console.print(f"no {table.name}", markup=False)
        return
    out = Table(title=table.name)
    for col in table.columns:
        numeric = all(isinstance(row.get(col), (int, float)) for row in table.rows if row.get(col) is not None)
        out.add_column(col.replace("_", " "), justify="right" if numeric else "left")
    for row in table.rows[:TABLE_ROWS]:
        out.add_row(*(_text(row.get(col), CELL_ITEMS) for col in table.columns))
    console.print(out)
    if len(table.rows) > TABLE_ROWS:
        console.print(f"… {len(table.rows) - TABLE_ROWS:,} more rows of {table.name}: --format csv or json "
                      "gives them all", markup=False, highlight=False, soft_wrap=True)

