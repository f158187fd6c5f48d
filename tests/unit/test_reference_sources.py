"""Reference data stays faithful to its sources: one indicator per published example, the
meanings that matter kept, and nothing in the files that the sources do not support unless
the file says so.

Most checks hold their expectations here, so they run wherever the repository is cloned. The
checks that compare a file with its source document read it from `../shared/seeds/` beside the
repository, and are skipped where it is absent.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from assessor.core.framework import Framework
from assessor.storage.reference import load_framework, load_role_template, role_templates
from tests.conftest import ROOT
from tests.unit.test_reference import SCALE

SOURCES = ROOT.parent / "shared" / "seeds"
"""The source documents the reference files are written from, where present."""

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
    # The Civil Service Behaviours give every method for behaviours and for nothing else: each
    # other element a method is listed for is named in its pairing_note.
    assert len(success_profiles.methods) == 13
    assert all("behaviours" in method.elements for method in success_profiles.methods)
    by_id = {method.id: method for method in success_profiles.methods}
    assert "ability" in by_id["civil-service-judgement-test"].elements
    assert "strengths" in by_id["interview"].elements
    for method in success_profiles.methods:
        beyond = set(method.elements) - {"behaviours"}
        assert bool(method.pairing_note) == bool(beyond), method.id
        for element in beyond:
            assert element in method.pairing_note.lower(), (method.id, element)


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


# Every place where the Civil Service Behaviours say "diverse" or "diversity": (behaviour,
# level, position of the indicator at that level). Diversity stays diversity, never "varied",
# "wide" or "different".
DIVERSE_INDICATORS = [
    ("seeing-the-big-picture", 2, 0),
    ("seeing-the-big-picture", 3, 4),
    ("seeing-the-big-picture", 4, 3),
    ("seeing-the-big-picture", 5, 4),
    ("seeing-the-big-picture", 6, 4),
    ("changing-and-improving", 2, 6),
    ("changing-and-improving", 3, 5),
    ("changing-and-improving", 4, 0),
    ("changing-and-improving", 4, 5),
    ("changing-and-improving", 5, 6),
    ("changing-and-improving", 6, 1),
    ("making-effective-decisions", 1, 2),
    ("making-effective-decisions", 2, 4),
    ("making-effective-decisions", 5, 3),
    ("leadership", 4, 0),
    ("leadership", 5, 3),
    ("leadership", 6, 3),
    ("communicating-and-influencing", 3, 5),
    ("communicating-and-influencing", 4, 5),
    ("communicating-and-influencing", 5, 4),
    ("working-together", 3, 6),
    ("working-together", 5, 1),
    ("working-together", 6, 0),
    ("working-together", 6, 4),
    ("developing-self-and-others", 2, 3),
    ("developing-self-and-others", 5, 6),
    ("developing-self-and-others", 6, 2),
    ("managing-a-quality-service", 3, 4),
    ("managing-a-quality-service", 4, 0),
    ("managing-a-quality-service", 5, 0),
]
DIVERSE_SUMMARIES = ["leadership", "working-together", "managing-a-quality-service"]

# Wording whose strength or subject matters, as many times as the Civil Service Behaviours use it.
KEPT_PHRASES = {
    "take responsibility for making": 1,
    "actively develop and protect": 1,
    "communicated with colleagues": 1,
    "straightforward": 2,
}


@pytest.mark.parametrize(("item_id", "level", "position"), DIVERSE_INDICATORS)
def test_diversity_stays_diversity(success_profiles: Framework, item_id: str, level: int, position: int) -> None:
    assert "divers" in success_profiles.indicators(item_id, level)[position].lower()


def test_summaries_keep_diversity(success_profiles: Framework) -> None:
    for item in success_profiles.behaviours:
        assert ("divers" in item.summary.lower()) == (item.id in DIVERSE_SUMMARIES), item.id


def test_diversity_is_said_nowhere_else(success_profiles: Framework) -> None:
    places = {
        (item.id, int(level), position)
        for item in success_profiles.behaviours
        for level, sentences in item.indicators.items()
        for position, sentence in enumerate(sentences)
        if "divers" in sentence.lower()
    }
    assert places == set(DIVERSE_INDICATORS)


def test_restored_wording(success_profiles: Framework) -> None:
    assert success_profiles.indicators("making-effective-decisions", 2)[0].startswith("Take responsibility for making")
    reputation = success_profiles.indicators("leadership", 6)[0]
    assert reputation.startswith("Actively develop and protect") and "reputation" in reputation
    assert "are communicated with colleagues" in success_profiles.indicators("communicating-and-influencing", 3)[5]
    assert "straightforward" in success_profiles.indicators("communicating-and-influencing", 3)[0]
    assert "straightforward" in success_profiles.indicators("communicating-and-influencing", 5)[2]
    every = " ".join(sentence for item in success_profiles.behaviours for sentences in item.indicators.values() for sentence in sentences).lower()
    for phrase, count in KEPT_PHRASES.items():
        assert every.count(phrase) == count, phrase


def test_every_file_says_what_it_adds_beyond_its_sources(success_profiles: Framework, policing: Framework) -> None:
    note = success_profiles.source_note.lower()
    for addition in ("method descriptions", "pairing_note", "strengths and ability", "guaranteed interview", "scale_note"):
        assert addition in note, addition
    assert "no scoring scale" in success_profiles.scale_note.lower()
    assert policing.source_note and policing.scale_note
    for name in role_templates():
        template, _ = load_role_template(name)
        assert "suggestions to edit" in template.source_note, name


def test_policing_levels_are_used_flexibly_not_fixed_to_ranks(policing: Framework) -> None:
    ranks = ("constable", "sergeant", "inspector", "superintendent", "chief officer")
    for level in policing.levels:
        assert level.grades == [], level.number
        assert "used flexibly" in level.description and "not fixed to a rank" in level.description, level.number
        assert not any(rank in f"{level.name} {level.description}".lower() for rank in ranks), level.number
    assert "used flexibly rather than fixed to ranks" in policing.summary


def test_policing_says_it_does_not_hold_the_nine_core_skills(policing: Framework) -> None:
    # The source documents say every policing role shares nine core skills but do not name
    # them: the file says they exist and that it does not hold them.
    assert "nine core skills, which this file does not hold" in policing.summary
    assert "nine core skills are not held here" in policing.source_note


def test_head_of_profession_keeps_diversification() -> None:
    template, _ = load_role_template("head-of-profession")
    text = " ".join(template.role.responsibilities).lower()
    assert "graduate pipelines and diversification" in text
    assert text.count("divers") == 2  # a diverse team, and diversification


@pytest.mark.parametrize("name", ["head-of-digital", "head-of-profession", "head-of-learning-and-development"])
def test_a_grade_field_holds_a_grade_of_the_level_or_nothing(name: str) -> None:
    template, framework = load_role_template(name)
    level = framework.level(template.level)
    assert level is not None
    grade = template.role.grade
    assert grade == "" or any(grade == known or grade.startswith(f"{known} (") for known in level.grades), grade


def test_head_of_learning_and_development_names_its_role_family_in_the_summary() -> None:
    template, _ = load_role_template("head-of-learning-and-development")
    assert (template.role.grade, template.role.department) == ("", "")
    assert "service function leader role in the Policing Professional Profiles" in template.role.summary


# ---------------------------------------------------------------- against the source documents


def _source(name: str) -> str:
    path = SOURCES / name
    if not path.is_file():
        pytest.skip(f"source document {name} not present")
    return path.read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, str]:
    """The `## Name` sections of a part of the behaviours document, each on one line."""
    found = re.finditer(r"^## (.+?)\n(.*?)(?=^##? |\Z)", text, flags=re.M | re.S)
    return {match[1].strip(): " ".join(match[2].split()) for match in found if match[2].strip()}


def _behaviour_examples() -> tuple[dict[str, str], dict[tuple[str, int], list[str]]]:
    """The behaviours document's definitions by name, and its example sentences by name and level."""
    text = _source("success-profiles-behaviours.txt")
    definitions = _sections(text.split("# Definitions of Behaviours")[1].split("# Contents")[0])
    parts = re.split(r"^# Level (\d)", text, flags=re.M)
    examples = {}
    for level, body in zip(parts[1::2], parts[2::2], strict=True):
        for name, paragraph in _sections(body).items():
            examples[(name, int(level))] = re.split(r"(?<=\.)\s+(?=[A-Z])", paragraph)
    return definitions, examples


def test_the_counts_held_here_are_the_source_documents(success_profiles: Framework) -> None:
    _, examples = _behaviour_examples()
    for item in success_profiles.behaviours:
        assert tuple(len(examples[(item.name, level)]) for level in range(1, 7)) == SEED_INDICATOR_COUNTS[item.id], item.id


def test_diversity_and_kept_phrases_match_the_source_document(success_profiles: Framework) -> None:
    definitions, examples = _behaviour_examples()
    for item in success_profiles.behaviours:
        assert ("divers" in definitions[item.name].lower()) == ("divers" in item.summary.lower()), item.id
        for level in range(1, 7):
            for position, (source, ours) in enumerate(zip(examples[(item.name, level)], item.indicators[str(level)], strict=True)):
                where = (item.id, level, position)
                assert ("divers" in source.lower()) == ("divers" in ours.lower()), where
                for phrase in KEPT_PHRASES:
                    assert (phrase in source.lower()) == (phrase in ours.lower()), (where, phrase)


def test_head_of_profession_diversification_is_the_role_profile() -> None:
    source = _source("role-head-of-profession.txt").lower()
    template, _ = load_role_template("head-of-profession")
    ours = " ".join(template.role.responsibilities).lower()
    for word in ("diversification", "diverse"):
        assert source.count(word) == ours.count(word), word


def test_policing_notes_match_the_role_profile(policing: Framework) -> None:
    source = " ".join(_source("role-head-of-learning-and-development.txt").split())
    assert "can be used flexibly" in source and "nine core skills" in source
    assert "service function leader role" in source and "business support" in source
    template, _ = load_role_template("head-of-learning-and-development")
    assert "business support" in template.role.summary


def test_a_department_comes_from_the_role_profile_or_is_left_empty() -> None:
    for name in role_templates():
        template, _ = load_role_template(name)
        department = template.role.department
        assert department == "" or department in _source(f"role-{name}.txt"), name
