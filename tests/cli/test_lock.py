"""The lock beside a campaign: one writer at a time, holders named, dead holders' locks broken."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assessor.core.clock import stamp
from assessor.core.errors import CampaignError
from assessor.storage.lock import APP, SAVE, acquire_lock, lock_path, read_lock
from assessor.storage.processes import process_identity
from assessor.storage.sheets import sheet_path
from tests.conftest import ROOT, run_cli

SCORE = ("--as", "P2", "--candidate", "C02", "--criterion", "leadership", "--stage", "interview", "--score", "5", "--evidence", "Clear vision.")


def write_lock(campaign: Path, *, user: str, pid: int, host: str | None = None, since: str | None = None) -> str:
    """A lock file as another process would have left it, taken now unless `since` says when; returns its time as told."""
    since = since or stamp(datetime.now(UTC).replace(microsecond=0))
    lock_path(campaign).write_text(f'user = "{user}"\nhost = "{host or socket.gethostname()}"\npid = {pid}\nsince = {since}\n')
    return since


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
    since = write_lock(minimal, user="amara", pid=sleeper.pid)  # a lock that does not say why: held as long as an app's
    before = minimal.read_bytes()
    # Refused at once: were it waited for, the command would outlast run_cli's timeout.
    result = run_cli("moderate", str(minimal), *MODERATE, "--wait", "3600")
    assert result.returncode == 1
    host = socket.gethostname()
    assert result.stderr.splitlines() == [f"{minimal}: locked by amara on {host} (process {sleeper.pid}) since {since}"]
    assert minimal.read_bytes() == before
    assert lock_path(minimal).exists(), "someone else's lock is never removed"


def test_a_member_whose_app_has_their_sheet_open_is_refused_at_once(minimal: Path, sleeper) -> None:
    sheet = sheet_path(minimal, "P2")
    sheet.parent.mkdir()
    since = write_lock(sheet, user="tom", pid=sleeper.pid)
    result = run_cli("score", str(minimal), *SCORE)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{sheet}: locked by tom on {socket.gethostname()} (process {sleeper.pid}) since {since}"]
    assert not sheet.exists()
    # Another member is not held up by it.
    other = run_cli("score", str(minimal), "--as", "P1", "--candidate", "C02", "--criterion", "leadership", "--stage", "interview", "--score", "4")
    assert other.returncode == 0, other.stderr


def test_a_stale_lock_is_taken_over_with_a_one_line_note(minimal: Path) -> None:
    pid = dead_pid()
    since = write_lock(minimal, user="tom", pid=pid)
    result = run_cli("moderate", str(minimal), *MODERATE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{minimal}: note: broke a stale lock: tom on {socket.gethostname()} (process {pid}) since {since}, which is no longer running"
    ]
    assert "moderated C01 on leadership at interview" in result.stdout
    assert read_lock(minimal) is None
    assert sorted(p.name for p in minimal.parent.iterdir()) == [minimal.name]


def test_a_stale_lock_on_a_sheet_is_taken_over_too(minimal: Path) -> None:
    pid = dead_pid()
    sheet = sheet_path(minimal, "P2")
    sheet.parent.mkdir()
    since = write_lock(sheet, user="tom", pid=pid)
    result = run_cli("score", str(minimal), *SCORE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{minimal}: note: broke a stale lock: tom on {socket.gethostname()} (process {pid}) since {since}, which is no longer running"
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
        [sys.executable, "-m", "assessor", "moderate", str(minimal), *MODERATE, "--wait", "3600"],
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


def test_a_lock_naming_a_pid_too_big_for_any_process_is_stale(minimal: Path) -> None:
    since = write_lock(minimal, user="tom", pid=1099511627776)
    result = run_cli("moderate", str(minimal), *MODERATE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{minimal}: note: broke a stale lock: tom on {socket.gethostname()} (process 1099511627776) since {since}, which is no longer running"
    ]
    assert read_lock(minimal) is None


def test_a_lock_whose_pid_now_names_a_later_process_is_stale(minimal: Path, sleeper) -> None:
    # The lock was written in 2020; the live process with its id started only now: it is not the holder.
    since = write_lock(minimal, user="tom", pid=sleeper.pid, since="2020-01-06T09:00:00Z")
    result = run_cli("moderate", str(minimal), *MODERATE, "--wait", "3600")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{minimal}: note: broke a stale lock: tom on {socket.gethostname()} (process {sleeper.pid}) since {since}, which is no longer running"
    ]


def test_a_lock_knows_its_holder_by_boot_and_start_whatever_the_clock_says(minimal: Path, sleeper) -> None:
    identity = process_identity(sleeper.pid)
    if identity is None:
        pytest.skip("this system does not say when a process started")
    with acquire_lock(minimal, who="me") as taken:
        assert taken.info.identity == process_identity(os.getpid())
        assert read_lock(minimal) == taken.info, "boot and started are written and read back"
    boot, started = identity
    lock = lock_path(minimal)
    # Its own holder, though the lock's time says 2020 (a clock set right since): held.
    lock.write_text(
        f'user = "tom"\nhost = "{socket.gethostname()}"\npid = {sleeper.pid}\nsince = 2020-01-06T09:00:00Z\nboot = "{boot}"\nstarted = {started}\n'
    )
    result = run_cli("moderate", str(minimal), *MODERATE, "--wait", "3600")
    assert result.returncode == 1 and "locked by tom" in result.stderr
    # The same pid, started at another moment or in another boot: another process, so the lock is stale.
    for other in (f'boot = "{boot}"\nstarted = {started + 1}', f'boot = "another-boot"\nstarted = {started}'):
        since = stamp(datetime.now(UTC).replace(microsecond=0))
        lock.write_text(f'user = "tom"\nhost = "{socket.gethostname()}"\npid = {sleeper.pid}\nsince = {since}\n{other}\n')
        result = run_cli("moderate", str(minimal), *MODERATE, "--wait", "3600")
        assert result.returncode == 0, result.stderr
        assert "note: broke a stale lock: tom" in result.stderr


def test_what_is_in_the_way_of_a_lock_is_named_with_what_to_do(minimal: Path) -> None:
    lock = lock_path(minimal)
    before = minimal.read_bytes()
    advice = f"if nobody is changing {minimal.name} now, remove it and try again"
    makers = {
        "is a symbolic link, not a lock assessor made": lambda: lock.symlink_to("nowhere"),
        "is a folder, not a lock file": lock.mkdir,
        "is not a lock file (not a regular file)": lambda: os.mkfifo(lock),
    }
    for words, make in makers.items():
        make()
        # Never waited on: were it waited for, the command would outlast run_cli's timeout.
        for args in (("moderate", str(minimal), *MODERATE), ("advance", str(minimal), "--as", "P1")):
            result = run_cli(*args, "--wait", "3600")
            assert (result.returncode, result.stderr.splitlines()) == (1, [f"{lock}: {words}; {advice}"])
        assert minimal.read_bytes() == before
        lock.rmdir() if lock.is_dir() and not lock.is_symlink() else lock.unlink()


def test_control_characters_in_a_holders_name_are_shown_not_sent(minimal: Path, sleeper) -> None:
    lock = lock_path(minimal)
    since = stamp(datetime.now(UTC).replace(microsecond=0))
    lock.write_text(f'user = "x\\u001b[2Jy\\nz\\u0007"\nhost = "pc\\r"\npid = {sleeper.pid}\nsince = {since}\n')
    result = run_cli("moderate", str(minimal), *MODERATE)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{minimal}: locked by x\\x1b[2Jy\\x0az\\x07 on pc\\x0d (process {sleeper.pid}) since {since}"]


def test_the_lock_of_a_mode_000_file_is_its_owners_to_read(minimal: Path) -> None:
    minimal.chmod(0o000)
    with acquire_lock(minimal, who="me") as taken:
        assert lock_path(minimal).stat().st_mode & 0o777 == 0o600
        assert read_lock(minimal) == taken.info
    assert not lock_path(minimal).exists()


def test_release_lets_go_of_a_lock_that_became_unreadable_and_never_raises(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = acquire_lock(minimal, who="me")
    lock = lock_path(minimal)
    original = type(lock).read_bytes

    def unreadable(self: Path) -> bytes:  # as the lock reads to someone without root's rights after a chmod 000
        if self == lock:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(type(lock), "read_bytes", unreadable)
    taken.release()
    assert not lock.exists(), "known as ours by the file itself"
