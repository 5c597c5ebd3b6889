"""Names holding characters XML cannot hold: ingested clean, and every export format reads back.

A plan of 嘉兴市 names an institute, a park project and a talent programme with a bell (``\\x07``), a
vertical tab (``\\x0b``) and a noncharacter (``\\ufffe``) inside, and its file name holds a byte
that is not UTF-8 (a lone surrogate to Python) and a bell. Before, ``--export x.graphml`` printed
a traceback and left a 0-byte file, and the GEXF file was ill-formed XML. Each format the command
line and the app offer is written here and read back with networkx, rdflib or csv: the comparison
commands' ``--export`` (Turtle, N-Triples, JSON-LD, GraphML, GEXF), the app's downloads (the same
and two CSV tables) and ``regionkg export`` (Turtle, N-Triples, JSON-LD, TriG, N-Quads). The same
again from a graph that holds such characters anyway (``regionkg load`` of a file with them):
export cleans what it writes.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal
from typer.testing import CliRunner

from graph.downloads import DOWNLOADS, export_bytes
from graph.store import EXPORT_FORMATS, Store
from graph.views import to_networkx
from ingest.batch import ingest_paths
from ontology.chars import NOT_XML, is_xml_text
from regionkg.cli import app

PLAN = ("嘉兴市2023年政府工作报告\n\n2023年，嘉兴市将大力发展新材料产业和集成电路产业，培育生物医药产业。"
        "建设嘉兴\x07智能研究院，推进嘉兴\x0b南湖产业园项目，实施“嘉兴\ufffe英才人才计划”。建设嘉兴\x0c科技城。\n")
#: What the names become: the bell and the noncharacter go, the vertical tab is a line break.
CLEAN_NAMES = {"嘉兴智能研究院", "嘉兴英才人才计划"}
FILE = os.fsdecode(b"plan\xff\x07.txt")  # a lone surrogate (\udcff) and a bell
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
DATASET_FORMATS = {"trig": "trig", "nq": "nquads"}


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / FILE
    path.write_bytes(PLAN.encode("utf-8"))
    store = folder / "kg"
    with Store(store) as kg:
        lines = list(ingest_paths([path], kg))
    assert [line.status for line in lines] == ["added"], [str(line) for line in lines]
    return store


@pytest.fixture(scope="module")
def loaded_dirty_store(hostile_store, tmp_path_factory) -> Path:
    """A store holding the characters anyway: the clean store's TriG, the bell put back in by hand
    (as ``\\u0007`` escapes, which Turtle and TriG allow), loaded with ``regionkg load``."""
    folder = tmp_path_factory.mktemp("dirty")
    with Store(hostile_store, read_only=True) as kg:
        trig = kg.export("trig")
    dirty = trig.replace("嘉兴智能研究院", "嘉兴\\u0007智能研究院").replace("嘉兴英才人才计划", "嘉兴\\u000B英才\\uFFFE人才计划")
    assert dirty != trig
    (folder / "dirty.trig").write_text(dirty, encoding="utf-8")
    store = folder / "kg"
    result = CliRunner().invoke(app, ["load", str(folder / "dirty.trig"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    with Store(store, read_only=True) as kg:
        labels = {str(o) for (o,) in kg.query("SELECT ?o WHERE { ?s skos:prefLabel ?o }")}
    assert "嘉兴\x07智能研究院" in labels
    return store


def _literals(store: Path) -> list[str]:
    with Store(store, read_only=True) as kg:
        return [str(o) for (o,) in kg.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o)) }")]


def _read_back(path: Path) -> set[str]:
    """The texts of a file, read with the reader its format has (raises if the file is ill-formed)."""
    suffix = path.suffix.lower()
    if suffix in (".graphml", ".gexf"):
        G = (nx.read_graphml if suffix == ".graphml" else nx.read_gexf)(path)
        assert G.number_of_nodes() > 0
        return {str(v) for _, d in G.nodes(data=True) for v in d.values()} | set(map(str, G))
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert len(rows) > 1
        return {cell for row in rows for cell in row}
    if suffix in (".trig", ".nq"):
        g = Dataset()
        g.parse(path, format=DATASET_FORMATS[suffix[1:]])
    else:
        g = Graph().parse(path, format=RDF_FORMATS[suffix])
    assert len(g) > 0
    return {str(o) for o in g.objects() if isinstance(o, Literal)} if suffix not in (".trig", ".nq") \
        else {str(q[2]) for q in g.quads() if isinstance(q[2], Literal)}


def test_names_with_control_characters_are_ingested_clean(hostile_store):
    literals = _literals(hostile_store)
    assert [t for t in literals if NOT_XML.search(t)] == []
    assert CLEAN_NAMES <= set(literals)
    assert "plan\ufffd\ufffd.txt" in literals  # the file name: undecodable byte and bell marked


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".ttl", ".nt", ".jsonld"])
@pytest.mark.parametrize("which", ["ingested", "loaded dirty"])
def test_a_commands_export_of_control_character_names_reads_back(hostile_store, loaded_dirty_store, tmp_path,
                                                                 suffix, which):
    store = hostile_store if which == "ingested" else loaded_dirty_store
    out = tmp_path / f"answer{suffix}"
    result = CliRunner().invoke(app, ["profile", "嘉兴市", "--store", str(store), "--export", str(out),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    texts = _read_back(out)
    assert all(is_xml_text(t) for t in texts)
    assert CLEAN_NAMES <= texts, sorted(t for t in texts if "嘉兴" in t)


@pytest.mark.parametrize("fmt", list(DOWNLOADS))
@pytest.mark.parametrize("which", ["ingested", "loaded dirty"])
def test_each_download_of_control_character_names_reads_back(hostile_store, loaded_dirty_store, tmp_path, fmt, which):
    store = hostile_store if which == "ingested" else loaded_dirty_store
    with Store(store, read_only=True) as kg:
        G = to_networkx(kg)
        data = export_bytes(G, set(G), fmt, store=kg)
    path = tmp_path / ("download" + (DOWNLOADS[fmt][1] if not fmt.endswith(".csv") else ".csv"))
    path.write_bytes(data)
    texts = _read_back(path)
    assert all(is_xml_text(t) for t in texts)
    if fmt != "edges.csv":
        assert CLEAN_NAMES <= texts


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_each_whole_store_export_of_control_character_names_reads_back(hostile_store, tmp_path, fmt):
    out = tmp_path / f"kg{EXPORT_FORMATS[fmt][1]}"
    result = CliRunner().invoke(app, ["export", "--format", fmt, "--out", str(out), "--store", str(hostile_store)])
    assert result.exit_code == 0, result.output
    texts = _read_back(out)
    assert all(is_xml_text(t) for t in texts)
    assert CLEAN_NAMES <= texts


def test_a_control_character_a_web_page_makes_never_reaches_the_text(tmp_path):
    """``&#7;`` in a page's title and body (a character reference the HTML parser turns into a bell)."""
    from ingest.read import read_source

    page = tmp_path / "page.html"
    page.write_text("<html><head><title>嘉兴&#7;规划</title></head><body><p>建设嘉兴&#7;智能研究院。</p></body></html>",
                    encoding="utf-8")
    source = read_source(page)
    assert (source.text, source.title) == ("嘉兴规划\n\n建设嘉兴智能研究院。", "嘉兴规划")
