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
from assessor.storage.lock import acquire_lock, lock_path, read_lock
from tests.conftest import run_cli

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
    process = subprocess.Popen(["sleep", "60"])
    yield process
    process.kill()
    process.wait()


def test_a_live_holder_refuses_score_by_name_and_the_file_is_untouched(minimal: Path, sleeper) -> None:
    write_lock(minimal, user="amara", pid=sleeper.pid)
    before = minimal.read_bytes()
    result = run_cli("score", str(minimal), *SCORE)
    assert result.returncode == 1
    host = socket.gethostname()
    assert result.stderr.splitlines() == [f"{minimal}: locked by amara on {host} (process {sleeper.pid}) since 2026-11-28T09:15:00Z"]
    assert minimal.read_bytes() == before
    assert lock_path(minimal).exists(), "someone else's lock is never removed"


def test_a_stale_lock_is_taken_over_with_a_one_line_note(minimal: Path) -> None:
    pid = dead_pid()
    write_lock(minimal, user="tom", pid=pid)
    result = run_cli("score", str(minimal), *SCORE)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{minimal}: note: broke a stale lock: tom on {socket.gethostname()} (process {pid}) since 2026-11-28T09:15:00Z, which is no longer running"
    ]
    assert "scored C02 on leadership at interview: 5" in result.stdout
    assert read_lock(minimal) is None
    assert sorted(p.name for p in minimal.parent.iterdir()) == [minimal.name]


def test_the_cli_is_refused_while_another_process_holds_the_lock(minimal: Path) -> None:
    before = minimal.read_bytes()
    with acquire_lock(minimal, who="okafor") as lock:
        assert lock.notice is None
        held = read_lock(minimal)
        assert held is not None and (held.user, held.pid) == ("okafor", os.getpid())
        for args in (
            ("score", str(minimal), *SCORE),
            (
                "moderate",
                str(minimal),
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
                "Agreed.",
            ),
        ):
            result = run_cli(*args)
            assert result.returncode == 1
            assert result.stderr.splitlines() == [f"{minimal}: locked by {held.describe()}"]
        # Reading needs no lock.
        assert run_cli("validate", str(minimal)).returncode == 0
        assert run_cli("summary", str(minimal)).returncode == 0
        assert minimal.read_bytes() == before
    assert read_lock(minimal) is None
    assert run_cli("score", str(minimal), *SCORE).returncode == 0


def test_a_lock_from_another_host_is_never_broken(minimal: Path) -> None:
    write_lock(minimal, user="amara", pid=dead_pid(), host="another-pc")
    with pytest.raises(CampaignError, match=r"locked by amara on another-pc \(process \d+\)"):
        acquire_lock(minimal, who="me")


def test_an_unreadable_lock_is_waited_for_while_young_and_broken_when_old(minimal: Path) -> None:
    lock = lock_path(minimal)
    lock.write_bytes(b"")  # its creator has not written its name yet
    with pytest.raises(CampaignError, match="taking the lock right now"):
        acquire_lock(minimal, who="me")
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
