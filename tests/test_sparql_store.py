"""The graph on a real SPARQL 1.1 server (Virtuoso open-source, started by the ``virtuoso`` fixture).

The same ingest, queries, comparisons, export and app run against it as against the embedded store,
and must give the same answers. The server is a private one on loopback (tests/virtuoso.py); these
tests are skipped, with the reason, only where Virtuoso cannot be installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal
from streamlit.testing.v1 import AppTest

from graph.compare import overlap
from graph.endpoint import SparqlStore
from graph.evidence import explain
from graph.gaps import gaps
from graph.profile import profile
from graph.store import BASE, Store, StoreError, copy_store, open_store
from graph.views import to_networkx
from ingest.batch import ingest_paths

ROOT = Path(__file__).resolve().parent.parent
NBHZ = "https://w3id.org/regionkg/region/nhz-330212"  # 宁波高新技术产业开发区 (宁波国家高新区)
ZIBO = "https://w3id.org/regionkg/region/370300"      # 淄博市
SUBJECTS = ["宁波国际海洋生态科技城", "宁波国家高新区", "绍兴滨海新区", "X", "淄博市"]


def _connect(server, **kwargs) -> SparqlStore:
    return SparqlStore(server.query_url, server.update_url, user=server.user, password=server.password, **kwargs)


def _clear(kg: SparqlStore) -> None:
    for name in kg.graph_names():
        kg.remove_graph(name)


def _graphs(kg) -> dict[str, Graph]:
    """Every regionkg graph of a store, by name, as parsed rdflib graphs (compared by isomorphism)."""
    return {name: Graph().parse(data=kg.graph_ntriples(name), format="nt") for name in kg.graph_names()}


@pytest.fixture()
def server_store(virtuoso, samples, sample_store_path):
    """The server holding the five samples, put there by the same ingest as the embedded store's
    (again whenever an earlier test left the server holding something else)."""
    kg = _connect(virtuoso)
    with Store(sample_store_path, read_only=True) as local:
        wanted = local.fingerprint()
    if kg.fingerprint() != wanted or len(kg.graph_names()) != 6:
        _clear(kg)
        kg.ensure_vocabulary()
        lines = list(ingest_paths([samples], kg))
        assert [line.status for line in lines] == ["added"] * 5, [str(line) for line in lines]
    return kg


def _key(row) -> tuple:
    """A result row as comparable values: text, language and datatype (xsd:string as none: the same
    RDF 1.1 term, which Oxigraph returns typed and Virtuoso plain)."""
    def term(x):
        datatype = getattr(x, "datatype", None)
        return str(x), getattr(x, "language", None), None if str(datatype).endswith("#string") else datatype
    return tuple(term(x) for x in row)


def _env(server) -> dict:
    env = dict(os.environ)
    env.update(REGIONKG_SPARQL_UPDATE_URL=server.update_url, REGIONKG_SPARQL_USER=server.user,
               REGIONKG_SPARQL_PASSWORD=server.password)
    env.pop("REGIONKG_STORE", None)
    return env


def _regionkg(*args, env, timeout=600):
    exe = shutil.which("regionkg", path=os.path.dirname(sys.executable)) or shutil.which("regionkg")
    assert exe, "the regionkg console script is not installed"
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=timeout)


# -- the same graph -------------------------------------------------------------------------------


def test_ingest_into_the_server_stores_exactly_the_graphs_of_the_embedded_store(server_store, sample_store):
    assert server_store.stats() == sample_store.stats()
    assert server_store.documents() == sample_store.documents()
    assert server_store.fingerprint() == sample_store.fingerprint()
    theirs, ours = _graphs(server_store), _graphs(sample_store)
    assert set(theirs) == set(ours)
    for name, graph in ours.items():
        assert graph.isomorphic(theirs[name]), name  # same triples: every literal, language and datatype


def test_ingesting_the_same_files_again_changes_nothing(server_store, samples):
    before = server_store.fingerprint()
    assert {line.status for line in ingest_paths([samples], server_store)} == {"unchanged"}
    assert server_store.fingerprint() == before


def test_comparisons_on_the_server_answer_as_on_the_embedded_store(server_store, sample_store):
    G_server, G_local = to_networkx(server_store), to_networkx(sample_store)
    assert nx.utils.nodes_equal(G_server.nodes(data=True), G_local.nodes(data=True))
    assert sorted(map(repr, G_server.edges(data=True))) == sorted(map(repr, G_local.edges(data=True)))
    shared = overlap(G_server, ["宁波国家高新区", "淄博市"])
    assert "新材料产业" in {row["industry"] for row in shared}
    assert shared.rows == overlap(G_local, ["宁波国家高新区", "淄博市"]).rows
    for level in ("stated", "broad"):
        assert profile(G_server, "淄博市", level=level).rows == profile(G_local, "淄博市", level=level).rows
    others = [r for r in SUBJECTS if r != "绍兴滨海新区"]
    assert gaps(G_server, "绍兴滨海新区", others, min_peers=2, store=server_store).rows == \
        gaps(G_local, "绍兴滨海新区", others, min_peers=2, store=sample_store).rows


def test_evidence_on_the_server_is_the_same_sentences(server_store, sample_store):
    nodes, facts = explain(server_store, "新材料")
    local_nodes, local_facts = explain(sample_store, "新材料")
    assert nodes == local_nodes and facts and sorted(map(repr, facts)) == sorted(map(repr, local_facts))


def test_an_export_from_the_server_is_the_export_of_the_embedded_store(server_store, sample_store):
    for fmt in ("ttl", "nt"):
        assert Graph().parse(data=server_store.export(fmt), format={"ttl": "turtle"}.get(fmt, fmt)).isomorphic(
            Graph().parse(data=sample_store.export(fmt), format={"ttl": "turtle"}.get(fmt, fmt)))
    server_quads = Dataset().parse(data=server_store.export("nq"), format="nquads")
    local_quads = Dataset().parse(data=sample_store.export("nq"), format="nquads")
    assert {(str(g.identifier), len(g)) for g in server_quads.graphs() if len(g)} == \
        {(str(g.identifier), len(g)) for g in local_quads.graphs() if len(g)}


# -- the command line ------------------------------------------------------------------------------


def test_one_command_copies_the_embedded_store_onto_the_server_and_queries_run_there(
        virtuoso, sample_store_path, tmp_path):
    env = _env(virtuoso)
    _clear(_connect(virtuoso))
    copied = _regionkg("copy", "--store", str(sample_store_path), "--to", virtuoso.query_url, env=env)
    assert copied.returncode == 0, copied.stderr
    # Five documents; the vocabulary is there already (a store loads it when opened for writing).
    assert "5 graphs copied" in copied.stderr and "1 already there" in copied.stderr, copied.stderr
    again = _regionkg("copy", "--store", str(sample_store_path), "--to", virtuoso.query_url, env=env)
    assert again.returncode == 0 and "0 graphs copied" in again.stderr and "6 already there" in again.stderr
    with Store(sample_store_path, read_only=True) as local:
        theirs, ours = _graphs(_connect(virtuoso, read_only=True)), _graphs(local)
    assert set(theirs) == set(ours) and all(ours[n].isomorphic(theirs[n]) for n in ours)

    answer = _regionkg("compare", "宁波国家高新区", "淄博市", "--format", "json", "--store", virtuoso.query_url, env=env)
    assert answer.returncode == 0, answer.stderr
    local = _regionkg("compare", "宁波国家高新区", "淄博市", "--format", "json", "--store", str(sample_store_path), env=env)
    assert json.loads(answer.stdout) == json.loads(local.stdout)
    assert "新材料产业" in {row["industry"] for row in json.loads(answer.stdout)["overlap"]}


def test_regionkg_ingest_and_remove_on_the_server(virtuoso, samples, tmp_path):
    env = _env(virtuoso)
    _clear(_connect(virtuoso))
    first = _regionkg("ingest", str(samples), "--store", virtuoso.query_url, "--jobs", "2", env=env)
    assert first.returncode == 0, first.stderr
    assert [line.split()[0] for line in first.stdout.splitlines()] == ["added"] * 5
    kg = _connect(virtuoso, read_only=True)
    assert kg.stats()["documents"] == 5
    name = sorted(p.name for p in samples.glob("*.txt"))[4]
    removed = _regionkg("remove", name, "--store", virtuoso.query_url, env=env)
    assert removed.returncode == 0, removed.stderr
    assert [d["file"] for d in kg.documents()] == sorted(p.name for p in samples.glob("*.txt"))[:4]


def test_wrong_credentials_or_no_server_get_a_clear_error_and_change_nothing(virtuoso, samples):
    env = _env(virtuoso)
    env["REGIONKG_SPARQL_PASSWORD"] = "not-the-password"
    before = _connect(virtuoso, read_only=True).fingerprint()
    bad = _regionkg("ingest", str(samples), "--store", virtuoso.query_url, env=env)
    assert bad.returncode == 2 and "401" in bad.stderr and "REGIONKG_SPARQL_PASSWORD" in bad.stderr, bad.stderr
    assert _connect(virtuoso, read_only=True).fingerprint() == before
    gone = _regionkg("stats", "--store", "http://127.0.0.1:9/sparql", env=env)
    assert gone.returncode == 2 and "cannot reach the SPARQL server" in gone.stderr
    with pytest.raises(StoreError, match="read-only"):
        _connect(virtuoso, read_only=True).remove_graph(BASE + "doc/0000000000000000")


# -- hostile text and the server's limits ------------------------------------------------------------


def test_hostile_text_reaches_the_server_as_data_never_as_sparql(virtuoso, tmp_path):
    kg = _connect(virtuoso)
    _clear(kg)
    kg.ensure_vocabulary()
    hostile = 'x" } } ; DROP ALL ; INSERT DATA { <a> <b> "c" } #'
    doc = tmp_path / f"宁波市2024年政府工作报告 {hostile}.txt"
    doc.write_text(f"宁波市2024年政府工作报告\n大力发展新材料产业（{hostile}）。\n", encoding="utf-8")
    assert [line.status for line in ingest_paths([doc], kg)] == ["added"]
    assert kg.stats()["documents"] == 1 and len(kg.graph_names()) == 2  # the vocabulary is still there
    assert [d["file"] for d in kg.documents()] == [doc.name]
    sentences = "SELECT ?t WHERE { ?s a rkg:Sentence ; rdf:value ?t }"
    texts = {str(r[0]) for r in kg.query(sentences)}
    with Store(tmp_path / "kg") as local:
        list(ingest_paths([doc], local))
        assert texts == {str(r[0]) for r in local.query(sentences)}  # the same text, quotes and braces
    assert any('x" } } ;' in t for t in texts), texts
    assert not kg.query("ASK { <a> <b> \"c\" }").askAnswer


def test_a_result_longer_than_the_servers_row_limit_is_read_whole(virtuoso, server_store, sample_store):
    limit = virtuoso.result_set_max_rows  # the stock 10,000: Virtuoso cuts longer results
    everything = 'SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "%s")) }' % BASE
    n = server_store._count(
        'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "%s")) }' % BASE)
    assert n > limit, "the sample graph should be longer than the server's row limit"
    rows = {_key(row) for row in server_store.query(everything)}
    assert len(rows) == n
    assert rows == {_key(row) for row in sample_store.query(everything)}


def test_a_large_document_graph_is_written_whole_in_several_requests(virtuoso):
    kg = _connect(virtuoso)
    name = BASE + "graph/import/large-test"
    g = Graph(identifier=name)
    from rdflib import URIRef
    for k in range(3 * kg.batch_triples + 7):
        g.add((URIRef(f"{BASE}test/{k}"), URIRef(f"{BASE}test/p"), Literal(f"第{k}条 \"引号\" \\ 反斜杠\n换行", lang="zh")))
    kg.add_document(g)
    back = Graph().parse(data=kg.graph_ntriples(name), format="nt")
    assert len(back) == len(g) and back.isomorphic(g)
    kg.remove_graph(name)
    assert name not in kg.graph_names()


# -- the app -------------------------------------------------------------------------------------


def test_the_app_runs_on_the_server(virtuoso, server_store, monkeypatch):
    for key, value in _env(virtuoso).items():
        if key.startswith("REGIONKG_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("REGIONKG_STORE", virtuoso.query_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: int(str(m.value).replace(",", "")) for m in at.metric}
    stats = server_store.stats()
    assert metrics.get("documents") == stats["documents"], metrics
    at.session_state["view"] = "Compare"
    at.run()
    at.multiselect(key="cmp_regions").set_value([NBHZ, ZIBO]).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = [row["industry"] for row in overlap(to_networkx(server_store), ["宁波国家高新区", "淄博市"]).rows]
    tables = [df.value for df in at.dataframe if "industry" in df.value.columns]
    assert tables and list(tables[0]["industry"]) == expected and "新材料产业" in expected


def test_a_document_half_written_when_ingest_died_is_rewritten_whole_by_the_next_run(server_store, samples):
    # What a run killed mid-document leaves on a server (whose multi-request writes are not one
    # transaction): the first requests of the document's graph, without its content hash.
    from ingest.batch import recognise

    doc = sorted(samples.glob("*.txt"))[0]
    done = recognise(doc)
    whole = Graph().parse(data=done.ntriples, format="nt")
    server_store.remove_graph(done.iri)
    lines = [line for line in done.ntriples.splitlines() if b"contentHash" not in line]
    server_store._insert(f"<{done.iri}>", lines[: len(lines) // 2])
    assert not server_store.has_document(done.sha256)
    assert done.iri not in {d["iri"] for d in server_store.documents()}  # not listed as a document

    again = list(ingest_paths([doc], server_store))
    assert [line.status for line in again] == ["added"]
    assert Graph().parse(data=server_store.graph_ntriples(done.iri), format="nt").isomorphic(whole)
