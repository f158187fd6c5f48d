"""Crash safety of the real CLI: a death at any instant never loses, doubles or tears a score.

A score goes to its member's sheet; finalising folds every sheet into the campaign file.
Either, killed at any instant, leaves files that load, with every score once. Each kill is
aimed at a moment found from the process and its files, never from a clock: as it starts,
once it holds its lock, while its temporary file is there (the process is stopped first,
so where it was is known, not guessed), half way through writing (the kernel kills it at
a file size limit, deterministically), and once the file is replaced. The tests assert
that kills did land mid-save: a test whose kills all missed the save would prove nothing.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from assessor.changes.seal import seal_problems
from assessor.core.sheet import ScoreSheet
from assessor.storage.campaign_file import load_campaign, load_with_data, open_campaign, save_campaign
from assessor.storage.lock import LockInfo, _parse_lock, lock_path
from assessor.storage.sheets import save_sheet, sheet_path, sheets_folder
from tests.conftest import ROOT, score_command
from tests.generate import make_light_campaign

if not Path("/proc/self/stat").exists():
    pytest.skip("a stopped process is recognised through /proc", allow_module_level=True)

PHASES = ("start", "locked", "writing", "torn", "saved")
"""Where each kill is aimed, in the order a save goes through them."""

TORN = """
import resource, signal, sys
sys.dont_write_bytecode = True  # the only files written are the command's own
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it; by default the kernel kills
from assessor.cli import main
sys.exit(main(sys.argv[2:]))
"""
"""The real CLI, killed by the kernel as its write passes LIMIT bytes: always half way through a file."""


def torn_at(limit: int, command: list[str]) -> list[str]:
    """`command` (an `assessor` command line) run so that it dies writing byte `limit` of any file."""
    assert command[1:3] == ["-m", "assessor"]
    return [sys.executable, "-c", TORN, str(limit), *command[3:]]


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


def file_state(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def temp_of(path: Path, process: subprocess.Popen) -> Path:
    """The temporary file the process writes `path`'s new text to."""
    return path.with_name(f".{path.name}.{socket.gethostname()}.{process.pid}.tmp")


def halted(process: subprocess.Popen) -> bool:
    """Whether the process is stopped or has ended, as the kernel says."""
    try:
        state = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in {"T", "t", "Z", "X"}


def stop_when(condition: Callable[[], bool], process: subprocess.Popen) -> bool:
    """Stop the process (SIGSTOP) as soon as `condition` holds; False if it ended first.

    Looks without sleeping, giving the processor up between looks: the moment may last
    only as long as an fsync.
    """
    while not condition():
        if process.poll() is not None:
            return False
        os.sched_yield()
    process.send_signal(signal.SIGSTOP)
    while not halted(process):
        os.sched_yield()
    return True


def kill_in_phase(process: subprocess.Popen, target: Path, phase: str) -> str:
    """Kill the process at `phase` of its save of `target`; return where it was: before, mid-save or after the save.

    The process is stopped before it is looked at, so the answer is what the kill met.
    """
    temp, before = temp_of(target, process), file_state(target)
    if phase == "torn":  # killed by the kernel half way through writing: the temporary file is torn
        process.wait()
        assert process.returncode == -signal.SIGXFSZ, process.returncode
        assert temp.exists() and file_state(target) == before, "the kernel's kill met the write of the temporary file"
        return "mid-save"
    conditions = {
        "start": lambda: True,
        "locked": lambda: lock_path(target).exists(),
        "writing": lambda: temp.exists() or file_state(target) != before,
        "saved": lambda: file_state(target) != before,
    }
    if not stop_when(conditions[phase], process):
        return "ended"
    where = "after" if file_state(target) != before else "mid-save" if temp.exists() else "before"
    process.send_signal(signal.SIGKILL)
    process.send_signal(signal.SIGCONT)  # a stopped process dies of SIGKILL all the same; this only tidies
    process.wait()
    return where


def locks_left(folder: Path) -> list[Path]:
    return sorted(folder.rglob(".*.lock"))


def read_lock_file(lock: Path) -> LockInfo:
    return _parse_lock(lock, lock.read_bytes())


def test_a_kill_at_any_instant_leaves_the_old_or_the_new_sheet(tmp_path: Path) -> None:
    path = tmp_path / "bulk.toml"
    save_campaign(make_light_campaign(1500, 4, 3, seed=11, scored=0.5), path)
    sheet = sheet_path(path, "P2")
    first = subprocess.run(p2_scores(path, "C00001", 4), capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert first.returncode == 0, first.stderr
    confirmed = {"C00001"}
    landed = {"before": 0, "mid-save": 0, "after": 0, "ended": 0}
    outcomes = {"old": 0, "new": 0, "finished": 0}

    for attempt, phase in enumerate(PHASES * 2):
        candidate = f"C{attempt + 2:05d}"
        command = p2_scores(path, candidate, 5)
        if phase == "torn":  # the new sheet is longer than the old one: it dies before the new text is whole
            command = torn_at(sheet.stat().st_size, command)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        where = kill_in_phase(process, sheet, phase)
        landed[where] += 1
        found = stored(path)
        rows, audit = found.get(candidate, (0, 0))
        assert rows == audit and rows in (0, 1), f"kill {attempt} ({phase}, {where}): {rows} scores and {audit} audit rows"
        if where in ("before", "mid-save"):
            assert rows == 0, f"kill {attempt} ({phase}): killed before its sheet was replaced, the old sheet stays"
        if process.returncode == 0:
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
    assert landed["mid-save"] >= 2, landed  # the torn writes at least: kills that met the save itself
    assert landed["before"] >= 2 and outcomes["old"] >= 2, (landed, outcomes)


def scored_in_sheets(path: Path) -> set[tuple[str, str, str, str, int]]:
    """A campaign whose scores are all on its members' sheets; returns every score it holds."""
    campaign = make_light_campaign(200, 3, 3, seed=12, scored=0.7)
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


def test_a_kill_while_finalising_never_loses_or_doubles_a_score(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    expected = scored_in_sheets(pristine / "fold.toml")
    timed = subprocess.run(finalise_command(pristine / "fold.toml"), capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert timed.returncode == 0, timed.stderr
    assert not sheets_folder(pristine / "fold.toml").exists(), "a finished fold leaves one self-contained file"
    seen = {"final": 0, "not yet": 0}
    landed = {"before": 0, "mid-save": 0, "after": 0, "ended": 0}
    for attempt, phase in enumerate((*PHASES, "writing")):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        path = folder / "fold.toml"
        scored_in_sheets(path)
        command = finalise_command(path)
        if phase == "torn":  # well past every lock file, well short of the sealed campaign
            command = torn_at(4096, command)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        where = kill_in_phase(process, path, phase)
        landed[where] += 1
        opened = open_campaign(path)  # as the next writer opens it: raises if anything were torn or doubled
        assert {(*score.item, score.assessor, score.score) for score in opened.campaign.scores} == expected, f"kill {attempt}"
        assert len(opened.campaign.scores) == len(expected)
        if opened.campaign.campaign.status == "final":
            seen["final"] += 1
            assert seal_problems(*load_with_data(path)) == [], "the sealed file holds every score on its own"
            assert not list(sheets_folder(path).glob("*.toml")), "the open finished the fold: no sheet is left"
        else:
            assert where != "after", "a fold killed after the campaign file was replaced is final"
            seen["not yet"] += 1
            again = subprocess.run(finalise_command(path), capture_output=True, text=True, cwd=ROOT, timeout=60)
            assert again.returncode == 0, again.stderr
            assert {(*score.item, score.assessor, score.score) for score in load_campaign(path).scores} == expected
        assert all(read_lock_file(lock).stale for lock in locks_left(folder)), "a lock is left only by a process that died"
        # The next writer on this host breaks what the killed one left: no lock outlives it.
        subprocess.run(finalise_command(path), capture_output=True, cwd=ROOT, timeout=60)
        assert locks_left(folder) == []
        assert sorted(entry.name for entry in folder.iterdir()) == ["fold.toml"]
    assert landed["mid-save"] >= 1 and seen["not yet"] >= 2, (landed, seen)


def test_the_torn_write_is_killed_by_the_kernel_at_the_limit(tmp_path: Path) -> None:
    # What the "torn" kills rest on: a write past RLIMIT_FSIZE ends the process there and then.
    target = tmp_path / "big.bin"
    script = "import os, resource, signal; resource.setrlimit(resource.RLIMIT_CORE, (0, 0)); "
    script += "resource.setrlimit(resource.RLIMIT_FSIZE, (100, resource.RLIM_INFINITY)); signal.signal(signal.SIGXFSZ, signal.SIG_DFL); "
    script += f"fd = os.open({str(target)!r}, os.O_WRONLY | os.O_CREAT); os.write(fd, b'x' * 150); os.write(fd, b'y'); print('survived')"
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert finished.returncode == -signal.SIGXFSZ and "survived" not in finished.stdout
    assert target.stat().st_size == 100
