"""Every broken file gets its one clear line from the real CLI, exit 1, and is left alone."""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import DATA, run_cli

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
    assert result.stderr.splitlines() == [EXPECTED[name]]
    assert len(result.stderr.splitlines()[0]) < 200
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


def test_the_app_refuses_a_broken_file_in_one_line() -> None:
    result = run_cli("score-eight.toml", cwd=BAD)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [EXPECTED["score-eight.toml"]]
