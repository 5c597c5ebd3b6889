"""What one document may cost at ingest is bounded: its text (``max_chars``) and, for a .docx, the
XML it expands to (``max_xml_bytes``); past either it is rejected with the reason and the batch
goes on.

Before, a 50 MB text took 11.2 GB of memory, and a .docx of 3.7 MB holding 1 GB of XML took 9.4 GB
before it was rejected as "bad XML: unknown error". The caps are set small here so the tests are
quick; the memory is measured in a subprocess (``ru_maxrss``), real pipeline, real files.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest

from ingest.batch import ingest_paths
from ingest.read import RejectedInput, read_source

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
MB = 1024 * 1024


def _plan(tmp_path: Path, name: str = "d_plan.txt") -> Path:
    """Sample 004 with new bytes (so it is not already in the sample store)."""
    path = tmp_path / name
    text = (SAMPLES / "004_deeb158c161dd6a1.txt").read_text(encoding="utf-8")
    path.write_text(text + "\n附件略。", encoding="utf-8")
    return path


def _bomb_docx(path: Path, xml_mb: float) -> Path:
    """A real .docx whose document.xml is padded with empty paragraphs (``<w:p/>``) to about
    ``xml_mb`` MB: a few KB packed per MB of XML, a tree of a million elements per 6 MB parsed."""
    document = docx.Document()
    document.add_paragraph("淄博市工作方案")
    document.add_paragraph("全市突出培育新材料、智能装备等产业。")
    plain = path.with_suffix(".plain.docx")
    document.save(plain)
    with zipfile.ZipFile(plain) as z:
        parts = {info: z.read(info) for info in z.infolist()}
    padding = b"<w:p/>" * (MB // 6)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, body in parts.items():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, body)
                continue
            content, section = body.split(b"<w:sectPr", 1)
            with out.open("word/document.xml", "w", force_zip64=True) as stream:
                stream.write(content)
                for _ in range(int(xml_mb)):
                    stream.write(padding)
                stream.write(padding[:int((xml_mb % 1) * MB) // 6 * 6] + b"<w:sectPr" + section)
    plain.unlink()
    return path


def test_a_docx_that_expands_past_the_cap_is_rejected_with_the_reason_and_the_batch_goes_on(store_copy, tmp_path):
    bomb = _bomb_docx(tmp_path / "a_bomb.docx", 4)
    assert bomb.stat().st_size < 100 * 1024
    plan = _plan(tmp_path)
    lines = list(ingest_paths([bomb, plan], store_copy, max_xml_bytes=1 * MB))
    assert [(line.status, line.reason) for line in lines] == [
        ("rejected", "the .docx expands to more than 1 MB of XML"), ("added", "")]
    assert store_copy.find_documents(plan.name)


def test_a_docx_of_a_gigabyte_of_xml_is_rejected_at_once_with_little_memory(tmp_path):
    """1 GB of XML packed in about 1 MB, the default cap (32 MB): rejected from the sizes the zip
    declares, before any part is unpacked, in a fraction of a second and a few MB."""
    bomb = _bomb_docx(tmp_path / "giga.docx", 1024)
    assert bomb.stat().st_size < 3 * MB
    script = f"""
import json, resource, sys, time
sys.path.insert(0, {str(ROOT)!r})
from ingest.read import RejectedInput, read_source
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read_source({str(bomb)!r})
    reason = None
except RejectedInput as e:
    reason = e.reason
print(json.dumps({{"reason": reason, "seconds": time.perf_counter() - start,
                  "mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}}))
"""
    out = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                    check=True).stdout)
    assert out["reason"] == "the .docx expands to more than 32 MB of XML"
    assert out["seconds"] < 5, out
    assert out["mb"] < 30, out


def test_a_docx_within_the_cap_is_read(tmp_path):
    bomb = _bomb_docx(tmp_path / "padded.docx", 2)
    assert read_source(bomb, max_xml_bytes=3 * MB).text == "淄博市工作方案\n全市突出培育新材料、智能装备等产业。"


def test_a_docx_part_that_is_not_xml_and_expands_a_hundredfold_is_rejected_as_a_zip_bomb(tmp_path):
    path = _bomb_docx(tmp_path / "image.docx", 0)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/image1.png", bytes(10 * MB))
    with pytest.raises(RejectedInput, match=r"a part of the \.docx \(word/media/image1\.png\) expands from "
                                            r"[\d,]+ to 10,485,760 bytes: a zip bomb"):
        read_source(path)


def test_a_text_over_the_cap_gets_a_report_line_and_the_other_files_land_in_the_graph(store_copy, tmp_path):
    big = tmp_path / "b_big.txt"
    text = (SAMPLES / "001_585d3f6695bf431d.txt").read_text(encoding="utf-8")
    big.write_text(text * 3, encoding="utf-8")
    huge = tmp_path / "c_huge.txt"  # more bytes than 4 per character allow: rejected before it is decoded
    huge.write_text(text * 20, encoding="utf-8")
    plan = _plan(tmp_path)
    lines = list(ingest_paths([big, huge, plan], store_copy, max_chars=20_000))
    assert [(line.status, line.reason) for line in lines] == [
        ("rejected", f"text too long: {len(text) * 3:,} characters (the limit per document is 20,000)"),
        ("rejected", "text too long: more than 20,000 characters (the limit per document)"),
        ("added", ""),
    ]
    assert [d["file"] for d in store_copy.find_documents(plan.name)] == [plan.name]
    assert not store_copy.find_documents(big.name) and not store_copy.find_documents(huge.name)


def test_the_cap_counts_a_web_pages_text_not_its_markup(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>淄博市工作方案</title><style>" + "p{}" * 20_000 + "</style></head>"
                    "<body><p>全市突出培育新材料、智能装备等产业。</p></body></html>", encoding="utf-8")
    assert len(read_source(page, max_chars=1_000).text) < 1_000
    with pytest.raises(RejectedInput, match="text too long: 27 characters"):
        read_source(page, max_chars=20)


def test_a_pdf_over_the_cap_is_rejected_page_by_page(tmp_path):
    from test_formats import write_pdf

    pdf = write_pdf(tmp_path / "long.pdf", ["全市突出培育新材料、智能装备等产业。"] * 200)
    assert len(read_source(pdf).text) > 2_000
    with pytest.raises(RejectedInput) as caught:
        read_source(pdf, max_chars=500)
    assert caught.value.reason == "text too long: more than 500 characters (the limit per document)"


@pytest.mark.parametrize("limit", ["max_chars", "max_xml_bytes"])
@pytest.mark.parametrize("value", [0, -1, 1.5, True])
def test_a_bad_limit_is_refused_early_by_name(store_copy, tmp_path, limit, value):
    with pytest.raises(ValueError, match=limit):
        read_source(_plan(tmp_path), **{limit: value})
    with pytest.raises(ValueError, match=limit):
        list(ingest_paths([_plan(tmp_path)], store_copy, **{limit: value}))


def test_memory_is_bounded_by_the_cap_not_by_the_document(tmp_path):
    """In one fresh process, the pipeline built: a text 10 times the cap is rejected at the cost of
    reading it, then a text just under the cap is recognised; the peak memory (``ru_maxrss``) each
    adds is small and bounded by the cap."""
    text = (SAMPLES / "001_585d3f6695bf431d.txt").read_text(encoding="utf-8")
    cap = 100_000
    under = tmp_path / "under.txt"
    under.write_text((text + "\n") * (cap // (len(text) + 1)), encoding="utf-8")
    over = tmp_path / "over.txt"
    over.write_text((text + "\n") * (10 * cap // (len(text) + 1) + 1), encoding="utf-8")
    script = f"""
import json, resource, sys
sys.path.insert(0, {str(ROOT)!r})
from ingest.batch import recognise
from ingest.extract import default_pipeline
nlp = default_pipeline()
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = peak()
over = recognise({str(over)!r}, nlp, max_chars={cap})
after_over = peak()
under = recognise({str(under)!r}, nlp, max_chars={cap})
print(json.dumps({{"over": [over.line.status, over.line.reason], "under": under.line.status,
                  "over_mb": after_over - base, "under_mb": peak() - base, "base_mb": base}}))
"""
    start = time.monotonic()
    out = json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                    check=True).stdout)
    assert out["over"][0] == "rejected" and out["over"][1].startswith("text too long"), out
    assert out["under"] == "added", out
    assert out["over_mb"] < 40, out          # reading 2.6 MB of text, and no recognition
    assert out["under_mb"] < 250, out        # recognising 100,000 characters
    assert time.monotonic() - start < 600
