"""Replacing a file so that a crash at any instant leaves the old file or the new one.

The new bytes go to a hidden temporary file in the same folder, named after the file,
this host and this process (`.NAME.HOST.PID.tmp`); it is flushed and fsynced, renamed
over the file, and the folder is fsynced. Temporary files left on this host by a
process that died are swept away by the next writer.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from assessor.core.errors import CampaignError
from assessor.storage.files import check_replaceable, followed
from assessor.storage.processes import process_alive

NEW_FILE_MODE = 0o600  # campaign files hold personal data: owner-only unless the owner chose otherwise


def temp_path(path: Path, start: str) -> Path:
    """This process's temporary file for `path`: `START` + `HOST.PID.tmp`, in the same folder."""
    return path.with_name(f"{start}{socket.gethostname()}.{os.getpid()}.tmp")


def write_atomic(path: Path, raw: bytes, *, like: Path | None = None) -> None:
    """Replace `path` with `raw` so that a crash leaves either the old or the new file.

    The file keeps its permissions; a new one takes those of `like` (a sheet, its campaign
    file's), or owner-only, and its owner may always read and write it. A symbolic link is
    saved through (the target replaced, the link kept); a read-only or hard-linked file is
    refused (`files.check_replaceable`).
    """
    path = followed(path)
    check_replaceable(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        try:
            mode = like.stat().st_mode & 0o666 if like is not None else NEW_FILE_MODE
        except OSError:
            mode = NEW_FILE_MODE
        mode |= NEW_FILE_MODE  # a sheet of a mode-000 campaign must still be readable by its writer
    temp = temp_path(path, f".{path.name}.")
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


def sweep_dead_temps(folder: Path, start: str) -> list[Path]:
    """Remove `START` + `HOST.PID.tmp` files in `folder` left on this host by processes that died.

    Another host's temporary files, and names that do not end in a process id, are left alone.
    """
    mine = f"{start}{socket.gethostname()}."
    removed: list[Path] = []
    try:
        entries = list(folder.glob(f"{start}*.tmp"))
    except OSError:
        return removed
    for temp in entries:
        pid_text = temp.name.removeprefix(mine).removesuffix(".tmp")
        if not temp.name.startswith(mine) or not pid_text.isdigit():
            continue
        if int(pid_text) != os.getpid() and not process_alive(int(pid_text)):
            temp.unlink(missing_ok=True)
            removed.append(temp)
    return removed


def sweep_stale_temp_files(path: Path) -> list[Path]:
    """Remove temporary files left beside `path` (a link's target) by saves on this host that died."""
    path = followed(path)
    return sweep_dead_temps(path.parent, f".{path.name}.")
