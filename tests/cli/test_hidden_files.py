"""Hidden files in a sheets folder, through the real CLI and real files: every file there counts.

An editor's swap file (`.P2.toml.swp`) or the copy macOS makes on a shared drive
(`._P2.toml`) holding evidence is named by validate, folded or refused by merge, keeps
finalise from sealing until it is dealt with, and is removed by purge; assessor's own locks
and temporary files, and macOS's own folder settings, are never taken for strangers.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from assessor.storage.atomic import temp_path
from assessor.storage.lock import acquire_lock, lock_path
from assessor.storage.sheets import sheet_path, sheets_folder
from tests.cli.conftest import finalise_long_ago
from tests.conftest import run_cli, score_command

EVIDENCE = "Ran a joint board with two departments."
HIDDEN_COPIES = (".P2.toml.swp", "._P2.toml")
DS_STORE = b"\x00\x00\x00\x01Bud1" + bytes(56)
"""The first bytes of a real `.DS_Store`, the Finder's settings of a folder."""
APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00" + bytes(26)
"""The first bytes of a real AppleDouble `._NAME` file, macOS's extended attributes of NAME."""


def score(path: Path, member: str, criterion: str, value: int, evidence: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*score_command(path, member, "C02", criterion, value, evidence)[3:])


def on_disk(path: Path) -> dict[str, bytes]:
    """The bytes of the campaign file and of everything in its sheets folder, hidden or not."""
    found = {path.name: path.read_bytes()}
    if sheets_folder(path).is_dir():
        found.update({entry.name: entry.read_bytes() for entry in sheets_folder(path).iterdir() if entry.is_file()})
    return found


def scored_on_another_laptop(minimal: Path, tmp_path: Path) -> str:
    """P2's sheet as P2's other laptop saved it, with evidence the campaign does not have."""
    other = tmp_path / "laptop"
    other.mkdir()
    shutil.copyfile(minimal, other / "minimal.toml")
    assert score(other / "minimal.toml", "P2", "working-together", 6, EVIDENCE).returncode == 0
    return sheet_path(other / "minimal.toml", "P2").read_text()


def no_traceback(*results: subprocess.CompletedProcess[str]) -> None:
    for result in results:
        assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("name", HIDDEN_COPIES)
def test_a_hidden_copy_of_a_sheet_is_named_folded_by_merge_and_gone_once_finalised(minimal: Path, tmp_path: Path, name: str) -> None:
    assert score(minimal, "P2", "leadership", 5, "Set direction.").returncode == 0
    hidden = sheets_folder(minimal) / name
    hidden.write_text(scored_on_another_laptop(minimal, tmp_path))

    checked = run_cli("validate", str(minimal))
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        f"{hidden}: not a panel member's score sheet (a copy an editor or the system made?): its scores are not counted; "
        f"`assessor merge {minimal}` takes them in"
    ]
    summary = run_cli("summary", str(minimal))
    assert summary.returncode == 0 and summary.stderr.startswith(f"note: {hidden}: not a panel member's score sheet")

    before = on_disk(minimal)
    refused = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"{hidden}: not finalised: not a panel member's score sheet: take it in first (`assessor merge {minimal}`) or remove it"
    ]
    assert on_disk(minimal) == before, "a refused finalise changes nothing"

    merged = run_cli("merge", str(minimal), "--as", "P1")
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines() == [
        f"{minimal}: from {hidden}: 1 scores, 0 agreed scores, 1 audit rows",
        f"{minimal}: removed {hidden}: everything in it is in the campaign",
    ]
    assert not hidden.exists() and EVIDENCE in minimal.read_text()
    assert run_cli("validate", str(minimal)).returncode == 0

    final = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
    assert final.returncode == 0, final.stderr
    assert sorted(entry.name for entry in minimal.parent.iterdir()) == ["laptop", "minimal.toml"], "the sheets folder is gone, hidden files and all"
    assert EVIDENCE in minimal.read_text()
    no_traceback(checked, summary, refused, merged, final)


NOT_SHEETS = {
    ".P2.toml.swp": (b"b0VIM 9.0\x00\x00\x00\x00P2 typed: " + EVIDENCE.encode(), "not a text file (contains NUL bytes)"),
    "._P2.toml": (f"evidence: {EVIDENCE}\n".encode(), "broken TOML: "),
}


@pytest.mark.parametrize("name", NOT_SHEETS)
def test_a_hidden_file_that_is_no_sheet_is_a_problem_named_and_merge_refuses_it(minimal: Path, name: str) -> None:
    assert score(minimal, "P2", "leadership", 5, "Set direction.").returncode == 0
    hidden = sheets_folder(minimal) / name
    raw, why = NOT_SHEETS[name]
    hidden.write_bytes(raw)
    before = on_disk(minimal)

    checked = run_cli("validate", str(minimal))
    assert checked.returncode == 1
    [line] = checked.stderr.splitlines()
    assert line.startswith(f"{hidden}: not a score sheet: {why}")
    assert line.endswith("; nothing in it is counted; if it holds scores or evidence, enter them on the member's own sheet, then remove it")

    merged = run_cli("merge", str(minimal), "--as", "P1")
    assert merged.returncode == 1
    [line] = merged.stderr.splitlines()
    assert line.startswith(f"{hidden}: not merged: not a score sheet: {why}")
    refused = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert line.startswith(f"{hidden}: not finalised: not a score sheet: {why}")
    assert on_disk(minimal) == before, "nothing on disk changes"
    no_traceback(checked, merged, refused)

    # Once the member has their evidence on their own sheet, the file is removed by hand and the fold goes on.
    hidden.unlink()
    final = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
    assert final.returncode == 0, final.stderr
    assert not sheets_folder(minimal).exists()


def test_every_file_merge_cannot_take_in_is_named_a_line_each_and_nothing_changes(minimal: Path, tmp_path: Path) -> None:
    assert score(minimal, "P2", "leadership", 5, "Set direction.").returncode == 0
    folder = sheets_folder(minimal)
    (folder / "._P2.toml").write_text(scored_on_another_laptop(minimal, tmp_path))  # could be taken in, alone
    (folder / ".P2.toml.swp").write_bytes(NOT_SHEETS[".P2.toml.swp"][0])
    (folder / ".P9.toml").write_text(sheet_path(minimal, "P2").read_text().replace('member = "P2"', 'member = "P9"'))
    (folder / ".notes").mkdir()
    before = on_disk(minimal)

    checked = run_cli("validate", str(minimal))
    assert checked.returncode == 1
    named = [str(folder / name) for name in (".P2.toml.swp", ".P9.toml", "._P2.toml", ".notes")]
    assert [line.split(": ")[0] for line in checked.stderr.splitlines()] == named
    merged = run_cli("merge", str(minimal), "--as", "P1")
    assert merged.returncode == 1
    lines = merged.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines] == [str(folder / ".P2.toml.swp"), str(folder / ".notes")]
    assert lines[1].startswith(f"{folder / '.notes'}: not merged: not a score sheet: is a folder")
    assert on_disk(minimal) == before
    no_traceback(checked, merged)

    # Without the two that are no sheets, the sheet of someone not on the panel is refused, by its line.
    shutil.rmtree(folder / ".notes")
    (folder / ".P2.toml.swp").unlink()
    merged = run_cli("merge", str(minimal), "--as", "P1")
    assert merged.returncode == 1
    assert merged.stderr.startswith(f"{folder / '.P9.toml'}:") and "P9" in merged.stderr
    assert (folder / "._P2.toml").exists() and (folder / ".P9.toml").exists()
    no_traceback(merged)


def test_purge_removes_hidden_files_holding_evidence(clean: Path) -> None:
    clean.write_text(clean.read_text().replace("retain_until = 2027-11-22", "retain_until = 2025-01-31"))
    finalise_long_ago(clean, "P1", "Closing.")
    folder = sheets_folder(clean)
    folder.mkdir()
    hidden = {
        ".P2.toml.swp": NOT_SHEETS[".P2.toml.swp"][0],
        "._P2.toml": f'# P2\nevidence = "{EVIDENCE}"\n'.encode(),
        ".P2.toml.laptop-17.4242.tmp": f'evidence = "{EVIDENCE}"\n'.encode(),  # a save that died on another machine
    }
    for name, raw in hidden.items():
        (folder / name).write_bytes(raw)
    (folder / ".DS_Store").write_bytes(DS_STORE)

    checked = run_cli("validate", str(clean))
    assert checked.returncode == 1
    assert [line.split(": ")[0] for line in checked.stderr.splitlines()] == [str(folder / ".P2.toml.swp"), str(folder / "._P2.toml")]

    result = run_cli("purge", str(clean), "--as", "P1")
    assert result.returncode == 0, result.stderr
    removed = [line for line in result.stdout.splitlines() if ": removed " in line]
    assert removed == [f"{clean}: removed {folder / name}, which holds personal data" for name in sorted(hidden)]
    assert not folder.exists(), "nothing that held evidence is left, and no folder"
    assert run_cli("validate", str(clean)).returncode == 0
    no_traceback(checked, result)


def test_the_apps_own_files_and_macos_folder_settings_are_not_strangers(minimal: Path) -> None:
    assert score(minimal, "P2", "leadership", 5, "Set direction.").returncode == 0
    sheet = sheet_path(minimal, "P2")
    folder = sheet.parent
    lock = lock_path(sheet)
    own = [
        temp_path(sheet, f".{sheet.name}."),  # this process's save, under way
        folder / f".{sheet.name}.laptop-17.4242.tmp",  # another machine's save
        folder / f"{lock.name}.laptop-17.4242.tmp",  # a lock being taken on another machine
        lock.with_name(lock.name + ".break"),  # a stale lock being broken
    ]
    for path in own:
        path.write_text("schema = 1\n")
    (folder / ".DS_Store").write_bytes(DS_STORE)
    (folder / "._P2.toml").write_bytes(APPLE_DOUBLE)
    with acquire_lock(sheet, who="P2", like=minimal):
        checked = run_cli("validate", str(minimal))
        assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
        merged = run_cli("merge", str(minimal), "--as", "P1")
        assert merged.returncode == 0 and merged.stdout.strip().endswith("no file in its sheets folder but the members' own sheets")
    for path in own[2:]:
        path.unlink()  # the lock taken, the stale lock broken: assessor's lock files are left to their takers
    # Holding every lock, finalise removes what saves that stopped left, and macOS's files, with the sheets.
    final = run_cli("finalise", str(minimal), "--as", "P1", "--force", "--rationale", "Done.")
    assert final.returncode == 0, final.stderr
    assert not folder.exists()


def test_a_file_named_as_the_systems_that_holds_anything_else_is_a_stranger(minimal: Path) -> None:
    assert score(minimal, "P2", "leadership", 5, "Set direction.").returncode == 0
    stranger = sheets_folder(minimal) / ".DS_Store"
    stranger.write_text(sheet_path(minimal, "P2").read_text())
    checked = run_cli("validate", str(minimal))
    assert checked.returncode == 1 and checked.stderr.startswith(f"{stranger}: not a panel member's score sheet")


def test_validate_says_nothing_of_a_save_under_way(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the instant a save's temporary file is whole and its lock held, just before the
    rename, another member's validate sees the campaign as valid."""
    from assessor.changes.scores import record
    from assessor.core.clock import now
    from assessor.storage.locked_changes import change_score_sheet

    seen: list[tuple[set[str], subprocess.CompletedProcess[str]]] = []
    replace = os.replace

    def replace_after_a_look(source: str | Path, target: str | Path) -> None:
        if Path(target).name == "P2.toml":
            seen.append(({entry.name for entry in sheets_folder(minimal).iterdir()}, run_cli("validate", str(minimal))))
        replace(source, target)

    monkeypatch.setattr(os, "replace", replace_after_a_look)
    change_score_sheet(
        minimal,
        "P2",
        lambda campaign: record(
            campaign, assessor="P2", candidate="C02", criterion="leadership", stage="interview", score=5, evidence="Set direction.", at=now()
        ),
        who="P2",
    )
    [(names, checked)] = seen
    assert names == {".P2.toml.lock", f".P2.toml.{socket.gethostname()}.{os.getpid()}.tmp"}
    assert (checked.returncode, checked.stderr) == (0, "")
