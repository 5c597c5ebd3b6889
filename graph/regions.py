"""Regions: find one by name, select the regions to compare, and name them in answers.

The regions compared are the nodes of type region that target at least one industry (the subject
regions of documents; sub-zones once documents attach industries to them). A region is named by its
label or an alias (``skos:prefLabel`` / ``skos:altLabel``) or its IRI; filters read the attributes
:func:`graph.views.to_networkx` gives regions (``province``, ``city``, ``zone_type``, ``years``, ``kind``).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("rgn/1", type="region", label="宁波高新技术产业开发区", aliases=["宁波国家高新区"], province="浙江省")
>>> G.add_node("rgn/2", type="region", label="淄博市", aliases=["淄博"], province="山东省")
>>> for r in ("rgn/1", "rgn/2"):
...     _ = G.add_edge(r, "新材料产业", key="targets_industry", relation="targets_industry", evidence=1)
>>> resolve(G, "宁波国家高新区")
'rgn/1'
>>> select_regions(G, province="山东")
['rgn/2']
"""

from __future__ import annotations

import difflib

import networkx as nx

from graph.evidence import UnknownEntity
from graph.views import memoized, region_industry_view

__all__ = ["UnknownRegion", "AmbiguousName", "REGION_FILTERS", "PLANNED_RELATIONS", "resolve", "select_regions",
           "region_names", "plan_years"]

#: The keyword filters of :func:`select_regions` (and of the queries and commands that take them).
REGION_FILTERS = ("province", "city", "zone_type", "year", "kind")

_NODE_TYPES = ("region", "industry", "project", "institution", "talent_programme")

#: The relations plans state of a region, year by year (the others are reference data).
PLANNED_RELATIONS = ("targets_industry", "has_part", "hosts_project", "hosts_institution", "runs_talent_programme")


class UnknownRegion(UnknownEntity):
    """No region (or node of the types asked for) has this name; ``candidates`` are the closest."""

    def __init__(self, name: str, candidates: list[str], what: str = "region"):
        super().__init__(name, candidates)
        hint = f"; did you mean: {', '.join(candidates)}" if candidates else ""
        self.args = (f"no {what} named {name!r}{hint}",)


class AmbiguousName(UnknownEntity):
    """Several nodes have this name; ``candidates`` describe each, with the IRI that names it."""

    def __init__(self, name: str, candidates: list[str], what: str = "region"):
        super().__init__(name, candidates)
        self.args = (f"{len(candidates)} {what}s are named {name!r}: {'; '.join(candidates)} "
                     f"(name one by its IRI)",)


def resolve(G: nx.MultiDiGraph, name: str, *, types=("region",)) -> str:
    """The node of ``G`` named ``name``: its IRI, label or alias.

    A label wins over an alias: 淄博市 is the city even if a zone gives 淄博市 as another name.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A view from :func:`graph.views.to_networkx`.
    name : str
        An IRI, a ``label`` or one of the ``aliases`` of a node.
    types : tuple of str
        The node types to look among (``region`` by default; ``industry``, ``project`` …).

    Raises
    ------
    ValueError
        For an empty name or an unknown type.
    UnknownRegion
        If no node of those types has that name; it lists the closest names.
    AmbiguousName
        If several have it; it lists each with its IRI, province and city.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", type="region", label="X", city="烟台市")
    >>> G.add_node("b", type="region", label="X", city="淄博市")
    >>> G.add_node("c", type="region", label="淄博市", aliases=["淄博"])
    >>> resolve(G, "淄博"), resolve(G, "b")
    ('c', 'b')
    >>> resolve(G, "X")
    Traceback (most recent call last):
    ...
    graph.regions.AmbiguousName: 2 regions are named 'X': X <a> (烟台市); X <b> (淄博市) (name one by its IRI)
    >>> resolve(G, "淄博区")
    Traceback (most recent call last):
    ...
    graph.regions.UnknownRegion: no region named '淄博区'; did you mean: 淄博, 淄博市
    """
    name = (name or "").strip()
    if not name:
        raise ValueError("name a region: got an empty name")
    bad = [t for t in types if t not in _NODE_TYPES]
    if bad:
        raise ValueError(f"unknown node type {bad[0]!r}; known: {', '.join(_NODE_TYPES)}")
    what = "region" if tuple(types) == ("region",) else "node"
    if name in G and G.nodes[name].get("type") in types:
        return name
    labels, aliases = _name_index(G)
    found = [n for n in labels.get(name, ()) if G.nodes[n].get("type") in types]
    if not found:
        found = [n for n in aliases.get(name, ()) if G.nodes[n].get("type") in types]
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousName(name, [_describe(G, n) for n in sorted(found)], what)
    names = sorted({k for index in (labels, aliases) for k, nodes in index.items()
                    if any(G.nodes[n].get("type") in types for n in nodes)})
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    close += [n for n in names if name in n and n not in close][: max(0, 5 - len(close))]
    raise UnknownRegion(name, close, what)


def select_regions(G: nx.MultiDiGraph, regions=None, *, province=None, city=None, zone_type=None,
                   year=None, kind=None) -> list[str]:
    """The regions to compare: those that target an industry, filtered; sorted by name.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    regions : list of str, optional
        Names or IRIs to start from (default: every region that targets an industry).
    province, city : str, optional
        A province or city label, or its start (浙江 for 浙江省).
    zone_type : str, optional
        A zone type's label, one of its other names (高新区) or its IRI's last part.
    year : int, optional
        Regions with a plan of that year.
    kind : str, optional
        city, district, county, zone, province.

    Raises
    ------
    ValueError
        If a filter value matches no region of ``G`` at all; the message lists the known values.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", type="region", label="A", kind="zone", years=[2018])
    >>> G.add_node("b", type="region", label="B", kind="city", years=[2020])
    >>> for r in "ab":
    ...     _ = G.add_edge(r, "i", key="targets_industry", relation="targets_industry")
    >>> select_regions(G, year=2020), select_regions(G, kind="zone")
    (['b'], ['a'])
    >>> select_regions(G, kind="village")
    Traceback (most recent call last):
    ...
    ValueError: no region has kind 'village'; known: city, zone
    """
    pool = _comparison_regions(G)
    if regions is not None:
        pool = list(dict.fromkeys(resolve(G, r) for r in regions))
    everyone = memoized(G, "all_regions", lambda: [n for n, t in G.nodes(data="type") if t == "region"])
    tests = {
        "province": (province, lambda a: _place(a.get("province"), province)),
        "city": (city, lambda a: _place(a.get("city"), city)),
        "zone_type": (zone_type, lambda a: a.get("zone_type") is not None
                      and a.get("zone_type") == G.graph.get("zone_types", {}).get(zone_type, zone_type)),
        "year": (year, lambda a: year is not None and int(year) in a.get("years", ())),
        "kind": (kind, lambda a: a.get("kind") == kind),
    }
    for key, (value, test) in tests.items():
        if value is None:
            continue
        if not any(test(G.nodes[n]) for n in everyone):
            attr = "years" if key == "year" else key
            known = sorted({str(v) for n in everyone for v in _as_list(G.nodes[n].get(attr)) if v is not None})
            raise ValueError(f"no region has {key.replace('_', ' ')} {value!r}; known: {', '.join(known) or 'none'}")
        pool = [n for n in pool if test(G.nodes[n])]
    return pool


def region_names(G: nx.MultiDiGraph, nodes) -> dict[str, str]:
    """A name for each node in answers: its label, with its IRI's last part if regions share it.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("rgn/anon-1", type="region", label="X")
    >>> G.add_node("rgn/anon-2", type="region", label="X")
    >>> G.add_node("rgn/370300", type="region", label="淄博市")
    >>> region_names(G, ["rgn/anon-1", "rgn/370300"])
    {'rgn/anon-1': 'X (anon-1)', 'rgn/370300': '淄博市'}
    """
    shared = memoized(G, "shared_region_labels", lambda: _shared_labels(G))
    out = {}
    for n in nodes:
        label = G.nodes[n].get("label", n)
        out[n] = f"{label} ({n.rsplit('/', 1)[-1]})" if label in shared else label
    return out


def plan_years(G: nx.MultiDiGraph, region: str) -> list[int]:
    """The plan years of a region (a node of ``G``), in order: the years of the documents about it and
    of the documents that state what it targets, hosts or runs (a sub-zone's are its city's plans).

    A five-year plan counts in the first year of its period (``rkg:planYear``, as ingest reads it:
    “十四五”规划 → 2021).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", type="region", label="驻马店市", years=[2016, 2010])
    >>> _ = G.add_edge("r", "i", key="targets_industry", relation="targets_industry", years=[2021])
    >>> _ = G.add_edge("r", "p", key="part_of", relation="part_of", years=[1999])
    >>> plan_years(G, "r")
    [2010, 2016, 2021]
    """
    years = set(G.nodes[region].get("years", ()))
    for _, _, relation, data in G.out_edges(region, keys=True, data=True):
        if relation in PLANNED_RELATIONS:
            years.update(data.get("years", ()))
    return sorted(years)


def _comparison_regions(G: nx.MultiDiGraph) -> list[str]:
    def build():
        B = region_industry_view(G)
        found = [n for n, side in B.nodes(data="bipartite") if side == 0 and G.nodes[n].get("type") == "region"]
        return sorted(found, key=lambda n: (G.nodes[n].get("label", n), n))
    return list(memoized(G, "comparison_regions", build))


def _name_index(G: nx.MultiDiGraph) -> tuple[dict, dict]:
    def build():
        labels: dict[str, list] = {}
        aliases: dict[str, list] = {}
        for n, attrs in G.nodes(data=True):
            if attrs.get("type") not in _NODE_TYPES:
                continue
            labels.setdefault(attrs.get("label", n), []).append(n)
            for alias in attrs.get("aliases", ()):
                aliases.setdefault(alias, []).append(n)
        return labels, aliases
    return memoized(G, "name_index", build)


def _shared_labels(G: nx.MultiDiGraph) -> set[str]:
    seen, shared = set(), set()
    for _, attrs in G.nodes(data=True):
        if attrs.get("type") == "region":
            label = attrs.get("label")
            (shared if label in seen else seen).add(label)
    return shared


def _describe(G: nx.MultiDiGraph, n: str) -> str:
    attrs = G.nodes[n]
    where = " ".join(dict.fromkeys(p for p in (attrs.get("province"), attrs.get("city")) if p))
    return f"{attrs.get('label', n)} <{n}>" + (f" ({where})" if where else "")


def _place(label, value) -> bool:
    value = str(value).strip()
    return bool(label) and (label == value or (len(value) >= 2 and label.startswith(value)))


def _as_list(value):
    return value if isinstance(value, (list, tuple, set)) else [value]
