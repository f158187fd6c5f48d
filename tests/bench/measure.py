"""Timing helpers and the results table shared by the benchmarks.

Every measurement is recorded next to its floor, measured in the same run on the same
machine, so the table reads as ratios that hold from one machine to another.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MS = 1000.0
ROOT = Path(__file__).resolve().parent.parent.parent
"""The project folder: scripts run in a fresh interpreter import `tests` from there."""


@dataclass
class Row:
    """One line of the results table."""

    order: float
    work: str
    measured: str
    floor: str
    ratio: str
    target: str
    passed: bool | None
    """None: reported, not judged."""


RESULTS: list[Row] = []


def record(order: float, work: str, measured: str, floor: str, ratio: str, target: str, passed: bool | None) -> None:
    """Add a line to the table printed at the end of the run."""
    RESULTS.append(Row(order, work, measured, floor, ratio, target, passed))


def record_own_floor(order: float, work: str, measured: str, floor: str, ratio: float) -> None:
    """A line reported, not judged: a measurement against the least any program built the same way pays."""
    record(order, work, measured, floor, times(ratio), "—", None)


def table() -> str:
    """The results as a Markdown table, in a fixed order."""
    lines = [
        "| measurement | measured | floor (same run) | ratio | target | result |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in sorted(RESULTS, key=lambda row: row.order):
        result = {True: "pass", False: "FAIL", None: "report"}[row.passed]
        lines.append(f"| {row.work} | {row.measured} | {row.floor} | {row.ratio} | {row.target} | {result} |")
    return "\n".join(lines)


def best_of(function: Callable[[], Any], repeat: int) -> float:
    """The fastest of `repeat` calls, in seconds: the least disturbed by the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def process_seconds(args: Sequence[str], *, cwd: str | None = None, env: dict[str, str] | None = None) -> float:
    """Wall time of one whole process (start, work, exit); fails loudly if it fails."""
    start = time.perf_counter()
    result = subprocess.run(list(args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env, timeout=300)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {result.returncode}: {result.stderr.decode()[-2000:]}")
    return elapsed


def compile_package() -> None:
    """Write assessor's .pyc files, as an install does, even where PYTHONDONTWRITEBYTECODE
    would leave every timed process compiling the package from source (about 30 ms)."""
    import compileall

    import assessor

    compileall.compile_dir(str(Path(assessor.__file__).parent), quiet=1)


def best_processes(commands: dict[str, Sequence[str]], repeat: int, **kwargs: Any) -> dict[str, float]:
    """Best wall time of each command, run interleaved so drift on the machine hits all alike."""
    compile_package()
    times: dict[str, list[float]] = {name: [] for name in commands}
    for args in commands.values():  # one untimed run each: disk cache, .pyc files
        process_seconds(args, **kwargs)
    for _ in range(repeat):
        for name, args in commands.items():
            times[name].append(process_seconds(args, **kwargs))
    return {name: min(values) for name, values in times.items()}


PYTHON = sys.executable


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def millis(value: float) -> str:
    return f"{value * MS:.1f} ms" if value < 0.1 else f"{value * MS:.0f} ms"


def times(value: float) -> str:
    return f"{value:.2f}×"
