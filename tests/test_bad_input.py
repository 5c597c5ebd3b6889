"""Bad input gets a clear one-line reason or is ingested correctly, and nothing in the store is lost."""

from __future__ import annotations

import os
import shutil

import pytest

from ingest.batch import ingest_paths

SAMPLE = "001_585d3f6695bf431d.txt"


def _one(store, path):
    lines = list(ingest_paths([path], store))
    assert len(lines) == 1
    return lines[0]


@pytest.fixture()
def text(samples):
    return (samples / SAMPLE).read_text(encoding="utf-8")


@pytest.fixture()
def kept(store_copy):
    """Checks, after each test, that every document and triple stored before is still there."""
    before_docs = {d["iri"] for d in store_copy.documents()}
    before = store_copy.stats()["triples"]
    yield store_copy
    assert {d["iri"] for d in store_copy.documents()} >= before_docs
    assert store_copy.stats()["triples"] >= before


def test_an_empty_file_is_rejected_as_empty(kept, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    line = _one(kept, path)
    assert (line.status, line.reason) == ("rejected", "empty file")


def test_a_binary_file_is_rejected_as_binary(kept, tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4096))
    line = _one(kept, path)
    assert line.status == "rejected" and line.reason.startswith("binary file")


def test_a_gbk_file_is_ingested_with_the_same_subject(kept, tmp_path, samples):
    source = (samples / "003_6df439c02bdb466d.txt").read_text(encoding="utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(source.replace("X", "Y").encode("gbk"))  # new bytes, same shape of text
    line = _one(kept, path)
    assert line.status == "added", str(line)
    assert line.subject == "Y"


def test_a_utf16_file_is_ingested(kept, tmp_path, text):
    path = tmp_path / "utf16.txt"
    path.write_bytes(text.replace("2018", "2019").encode("utf-16"))
    line = _one(kept, path)
    assert line.status == "added", str(line)
    assert line.subject == "宁波国家高新区"


def test_an_html_page_with_a_script_is_ingested_without_the_script(kept, tmp_path):
    page = """<html><head><title>淄博市工作方案</title><script>alert("淄博市新材料")</script></head>
    <body><h1>关于淄博市新旧动能转换的工作方案</h1><script>document.write("智能装备")</script>
    <p>全市突出培育新材料、新医药等产业,加快建设淄博科技创新研究院。</p></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    line = _one(kept, path)
    assert line.status == "added", str(line)
    q = 'ASK { ?s ?p ?o FILTER(isLiteral(?o) && (CONTAINS(STR(?o), "alert") || CONTAINS(STR(?o), "document.write"))) }'
    assert not kept.query(q).askAnswer


def test_a_document_with_no_recognisable_region_is_rejected_with_the_reason(kept, tmp_path):
    path = tmp_path / "noregion.txt"
    path.write_text("我们要坚持新发展理念,推动高质量发展,加快产业转型升级。", encoding="utf-8")
    line = _one(kept, path)
    assert line.status == "rejected"
    assert "no recognisable region" in line.reason


def test_a_5_mb_file_is_ingested(kept, tmp_path, text):
    path = tmp_path / "big.txt"
    body = (text + "\n") * (5 * 1024 * 1024 // len(text.encode("utf-8")) + 1)
    path.write_text(body, encoding="utf-8")
    assert path.stat().st_size >= 5 * 1024 * 1024
    line = _one(kept, path)
    assert line.status == "added", str(line)
    assert line.subject == "宁波国家高新区"


def test_a_file_name_with_spaces_and_chinese_characters_is_ingested(kept, tmp_path, samples):
    path = tmp_path / "淄博 市 工作方案 (2018).txt"
    shutil.copy(samples / "004_deeb158c161dd6a1.txt", path)
    path.write_text(path.read_text(encoding="utf-8") + "\n附件略。", encoding="utf-8")
    line = _one(kept, path)
    assert line.status == "added", str(line)
    q = 'ASK { ?d rkg:fileName "淄博 市 工作方案 (2018).txt" }'
    assert kept.query(q).askAnswer


def test_a_missing_path_is_reported_and_the_batch_goes_on(kept, tmp_path, samples):
    missing = tmp_path / "nowhere" / "plan.txt"
    lines = list(ingest_paths([missing, samples / SAMPLE], kept))
    assert [(line.status, line.reason) for line in lines] == [("rejected", "no such file"), ("unchanged", "")]


def test_one_bad_file_in_a_folder_never_stops_the_batch(kept, tmp_path, samples):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "c_notes.md").write_text("# notes", encoding="utf-8")
    shutil.copy(samples / "004_deeb158c161dd6a1.txt", folder / "d_plan.txt")
    lines = list(ingest_paths([folder], kept))
    assert [line.status for line in lines] == ["rejected", "rejected", "skipped", "unchanged"]
    assert all(line.reason for line in lines[:3])
