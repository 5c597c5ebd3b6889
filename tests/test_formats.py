"""PDF, Word and web-page inputs: the same graph as from the text, and bad files rejected with a reason.

The fixtures are written at test time from a sample text: the .docx with python-docx, the PDF
with reportlab in the STSong-Light CID font (Adobe-GB1, no font file embedded), the web pages
as a government portal's article page around the text (navigation, breadcrumb, article header,
share buttons, related links, footer) in four kinds: one <p> a line; a TRS editor's nested <div>s
with <br> line ends; a GB2312 page; an older portal laid out in nested tables.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import docx
import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.batch import ingest_paths
from ingest.extract import GOLD_KEYS, extract
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


#: Sample documents served as portal pages: file name -> (the article's title, the site's name).
#: 000 is long (128 lines); 001 is an information-disclosure page, its metadata a table; 002's
#: site names another city than its subject (绍兴滨海新区).
WEB_SAMPLES = {
    SAMPLE: ("《关于建立淄博市新旧动能转换重大工程协调推进体系的工作方案》", "淄博市人民政府"),
    "000_35aee153b5e1f174.txt": (
        "中共宁波市委国际海洋生态科技城工作委员会 宁波国际海洋生态科技城管理委员会"
        "关于开展“六争攻坚、三年攀高”行动的实施意见", "宁波市人民政府"),
    "001_585d3f6695bf431d.txt": (
        "宁波国家高新区(新材料科技城)2017年工作总结和2018年工作安排报告", "宁波国家高新区管委会"),
    "002_2f001e7e59a5abec.txt": ("浙江杭州2020年滨海新区工作思路", "杭州市人民政府"),
    "003_6df439c02bdb466d.txt": ("01-以“五个新突破”为抓手建设现代化开放创新之区", "X区人民政府"),
}
PAGE_KINDS = ("p", "trs", "gb2312", "table")
NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进我市", "专题专栏", "数据开放")
#: What the portal adds around the article; none of it may reach the text.
BOILERPLATE = ("首页", "当前位置", "政务公开", "规划计划", "发布时间", "浏览次数", "字号", "分享到",
               "微信", "打印本页", "关闭窗口", "相关链接", "营商环境优化提升行动方案", "网站地图",
               "主办单位", "网站标识码", "ICP备", "公网安备", "联系我们", "统计代码", "无障碍浏览")


def _cells(line: str) -> str:
    return "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split("|") if c.strip())


def _paragraph(i: int, line: str, kind: str) -> str:
    """One line of the text as the portal's editor writes it: plain, bold lead sentence, styled span."""
    text = html.escape(line.strip(), quote=False)
    if kind == "trs":
        if i % 3 == 1:
            return f'<div style="text-indent:2em;"><span style="font-size:16px">{text}</span></div>'
        return f"{text}<br/>"
    if i % 7 == 3 and "。" in text[:-1]:
        lead, rest = text.split("。", 1)
        return f'<p style="text-indent:2em;"><strong>{lead}。</strong>{rest}</p>'
    if i % 5 == 2:
        return (f'<p style="text-indent:2em;"><span style="font-family:仿宋_GB2312;'
                f'font-size:16pt">{text}</span></p>')
    return f'<p style="text-indent:2em;">{text}</p>'


def _article(lines: list[str], kind: str) -> str:
    """The lines: runs of table rows (lines with two "|" or more) as tables, the others paragraphs."""
    out, rows = [], []
    for i, line in enumerate([*lines, ""]):
        if line.count("|") >= 2:
            rows.append(f"<tr>{_cells(line)}</tr>")
            continue
        if rows:
            out.append('<table class="xxgk" border="1" cellspacing="0"><tbody>' + "".join(rows)
                       + "</tbody></table>")
            rows = []
        if line.strip():
            out.append(_paragraph(i, line, kind))
    body = "\n".join(out)
    if kind == "trs":
        return ('<div class="view TRS_UEDITOR trs_paper_default trs_word"><div class="TRS_Editor">'
                f"<div>\n{body}\n</div></div></div>")
    return body


RELATED = ("关于印发全市营商环境优化提升行动方案的通知", "市政府常务会议研究部署重点工作",
           "2023年全市经济运行情况新闻发布会")


def write_html(path: Path, lines: list[str], *, title: str, site: str, kind: str = "p") -> Path:
    """A portal's article page holding `lines` (a leading line equal to `title` is the heading).

    kind: ``"p"`` a <div> layout, one <p> a line, ``<meta name="ArticleTitle">`` in the head
    (as the CMSs of most portals write it); ``"trs"`` the same with a TRS editor's nested <div>s
    and <br> line ends, no ArticleTitle; ``"gb2312"`` kind ``"p"`` in GB2312; ``"table"`` an
    older portal laid out in nested tables, the title in bold (no <h1>, no ArticleTitle).
    """
    if lines and lines[0].strip() == title:
        lines = lines[1:]
    charset = "gb2312" if kind == "gb2312" else "utf-8"
    t = html.escape(title)
    crumbs = ('当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
              '<a href="/zwgk/ghjh/">规划计划</a>')
    info = (f'<span>发布时间：2024-02-01 09:30</span> <span>来源：{site}办公室</span> <span>浏览次数：'
            '<em id="hits">1024</em></span> <span class="font">字号：<a href="javascript:doZoom(18)">大</a> '
            '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></span>')
    article = _article(lines, "trs" if kind == "trs" else "p")
    share = ('分享到：<a class="wx" href="#">微信</a> <a class="wb" href="#">微博</a> <a class="qq" href="#">'
             'QQ空间</a> <a href="javascript:window.print()">【打印本页】</a> '
             '<a href="javascript:window.close()">【关闭窗口】</a>')
    footer = [f'<a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/yssm/">隐私声明</a>',
              f"主办单位：{site}办公室 承办：{site}大数据中心",
              "网站标识码：3703000001 鲁ICP备05006245号-1 鲁公网安备 37030302000123号",
              "联系我们：0533-1234567 地址：人民西路188号"]
    if kind == "table":
        nav = "".join(f'<td><a href="/col/col{i}/">{name}</a></td>' for i, name in enumerate(NAV))
        side = "".join(f'<tr><td><a href="/art/{i}.html">{text}</a></td></tr>'
                       for i, text in enumerate(RELATED * 3))
        body = f"""<table width="1000" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="/images/banner.jpg" alt="{site}"></td></tr></table>
<table width="1000" align="center"><tr>{nav}</tr></table>
<table width="1000" align="center"><tr>
<td width="240" valign="top"><table width="100%"><tr><td class="lm">相关链接</td></tr>{side}</table></td>
<td valign="top"><table width="100%">
<tr><td class="crumbs">{crumbs}</td></tr>
<tr><td align="center" class="bt"><strong>{t}</strong></td></tr>
<tr><td align="center" class="info">{info}</td></tr>
<tr><td class="bt_content" id="zoom">
{article}
</td></tr>
<tr><td align="right">{share}</td></tr>
</table></td></tr></table>
<table width="1000" align="center" class="foot"><tr><td align="center">{"<br>".join(footer)}
<script>var _maq = [];</script></td></tr></table>"""
    else:
        nav = "".join(f'<li><a href="/col/col{i}/">{name}</a></li>' for i, name in enumerate(NAV))
        related = "".join(f'<li><a href="/art/{i}.html">{text}</a><span>2024-01-{20 - i}</span></li>'
                          for i, text in enumerate(RELATED))
        body = f"""<div class="top-bar"><div class="w1200">
<span>今天是：<script>document.write(new Date().toLocaleDateString())</script></span>
<a href="/wza/">无障碍浏览</a> <a href="/zzms/">长者模式</a> <a href="/m/">手机版</a></div></div>
<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{site}"></a></div>
<div class="search"><form action="/search"><input type="text" name="q" placeholder="请输入关键字">
<button>搜索</button></form></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main w1200">
<div class="crumbs">{crumbs}</div>
<div class="xl-main">
<div class="xl-title"><h1>{t}</h1><div class="info">{info}</div></div>
<div class="pages_content" id="UCAP-CONTENT">
{article}
</div>
<div class="share">{share}</div>
<div class="related"><h3>相关链接</h3><ul>{related}</ul></div>
</div>
</div>
<div class="footer"><div class="w1200">
{"".join(f"<p>{line}</p>" for line in footer)}
<script>var _maq = []; (function () {{ var ma = document.createElement("script"); }})();</script>
</div></div>"""
    article_title = "" if kind in ("trs", "table") else f'<meta name="ArticleTitle" content="{t}">'
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{site}">
<meta name="ColumnName" content="规划计划">
{article_title}
<meta name="keywords" content="{site},政务公开,规划计划">
<title>{t if kind == "table" else f"{t}_{site}"}</title>
<link rel="stylesheet" href="/css/common.css">
<style>.nav li {{ float: left }} .footer {{ background: #0a4a8f; color: #fff }}</style>
<script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
</head>
<body>
{body}
</body>
</html>
"""
    path.write_bytes(page.encode("gbk" if kind == "gb2312" else "utf-8", errors="xmlcharrefreplace"))
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


@pytest.fixture(scope="module")
def web_pages(tmp_path_factory, samples) -> dict[tuple[str, str], Path]:
    """(sample, kind) -> the sample as a portal page of that kind."""
    folder = tmp_path_factory.mktemp("pages")
    pages = {}
    for name, (title, site) in WEB_SAMPLES.items():
        lines = (samples / name).read_text(encoding="utf-8").rstrip("\n").split("\n")
        for kind in PAGE_KINDS:
            suffix = ".htm" if kind == "gb2312" else ".html"
            pages[name, kind] = write_html(folder / f"{name[:3]}_{kind}{suffix}", lines,
                                           title=title, site=site, kind=kind)
    return pages


@pytest.fixture(scope="module")
def from_texts(samples) -> dict[str, dict]:
    return {name: comparable(read_source(samples / name)) for name in WEB_SAMPLES}


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


WEB_CASES = [(name, kind) for name in WEB_SAMPLES for kind in PAGE_KINDS]


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize(("name", "kind"), WEB_CASES)
def test_a_web_page_gives_its_article_line_by_line(web_pages, samples, name, kind):
    src = read_source(web_pages[name, kind])
    title, site = WEB_SAMPLES[name]
    page_title = title if kind == "table" else f"{title}_{site}"
    assert (src.media_type, src.title) == ("text/html", page_title)
    assert src.encoding == ("gb18030" if kind == "gb2312" else "utf-8")
    expected = _lines((samples / name).read_text(encoding="utf-8"))
    if expected[0] != title:
        expected.insert(0, title)  # the heading leads, as the title line leads the text
    # the page's tables are rows of non-empty cells, as the text's "a | b |" lines say
    expected = [re.sub(r"\s*\|\s*(?=\||$)", "", line) if line.count("|") >= 2 else line
                for line in expected]
    if kind == "table":
        # With no container to take the article from, trafilatura gathers the page's paragraphs
        # and keeps one of identical ones: 004 repeats the two lines of its own scraped footer.
        expected = list(dict.fromkeys(expected))
    assert _lines(src.text) == expected


@pytest.mark.parametrize(("name", "kind"), WEB_CASES)
def test_no_portal_boilerplate_reaches_the_text(web_pages, samples, name, kind):
    text = read_source(web_pages[name, kind]).text
    sample_text = (samples / name).read_text(encoding="utf-8")
    added = {s: text.count(s) - sample_text.count(s) for s in BOILERPLATE}
    assert {s: n for s, n in added.items() if n > 0} == {}
    for absent in ("首页", "当前位置", "网站标识码", "3703000001", "鲁ICP备05006245号", "公网安备",
                   "浏览次数", "相关链接", "document.write", "_hmt", "float: left"):
        assert absent not in text


@pytest.mark.parametrize(("name", "kind"), WEB_CASES)
def test_the_graph_from_a_web_page_equals_the_graph_from_its_text(web_pages, from_texts, name, kind):
    from_page = comparable(read_source(web_pages[name, kind]))
    from_text = from_texts[name]
    assert from_page["subject_region"] == from_text["subject_region"]
    for key in GOLD_KEYS.values():
        assert from_page[key] == from_text[key], key
    assert from_page == from_text


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
