"""Comparing regions from the command line: profile, compare, gaps, similar, industries, clusters and
path, each as a table, JSON or CSV, each able to export the subgraph behind its answer."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import RDF, Graph, URIRef
from typer.testing import CliRunner

from regionkg.cli import app

runner = CliRunner()

NINGBO_HITECH = "https://w3id.org/regionkg/region/nhz-330212"
ZIBO = "https://w3id.org/regionkg/region/370300"

COMMANDS = {
    "profile": ["profile", "宁波国家高新区"],
    "compare": ["compare", "宁波国家高新区", "淄博市"],
    "gaps": ["gaps", "绍兴滨海新区", "--min-peers", "2"],
    "similar": ["similar", "淄博", "--top", "3"],
    "industries": ["industries", "--top", "5", "--by", "province"],
    "contested": ["industries", "--contested"],
    "clusters": ["clusters", "--level", "broad"],
    "path": ["path", "宁波国家高新区", "淄博市"],
}


def run(store, *args):
    return runner.invoke(app, [*map(str, args), "--store", str(store)])


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_comparison_command_answers_in_each_format(sample_store_path, command, fmt):
    result = run(sample_store_path, *COMMANDS[command], "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert isinstance(data, dict) and any(isinstance(v, list) and v for v in data.values())
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    else:
        assert result.stdout.strip()


def test_compare_json_is_one_object_with_overlap_only_and_jaccard(sample_store_path):
    result = run(sample_store_path, "compare", "宁波国家高新区", "淄博市", "--format", "json")
    data = json.loads(result.stdout)  # exactly one JSON object, nothing else on stdout
    assert {"regions", "overlap", "only", "jaccard"} <= set(data)
    assert data["regions"] == ["宁波高新技术产业开发区", "淄博市"]
    assert "新材料产业" in {row["industry"] for row in data["overlap"]}
    for row in data["overlap"]:
        assert set(row["evidence"]) == set(data["regions"]) and all(n >= 1 for n in row["evidence"].values())
    assert set(data["only"]) == set(data["regions"]) and 0 < data["jaccard"] < 1


def test_compare_at_the_broad_level_counts_integrated_circuits_as_information_technology(sample_store_path):
    result = run(sample_store_path, "compare", "绍兴滨海新区", "宁波国际海洋生态科技城", "--level", "broad",
                 "--format", "json")
    data = json.loads(result.stdout)
    it = next(row for row in data["overlap"] if row["industry"] == "新一代信息技术产业")
    assert "集成电路" in it["stated"]["绍兴滨海新区"]


def test_gaps_json_gives_each_peers_evidence_and_sentences(sample_store_path):
    result = run(sample_store_path, "gaps", "绍兴滨海新区", "--peers", "淄博,X", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(data["peers"]) == ["X", "淄博市"]
    for row in data["gaps"]:
        assert set(row["sentences"]) == set(row["evidence"]) <= {"X", "淄博市"}
        assert all(texts for texts in row["sentences"].values())


@pytest.mark.parametrize("args,message", [
    (["compare", "宁波国家高新区", "淄博区"], "no region named '淄博区'; did you mean: "),
    (["profile", "Zibo"], "no region named 'Zibo'"),
    (["gaps", "淄博市", "--min-peers", "0"], "min_peers must be at least 1, got 0"),
    (["compare", "淄博市", "X", "--level", "top"], "unknown level 'top'"),
    (["compare", "淄博市"], "two or more different regions"),
    (["similar", "淄博", "--format", "xml"], "unknown format 'xml'"),
    (["compare", "淄博市", "X", "--export", "out.xlsx"], "unknown suffix"),
    (["gaps", "绍兴滨海新区", "--same", "zone_type"], "has no zone type to share"),
])
def test_bad_names_and_arguments_get_one_clear_error_line(sample_store_path, args, message):
    result = run(sample_store_path, *args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output


def test_an_unknown_name_lists_the_close_candidates(sample_store_path):
    result = run(sample_store_path, "profile", "淄博区")
    assert result.exit_code == 2 and "淄博市" in result.output


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".graphml", ".gexf"])
def test_export_writes_the_subgraph_behind_the_answer(sample_store_path, tmp_path, suffix):
    out = tmp_path / f"answer{suffix}"
    result = run(sample_store_path, "compare", "宁波国家高新区", "淄博市", "--export", out)
    assert result.exit_code == 0, result.output
    new_materials = "https://w3id.org/regionkg/industry/sei-3"
    if suffix in (".graphml", ".gexf"):
        H = (nx.read_graphml if suffix == ".graphml" else nx.read_gexf)(out)
        assert {NINGBO_HITECH, ZIBO, new_materials} <= set(H)
        assert H.has_edge(ZIBO, new_materials) and H.nodes[ZIBO]["label"] == "淄博市"
    else:
        g = Graph().parse(out, format={".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[suffix])
        assert {URIRef(NINGBO_HITECH), URIRef(ZIBO)} <= set(g.subjects())
        assert (URIRef(ZIBO), None, URIRef(new_materials)) in g
        facts = [f for f in g.subjects(RDF.type, RDF.Statement) if (f, RDF.object, URIRef(new_materials)) in g]
        assert facts and all(any(True for _ in g.objects(f, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
                             for f in facts)
