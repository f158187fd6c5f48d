"""Saving TOML data: the text is read back before it replaces anything, and only over the file that was read.

Shared by campaign files and score sheets. A text that does not read back as exactly the
data must never replace a good file; a file that changed on disk since it was read (a
text editor, a sync service) is not overwritten: the saver is told, and reloads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli

from assessor.core.errors import CampaignError, FileChangedError, Problem
from assessor.storage.atomic import write_atomic
from assessor.storage.toml_write import as_written, dumps_written


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when it was read, to notice changes made by others."""

    size: int
    mtime_ns: int
    sha256: str


def fingerprint_bytes(path: Path, raw: bytes) -> Fingerprint:
    """Fingerprint of a file whose bytes have just been read."""
    stat = path.stat()
    return Fingerprint(len(raw), stat.st_mtime_ns, hashlib.sha256(raw).hexdigest())


def unchanged(path: Path, expected: Fingerprint) -> bool:
    """Whether the file is still the one fingerprinted (size and time first, the hash if they differ)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    if stat.st_size == expected.size and stat.st_mtime_ns == expected.mtime_ns:
        return True
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == expected.sha256
    except OSError:
        return False


def check_unchanged(path: Path, expected: Fingerprint) -> None:
    """Raise `CampaignError` if the file differs from what was read (size, mtime, hash)."""
    if not path.exists():
        raise CampaignError.single(path, "not saved: the file was moved or deleted since it was opened")
    if not unchanged(path, expected):
        message = "not saved: the file was changed by someone else since it was opened; reopen it to see their changes"
        raise FileChangedError([Problem(str(path), message)])


def write_data(path: Path, header: str, data: dict[str, Any], *, expected: Fingerprint | None, what: str, like: Path | None = None) -> Fingerprint:
    """Write `data` as TOML (after the comment `header`) to `path` atomically; return its fingerprint.

    With `expected`, refuse if the file on disk is no longer the one that was read. `what`
    names the kind of file in messages; a new file is as private as `like`.
    """
    written = as_written(data)
    text = header + dumps_written(written)
    try:
        same = tomli.loads(text) == written
    except (tomli.TOMLDecodeError, RecursionError) as exc:
        raise CampaignError.single(path, f"not saved: the {what} did not write as valid TOML ({exc})") from None
    if not same:
        raise CampaignError.single(path, f"not saved: the {what}'s text did not read back as the same data")
    if expected is not None:
        check_unchanged(path, expected)
    raw = text.encode("utf-8")
    write_atomic(path, raw, like=like)
    return fingerprint_bytes(path, raw)
