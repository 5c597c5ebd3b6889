"""The ``targets`` command: a region's quantitative targets and results, or one indicator across
regions."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from regionkg.cli.common import (
    _FORMATS, FormatOption, StoreOption, _fail, _open, _output, _print_answer, app, err,
)


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
    _print_answer(table, fmt)

