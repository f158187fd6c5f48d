"""Crash safety of the real CLI: SIGKILL at random instants never loses, doubles or tears a score.

A score goes to its member's sheet; finalising folds every sheet into the campaign file.
Either, killed at any instant, leaves files that load, with every score once.
"""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from assessor.changes.seal import seal_problems
from assessor.core.sheet import ScoreSheet
from assessor.storage.campaign_file import load_campaign, load_with_data, open_campaign, save_campaign
from assessor.storage.lock import LockInfo, _parse_lock
from assessor.storage.sheets import save_sheet, sheet_path, sheets_folder
from tests.conftest import ROOT, score_command
from tests.generate import make_light_campaign

KILLS = 9  # three at each phase: about 15 s


def p2_scores(path: Path, candidate: str, value: int) -> list[str]:
    return score_command(path, "P2", candidate, "delivering-at-pace", value, f"Evidence for {candidate}.")


def stored(path: Path) -> dict[str, tuple[int, int]]:
    """(score rows, audit rows) of this test's item per candidate, from a file that must load."""
    campaign = load_campaign(path)  # raises if the file were torn or held a duplicate score
    counts: dict[str, list[int]] = {}
    for score in campaign.scores:
        if (score.criterion, score.stage, score.assessor) == ("delivering-at-pace", "interview", "P2"):
            counts.setdefault(score.candidate, [0, 0])[0] += 1
    for row in campaign.audit:
        if row.what.startswith("scored ") and " on delivering-at-pace at interview: " in row.what:
            candidate = row.what.split()[1]
            counts.setdefault(candidate, [0, 0])[1] += 1
    return {candidate: (rows, audit) for candidate, (rows, audit) in counts.items()}


def ended_within(process: subprocess.Popen, seconds: float) -> bool:
    """Wait up to `seconds` for the process to end by itself; True if it did."""
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


def file_state(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def until(condition: Callable[[], bool], process: subprocess.Popen) -> bool:
    """Wait for `condition` while the process runs: True once it holds, False if the process ended first."""
    while not condition():
        if ended_within(process, 0.0005):
            return condition()
    return True


def kill_at_random_instant(process: subprocess.Popen, path: Path, phase: int, rng: random.Random, whole_run: float, *, at_once: bool = False) -> None:
    """SIGKILL while starting or loading (phase 0), while saving `path` (1), or after the save, around the exit (2).

    Each phase is found from the process and its files, never from a clock; only where in the
    phase the kill falls is random. `at_once` kills as it starts, before it can have saved anything.
    """
    temp = path.with_name(f".{path.name}.{socket.gethostname()}.{process.pid}.tmp")
    before = file_state(path)
    if phase == 0:
        if not at_once and ended_within(process, rng.uniform(0.05, 0.6) * whole_run):
            return
    elif phase == 1:
        # The save has begun once its temporary file exists: kill within the next instants.
        if not until(lambda: temp.exists() or file_state(path) != before, process) or ended_within(process, rng.uniform(0, 0.02)):
            return
    else:
        # The save is done once the file is replaced: kill on the way out.
        if not until(lambda: file_state(path) != before, process) or ended_within(process, rng.uniform(0, 0.3) * whole_run):
            return
    process.send_signal(signal.SIGKILL)


def locks_left(folder: Path) -> list[Path]:
    return sorted(folder.rglob(".*.lock"))


def read_lock_file(lock: Path) -> LockInfo:
    return _parse_lock(lock, lock.read_bytes())


def test_sigkill_at_any_instant_leaves_the_old_or_the_new_sheet(tmp_path: Path) -> None:
    path = tmp_path / "bulk.toml"
    save_campaign(make_light_campaign(1500, 4, 3, seed=11, scored=0.5), path)
    rng = random.Random(5)

    started = time.monotonic()
    first = subprocess.run(p2_scores(path, "C00001", 4), capture_output=True, text=True, cwd=ROOT, timeout=60)
    whole_run = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    confirmed = {"C00001"}
    outcomes = {"old": 0, "new": 0, "finished": 0}

    for attempt in range(KILLS):
        candidate = f"C{attempt + 2:05d}"
        process = subprocess.Popen(p2_scores(path, candidate, 5), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        kill_at_random_instant(process, sheet_path(path, "P2"), attempt % 3, rng, whole_run, at_once=attempt == 0)
        returncode = process.wait()
        found = stored(path)
        rows, audit = found.get(candidate, (0, 0))
        assert rows == audit and rows in (0, 1), f"kill {attempt}: {rows} scores and {audit} audit rows"
        if returncode == 0:
            assert rows == 1, "a command that reported success lost its score"
            outcomes["finished"] += 1
        else:
            outcomes["new" if rows else "old"] += 1
        if rows:
            confirmed.add(candidate)
        assert {c for c, (n, _) in found.items() if n == 1} == confirmed, "a score was lost or appeared from nowhere"

    # The next writer sweeps what the killed ones left: their temp files and a stale lock.
    last = subprocess.run(p2_scores(path, "C01000", 6), capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert last.returncode == 0, last.stderr
    assert all("note: broke a stale lock" in line for line in last.stderr.splitlines())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, sheets_folder(path).name])
    assert sorted(p.name for p in sheets_folder(path).iterdir()) == ["P2.toml"], "temp files and the stale lock are swept"
    assert stored(path)["C01000"] == (1, 1)
    assert outcomes["old"] >= 1, outcomes  # a kill before the save must leave the old file


FOLD_KILLS = 6


def scored_in_sheets(path: Path) -> set[tuple[str, str, str, str, int]]:
    """A campaign whose scores are all on its members' sheets; returns every score it holds."""
    campaign = make_light_campaign(400, 3, 3, seed=12, scored=0.7)
    members = {member.id for member in campaign.panel}
    save_campaign(campaign.model_copy(update={"scores": [], "audit": [row for row in campaign.audit if row.who not in members]}), path)
    for member in members:
        rows = [score for score in campaign.scores if score.assessor == member]
        sheet = ScoreSheet.model_validate(
            {"campaign": campaign.campaign.id, "member": member, "scores": rows, "audit": [row for row in campaign.audit if row.who == member]}
        )
        save_sheet(sheet, sheet_path(path, member), like=path)
    return {(*score.item, score.assessor, score.score) for score in campaign.scores}


def finalise_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "assessor", "finalise", str(path), "--as", "P1", "--force", "--rationale", "Signed off with the sift open."]


def test_sigkill_while_finalising_never_loses_or_doubles_a_score(tmp_path: Path) -> None:
    rng = random.Random(8)
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    expected = scored_in_sheets(pristine / "fold.toml")
    started = time.monotonic()
    timed = subprocess.run(finalise_command(pristine / "fold.toml"), capture_output=True, text=True, cwd=ROOT, timeout=60)
    whole_run = time.monotonic() - started
    assert timed.returncode == 0, timed.stderr
    assert not sheets_folder(pristine / "fold.toml").exists(), "a finished fold leaves one self-contained file"
    seen = {"final": 0, "not yet": 0}
    for attempt in range(FOLD_KILLS):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        path = folder / "fold.toml"
        scored_in_sheets(path)
        process = subprocess.Popen(finalise_command(path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        kill_at_random_instant(process, path, attempt % 3, rng, whole_run, at_once=attempt == 0)
        process.wait()
        opened = open_campaign(path)  # as the next writer opens it: raises if anything were torn or doubled
        assert {(*score.item, score.assessor, score.score) for score in opened.campaign.scores} == expected, f"kill {attempt}"
        assert len(opened.campaign.scores) == len(expected)
        if opened.campaign.campaign.status == "final":
            seen["final"] += 1
            assert seal_problems(*load_with_data(path)) == [], "the sealed file holds every score on its own"
            assert not list(sheets_folder(path).glob("*.toml")), "the open finished the fold: no sheet is left"
        else:
            seen["not yet"] += 1
            again = subprocess.run(finalise_command(path), capture_output=True, text=True, cwd=ROOT, timeout=60)
            assert again.returncode == 0, again.stderr
            assert {(*score.item, score.assessor, score.score) for score in load_campaign(path).scores} == expected
        assert all(read_lock_file(lock).stale for lock in locks_left(folder)), "a lock is left only by a process that died"
        # The next writer on this host breaks what the killed one left: no lock outlives it.
        subprocess.run(finalise_command(path), capture_output=True, cwd=ROOT, timeout=60)
        assert locks_left(folder) == []
        assert sorted(entry.name for entry in folder.iterdir()) == ["fold.toml"]
    assert seen["not yet"] >= 1, seen
