"""Noticing when a campaign's files change on disk: the campaign file and its folder of score sheets.

An open app shows what other members save as they save it. The file system tells
(`watchfiles`, which uses inotify, FSEvents or ReadDirectoryChanges); on a network share
that sends no events, setting `WATCHFILES_FORCE_POLLING=1` makes it look every few
hundred milliseconds instead. assessor's own locks and temporary files are not changes;
any other file in the sheets folder, hidden or not, is (an editor's copy of a sheet is told).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from assessor.storage.sheet_entries import is_own_file
from assessor.storage.sheets import sheets_folder

QUIET_MS = 50
"""A change is told once the files have been quiet this long (an atomic save is a burst)."""

LONGEST_MS = 400
"""...or once changes have gone on this long: someone typing evidence saves at every key."""


def _relevant(path: Path, changed: Path, folder: Path) -> bool:
    if changed == path or changed == folder:
        return True
    return changed.parent == folder and not is_own_file(changed.name)


def watch_campaign(path: Path, stop: threading.Event) -> Iterator[None]:
    """Yield each time the campaign file at `path` or a file in its sheets folder changes, until `stop` is set.

    Runs in a worker thread. The sheets folder is watched from when it exists: the first
    score of a campaign makes it.
    """
    from watchfiles import watch  # when first used: commands never need it

    path = path.resolve()
    folder = sheets_folder(path)
    while not stop.is_set():
        watching_sheets = folder.is_dir()
        targets = [path.parent, folder] if watching_sheets else [path.parent]
        try:
            for changes in watch(*targets, stop_event=stop, recursive=False, watch_filter=None, step=QUIET_MS, debounce=LONGEST_MS):
                if any(_relevant(path, Path(changed), folder) for _, changed in changes):
                    yield
                if folder.is_dir() != watching_sheets:
                    break  # the sheets folder came or went: watch again, with it or without
        except (OSError, RuntimeError):
            stop.wait(0.2)  # a watched folder went away under the watcher: look again shortly
