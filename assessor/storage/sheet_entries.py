"""What is in a folder of score sheets, told apart by name: every file there counts.

assessor's own files are known by their exact names (`atomic`, `lock`), each made from a
sheet's name `MEMBER.toml`: its lock `.MEMBER.toml.lock`, the lock's temporary file
`.MEMBER.toml.lock.HOST.PID.tmp` and its breaker `.MEMBER.toml.lock.break`, and a save's
temporary file `.MEMBER.toml.HOST.PID.tmp`. macOS's own files are known by name and by
their first bytes: the Finder's settings of the folder (`.DS_Store`) and the extended
attributes it writes beside a file on a shared drive (`._NAME`, AppleDouble); a file so named
that holds anything else (an editor's copy of a sheet) is not the system's. Everything else,
hidden or not, is a member's sheet or a stranger, for `sheets.read_sheets` to tell.
"""

from __future__ import annotations

import os
import re
import socket
import stat
from pathlib import Path

from assessor.core.errors import CampaignError
from assessor.core.fields import ID_PATTERN

_SHEET = r"\." + ID_PATTERN.removeprefix("^").removesuffix("$") + r"\.toml\."
_LOCK_FILE = re.compile(_SHEET + r"lock(?:\.break|\..+\.[0-9]+\.tmp)?", re.DOTALL)
_SAVE_TEMP = re.compile(_SHEET + r"(?P<host>.+)\.(?P<pid>[0-9]+)\.tmp", re.DOTALL)

_SYSTEM_MAGIC = {".DS_Store": b"\x00\x00\x00\x01Bud1", "._": b"\x00\x05\x16\x07"}
"""The first bytes of the Finder's `.DS_Store` and of an AppleDouble `._NAME` file."""


def is_lock_file(name: str) -> bool:
    """A sheet's lock, its lock's temporary file or its breaker: who is changing a sheet, no scores."""
    return _LOCK_FILE.fullmatch(name) is not None


def is_save_temp(name: str) -> bool:
    """The temporary file of a save of a sheet (`atomic.write_atomic`), renamed over the sheet when whole."""
    return not is_lock_file(name) and _SAVE_TEMP.fullmatch(name) is not None


def is_own_file(name: str) -> bool:
    """A file assessor itself makes in a sheets folder while it saves: never a stranger."""
    return is_lock_file(name) or is_save_temp(name)


def is_this_process(name: str) -> bool:
    """A save's temporary file written by this very process (its save may be under way)."""
    match = _SAVE_TEMP.fullmatch(name)
    return match is not None and match["host"] == socket.gethostname() and match["pid"] == str(os.getpid())


def is_system_file(entry: Path) -> bool:
    """macOS's `.DS_Store` or AppleDouble `._NAME` file, as its first bytes show: holds no scores."""
    name = entry.name
    magic = _SYSTEM_MAGIC.get(name) or (_SYSTEM_MAGIC["._"] if name.startswith("._") else None)
    if magic is None:
        return False
    try:
        if not stat.S_ISREG(os.lstat(entry).st_mode):
            return False
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as opened:
            return opened.read(len(magic)) == magic
    except OSError:
        return False


def all_entries(folder: Path) -> list[Path]:
    """Everything in the sheets folder, hidden or not, sorted; [] if there is no folder."""
    try:
        return sorted(folder.iterdir())
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise CampaignError.single(folder, "is a file, not the folder of score sheets; move it away") from None
    except OSError as exc:
        raise CampaignError.single(folder, f"cannot be read: {exc.strerror or exc}") from None


def folder_entries(folder: Path) -> list[Path]:
    """Everything in the sheets folder but assessor's own locks and temporary files, hidden names included."""
    return [entry for entry in all_entries(folder) if not is_own_file(entry.name)]
