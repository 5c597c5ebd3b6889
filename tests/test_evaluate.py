"""Tests of ingest.evaluate, the scorer behind `regionkg evaluate`."""

import copy
import json
from pathlib import Path

import pytest

from ingest.evaluate import (
    ENTITY_TYPES,
    Evaluation,
    GoldFormatError,
    format_table,
    load_gold,
    load_gold_dir,
    match,
    normalise,
    score,
)

GOLD_DIR = Path(__file__).parent / "data" / "gold"


def _doc(name, **entities):
    """A complete gold document named `name` with the given entity lists."""
    data = {
        "doc": name,
        "subject_region": {
            "name": "淄博市",
            "aliases": ["淄博"],
            "kind": "city",
            "province": "山东省",
            "city": "淄博市",
        },
        "year": 2018,
    }
    for entity_type in ENTITY_TYPES:
        data[entity_type] = entities.get(entity_type, [])
    return data


def _write(directory, file_name, data):
    path = directory / file_name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gold():
    return load_gold_dir(GOLD_DIR)


# --------------------------------------------------------------------------- the real gold files


def test_gold_dir_loads_the_five_documents_keyed_by_doc(gold):
    assert list(gold) == [
        "000_35aee153b5e1f174.txt",
        "001_585d3f6695bf431d.txt",
        "002_2f001e7e59a5abec.txt",
        "003_6df439c02bdb466d.txt",
        "004_deeb158c161dd6a1.txt",
    ]
    assert gold["001_585d3f6695bf431d.txt"]["subject_region"]["name"] == "宁波国家高新区"


def test_a_prediction_identical_to_gold_scores_one_everywhere(gold):
    evaluation = score(gold, copy.deepcopy(gold))
    for entity_type in (*ENTITY_TYPES, "all"):
        scores = evaluation.overall if entity_type == "all" else evaluation.types[entity_type]
        assert scores.gold > 0
        assert scores.predicted == scores.gold == scores.matched_exact == scores.matched_lenient
        assert (scores.precision_exact, scores.recall_exact, scores.f1_exact) == (1.0, 1.0, 1.0)
        assert (scores.precision_lenient, scores.recall_lenient, scores.f1_lenient) == (1.0,) * 3
    assert evaluation.role_agreement.share == 1.0
    assert evaluation.role_agreement.matched == evaluation.types["industries"].gold
    assert evaluation.kind_agreement.share == 1.0
    assert evaluation.subject_regions_right == 5
    assert evaluation.missing_docs == evaluation.unscored_docs == ()
    for per_type in evaluation.errors.values():
        for errors in per_type.values():
            assert errors.missed == errors.spurious == errors.lenient_only == ()


def test_totals_on_the_real_gold_are_the_sums_of_the_files(gold):
    evaluation = score(gold, copy.deepcopy(gold))
    for entity_type in ENTITY_TYPES:
        expected = sum(len(data[entity_type]) for data in gold.values())
        assert evaluation.types[entity_type].gold == expected
    assert evaluation.overall.gold == sum(evaluation.types[t].gold for t in ENTITY_TYPES)


def test_a_prediction_file_with_objects_everywhere_is_accepted(gold, tmp_path):
    data = copy.deepcopy(gold["004_deeb158c161dd6a1.txt"])
    for entity_type in ("zones", "projects", "talent_programmes"):
        data[entity_type] = [{"name": name} for name in data[entity_type]]
    path = _write(tmp_path, "004_deeb158c161dd6a1.json", data)
    predicted = load_gold(path, strict=False)
    evaluation = score({data["doc"]: gold[data["doc"]]}, {data["doc"]: predicted})
    assert evaluation.overall.f1_exact == 1.0
    with pytest.raises(GoldFormatError, match=r"004_deeb158c161dd6a1\.json.*zones\[0\]"):
        load_gold(path)  # gold itself must keep strings for zones


def test_the_wrong_city_in_a_title_makes_the_subject_region_wrong(gold):
    doc = "002_2f001e7e59a5abec.txt"
    predicted = copy.deepcopy(gold)
    predicted[doc]["subject_region"]["city"] = "杭州市"
    result = score(gold, predicted).subject_regions[doc]
    assert result.name_ok and result.province_ok and not result.city_ok
    assert not result.right
    assert (result.predicted_city, result.gold_city) == ("杭州市", "绍兴市")


# --------------------------------------------------------------------------- normalisation


def test_a_name_with_quotes_and_a_trailing_chanye_still_matches_exactly():
    assert match(["新材料"], ["“新材料”产业"], entity_type="industries") == [(0, 0, "exact")]
    assert match(["新材料产业"], ["《新材料》"], entity_type="industries") == [(0, 0, "exact")]


def test_full_width_characters_white_space_and_brackets_are_normalised():
    assert normalise("３３１５ 人才计划", entity_type="talent_programmes") == "3315人才计划"
    assert normalise("中国（宁波）海外人才　基地", entity_type="institutions") == "中国宁波海外人才基地"
    assert normalise("「港城」‘英才’『计划』", entity_type="talent_programmes") == "港城英才计划"


def test_chanye_is_stripped_only_for_industries_and_only_if_two_characters_remain():
    assert normalise("科技创新产业", entity_type="industries") == "科技创新"
    assert normalise("新兴产业", entity_type="industries") == "新兴"
    assert normalise("新产业", entity_type="industries") == "新产业"
    assert normalise("产业", entity_type="industries") == "产业"
    assert normalise("高新技术产业", entity_type="zones") == "高新技术产业"
    # a zone keeps its 产业, so it only matches leniently
    assert match(["高新技术"], ["高新技术产业"], entity_type="zones") == [(0, 0, "lenient")]


def test_an_unknown_entity_type_is_refused_by_name():
    with pytest.raises(ValueError, match="'parks'"):
        normalise("智慧园", entity_type="parks")
    with pytest.raises(ValueError, match="'zone'"):
        match(["智慧园"], ["智慧园"], entity_type="zone")


def test_match_refuses_a_bare_string_instead_of_a_list():
    with pytest.raises(TypeError, match="predicted"):
        match(["智慧园"], "智慧园", entity_type="zones")


# --------------------------------------------------------------------------- matching


def test_lenient_match_needs_the_shorter_name_to_have_two_characters():
    assert match(["港城英才"], ["城"], entity_type="talent_programmes") == []
    assert match(["港城英才"], ["英才"], entity_type="talent_programmes") == [(0, 0, "lenient")]
    assert match(["X"], ["X区"], entity_type="zones") == []
    assert match(["X"], ["X"], entity_type="zones") == [(0, 0, "exact")]


def test_lenient_match_works_both_ways():
    assert match(["大学城"], ["淄博大学城"], entity_type="zones") == [(0, 0, "lenient")]
    assert match(["淄博大学城"], ["大学城"], entity_type="zones") == [(0, 0, "lenient")]


def test_one_gold_name_cannot_be_matched_by_two_predictions():
    assert match(["新材料"], ["新材料", "新材料产业"], entity_type="industries") == [
        (0, 0, "exact")
    ]
    assert match(["宁波大学"], ["宁波大学", "宁波大学附属医院"], entity_type="institutions") == [
        (0, 0, "exact")
    ]
    evaluation = score(
        {"a.txt": _doc("a.txt", zones=["大学城"])},
        {"a.txt": {"zones": ["淄博大学城", "大学城西区"]}},
    )
    zones = evaluation.types["zones"]
    assert (zones.gold, zones.predicted, zones.matched_lenient) == (1, 2, 1)
    assert (zones.precision_lenient, zones.recall_lenient) == (0.5, 1.0)


def test_one_prediction_cannot_match_two_gold_names():
    pairs = match(["智慧园", "智慧园区"], ["智慧园区规划"], entity_type="zones")
    assert len(pairs) == 1


def _lenient_first_greedy(gold, predicted):
    """The wrong way: pair each gold name with the first prediction it contains or is in."""
    used, pairs = set(), []
    for i, g in sorted(enumerate(gold), key=lambda item: -len(item[1])):
        for j, p in enumerate(predicted):
            shorter = min(g, p, key=len)
            if j not in used and len(shorter) >= 2 and (g in p or p in g):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def test_exact_matches_are_taken_before_lenient_ones():
    gold, predicted = ["新材料科技城", "新材料"], ["新材料", "科技城"]
    # taking lenient matches first, longest gold name first, loses a match
    assert len(_lenient_first_greedy(gold, predicted)) == 1
    assert match(gold, predicted, entity_type="zones") == [(0, 1, "lenient"), (1, 0, "exact")]
    evaluation = score(
        {"a.txt": _doc("a.txt", zones=gold)}, {"a.txt": {"zones": predicted}}
    )
    assert evaluation.types["zones"].matched_exact == 1
    assert evaluation.types["zones"].matched_lenient == 2


@pytest.mark.parametrize("gold", [["江滨区", "江滨区东城片区"], ["江滨区东城片区", "江滨区"]])
def test_lenient_candidates_are_taken_longest_names_first(gold):
    # "江滨区东城片区规划" contains both gold names; it goes to the longer one,
    # whatever the order of the list
    pairs = match(gold, ["江滨区东城片区规划"], entity_type="zones")
    assert pairs == [(gold.index("江滨区东城片区"), 0, "lenient")]
    # and of two predictions containing a gold name, the longer pair is taken first
    pairs = match(["大学城", "淄博大学城"], ["淄博大学城区", "大学城区"], entity_type="zones")
    assert pairs == [(0, 1, "lenient"), (1, 0, "lenient")]


def test_exact_mode_counts_no_lenient_match():
    evaluation = score(
        {"a.txt": _doc("a.txt", zones=["大学城"])}, {"a.txt": {"zones": ["淄博大学城"]}}
    )
    zones = evaluation.types["zones"]
    assert (zones.matched_exact, zones.precision_exact, zones.recall_exact, zones.f1_exact) == (
        0,
        0.0,
        0.0,
        0.0,
    )
    assert zones.f1_lenient == 1.0
    assert evaluation.errors["a.txt"]["zones"].lenient_only == (("大学城", "淄博大学城"),)


def test_empty_names_never_match():
    assert match(["智慧园"], [""], entity_type="zones") == []
    assert match(["智慧园"], ["（）"], entity_type="zones") == []


# --------------------------------------------------------------------------- scoring


def test_hand_computed_scores_on_two_documents():
    gold = {
        "a.txt": _doc(
            "a.txt",
            zones=["梅山硅滩", "大学城", "科学城"],
            industries=[{"name": "新材料", "role": "lead"}, {"name": "生物医药", "role": "lead"}],
        ),
        "b.txt": _doc("b.txt", zones=["智慧园", "研发园"]),
    }
    predicted = {
        # zones: 1 exact, 宁波大学城 lenient, 创新谷 spurious, 科学城 missed
        # industries: 新材料产业 exact, 医药 lenient with a different role
        "a.txt": {
            "zones": ["梅山硅滩", "宁波大学城", "创新谷"],
            "industries": [
                {"name": "新材料产业", "role": "lead"},
                {"name": "医药", "role": "emerging"},
            ],
        },
        # zones: 1 exact, 研发 lenient (two characters), 软件园 and 检测园 spurious
        "b.txt": {"zones": ["智慧园", "软件园", "检测园", "研发"]},
    }
    evaluation = score(gold, predicted)

    zones = evaluation.types["zones"]
    counts = (zones.gold, zones.predicted, zones.matched_exact, zones.matched_lenient)
    assert counts == (5, 7, 2, 4)
    # micro-averaged over documents: 2/7, not the mean of 1/3 and 1/4
    assert zones.precision_exact == pytest.approx(2 / 7)
    assert zones.recall_exact == pytest.approx(2 / 5)
    assert zones.f1_exact == pytest.approx(1 / 3)
    assert zones.precision_lenient == pytest.approx(4 / 7)
    assert zones.recall_lenient == pytest.approx(4 / 5)
    assert zones.f1_lenient == pytest.approx(2 / 3)

    industries = evaluation.types["industries"]
    assert (industries.matched_exact, industries.matched_lenient) == (1, 2)
    assert industries.f1_exact == pytest.approx(0.5)
    assert industries.f1_lenient == 1.0

    overall = evaluation.overall
    assert (overall.gold, overall.predicted, overall.matched_exact, overall.matched_lenient) == (
        7,
        9,
        3,
        6,
    )
    assert overall.f1_lenient == pytest.approx(2 * (6 / 9) * (6 / 7) / (6 / 9 + 6 / 7))

    role = evaluation.role_agreement
    assert (role.matched, role.agreed, role.missing, role.share) == (2, 1, 0, 0.5)
    assert evaluation.errors["a.txt"]["industries"].attribute_mismatches == (
        ("生物医药", "lead", "emerging"),
    )
    assert evaluation.kind_agreement.matched == 0

    assert evaluation.errors["a.txt"]["zones"].missed == ("科学城",)
    assert evaluation.errors["a.txt"]["zones"].spurious == ("创新谷",)
    assert evaluation.errors["b.txt"]["zones"].spurious == ("软件园", "检测园")
    assert evaluation.errors["b.txt"]["zones"].missed == ()


def test_a_missing_document_counts_all_its_gold_names_as_misses():
    gold = {
        "a.txt": _doc("a.txt", zones=["大学城"]),
        "b.txt": _doc("b.txt", zones=["科学城", "创新谷"], talent_programmes=["人才新政23条"]),
    }
    evaluation = score(gold, {"a.txt": {"zones": ["大学城"]}})
    assert evaluation.missing_docs == ("b.txt",)
    zones = evaluation.types["zones"]
    assert (zones.gold, zones.predicted, zones.matched_lenient) == (3, 1, 1)
    assert zones.recall_lenient == pytest.approx(1 / 3)
    assert zones.precision_lenient == 1.0
    assert evaluation.types["talent_programmes"].recall_lenient == 0.0
    assert evaluation.errors["b.txt"]["zones"].missed == ("科学城", "创新谷")
    assert evaluation.errors["b.txt"]["talent_programmes"].missed == ("人才新政23条",)
    assert not evaluation.subject_regions["b.txt"].right
    assert evaluation.subject_regions["b.txt"].predicted_name is None


def test_a_predicted_document_without_gold_is_ignored_but_listed():
    gold = {"a.txt": _doc("a.txt", zones=["大学城"])}
    predicted = {"a.txt": {"zones": ["大学城"]}, "z.txt": {"zones": ["科学城", "创新谷"]}}
    evaluation = score(gold, predicted)
    assert evaluation.unscored_docs == ("z.txt",)
    assert evaluation.types["zones"].predicted == 1
    assert evaluation.documents == ("a.txt",)


def test_subject_region_matches_an_alias_leniently_but_needs_province_and_city():
    gold = {"a.txt": _doc("a.txt")}  # 淄博市, alias 淄博, 山东省 淄博市

    def region(name, province="山东省", city="淄博市"):
        result = score(gold, {"a.txt": {"subject_region": {
            "name": name, "province": province, "city": city}}})
        return result.subject_regions["a.txt"].right

    assert region("淄博市")
    assert region("淄博高新区")  # contains the alias 淄博
    assert not region("博")  # one character is too short to match leniently
    assert not region("烟台市")
    assert not region("淄博市", province="浙江省")
    assert not region("淄博市", city=None)


def test_a_provinces_plan_has_no_city_whether_written_as_null_or_empty():
    doc = _doc("p.txt")
    doc["subject_region"].update(name="江西省", aliases=[], kind="province", province="江西省", city="")
    gold = {"p.txt": doc}
    for city in (None, ""):
        result = score(gold, {"p.txt": {"subject_region": {"name": "江西省", "province": "江西省", "city": city}}})
        assert result.subject_regions["p.txt"].right, city
    result = score(gold, {"p.txt": {"subject_region": {"name": "江西省", "province": "江西省", "city": "南昌市"}}})
    assert not result.subject_regions["p.txt"].right


def test_role_missing_in_a_prediction_counts_as_disagreement():
    gold = {"a.txt": _doc("a.txt", industries=[{"name": "新材料", "role": "lead"}])}
    evaluation = score(gold, {"a.txt": {"industries": ["新材料"]}})
    role = evaluation.role_agreement
    assert (role.matched, role.agreed, role.missing, role.share) == (1, 0, 1, 0.0)
    assert evaluation.types["industries"].f1_exact == 1.0


def test_duplicate_predictions_count_as_spurious():
    evaluation = score(
        {"a.txt": _doc("a.txt", zones=["大学城"])}, {"a.txt": {"zones": ["大学城", "大学城"]}}
    )
    assert evaluation.types["zones"].precision_exact == 0.5
    assert evaluation.errors["a.txt"]["zones"].spurious == ("大学城",)


def test_score_refuses_a_doc_field_that_differs_from_its_key():
    with pytest.raises(GoldFormatError, match="'b.txt'"):
        score({"a.txt": _doc("b.txt")}, {})


def test_score_refuses_arguments_that_are_not_mappings():
    with pytest.raises(TypeError, match="predicted_docs"):
        score({"a.txt": _doc("a.txt")}, [{"zones": []}])


# --------------------------------------------------------------------------- output


def test_to_dict_is_json_serialisable_and_holds_every_part(gold):
    predicted = copy.deepcopy(gold)
    del predicted["004_deeb158c161dd6a1.txt"]
    result = score(gold, predicted).to_dict()
    text = json.dumps(result, ensure_ascii=False)
    assert json.loads(text) == result
    assert set(result["types"]) == set(ENTITY_TYPES)
    assert result["documents"]["missing"] == ["004_deeb158c161dd6a1.txt"]
    assert result["subject_region"]["right"] == 4
    assert result["errors"]["004_deeb158c161dd6a1.txt"]["zones"]["missed"][0] == (
        "老工业城市和资源型城市产业转型升级示范区"
    )
    assert result["role_agreement"]["share"] == 1.0
    assert 0 < result["all"]["lenient"]["recall"] < 1


def test_format_table_has_a_row_per_type_and_a_line_per_document(gold):
    predicted = copy.deepcopy(gold)
    predicted["002_2f001e7e59a5abec.txt"]["subject_region"]["city"] = "杭州市"
    predicted["extra.txt"] = {}
    table = format_table(score(gold, predicted))
    lines = table.splitlines()
    assert lines[0].split() == (
        "type gold pred P ex R ex F1 ex P len R len F1 len".split()
    )
    for row, entity_type in zip(lines[1:6], ENTITY_TYPES):
        assert row.split()[0] == entity_type
    assert lines[6].split()[:3] == ["all", "319", "319"]
    assert "role agreement" in lines[7] and "kind agreement" in lines[7]
    assert sum(line.startswith("subject region 0") for line in lines) == 5
    assert "002_2f001e7e59a5abec.txt: wrong" in table
    assert "杭州市" in table
    assert "unscored documents (no gold): extra.txt" in table


def test_format_table_refuses_anything_but_an_evaluation():
    with pytest.raises(TypeError, match="dict"):
        format_table({"types": {}})
    assert isinstance(score({}, {}), Evaluation)


# --------------------------------------------------------------------------- malformed gold


def _broken(mutate):
    data = _doc("004_deeb158c161dd6a1.txt", industries=[{"name": "新材料", "role": "lead"}],
                institutions=[{"name": "淄博日报", "kind": "other"}])
    mutate(data)
    return data


@pytest.mark.parametrize(
    "mutate, problem",
    [
        (lambda d: d.pop("zones"), "missing key 'zones'"),
        (lambda d: d["subject_region"].pop("city"), "missing key 'city'"),
        (lambda d: d.update(year="2018"), "'year'"),
        (lambda d: d.update(projects="新旧动能转换重大工程"), "'projects' must be a list"),
        (lambda d: d.update(zones=[1]), r"zones\[0\]"),
        (lambda d: d["industries"][0].update(role="leading"), "'leading'"),
        (lambda d: d["industries"][0].pop("role"), "missing key 'role'"),
        (lambda d: d.update(industries=["新材料"]), r"industries\[0\]"),
        (lambda d: d["institutions"][0].update(kind="media"), "'media'"),
        (lambda d: d["subject_region"].update(kind="town"), "'town'"),
        (lambda d: d.update(zones=["大学城", "大学城 "]), "repeats"),
        (lambda d: d.update(zones=["“”"]), "empty name"),
        (lambda d: d.update(doc="005_other.txt"), "not named after"),
    ],
)
def test_malformed_gold_gives_gold_format_error_naming_the_file(tmp_path, mutate, problem):
    path = _write(tmp_path, "004_deeb158c161dd6a1.json", _broken(mutate))
    with pytest.raises(GoldFormatError, match=problem) as info:
        load_gold(path)
    assert "004_deeb158c161dd6a1.json" in str(info.value)


def test_invalid_json_gives_gold_format_error_naming_the_file(tmp_path):
    path = _write(tmp_path, "broken.json", '{"doc": "broken.txt",')
    with pytest.raises(GoldFormatError, match=r"broken\.json: invalid JSON"):
        load_gold(path)
    with pytest.raises(GoldFormatError, match=r"broken\.json"):
        load_gold_dir(tmp_path)


def test_gold_dir_refuses_two_files_for_one_document(tmp_path):
    _write(tmp_path, "a.json", _doc("a.txt"))
    copy_path = _write(tmp_path, "b.json", _doc("a.txt"))
    with pytest.raises(GoldFormatError, match="a.txt"):
        load_gold_dir(tmp_path, strict=False)
    copy_path.unlink()
    assert list(load_gold_dir(tmp_path)) == ["a.txt"]


def test_gold_dir_refuses_a_directory_without_json(tmp_path):
    with pytest.raises(GoldFormatError, match="no \\*.json"):
        load_gold_dir(tmp_path)
    with pytest.raises(NotADirectoryError):
        load_gold_dir(tmp_path / "absent")
