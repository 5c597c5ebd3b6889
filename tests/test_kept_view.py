"""The comparisons' view at scale: the store's aggregate and the view kept on disk with the store.

Each test checks the fast path against the one it replaces: the view built from the aggregate (and
updated from it, and loaded from disk) must be the view the SPARQL queries build from the triples.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import networkx as nx
import pytest

from graph import viewfile
from graph.aggregate import FILE_NAME as AGGREGATE_FILE
from graph.store import Store
from graph.views import _assemble, _sparql_rows, cached_view, kept_view, to_networkx

from test_compare import document
from ontology import IND, RGN

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def view_by_sparql(store) -> nx.MultiDiGraph:
    """The view as the SPARQL queries build it from the triples (the way a server store has it)."""
    return _assemble(_sparql_rows(store))


def assert_same_view(A: nx.MultiDiGraph, B: nx.MultiDiGraph) -> None:
    assert dict(A.nodes(data=True)) == dict(B.nodes(data=True))
    edges = lambda G: {(s, o, k): d for s, o, k, d in G.edges(keys=True, data=True)}  # noqa: E731
    assert edges(A) == edges(B)
    assert A.graph == B.graph


def test_the_view_from_the_aggregate_is_the_view_from_the_triples(sample_store, zhumadian_store_path):
    assert sample_store.aggregate is not None
    G = to_networkx(sample_store)
    assert G.number_of_edges() > 500
    assert_same_view(G, view_by_sparql(sample_store))
    with Store(zhumadian_store_path, read_only=True) as kg:  # real reports of five plan years
        G = to_networkx(kg)
        assert any(len(d["evidence_by_year"]) > 1 for *_, d in G.edges(data=True))
        assert_same_view(G, view_by_sparql(kg))


def test_the_counts_from_the_aggregate_are_the_counts_of_the_triples(sample_store):
    assert sample_store.stats() == sample_store._sparql_stats()
    assert sample_store.stats()["documents"] == 5


def test_documents_added_to_a_store_update_its_kept_view_to_the_view_built_anew(sample_store_path, tmp_path):
    with Store(sample_store_path, read_only=True) as source:
        names = [g for g in source.graph_names() if "/doc/" in g]
        graphs = {g: source.graph_ntriples(g) for g in names}
    assert len(graphs) == 5
    with Store(tmp_path / "kg") as kg:
        for g in names[:2]:
            kg.add_ntriples(g, graphs[g])
        before = kept_view(kg)
        assert viewfile.read_stamps(kg.path / viewfile.FILE_NAME) == kg.aggregate.stamps(kg.graph_keys())
        for g in names[2:]:
            kg.add_ntriples(g, graphs[g])
        kg.add_document(document("new", RGN["zone-test"], "测试新区", [IND["sei-3"], IND["sei-1"]]))
        updated = kept_view(kg)  # loaded from disk, then the three new documents' links and nodes
        assert updated.number_of_edges() > before.number_of_edges()
        assert_same_view(updated, view_by_sparql(kg))
        assert viewfile.read_stamps(kg.path / viewfile.FILE_NAME) == kg.aggregate.stamps(kg.graph_keys())


def test_a_removed_document_leaves_the_view_and_the_counts(store_copy):
    doc = next(d for d in store_copy.documents() if "淄博" in d["subject"])
    kept_view(store_copy)
    store_copy.remove_document(doc["iri"])
    G = kept_view(store_copy)
    assert_same_view(G, view_by_sparql(store_copy))
    assert store_copy.stats() == store_copy._sparql_stats()
    assert store_copy.stats()["documents"] == 4


def test_a_write_cut_between_the_store_and_its_aggregate_is_caught_up(store_copy):
    doc = document("cut", RGN["zone-cut"], "中断新区", [IND["sei-1"]])
    # As if the process died after the store took the graph and before the aggregate did.
    store_copy.aggregate.begin([str(doc.identifier)])
    aggregate, store_copy.aggregate = store_copy.aggregate, None
    store_copy.add_document(doc)
    store_copy.aggregate = aggregate
    assert aggregate.keys()[str(doc.identifier)] is None  # pending
    G = to_networkx(store_copy)
    assert str(RGN["zone-cut"]) in G
    assert_same_view(G, view_by_sparql(store_copy))
    assert aggregate.keys()[str(doc.identifier)] == ""  # caught up from the store's own triples


def test_a_store_without_an_aggregate_gets_one_from_its_triples(sample_store_path, tmp_path):
    path = tmp_path / "kg"
    shutil.copytree(sample_store_path, path)
    (path / AGGREGATE_FILE).unlink()  # a store written before the aggregate existed
    (path / viewfile.FILE_NAME).unlink(missing_ok=True)
    with Store(path, read_only=True) as kg:
        assert kg.aggregate.keys() == {}
        G = kept_view(kg)
        assert set(kg.aggregate.keys()) == set(kg.graph_keys())
        assert_same_view(G, view_by_sparql(kg))


def test_a_damaged_or_foreign_view_file_is_ignored_and_built_again(store_copy):
    path = store_copy.path / viewfile.FILE_NAME
    kept_view(store_copy)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # one flipped byte: the checksum no longer matches
    path.write_bytes(bytes(data))
    assert viewfile.load_view(path) is None
    assert_same_view(kept_view(store_copy), view_by_sparql(store_copy))
    import pickle  # a file that would run code if it were unpickled: never read as a view

    path.write_bytes(pickle.dumps(nx.MultiDiGraph()))
    assert viewfile.load_view(path) is None
    assert_same_view(kept_view(store_copy), view_by_sparql(store_copy))


def test_ingest_keeps_the_view_current_for_the_next_command(samples, tmp_path):
    store = tmp_path / "kg"
    files = sorted(samples.glob("*.txt"))
    run = lambda *a: subprocess.run([sys.executable, "-m", "regionkg", *a, "--store", str(store)],  # noqa: E731
                                    capture_output=True, text=True, cwd=ROOT, timeout=600)
    first = run("ingest", *map(str, files[:3]))
    assert first.returncode == 0, first.stderr
    assert "comparisons' view kept current" in first.stderr
    second = run("ingest", *map(str, files[3:]))
    assert second.returncode == 0, second.stderr
    with Store(store, read_only=True) as kg:
        assert viewfile.read_stamps(store / viewfile.FILE_NAME) == kg.aggregate.stamps(kg.graph_keys())
        keys, G = viewfile.load_view(store / viewfile.FILE_NAME)
        assert_same_view(G, view_by_sparql(kg))
        cached_view.cache_clear()
        assert cached_view(kg).number_of_edges() == G.number_of_edges()
    answer = run("compare", "宁波国家高新区", "淄博市", "--format", "json")
    assert answer.returncode == 0, answer.stderr
    assert "新材料" in answer.stdout
    removed = run("remove", files[0].name)
    assert removed.returncode == 0, removed.stderr
    with Store(store, read_only=True) as kg:  # the view without it is kept too, for the next reader
        stamps, G = viewfile.load_view(store / viewfile.FILE_NAME)
        assert stamps == kg.aggregate.stamps(kg.graph_keys()) and len(stamps) == 5
        assert_same_view(G, view_by_sparql(kg))


@pytest.mark.parametrize("changed", ["extracted again", "new vocabulary"])
def test_a_graph_written_again_under_its_name_changes_the_fingerprint(store_copy, changed):
    before = store_copy.fingerprint()
    keys = store_copy.graph_keys()
    if changed == "extracted again":
        name = next(g for g in keys if "/doc/" in g)
        data = store_copy.graph_ntriples(name).replace(keys[name].encode(), b"another-extractor")
    else:
        name = next(g for g in keys if g.endswith("/vocabulary"))
        data = store_copy.graph_ntriples(name).replace(keys[name].encode(), b"f" * 64)
    store_copy.add_ntriples(name, data)
    assert store_copy.fingerprint() != before
    assert_same_view(kept_view(store_copy), view_by_sparql(store_copy))


def test_a_document_written_again_with_other_facts_shows_them_in_the_view(store_copy):
    doc = document("again", RGN["zone-again"], "重写新区", [IND["sei-1"]])
    store_copy.add_document(doc)
    first = kept_view(store_copy)
    assert str(IND["sei-3"]) not in set(first.successors(str(RGN["zone-again"])))
    # The same graph name, no extractor version to tell the two apart: only the write itself does.
    store_copy.add_document(document("again", RGN["zone-again"], "重写新区", [IND["sei-1"], IND["sei-3"]]))
    cached_view.cache_clear()
    G = cached_view(store_copy)
    assert str(IND["sei-3"]) in set(G.successors(str(RGN["zone-again"])))
    assert_same_view(G, view_by_sparql(store_copy))
