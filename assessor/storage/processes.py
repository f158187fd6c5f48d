"""Whether the process named in a lock or a temporary file is still the one that wrote it.

A process id is reused once its process has ended: a lock left by a dead save may name
a pid that now belongs to another program (pid 1, for a lock written before the last
boot). Where the system says when a process started (Linux's `/proc`), one that started
after the lock was written cannot be its holder.
"""

from __future__ import annotations

import os
from datetime import datetime

START_SLACK_SECONDS = 60.0
"""A holder writes its lock after it starts; this much leeway covers a clock set right since."""


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (one we may not signal counts)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # too big to be any process's id
        return False
    except PermissionError:
        return True
    return True


def process_started(pid: int) -> float | None:
    """When the process `pid` started (seconds since the epoch), or None where that cannot be told."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        with open("/proc/stat", "rb") as system:
            boot = next(int(line.split()[1]) for line in system if line.startswith(b"btime "))
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, StopIteration):
        return None


def holder_alive(pid: int, since: datetime) -> bool:
    """Whether the process that wrote a lock at `since` as `pid` still runs: alive, and not a
    later process given the same id."""
    if not process_alive(pid):
        return False
    started = process_started(pid)
    return started is None or started <= since.timestamp() + START_SLACK_SECONDS
