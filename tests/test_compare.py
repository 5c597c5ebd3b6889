"""Comparing regions on the sample graph, as a user asks: profiles, overlaps, gaps, similarity,
rankings and paths, at the stated and the broad level of the industry scheme."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from graph.compare import overlap
from graph.evidence import UnknownEntity
from graph.gaps import gaps, peers
from graph.paths import paths
from graph.profile import profile
from graph.rankings import contested, industry_ranking
from graph.regions import AmbiguousName, UnknownRegion, resolve, select_regions
from graph.similarity import clusters, nearest, similarity, similarity_graph, similarity_matrix
from graph.taxonomy import lineage, roll_up
from graph.views import cached_view, region_industry_graph, to_networkx
from ontology import BASE, IND, RGN, RKG

SUBJECTS = ["宁波国际海洋生态科技城", "宁波国家高新区", "绍兴滨海新区", "X", "淄博市"]


@pytest.fixture(scope="module")
def G(sample_store_path):
    from graph.store import Store

    with Store(sample_store_path) as store:
        return to_networkx(store)


def _industries(G, region, level="stated"):
    return {row["name"] for row in profile(G, region, level=level, types=["industry"])}


def document(name: str, region: URIRef, label: str, industries, *, year: int = 2021) -> Graph:
    """A document graph shaped as ingest writes it: the subject region, each targeting as a plain
    triple and as an rdf:Statement with its sentence, role and document."""
    from rdflib.namespace import PROV, XSD

    doc = URIRef(f"{BASE}doc/test-{name}")
    g = Graph(identifier=doc)
    g.add((doc, RDF.type, RKG.PlanDocument))
    g.add((doc, RKG.fileName, Literal(f"{name}.txt")))
    g.add((doc, RKG.contentHash, Literal(name * 4)))
    g.add((doc, RKG.planYear, Literal(year, datatype=XSD.integer)))
    g.add((doc, RKG.subjectRegion, region))
    g.add((region, RDF.type, RKG.Zone))
    g.add((region, SKOS.prefLabel, Literal(label, lang="zh")))
    for k, concept in enumerate(industries):
        sentence = URIRef(f"{doc}/sentence/{k}")
        g.add((sentence, RDF.type, RKG.Sentence))
        g.add((sentence, RDF.value, Literal(f"大力发展第{k}个产业。")))
        g.add((sentence, RKG.inDocument, doc))
        g.add((sentence, RKG.charStart, Literal(k * 10, datatype=XSD.integer)))
        g.add((region, RKG.targetsIndustry, concept))
        fact = URIRef(f"{doc}/fact/{k}")
        for p, o in [(RDF.type, RDF.Statement), (RDF.subject, region), (RDF.predicate, RKG.targetsIndustry),
                     (RDF.object, concept), (PROV.wasDerivedFrom, sentence), (RKG.statedIn, doc),
                     (RKG.mention, Literal("产业")), (RKG.charStart, Literal(k * 10 + 4, datatype=XSD.integer)),
                     (RKG.charEnd, Literal(k * 10 + 6, datatype=XSD.integer)), (RKG.extractedBy, Literal("test")),
                     (RKG.confidence, Literal(0.9, datatype=XSD.decimal)), (RKG.role, RKG.LeadRole)]:
            g.add((fact, p, o))
    return g


# -- the view ----------------------------------------------------------------------------------


def test_regions_carry_their_names_places_and_plan_years(G):
    ningbo = resolve(G, "宁波国家高新区")
    attrs = G.nodes[ningbo]
    assert attrs["label"] == "宁波高新技术产业开发区" and "宁波国家高新区" in attrs["aliases"]
    assert (attrs["province"], attrs["city"], attrs["subject"]) == ("浙江省", "宁波市", True)
    assert attrs["years"] and all(1990 < y < 2100 for y in attrs["years"])
    zibo = G.nodes[str(RGN["370300"])]
    assert (zibo["province"], zibo["city"], zibo["kind"]) == ("山东省", "淄博市", "city")
    assert zibo["years"] and zibo["subject"]


def test_the_industry_hierarchy_comes_from_the_store(G):
    ic = resolve(G, "集成电路", types=["industry"])
    assert roll_up(G, "broad")[ic] == (str(IND["sei-1"]),)  # 集成电路 counts as 新一代信息技术产业
    tops = {t for ts in roll_up(G, "broad").values() for t in ts}
    assert all(G.nodes[t].get("top") or not any(True for _ in G.successors(t)) for t in tops)
    # Provisional concepts of documents roll up through their own skos:broader.
    provisional = [n for n in G if "/industry/x-" in n and G.nodes[n]["type"] == "industry"]
    assert provisional
    for n in provisional:
        assert all(G.nodes[t].get("top") or t == n for t in roll_up(G, "broad")[n])


# -- names -------------------------------------------------------------------------------------


def test_names_resolve_by_label_alias_or_iri(G):
    node = resolve(G, "宁波国家高新区")
    assert G.nodes[node]["label"] == "宁波高新技术产业开发区"
    assert resolve(G, "宁波高新技术产业开发区") == resolve(G, node) == node
    assert resolve(G, "淄博") == str(RGN["370300"])


def test_an_unknown_name_lists_close_candidates(G):
    with pytest.raises(UnknownRegion) as e:
        resolve(G, "淄博区")
    assert isinstance(e.value, UnknownEntity)
    assert "淄博市" in e.value.candidates and "no region named '淄博区'" in str(e.value)


def test_an_ambiguous_name_lists_each_region_with_its_iri(store_copy):
    store_copy.add_document(document("anon", RGN["anon-test"], "X", [IND["sei-3"]]))
    G = to_networkx(store_copy)
    with pytest.raises(AmbiguousName) as e:
        resolve(G, "X")
    assert len(e.value.candidates) == 2 and str(RGN["anon-test"]) in str(e.value)
    assert resolve(G, str(RGN["anon-test"])) == str(RGN["anon-test"])


# -- profile and overlap -----------------------------------------------------------------------


def test_a_profile_lists_industries_with_role_and_evidence_and_the_regions_above(G):
    t = profile(G, "宁波国家高新区")
    relations = {row["relation"] for row in t}
    assert {"targets_industry", "hosts_project", "hosts_institution", "has_part", "located_in", "part_of"} <= relations
    industries = [row for row in t if row["relation"] == "targets_industry"]
    assert all(row["evidence"] >= 1 for row in industries) and any(row["roles"] for row in industries)
    parents = [row["name"] for row in t if row["relation"] in ("part_of", "located_in")]
    assert parents.index("宁波市") < parents.index("浙江省")
    assert t.meta["city"] == "宁波市"


def test_at_the_broad_level_a_profile_sums_the_industries_under_each_top_concept(G):
    stated = {row["name"]: row["evidence"] for row in profile(G, "绍兴滨海新区", types=["industry"])}
    broad = profile(G, "绍兴滨海新区", level="broad", types=["industry"])
    assert sum(row["evidence"] for row in broad) >= sum(stated.values())
    for row in broad:
        assert row["evidence"] == sum(stated[s] for s in row["stated"])


def test_ningbo_hitech_zone_and_zibo_overlap_on_new_materials(G):
    t = overlap(G, ["宁波国家高新区", "淄博市"])
    shared = {row["industry"]: row for row in t}
    assert "新材料产业" in shared
    assert set(shared["新材料产业"]["evidence"]) == {"宁波高新技术产业开发区", "淄博市"}
    assert all(n >= 1 for n in shared["新材料产业"]["evidence"].values())
    # What each targets alone is disjoint from the overlap and from each other's.
    only = t.meta["only"]
    assert not (set(only["淄博市"]) & set(shared)) and not (set(only["淄博市"]) & set(only["宁波高新技术产业开发区"]))
    assert 0 < t.meta["jaccard"] < 1 and 0 < t.meta["weighted_jaccard"] <= 1


def test_at_the_broad_level_regions_overlap_more_and_each_overlap_has_evidence(G):
    pairs = list(itertools.combinations(SUBJECTS, 2))
    stated = {p: overlap(G, p) for p in pairs}
    broad = {p: overlap(G, p, level="broad") for p in pairs}
    # A shared industry is a shared top concept: no pair overlaps less when rolled up …
    assert {p for p, t in stated.items() if len(t)} <= {p for p, t in broad.items() if len(t)}
    for p in pairs:
        tops = {row["node"] for row in broad[p]}
        assert all(set(roll_up(G, "broad")[row["node"]]) <= tops for row in stated[p])
    # … and regions look more alike on the whole.
    mean = lambda ts: sum(t.meta["jaccard"] for t in ts.values()) / len(ts)  # noqa: E731
    assert mean(broad) > mean(stated)
    # Over every region that targets industries (sub-zones too), more pairs overlap when rolled up.
    every = list(itertools.combinations(select_regions(G), 2))
    overlapping = {level: sum(1 for p in every if len(overlap(G, p, level=level))) for level in ("stated", "broad")}
    assert overlapping["broad"] > overlapping["stated"], overlapping
    for t in broad.values():
        for row in t:
            assert all(n >= 1 for n in row["evidence"].values()) and all(row["stated"].values())


def test_overlap_of_three_regions_is_what_all_three_target(G):
    three = ["宁波国家高新区", "淄博市", "X"]
    t = overlap(G, three, level="broad")
    common = set.intersection(*(_industries(G, r, "broad") for r in three))
    assert {row["industry"] for row in t} == common
    assert len(t.meta["regions"]) == 3


def test_comparisons_refuse_bad_arguments_naming_the_value(G):
    with pytest.raises(ValueError, match="two or more different regions"):
        overlap(G, ["淄博市"])
    with pytest.raises(ValueError, match="unknown level 'top'"):
        overlap(G, ["淄博市", "X"], level="top")
    with pytest.raises(ValueError, match="min_peers must be at least 1, got 0"):
        gaps(G, "淄博市", min_peers=0)
    with pytest.raises(ValueError, match="unknown measure 'cosine'"):
        nearest(G, "淄博市", measure="cosine")


# -- gaps --------------------------------------------------------------------------------------


def test_gaps_for_shaoxing_against_the_other_four_name_industries_with_their_peers_evidence(sample_store, G):
    others = [r for r in SUBJECTS if r != "绍兴滨海新区"]
    t = gaps(G, "绍兴滨海新区", others, min_peers=2, store=sample_store)
    assert len(t) > 0
    own = _industries(G, "绍兴滨海新区")
    names = {G.nodes[resolve(G, r)]["label"] for r in others}
    for row in t:
        assert row["industry"] not in own
        assert row["peers"] == len(row["evidence"]) >= 2 and set(row["evidence"]) <= names
        assert all(n >= 1 for n in row["evidence"].values())
        assert set(row["sentences"]) == set(row["evidence"])
        assert all(texts and all(texts) for texts in row["sentences"].values())
    assert [row["peers"] for row in t] == sorted((row["peers"] for row in t), reverse=True)


def test_gaps_at_the_broad_level_are_top_concepts_the_region_has_nothing_under(G):
    own = _industries(G, "淄博市", "broad")
    t = gaps(G, "淄博市", level="broad")
    assert t.rows and not ({row["industry"] for row in t} & own)
    assert all(G.nodes[row["node"]].get("top") or "/x-" in row["node"] for row in t)


def test_peers_can_be_the_same_province_or_the_most_similar(G):
    same = peers(G, "宁波国家高新区", same=["province"])
    assert same and all(G.nodes[p]["province"] == "浙江省" for p in same)
    assert resolve(G, "宁波国家高新区") not in same
    close = peers(G, "淄博市", nearest=2)
    assert close == [row["node"] for row in nearest(G, "淄博市", top=2)]


# -- similarity, clusters ----------------------------------------------------------------------


def test_nearest_regions_are_ranked_by_similarity(G):
    t = nearest(G, "淄博市", top=4)
    # Every other region that shares an industry with 淄博市, at most four (the others are left out).
    sharing = [r for r in select_regions(G) if r != resolve(G, "淄博市") and len(overlap(G, ["淄博市", r]))]
    assert len(t) == min(4, len(sharing)) >= 2 and resolve(G, "淄博市") not in {row["node"] for row in t}
    scores = [row["jaccard"] for row in t]
    assert scores == sorted(scores, reverse=True)
    for row in t:
        assert row["jaccard"] == pytest.approx(similarity(G, "淄博市", row["node"]))
        assert row["weighted_jaccard"] == pytest.approx(similarity(G, "淄博市", row["node"], measure="weighted_jaccard"))
        assert row["shared"] == len(row["overlap"]) == len(overlap(G, ["淄博市", row["node"]]))


def test_the_similarity_graph_is_the_weighted_projection_networkx_computes(G):
    B = region_industry_graph(G, level="broad")
    expected = nx.bipartite.overlap_weighted_projected_graph(B, select_regions(G), jaccard=True)
    S = similarity_graph(G, level="broad")
    assert set(map(frozenset, S.edges)) == set(map(frozenset, expected.edges))
    assert all(S[u][v]["weight"] == pytest.approx(w) for u, v, w in expected.edges(data="weight"))


def test_the_similarity_matrix_is_symmetric_with_ones_on_the_diagonal(G):
    t = similarity_matrix(G, level="broad", measure="weighted_jaccard")
    names = t.meta["regions"]
    assert len(names) == len(select_regions(G)) >= 5
    for row in t:
        assert row[row["region"]] == 1.0
        for other in names:
            assert row[other] == next(r for r in t if r["region"] == other)[row["region"]]


def test_clusters_partition_the_regions_and_are_reproducible(G):
    first, again = clusters(G, seed=1), clusters(G, seed=1)
    assert first.rows == again.rows
    members = [r for row in first for r in row["regions"]]
    assert sorted(members) == sorted(G.nodes[r]["label"] for r in select_regions(G))


# -- rankings ----------------------------------------------------------------------------------


def test_the_industry_ranking_counts_the_regions_that_target_each_industry(G):
    t = industry_ranking(G, level="broad")
    for row in t.rows[:5]:
        assert row["regions"] == sum(row["industry"] in _industries(G, r, "broad") for r in select_regions(G))
    by_province = industry_ranking(G, by="province")
    zhejiang = {row["industry"]: row["regions"] for row in by_province if row["province"] == "浙江省"}
    assert max(zhejiang.values()) <= len(select_regions(G, province="浙江"))


def test_ranking_by_year_counts_regions_in_the_years_of_the_plans_that_state_it(sample_store, G):
    overall = {row["industry"]: row["regions"] for row in industry_ranking(G)}
    by_year: dict = {}
    for row in industry_ranking(G, by="year"):
        by_year.setdefault(row["industry"], {})[row["year"]] = row["regions"]
    assert {y for years in by_year.values() for y in years} <= {d["year"] for d in sample_store.documents()}
    assert set(by_year) == set(overall)
    for industry, years in by_year.items():  # a region may target it in plans of several years
        assert max(years.values()) <= overall[industry] <= sum(years.values())


def test_contested_industries_are_led_by_several_regions(G):
    t = contested(G)
    assert t.rows and all(row["lead"] >= 2 and row["lead"] <= row["regions"] for row in t)
    assert "新材料产业" in {row["industry"] for row in t}


def test_filters_select_regions_by_province_and_kind(G):
    zhejiang = select_regions(G, province="浙江")
    assert len(zhejiang) == 3 and all(G.nodes[r]["province"] == "浙江省" for r in zhejiang)
    assert select_regions(G, kind="city") == [str(RGN["370300"])]
    with pytest.raises(ValueError, match="no region has province '河北'"):
        select_regions(G, province="河北")


# -- paths -------------------------------------------------------------------------------------


def test_paths_explain_why_two_regions_are_similar(sample_store, G):
    t = paths(G, "宁波国家高新区", "淄博市", store=sample_store)
    shared = {row["node"] for row in overlap(G, ["宁波国家高新区", "淄博市"])}
    assert t.rows and all(row["length"] == 2 and row["nodes"][1] in shared for row in t)
    assert all(all(texts) for row in t for texts in row["sentences"])
    # Through institutions only, the two zones of Ningbo are connected through the regions above.
    t = paths(G, "宁波国家高新区", "宁波国际海洋生态科技城", through=["region"])
    assert t.rows and all("宁波市" in row["names"] for row in t)


# -- the cached view ---------------------------------------------------------------------------


def test_the_view_is_built_once_and_rebuilt_only_when_the_store_changes(store_copy):
    cached_view.cache_clear()
    first = cached_view(store_copy)
    assert cached_view(store_copy) is first and cached_view.cache_info()["misses"] == 1
    doc = document("new", RGN["zone-test"], "测试新区", [IND["sei-3"], IND["sei-1"]])
    store_copy.add_document(doc)
    changed = cached_view(store_copy)
    assert changed is not first and cached_view.cache_info()["misses"] == 2
    assert str(RGN["zone-test"]) in changed and str(RGN["zone-test"]) not in first
    assert "淄博市" in {row["region"] for row in nearest(changed, "测试新区")}  # both target 新材料产业
    store_copy.remove_document(doc.identifier)
    assert cached_view(store_copy) is first  # the same content again: no rebuild
    assert cached_view.cache_info()["misses"] == 2


def test_a_rolled_up_region_industry_graph_stays_bipartite(G):
    B = region_industry_graph(G, level="broad")
    assert nx.bipartite.is_bipartite(B)
    for r, i, data in B.edges(data=True):
        region, top = (r, i) if B.nodes[r]["bipartite"] == 0 else (i, r)
        assert set(data["stated"]) <= {o for _, o, k in G.out_edges(region, keys=True) if k == "targets_industry"}
        assert top in lineage(G, data["stated"])
