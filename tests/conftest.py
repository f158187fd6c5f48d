"""Shared fixtures: real files in tmp_path and the real CLI in a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "campaigns" / "head-of-digital-2026.toml"
MINIMAL = DATA / "minimal.toml"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m assessor ARGS` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "assessor", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example campaign."""
    target = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, target)
    return target


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A private copy of the small valid campaign the bad files are made from."""
    target = tmp_path / "minimal.toml"
    shutil.copyfile(MINIMAL, target)
    return target
