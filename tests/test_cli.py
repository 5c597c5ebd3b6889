"""The `regionkg` command as a user runs it: ingest, extract, evaluate, stats, export, validate."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from regionkg.cli import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result


def test_the_console_script_ingests_a_folder_and_reports_each_file(tmp_path, samples):
    """The installed `regionkg` executable, in its own process, as the README runs it."""
    exe = shutil.which("regionkg", path=os.path.dirname(sys.executable)) or shutil.which("regionkg")
    assert exe, "the regionkg console script is not installed"
    store = tmp_path / "kg"
    proc = subprocess.run([exe, "ingest", str(samples), "--store", str(store)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    assert len(lines) == 5 and all(l.startswith("added") for l in lines), proc.stdout
    assert "5 added" in proc.stderr


def test_ingest_exit_code_says_whether_any_file_failed(tmp_path, samples):
    store = tmp_path / "kg"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("ingest", samples / "004_deeb158c161dd6a1.txt", bad, tmp_path / "missing.txt", "--store", store)
    assert result.exit_code == 1
    out = result.stdout
    assert "added" in out and "empty file" in out and "no such file" in out


def test_extract_writes_one_gold_format_object_per_document(tmp_path, samples, gold_dir):
    out = tmp_path / "pred"
    result = run("extract", samples, "--format", "gold-json", "--out", out)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.glob("*.json"))
    assert written == sorted(p.name for p in gold_dir.glob("*.json"))
    for path in out.glob("*.json"):
        gold = json.loads((gold_dir / path.name).read_text(encoding="utf-8"))
        pred = json.loads(path.read_text(encoding="utf-8"))
        assert set(pred) == set(gold) | {"targets", "period"}  # and the targets of tests/data/gold-targets/README.md
        assert all(set(t) == {"indicator", "concept", "value", "value_max", "unit", "comparator", "year", "kind",
                              "text"} for t in pred["targets"])
        assert set(pred["subject_region"]) == set(gold["subject_region"])
        assert all(set(i) == {"name", "role"} for i in pred["industries"])
        assert all(set(i) == {"name", "kind"} for i in pred["institutions"])
        assert all(isinstance(x, str) for key in ("zones", "projects", "talent_programmes") for x in pred[key])


def test_extract_refuses_an_unknown_format(samples):
    result = run("extract", samples / "004_deeb158c161dd6a1.txt", "--format", "xml")
    assert result.exit_code == 2
    assert "unknown format" in result.output


def test_evaluate_prints_a_table_per_type_and_every_subject_region(samples, gold_dir):
    result = run("evaluate", "--gold", gold_dir, samples)
    assert result.exit_code == 0, result.output
    for row in ("zones", "industries", "projects", "institutions", "talent_programmes", "all"):
        assert any(line.startswith(row) for line in result.stdout.splitlines()), row
    assert "subject region right in 5/5 documents" in result.stdout


def test_evaluate_json_agrees_with_the_scorer(samples, gold_dir):
    from ingest.evaluate import load_gold_dir, score
    from ingest.extract import extract
    from ingest.read import read_source

    result = run("evaluate", "--gold", gold_dir, samples, "--json")
    figures = json.loads(result.stdout)
    gold = load_gold_dir(gold_dir)
    predicted = {p.name: extract(read_source(p)).to_gold() for p in samples.glob("*.txt")}
    assert figures == json.loads(json.dumps(score(gold, predicted).to_dict()))


def test_evaluate_measures_the_model_it_is_given(samples, gold_dir, tmp_path):
    # What `make crossval` does: a recogniser and classifier the trainer wrote elsewhere are the ones
    # measured. Here a copy of the shipped model whose classifier keeps no rule's name.
    import numpy as np

    from ingest.recognise.learned import MODEL_DIR
    from ingest.recognise.rule_names import CLASSES, NameClassifier

    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    NameClassifier(np.zeros((8, len(CLASSES)), np.float32),
                   np.array([20, 0, 0, 0, 0, 0], np.float32)).to_disk(model / "rule_names.npz")
    shipped = run("evaluate", "--gold", gold_dir, samples, "--json")
    keeping_none = run("evaluate", "--gold", gold_dir, samples, "--json", "--model", model)
    assert keeping_none.exit_code == 0, keeping_none.output

    def names(result):
        return sum(row["predicted"] for row in json.loads(result.stdout)["types"].values())

    assert names(keeping_none) < names(shipped)
    (model / "rule_names.npz").unlink()
    missing = run("evaluate", "--gold", gold_dir, samples, "--model", model)
    assert missing.exit_code == 2 and "no trained rule-name classifier in" in missing.output


def test_stats_counts_the_sample_graph(sample_store_path):
    result = run("stats", "--store", sample_store_path)
    assert result.exit_code == 0, result.output
    assert "documents" in result.stdout and "淄博市" in result.stdout


@pytest.mark.parametrize("command", [("stats",), ("export",), ("validate",), ("compare", "淄博市", "宁波")])
def test_commands_on_a_missing_store_say_how_to_build_it(tmp_path, command):
    # However long the path and narrow the terminal, the error is one line, never wrapped inside
    # the command it names.
    missing = tmp_path / ("a-folder-with-a-long-name-" * 6) / "none"
    result = run(*command, "--store", missing)
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"error: no store at {missing}: run 'regionkg ingest PATH' first"]


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_round_trips_without_loss(sample_store_path, tmp_path, fmt, parser):
    from graph.store import Store

    out = tmp_path / f"kg.{fmt}"
    result = run("export", "--format", fmt, "--out", out, "--store", sample_store_path)
    assert result.exit_code == 0, result.output
    loaded = Graph().parse(out, format=parser)
    with Store(sample_store_path) as store:
        expected = store.facts_graph()
    assert len(loaded) == len(expected) > 1000
    assert set(loaded.subjects()) == set(expected.subjects())


def test_export_refuses_an_unknown_format(sample_store_path):
    result = run("export", "--format", "xml", "--store", sample_store_path)
    assert result.exit_code == 2 and "unknown format" in result.output


def test_validate_reports_the_sample_graph_conforms(sample_store_path):
    result = run("validate", "--store", sample_store_path)
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.stdout


@pytest.mark.parametrize("fmt", ["ttl", "trig"])
def test_an_export_loads_back_into_a_new_store(sample_store_path, tmp_path, fmt):
    from graph.store import Store

    out = tmp_path / f"kg.{fmt}"
    assert run("export", "--format", fmt, "--out", out, "--store", sample_store_path).exit_code == 0
    restored = tmp_path / "restored"
    result = run("load", out, "--store", restored)
    assert result.exit_code == 0, result.output
    with Store(sample_store_path) as original, Store(restored) as copy:
        assert len(copy.facts_graph()) == len(original.facts_graph())
        if fmt == "trig":  # named graphs survive: one per document
            assert copy.stats() == original.stats()
    # Loading the same file again adds nothing.
    assert run("load", out, "--store", restored).exit_code == 0
    with Store(restored) as copy:
        assert len(copy.facts_graph()) > 1000


def test_loading_a_file_that_is_not_rdf_is_rejected_with_the_reason(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    result = run("load", bad, "--store", tmp_path / "kg")
    assert result.exit_code == 1
    assert "cannot load 'bad.ttl' as ttl" in result.stdout


def test_explain_prints_every_sentence_a_node_comes_from(sample_store_path):
    result = run("explain", "宁波新材料联合研究院", "--store", sample_store_path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [n["label"] for n in data["nodes"]] == ["宁波新材料联合研究院"]
    assert data["evidence"]
    for e in data["evidence"]:
        assert e["document"] == "001_585d3f6695bf431d.txt"
        assert e["sentence"][e["start"] - e["sentence_start"]:e["end"] - e["sentence_start"]] == e["mention"]


def test_explain_names_close_candidates_for_an_unknown_name(sample_store_path):
    result = run("explain", "新材料科", "--store", sample_store_path)
    assert result.exit_code == 2
    assert "no node named '新材料科'" in result.output and "新材料科技城" in result.output


def test_a_hostile_name_cannot_break_out_of_the_query(sample_store_path):
    result = run("explain", '新材料" } DELETE WHERE { ?s ?p ?o } #', "--store", sample_store_path)
    assert result.exit_code == 2 and "no node named" in result.output
    from graph.store import Store

    with Store(sample_store_path) as store:
        assert store.stats()["documents"] == 5


def test_removing_a_document_removes_only_what_it_alone_states(sample_store_path, tmp_path):
    from graph.store import Store
    from graph.views import region_industry_graph, to_networkx

    store = tmp_path / "kg"
    shutil.copytree(sample_store_path, store)
    result = run("remove", "004_deeb158c161dd6a1.txt", "--store", store)
    assert result.exit_code == 0, result.output
    assert "removed" in result.output and "004_deeb158c161dd6a1.txt" in result.output
    with Store(store, read_only=True) as kg:
        files = [d["file"] for d in kg.documents()]
        B = region_industry_graph(to_networkx(kg))
    assert len(files) == 4 and "004_deeb158c161dd6a1.txt" not in files
    labels = {B.nodes[n]["label"] for n in B if B.nodes[n]["bipartite"] == 0}
    assert "淄博市" not in labels  # only 004 said what 淄博市 targets
    industries = {B.nodes[n]["label"] for n in B if B.nodes[n]["bipartite"] == 1}
    assert "新材料产业" in industries  # other plans still target it


def test_removing_an_unknown_or_ambiguous_document_removes_nothing(sample_store_path, tmp_path):
    from graph.store import Store

    store = tmp_path / "kg"
    shutil.copytree(sample_store_path, store)
    result = run("remove", "004_deeb158c161dd6a1.txt", "no-such-plan.txt", "--store", store)
    assert result.exit_code == 2
    assert "'no-such-plan.txt' names no document" in result.output
    with Store(store, read_only=True) as kg:
        assert len(kg.documents()) == 5


def test_a_document_is_found_by_file_name_iri_or_hash_prefix(sample_store):
    doc = next(d for d in sample_store.documents() if d["file"].startswith("001_"))
    digest = doc["iri"].rsplit("/", 1)[-1]  # the document IRI ends in the hash's first 16 hex digits
    for key in (doc["file"], doc["iri"], digest[:8]):
        assert [d["iri"] for d in sample_store.find_documents(key)] == [doc["iri"]], key
    assert sample_store.find_documents("nothing-like-it.txt") == []
    with pytest.raises(ValueError, match="name a document"):
        sample_store.find_documents("  ")


def test_a_changed_document_replaces_its_old_version_and_its_facts(tmp_path, samples):
    from graph.store import Store

    store = tmp_path / "kg"
    first, second = tmp_path / "v1", tmp_path / "v2"
    first.mkdir(), second.mkdir()
    name = "004_deeb158c161dd6a1.txt"
    shutil.copy(samples / name, first / name)
    text = (samples / name).read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    (second / name).write_text(f"{title}\n全市要加快培育氢能产业。\n{body}", encoding="utf-8")

    assert run("ingest", first / name, "--store", store).exit_code == 0
    result = run("ingest", second / name, "--store", store)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("replaced") and "replaces https://w3id.org/regionkg/doc/" in result.output
    with Store(store, read_only=True) as kg:
        docs = kg.documents()
        said = {str(r[0]) for r in kg.query(
            "SELECT ?m WHERE { ?f <https://w3id.org/regionkg/ontology#mention> ?m }")}
    assert len(docs) == 1 and docs[0]["file"] == name  # one version, the new one
    assert any("氢能" in m for m in said)
    # The same bytes again change nothing.
    again = run("ingest", second / name, "--store", store)
    assert again.output.startswith("unchanged")
