"""The lock beside a campaign: one writer at a time, holders named, dead holders' locks broken."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assessor.core.errors import CampaignError
from assessor.storage.lock import APP, SAVE, acquire_lock, lock_path, read_lock
from assessor.storage.sheets import sheet_path
from tests.conftest import ROOT, run_cli

SCORE = ("--as", "P2", "--candidate", "C02", "--criterion", "leadership", "--stage", "interview", "--score", "5", "--evidence", "Clear vision.")


def write_lock(campaign: Path, *, user: str, pid: int, host: str | None = None) -> Path:
    """A lock file as another process would have left it."""
    lock = lock_path(campaign)
    lock.write_text(f'user = "{user}"\nhost = "{host or socket.gethostname()}"\npid = {pid}\nsince = 2026-11-28T09:15:00Z\n')
    return lock


def dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(finished.stdout)


@pytest.fixture
def sleeper():
    """A live process on this host, standing in for a lock's holder: it runs until its input closes."""
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    yield process
    process.kill()
    process.wait()


MODERATE = ("--as", "P1", "--candidate", "C01", "--criterion", "leadership", "--stage", "interview", "--score", "5", "--rationale", "Agreed.")


def test_a_live_holder_refuses_by_name_and_the_files_are_untouched(minimal: Path, sleeper) -> None:
    write_lock(minimal, user="amara", pid=sleeper.pid)  # a lock that does not say why: held as long as an app's
    before = minimal.read_bytes()
    started = time.monotonic()
    result = run_cli("moderate", str(minimal), *MODERATE)
    assert result.returncode == 1
    assert time.monotonic() - started < 5, "a file open in an app is refused at once, not waited for"
    host = socket.gethostname()
    assert result.stderr.splitlines() == [f"{minimal}: locked by amara on {host} (process {sleeper.pid}) since 2026-11-28T09:15:00Z"]
    assert minimal.read_bytes() == before
    assert lock_path(minimal).exists(), "someone else's lock is never removed"


def test_a_member_whose_app_has_their_sheet_open_is_refused_at_once(minimal: Path, sleeper) -> None:
    sheet = sheet_path(minimal, "P2")
    sheet.parent.mkdir()
    write_lock(sheet, user="tom", pid=sleeper.pid)
    result = run_cli("score", str(minimal), *SCORE)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{sheet}: locked by tom on {socket.gethostname()} (process {sleeper.pid}) since 2026-11-28T09:15:00Z"]
    assert not sheet.exists()
    # Another member is not held up by it.
    other = run_cli("score", str(minimal), "--as", "P1", "--candidate", "C02", "--criterion", "leadership", "--stage", "interview", "--score", "4")
    assert other.returncode == 0, other.stderr


def test_a_stale_lock_is_taken_over_with_a_one_line_note(minimal: Path) -> None:
    pid = dead_pid()
    write_lock(minimal, user="tom", pid=pid)
    result = run_cli("moderate", str(minimal), *MODERATE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{minimal}: note: broke a stale lock: tom on {socket.gethostname()} (process {pid}) since 2026-11-28T09:15:00Z, which is no longer running"
    ]
    assert "moderated C01 on leadership at interview" in result.stdout
    assert read_lock(minimal) is None
    assert sorted(p.name for p in minimal.parent.iterdir()) == [minimal.name]


def test_a_stale_lock_on_a_sheet_is_taken_over_too(minimal: Path) -> None:
    pid = dead_pid()
    sheet = sheet_path(minimal, "P2")
    sheet.parent.mkdir()
    write_lock(sheet, user="tom", pid=pid)
    result = run_cli("score", str(minimal), *SCORE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{minimal}: note: broke a stale lock: tom on {socket.gethostname()} (process {pid}) since 2026-11-28T09:15:00Z, which is no longer running"
    ]
    assert sorted(p.name for p in sheet.parent.iterdir()) == ["P2.toml"]


def test_an_app_holding_the_campaign_file_refuses_the_chair_but_never_a_member(minimal: Path) -> None:
    before = minimal.read_bytes()
    with acquire_lock(minimal, who="okafor", purpose=APP) as lock:
        assert lock.notice is None
        held = read_lock(minimal)
        assert held is not None and (held.user, held.pid, held.purpose) == ("okafor", os.getpid(), APP)
        for args in (("moderate", str(minimal), *MODERATE), ("advance", str(minimal), "--as", "P1")):
            result = run_cli(*args)
            assert result.returncode == 1
            assert result.stderr.splitlines() == [f"{minimal}: locked by {held.describe()}"]
        # Reading needs no lock, and a member's score goes to their own sheet.
        assert run_cli("validate", str(minimal)).returncode == 0
        assert run_cli("summary", str(minimal)).returncode == 0
        assert run_cli("score", str(minimal), *SCORE).returncode == 0
        assert minimal.read_bytes() == before
    assert read_lock(minimal) is None
    assert run_cli("moderate", str(minimal), *MODERATE).returncode == 0


HOLD_FOR_A_SAVE = """
import sys
from pathlib import Path
from assessor.storage.lock import SAVE, acquire_lock
with acquire_lock(Path(sys.argv[1]), who="okafor", purpose=SAVE):
    print("held", flush=True)
    sys.stdin.readline()  # a slow save, as on a network share: it ends when the test says so
"""


def hold_for_a_save(path: Path) -> subprocess.Popen[str]:
    """Another process holding the file's lock for one (slow) save, until a line is written to it; returns once it holds it."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_FOR_A_SAVE, str(path)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def test_a_save_in_progress_is_waited_for_up_to_wait_seconds(minimal: Path) -> None:
    holder = hold_for_a_save(minimal)
    try:
        held = read_lock(minimal)
        assert held is not None and held.purpose == SAVE
        result = run_cli("moderate", str(minimal), *MODERATE, "--wait", "0.5")
        assert result.returncode == 1
        assert result.stderr.splitlines() == [f"{minimal}: locked by {held.describe()}, still saving after 0.5 s; try again"]
    finally:
        holder.kill()
        holder.wait()
    # A wait longer than the save outlasts it: the command started while the lock was held goes through.
    holder = hold_for_a_save(minimal)
    waiting = subprocess.Popen(
        [sys.executable, "-m", "assessor", "moderate", str(minimal), *MODERATE, "--wait", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None
    holder.stdin.write("saved\n")  # the slow save ends while the command waits (or is starting)
    holder.stdin.close()
    assert holder.wait(timeout=60) == 0
    _, errors = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, errors
    assert "moderated C01 on leadership at interview" in minimal.read_text()


def test_wait_must_be_a_number_of_seconds(minimal: Path) -> None:
    for bad in ("soon", "-1"):
        result = run_cli("score", str(minimal), *SCORE, "--wait", bad)
        assert result.returncode == 2
        assert "--wait" in result.stderr


def test_a_lock_from_another_host_is_never_broken(minimal: Path) -> None:
    write_lock(minimal, user="amara", pid=dead_pid(), host="another-pc")
    with pytest.raises(CampaignError, match=r"locked by amara on another-pc \(process \d+\)"):
        acquire_lock(minimal, who="me")


def test_an_unreadable_lock_is_waited_for_while_young_and_broken_when_old(minimal: Path) -> None:
    lock = lock_path(minimal)
    lock.write_bytes(b"")  # its creator has not written its name yet
    with pytest.raises(CampaignError, match="taking the lock right now"):
        acquire_lock(minimal, who="me", wait=0)
    old = time.time() - 60
    os.utime(lock, (old, old))
    with acquire_lock(minimal, who="me") as taken:
        assert taken.notice == f"broke an unreadable lock file {lock.name}"
    assert not lock.exists()


def test_release_never_removes_a_lock_that_is_no_longer_ours(minimal: Path, sleeper) -> None:
    taken = acquire_lock(minimal, who="me")
    lock_path(minimal).unlink()
    write_lock(minimal, user="amara", pid=sleeper.pid)  # someone judged us dead and took over
    taken.release()
    assert read_lock(minimal).user == "amara"


def test_the_lock_is_as_readable_as_the_campaign(minimal: Path) -> None:
    minimal.chmod(0o640)
    with acquire_lock(minimal, who="me"):
        assert lock_path(minimal).stat().st_mode & 0o777 == 0o640


def test_locking_a_missing_file_says_so(tmp_path: Path) -> None:
    result = run_cli("score", str(tmp_path / "nope.toml"), *SCORE)
    assert (result.returncode, result.stderr.strip()) == (1, f"{tmp_path / 'nope.toml'}: no such file")
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_default_wait_is_the_locks() -> None:
    from assessor import cli
    from assessor.storage import lock

    assert cli.DEFAULT_WAIT_SECONDS == lock.DEFAULT_WAIT_SECONDS
