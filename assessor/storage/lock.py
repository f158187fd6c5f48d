"""Locks: one writer at a time on a campaign file or a score sheet.

A lock is a small TOML file beside the file it guards (`.NAME.lock`) naming who holds it:
user, host, process, time, and why: `save` for the moment a change is saved (others
wait for it, briefly and bounded), `app` for as long as an app has the file open
(others are refused at once, told who). It is not an fcntl/flock lock: those vanish with the
process but cannot say who held them, do not work across every network share, and the
`filelock` package truncates the file when it opens it, losing the holder's name. A lock
whose process has died on this host is broken with a notice; a lock from another host
can only be removed by hand. What is in the way and cannot be a lock (a folder, a link, a file
nobody can read) is named with what to do, never waited on for ever.
"""

from __future__ import annotations

import os
import socket
import stat
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tomli

from assessor.core.clock import stamp
from assessor.core.errors import CampaignError
from assessor.storage.atomic import NEW_FILE_MODE, sweep_dead_temps, temp_path
from assessor.storage.files import followed
from assessor.storage.processes import Identity, holder_alive, process_identity
from assessor.storage.toml_write import toml_text

LOCK_GRACE_SECONDS = 5.0
"""An unreadable lock younger than this is being written by its creator: wait, not break."""

DEFAULT_WAIT_SECONDS = 10.0
"""How long a writer waits, by default, for another's save to finish (`--wait SECONDS`)."""

_RETRY_SECONDS = 0.02
"""How often a waiting writer looks again: saves take milliseconds."""

SAVE, APP = "save", "app"
"""Why a lock is held: for one save, or for as long as an app has the file open."""


@dataclass(frozen=True)
class LockInfo:
    """Who holds a campaign's lock, as written in the lock file."""

    user: str
    host: str
    pid: int
    since: datetime
    path: Path
    purpose: str = APP
    """`save` or `app`; a lock that does not say is taken to be an app's, as it may be held for long."""
    identity: Identity | None = None
    """Which process the holder is on its host (`boot` and `started` in the file), where the system says."""

    def describe(self) -> str:
        """`USER on HOST (process PID) since TIME`, as people are told (control characters shown, not sent)."""
        return f"{_visible(self.user)} on {_visible(self.host)} (process {self.pid}) since {stamp(self.since)}"

    @property
    def mine(self) -> bool:
        """Held by this very process."""
        return self.here and self.pid == os.getpid()

    @property
    def here(self) -> bool:
        """The holder runs on this machine, so whether it is alive can be checked."""
        return self.host == socket.gethostname()

    @property
    def stale(self) -> bool:
        """The holder ran on this host and its process is gone (or its id now names a later process)."""
        return self.here and not holder_alive(self.pid, self.since, self.identity)


def _visible(text: str) -> str:
    # A lock is anyone's file: its escape codes must not reach the reader's terminal.
    return "".join(_code(char) if unicodedata.category(char)[0] == "C" else char for char in text)


def _code(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def lock_path(path: Path | str) -> Path:
    """The lock file of the campaign at `path`: `.NAME.lock` in the same folder (beside the file a
    symbolic link points to, so both names share one lock)."""
    path = followed(Path(path))
    return path.with_name(f".{path.name}.lock")


def read_lock(path: Path | str) -> LockInfo | None:
    """Who holds the lock on the campaign at `path`, or None when nobody does.

    A lock file that cannot be read as a lock (empty, half written, edited by hand)
    comes back with pid 0 and user "unknown".
    """
    lock = lock_path(path)
    raw = _lock_bytes(lock, Path(path))
    return None if raw is None else _parse_lock(lock, raw)


def _lock_bytes(lock: Path, guarded: Path) -> bytes | None:
    """What the lock file holds, None if there is none; raise `CampaignError` saying what to do
    with anything there that cannot be a lock."""
    advice = f"if nobody is changing {guarded.name} now, remove it and try again"
    try:
        found = os.lstat(lock)
        if stat.S_ISLNK(found.st_mode):
            raise CampaignError.single(lock, f"is a symbolic link, not a lock assessor made; {advice}")
        if stat.S_ISDIR(found.st_mode):
            raise CampaignError.single(lock, f"is a folder, not a lock file; {advice}")
        if not stat.S_ISREG(found.st_mode):
            raise CampaignError.single(lock, f"is not a lock file (not a regular file); {advice}")
        fd = os.open(lock, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as opened:
            return opened.read()
    except FileNotFoundError:
        return None
    except PermissionError:
        raise CampaignError.single(lock, f"cannot read this lock file (permission denied); {advice}") from None
    except OSError as exc:
        raise CampaignError.single(lock, f"cannot read this lock file ({exc.strerror or exc}); {advice}") from None


def _parse_lock(lock: Path, raw: bytes) -> LockInfo:
    try:
        data = tomli.loads(raw.decode("utf-8"))
        since = data["since"]
        pid = data["pid"]
        if not isinstance(since, datetime) or since.tzinfo is None or not isinstance(pid, int) or pid <= 0:
            raise ValueError
        purpose = SAVE if data.get("purpose") == SAVE else APP
        boot, started = data.get("boot"), data.get("started")
        identity = (boot, started) if isinstance(boot, str) and isinstance(started, int) else None
        return LockInfo(str(data["user"]), str(data["host"]), pid, since.astimezone(UTC), lock, purpose, identity)
    except (UnicodeDecodeError, tomli.TOMLDecodeError, KeyError, ValueError, OverflowError, RecursionError):
        return LockInfo("unknown", "unknown", 0, datetime.fromtimestamp(0, UTC), lock)


class CampaignLock:
    """A held lock on one campaign; release it, or use it as a context manager."""

    def __init__(self, path: Path, info: LockInfo, raw: bytes, notice: str | None, identity: tuple[int, int] | None = None) -> None:
        self.path = path
        self.info = info
        self.notice = notice
        """Set when a stale lock was broken to take this one: worth telling the user."""
        self._raw = raw
        self._identity = identity
        """(device, inode) of the lock file as created: ours even if it can no longer be read."""
        self._held = True

    def release(self) -> None:
        """Remove the lock file, if it is still this lock's (never someone else's); never raises,
        as it runs while another error may be on its way to the user."""
        if not self._held:
            return
        self._held = False
        lock = lock_path(self.path)
        try:
            try:
                ours = lock.read_bytes() == self._raw
            except FileNotFoundError:
                return  # broken by someone who judged us dead; nothing of ours to remove
            except OSError:  # its mode changed under us: known by the file itself
                found = os.lstat(lock)
                ours = (found.st_dev, found.st_ino) == self._identity
            if ours:
                lock.unlink()
        except OSError:
            pass  # left on this host by a process that ends: the next writer breaks it as stale

    def __enter__(self) -> CampaignLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def acquire_lock(path: Path | str, *, who: str, wait: float = DEFAULT_WAIT_SECONDS, purpose: str = SAVE, like: Path | None = None) -> CampaignLock:
    """Take the lock on the file at `path` for `who`, or raise `CampaignError` naming its holder.

    Another writer's save is waited for, up to `wait` seconds; an app holding the file is
    refused at once. A lock left on this host by a process that has died is broken; the
    returned lock's `notice` then says whose it was. The lock is as readable as `like`
    (default: the file itself, which must exist; a sheet not yet written takes its
    campaign file's).
    """
    path = Path(path)
    lock = lock_path(path)
    try:
        # As readable as the campaign it names, and always by its owner, who must read it to let go.
        mode = (like or path).stat().st_mode & 0o666 | NEW_FILE_MODE
    except FileNotFoundError:
        raise CampaignError.single(like or path, "no such file") from None
    except OSError:
        mode = NEW_FILE_MODE
    since = datetime.now(UTC).replace(microsecond=0)
    info = LockInfo(who, socket.gethostname(), os.getpid(), since, lock, purpose, process_identity(os.getpid()))
    raw = _lock_text(info).encode("utf-8")
    notice = None
    deadline = time.monotonic() + max(wait, 0.0)
    changed_hands = 0
    while True:
        if (identity := _create_exclusive(lock, raw, mode)) is not None:
            return CampaignLock(path, info, raw, notice, identity)
        held = _lock_bytes(lock, path)
        if held is None:
            continue  # released between our attempt and our look: try again
        holder = _parse_lock(lock, held)
        if holder.pid == 0 and _age_seconds(lock) >= LOCK_GRACE_SECONDS:
            broken = f"broke an unreadable lock file {lock.name}"
        elif holder.pid != 0 and holder.stale:
            broken = f"broke a stale lock: {holder.describe()}, which is no longer running"
        else:
            if holder.pid != 0 and holder.purpose == APP:
                raise CampaignError.single(path, f"locked by {holder.describe()}")
            if time.monotonic() >= deadline:
                raise CampaignError.single(path, _still_locked(holder, wait))
            time.sleep(_RETRY_SECONDS)  # a save takes milliseconds: look again soon
            continue
        if _break_lock(lock, held):
            notice = broken
        else:
            changed_hands += 1
            if changed_hands >= 3 and time.monotonic() >= deadline:
                raise CampaignError.single(path, "locked: the lock kept changing hands; try again")


def _still_locked(holder: LockInfo, wait: float) -> str:
    if holder.pid == 0:
        return "locked: another process is taking the lock right now; try again"
    return f"locked by {holder.describe()}, still saving after {wait:g} s; try again"


def _lock_text(info: LockInfo) -> str:
    data: dict[str, object] = {"user": info.user, "host": info.host, "pid": info.pid, "since": info.since, "purpose": info.purpose}
    if info.identity is not None:  # so a later process given the same pid is never taken for the holder
        data["boot"], data["started"] = info.identity
    return (
        "# assessor: this file is being changed by the process below.\n"
        "# Delete this lock only if that process is no longer running.\n" + toml_text(data)
    )


def _create_exclusive(lock: Path, raw: bytes, mode: int) -> tuple[int, int] | None:
    """Create the lock file holding `raw`, whole; return its (device, inode), None if it already exists.

    The text is written to a temporary file first and hard-linked into place, which
    fails if the lock exists: nobody ever sees a lock without its holder's name, even
    if we are killed half way. Where hard links are not supported, O_CREAT | O_EXCL.
    """
    sweep_dead_temps(lock.parent, f"{lock.name}.")
    temp = temp_path(lock, f"{lock.name}.")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            os.fchmod(fd, mode)  # the umask may have narrowed it
            os.write(fd, raw)
            os.fsync(fd)
            made = os.fstat(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, lock)
            return made.st_dev, made.st_ino
        except FileExistsError:
            return None
        except OSError:
            pass  # no hard links on this file system
    except OSError as exc:
        raise CampaignError.single(lock, f"cannot take the lock: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return None
    except OSError as exc:
        raise CampaignError.single(lock, f"cannot take the lock: {exc.strerror or exc}") from None
    try:
        os.write(fd, raw)
        os.fsync(fd)
        made = os.fstat(fd)
    finally:
        os.close(fd)
    return made.st_dev, made.st_ino


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


def sweep_stale_locks(folder: Path) -> list[Path]:
    """Remove the locks in `folder` whose holder ran on this host and has died; return them.

    For the sheets folder, where a killed save or fold may have left a member's lock that
    nobody would take again soon. A live holder's lock, or another host's, is never touched.
    """
    removed = []
    for lock in sorted(folder.glob(".*.toml.lock")):  # a sheet's lock; any other name is not assessor's to remove
        try:
            raw = _lock_bytes(lock, lock)
        except CampaignError:
            continue  # not a lock that can be judged: the writer who meets it is told what to do
        if raw is None:
            continue
        holder = _parse_lock(lock, raw)
        dead = holder.stale if holder.pid != 0 else _age_seconds(lock) >= LOCK_GRACE_SECONDS
        if dead and _break_lock(lock, raw):
            removed.append(lock)
    return removed
