"""A region's timeline: what each of its plans targets and hosts, and what changed from plan to plan.

A region publishes a plan every year and a five-year plan every five; its plan years are ordered
(:func:`graph.regions.plan_years`; a five-year plan counts in the first year of its period). For
each plan year, :func:`timeline` lists the industries (zones, projects, institutions, talent
programmes) that year's plans state, with that year's evidence count, and its status against the
region's previous plan year: ``added``, ``kept`` or ``dropped`` (``first`` in the first plan year).
A dropped one is a row of the later year, with no evidence that year and the count it had before.
It runs on the networkx view (edges carry ``evidence_by_year``); the sentences are read from the
store only for the rows of the answer.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("r", type="region", label="驻马店市", years=[2016, 2021])
>>> for i, by_year in [("食品产业", {2016: 2, 2021: 1}), ("纺织服装产业", {2016: 1}), ("新能源产业", {2021: 3})]:
...     G.add_node(i, type="industry", label=i)
...     _ = G.add_edge("r", i, key="targets_industry", relation="targets_industry", evidence_by_year=by_year)
>>> t = timeline(G, "驻马店市", types=["industry"])
>>> [(row["year"], row["name"], row["status"], row["evidence"], row["before"]) for row in t if row["year"] == 2021]
[(2021, '新能源产业', 'added', 3, 0), (2021, '食品产业', 'kept', 1, 2), (2021, '纺织服装产业', 'dropped', 0, 1)]
"""

from __future__ import annotations

import networkx as nx

from graph.regions import plan_years, region_names, resolve
from graph.table import Table
from graph.taxonomy import check_level, lineage, roll_up
from graph.views import memoized

__all__ = ["timeline", "by_year", "row_evidence", "TIMELINE_TYPES", "STATUSES"]

#: What a timeline follows, in this order: type → the relation of the region that leads to it
#: (``zone``: the sub-zones its plans name).
TIMELINE_TYPES = {
    "industry": "targets_industry",
    "zone": "has_part",
    "project": "hosts_project",
    "institution": "hosts_institution",
    "talent_programme": "runs_talent_programme",
}

#: A row's status against the region's previous plan year, in the order rows are listed.
STATUSES = ("first", "added", "kept", "dropped")


def timeline(G: nx.MultiDiGraph, region: str, *, level: str = "stated", types=None, store=None) -> Table:
    """Per plan year of ``region``, what its plans state, and what was added, kept and dropped.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    region : str
        A region's name, alias or IRI (:func:`graph.regions.resolve`): 驻马店, 驻马店市 …
    level : {"stated", "broad"}
        Industries as stated, or rolled up to the top concepts of the scheme; a rolled-up row sums
        the evidence of the industries under it that year and lists them in ``stated``.
    types : iterable of str, optional
        Keep only these types (keys of :data:`TIMELINE_TYPES`; default all).
    store : graph.store.Store, optional
        If given, each row also gets its ``sentences``: those of that year's plans stating it (of
        the previous plan year's, for a dropped row).

    Returns
    -------
    Table
        ``timeline`` rows, by year, type, status, evidence: ``year``, ``previous_year`` (None in
        the first), ``type``, ``name``, ``status`` (:data:`STATUSES`), ``evidence`` (facts stating
        it in that year's plans), ``before`` (in the previous plan year's), ``roles`` (that year's;
        the previous year's for a dropped row), ``node``, ``stated_nodes`` (the stated industries
        counted in the row: its node at the stated level), ``stated`` (their names, at the broad
        level) and, with a store, ``sentences``. ``meta``: ``region``, ``node``, ``level``, ``types``, ``years``
        (the plan years, in order), ``periods`` (a plan year that begins a multi-year plan → its
        period, "2021–2025") and ``changes`` (year → type → how many added, kept, dropped).

    Raises
    ------
    ValueError
        For an unknown level or type, or a region no plan has a year for.
    graph.regions.UnknownRegion
        For a name no region has (with the closest names).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", type="region", label="驻马店市", years=[2016, 2021])
    >>> G.add_node("p", type="project", label="中国渔都")
    >>> _ = G.add_edge("r", "p", key="hosts_project", relation="hosts_project", evidence_by_year={2021: 2})
    >>> [(row["year"], row["status"], row["evidence"]) for row in timeline(G, "驻马店市")]
    [(2021, 'added', 2)]
    >>> timeline(G, "驻马店市", types=["road"])
    Traceback (most recent call last):
    ...
    ValueError: unknown type 'road'; known: industry, zone, project, institution, talent_programme
    """
    check_level(level)
    types = tuple(TIMELINE_TYPES) if types is None else tuple(dict.fromkeys(types))
    for t in types:
        if t not in TIMELINE_TYPES:
            raise ValueError(f"unknown type {t!r}; known: {', '.join(TIMELINE_TYPES)}")
    r = resolve(G, region)
    years = plan_years(G, r)
    name = region_names(G, [r])[r]
    if not years:
        raise ValueError(f"{name} has no plan year: no document about it has one")
    rows: list[dict] = []
    nodes = {r}
    changes: dict[int, dict] = {y: {} for y in years[1:]}
    for t in types:
        counts, roles, stated = _by_year(G, r, TIMELINE_TYPES[t], level if t == "industry" else "stated")
        for k, year in enumerate(years):
            previous = years[k - 1] if k else None
            found = []
            for node in counts:
                now, before = counts[node].get(year, 0), counts[node].get(previous, 0) if previous else 0
                if not now and not before:
                    continue
                status = "first" if previous is None else "kept" if now and before else "added" if now else "dropped"
                when = year if now else previous
                row = {"year": year, "previous_year": previous, "type": t,
                       "name": G.nodes[node].get("label", node), "status": status, "evidence": now,
                       "before": before, "roles": roles[node].get(when, []), "node": node}
                if level == "broad" and t == "industry":
                    row["stated"] = sorted(G.nodes[c].get("label", c) for c in stated[node].get(when, ()))
                row["_stated"] = sorted(stated[node].get(when, ()))
                row["_when"] = when
                found.append(row)
                nodes.add(node)
                if level == "broad" and t == "industry":
                    nodes |= lineage(G, row["_stated"])
            found.sort(key=lambda row: (STATUSES.index(row["status"]), -row["evidence"], -row["before"], row["name"]))
            rows += found
            if previous is not None:
                changes[year][t] = {s: sum(1 for row in found if row["status"] == s) for s in STATUSES[1:]}
    rows.sort(key=lambda row: years.index(row["year"]))  # stable: types, then statuses, within a year
    if store is not None:
        facts = _facts(store, r, rows)
        for row in rows:
            row["sentences"] = list(dict.fromkeys(e.sentence for e in _row_facts(facts, r, row)))
    periods = {y: f"{y}–{last}" for y, last in G.nodes[r].get("periods", {}).items() if y in years}
    meta = {"region": name, "node": r, "level": level, "types": list(types), "years": years,
            "periods": periods, "changes": changes}
    columns = ["year", "type", "name", "status", "evidence", "before", "roles"] + (["stated"] if level == "broad" else [])
    return Table("timeline", columns, [_public(row) for row in rows], nodes, meta)


def by_year(table: Table, type: str = "industry") -> Table:
    """A timeline's matrix of one type: a row per industry (…), its evidence in each plan year.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", type="region", label="驻马店市", years=[2016, 2021])
    >>> _ = G.add_edge("r", "食品产业", key="targets_industry", relation="targets_industry",
    ...                evidence_by_year={2016: 2, 2021: 1})
    >>> m = by_year(timeline(G, "驻马店市"))
    >>> m.rows
    [{'name': '食品产业', 'evidence': {'2016': 2, '2021': 1}, 'node': '食品产业'}]
    >>> print(m.to_csv(), end="")
    name,evidence[2016],evidence[2021]
    食品产业,2,1
    """
    if type not in TIMELINE_TYPES:
        raise ValueError(f"unknown type {type!r}; known: {', '.join(TIMELINE_TYPES)}")
    found: dict[str, dict] = {}
    for row in table.rows:
        if row["type"] != type:
            continue
        entry = found.setdefault(row["node"], {"name": row["name"], "evidence": {}, "node": row["node"]})
        if row["evidence"]:
            entry["evidence"][str(row["year"])] = row["evidence"]
    years = [str(y) for y in table.meta["years"]]
    rows = sorted(found.values(), key=lambda row: (min((years.index(y) for y in row["evidence"]), default=99),
                                                   -sum(row["evidence"].values()), row["name"]))
    for row in rows:
        row["evidence"] = {y: row["evidence"][y] for y in years if y in row["evidence"]}
    meta = {"region": table.meta["region"], "level": table.meta["level"], "type": type, "years": years}
    return Table("by_year", ["name", "evidence"], rows, {row["node"] for row in rows}, meta)


def row_evidence(store, table: Table, row: dict) -> list:
    """The facts behind one row of a :func:`timeline`, with their sentences and documents: those of
    the row's year (of the previous plan year for a dropped row).

    Returns
    -------
    list of graph.evidence.Evidence
        By document and offset, as :func:`graph.sentences.sentences` gives them.
    """
    r = table.meta["node"]
    return _row_facts(_facts(store, r, [row]), r, row)


# -- helpers -------------------------------------------------------------------------------------


def _by_year(G: nx.MultiDiGraph, r: str, relation: str, level: str):
    """Per node reached by ``relation`` from ``r`` (rolled up at the broad level): the evidence, the
    roles and the stated nodes of each plan year."""
    up = memoized(G, ("roll_up", level), lambda: roll_up(G, level)) if relation == "targets_industry" else {}
    counts: dict[str, dict] = {}
    roles: dict[str, dict] = {}
    stated: dict[str, dict] = {}
    for _, o, rel, data in G.out_edges(r, keys=True, data=True):
        if rel != relation:
            continue
        for c in up.get(o, (o,)):
            for year, n in data.get("evidence_by_year", {}).items():
                counts.setdefault(c, {})[year] = counts.get(c, {}).get(year, 0) + n
                stated.setdefault(c, {}).setdefault(year, set()).add(o)
                named = roles.setdefault(c, {}).setdefault(year, [])
                named[:] = sorted(set(named) | set(data.get("roles_by_year", {}).get(year, ())))
    return counts, {c: roles.get(c, {}) for c in counts}, stated


def _public(row: dict) -> dict:
    """The row without its private keys (kept aside for :func:`row_evidence`)."""
    out = {k: v for k, v in row.items() if not k.startswith("_")}
    out["stated_nodes"] = row["_stated"]
    return out


def _facts(store, r: str, rows: list[dict]) -> dict:
    from graph.sentences import sentences

    found = {}
    for t, relation in TIMELINE_TYPES.items():
        pairs = {(r, c) for row in rows if row["type"] == t for c in _stated(row)}
        if pairs:
            found[relation] = sentences(store, sorted(pairs), relation)
    return found


def _stated(row: dict) -> list[str]:
    return row.get("_stated", row.get("stated_nodes", [row["node"]]))


def _row_facts(facts: dict, r: str, row: dict) -> list:
    when = row["previous_year"] if row["status"] == "dropped" else row["year"]
    by_pair = facts.get(TIMELINE_TYPES[row["type"]], {})
    return [e for c in _stated(row) for e in by_pair.get((r, c), ()) if e.year == when]
