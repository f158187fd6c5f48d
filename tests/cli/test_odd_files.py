"""Files that are not what they seem: links, hard links, FIFOs, devices, read-only and unreadable files.

Each gets one line and exit 1, or does the right thing; no lock or sheets folder is left behind.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessor.core.errors import CampaignError
from assessor.storage.campaign_file import load_campaign
from assessor.storage.lock import APP, acquire_lock, lock_path
from assessor.storage.sheets import sheet_path, sheets_folder
from tests.conftest import MINIMAL, ROOT, run_cli

SCORE = ("--as", "P2", "--candidate", "C02", "--criterion", "leadership", "--stage", "interview", "--score", "5", "--evidence", "Clear vision.")
MODERATE = ("--as", "P1", "--candidate", "C01", "--criterion", "leadership", "--stage", "interview", "--score", "5", "--rationale", "Agreed.")


def names(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir())


def test_a_symbolic_link_is_saved_through_sharing_the_targets_lock_and_sheets(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    shutil.copyfile(MINIMAL, real)
    link = tmp_path / "link.toml"
    link.symlink_to("real.toml")

    result = run_cli("score", str(link), *SCORE)
    assert result.returncode == 0, result.stderr
    assert sheet_path(link, "P2") == sheet_path(real, "P2") == tmp_path / "real.sheets" / "P2.toml"
    assert names(tmp_path) == ["link.toml", "real.sheets", "real.toml"]
    scores = load_campaign(real).scores
    assert load_campaign(link).scores == scores and [s.evidence for s in scores if s.assessor == "P2" and s.candidate == "C02"] == ["Clear vision."]

    result = run_cli("moderate", str(link), *MODERATE)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink(), "the link is kept, the file it points to changed"
    assert "moderated C01 on leadership at interview" in real.read_text()

    # One lock, whichever name is used: a writer through the link is stopped by an app on the real name.
    with acquire_lock(real, who="okafor", purpose=APP) as held:
        assert lock_path(link) == lock_path(real)
        before = real.read_bytes()
        refused = run_cli("moderate", str(link), *MODERATE)
        assert (refused.returncode, refused.stderr.splitlines()) == (1, [f"{link}: locked by {held.info.describe()}"])
        assert real.read_bytes() == before


def test_a_file_with_hard_links_is_never_parted_from_them(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    shutil.copyfile(MINIMAL, real)
    other = tmp_path / "other.toml"
    os.link(real, other)
    before = real.read_bytes()
    result = run_cli("moderate", str(real), *MODERATE)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{real}: not saved: the file has 2 names (hard links), and saving would leave the others with the old text; "
        "keep one name (delete the other links) or work on a copy"
    ]
    assert real.read_bytes() == other.read_bytes() == before
    assert os.stat(real).st_ino == os.stat(other).st_ino
    assert names(tmp_path) == ["other.toml", "real.toml"], "no lock is left"


def test_a_fifo_or_a_device_is_refused_before_it_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    # A reader that opened the FIFO would wait for a writer for ever: run_cli's timeout would fail the test.
    for args in (("validate", str(fifo)), ("summary", str(fifo)), ("score", str(fifo), *SCORE), ("moderate", str(fifo), *MODERATE)):
        result = run_cli(*args)
        assert (result.returncode, result.stderr.splitlines()) == (
            1,
            [f"{fifo}: is a named pipe (FIFO), not a file: assessor reads only regular files"],
        )
    assert names(tmp_path) == ["f.toml"]
    result = run_cli("validate", "/dev/zero")  # read whole, it would fill the memory
    assert (result.returncode, result.stderr.splitlines()) == (1, ["/dev/zero: is a device, not a file: assessor reads only regular files"])


def test_a_read_only_campaign_file_is_never_replaced(minimal: Path) -> None:
    minimal.chmod(0o444)
    before = minimal.read_bytes()
    line = f"{minimal}: not saved: the file is read-only (mode 0444); make it writable (chmod u+w) to change it"
    for args in (("moderate", str(minimal), *MODERATE), ("score", str(minimal), *SCORE), ("advance", str(minimal), "--as", "P1")):
        result = run_cli(*args)
        assert (result.returncode, result.stderr.splitlines()) == (1, [line]), args
    assert minimal.read_bytes() == before
    assert stat.S_IMODE(minimal.stat().st_mode) == 0o444
    assert names(minimal.parent) == ["minimal.toml"], "no lock or sheets folder is left"
    assert run_cli("validate", str(minimal)).returncode == 0, "reading it is fine"


def test_a_mode_000_campaign_is_refused_and_its_lock_would_be_readable(minimal: Path) -> None:
    minimal.chmod(0o000)
    result = run_cli("score", str(minimal), *SCORE)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert names(minimal.parent) == ["minimal.toml"], "no lock or sheets folder is left"
    # A lock beside it is always readable and writable by its owner, who must read it to let it go.
    with acquire_lock(minimal, who="me"):
        assert stat.S_IMODE(lock_path(minimal).stat().st_mode) == 0o600
    assert not lock_path(minimal).exists()


def test_a_sheet_is_always_readable_by_its_writer(minimal: Path) -> None:
    from assessor.storage.atomic import write_atomic

    minimal.chmod(0o000)
    sheet = sheet_path(minimal, "P2")
    sheets_folder(minimal).mkdir()
    write_atomic(sheet, b"schema = 1\n", like=minimal)
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600


NOBODY = "nobody"


@pytest.fixture
def unprivileged() -> Iterator[tuple[list[str], Path]]:
    """A command prefix that runs as a user without root's rights, and a folder that user owns.

    Root reads a mode-000 file regardless, so as root the child runs as `nobody`.
    """
    if os.geteuid() != 0:
        folder = Path(tempfile.mkdtemp())
        yield [], folder
        shutil.rmtree(folder)
        return
    try:
        user = pwd.getpwnam(NOBODY)
    except KeyError:
        pytest.skip("no unprivileged user to run as")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv is needed to run as an unprivileged user")
    folder = Path(tempfile.mkdtemp())  # not under tmp_path, which only root may enter
    os.chown(folder, user.pw_uid, user.pw_gid)
    prefix = [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    try:
        # A checkout or interpreter under a folder only root may enter (`mktemp -d`, a root-only
        # home) is out of that user's reach: nothing here can be tested as them then.
        reach = run_as(prefix, folder, "--version")
        if reach.returncode != 0:
            pytest.skip(f"the user {NOBODY!r} cannot run {sys.executable} with {ROOT} (a folder on the way only root may enter)")
        yield prefix, folder
    finally:
        shutil.rmtree(folder)


def run_as(prefix: list[str], folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in `folder` as the unprivileged user."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(folder)}
    return subprocess.run([*prefix, sys.executable, "-m", "assessor", *args], capture_output=True, text=True, cwd=folder, env=env, timeout=60)


def owned(prefix: list[str], folder: Path, path: Path, mode: int) -> None:
    if prefix:
        os.chown(path, folder.stat().st_uid, folder.stat().st_gid)
    path.chmod(mode)


def test_an_unreadable_campaign_gives_one_line_and_leaves_no_lock(unprivileged: tuple[list[str], Path]) -> None:
    prefix, folder = unprivileged
    campaign = folder / "m.toml"
    shutil.copyfile(MINIMAL, campaign)
    owned(prefix, folder, campaign, 0o000)
    for args in (("score", "m.toml", *SCORE), ("moderate", "m.toml", *MODERATE), ("validate", "m.toml")):
        result = run_as(prefix, folder, *args)
        assert (result.returncode, result.stderr.splitlines()) == (1, ["m.toml: cannot be read: permission denied"]), args
        assert names(folder) == ["m.toml"], "no lock or sheets folder is left"


def test_an_unreadable_lock_says_which_file_to_remove(unprivileged: tuple[list[str], Path]) -> None:
    prefix, folder = unprivileged
    campaign = folder / "m.toml"
    shutil.copyfile(MINIMAL, campaign)
    owned(prefix, folder, campaign, 0o600)
    lock = lock_path(campaign)
    lock.write_text("")
    owned(prefix, folder, lock, 0o000)
    result = run_as(prefix, folder, "moderate", "m.toml", *MODERATE)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        ".m.toml.lock: cannot read this lock file (permission denied); if nobody is changing m.toml now, remove it and try again"
    ]
    assert lock.exists(), "a lock is removed only by the person told"


def test_reading_a_link_to_nothing_says_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to("gone.toml")
    result = run_cli("validate", str(link))
    assert (result.returncode, result.stderr.splitlines()) == (1, [f"{link}: is a link to 'gone.toml', which does not exist"])
    with pytest.raises(CampaignError, match="already exists"):
        from assessor.storage.campaign_file import check_new_file

        check_new_file(link)
