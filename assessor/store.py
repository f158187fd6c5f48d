"""The only code that reads and writes campaign files.

Loading turns every kind of broken file into a `CampaignError` with file, line and
field. Saving is atomic: the text is dumped, parsed back, written to a temporary file
in the same folder, flushed and fsynced, renamed over the old file, and the folder is
fsynced, so a crash at any instant leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any

import tomli
from pydantic import TypeAdapter, ValidationError

from assessor import __version__
from assessor.collector import collector_paused
from assessor.errors import CampaignError, Problem
from assessor.framework import Framework, load_framework
from assessor.model import SCHEMA_VERSION, AuditEntry, Campaign, Record, RowCompactor, Score
from assessor.toml_writer import toml_text
from assessor.tomlio import LineFinder, TextSource, decode_text, parse_text, parse_toml, read_bytes, text_of, validate_data

NEW_FILE_MODE = 0o600  # campaign files hold personal data: owner-only unless the owner chose otherwise


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when it was read, to notice changes made by others."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass
class CampaignFile:
    """A campaign as loaded from disk, with what is needed to save it back safely."""

    path: Path
    campaign: Campaign
    framework: Framework
    fingerprint: Fingerprint


def fingerprint_bytes(path: Path, raw: bytes) -> Fingerprint:
    """Fingerprint of a file whose bytes have just been read."""
    stat = path.stat()
    return Fingerprint(len(raw), stat.st_mtime_ns, hashlib.sha256(raw).hexdigest())


def open_campaign(path: Path | str, *, for_writing: bool = True) -> CampaignFile:
    """Load, validate and fingerprint a campaign file; raise `CampaignError` if unusable.

    Opening for writing also sweeps temporary files left by saves that died.
    """
    path = Path(path)
    if for_writing:
        sweep_stale_temp_files(path)
    campaign, framework, fingerprint = _read_campaign(path, fingerprint=True)
    assert fingerprint is not None
    return CampaignFile(path, campaign, framework, fingerprint)


def load_campaign(path: Path | str) -> Campaign:
    """Load and validate a campaign file, read-only; raise `CampaignError` if unusable."""
    # Without the fingerprint: hashing megabytes is wasted on a read-only load.
    return _read_campaign(Path(path), fingerprint=False)[0]


def _read_campaign(path: Path, *, fingerprint: bool) -> tuple[Campaign, Framework, Fingerprint | None]:
    raw = read_bytes(path)
    seen = fingerprint_bytes(path, raw) if fingerprint else None
    # The bytes are let go as soon as there is text, and the text once there is data: a big
    # file's parsed data and models must not have its bytes and its text alive beside them.
    text = decode_text(str(path), raw)
    del raw
    with collector_paused():  # a big file is hundreds of thousands of new objects, no cycles
        data = parse_text(str(path), text)
        del text
        campaign, framework = campaign_from_data(str(path), _text_again(path), data, consume=True)
        # Grouped now, with the load, so that no summary of the campaign has to.
        campaign.scores_by_item()
    return campaign, framework, seen


def _text_again(path: Path) -> Callable[[], str]:
    # The text is read again only to locate a problem: a big file's bytes and text must not
    # stay alive beside its parsed data and models. If the file changed in between, the
    # worst outcome is a line number that is off; the problem itself is still reported.
    return lambda: decode_text(str(path), read_bytes(path))


@dataclass(frozen=True)
class CampaignPeek:
    """What the picker shows of a campaign file without validating all of it."""

    path: Path
    title: str = ""
    role: str = ""
    status: str = ""
    candidates: int = 0
    last_change: str = ""
    problem: str = ""


def peek_campaign(path: Path) -> CampaignPeek:
    """Title, role, status, candidate count and last change of a file; never raises."""
    try:
        _, data = parse_toml(str(path), read_bytes(path))
    except CampaignError as exc:
        return CampaignPeek(path, problem=exc.problems[0].message)
    info = data.get("campaign") if isinstance(data.get("campaign"), dict) else {}
    role = info.get("role") if isinstance(info.get("role"), dict) else {}
    audit = data.get("audit") if isinstance(data.get("audit"), list) else []
    last = audit[-1].get("at") if audit and isinstance(audit[-1], dict) else None
    return CampaignPeek(
        path,
        title=str(info.get("title", "")),
        role=str(role.get("title", "")),
        status=str(info.get("status", "")),
        candidates=len(data["candidates"]) if isinstance(data.get("candidates"), list) else 0,
        last_change=last.strftime("%Y-%m-%d %H:%M") if isinstance(last, datetime) else "",
    )


ROW_BATCH = 2000
"""Rows of a big table validated at a time when a load may take its data apart."""


@cache
def _rows_adapter(model: type[Record]) -> TypeAdapter[list[Record]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _validate_rows_in_batches(data: dict[str, Any]) -> bool:
    """Turn the big tables of rows in `data` into models a batch at a time; False if one is wrong.

    Each batch's plain tables are let go as its models are made, so a big file's data and
    its models are never both whole in memory. The campaign's validation then takes the
    models as they are (strict mode does not validate a model twice). On a wrong row the
    caller reads the file again and validates it whole, to report every problem in place.
    """
    compactor: RowCompactor | None = None
    for table, model in (("scores", Score), ("audit", AuditEntry)):
        rows = data.get(table)
        if not isinstance(rows, list) or len(rows) <= ROW_BATCH:
            continue
        if compactor is None:
            compactor = RowCompactor(_ids_named_in(data))
        adapter = _rows_adapter(model)
        made: list[Record] = []
        for start in range(0, len(rows), ROW_BATCH):
            end = min(start + ROW_BATCH, len(rows))
            try:
                batch = adapter.validate_python(rows[start:end])
            except ValidationError:
                return False
            compactor.compact(batch)
            made += batch
            rows[start:end] = repeat(None, end - start)
        data[table] = made
    return True


def _ids_named_in(data: dict[str, Any]) -> dict[str, str]:
    """The ids of the small tables (stages, criteria, panel, candidates), each its own key:
    rows that name them then hold these very strings."""
    ids: dict[str, str] = {}
    for table in ("stages", "criteria", "panel", "candidates"):
        rows = data.get(table)
        for row in rows if isinstance(rows, list) else ():
            value = row.get("id") if isinstance(row, dict) else None
            if type(value) is str:
                ids.setdefault(value, value)
    return ids


def campaign_from_data(name: str, text: TextSource, data: dict[str, Any], *, consume: bool = False) -> tuple[Campaign, Framework]:
    """Validate parsed TOML as a campaign against its framework.

    With `consume`, the big tables of `data` are taken apart as they are validated, for
    callers that want only the campaign: a big file then needs far less memory to load.
    """
    # Lines are looked up only to report a problem: indexing a big file's lines up front
    # would cost a fifth of its parse on every load of a good file.
    def line_of(loc: tuple[str | int, ...]) -> int | None:
        return LineFinder(text_of(text)).line_of(loc)

    version = data.get("schema")
    if "schema" not in data:
        raise CampaignError.single(name, f"is missing (required; this format is {SCHEMA_VERSION})", path="schema")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise CampaignError.single(
            name,
            f"made by a newer assessor (format {version}; this version reads up to {SCHEMA_VERSION}): upgrade assessor to open it",
            line=line_of(("schema",)),
            path="schema",
        )
    info = data.get("campaign")
    framework_id = info.get("framework", "success-profiles") if isinstance(info, dict) else None
    framework = None
    if isinstance(framework_id, str):
        try:
            framework = load_framework(framework_id)
        except CampaignError as exc:
            if Path(exc.problems[0].file).exists():
                raise  # the framework file itself is broken: report it where it is
            raise CampaignError.single(
                name,
                exc.problems[0].message,
                line=line_of(("campaign", "framework")),
                path="campaign.framework",
            ) from None
    if consume and not _validate_rows_in_batches(data):
        data = parse_text(name, text_of(text))  # a row is wrong: validate it all to say where
    campaign = validate_data(name, text, data, Campaign, context={"framework": framework})
    assert framework is not None  # a valid campaign has a framework that loaded
    return campaign, framework


def campaign_data(campaign: Campaign) -> dict[str, Any]:
    """The campaign as the plain data its file holds, in the format's stable key order."""
    data = campaign.model_dump(mode="python", by_alias=True, exclude_none=True)
    # Empty tables of rows are left out: shorter files, and loading restores them empty.
    return {key: value for key, value in data.items() if value != []}


def _file_header() -> str:
    return f"# assessor campaign file (format {SCHEMA_VERSION}), written by assessor {__version__}.\n"


def dump_campaign(campaign: Campaign) -> str:
    """The campaign as TOML text in the file format's stable key order."""
    return _file_header() + toml_text(campaign_data(campaign))


def save_campaign(campaign: Campaign, path: Path | str, *, expected: Fingerprint | None = None) -> Fingerprint:
    """Write `campaign` to `path` atomically; return the new file's fingerprint.

    With `expected`, refuse (CampaignError) if the file on disk is no longer the one
    that was read, so nobody's changes are silently overwritten.
    """
    path = Path(path)
    data = campaign_data(campaign)
    text = _file_header() + toml_text(data)
    # A text that does not read back as exactly this data must never replace a good file.
    try:
        same = tomli.loads(text) == data
    except (tomli.TOMLDecodeError, RecursionError) as exc:
        raise CampaignError.single(path, f"not saved: the campaign did not write as valid TOML ({exc})") from None
    if not same:
        raise CampaignError.single(path, "not saved: the campaign's text did not read back as the same data")
    if expected is not None:
        check_unchanged(path, expected)
    raw = text.encode("utf-8")
    write_atomic(path, raw)
    return fingerprint_bytes(path, raw)


def check_new_file(path: Path) -> None:
    """Raise `CampaignError` unless a new campaign can be created at `path`."""
    if path.exists():
        raise CampaignError.single(path, "already exists; choose another file name (assessor never overwrites a campaign)")
    if not path.parent.is_dir():
        raise CampaignError.single(path, f"folder {str(path.parent)!r} does not exist")


def create_campaign_file(campaign: Campaign, path: Path | str) -> Fingerprint:
    """Write a new campaign file; refuse if the file already exists (never overwrite)."""
    path = Path(path)
    check_new_file(path)
    return save_campaign(campaign, path)


class FileChangedError(CampaignError):
    """The file on disk is no longer the one that was read: someone else changed it."""


def check_unchanged(path: Path, expected: Fingerprint) -> None:
    """Raise `CampaignError` if the file differs from what was read (size, mtime, hash)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise CampaignError.single(path, "not saved: the file was moved or deleted since it was opened") from None
    if stat.st_size == expected.size and stat.st_mtime_ns == expected.mtime_ns:
        return
    if hashlib.sha256(path.read_bytes()).hexdigest() != expected.sha256:
        raise FileChangedError([Problem(str(path), "not saved: the file was changed by someone else since it was opened; reopen it to see their changes")])


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{socket.gethostname()}.{os.getpid()}.tmp")


def write_atomic(path: Path, raw: bytes) -> None:
    """Replace `path` with `raw` so that a crash leaves either the old or the new file."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    temp = _temp_name(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(raw)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, mode)  # the umask may have narrowed it; keep the file's own mode
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CampaignError.single(path, f"not saved: {exc.strerror or exc}") from None
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_temp_files(path: Path) -> list[Path]:
    """Remove temporary files left beside `path` by saves on this host that died."""
    host = socket.gethostname()
    removed = []
    prefix = f".{path.name}.{host}."
    try:
        entries = list(path.parent.glob(f".{path.name}.*.tmp"))
    except OSError:
        return removed
    for temp in entries:
        pid_text = temp.name.removeprefix(prefix).removesuffix(".tmp")
        if not temp.name.startswith(prefix) or not pid_text.isdigit():
            continue  # another host's save, or not ours: leave it alone
        if int(pid_text) != os.getpid() and not _process_alive(int(pid_text)):
            temp.unlink(missing_ok=True)
            removed.append(temp)
    return removed


# Locks: one writer at a time.
#
# A lock is a small TOML file beside the campaign (`.NAME.lock`) created with
# O_CREAT | O_EXCL, so exactly one process can create it, naming who holds it. It is
# not an fcntl/flock lock: those vanish with the process but cannot say who held them,
# do not work across every network share, and the `filelock` package truncates the
# file when it opens it, losing the holder's name. A lock whose process has died on this
# host is broken with a notice; a lock from another host can only be removed by hand.

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
        return f"{self.user} on {self.host} (process {self.pid}) since {self.since.strftime('%Y-%m-%dT%H:%M:%SZ')}"

    @property
    def here(self) -> bool:
        """The holder runs on this machine, so whether it is alive can be checked."""
        return self.host == socket.gethostname()

    @property
    def stale(self) -> bool:
        """The holder ran on this host and its process is gone."""
        return self.here and not _process_alive(self.pid)


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
    _sweep_lock_temps(lock)
    temp = lock.with_name(f"{lock.name}.{socket.gethostname()}.{os.getpid()}.tmp")
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


def _sweep_lock_temps(lock: Path) -> None:
    """Remove lock temporary files left on this host by processes that died."""
    prefix = f"{lock.name}.{socket.gethostname()}."
    try:
        entries = list(lock.parent.glob(f"{lock.name}.*.tmp"))
    except OSError:
        return
    for temp in entries:
        pid_text = temp.name.removeprefix(prefix).removesuffix(".tmp")
        if temp.name.startswith(prefix) and pid_text.isdigit() and int(pid_text) != os.getpid() and not _process_alive(int(pid_text)):
            temp.unlink(missing_ok=True)


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


def written_data(campaign: Campaign) -> dict[str, Any]:
    """The data any TOML reader gets from the file `campaign` saves as (what a seal covers)."""
    return tomli.loads(dump_campaign(campaign))


def load_with_data(path: Path | str) -> tuple[Campaign, dict[str, Any]]:
    """A valid campaign and the plain TOML data of the same bytes (to check a seal against)."""
    path = Path(path)
    text, data = parse_toml(str(path), read_bytes(path))
    campaign, _ = campaign_from_data(str(path), text, data)
    return campaign, data
