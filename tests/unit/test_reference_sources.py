"""Reference data stays faithful to its sources: one indicator per published example, the
meanings that matter kept, and nothing in the files that the sources do not support."""

from __future__ import annotations

import tomllib

import pytest

from assessor.core.framework import Framework
from assessor.storage.reference import load_framework, load_role_template
from tests.conftest import ROOT
from tests.unit.test_reference import SCALE

# Counted from the seed, the Civil Service Behaviours (success-profiles-behaviours.txt):
# how many example sentences each behaviour gives at levels 1 to 6. Held here, not read
# from the seed, so the test runs wherever the repository is cloned.
SEED_INDICATOR_COUNTS = {
    "seeing-the-big-picture": (3, 4, 5, 4, 5, 7),
    "changing-and-improving": (4, 7, 6, 8, 9, 7),
    "making-effective-decisions": (5, 5, 6, 7, 6, 7),
    "leadership": (6, 4, 6, 5, 5, 5),
    "communicating-and-influencing": (6, 7, 6, 8, 6, 6),
    "working-together": (6, 6, 7, 7, 6, 6),
    "developing-self-and-others": (4, 6, 5, 6, 7, 8),
    "managing-a-quality-service": (5, 6, 6, 8, 7, 6),
    "delivering-at-pace": (6, 7, 6, 6, 8, 6),
}


@pytest.fixture(scope="module")
def success_profiles() -> Framework:
    return load_framework("success-profiles")


@pytest.fixture(scope="module")
def policing() -> Framework:
    return load_framework("policing-cvf")


def _joined(framework: Framework, item_id: str, level: int) -> str:
    return " ".join(framework.indicators(item_id, level)).lower()


@pytest.mark.parametrize(("item_id", "counts"), SEED_INDICATOR_COUNTS.items())
def test_one_indicator_for_each_published_example(success_profiles: Framework, item_id: str, counts: tuple[int, ...]) -> None:
    item = success_profiles.item(item_id)
    assert item is not None
    assert {level: len(item.indicators[str(level)]) for level in range(1, 7)} == dict(enumerate(counts, 1))


def test_every_behaviour_is_counted(success_profiles: Framework) -> None:
    assert sorted(success_profiles.item_ids) == sorted(SEED_INDICATOR_COUNTS)


def test_restored_meanings(success_profiles: Framework) -> None:
    big_picture = success_profiles.item("seeing-the-big-picture")
    assert big_picture is not None and "national interest" in big_picture.summary
    assert "equal opportunity for all" in _joined(success_profiles, "leadership", 5)
    assert "civil service objectives" in _joined(success_profiles, "working-together", 6)
    changing = success_profiles.indicators("changing-and-improving", 5)
    assert any("transform the flexibility, responsiveness and quality" in sentence for sentence in changing)
    assert any("encourage and give recognition to initiative" in sentence for sentence in changing)
    assert not any("reward" in sentence for sentence in changing)
    decisions = _joined(success_profiles, "making-effective-decisions", 3)
    assert "empower others to make decisions" in decisions and "invite challenge" in decisions
    assert "encourage ideas for change" in _joined(success_profiles, "changing-and-improving", 3)
    assert success_profiles.indicators("managing-a-quality-service", 2)[2] == "Tell customers clearly what can be done."
    assert success_profiles.indicators("managing-a-quality-service", 1)[1].startswith("Plan, organise and manage")


def test_success_profiles_behaviours_have_no_cluster(success_profiles: Framework) -> None:
    # Clusters belong to the older competency framework, not to Success Profiles.
    assert {item.cluster for item in success_profiles.behaviours} == {""}


@pytest.mark.parametrize("framework_id", ["success-profiles", "policing-cvf"])
def test_scale_meanings_judge_evidence_not_a_count(framework_id: str) -> None:
    framework = load_framework(framework_id)
    assert [(point.score, point.label) for point in framework.scale] == SCALE
    for point in framework.scale:
        meaning = point.meaning.lower()
        assert "indicator" not in meaning and "areas" not in meaning and "most " not in meaning, point.score


def test_methods_keep_their_ids_and_say_where_a_pairing_is_ours(success_profiles: Framework) -> None:
    assert len(success_profiles.methods) == 13
    assert all("behaviours" in method.elements for method in success_profiles.methods)
    by_id = {method.id: method for method in success_profiles.methods}
    assert "ability" in by_id["civil-service-judgement-test"].elements
    assert "strengths" in by_id["interview"].elements
    stated = {"civil-service-judgement-test": {"behaviours", "ability"}, "interview": {"behaviours", "strengths"}}
    for method in success_profiles.methods:
        beyond = set(method.elements) - stated.get(method.id, {"behaviours"})
        assert bool(method.pairing_note) == bool(beyond), method.id


def test_policing_is_the_2024_framework_with_its_own_scale_note(policing: Framework) -> None:
    assert "2024" in policing.name
    assert "courage, respect and empathy, and public service" in policing.summary
    assert policing.cumulative_levels
    assert "no national" in policing.scale_note.lower()
    assert "civil-service-judgement-test" not in policing.method_ids
    assert all(method.pairing_note for method in policing.methods)


def test_cumulative_levels_include_the_levels_below(policing: Framework) -> None:
    item = policing.item("we-take-ownership")
    assert item is not None
    level_1, level_2, level_3 = (item.indicators[str(level)] for level in (1, 2, 3))
    assert policing.indicators("we-take-ownership", 1) == level_1
    assert policing.indicators("we-take-ownership", 2) == level_1 + level_2
    assert policing.indicators("we-take-ownership", 3) == level_1 + level_2 + level_3
    # A value holds at every level: its one list, shown once.
    courage = policing.item("courage")
    assert courage is not None
    assert policing.indicators("courage", 3) == courage.indicators["all"]


def test_levels_are_not_cumulative_unless_the_file_says_so(success_profiles: Framework) -> None:
    item = success_profiles.item("leadership")
    assert item is not None
    assert success_profiles.indicators("leadership", 4) == item.indicators["4"]


def test_a_cumulative_level_without_its_own_list_falls_back_to_all() -> None:
    data = tomllib.loads((ROOT / "reference" / "policing-cvf.toml").read_text())
    data["behaviours"][0]["indicators"] = {"1": ["first"], "all": ["common"], "3": ["third"]}
    framework = Framework.model_validate(data)
    assert framework.indicators(data["behaviours"][0]["id"], 3) == ["first", "common", "third"]


def test_head_of_profession_keeps_every_responsibility() -> None:
    template, _ = load_role_template("head-of-profession")
    text = " ".join(template.role.responsibilities).lower()
    for phrase in (
        "raise the profession's profile",
        "heads of profession of related professions",
        "diverse, forward-thinking team",
        "workforce plan",
    ):
        assert phrase in text, phrase
    assert template.role.department == ""


def test_head_of_learning_and_development_keeps_every_responsibility() -> None:
    template, _ = load_role_template("head-of-learning-and-development")
    text = " ".join(template.role.responsibilities).lower()
    assert len(template.role.responsibilities) == 8
    for phrase in (
        "continuing professional development",
        "development and delivery of learning and development services",
        "welfare",
        "values and ethics",
    ):
        assert phrase in text, phrase
