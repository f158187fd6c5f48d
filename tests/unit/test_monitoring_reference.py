"""The monitoring questions are data (`reference/monitoring.toml`), checked like every reference file;
HR's export is matched to them ignoring case; and only the monitoring command reads such an export."""

from __future__ import annotations

import shutil
from pathlib import Path

import grimp
import pytest

from assessor.core.errors import CampaignError
from assessor.core.monitoring import PREFER_NOT_TO_SAY
from assessor.storage.monitoring_data import check_monitoring_rows
from assessor.storage.reference import BUNDLED_REFERENCE, available_frameworks, load_monitoring

ETHNIC_GROUPS = [
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or multiple ethnic groups",
    "White",
    "Other ethnic group",
    "Prefer not to say",
]


def test_the_civil_service_questions_are_there_each_with_prefer_not_to_say() -> None:
    questions = load_monitoring()
    assert [found.id for found in questions.characteristics] == [
        "sex",
        "ethnicity",
        "disability",
        "age",
        "sexual-orientation",
        "religion-or-belief",
        "socio-economic-background",
    ]
    assert [group.name for group in questions.characteristic("ethnicity").groups] == ETHNIC_GROUPS
    assert all(PREFER_NOT_TO_SAY in found.group_names for found in questions.characteristics)
    assert "monitoring" not in available_frameworks()


def test_a_value_names_a_group_by_id_or_name_in_any_case_and_a_column_by_id_or_name() -> None:
    questions = load_monitoring()
    ethnicity = questions.characteristic("ethnicity")
    assert ethnicity.group_for("  black, black british,  CARIBBEAN or African ") == "black"
    assert ethnicity.group_for("WHITE") == "white"
    assert ethnicity.group_for("Martian") is None
    assert [questions.characteristic_for(heading).id for heading in ("Sexual orientation", "sexual_orientation", "SEXUAL-ORIENTATION")] == [
        "sexual-orientation"
    ] * 3  # type: ignore[union-attr]
    assert questions.characteristic_for("Colour") is None


@pytest.fixture
def own_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reference folder of the test's own, holding a copy of the monitoring questions."""
    folder = tmp_path / "reference"
    folder.mkdir()
    shutil.copyfile(BUNDLED_REFERENCE / "monitoring.toml", folder / "monitoring.toml")
    monkeypatch.setenv("ASSESSOR_REFERENCE", str(folder))
    return folder / "monitoring.toml"


def test_an_unknown_key_is_refused_with_its_line(own_reference: Path) -> None:
    text = own_reference.read_text().replace('id = "sex"\n', 'id = "sex"\ncolour = "blue"\n', 1)
    own_reference.write_text(text)
    with pytest.raises(CampaignError) as caught:
        load_monitoring()
    line = text.splitlines().index('colour = "blue"') + 1
    assert [str(problem) for problem in caught.value.problems] == [
        f"{own_reference}:{line}: characteristics[0].colour: unknown key (not part of the format; check the spelling)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '[[characteristics.groups]]\nid = "prefer-not-to-say"\nname = "Prefer not to say"\n\n[[characteristics]]\nid = "ethnicity"',
            '[[characteristics]]\nid = "ethnicity"',
            "every characteristic has the group 'prefer-not-to-say'",
        ),
        ('id = "male"\nname = "Male"', 'id = "male"\nname = "female"', "would name two groups"),
        ('id = "male"', 'id = "Male"', "'Male' is not an id of the monitoring questions"),
        ('id = "male"', 'id = "not-given"', "the report's own row"),
    ],
)
def test_groups_that_could_not_be_told_apart_or_are_missing_are_refused(own_reference: Path, old: str, new: str, message: str) -> None:
    text = own_reference.read_text()
    assert old in text
    own_reference.write_text(text.replace(old, new, 1))
    with pytest.raises(CampaignError) as caught:
        load_monitoring()
    assert message in str(caught.value)


def rows(*lines: list[str]) -> list[tuple[int, list[str]]]:
    return list(enumerate(lines, start=1))


def test_an_export_is_matched_to_the_groups_and_every_bad_line_named() -> None:
    questions = load_monitoring()
    data = check_monitoring_rows(
        "data.csv",
        rows(["Reference", "Sex", "ETHNICITY", "Email"], ["R1", "female", "white", "a@b"], ["R2", "", "Asian or Asian British", ""]),
        questions,
        None,
        unknown_as_not_given=False,
    )
    assert (data.key_column, data.characteristics, data.ignored) == ("reference", ("sex", "ethnicity"), ("'Email'",))
    assert [(row.line, row.key, row.answers) for row in data.rows] == [
        (2, "R1", {"sex": "female", "ethnicity": "white"}),
        (3, "R2", {"sex": None, "ethnicity": "asian"}),
    ]
    bad = rows(["reference", "ethnicity"], ["R1", "Martian"], ["", "White"], ["R1", "White"], ["R3", "White", "extra"])
    with pytest.raises(CampaignError) as caught:
        check_monitoring_rows("data.csv", bad, questions, None, unknown_as_not_given=False)
    assert [str(problem) for problem in caught.value.problems] == [
        "data.csv:2: ethnicity 'Martian' is not a group of ethnicity (one of: asian, black, mixed, white, other, prefer-not-to-say)",
        "data.csv:3: reference is empty",
        "data.csv:4: the same reference as line 2",
        "data.csv:5: 3 values where the header has 2",
    ]
    lenient = check_monitoring_rows("data.csv", bad[:2], questions, None, unknown_as_not_given=True)
    assert ([row.answers for row in lenient.rows], lenient.not_given) == ([{"ethnicity": None}], {"ethnicity": (2,)})


def test_only_the_monitoring_command_reads_an_export() -> None:
    graph = grimp.build_graph("assessor")
    assert graph.find_modules_that_directly_import("assessor.storage.monitoring_data") == {"assessor.monitoring_commands"}
