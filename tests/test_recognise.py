"""Each recognition component alone: a blank ``zh`` pipeline (jieba, not taught the vocabulary)
with only that component, and regionkg_sentences where it reads sentences."""

from __future__ import annotations

import pytest
import spacy

import ingest.recognise  # noqa: F401  (registers the components)
from ingest.vocab import load_vocabulary


def blank(*components):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in components:
        nlp.add_pipe(name)
    return nlp


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def test_a_heading_and_each_clause_of_a_target_are_sentences():
    doc = blank("regionkg_sentences")("（一）发展目标\n到2025年，全区生产总值突破千亿元；新增高新技术企业50家!推进项目落地")
    assert [s.text for s in doc.sents] == [
        "（一）发展目标\n", "到2025年，全区生产总值突破千亿元；", "新增高新技术企业50家!", "推进项目落地"]


def test_industries_are_the_schemes_labels_linked_to_their_concepts(vocab):
    doc = blank("regionkg_industries")("聚焦集成电路和生物医药两大产业,强化工作落实。")
    assert [(m.text, m.concept) for m in doc._.mentions] == [
        ("集成电路", str(vocab.industries["集成电路"])), ("生物医药", str(vocab.industries["生物医药"]))]


def test_an_unknown_item_of_an_industry_list_is_a_provisional_industry(vocab):
    doc = blank("regionkg_industry_lists")("全市要突出培育新材料、智能装备、存储芯片等产业。")
    assert [(m.text, m.rule, m.broader) for m in doc._.mentions] == [
        ("存储芯片", "industry_list", str(vocab.industries["芯片"]))]


def test_known_zones_are_found_by_their_labels(vocab):
    doc = blank("regionkg_known_zones")("支持宁波国家高新区和浙江舟山群岛新区建设。")
    assert [(m.type, m.text, m.concept) for m in doc._.mentions] == [
        ("zone", "宁波国家高新区", str(vocab.known_zones["宁波国家高新区"].iri)),
        ("zone", "浙江舟山群岛新区", str(vocab.known_zones["浙江舟山群岛新区"].iri))]


def test_a_name_is_read_back_from_its_type_suffix():
    nlp = blank("regionkg_sentences", "regionkg_names")
    doc = nlp("充分发挥宁波科技大市场作用,加快建设中国（湖南）自由贸易试验区长沙片区。"
              "推动激智科技等企业组建新型产业技术研究院。")
    assert [(m.type, m.text) for m in doc._.mentions] == [
        ("institution", "宁波科技大市场"), ("zone", "中国（湖南）自由贸易试验区长沙片区")]


def test_names_listed_before_deng_xiangmu_are_projects():
    doc = blank("regionkg_enumerations")("着力推动开诚机器人、捷德-空客直升机、奥迪高性能改装中心等项目落地。")
    assert [(m.type, m.text) for m in doc._.mentions] == [
        ("project", "开诚机器人"), ("project", "捷德-空客直升机"), ("project", "奥迪高性能改装中心")]


def test_quoted_talent_plans_are_talent_programmes():
    doc = blank("regionkg_quotes")("大力实施“高新精英计划”,深入推进“3315”和“泛3315”人才计划。")
    assert sorted(m.text for m in doc._.mentions if m.type == "talent_programme") == [
        "3315人才计划", "泛3315人才计划", "高新精英计划"]
