"""Type-ahead through a real pseudo-terminal on a loaded machine: a burst written at once (open a
candidate, score, tab, evidence with digits and the list's letters; escape and a letter read as
one key) lands where it was typed. Slow (a busy machine is made for it): `make fuzz` runs it."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.cli.test_terminal_bytes import read_to_the_end, read_until, window
from tests.conftest import EXAMPLE, ROOT

EVIDENCE = "Led 3 teams; 4 of 7 goals met e u j k n 6"
BUSY = "import time\nend = time.monotonic() + 60\nwhile time.monotonic() < end:\n    pass\n"


def typed_in_a_terminal(tmp_path: Path, typed: str, shown: bytes) -> dict[tuple[str, str], tuple[int, str]]:
    """Whitfield's interview scores after `typed` is written to the app's terminal in one go, on a busy
    machine, and `shown` is on the screen: open the first candidate, score, then what the case types."""
    path = tmp_path / "hod.toml"
    shutil.copyfile(EXAMPLE, path)
    campaign = load_campaign(path)
    save_campaign(
        campaign.model_copy(update={"scores": [s for s in campaign.scores if not (s.assessor == "whitfield" and s.stage == "interview")]}), path
    )
    load = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(2)]  # both cores kept busy
    leader, follower = pty.openpty()
    window(follower, 24, 80)
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT), "ASSESSOR_CONFIG_DIR": str(tmp_path / "config")}
    app = subprocess.Popen(
        [sys.executable, "-m", "assessor", str(path), "--as", "whitfield"], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    try:
        assert b"scoring as Tom Whitfield" in read_until(leader, b"scoring as Tom Whitfield", 60)
        os.write(leader, typed.encode())
        assert shown in read_until(leader, shown, 60)
        os.write(leader, b"\x11")  # ctrl+q, once what was typed is on the screen
        read_to_the_end(leader, app, 60)
    finally:
        for process in (app, *load):
            if process.poll() is None:
                process.kill()
        os.close(leader)
    return {
        (s.candidate, s.criterion): (s.score, s.evidence) for s in load_campaign(path).scores if s.assessor == "whitfield" and s.stage == "interview"
    }


def first_and_criteria() -> tuple[str, list[str]]:
    campaign = load_campaign(EXAMPLE)
    return campaign.candidates[0].id, [c.id for c in campaign.criteria if "interview" in c.stages]


@pytest.mark.slow
@pytest.mark.parametrize("run", range(3))
def test_a_burst_on_a_busy_machine_is_recorded_as_typed(tmp_path: Path, run: int) -> None:
    first, criteria = first_and_criteria()
    mine = typed_in_a_terminal(tmp_path, "\r5\t" + EVIDENCE, b"goals met")
    assert mine == {(first, criteria[0]): (5, EVIDENCE)}


@pytest.mark.slow
@pytest.mark.parametrize("run", range(3))
def test_escape_then_a_letter_in_the_burst_leaves_the_evidence_and_the_letter_acts(tmp_path: Path, run: int) -> None:
    """Escape and `j` written together reach the app as one key, alt+j (a terminal sends alt and a
    letter so): still the evidence is left, `j` goes to the next criterion and 6 scores that one."""
    first, criteria = first_and_criteria()
    mine = typed_in_a_terminal(tmp_path, "\r5\t" + EVIDENCE + "\x1bj6", b"Your score: 6")
    assert mine == {(first, criteria[0]): (5, EVIDENCE), (first, criteria[1]): (6, "")}
