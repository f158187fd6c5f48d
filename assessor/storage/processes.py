"""Whether the process named in a lock or a temporary file is still the one that wrote it.

A process id is reused once its process has ended: a lock left by a dead save may name
a pid that now belongs to another program (pid 1, for a lock written before the last
boot). Where the system says which boot this is and when a process started (Linux's
`/proc`), a lock records both for its holder, and a live process with the same pid is
its holder only if they match: exact, and blind to the clock being set. For a lock
without them (written elsewhere, or by hand), a process that started after the lock was
written cannot be its holder.
"""

from __future__ import annotations

import os
from datetime import datetime

START_SLACK_SECONDS = 60.0
"""A holder writes its lock after it starts; this much leeway covers a clock set right since."""

Identity = tuple[str, int]
"""(this boot's id, the process's start in clock ticks since boot): one process, never reused."""


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (one we may not signal counts)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # too big to be any process's id
        return False
    except PermissionError:
        return True
    return True


def _start_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat", "rb") as stat:
        return int(stat.read().rsplit(b")", 1)[1].split()[19])  # field 22, starttime


def process_identity(pid: int) -> Identity | None:
    """Which process `pid` is, for as long as this machine runs (None where that cannot be told)."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as boot:
            return boot.read().strip(), _start_ticks(pid)
    except (OSError, IndexError, ValueError, UnicodeDecodeError):
        return None


def _started(pid: int) -> float | None:
    """When the process `pid` started (seconds since the epoch), or None where that cannot be told."""
    try:
        with open("/proc/stat", "rb") as system:
            boot = next(int(line.split()[1]) for line in system if line.startswith(b"btime "))
        return boot + _start_ticks(pid) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, StopIteration):
        return None


def holder_alive(pid: int, since: datetime, identity: Identity | None = None) -> bool:
    """Whether the process that wrote a lock at `since` as `pid` (known as `identity`, if the lock
    says) still runs: alive, and not a later process given the same id."""
    if not process_alive(pid):
        return False
    if identity is not None and (now := process_identity(pid)) is not None:
        return now == identity
    started = _started(pid)
    return started is None or started <= since.timestamp() + START_SLACK_SECONDS
