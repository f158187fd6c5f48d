"""What kind of file a path names, checked before it is read or replaced.

A campaign is read only from a regular file: a FIFO would block the reader for ever and
a device (`/dev/zero`) would fill its memory. A symbolic link stands for the file it
points to, so its lock, its sheets and its saves are the target's and a writer using
either name is stopped by the other's lock. A file with several names (hard links) or
one its owner made read-only is never replaced: a save would silently part the names, or
overwrite what its owner protected.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assessor.core.errors import CampaignError

_MOST_LINKS = 40
"""Links followed before giving up, as the operating system does (a loop of links)."""


def followed(path: Path) -> Path:
    """The file a symbolic link at `path` stands for (following links to links), else `path` itself.

    The result stays relative when the links are: messages keep naming files as typed.
    """
    for _ in range(_MOST_LINKS):
        try:
            target = os.readlink(path)
        except OSError:  # not a link (or nothing there): this is the file
            return path
        path = Path(target) if os.path.isabs(target) else path.parent / target
    raise CampaignError.single(path, "cannot be opened: too many levels of symbolic links (a loop?)")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular(path: Path) -> None:
    """Raise `CampaignError`, in the words `regular_bytes` uses, unless `path` is a regular file we may read."""
    name = str(path)
    try:
        found = os.stat(path)
    except FileNotFoundError:
        dangling = os.path.islink(path)
        raise CampaignError.single(name, f"is a link to {os.readlink(path)!r}, which does not exist" if dangling else "no such file") from None
    except OSError as exc:
        raise CampaignError.single(name, f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(found.st_mode):
        raise CampaignError.single(name, "is a folder, not a TOML file")
    if not stat.S_ISREG(found.st_mode):
        raise CampaignError.single(name, f"is {_kind(found.st_mode)}, not a file: assessor reads only regular files")
    if not os.access(path, os.R_OK):
        raise CampaignError.single(name, "cannot be read: permission denied")


def regular_bytes(path: Path) -> bytes:
    """The bytes of the regular file at `path`; raise `CampaignError` for anything else.

    Checked before opening, and again on what was opened (the name may be swapped in
    between); the open never blocks, even on a FIFO.
    """
    name = str(path)
    check_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise CampaignError.single(name, "no such file") from None
    except PermissionError:
        raise CampaignError.single(name, "cannot be read: permission denied") from None
    except OSError as exc:
        raise CampaignError.single(name, f"cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as opened:
        now = os.fstat(opened.fileno())
        if not stat.S_ISREG(now.st_mode):
            raise CampaignError.single(name, f"is {_kind(now.st_mode)}, not a file: assessor reads only regular files")
        try:
            return opened.read()
        except OSError as exc:
            raise CampaignError.single(name, f"cannot be read: {exc.strerror or exc}") from None


def _existing(path: Path) -> os.stat_result | None:
    """The file a save would replace, or None if there is none yet; a file that cannot be looked at refuses the save."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CampaignError.single(path, f"not saved: {exc.strerror or exc}") from None


def check_writable(path: Path) -> None:
    """Raise `CampaignError` if the existing file at `path` is one its owner made read-only, or we may not write.

    Checked by its mode, not by trying: a save renames a new file over the old one, which
    the old file's own mode does not stop.
    """
    found = _existing(path)
    if found is None:
        return
    mode = stat.S_IMODE(found.st_mode)
    if not mode & 0o222:  # root may write anything: the mode bits still say what the owner meant
        raise CampaignError.single(path, f"not saved: the file is read-only (mode {mode:04o}); make it writable (chmod u+w) to change it")
    if not os.access(path, os.W_OK):
        raise CampaignError.single(path, f"not saved: you may not write this file (mode {mode:04o}); ask its owner")


def check_replaceable(path: Path) -> None:
    """Raise `CampaignError` unless the existing file at `path` may be replaced by a save: a regular
    file, writable (`check_writable`), with no other names (hard links) that would keep the old text."""
    found = _existing(path)
    if found is None:
        return
    if not stat.S_ISREG(found.st_mode):
        raise CampaignError.single(path, f"not saved: it is {_kind(found.st_mode)}, not a file")
    check_writable(path)
    if found.st_nlink > 1:
        raise CampaignError.single(
            path,
            f"not saved: the file has {found.st_nlink} names (hard links), and saving would leave the others with the old text; "
            "keep one name (delete the other links) or work on a copy",
        )
