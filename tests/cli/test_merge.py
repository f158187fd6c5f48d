"""assessor merge: panel members' own copies brought into one file, conflicts refused and listed."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from assessor.storage.campaign_file import load_campaign
from assessor.storage.sheets import sheets_folder
from tests.conftest import run_cli


def score(path: Path, assessor: str, candidate: str, criterion: str, value: int, evidence: str) -> None:
    result = run_cli(
        "score",
        str(path),
        "--as",
        assessor,
        "--candidate",
        candidate,
        "--criterion",
        criterion,
        "--stage",
        "interview",
        "--score",
        str(value),
        "--evidence",
        evidence,
    )
    assert result.returncode == 0, result.stderr


def copy_campaign(source: Path, target: Path) -> None:
    """A whole copy of a campaign: its file and its folder of score sheets."""
    shutil.copyfile(source, target)
    if sheets_folder(source).is_dir():
        shutil.copytree(sheets_folder(source), sheets_folder(target))


def files_of(path: Path) -> dict[str, bytes]:
    """The bytes of a campaign file and of each of its sheets, by name."""
    found = {path.name: path.read_bytes()}
    if sheets_folder(path).is_dir():
        found.update({f"{entry.parent.name}/{entry.name}": entry.read_bytes() for entry in sorted(sheets_folder(path).iterdir())})
    return found


@pytest.fixture
def copies(minimal: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The target and two panel members' copies, each with their own new scores."""
    tom, amara = tmp_path / "tom.toml", tmp_path / "amara.toml"
    copy_campaign(minimal, tom)
    copy_campaign(minimal, amara)
    score(tom, "P2", "C02", "leadership", 5, "Set direction for two teams.")
    score(amara, "P1", "C02", "leadership", 6, "A clear, costed vision.")
    score(amara, "P1", "C02", "working-together", 4, "Some joint work.")
    return minimal, tom, amara


def items(path: Path) -> set[tuple]:
    return {(s.candidate, s.criterion, s.stage, s.assessor, s.score, s.evidence) for s in load_campaign(path).scores}


def test_merge_brings_new_rows_in_and_keeps_identical_ones_once(copies: tuple[Path, Path, Path]) -> None:
    target, tom, amara = copies
    expected = items(target) | items(tom) | items(amara)
    result = run_cli("merge", str(target), str(tom), str(amara), "--as", "P1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{target}: from {tom}: 1 scores, 0 agreed scores, 1 audit rows",
        f"{target}: from {amara}: 2 scores, 0 agreed scores, 2 audit rows",
    ]
    assert items(target) == expected
    merged = load_campaign(target)
    assert len(merged.scores) == len(expected)
    whats = [row.what for row in merged.audit]
    assert "scored C02 on leadership at interview: 5" in whats and "scored C02 on working-together at interview: 4" in whats
    assert whats[-1].startswith(f"merged {tom}: 1 scores")
    assert [row.at for row in merged.audit[:-1]] == sorted(row.at for row in merged.audit[:-1])

    # Merging again changes nothing, to the byte.
    before = files_of(target)
    again = run_cli("merge", str(target), str(tom), str(amara))
    assert (again.returncode, again.stdout.strip()) == (0, f"{target}: nothing new to merge")
    assert files_of(target) == before


def test_every_conflict_is_listed_and_the_target_is_untouched(copies: tuple[Path, Path, Path], tmp_path: Path) -> None:
    target, tom, amara = copies
    other = tmp_path / "other.toml"
    copy_campaign(amara, other)
    score(target, "P1", "C02", "leadership", 5, "A clear, costed vision.")  # same item, another score
    score(target, "P1", "C02", "working-together", 4, "Some joint work, well led.")  # same score, other evidence
    score(other, "P2", "C01", "leadership", 4, "Changed my mind.")  # P2's target score is 3
    before = files_of(target)
    result = run_cli("merge", str(target), str(amara), str(other))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{target}: not merged: 5 conflicts; nothing was changed",
        f"{target}: conflict: C02 on leadership at interview by P1: score 5 in {target}, 6 in {amara}",
        f"{target}: conflict: C02 on working-together at interview by P1: different evidence in {target} and {amara}",
        f"{target}: conflict: C02 on leadership at interview by P1: score 5 in {target}, 6 in {other}",
        f"{target}: conflict: C02 on working-together at interview by P1: different evidence in {target} and {other}",
        f"{target}: conflict: C01 on leadership at interview by P2: score 3 in {target}, 4 in {other}",
    ]
    assert files_of(target) == before


def test_a_different_agreed_score_is_a_conflict(copies: tuple[Path, Path, Path]) -> None:
    target, tom, _ = copies
    result = run_cli(
        "moderate",
        str(tom),
        "--as",
        "P1",
        "--candidate",
        "C01",
        "--criterion",
        "leadership",
        "--stage",
        "interview",
        "--score",
        "5",
        "--rationale",
        "Agreed higher on reflection.",
    )
    assert result.returncode == 0, result.stderr
    merged = run_cli("merge", str(target), str(tom))
    assert merged.returncode == 1
    assert f"{target}: conflict: agreed score for C01 on leadership at interview: 4 in {target}, 5 in {tom}" in merged.stderr.splitlines()


def test_a_copy_of_another_campaign_is_refused(copies: tuple[Path, Path, Path]) -> None:
    target, tom, _ = copies
    tom.write_text(tom.read_text().replace('id = "minimal-2026"', 'id = "another-2026"'))
    for sheet in sheets_folder(tom).glob("*.toml"):
        sheet.write_text(sheet.read_text().replace('campaign = "minimal-2026"', 'campaign = "another-2026"'))
    before = target.read_bytes()
    result = run_cli("merge", str(target), str(tom))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{target}: not merged: the files do not hold the same campaign",
        f"{target}: {tom}: campaign 'another-2026' is not the target's 'minimal-2026': only copies of one campaign merge",
    ]
    assert target.read_bytes() == before


def test_a_set_up_the_target_lacks_is_refused(copies: tuple[Path, Path, Path]) -> None:
    target, tom, _ = copies
    text = tom.read_text().replace("[[scores]]", '[[candidates]]\nid = "C09"\nname = "Late Applicant"\n\n[[scores]]', 1)
    tom.write_text(text)
    assert run_cli("validate", str(tom)).returncode == 0
    result = run_cli("merge", str(target), str(tom))
    assert result.returncode == 1
    assert f"{target}: {tom}: candidates not in the target: C09 (the set-up must match; add them to the target first)" in result.stderr.splitlines()


def test_a_broken_source_is_reported_and_nothing_changes(copies: tuple[Path, Path, Path]) -> None:
    target, tom, _ = copies
    tom.write_text(tom.read_text().replace("score = 5", "score = 9", 1))
    before = target.read_bytes()
    result = run_cli("merge", str(target), str(tom))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tom}:") and "must be at most 7" in result.stderr
    assert target.read_bytes() == before
    assert tomllib.loads(target.read_text())["campaign"]["id"] == "minimal-2026"
