"""Reference data: frameworks and role templates load, and broken ones are reported clearly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessor.storage.reference import available_frameworks, load_framework, load_role_template, role_templates
from tests.conftest import MINIMAL, ROOT

BEHAVIOURS = [
    "seeing-the-big-picture",
    "changing-and-improving",
    "making-effective-decisions",
    "leadership",
    "communicating-and-influencing",
    "working-together",
    "developing-self-and-others",
    "managing-a-quality-service",
    "delivering-at-pace",
]


SCALE = [
    (7, "Outstanding"),
    (6, "Strong"),
    (5, "Good"),
    (4, "Acceptable"),
    (3, "Moderate"),
    (2, "Minimal"),
    (1, "Insufficient evidence"),
]
"""The 1-7 scale's scores and labels, as every framework holds them."""


def test_success_profiles_has_the_published_structure() -> None:
    framework = load_framework("success-profiles")
    assert [element.id for element in framework.elements] == ["behaviours", "strengths", "ability", "experience", "technical"]
    assert [level.number for level in framework.levels] == [1, 2, 3, 4, 5, 6]
    assert framework.level(1).grades == ["AA", "AO"]
    assert framework.level(3).grades == ["HEO", "SEO"]
    assert [item.id for item in framework.behaviours] == BEHAVIOURS
    assert len(framework.methods) == 13
    assert [(point.score, point.label) for point in framework.scale] == SCALE
    for item in framework.behaviours:
        assert sorted(item.indicators) == ["1", "2", "3", "4", "5", "6"], item.id
        assert all(len(sentences) >= 3 for sentences in item.indicators.values()), item.id


def test_indicators_differ_by_level() -> None:
    framework = load_framework("success-profiles")
    assert framework.indicators("leadership", 1) != framework.indicators("leadership", 6)
    assert framework.indicators("no-such-behaviour", 3) == []


def test_policing_framework_is_the_same_shape() -> None:
    framework = load_framework("policing-cvf")
    competencies = [item for item in framework.behaviours if item.element == "competencies"]
    values = [item for item in framework.behaviours if item.element == "values"]
    assert len(competencies) == 6 and len(values) == 3
    assert [level.number for level in framework.levels] == [1, 2, 3]
    assert {item.cluster for item in competencies} == {
        "Resolute, compassionate and committed",
        "Inclusive, enabling and visionary leadership",
        "Intelligent, creative and informed policing",
    }
    # Values hold at every level: the same indicators whatever the level.
    assert framework.indicators(values[0].id, 1) == framework.indicators(values[0].id, 3) != []
    assert available_frameworks() == ["policing-cvf", "success-profiles"]


@pytest.mark.parametrize("name", role_templates())
def test_every_role_template_is_valid(name: str) -> None:
    template, framework = load_role_template(name)
    assert template.role.title and template.role.responsibilities
    assert sum(criterion.lead for criterion in template.criteria) == 1
    assert template.level in framework.level_numbers


def test_templates_cover_the_three_role_profiles() -> None:
    assert role_templates() == ["head-of-digital", "head-of-learning-and-development", "head-of-profession"]
    assert load_role_template("head-of-learning-and-development")[1].id == "policing-cvf"


def _reference_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "reference"
    shutil.copytree(ROOT / "reference", copy)
    return copy


def _validate_with(reference: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSESSOR_REFERENCE": str(reference)}
    return subprocess.run([sys.executable, "-m", "assessor", "validate", *files], capture_output=True, text=True, env=env, timeout=60)


def test_a_broken_framework_file_is_reported_where_it_is(tmp_path: Path) -> None:
    reference = _reference_copy(tmp_path)
    framework_file = reference / "success-profiles.toml"
    lines = framework_file.read_text().splitlines()
    line = next(number for number, text in enumerate(lines, 1) if text.startswith("score = 6"))
    lines[line - 1] = "score = 9"
    framework_file.write_text("\n".join(lines) + "\n")

    result = _validate_with(reference, str(MINIMAL))

    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{framework_file}:{line}: scale[1].score: must be at most 7, not 9"]


def test_a_framework_file_with_broken_toml(tmp_path: Path) -> None:
    reference = _reference_copy(tmp_path)
    (reference / "success-profiles.toml").write_text("schema = 1\nid = \n")
    result = _validate_with(reference, str(MINIMAL))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{reference / 'success-profiles.toml'}:2: broken TOML")
    assert "Traceback" not in result.stderr


def test_a_template_naming_an_unknown_behaviour(tmp_path: Path) -> None:
    reference = _reference_copy(tmp_path)
    template = reference / "roles" / "head-of-digital.toml"
    template.write_text(template.read_text().replace('id = "working-together"', 'id = "teamwork"'))
    env = {**os.environ, "ASSESSOR_REFERENCE": str(reference)}
    result = subprocess.run(
        [sys.executable, "-m", "assessor", "new", str(tmp_path / "c.toml"), "--role", "head-of-digital"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "criteria[4].id: 'teamwork' is not one of the behaviours in Civil Service Success Profiles" in result.stderr
    assert result.stderr.startswith(f"{template}:")
    assert not (tmp_path / "c.toml").exists()
