"""Commands comparing regions: profile, compare, timeline, gaps, similar, industries, clusters, path.

Each command resolves names, runs one graph/ query on the cached networkx view of the store,
prints the answer as a table, JSON or CSV, and can write the subgraph behind it (--export).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from regionkg.cli.common import (
    CityOption, ExportOption, FormatOption, KindOption, LevelOption, MeasureOption, ProvinceOption,
    StoreOption, YearOption, ZoneTypeOption, _answer, _filters, app, console,
)


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
        # The peers' sentences only where they are shown (JSON, CSV, --sentences): against every
        # peer of a big store they are thousands of queries that a table would not print.
        return run(G, region, chosen, min_peers=min_peers, level=level, top=top,
                   store=kg if sentences or fmt != "table" else None)

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

