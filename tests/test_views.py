"""The networkx view of the sample graph: typed nodes and edges that the comparisons run on."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.views import region_industry_graph, to_networkx
from ontology import RGN


@pytest.fixture(scope="module")
def G(sample_store_path):
    from graph.store import Store

    with Store(sample_store_path) as store:
        return to_networkx(store)


def _region(G, name):
    found = [n for n, a in G.nodes(data=True) if a.get("type") == "region" and a.get("label") == name]
    assert len(found) == 1, (name, found)
    return found[0]


def _industries(G, region):
    return {G.nodes[o]["label"] for _, o, d in G.out_edges(region, data=True) if d["relation"] == "targets_industry"}


def test_nodes_are_typed_with_their_kind(G):
    types = {a["type"] for _, a in G.nodes(data=True)}
    assert {"region", "industry", "project", "institution", "talent_programme"} <= types
    assert G.nodes[str(RGN["370300"])]["kind"] == "city"
    zone = _region(G, "绍兴滨海新区")
    assert G.nodes[zone]["kind"] == "zone"


def test_two_regions_that_both_target_new_materials_reach_one_industry_node(G):
    ningbo = _region(G, "宁波高新技术产业开发区")  # 宁波国家高新区, by the reference list's name
    zibo = str(RGN["370300"])
    shared = _industries(G, ningbo) & _industries(G, zibo)
    assert "新材料产业" in shared


def test_edges_carry_their_evidence_count_and_roles(G):
    zibo = str(RGN["370300"])
    edges = [d for _, _, d in G.out_edges(zibo, data=True) if d["relation"] == "targets_industry"]
    assert edges and all(d["evidence"] >= 1 for d in edges)
    assert all(set(d["roles"]) <= {"lead", "emerging", "traditional", "service", "other"} for d in edges)
    assert any(d["roles"] for d in edges)


def test_the_region_industry_graph_is_bipartite(G):
    B = region_industry_graph(G)
    assert nx.bipartite.is_bipartite(B)
    regions = {n for n, d in B.nodes(data=True) if d["bipartite"] == 0}
    # Every document's subject region targets industries; so may sub-zones the plans name.
    subjects = {n for n, d in G.nodes(data=True) if d.get("subject")}
    assert len(subjects) == 5 and subjects <= regions
    assert all(B.nodes[n]["type"] == "region" for n in regions)
    assert all(B.nodes[n]["type"] == "industry" for n in set(B) - regions)


def test_projecting_an_empty_graph_gives_an_empty_view():
    from rdflib import Graph

    assert to_networkx(Graph()).number_of_nodes() == 0
    with pytest.raises(TypeError, match="expected an rdflib graph or a Store"):
        to_networkx([])
