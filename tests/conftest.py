"""Shared fixtures: real files in tmp_path and the real CLI in a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assessor.changes.scores import record
from assessor.storage.campaign_file import load_campaign, save_campaign

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "campaigns" / "head-of-digital-2026.toml"
MINIMAL = DATA / "minimal.toml"


def score_command(path: Path, member: str, candidate: str, criterion: str, value: int, evidence: str = "", stage: str = "interview") -> list[str]:
    """The command line of `assessor score` recording `member`'s score, as a user types it."""
    args = [sys.executable, "-m", "assessor", "score", str(path), "--as", member, "--candidate", candidate]
    args += ["--criterion", criterion, "--stage", stage, "--score", str(value)]
    return args + (["--evidence", evidence] if evidence else [])


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


@pytest.fixture(autouse=True)
def private_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its settings (the theme) and its cache away from the user's own folders."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("ASSESSOR_CONFIG_DIR", str(folder))
    monkeypatch.setenv("ASSESSOR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return folder


CLEAN_AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
"""When the `clean` campaign's scores were given."""


@pytest.fixture
def clean(minimal: Path) -> Path:
    """The minimal campaign with every counted score in and nothing left for the chair."""
    campaign = load_campaign(minimal)
    for candidate, criterion, stage, assessor, score in [
        ("C01", "working-together", "interview", "P1", 5),
        ("C01", "working-together", "interview", "P2", 5),
        ("C02", "leadership", "interview", "P1", 6),
        ("C02", "leadership", "interview", "P2", 6),
        ("C02", "working-together", "interview", "P1", 6),
        ("C02", "working-together", "interview", "P2", 5),
        # The sift decided who went on to the interview: it is settled too.
        ("C01", "leadership", "sift", "P1", 5),
        ("C01", "leadership", "sift", "P2", 5),
        ("C02", "leadership", "sift", "P1", 6),
        ("C02", "leadership", "sift", "P2", 6),
    ]:
        campaign = record(
            campaign,
            assessor=assessor,
            candidate=candidate,
            criterion=criterion,
            stage=stage,
            score=score,
            evidence=f"{assessor} saw {candidate} on {criterion}.",
            at=CLEAN_AT,
        ).campaign
    save_campaign(campaign, minimal)
    return minimal
