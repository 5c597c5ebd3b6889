"""PDF and Word inputs: the same graph as from the text, and bad files rejected with a reason.

The fixtures are written at test time from a sample text: the .docx with python-docx, the PDF
with reportlab in the STSong-Light CID font (Adobe-GB1, no font file embedded).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.batch import ingest_paths
from ingest.extract import extract
from ingest.formats import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, read_pdf
from ingest.read import SUPPORTED_SUFFIXES, RejectedInput, read_source

SAMPLE = "004_deeb158c161dd6a1.txt"
TITLE = "关于建立淄博市新旧动能转换重大工程协调推进体系的工作方案"
FONT = "STSong-Light"
FONT_SIZE = 10
LEADING = 14
MARGIN = 36
PAGE_HEIGHT = 842


def write_pdf(path: Path, lines: list[str], *, title: str | None = TITLE) -> Path:
    """A PDF with each line of `lines` as one line of text (the page is as wide as the longest)."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width = max([pdfmetrics.stringWidth(line, FONT, FONT_SIZE) for line in lines] + [100])
    c = canvas.Canvas(str(path), pagesize=(width + 2 * MARGIN, PAGE_HEIGHT))
    if title:
        c.setTitle(title)
    y = PAGE_HEIGHT - MARGIN
    for line in lines:
        if y < MARGIN:
            c.showPage()
            y = PAGE_HEIGHT - MARGIN
        c.setFont(FONT, FONT_SIZE)
        c.drawString(MARGIN, y, line)
        y -= LEADING
    c.showPage()
    c.save()
    return path


def write_docx(path: Path, lines: list[str], *, title: str | None = TITLE) -> Path:
    d = docx.Document()
    if title:
        d.core_properties.title = title
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))
    return path


def comparable(source) -> dict:
    gold = extract(source).to_gold()
    gold.pop("doc")  # the file name
    return gold


@pytest.fixture(scope="module")
def sample_text(samples) -> str:
    return (samples / SAMPLE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory, samples, sample_text) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    lines = sample_text.rstrip("\n").split("\n")
    return {
        "txt": samples / SAMPLE,
        "pdf": write_pdf(folder / "plan.pdf", lines),
        "docx": write_docx(folder / "plan.docx", lines),
    }


@pytest.fixture(scope="module")
def from_text(fixtures) -> dict:
    return comparable(read_source(fixtures["txt"]))


def rejection(path) -> str:
    with pytest.raises(RejectedInput) as info:
        read_source(path)
    reason = str(info.value)
    assert reason and "\n" not in reason
    return reason


# ---------------------------------------------------------------------------
# good files


def test_pdf_and_docx_are_supported_suffixes():
    assert {".pdf", ".docx"} <= set(SUPPORTED_SUFFIXES)


def test_pdf_text_round_trips_line_by_line(fixtures, sample_text):
    src = read_source(fixtures["pdf"])
    assert (src.encoding, src.media_type, src.title) == ("pdf", PDF_MEDIA_TYPE, TITLE)
    expected = [line.strip() for line in sample_text.split("\n") if line.strip()]
    got = [line.strip() for line in src.text.split("\n") if line.strip()]
    assert [g.replace(" ", "") for g in got] == [e.replace(" ", "") for e in expected]
    assert TITLE in got


def test_docx_text_round_trips_exactly(fixtures, sample_text):
    src = read_source(fixtures["docx"])
    assert (src.encoding, src.media_type, src.title) == ("docx", DOCX_MEDIA_TYPE, TITLE)
    assert src.text == sample_text.strip("\n")


def test_the_graph_from_a_pdf_equals_the_graph_from_its_text(fixtures, from_text):
    from_pdf = comparable(read_source(fixtures["pdf"]))
    assert from_pdf["subject_region"] == from_text["subject_region"]
    assert from_pdf == from_text


def test_the_graph_from_a_docx_equals_the_graph_from_its_text(fixtures, from_text):
    from_docx = comparable(read_source(fixtures["docx"]))
    assert from_docx["subject_region"] == from_text["subject_region"]
    assert from_docx == from_text


def test_spaces_and_line_end_hyphens_between_cjk_characters_are_removed(tmp_path):
    path = write_pdf(tmp_path / "gaps.pdf", ["淄 博 市 新 材 料 产 业", "智能装-", "备产业 Smart City 2018 年"])
    assert read_source(path).text == "淄博市新材料产业\n智能装备产业 Smart City 2018 年"


def test_kangxi_radicals_are_read_as_ideographs(tmp_path):
    path = write_pdf(tmp_path / "radicals.pdf", ["⾦融⽣态"])  # U+2FA6 U+2F63: how some fonts map 金 生
    assert read_source(path).text == "金融生态"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_an_encrypted_pdf_with_an_empty_user_password_is_read(tmp_path, fixtures, algorithm):
    writer = pypdf.PdfWriter(clone_from=str(fixtures["pdf"]))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    path = tmp_path / "protected.pdf"
    writer.write(str(path))
    assert TITLE in read_source(path).text.split("\n")


def test_docx_tables_become_rows_in_document_order(tmp_path):
    d = docx.Document()
    d.add_paragraph("某区工作方案")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["索引号", "113302/2018-1", "0"], ["发布机构", "区办公室", "0"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(1, 2))
    d.add_paragraph("正文。")
    path = tmp_path / "table.docx"
    d.save(str(path))
    src = read_source(path)
    assert src.text == "某区工作方案\n索引号 | 113302/2018-1 | 0\n发布机构 | 区办公室 0\n正文。"
    assert src.title is None  # python-docx's template has no title


def test_a_docx_saved_as_doc_is_read(tmp_path, fixtures):
    path = tmp_path / "plan.doc"
    path.write_bytes(fixtures["docx"].read_bytes())
    assert read_source(path).text == read_source(fixtures["docx"]).text


# ---------------------------------------------------------------------------
# bad files


def scanned_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)  # a drawing, no text
    c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path, source: Path) -> Path:
    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    writer.write(str(path))
    return path


def truncated_pdf(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def legacy_doc(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))  # Compound File header
    return path


def broken_docx(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + b"this is no zip archive" * 20)
    return path


@pytest.fixture()
def bad_files(tmp_path, fixtures) -> dict[str, Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    return {
        "scan": scanned_pdf(folder / "a_scan.pdf"),
        "encrypted": encrypted_pdf(folder / "b_encrypted.pdf", fixtures["pdf"]),
        "truncated": truncated_pdf(folder / "c_truncated.pdf", fixtures["pdf"]),
        "doc": legacy_doc(folder / "d_legacy.doc"),
        "docx": broken_docx(folder / "e_broken.docx"),
    }


EXPECTED_REASONS = {
    "scan": "PDF has no text layer (a scan or images only): needs OCR",
    "encrypted": "encrypted PDF: a password is needed to read it",
    "truncated": "broken PDF file (truncated: no %%EOF marker at the end)",
    "doc": "legacy Word .doc format is not supported: save it as .docx or PDF",
    "docx": "broken Word file (File is not a zip file)",
}


@pytest.mark.parametrize("kind", list(EXPECTED_REASONS))
def test_a_bad_file_is_rejected_with_a_one_line_reason(bad_files, kind):
    assert rejection(bad_files[kind]) == EXPECTED_REASONS[kind]


def test_a_pdf_that_is_not_a_pdf_is_rejected(tmp_path):
    path = tmp_path / "page.pdf"
    path.write_text("<html><body>规划</body></html>", encoding="utf-8")
    assert rejection(path) == "not a PDF file (no %PDF header)"


def test_garbage_after_the_pdf_header_is_rejected_as_broken(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    assert rejection(path).startswith("broken PDF file (")


def test_an_empty_docx_is_rejected_as_empty(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    assert rejection(path) == "empty document (Word file has no text)"


def test_read_pdf_needs_no_file():
    with pytest.raises(RejectedInput, match="no %PDF header"):
        read_pdf(b"hello")
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c.setFont(FONT, 12)
    c.drawString(72, 720, "宁波市发展规划")
    c.save()
    assert read_pdf(buf.getvalue()) == ("宁波市发展规划", None)  # reportlab's "untitled" is no title


def test_ingest_reports_each_bad_file_and_adds_the_good_one(store_copy, bad_files, fixtures, tmp_path):
    folder = bad_files["scan"].parent
    good = folder / "f_good.docx"
    write_docx(good, (fixtures["txt"].read_text(encoding="utf-8") + "\n附件略。").split("\n"))
    lines = list(ingest_paths([folder], store_copy))
    got = {line.path.name: (line.status, line.reason) for line in lines}
    assert got == {
        **{path.name: ("rejected", EXPECTED_REASONS[kind]) for kind, path in bad_files.items()},
        "f_good.docx": ("added", ""),
    }
    [added] = [line for line in lines if line.status == "added"]
    assert added.subject == "淄博市" and added.facts > 0
    q = 'ASK { ?d rkg:fileName "f_good.docx" ; <http://purl.org/dc/terms/format> ?f }'
    assert store_copy.query(q).askAnswer
