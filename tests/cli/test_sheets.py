"""Score sheets through the real CLI: one file per member, read with the campaign file as one campaign,
sync services' copies named and merged, and everything folded into one sealed file at the end."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from assessor.storage.campaign_file import load_campaign
from assessor.storage.lock import lock_path
from assessor.storage.sheets import sheet_path, sheets_folder
from tests.conftest import ROOT, run_cli, score_command


def score(path: Path, member: str, candidate: str, criterion: str, value: int, evidence: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(*score_command(path, member, candidate, criterion, value, evidence)[3:])


def scores_of(path: Path) -> dict[tuple[str, str, str], int]:
    return {(s.candidate, s.criterion, s.assessor): s.score for s in load_campaign(path).scores}


def test_a_sheet_holds_its_members_scores_and_audit_rows_in_plain_toml(minimal: Path) -> None:
    minimal.chmod(0o640)
    assert score(minimal, "P2", "C02", "leadership", 5, "Set direction for two teams.").returncode == 0
    sheet = sheet_path(minimal, "P2")
    assert sheet == minimal.parent / "minimal.sheets" / "P2.toml"
    text = sheet.read_text()
    assert text.startswith("# assessor score sheet (format 1) of P2 for campaign minimal-2026")
    data = tomllib.loads(text)
    assert (data["schema"], data["campaign"], data["member"]) == (1, "minimal-2026", "P2")
    assert [(row["candidate"], row["score"], row["evidence"]) for row in data["scores"]] == [("C02", 5, "Set direction for two teams.")]
    assert [(row["who"], row["what"]) for row in data["audit"]] == [("P2", "scored C02 on leadership at interview: 5")]
    assert sheet.stat().st_mode & 0o777 == 0o640, "a sheet is as private as its campaign file"
    assert sheets_folder(minimal).stat().st_mode & 0o777 == 0o750
    assert sorted(p.name for p in sheets_folder(minimal).iterdir()) == ["P2.toml"], "no lock or temporary file is left"
    assert scores_of(minimal)[("C02", "leadership", "P2")] == 5


def test_on_a_group_writable_campaign_the_group_may_add_their_sheets_but_others_may_not(minimal: Path) -> None:
    minimal.chmod(0o666)
    assert score(minimal, "P2", "C02", "leadership", 5).returncode == 0
    assert sheets_folder(minimal).stat().st_mode & 0o777 == 0o775


def test_a_later_score_on_an_item_the_campaign_file_holds_replaces_it_with_the_audit_saying_so(minimal: Path) -> None:
    assert scores_of(minimal)[("C01", "leadership", "P2")] == 3  # a file from before sheets: the score is in the campaign file
    before = minimal.read_bytes()
    result = score(minimal, "P2", "C01", "leadership", 4)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{minimal}: changed score for C01 on leadership at interview: 3 -> 4\n"
    assert minimal.read_bytes() == before
    campaign = load_campaign(minimal)
    mine = [s for s in campaign.scores if (s.candidate, s.criterion, s.assessor) == ("C01", "leadership", "P2")]
    assert len(mine) == 1 and mine[0].score == 4 and mine[0].evidence == "Examples were about tasks, not direction."
    assert run_cli("validate", str(minimal)).returncode == 0
    summary = run_cli("summary", str(minimal), "--format", "json")
    assert '"P2": 4' in summary.stdout.replace("\n", "").replace("  ", "") or '"P2":4' in summary.stdout.replace(" ", "")


def test_the_same_score_and_evidence_again_change_nothing_and_say_so(minimal: Path) -> None:
    assert score(minimal, "P2", "C02", "leadership", 5, "Set direction for two teams.").returncode == 0
    sheet = sheet_path(minimal, "P2")
    before = [(path.read_bytes(), path.stat().st_mtime_ns) for path in (minimal, sheet)]
    again = score(minimal, "P2", "C02", "leadership", 5, "Set direction for two teams.")
    assert again.returncode == 0, again.stderr
    said = f"{minimal}: nothing changed: P2's score for C02 on leadership at interview is already 5, with this evidence\n"
    assert (again.stdout, again.stderr) == (said, "")
    assert [(path.read_bytes(), path.stat().st_mtime_ns) for path in (minimal, sheet)] == before
    assert sorted(p.name for p in sheets_folder(minimal).iterdir()) == ["P2.toml"]


def test_the_same_score_again_on_an_item_the_campaign_file_holds_makes_no_sheet(minimal: Path) -> None:
    before = minimal.read_bytes()
    again = score(minimal, "P2", "C01", "leadership", 3)  # the evidence kept: the score already there
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"{minimal}: nothing changed: ")
    assert minimal.read_bytes() == before
    assert sorted(p.name for p in minimal.parent.iterdir()) == ["minimal.toml"]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('schema = 1\ncampaign = "minimal-2026"\nmember = "P2"\n[[scores]\n', 4, "broken TOML"),
        ('schema = 1\ncampaign = "another-2026"\nmember = "P2"\n', 2, "campaign: belongs to campaign 'another-2026', not 'minimal-2026'"),
        ('schema = 1\ncampaign = "minimal-2026"\nmember = "P1"\n', 3, "member: is the sheet of 'P1', but its file is named for 'P2'"),
        (
            'schema = 1\ncampaign = "minimal-2026"\nmember = "P2"\n\n[[scores]]\ncandidate = "C02"\ncriterion = "leadership"\n'
            'stage = "interview"\nassessor = "P1"\nscore = 5\nat = 2026-11-25T10:00:00Z\n',
            9,
            "scores[0].assessor: a score by 'P1' on the sheet of 'P2'",
        ),
        (
            'schema = 1\ncampaign = "minimal-2026"\nmember = "P2"\n\n[[scores]]\ncandidate = "C09"\ncriterion = "leadership"\n'
            'stage = "interview"\nassessor = "P2"\nscore = 5\nat = 2026-11-25T10:00:00Z\n',
            6,
            "scores[0].candidate: unknown candidate 'C09'",
        ),
        ('schema = 9\ncampaign = "minimal-2026"\nmember = "P2"\n', 1, "made by a newer assessor (sheet format 9"),
    ],
)
def test_a_bad_sheet_is_named_at_its_file_and_line_and_nothing_changes(minimal: Path, text: str, line: int, problem: str) -> None:
    sheet = sheet_path(minimal, "P2")
    sheet.parent.mkdir()
    sheet.write_text(text)
    before = minimal.read_bytes()
    for args in (("validate", str(minimal)), ("summary", str(minimal)), ("export-candidate", str(minimal), "C01")):
        result = run_cli(*args)
        assert result.returncode == 1, args
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"{sheet}:{line}: ") and problem in first, first
        assert "Traceback" not in result.stderr
    assert score(minimal, "P1", "C02", "leadership", 5).returncode == 1
    assert minimal.read_bytes() == before and sheet.read_text() == text


def test_an_id_that_is_not_a_panel_members_names_no_file(minimal: Path) -> None:
    for who in ("../../escape", "P9"):
        result = score(minimal, who, "C02", "leadership", 5)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in minimal.parent.iterdir()) == ["minimal.toml"], "a refused score leaves nothing behind"


SYNC_COPIES = ("P2 (1).toml", "P2-LAPTOP-17.toml", "P2 (conflicted copy 2026-12-01).toml")


@pytest.mark.parametrize("copy_name", SYNC_COPIES)
def test_a_sync_services_copy_is_named_by_validate_and_merged_by_merge(minimal: Path, tmp_path: Path, copy_name: str) -> None:
    assert score(minimal, "P2", "C02", "leadership", 5, "Set direction.").returncode == 0
    # The other laptop scored too, and the sync service kept both versions of P2's sheet.
    other = tmp_path / "laptop"
    other.mkdir()
    shutil.copyfile(minimal, other / "minimal.toml")
    assert score(other / "minimal.toml", "P2", "C02", "working-together", 6, "Ran a joint board.").returncode == 0
    stray = sheets_folder(minimal) / copy_name
    shutil.copyfile(sheet_path(other / "minimal.toml", "P2"), stray)

    checked = run_cli("validate", str(minimal))
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        f"{stray}: not a panel member's score sheet (a sync service's copy?): its scores are not counted; `assessor merge {minimal}` takes them in"
    ]
    summary = run_cli("summary", str(minimal))
    assert summary.returncode == 0 and f"note: {stray}: not a panel member's score sheet" in summary.stderr
    assert ("C02", "working-together", "P2") not in scores_of(minimal)
    finalising = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
    assert finalising.returncode == 1 and f"{stray}: not finalised: not a panel member's score sheet" in finalising.stderr

    merged = run_cli("merge", str(minimal), "--as", "P1")
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines() == [
        f"{minimal}: from {stray}: 1 scores, 0 agreed scores, 1 audit rows",
        f"{minimal}: removed {stray}: everything in it is in the campaign",
    ]
    assert not stray.exists()
    assert scores_of(minimal)[("C02", "working-together", "P2")] == 6
    assert run_cli("validate", str(minimal)).returncode == 0
    assert run_cli("merge", str(minimal)).stdout.strip().endswith("no file in its sheets folder but the members' own sheets")


def test_a_copy_that_disagrees_is_a_conflict_listed_and_nothing_is_written(minimal: Path) -> None:
    assert score(minimal, "P2", "C02", "leadership", 5, "Set direction.").returncode == 0
    stray = sheets_folder(minimal) / "P2 (1).toml"
    stray.write_text(sheet_path(minimal, "P2").read_text().replace("score = 5", "score = 2"))
    before = {p.name: p.read_bytes() for p in [minimal, *sheets_folder(minimal).iterdir()]}
    merged = run_cli("merge", str(minimal))
    assert merged.returncode == 1
    assert merged.stderr.splitlines() == [
        f"{minimal}: not merged: 1 conflict; nothing was changed",
        f"{minimal}: conflict: C02 on leadership at interview by P2: score 5 in {minimal}, 2 in {stray}",
    ]
    assert {p.name: p.read_bytes() for p in [minimal, *sheets_folder(minimal).iterdir()]} == before


def test_a_sheet_sent_by_email_is_taken_in_by_merge(minimal: Path, tmp_path: Path) -> None:
    offline = tmp_path / "offline"
    offline.mkdir()
    shutil.copyfile(minimal, offline / "minimal.toml")
    assert score(offline / "minimal.toml", "P2", "C02", "leadership", 6, "Scored on the train.").returncode == 0
    attachment = tmp_path / "P2.toml"
    shutil.copyfile(sheet_path(offline / "minimal.toml", "P2"), attachment)
    merged = run_cli("merge", str(minimal), str(attachment), "--as", "P1")
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines() == [f"{minimal}: from {attachment}: 1 scores, 0 agreed scores, 1 audit rows"]
    assert attachment.exists(), "a file from elsewhere is never removed"
    assert scores_of(minimal)[("C02", "leadership", "P2")] == 6
    again = run_cli("merge", str(minimal), str(attachment))
    assert again.stdout.strip() == f"{minimal}: nothing new to merge"


def test_finalise_folds_every_sheet_into_one_sealed_file(minimal: Path, tmp_path: Path) -> None:
    assert score(minimal, "P2", "C02", "leadership", 5, "Set direction.").returncode == 0
    assert score(minimal, "P1", "C02", "leadership", 6, "A clear vision.").returncode == 0
    expected = scores_of(minimal)
    result = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Signed off at the wash-up.")
    assert result.returncode == 0, result.stderr
    assert not sheets_folder(minimal).exists(), "the archive is one self-contained file"
    assert sorted(p.name for p in minimal.parent.iterdir()) == ["minimal.toml"]
    # Any TOML reader gets every score from the one file.
    data = tomllib.loads(minimal.read_text())
    assert {(s["candidate"], s["criterion"], s["assessor"]): s["score"] for s in data["scores"]} == expected
    assert run_cli("verify", str(minimal)).returncode == 0
    # A score after sealing is refused, and leaves nothing behind.
    assert score(minimal, "P2", "C02", "working-together", 4).returncode == 1
    assert sorted(p.name for p in minimal.parent.iterdir()) == ["minimal.toml"]


HOLD_AN_APP = """
import sys
from pathlib import Path
from assessor.storage.locked_changes import hold_sheet
with hold_sheet(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "P2"):
    print("open", flush=True)
    sys.stdin.read()  # open until the test lets go
"""


def test_finalise_is_refused_while_a_member_has_the_campaign_open(minimal: Path) -> None:
    assert score(minimal, "P2", "C02", "leadership", 5).returncode == 0
    app = subprocess.Popen([sys.executable, "-c", HOLD_AN_APP, str(minimal)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None and app.stdout.readline() == "open\n"
        before = minimal.read_bytes()
        result = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
        assert result.returncode == 1
        assert result.stderr.splitlines()[0].startswith(f"{sheet_path(minimal, 'P2')}: locked by P2 on ")
        assert minimal.read_bytes() == before and sheet_path(minimal, "P2").exists()
        assert not lock_path(minimal).exists() and not lock_path(sheet_path(minimal, "P1")).exists(), "every lock taken is let go"
    finally:
        app.kill()
        app.wait()


def test_finalise_names_every_member_who_has_the_campaign_open(minimal: Path) -> None:
    added = run_cli("panel", str(minimal), "--as", "P1", "--add", "P3", "--name", "Third Member", "--role", "member", "--reason", "A third reader.")
    assert added.returncode == 0, added.stderr
    apps = [
        subprocess.Popen(
            [sys.executable, "-c", HOLD_AN_APP, str(minimal), member], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for member in ("P2", "P3")
    ]
    try:
        assert all(app.stdout is not None and app.stdout.readline() == "open\n" for app in apps)
        result = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
        assert result.returncode == 1
        lines = result.stderr.splitlines()
        assert [line.split(": locked by ")[0] for line in lines] == [str(sheet_path(minimal, "P2")), str(sheet_path(minimal, "P3"))]
    finally:
        for app in apps:
            app.kill()
            app.wait()


def test_a_sync_services_copy_brings_its_notes_in_too(minimal: Path) -> None:
    """A stray is removed only once everything in it is in the campaign: its notes as well as its scores."""
    assert score(minimal, "P2", "C02", "leadership", 5, "Set direction.").returncode == 0
    stray = sheets_folder(minimal) / "P2 (1).toml"
    text = sheet_path(minimal, "P2").read_text()
    note = '\n[[notes]]\ncandidate = "C02"\nstage = "interview"\nassessor = "P2"\n'
    note += 'text = "Asked about hiring; clear answers."\nat = 2026-11-21T15:00:00Z\n'
    stray.write_text(text + note)
    merged = run_cli("merge", str(minimal), "--as", "P1")
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines()[0] == f"{minimal}: from {stray}: 0 scores, 0 agreed scores, 1 notes, 0 audit rows"
    assert not stray.exists()
    assert [row["text"] for row in tomllib.loads(minimal.read_text())["notes"]] == ["Asked about hiring; clear answers."]
