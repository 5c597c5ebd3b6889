"""The recognition pipeline: components registered by name, testable alone, and segmentation measured."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from ingest.recognise import COMPONENTS, alignment_report, build_pipeline
from ingest.read import read_source
from ingest.vocab import load_vocabulary


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


@pytest.fixture(scope="module")
def rules():
    """The rules alone, whose grammar some tests here check (the learned recogniser decides which
    of their names stand in the default pipeline)."""
    return build_pipeline({"learned": False})


def test_the_pipeline_is_built_from_registered_components(nlp):
    assert nlp.lang == "zh"
    assert nlp.tokenizer.segmenter == "jieba"
    assert list(nlp.component_names) == ["regionkg_sentences", *COMPONENTS]
    # The learned recogniser is run by regionkg_learned_names, line by line, not on the whole doc.
    assert nlp.disabled == ["regionkg_ner"]


def test_a_bad_option_is_named_in_the_error():
    with pytest.raises(ValueError, match="segmenter must be 'jieba' or 'char', got 'pkuseg2'"):
        build_pipeline({"segmenter": "pkuseg2"})
    with pytest.raises(ValueError, match="unknown pipeline option"):
        build_pipeline({"segmentr": "jieba"})


def test_the_industry_component_works_alone_on_a_blank_pipeline():
    blank = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    blank.add_pipe("regionkg_industries")
    doc = blank("聚焦集成电路和生物医药两大产业")
    names = [m.text for m in doc._.mentions]
    assert names == ["集成电路", "生物医药"]
    vocab = load_vocabulary()
    assert all(m.concept == str(vocab.industries[m.text]) for m in doc._.mentions)


def test_sentences_end_at_chinese_punctuation_and_line_breaks(nlp):
    doc = nlp("一、总体要求\n\n  坚持创新。加快发展新材料产业;培育生物医药!")
    assert [s.text.strip() for s in doc.sents] == ["一、总体要求", "坚持创新。", "加快发展新材料产业;", "培育生物医药!"]


def test_names_are_read_back_from_their_type_suffix(nlp):
    doc = nlp("建成全国首个新材料公共技术服务平台——宁波新材料联合研究院,推动激智科技等企业组建新型产业技术研究院。")
    institutions = [m.text for m in doc._.mentions if m.type == "institution"]
    assert "宁波新材料联合研究院" in institutions
    assert "新型产业技术研究院" not in institutions  # a generic phrase, not a name


def test_an_enumeration_before_deng_xiangmu_names_projects(rules):
    doc = rules("着力推动开诚机器人、捷德-空客直升机、奥迪高性能改装中心等项目落地。")
    projects = {m.text for m in doc._.mentions if m.type == "project"}
    assert {"开诚机器人", "捷德-空客直升机", "奥迪高性能改装中心"} <= projects


def test_a_quoted_talent_plan_is_a_talent_programme(nlp):
    doc = nlp("大力实施“高新精英计划”,入选项目质量明显提升。")
    assert [m.text for m in doc._.mentions if m.type == "talent_programme"] == ["高新精英计划"]


def test_segmentation_alignment_is_measured_on_the_samples(samples):
    """The pitfall, measured: jieba's tokens do not always fall on vocabulary terms.

    Terms are found on characters, so none is lost to segmentation; the char segmenter aligns with
    all of them, jieba with most. A token-based PhraseMatcher would find only the aligned ones.
    """
    texts = [read_source(p).text for p in sorted(samples.glob("*.txt"))]
    jieba = alignment_report(build_pipeline(), texts)
    char = alignment_report(build_pipeline({"segmenter": "char"}), texts)
    assert jieba["mentions"] == char["mentions"] > 100
    assert char["lost"] == 0
    assert 0 < jieba["lost"] < jieba["mentions"] / 4


def test_a_token_based_matcher_misses_a_term_jieba_splits():
    """spaCy's PhraseMatcher tokenises its patterns alone, and the text in context."""
    nlp = build_pipeline({"teach_segmenter": False})
    text = "以创建省级高新技术产业园区为抓手"  # jieba: …/省级/高新技术产业园区/…
    matcher = PhraseMatcher(nlp.vocab)
    matcher.add("industry", [nlp.make_doc("高新技术产业")])
    assert matcher(nlp.make_doc(text)) == []
    report = alignment_report(nlp, [text])
    assert (report["mentions"], report["lost"]) == (1, 1)


def test_a_term_inside_another_word_is_not_an_industry(nlp):
    """What misalignment mostly is: 化工 inside 强化工作, 航空航天 inside 北京航空航天大学."""
    doc = nlp("强化工作落实,推动绿化工程。大力发展化工产业。")
    industries = [m.text for m in doc._.mentions if m.type == "industry"]
    assert industries == ["化工产业"]
