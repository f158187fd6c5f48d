"""Type-ahead through a real pseudo-terminal on a loaded machine: a burst written at once (open a
candidate, score, tab, evidence with digits and the list's letters) lands where it was typed.
Slow (a busy machine is made for it): `make fuzz` runs it."""

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


@pytest.mark.slow
@pytest.mark.parametrize("run", range(3))
def test_a_burst_on_a_busy_machine_is_recorded_as_typed(tmp_path: Path, run: int) -> None:
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
        os.write(leader, ("\r5\t" + EVIDENCE).encode())
        assert b"goals met" in read_until(leader, b"goals met", 60)
        os.write(leader, b"\x11")  # ctrl+q, once the evidence is on the screen
        read_to_the_end(leader, app, 60)
    finally:
        for process in (app, *load):
            if process.poll() is None:
                process.kill()
        os.close(leader)
    first = load_campaign(path).candidates[0].id
    criteria = [c.id for c in load_campaign(path).criteria if "interview" in c.stages]
    mine = {
        (s.candidate, s.criterion): (s.score, s.evidence) for s in load_campaign(path).scores if s.assessor == "whitfield" and s.stage == "interview"
    }
    assert mine == {(first, criteria[0]): (5, EVIDENCE)}
