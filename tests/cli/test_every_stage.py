"""Every stage that decided who went on reaches the chair, and only those who went on are scored."""

from __future__ import annotations

from pathlib import Path

from assessor.changes.scores import record
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.cli.conftest import CLEAN_AT
from tests.conftest import run_cli


def test_a_sift_disagreement_blocks_finalise_until_it_is_agreed(clean: Path) -> None:
    campaign = load_campaign(clean)
    campaign = record(campaign, assessor="P1", candidate="C01", criterion="leadership", stage="sift", score=3, at=CLEAN_AT).campaign
    save_campaign(campaign, clean)
    refused = run_cli("finalise", str(clean), "--as", "P1")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"{clean}: not finalised: 1 item still open (settle them, or --force --rationale TEXT to record them)",
        f"{clean}: C01: panel spread of 2 on leadership at sift and no agreed score",
    ]
    agreed = run_cli(
        "moderate", str(clean), "--as", "P1", "--candidate", "C01", "--criterion", "leadership", "--stage", "sift",
        "--score", "4", "--rationale", "Agreed at the sift wash-up.",
    )  # fmt: skip
    assert agreed.returncode == 0, agreed.stderr
    assert run_cli("finalise", str(clean), "--as", "P1").returncode == 0


def test_a_candidate_who_did_not_pass_the_sift_is_not_scored_at_interview(example: Path) -> None:
    before = example.read_bytes()
    result = run_cli(
        "score", str(example), "--as", "raman", "--candidate", "C05", "--criterion", "leadership", "--stage", "interview", "--score", "5",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{example}: --candidate: C05 did not pass the Sift stage: they are not scored at interview"]
    assert example.read_bytes() == before
