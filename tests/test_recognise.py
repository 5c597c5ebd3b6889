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


def test_the_rules_and_the_reference_lists_are_features_of_the_tokens():
    doc = blank("regionkg_sentences", "regionkg_names", "regionkg_token_features")("支持北京大学建设宁波新材料联合研究院")
    features = {t.text: t.lemma_.split("+") for t in doc}
    assert "B-gaz:university" in features["北京大学"]  # the Ministry of Education's list
    assert features["宁波"] == ["B-institution"] and features["研究院"] == ["I-institution"]  # the grammar
    assert {t.text: t.tag_ for t in doc}["支持"] == "v"


def test_a_list_sharing_one_ending_gives_each_head_the_whole_name():
    from ingest.recognise.mention import Mention

    nlp = blank("regionkg_shared_endings")
    doc = nlp.make_doc("推动莱临、德商铁路开工")
    doc._.mentions = [Mention("project", 2, 4, "莱临", "learned", 0.6),
                      Mention("project", 5, 9, "德商铁路", "learned", 0.6)]
    doc = nlp.get_pipe("regionkg_shared_endings")(doc)
    assert sorted(m.text for m in doc._.mentions) == ["德商铁路", "莱临铁路"]


def test_a_list_of_whole_names_is_left_as_it_is():
    from ingest.recognise.mention import Mention

    nlp = blank("regionkg_shared_endings")
    doc = nlp.make_doc("建设紫金山实验室、太湖实验室")
    doc._.mentions = [Mention("institution", 2, 8, "紫金山实验室", "learned", 0.6),
                      Mention("institution", 9, 14, "太湖实验室", "learned", 0.6)]
    doc = nlp.get_pipe("regionkg_shared_endings")(doc)
    assert sorted(m.text for m in doc._.mentions) == ["太湖实验室", "紫金山实验室"]


def test_a_list_closed_by_deng_shares_what_follows_it():
    from ingest.recognise.mention import Mention

    nlp = blank("regionkg_shared_endings")
    doc = nlp.make_doc("紫金山、太湖、钟山、云龙湖等实验室加快建设")
    doc._.mentions = [Mention("institution", 0, 3, "紫金山", "learned", 0.6),
                      Mention("institution", 4, 6, "太湖", "learned", 0.6),
                      Mention("institution", 7, 9, "钟山", "learned", 0.6),
                      Mention("institution", 10, 17, "云龙湖等实验室", "learned", 0.6, kind="lab")]
    doc = nlp.get_pipe("regionkg_shared_endings")(doc)
    assert sorted(m.text for m in doc._.mentions) == ["云龙湖实验室", "太湖实验室", "紫金山实验室", "钟山实验室"]


def test_the_deng_of_a_word_closes_no_list():
    from ingest.recognise.mention import Mention

    nlp = blank("regionkg_shared_endings")
    doc = nlp.make_doc("支持甘肃、青海高等研究院建设")
    doc._.mentions = [Mention("institution", 2, 4, "甘肃", "learned", 0.6),
                      Mention("institution", 5, 12, "青海高等研究院", "learned", 0.6, kind="research")]
    doc = nlp.get_pipe("regionkg_shared_endings")(doc)
    assert sorted(m.text for m in doc._.mentions) == ["甘肃高等研究院", "青海高等研究院"]


def test_a_list_shares_whole_words_never_half_of_one():
    from ingest.recognise.mention import Mention

    nlp = blank("regionkg_shared_endings")
    text = "实施汉关文化城、铁门古镇文化产业园等项目"
    doc = nlp.make_doc(text)
    assert "文化" in [t.text for t in doc][5:]  # the cut after 5 characters would split it
    doc._.mentions = [Mention("project", 2, 7, "汉关文化城", "learned", 0.6),
                      Mention("project", 8, 17, "铁门古镇文化产业园", "learned", 0.6)]
    doc = nlp.get_pipe("regionkg_shared_endings")(doc)
    assert sorted(m.text for m in doc._.mentions) == ["汉关文化城", "铁门古镇文化产业园"]


def test_a_learned_name_keeps_what_a_rule_knows_of_the_same_characters(vocab):
    from ingest.recognise.mention import Mention

    nlp = blank("regionkg_choose")
    doc = nlp.make_doc("培育集成电路和存储芯片产业，支持宁波国家高新区")
    zone = vocab.known_zones["宁波国家高新区"]
    doc._.mentions = [Mention("industry", 2, 6, "集成电路", "learned", 0.7),
                      Mention("industry", 7, 11, "存储芯片", "learned", 0.7),
                      Mention("zone", 16, 23, "宁波国家高新区", "known_zone", 0.95, concept=str(zone.iri)),
                      Mention("project", 16, 23, "宁波国家高新区", "learned", 0.5),
                      Mention("project", 2, 6, "集成电路", "name_grammar", 0.7)]
    doc = nlp.get_pipe("regionkg_choose")(doc)
    assert [(m.type, m.text, m.concept, m.broader) for m in doc._.mentions] == [
        ("industry", "集成电路", str(vocab.industries["集成电路"]), None),
        ("industry", "存储芯片", None, str(vocab.industries["芯片"])),
        ("zone", "宁波国家高新区", str(zone.iri), None)]


def _toy_classifier():
    """A classifier that learned that names ending in 高铁 are projects and those in 平台 are none."""
    from ingest.recognise.rule_names import CLASSES, NameClassifier

    return NameClassifier.fit([["s2=高铁", "t=project"], ["s2=平台", "t=institution"]] * 30,
                              [CLASSES.index("project"), CLASSES.index("none")] * 30, dim=1 << 10, epochs=5)


def test_a_rule_name_the_recogniser_missed_stands_when_the_classifier_keeps_it(vocab):
    from ingest.recognise.mention import Mention
    from ingest.recognise.rule_names import RuleNames

    nlp = blank()
    doc = nlp.make_doc("建设北沿江高铁和中试平台，推进沪渝蓉高铁")
    doc._.mentions = [Mention("project", 2, 7, "北沿江高铁", "name_grammar", 0.6),
                      Mention("institution", 8, 12, "中试平台", "name_grammar", 0.6),
                      Mention("project", 15, 20, "沪渝蓉高铁", "name_grammar", 0.6),
                      Mention("zone", 15, 20, "沪渝蓉高铁", "learned", 0.5)]
    doc = RuleNames(vocab, _toy_classifier(), threshold=0.5)(doc)
    kept = [(m.type, m.text) for m in doc._.mentions if m.rule == "rule_classifier"]
    # the generic 中试平台 is dropped; 沪渝蓉高铁 is the learned recogniser's already
    assert kept == [("project", "北沿江高铁")]
    assert 0.5 <= next(m.confidence for m in doc._.mentions if m.rule == "rule_classifier") <= 1


def test_the_rule_name_classifier_is_read_back_as_it_was_written(tmp_path):
    from ingest.recognise.rule_names import NameClassifier

    classifier = _toy_classifier()
    classifier.to_disk(tmp_path / "c.npz")
    again = NameClassifier.from_disk(tmp_path / "c.npz")
    for features in (["s2=高铁"], ["s2=平台", "t=institution"], ["never seen"]):
        assert abs(again.probabilities(features) - classifier.probabilities(features)).max() < 1e-3


def test_the_rule_name_classifier_names_a_bad_argument(vocab):
    from ingest.recognise.rule_names import NameClassifier, RuleNames

    with pytest.raises(ValueError, match="threshold must be in"):
        RuleNames(vocab, None, threshold=0)
    with pytest.raises(ValueError, match="need as many classes as feature lists"):
        NameClassifier.fit([["a"]], [0, 1])


def test_training_text_with_names_swapped_keeps_the_sentences_and_the_types():
    from ingest.recognise.augment import with_names_swapped
    from ingest.recognise.train import AnnotatedDocument, gold_spans

    a = AnnotatedDocument("a", "加快建设明月湖实验室，发展新材料产业。",
                          {"institution": ["明月湖实验室"], "industry": ["新材料"]})
    b = AnnotatedDocument("b", "支持长白山实验室和光电子产业。", {"institution": ["长白山实验室"], "industry": ["光电子"]})
    swapped = with_names_swapped([a, b], share=1.0, seed=3)
    assert [d.stem for d in swapped] == ["a+swapped", "b+swapped"]
    assert swapped[0].text == "加快建设长白山实验室，发展光电子产业。"
    assert sorted((swapped[0].text[s:e], t) for s, e, t in gold_spans(swapped[0])) == [
        ("光电子", "industry"), ("长白山实验室", "institution")]
    assert with_names_swapped([a, b], share=0.0)[1].text == b.text


def test_swapping_names_names_a_bad_share():
    from ingest.recognise.augment import with_names_swapped

    with pytest.raises(ValueError, match="share must be between 0 and 1, got 1.5"):
        with_names_swapped([], share=1.5)
