"""Tests of ingest.read (files to text) and ingest.clean (body vs web boilerplate)."""

import hashlib
import pickle
import random
import re
from pathlib import Path

import pytest

from ingest.clean import CleanText, clean
from ingest.read import (
    SUPPORTED_SUFFIXES,
    RejectedInput,
    SourceText,
    iter_input_files,
    read_source,
)

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"
SAMPLE_NAMES = sorted(p.name for p in SAMPLES_DIR.glob("*.txt"))
CJK = re.compile("[\u4e00-\u9fff]")


def sample(prefix: str) -> str:
    (path,) = SAMPLES_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def rejection(path, **kwargs) -> str:
    with pytest.raises(RejectedInput) as info:
        read_source(path, **kwargs)
    assert info.value.path == Path(path)
    return str(info.value)


def test_there_are_five_samples():
    assert len(SAMPLE_NAMES) == 5


# ---------------------------------------------------------------------------
# read: rejections


def test_empty_file_is_rejected_as_empty(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert rejection(empty) == "empty file"


def test_whitespace_only_file_is_rejected_as_empty(tmp_path):
    blank = tmp_path / "blank.txt"
    blank.write_bytes(" \n\t\r\n\u3000\n".encode("utf-8"))
    assert rejection(blank) == "empty file"


def test_png_renamed_to_txt_is_rejected_as_binary(tmp_path):
    png = tmp_path / "scan.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(4000))
    assert rejection(png).startswith("binary file")


def test_random_bytes_without_nul_are_rejected_not_decoded(tmp_path):
    rng = random.Random(1)
    for i in range(50):
        junk = tmp_path / f"junk{i}.txt"
        junk.write_bytes(bytes(b | 0x80 for b in rng.randbytes(200 + 10 * i)))  # no NUL/controls
        reason = rejection(junk)
        assert reason.startswith(("cannot decode", "binary file")), reason


def test_latin1_accented_text_is_rejected_with_clear_reason(tmp_path):
    data = "Ésta élite época Ñandúes cafés".encode("latin-1")
    # Each accented byte is followed by a letter, so strict GB18030 decoding
    # *succeeds* (into rare characters): only the plausibility check stops it.
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    garbled = data.decode("gb18030")
    assert CJK.search(garbled)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(data)
    assert rejection(latin) == "cannot decode: not UTF-8, UTF-16 or GB18030"


def test_traditional_chinese_in_gbk_is_accepted_on_a_second_opinion(tmp_path):
    # Traditional characters are outside GB2312, so the share test is only
    # borderline; charset-normalizer then confirms GB18030.
    text = "國務院關於開發區發展規劃的實施意見。為深入貫徹落實黨的十九大精神，加快推進經濟高質量發展。"
    f = tmp_path / "traditional.txt"
    f.write_bytes(text.encode("gbk"))
    src = read_source(f)
    assert (src.encoding, src.text) == ("gb18030", text)


def test_unsupported_type_named_explicitly_is_rejected(tmp_path):
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(b"{\\rtf1 }")
    assert rejection(rtf) == "unsupported file type '.rtf' (supported: .txt, .html, .htm, .pdf, .docx)"
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".pdf", ".docx")


def test_missing_file_and_directory_are_rejected(tmp_path):
    assert rejection(tmp_path / "nope.txt") == "no such file"
    assert rejection(tmp_path) == "is a directory"


def test_rejection_carries_path_and_reason_and_pickles(tmp_path):
    e = RejectedInput(tmp_path / "a.txt", "empty file")
    assert (e.path, e.reason, str(e)) == (tmp_path / "a.txt", "empty file", "empty file")
    again = pickle.loads(pickle.dumps(e))
    assert (again.path, str(again)) == (e.path, "empty file")


def test_five_megabyte_file_reads_and_a_one_megabyte_limit_rejects_it(tmp_path):
    text = sample("001")
    repeats = 5 * 1024 * 1024 // len(text.encode("utf-8")) + 1
    big = tmp_path / "big.txt"
    big.write_text(text * repeats, encoding="utf-8")
    assert big.stat().st_size > 5 * 1024 * 1024
    src = read_source(big)
    assert src.text == text * repeats
    reason = rejection(big, max_bytes=1024 * 1024)
    assert reason.startswith("file too large (") and "> limit 1.0 MB" in reason


def test_bad_max_bytes_is_a_value_error_naming_it(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("规划", encoding="utf-8")
    with pytest.raises(ValueError, match="-5"):
        read_source(f, max_bytes=-5)


# ---------------------------------------------------------------------------
# read: decoding


def test_utf8_sample_reads_with_hash_and_no_title(tmp_path):
    raw = (SAMPLES_DIR / SAMPLE_NAMES[0]).read_bytes()
    src = read_source(SAMPLES_DIR / SAMPLE_NAMES[0])
    assert src.encoding == "utf-8" and src.media_type == "text/plain"
    assert src.sha256 == hashlib.sha256(raw).hexdigest()
    assert src.title is None
    assert src.text == raw.decode("utf-8")


def test_gbk_copy_of_a_sample_decodes_to_the_same_text(tmp_path):
    for prefix in ("001", "002", "003"):  # 000 and 004 hold U+00A0, which GBK lacks
        original = sample(prefix)
        gbk = tmp_path / f"{prefix}_gbk.txt"
        gbk.write_bytes(original.encode("gbk"))
        src = read_source(gbk)
        assert src.encoding == "gb18030"
        assert src.text == original


def test_gb18030_copy_with_nbsp_decodes_to_the_same_text(tmp_path):
    original = sample("000")
    f = tmp_path / "000_gb18030.txt"
    f.write_bytes(original.encode("gb18030"))
    assert read_source(f).text == original


@pytest.mark.parametrize(
    "bom, codec, expected",
    [
        (b"\xff\xfe", "utf-16-le", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be", "utf-16-be"),
        (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    ],
)
def test_files_with_a_byte_order_mark_decode_to_the_original(tmp_path, bom, codec, expected):
    original = sample("004")
    f = tmp_path / f"with_bom_{expected}.txt"
    f.write_bytes(bom + original.encode(codec))
    src = read_source(f)
    assert src.encoding == expected
    assert src.text == original


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_from_its_nul_pattern(tmp_path, codec):
    for name in SAMPLE_NAMES:
        original = (SAMPLES_DIR / name).read_text(encoding="utf-8")
        f = tmp_path / f"{codec}_{name}"
        f.write_bytes(original.encode(codec))
        src = read_source(f)
        assert (src.encoding, src.text) == (codec, original)


def test_crlf_line_ends_are_normalised(tmp_path):
    f = tmp_path / "crlf.txt"
    f.write_bytes("第一行\r\n第二行\r\n".encode("utf-8"))
    assert read_source(f).text == "第一行\n第二行\n"


def test_file_without_chinese_is_not_rejected_here(tmp_path):
    f = tmp_path / "english.txt"
    f.write_text("Annual work plan of the district.\n", encoding="utf-8")
    assert read_source(f).text == "Annual work plan of the district.\n"


def test_file_name_with_spaces_and_chinese_reads_fine(tmp_path):
    folder = tmp_path / "规划 文件"
    folder.mkdir()
    f = folder / "淄博市 工作方案 (2018).txt"
    f.write_text(sample("004"), encoding="utf-8")
    src = read_source(str(f))
    assert src.path == f and src.text == sample("004")
    assert list(iter_input_files([folder])) == [(f, None)]


# ---------------------------------------------------------------------------
# read: HTML

PAGE = """<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>淄博市工作方案 - 山东省人民政府</title>
  <style>p { color: red; } .secret { display: none }</style>
  <script>alert(1)</script>
  <script type="text/javascript">var x = "<p>不是正文</p>";</script>
</head>
<body>
  <!-- 注释不是正文 -->
  <noscript>请启用JavaScript</noscript>
  <template><p>模板不是正文</p></template>
  <h1>关于建立淄博市协调推进体系的工作方案</h1>
  <div class="content">
    <p>一、总体要求</p>
    <p>以新旧动能转换重大工程为统领,
       加快构建现代产业体系。</p>
    <p>新材料&amp;智能装备&nbsp;产业&lt;四强&gt;</p>
    <ul><li>第一项</li><li>第二项</li></ul>
    一行<br>另一行
  </div>
  <script>document.write("tracking")</script>
</body>
</html>
"""


def test_html_page_gives_text_without_script_or_style(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(PAGE, encoding="utf-8")
    src = read_source(f)
    assert src.media_type == "text/html"
    assert src.title == "淄博市工作方案 - 山东省人民政府"
    for absent in ("alert", "color", "display", "var x", "不是正文", "tracking", "JavaScript",
                   "<p", "<script", "&amp;", "charset", "注释"):
        assert absent not in src.text, absent
    lines = src.text.split("\n")
    for line in ("关于建立淄博市协调推进体系的工作方案", "一、总体要求",
                 "以新旧动能转换重大工程为统领,加快构建现代产业体系。",
                 "新材料&智能装备\xa0产业<四强>", "第一项", "第二项", "一行", "另一行"):
        assert line in lines, line
    assert "\n\n\n" not in src.text


def test_txt_file_holding_an_html_document_is_read_as_html(tmp_path):
    f = tmp_path / "saved_page.txt"
    f.write_text(PAGE, encoding="utf-8")
    src = read_source(f)
    assert src.media_type == "text/html"
    assert "alert" not in src.text and "一、总体要求" in src.text


def test_plain_text_mentioning_a_tag_stays_plain(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("网页用<p>标签分段,这不是网页。\n", encoding="utf-8")
    src = read_source(f)
    assert src.media_type == "text/plain" and "<p>" in src.text


def test_html_meta_charset_gb2312_is_respected(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            "<title>规划</title></head><body><p>发展规划正文。</p></body></html>")
    f = tmp_path / "gb.htm"
    f.write_bytes(page.encode("gbk"))
    src = read_source(f)
    assert src.encoding == "gb18030"
    assert src.text.split("\n")[-1] == "发展规划正文。"


def test_html_title_falls_back_to_h1_and_tables_become_rows(tmp_path):
    page = ("<html><body><h1>某区工作报告</h1><table><tr><td>发布机构:</td><td>区办公室</td></tr>"
            "<tr><td>成文日期:</td><td>2018-05-25</td></tr></table><p>正文。</p></body></html>")
    f = tmp_path / "t.html"
    f.write_text(page, encoding="utf-8")
    src = read_source(f)
    assert src.title == "某区工作报告"
    assert "发布机构: | 区办公室\n成文日期: | 2018-05-25" in src.text
    cleaned = clean(src.text)
    assert cleaned.metadata["发布机构"] == "区办公室"
    assert cleaned.body_text() == "某区工作报告\n正文。"


def test_html_without_visible_text_is_rejected(tmp_path):
    f = tmp_path / "blank.html"
    f.write_text("<html><head><script>x()</script></head><body> </body></html>", encoding="utf-8")
    assert rejection(f).startswith("empty")


# ---------------------------------------------------------------------------
# iter_input_files


def test_missing_path_is_reported_not_raised():
    missing = Path("/no/such/folder/plan.txt")
    [(path, problem)] = list(iter_input_files([missing]))
    assert path == missing and str(problem) == "no such file"


def test_folder_is_expanded_sorted_with_skipped_and_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.htm").write_text("<p>规划</p>", encoding="utf-8")
    (tmp_path / "a.txt").write_text("规划", encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".git" / "config.txt").write_text("x", encoding="utf-8")
    got = [(p.relative_to(tmp_path).as_posix(), str(r) if r else None)
           for p, r in iter_input_files(tmp_path)]
    assert got == [
        ("README.md", "skipped: unsupported file type '.md'"),
        ("a.txt", None),
        ("b/2.htm", None),
    ]
    assert got == [(p.relative_to(tmp_path).as_posix(), str(r) if r else None)
                   for p, r in iter_input_files([str(tmp_path)])]  # deterministic


def test_explicit_files_keep_their_order_and_unsupported_ones_are_rejected(tmp_path):
    (tmp_path / "z.txt").write_text("规划", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    got = list(iter_input_files([tmp_path / "z.txt", tmp_path / "notes.md", tmp_path / "z.txt"]))
    assert [(p.name, str(r) if r else None) for p, r in got] == [
        ("z.txt", None),
        ("notes.md", "unsupported file type '.md' (supported: .txt, .html, .htm, .pdf, .docx)"),
    ]


def test_iter_input_files_rejects_non_paths():
    with pytest.raises(TypeError, match="42"):
        list(iter_input_files([42]))


# ---------------------------------------------------------------------------
# clean: the five samples


@pytest.fixture(scope="module")
def cleaned():
    return {name[:3]: (SAMPLES_DIR / name).read_text(encoding="utf-8") for name in SAMPLE_NAMES}


def check_invariants(c: CleanText):
    text = c.text
    owner = [None] * len(text)
    for start, end in c.body:
        assert 0 <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        for i in range(start, end):
            assert owner[i] is None
            owner[i] = "body"
    for start, end, reason in c.dropped:
        assert 0 <= start < end <= len(text) and reason
        for i in range(start, end):
            assert owner[i] is None
            owner[i] = reason
    assert list(c.body) == sorted(c.body)
    assert list(c.dropped) == sorted(c.dropped)
    uncovered = [ch for ch, o in zip(text, owner) if o is None and not ch.isspace()]
    assert uncovered == []
    return owner


def sentences(text):
    for m in re.finditer(r"[^。！？；\n]+[。！？；]?", text):
        if len(CJK.findall(m.group())) >= 6:
            yield m


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_clean_keeps_every_body_sentence_of_the_samples(cleaned, prefix):
    text = cleaned[prefix]
    c = clean(text)
    assert c.text == text
    owner = check_invariants(c)
    # every sentence of real body text is kept whole ...
    lost = [m.group() for m in sentences(text)
            if any(owner[i] != "body" for i in range(m.start(), m.end()) if CJK.match(text[i]))]
    dropped_text = [seg for _, seg, _ in c.iter_dropped()]
    assert all("。" not in seg for seg in dropped_text), dropped_text
    # ... except boilerplate lines, which are short and listed here per sample
    boilerplate = {
        "000": [],
        "001": ["主题分类: | 政府工作 |", "发布机构: | 区办公室 |", "组配分类: | 政府工作报告 |",
                "公开范围: | 面向全社会 |", "主题分类: | 政府工作 |", "文号: | 发布机构: | 区办公室 | |",
                "公开方式: | 主动公开 |", "公开方式 | 主动公开 |", "组配分类: | 政府工作报告 | 公开范围: | 面向全社会 |",
                "成文日期: | 2018-05-25 | 公开方式: | 主动公开 |"],
        "002": ["查看隐藏内容(*)需先登录"],
        "003": ["更新时间:2022-10 来源:网友投稿", "---此处隐藏1099字,下载后查看---"],
        "004": ["山东省人民政府 版权所有", "承建单位:山东省互联网传媒集团大众网", "热点推荐",
                "山东省国际投资促进中心:+86-531-89013562", "山东省互联网传媒集团:+86-531-85193668",
                "山东省国际投资促进中心", "山东省互联网传媒集团", "版权所有 © 2022 山东省人民政府 保留一切权利"],
    }[prefix]
    for sentence in lost:
        assert any(sentence.strip() in b or b in sentence for b in boilerplate), sentence
    total = len(CJK.findall(text))
    kept = sum(len(CJK.findall(seg)) for _, seg in c.iter_body())
    assert kept / total > 0.95, (kept, total)


def test_clean_drops_nothing_from_a_clean_document(cleaned):
    c = clean(cleaned["000"])
    assert c.dropped == () and c.metadata == {}
    assert c.body_text().startswith("中共宁波市委国际海洋生态科技城工作委员会")
    assert c.body_text().endswith("2018年5月7日")


def test_clean_drops_the_metadata_table_of_001_and_keeps_title_and_body(cleaned):
    text = cleaned["001"]
    c = clean(text)
    reasons = {reason for _, _, reason in c.dropped}
    assert reasons == {"metadata table", "table separator"}
    [(start, end, _)] = [d for d in c.dropped if d[2] == "metadata table"]
    assert text[start:end].startswith("索引号 | 11330208591592676Q/2018-17387 |")
    assert text[start:end].endswith("组配分类: | 政府工作报告 | 公开范围: | 面向全社会 |")
    assert c.metadata == {
        "索引号": "11330208591592676Q/2018-17387",
        "主题分类": "政府工作",
        "发布机构": "区办公室",
        "公开方式": "主动公开",
        "成文日期": "2018-05-25",
        "组配分类": "政府工作报告",
        "公开范围": "面向全社会",
        "标题": "宁波国家高新区(新材料科技城)2017年工作总结和2018年工作安排报告",
    }
    body = c.body_text()
    assert body.startswith("宁波国家高新区(新材料科技城)2017年工作总结和2018年工作安排报告\n一、2017年工作总结")
    assert body.endswith("全面提升工作效率和水平。")
    assert "|" not in body and "索引号" not in body


def test_clean_drops_the_login_prompt_of_002(cleaned):
    c = clean(cleaned["002"])
    assert [(seg, r) for _, seg, r in c.iter_dropped()] == [("查看隐藏内容(*)需先登录", "login prompt")]
    assert c.body_text().startswith("浙江杭州2020年滨海新区工作思路\n***.******.***年是高水平")
    assert c.body_text().endswith("***.******.***")  # masked figures are data, not boilerplate


def test_clean_drops_page_metadata_and_hidden_notice_of_003(cleaned):
    c = clean(cleaned["003"])
    assert [(seg, r) for _, seg, r in c.iter_dropped()] == [
        ("更新时间:2022-10 来源:网友投稿", "page metadata"),
        ("---此处隐藏1099字,下载后查看---", "hidden-content notice"),
    ]
    assert c.metadata == {"更新时间": "2022-10", "来源": "网友投稿"}
    assert len(c.body) == 7


def test_clean_drops_the_site_footer_of_004(cleaned):
    text = cleaned["004"]
    c = clean(text)
    drops = list(c.iter_dropped())
    assert [r for _, _, r in drops] == ["page metadata", "site footer"]
    start, footer, _ = drops[1]
    assert footer.startswith("分享\n\n热点推荐\n\nCopyright ©")
    for piece in ("版权所有", "ICP备", "承建单位", "+86-531-89013562", "selectshandong@shandong.cn"):
        assert piece in footer
    assert start + len(footer) == len(text.rstrip())
    assert c.metadata == {"来源": "2020-06-10 15:46"}
    assert c.body_text().endswith("为助推全市新旧动能转换重大工程营造良好的舆论氛围。")


# ---------------------------------------------------------------------------
# clean: general rules


def test_one_long_line_with_metadata_cells_and_body_keeps_the_body():
    body = "一、总体要求。" + "加快建设现代产业体系,推动高质量发展。" * 300
    line = ("索引号: | 11330208/2018-1 | 发布机构: | 区办公室 | 文号: | | 成文日期: | 2018-05-25 | "
            f"某区2018年工作安排报告 | {body} |")
    c = clean(line)
    check_invariants(c)
    assert c.body_text() == f"某区2018年工作安排报告\n{body}"
    assert c.metadata == {"索引号": "11330208/2018-1", "发布机构": "区办公室",
                          "成文日期": "2018-05-25", "标题": "某区2018年工作安排报告"}
    assert [r for _, _, r in c.dropped] == ["metadata table", "table separator", "table separator"]


def test_key_value_cells_in_one_cell_and_padded_keys():
    c = clean("文　　号：甬政发〔2018〕6号 | 发布机构：市政府办公厅 |\n规划正文。")
    assert c.metadata == {"文号": "甬政发〔2018〕6号", "发布机构": "市政府办公厅"}
    assert c.body_text() == "规划正文。"


def test_a_body_table_without_metadata_keys_is_body():
    c = clean("| 指标 | 2017年 | 2020年 |\n| 地区生产总值 | 180亿元 | 260亿元 |")
    assert c.body_text() == "指标\n2017年\n2020年\n地区生产总值\n180亿元\n260亿元"
    assert {r for _, _, r in c.dropped} == {"table separator"}
    assert c.metadata == {}


def test_footer_words_in_the_body_are_not_a_footer():
    text = ("某市会展工作方案\n一、活动安排\n" + "加快会展业发展,提升城市影响力。\n" * 20 +
            "主办单位:某市人民政府\n承办单位:某市商务局")
    c = clean(text)
    assert c.dropped == ()  # an event plan may end with 主办单位: no web-only marker follows


def test_copyright_in_the_middle_is_only_a_line_and_prose_after_it_is_kept():
    text = ("版权所有 © 某市人民政府 网站标识码3702000001\n" +
            "全市要加快推进新旧动能转换重大工程,推动产业转型升级,提高发展质量和效益。\n" * 5)
    c = clean(text)
    assert [(r, seg) for _, seg, r in c.iter_dropped()] == [
        ("copyright line", "版权所有 © 某市人民政府 网站标识码3702000001")]
    assert len(c.body) == 5


def test_navigation_and_portal_lines_are_dropped():
    text = ("当前位置:首页 > 政务公开 > 规划计划\n"
            "发布时间:2021-03-01 09:00 来源:市发展改革委 浏览次数:123 【字体:大 中 小】【打印】\n"
            "某市“十四五”规划纲要\n"
            "规划正文第一段。\n"
            "【打印本页】【关闭窗口】\n"
            "上一篇:关于某某的通知\n"
            "登录后查看全文\n")
    c = clean(text)
    assert [r for _, _, r in c.dropped] == ["navigation", "page metadata", "navigation",
                                             "login prompt"]
    assert c.body_text() == "某市“十四五”规划纲要\n规划正文第一段。"
    assert c.metadata == {"发布时间": "2021-03-01 09:00", "来源": "市发展改革委", "浏览次数": "123"}


def test_body_lines_that_mention_login_or_sources_are_kept():
    text = ("请登录浙江政务服务网办理相关事项\n"
            "资金来源:市财政专项资金和社会资本。\n"
            "(三)推行统一身份认证,群众需先登录\n")
    c = clean(text)
    assert c.dropped == ()


def test_inline_hidden_notice_is_cut_out_of_a_body_line():
    text = "第一部分正文。---此处隐藏1099字,下载后查看---第二部分正文。"
    c = clean(text)
    assert c.body_text() == "第一部分正文。\n第二部分正文。"
    assert [r for _, _, r in c.dropped] == ["hidden-content notice"]


def test_clean_rejects_non_text():
    with pytest.raises(TypeError, match="bytes"):
        clean(b"\xe8\xa7\x84\xe5\x88\x92")


def test_read_then_clean_a_portal_page(tmp_path):
    page = ("<html><head><title>某区2018年工作安排</title></head><body>"
            "<div>首页 &gt; 政务公开</div>"
            "<table><tr><td>索引号</td><td>113302/2018-1</td><td>发布机构</td><td>区办公室</td></tr></table>"
            "<h1>某区2018年工作安排</h1>"
            + "<p>坚持新发展理念,推动高质量发展,加快建设现代化经济体系。</p>" * 10 +
            "<div class=footer><p>主办单位:某区人民政府办公室</p><p>网站标识码:3302000001 浙ICP备0001号</p>"
            "</div></body></html>")
    f = tmp_path / "portal page.html"
    f.write_text(page, encoding="utf-8")
    src = read_source(f)
    c = clean(src.text)
    check_invariants(c)
    assert c.metadata == {"索引号": "113302/2018-1", "发布机构": "区办公室", "标题": "某区2018年工作安排"}
    assert [r for _, _, r in c.dropped] == ["navigation", "metadata table", "site footer"]
    assert "主办单位" not in c.body_text() and c.body_text().count("坚持新发展理念") == 10


def test_source_text_from_text_for_in_memory_documents():
    s = SourceText.from_text("规划", name="a.txt")
    assert (s.path, s.text, s.encoding, s.media_type, s.title) == (Path("a.txt"), "规划", "utf-8",
                                                                  "text/plain", None)
