"""The whole panel at once: many `assessor score` processes started together, none refused, none lost."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assessor.storage.campaign_file import load_campaign, save_campaign
from assessor.storage.sheets import sheets_folder
from tests.conftest import ROOT, score_command
from tests.generate import make_light_campaign

TOGETHER = 20
ROUNDS = 2  # `make fuzz` runs more


def member_scores(path: Path, member: str, candidate: str, value: int) -> list[str]:
    return score_command(path, member, candidate, "changing-and-improving", value, f"{member} on {candidate}.")


def run_rounds(path: Path, rounds: int) -> None:
    save_campaign(make_light_campaign(TOGETHER * rounds, 2, 3, seed=3, scored=0.3), path)
    expected: dict[tuple[str, str], int] = {}
    for round_number in range(rounds):
        wanted = {(f"P{index % 3 + 1}", f"C{round_number * TOGETHER + index + 1:05d}"): index % 7 + 1 for index in range(TOGETHER)}
        processes = [
            subprocess.Popen(member_scores(path, member, candidate, value), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for (member, candidate), value in wanted.items()
        ]
        for process in processes:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, f"round {round_number}: {stderr}"
        expected.update(wanted)
        campaign = load_campaign(path)
        found = {(s.assessor, s.candidate): s.score for s in campaign.scores if s.stage == "interview"}
        assert found == expected, f"round {round_number}: a score was lost or doubled"
        assert len([s for s in campaign.scores if s.stage == "interview"]) == len(expected)
        assert sorted(p.name for p in sheets_folder(path).iterdir()) == ["P1.toml", "P2.toml", "P3.toml"], "no lock or temporary file left"


def test_twenty_scores_saved_at_once_by_three_members_are_all_kept(tmp_path: Path) -> None:
    run_rounds(tmp_path / "panel.toml", ROUNDS)


@pytest.mark.slow
def test_twenty_scores_at_once_again_and_again(tmp_path: Path) -> None:
    run_rounds(tmp_path / "panel.toml", 10)
