"""Locks: one writer at a time on a campaign file.

A lock is a small TOML file beside the campaign (`.NAME.lock`) naming who holds it:
user, host, process and time. It is not an fcntl/flock lock: those vanish with the
process but cannot say who held them, do not work across every network share, and the
`filelock` package truncates the file when it opens it, losing the holder's name. A lock
whose process has died on this host is broken with a notice; a lock from another host
can only be removed by hand.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tomli

from assessor.core.clock import stamp
from assessor.core.errors import CampaignError
from assessor.storage.atomic import NEW_FILE_MODE, process_alive, sweep_dead_temps, temp_path
from assessor.storage.toml_write import toml_text

LOCK_GRACE_SECONDS = 5.0
"""An unreadable lock younger than this is being written by its creator: wait, not break."""


@dataclass(frozen=True)
class LockInfo:
    """Who holds a campaign's lock, as written in the lock file."""

    user: str
    host: str
    pid: int
    since: datetime
    path: Path

    def describe(self) -> str:
        """`USER on HOST (process PID) since TIME`, as people are told."""
        return f"{self.user} on {self.host} (process {self.pid}) since {stamp(self.since)}"

    @property
    def here(self) -> bool:
        """The holder runs on this machine, so whether it is alive can be checked."""
        return self.host == socket.gethostname()

    @property
    def stale(self) -> bool:
        """The holder ran on this host and its process is gone."""
        return self.here and not process_alive(self.pid)


def lock_path(path: Path | str) -> Path:
    """The lock file of the campaign at `path`: `.NAME.lock` in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


def read_lock(path: Path | str) -> LockInfo | None:
    """Who holds the lock on the campaign at `path`, or None when nobody does.

    A lock file that cannot be read as a lock (empty, half written, edited by hand)
    comes back with pid 0 and user "unknown".
    """
    lock = lock_path(path)
    try:
        raw = lock.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CampaignError.single(lock, f"cannot read the lock file: {exc.strerror or exc}") from None
    return _parse_lock(lock, raw)


def _parse_lock(lock: Path, raw: bytes) -> LockInfo:
    try:
        data = tomli.loads(raw.decode("utf-8"))
        since = data["since"]
        pid = data["pid"]
        if not isinstance(since, datetime) or since.tzinfo is None or not isinstance(pid, int) or pid <= 0:
            raise ValueError
        return LockInfo(str(data["user"]), str(data["host"]), pid, since.astimezone(UTC), lock)
    except (UnicodeDecodeError, tomli.TOMLDecodeError, KeyError, ValueError, OverflowError, RecursionError):
        return LockInfo("unknown", "unknown", 0, datetime.fromtimestamp(0, UTC), lock)


class CampaignLock:
    """A held lock on one campaign; release it, or use it as a context manager."""

    def __init__(self, path: Path, info: LockInfo, raw: bytes, notice: str | None) -> None:
        self.path = path
        self.info = info
        self.notice = notice
        """Set when a stale lock was broken to take this one: worth telling the user."""
        self._raw = raw
        self._held = True

    def release(self) -> None:
        """Remove the lock file, if it is still this lock's (never someone else's)."""
        if not self._held:
            return
        self._held = False
        lock = lock_path(self.path)
        try:
            if lock.read_bytes() == self._raw:
                lock.unlink()
        except FileNotFoundError:
            pass  # broken by someone who judged us dead; nothing of ours to remove

    def __enter__(self) -> CampaignLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def acquire_lock(path: Path | str, *, who: str) -> CampaignLock:
    """Take the lock on the campaign at `path` for `who`, or raise `CampaignError` naming its holder.

    A lock left on this host by a process that has died is broken; the returned lock's
    `notice` then says whose it was.
    """
    path = Path(path)
    lock = lock_path(path)
    try:
        mode = path.stat().st_mode & 0o666  # the lock is as readable as the campaign it names
    except FileNotFoundError:
        raise CampaignError.single(path, "no such file") from None
    except OSError:
        mode = NEW_FILE_MODE
    since = datetime.now(UTC).replace(microsecond=0)
    info = LockInfo(who, socket.gethostname(), os.getpid(), since, lock)
    raw = _lock_text(info).encode("utf-8")
    notice = None
    for _ in range(3):  # another process may take or break the lock between our steps
        if _create_exclusive(lock, raw, mode):
            return CampaignLock(path, info, raw, notice)
        try:
            held = lock.read_bytes()
        except FileNotFoundError:
            continue  # released between our attempt and our look: try again
        except OSError as exc:
            raise CampaignError.single(lock, f"cannot read the lock file: {exc.strerror or exc}") from None
        holder = _parse_lock(lock, held)
        if holder.pid == 0:
            if _age_seconds(lock) < LOCK_GRACE_SECONDS:
                raise CampaignError.single(path, "locked: another process is taking the lock right now; try again")
            broken = f"broke an unreadable lock file {lock.name}"
        elif holder.stale:
            broken = f"broke a stale lock: {holder.describe()}, which is no longer running"
        else:
            raise CampaignError.single(path, f"locked by {holder.describe()}")
        if _break_lock(lock, held):
            notice = broken
    raise CampaignError.single(path, "locked: the lock kept changing hands; try again")


def _lock_text(info: LockInfo) -> str:
    return (
        "# assessor: this campaign is being changed by the process below.\n"
        "# Delete this file only if that process is no longer running.\n"
        + toml_text({"user": info.user, "host": info.host, "pid": info.pid, "since": info.since})
    )


def _create_exclusive(lock: Path, raw: bytes, mode: int) -> bool:
    """Create the lock file holding `raw`, whole; False if it already exists.

    The text is written to a temporary file first and hard-linked into place, which
    fails if the lock exists: nobody ever sees a lock without its holder's name, even
    if we are killed half way. Where hard links are not supported, O_CREAT | O_EXCL.
    """
    sweep_dead_temps(lock.parent, f"{lock.name}.")
    temp = temp_path(lock, f"{lock.name}.")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            os.write(fd, raw)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, lock)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links on this file system
    except OSError as exc:
        raise CampaignError.single(lock, f"cannot take the lock: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return False
    except OSError as exc:
        raise CampaignError.single(lock, f"cannot take the lock: {exc.strerror or exc}") from None
    try:
        os.write(fd, raw)
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _age_seconds(lock: Path) -> float:
    try:
        return datetime.now(UTC).timestamp() - lock.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _break_lock(lock: Path, seen: bytes) -> bool:
    """Remove a dead holder's lock, unless it changed since it was judged dead.

    Breakers take turns through a second exclusive file, so two of them cannot both
    remove the dead lock and the fresh one a third process created in between.
    """
    breaker = lock.with_name(lock.name + ".break")
    try:
        fd = os.open(breaker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if _age_seconds(breaker) > LOCK_GRACE_SECONDS:
            breaker.unlink(missing_ok=True)  # left by a breaker that died in its few lines
        return False
    except OSError as exc:
        raise CampaignError.single(lock, f"cannot break the lock: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        if lock.read_bytes() != seen:
            return False
        lock.unlink()
        return True
    except FileNotFoundError:
        return False
    finally:
        breaker.unlink(missing_ok=True)
