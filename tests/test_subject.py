"""The subject region and plan year of a plan (ingest.subject), on every real document we have and
on small texts that each show one mechanism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.extract import subject_and_year
from ingest.read import SourceText, read_source
from ingest.regions import Divisions
from ingest.subject import NoSubjectRegion, find_subject, find_year

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def _real_documents():
    """(id, text path, truth) for tests/data/real (truth.json), the samples and dev2/heldout."""
    for truth_file in sorted((DATA / "real").glob("*/truth.json")):
        for entry in json.loads(truth_file.read_text(encoding="utf-8")):
            path = truth_file.parent / entry["file"]
            yield pytest.param(path, entry["subject_region"], entry["year"],
                               id=f"{truth_file.parent.name}/{entry['file']}")
    for gold_dir, text_dir in ((DATA / "gold", ROOT / "data" / "samples"),
                               (DATA / "dev2", DATA / "dev2"), (DATA / "heldout", DATA / "heldout")):
        for gold in sorted(gold_dir.glob("*.json")):
            entry = json.loads(gold.read_text(encoding="utf-8"))
            yield pytest.param(text_dir / f"{gold.stem}.txt", entry["subject_region"], entry["year"],
                               id=f"{text_dir.name}/{gold.stem}")


DOCUMENTS = list(_real_documents())


def test_every_document_is_tested():
    assert len(DOCUMENTS) == 55 + 5 + 7 + 6


@pytest.mark.parametrize("path, truth, year", DOCUMENTS)
def test_subject_region_and_year_of_real_documents(path, truth, year):
    _title, subject, found_year = subject_and_year(read_source(path))
    got = (subject.name, subject.kind, subject.province, subject.city or None)
    # The name as the project scores it (shared/tools/subject_check.py, ingest.evaluate): the name
    # or an alias, or one containing the other (宁波国家高新区 for 宁波国家高新技术产业开发区).
    names = {truth["name"], *truth.get("aliases", ())}
    assert any(subject.name == n or (min(len(subject.name), len(n)) >= 2
                                     and (subject.name in n or n in subject.name)) for n in names), \
        (got, subject.reasons)
    assert got[1:] == (truth["kind"], truth["province"], truth["city"] or None), subject.reasons
    assert found_year == year


def _untitled_documents():
    """The real documents that have a title, as a Word file's text without its title would read:
    from the first 各位代表 on (the 20 city reports of 2024 have no title already)."""
    for param in DOCUMENTS:
        path, truth, year = param.values
        if "real" not in path.parts or path.parent.name == "city2024":
            continue
        if "各位代表" in path.read_text(encoding="utf-8"):
            yield pytest.param(path, truth, year, id=param.id)


@pytest.mark.parametrize("path, truth, year", list(_untitled_documents()))
def test_a_report_without_its_title_is_read_from_its_body(path, truth, year):
    """Subject region and plan year when the title, the issuer and the meeting line are gone: whose
    全省/全市 it is and which years the body reviews and plans decide."""
    source = read_source(path)
    body = source.text[source.text.index("各位代表"):]
    _title, subject, found_year = subject_and_year(SourceText(path, body, source.encoding, source.media_type,
                                                              source.sha256, None))
    assert (subject.kind, subject.province, subject.city or None) == \
        (truth["kind"], truth["province"], truth["city"] or None), subject.reasons
    assert truth["name"] in subject.name or subject.name in truth["name"], subject.reasons
    assert found_year == year


# -- the subject region, one mechanism at a time -------------------------------------------------


def _region(subject):
    return subject.name, subject.kind, subject.province, subject.city


def test_a_report_without_title_is_decided_by_its_own_level_and_its_own_counties():
    # A city's report that names a partner city, a counterpart region and its province's capital
    # too; only its own name and its own districts and counties make it the subject.
    body = (
        "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
        "过去的一年，全市上下在省委、省政府和市委的坚强领导下，奋力推进金华高质量发展。"
        "婺城区、金东区、兰溪市、东阳市、永康市、浦江县、武义县、磐安县经济稳步增长。"
        "与杭州市、宁波市深化合作，对口支援四川省和县、新疆阿克苏市。"
        "杭州、杭州、杭州都市圈建设加快。金华市民满意度提升。金华的明天更美好。"
    )
    assert _region(find_subject("", body)) == ("金华市", "city", "浙江省", "金华市")


def test_the_congress_line_names_the_subject():
    body = ("政府工作报告\n——2013年3月8日在阜平县第十六届人民代表大会第二次会议上\n"
            "各位代表：\n现在，我代表县人民政府向大会报告工作。保定市、保定市、石家庄市、石家庄市……")
    subject = find_subject("", body)
    assert _region(subject) == ("阜平县", "county", "河北省", "保定市")
    assert any("congress" in r for r in subject.reasons)


def test_an_autonomous_prefecture_is_a_city_of_its_own():
    body = ("各位代表：\n现在，我代表州人民政府，向大会报告工作。\n全州上下……凉山各族群众……"
            "西昌市、会理市、盐源县……成都、成都、攀枝花……凉山的发展")
    assert _region(find_subject("", body)) == ("凉山彝族自治州", "city", "四川省", "凉山彝族自治州")


def test_a_league_reports_on_behalf_of_its_administrative_office():
    body = ("各位代表：\n现在，我代表盟行政公署向大会报告工作。\n全盟上下……锡林郭勒草原……"
            "锡林浩特市、二连浩特市、多伦县……呼和浩特、呼和浩特、锡林郭勒的明天")
    assert _region(find_subject("", body)) == ("锡林郭勒盟", "city", "内蒙古自治区", "锡林郭勒盟")


def test_a_county_level_city_under_its_province_has_no_city():
    # 天门 is a word too (jieba knows it); the report calls itself 市 and names 武汉 often.
    body = ("各位代表：\n现在，我代表市人民政府向大会报告工作。\n一、2023年工作回顾\n"
            "天门经济稳中向好，天门人民……融入武汉城市圈，对接武汉、武汉，天门、天门、天门的发展。"
            "在省委、省政府的坚强领导下，湖北……")
    assert _region(find_subject("", body)) == ("天门市", "county", "湖北省", None)


def test_a_county_level_city_is_not_its_prefecture():
    body = ("各位代表：\n现在，我代表市人民政府向大会报告工作。\n在金华市委、市政府的坚强领导下，"
            "义乌全市上下……义乌国际商贸城、义乌综合保税区……义乌的发展，东阳、浦江携手，"
            "金华金义都市区……义乌、义乌")
    assert _region(find_subject("", body)) == ("义乌市", "county", "浙江省", "金华市")


def test_a_municipality_is_a_city_and_its_district_has_it_as_city():
    assert _region(find_subject("2026年北京市政府工作报告", "——在北京市第十六届人民代表大会第四次会议上")) == \
        ("北京市", "city", "北京市", "北京市")
    body = "各位代表：\n现在，我代表区人民政府向大会报告工作。全区……昌平区、昌平、未来科学城、海淀……昌平"
    assert _region(find_subject("", body)) == ("昌平区", "district", "北京市", "北京市")


def test_namesake_districts_are_told_apart_by_their_city():
    body = ("各位代表：\n现在，我代表区人民政府向大会报告工作。\n在南京市委、市政府的坚强领导下，全区……"
            "鼓楼区、鼓楼……南京、南京都市圈……江苏省……")
    assert _region(find_subject("", body)) == ("鼓楼区", "district", "江苏省", "南京市")


def test_a_division_named_by_its_name_of_the_time_keeps_it():
    body = ("2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n各位代表：\n"
            "现在，我代表县人民政府向大会报告工作。全县……保定、天津……")
    subject = find_subject("", body)
    assert _region(subject) == ("徐水县", "county", "河北省", "保定市")
    assert subject.code == "130609" and "徐水区" in subject.aliases  # today's 徐水区


def test_a_reposting_sites_title_yields_to_the_level_the_document_calls_itself_by():
    # The portal titled a 南康区 plan "南昌市…"; the plan says 全区 and names 南康 and 赣州.
    body = "全区家具产业……南康家具、南康区、南康……赣州市、赣州……全区上下"
    subject = find_subject("南昌市2021年家具产业高质量发展工作要点", body)
    assert _region(subject) == ("南康区", "district", "江西省", "赣州市")


def test_a_grade_or_a_count_is_no_region():
    body = ("各位代表：现在，我代表省人民政府向大会报告工作。全省深入开展劣V类水体剿灭，"
            "新增A级景区12家，“1+5+N”体系，N个重点项目，A股上市公司……福建、福州、厦门……")
    subject = find_subject("", body)
    assert _region(subject) == ("福建省", "province", "福建省", None)
    with pytest.raises(NoSubjectRegion):
        find_subject("", "深入开展劣V类水体剿灭，V类水，V类水，新增5A级景区。")


def test_a_letter_used_as_the_documents_own_name_is_an_anonymised_region():
    body = ("2017年，X将深入贯彻落实市委市政府决策部署，努力把X建设成为现代化开放创新之区。"
            "全区上下……让X人自豪……X的发展……烟台市、烟台……")
    subject = find_subject("以“五个新突破”为抓手建设现代化开放创新之区", body)
    assert _region(subject) == ("X", "district", "山东省", "烟台市")
    assert subject.code is None


def test_a_zone_reports_on_behalf_of_its_committee():
    body = ("各位代表：\n现在，我代表管委会向大会报告工作。\n2023年，长沙经开区在市委、市政府的坚强领导下，"
            "全区……长沙经开区……长沙经开区将……长沙市、长沙县")
    subject = find_subject("", body)
    assert (subject.name, subject.kind, subject.province, subject.city) == \
        ("长沙经开区", "zone", "湖南省", "长沙市")


def test_find_subject_names_a_bad_argument():
    with pytest.raises(TypeError, match="body must be a str, not NoneType"):
        find_subject("", None)
    with pytest.raises(TypeError, match="issuer must be a str or None, not int: 3"):
        find_subject("", "宁波", issuer=3)


# -- the plan year -------------------------------------------------------------------------------


@pytest.mark.parametrize("title, body, year", [
    ("", "各位代表：\n现在，我代表市人民政府向大会报告工作。\n一、2023年工作回顾\n2023年，全市……", 2024),
    ("", "各位代表： 现在，我代表县人民政府向大会报告工作。一、2023年工作回顾 2023年，全县……", 2024),
    ("", "——2024年1月10日在洪雅县第十八届人民代表大会第三次会议上\n一、2023年工作回顾", 2024),
    ("", "——在青海省第十四届人民代表大会第四次会议上（2026年1月27日）", 2026),
    ("", "——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上", 2026),
    ("标题：二O一三年政府工作报告", "一、2012年政府工作回顾", 2013),
    ("", "各位代表：\n……2015年……\n三、2016年重点工作\n今年是“十三五”开局之年", 2016),
    ("", "各位代表：刚刚过去的2025年，我们……2025年……2025年……", 2026),
    ("", "各位代表：\n2025年是“十四五”收官之年。一年来……2025年……\n2026年是“十五五”开局之年。", 2026),
    ("襄阳市制造业高质量发展“十四五”规划", "到2025年，全市……", 2021),
    ("", "关于印发智能终端产业高质量发展行动方案（2021—2025年）的通知\n到2025年……", 2021),
    ("", "洛阳市人民政府\n洛发〔2022〕6号\n为深入贯彻……到2025年……", 2022),
    ("", "第五篇 构建现代产业体系\n到2025年，全市战略性新兴产业产值占比达到60%。", 2021),
])
def test_find_year(title, body, year):
    assert find_year(title, body) == year


def test_find_year_keeps_an_int_and_names_a_bad_argument():
    assert find_year("", "") is None
    assert find_year("", "无", {"成文日期": "2022年06月15日"}) == 2022
    with pytest.raises(TypeError, match="title must be a str, not int: 2024"):
        find_year(2024, "")


# -- the division table --------------------------------------------------------------------------


def test_division_table_is_the_ministrys_of_2025():
    divisions = Divisions.default()
    assert len(divisions.by_code) == 3214
    tianmen = divisions.by_code["429006"]
    assert (tianmen.kind, tianmen.city_code, divisions.parent("429006").name) == ("county", None, "湖北省")
    beijing = divisions.by_code["110000"]
    assert (beijing.kind, beijing.city_code) == ("city", "110000")
    assert [d.name for d in divisions.lineage("110114")] == ["北京市", "昌平区"]
    assert divisions.by_code["513400"].kind == "city" and divisions.by_code["152500"].kind == "city"
    assert divisions.resolve("襄樊").code == "420600"


def test_a_name_of_the_time_is_a_label_of_todays_division_node():
    from rdflib import Literal
    from rdflib.namespace import SKOS

    from ingest.extract import extract
    from ingest.rdf import region_iri, to_rdf
    from ingest.read import SourceText

    text = ("2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n各位代表：\n"
            "现在，我代表县人民政府向大会报告工作。全县加快发展新能源汽车产业。")
    graph = to_rdf(extract(SourceText.from_text(text, name="xushui.txt")))
    node = region_iri("130609")
    assert (node, SKOS.prefLabel, Literal("徐水区", lang="zh")) in graph
    assert (node, SKOS.altLabel, Literal("徐水县", lang="zh")) in graph


def test_a_district_of_an_autonomous_region_is_not_the_region():
    # 我代表区人民政府 is a district's; the report names its autonomous region and its cities often.
    body = ("各位代表：\n现在，我代表区人民政府向大会报告工作。\n在自治区党委、自治区人民政府和南宁市委、"
            "市政府的坚强领导下，全区上下……青秀区、青秀……广西、广西、广西壮族自治区、柳州、桂林、北海、"
            "钦州、南宁、南宁……青秀的发展，青秀")
    assert _region(find_subject("", body)) == ("青秀区", "district", "广西壮族自治区", "南宁市")


@pytest.mark.parametrize("name, short", [("新疆维吾尔自治区", "新疆"), ("广西壮族自治区", "广西"),
                                         ("内蒙古自治区", "内蒙古"), ("凉山彝族自治州", "凉山")])
def test_an_autonomous_region_is_also_known_by_its_short_name(name, short):
    """Plans and users say 新疆, not 新疆维吾尔自治: the subject region's other name is its short form."""
    src = SourceText.from_text(f"2026年{name}政府工作报告\n各位代表：现在，我代表{name}人民政府向大会报告工作。",
                               name="a.txt")
    _title, subject, _year = subject_and_year(src)
    assert subject.name == name
    assert short in subject.aliases
    assert not any(a.endswith("自治") for a in subject.aliases)
