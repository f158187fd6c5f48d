"""Arguments and values at the edges: bytes that are not text on the command line, dates at the end of time."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.cli.conftest import finalise_long_ago
from tests.conftest import ROOT, run_cli


def run_bytes(*args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    """The real CLI given arguments as raw bytes, as a shell passes `$'bad\\xffbyte'`."""
    command = [os.fsencode(sys.executable), b"-m", b"assessor", *(os.fsencode(arg) if isinstance(arg, str) else arg for arg in args)]
    return subprocess.run(command, capture_output=True, cwd=ROOT, timeout=60)


def test_text_arguments_that_are_not_utf8_are_refused_in_one_line(minimal: Path) -> None:
    before = minimal.read_bytes()
    score = ("score", str(minimal), "--as", "P2", "--candidate", "C02", "--criterion", "leadership", "--stage", "interview", "--score", "5")
    result = run_bytes(*score, "--evidence", b"bad\xffbyte")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"{minimal}: --evidence: not valid UTF-8 text"]
    assert result.stdout == b""
    result = run_bytes("feedback", str(minimal), b"C\xfe1", "--as", "P1", "--write", b"\xff")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"{minimal}: ID: not valid UTF-8 text", f"{minimal}: --write: not valid UTF-8 text"]
    assert minimal.read_bytes() == before
    assert sorted(p.name for p in minimal.parent.iterdir()) == [minimal.name], "no sheet, lock or temporary file is left"


def test_a_retention_date_at_the_end_of_the_calendar_is_never_purged(clean: Path) -> None:
    campaign = load_campaign(clean)
    save_campaign(campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"retain_until": date.max})}), clean)
    finalise_long_ago(clean, "P1")
    assert load_campaign(clean).campaign.retain_until == date(9999, 12, 31)
    before = clean.read_bytes()
    result = run_cli("purge", str(clean))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{clean}: personal data is kept until 9999-12-31 (retain_until), the last date there is: it is never purged"
    ]
    assert clean.read_bytes() == before
