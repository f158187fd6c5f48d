"""Crash safety of the real CLI: SIGKILL at random instants never loses, doubles or tears a score."""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from assessor.storage.campaign_file import load_campaign, save_campaign
from assessor.storage.lock import lock_path
from tests.conftest import ROOT
from tests.generate import make_light_campaign

KILLS = 9  # three at each phase: about 15 s


def score_command(path: Path, candidate: str, value: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "assessor",
        "score",
        str(path),
        "--as",
        "P2",
        "--candidate",
        candidate,
        "--criterion",
        "delivering-at-pace",
        "--stage",
        "interview",
        "--score",
        str(value),
        "--evidence",
        f"Evidence for {candidate}.",
    ]


def stored(path: Path) -> dict[str, tuple[int, int]]:
    """(score rows, audit rows) of this test's item per candidate, from a file that must load."""
    campaign = load_campaign(path)  # raises if the file were torn or held a duplicate score
    counts: dict[str, list[int]] = {}
    for score in campaign.scores:
        if (score.criterion, score.stage, score.assessor) == ("delivering-at-pace", "interview", "P2"):
            counts.setdefault(score.candidate, [0, 0])[0] += 1
    for row in campaign.audit:
        if row.what.startswith("scored ") and " on delivering-at-pace at interview: " in row.what:
            candidate = row.what.split()[1]
            counts.setdefault(candidate, [0, 0])[1] += 1
    return {candidate: (rows, audit) for candidate, (rows, audit) in counts.items()}


def kill_at_random_instant(process: subprocess.Popen, path: Path, phase: int, rng: random.Random, whole_run: float) -> None:
    """SIGKILL while starting or loading (phase 0), while saving (1), or around the exit (2)."""
    if phase == 0:
        time.sleep(rng.uniform(0.05, 0.6) * whole_run)
    elif phase == 1:
        # The save has begun once its temporary file exists: kill within the next instants.
        temp = path.with_name(f".{path.name}.{socket.gethostname()}.{process.pid}.tmp")
        deadline = time.monotonic() + 5 * whole_run
        while not temp.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, 0.02))
    else:
        time.sleep(rng.uniform(0.8, 1.5) * whole_run)
    process.send_signal(signal.SIGKILL)


def test_sigkill_at_any_instant_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "bulk.toml"
    save_campaign(make_light_campaign(1500, 4, 3, seed=11, scored=0.5), path)
    rng = random.Random(5)

    started = time.monotonic()
    first = subprocess.run(score_command(path, "C00001", 4), capture_output=True, text=True, cwd=ROOT, timeout=60)
    whole_run = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    confirmed = {"C00001"}
    outcomes = {"old": 0, "new": 0, "finished": 0}

    for attempt in range(KILLS):
        candidate = f"C{attempt + 2:05d}"
        process = subprocess.Popen(score_command(path, candidate, 5), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        kill_at_random_instant(process, path, attempt % 3, rng, whole_run)
        returncode = process.wait()
        found = stored(path)
        rows, audit = found.get(candidate, (0, 0))
        assert rows == audit and rows in (0, 1), f"kill {attempt}: {rows} scores and {audit} audit rows"
        if returncode == 0:
            assert rows == 1, "a command that reported success lost its score"
            outcomes["finished"] += 1
        else:
            outcomes["new" if rows else "old"] += 1
        if rows:
            confirmed.add(candidate)
        assert {c for c, (n, _) in found.items() if n == 1} == confirmed, "a score was lost or appeared from nowhere"

    # The next writer sweeps what the killed ones left: their temp files and a stale lock.
    last = subprocess.run(score_command(path, "C01000", 6), capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert last.returncode == 0, last.stderr
    assert all("note: broke a stale lock" in line for line in last.stderr.splitlines())
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert not lock_path(path).exists()
    assert stored(path)["C01000"] == (1, 1)
    assert outcomes["old"] >= 1, outcomes  # a kill before the save must leave the old file
