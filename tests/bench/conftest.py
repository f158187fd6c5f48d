"""Benchmark fixtures: seeded campaigns written to real files, and the results table.

Run with `make bench`; `make test` does not collect these files (they are `bench_*.py`).
Set BENCH_STRICT=1 to make a missed target fail the run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bench import measure


@dataclass(frozen=True)
class BenchFile:
    """A generated campaign and the file it was saved to."""

    campaign: object
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


SHAPES = {
    # name: (candidates, criteria, assessors, stage)
    "interview": (20, 6, 3, "interview"),
    "bulk": (5000, 2, 1, "sift"),
    "stress": (5000, 6, 3, "interview"),
}


@pytest.fixture(scope="session")
def bench_files(tmp_path_factory: pytest.TempPathFactory):
    """`bench_files(name)`: the campaign of that shape (generated once per run) and its file."""
    from assessor.storage.campaign_file import save_campaign
    from tests.generate import make_campaign

    folder = tmp_path_factory.mktemp("bench")
    made: dict[str, BenchFile] = {}

    def get(name: str) -> BenchFile:
        if name not in made:
            candidates, criteria, assessors, stage = SHAPES[name]
            campaign = make_campaign(candidates, criteria, assessors, seed=1, stage=stage)
            path = folder / f"{name}-{candidates}x{criteria}x{assessors}.toml"
            save_campaign(campaign, path)
            made[name] = BenchFile(campaign, path)
        return made[name]

    return get


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not measure.RESULTS:
        return
    terminalreporter.write_sep("=", "benchmarks (best of several runs; floors measured in this run)")
    terminalreporter.write_line(measure.table())
    judged = [row for row in measure.RESULTS if row.passed is not None]
    met = sum(1 for row in judged if row.passed)
    terminalreporter.write_line(f"\n{met} of {len(judged)} targets met on this machine ({os.cpu_count()} CPUs).")


@pytest.fixture
def target():
    """`target(ok, description)`: with BENCH_STRICT=1 a missed target fails the benchmark."""

    def check(ok: bool, description: str) -> None:
        if os.environ.get("BENCH_STRICT") == "1":
            assert ok, f"target missed: {description}"

    return check
