"""Every broken file gets its one clear line from the real CLI, exit 1, and is left alone."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from assessor.storage.campaign_file import load_campaign
from tests.conftest import DATA, EXAMPLE, run_cli

BAD = DATA / "bad"
EXPECTED: dict[str, str] = tomllib.loads((DATA / "bad_messages.toml").read_text())
CASES = sorted(path.name for path in BAD.glob("*.toml"))


def test_every_bad_file_has_an_expected_message() -> None:
    assert len(CASES) >= 20
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("name", CASES)
def test_validate_reports_the_problem_in_one_line(name: str) -> None:
    path = BAD / name
    before = path.read_bytes(), path.stat().st_mtime_ns

    result = run_cli("validate", name, cwd=BAD)

    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines == EXPECTED[name].splitlines()
    assert len(lines) <= 4 and all(len(line) < 200 for line in lines), "one mistake: one line, or a few with a count"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in BAD.iterdir() if not p.name.endswith(".toml")) == []


def test_validate_reports_every_file_and_every_problem(tmp_path) -> None:
    broken = tmp_path / "two-problems.toml"
    text = (DATA / "minimal.toml").read_text()
    broken.write_text(text.replace("score = 5", "score = 9").replace("score = 3", 'score = "three"'))

    result = run_cli("validate", str(DATA / "minimal.toml"), str(broken), str(BAD / "empty.toml"))

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        f"{broken}:80: scores[0].score: must be at most 7, not 9",
        f"{broken}:89: scores[1].score: must be a whole number, not 'three'",
        f"{BAD / 'empty.toml'}: the file is empty",
    ]


def test_one_mistake_in_many_rows_is_told_once_with_a_count(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    example = load_campaign(EXAMPLE)
    scores, criterion = example.scores, [row.id for row in example.criteria].index("working-together")
    renamed = tmp_path / "renamed.toml"  # C02 given C01's id: every score of C02 names a candidate that is gone
    renamed.write_text(text.replace('id = "C02"', 'id = "C01"', 1))
    of_c02 = sum(score.candidate == "C02" for score in scores)
    at = text.index('id = "working-together"')
    misspelt = tmp_path / "misspelt.toml"  # a criterion's stage misspelt: its scores at the real stage no longer fit
    misspelt.write_text(text[:at] + text[at:].replace('"sift",', '"sfit",', 1))
    at_sift = sum(score.item[1:] == ("working-together", "sift") for score in scores)
    assert of_c02 > 4 and at_sift > 4

    result = run_cli("validate", str(renamed), str(misspelt))

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [re.sub(r"^(.*?):\d+:", r"\1:N:", re.sub(r"lines \d+ to \d+", "lines A to B", line)) for line in lines] == [
        f"{renamed}:N: candidates[1].id: duplicate id 'C01'",
        f"{renamed}:N: scores[{scores.index(next(s for s in scores if s.candidate == 'C02'))}].candidate: unknown candidate 'C02'",
        f"{renamed}: … and {of_c02 - 1} more scores like it (lines A to B)",
        f"{misspelt}:N: criteria[{criterion}].stages[0]: unknown stage 'sfit'",
        f"{misspelt}:N: scores[{scores.index(next(s for s in scores if s.item[1:] == ('working-together', 'sift')))}].stage: "
        "criterion 'working-together' is not assessed at stage 'sift'",
        f"{misspelt}: … and {at_sift - 1} more scores like it (lines A to B)",
    ]


def test_a_byte_order_mark_at_the_start_is_ignored_and_gone_after_the_next_save(minimal: Path) -> None:
    minimal.write_bytes(b"\xef\xbb\xbf" + minimal.read_bytes())  # as some Windows editors save
    validated = run_cli("validate", str(minimal))
    assert (validated.returncode, validated.stderr) == (0, "")
    broken = minimal.with_name("broken.toml")
    broken.write_bytes(minimal.read_bytes().replace(b"score = 5", b"score = 9"))
    assert run_cli("validate", str(broken)).stderr == f"{broken}:80: scores[0].score: must be at most 7, not 9\n", "lines as an editor shows them"

    moderated = run_cli(
        "moderate", str(minimal), "--as", "P1", "--candidate", "C01", "--criterion", "leadership", "--stage", "interview", "--score", "5"
    )
    assert moderated.returncode == 0, moderated.stderr
    assert not minimal.read_bytes().startswith(b"\xef\xbb\xbf")
    assert tomllib.loads(minimal.read_text())["moderation"][0]["score"] == 5  # any TOML reader loads it again


def test_the_app_refuses_a_broken_file_in_one_line() -> None:
    result = run_cli("score-eight.toml", cwd=BAD)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [EXPECTED["score-eight.toml"]]
