"""Feedback to candidates through the command line: the chair writes it, and each candidate's
letter holds the role, their stages with agreed scores and meanings, the outcome, and nothing
about anyone else."""

from __future__ import annotations

import tomllib
from pathlib import Path

from assessor.storage.campaign_file import load_campaign
from tests.conftest import run_cli

WORDS = "Strong examples of leading change; give more on budgets next time."


def test_the_chair_writes_feedback_and_the_letter_holds_only_that_candidate(clean: Path) -> None:
    refused = run_cli("feedback", str(clean), "C01", "--write", WORDS)
    assert (refused.returncode, refused.stderr) == (1, f"{clean}: --as: --as CHAIR is needed with --write: only the chair writes feedback\n")
    member = run_cli("feedback", str(clean), "C01", "--as", "P2", "--write", WORDS)
    assert member.returncode == 1 and "only a chair writes feedback to candidates" in member.stderr
    done = run_cli("feedback", str(clean), "C01", "--as", "P1", "--write", WORDS)
    assert (done.returncode, done.stdout) == (0, f"{clean}: wrote the feedback to C01\n")
    assert tomllib.loads(clean.read_text())["feedback"] == [
        {"candidate": "C01", "text": WORDS, "by": "P1", "at": tomllib.loads(clean.read_text())["feedback"][0]["at"]}
    ]
    letter = run_cli("feedback", str(clean), "C01")
    assert letter.returncode == 0, letter.stderr
    campaign = load_campaign(clean)
    other = next(c for c in campaign.candidates if c.id == "C02")
    text = letter.stdout
    assert text.startswith("**DRAFT: the panel has not signed off yet") and "# Feedback on your application" in text
    assert "Dear Jordan Ellis," in text and "\nAmara Okafor\n\nChair of the selection panel\n" in text
    assert "| Leadership | 5 | Good |" in text  # the agreed score and its meaning on the scale
    assert "You were placed 2 on the merit list and are on the reserve list" in text
    assert WORDS in text
    assert other.name not in text and "C02" not in text
    assert not any(score.evidence in text for score in campaign.scores if score.evidence)  # no panel member's own evidence
    page = run_cli("feedback", str(clean), "C01", "--format", "html")
    assert page.stdout.startswith("<!DOCTYPE html>") and "<td>Leadership</td><td>5</td><td>Good</td>" in page.stdout
    exported = run_cli("export-candidate", str(clean), "C01", "--format", "md").stdout
    assert "## Feedback from the panel\n\n" + WORDS in exported
    # Sealed with the rest: once final, feedback is no longer written.
    assert run_cli("finalise", str(clean), "--as", "P1").returncode == 0
    late = run_cli("feedback", str(clean), "C01", "--as", "P1", "--write", "More.")
    assert late.returncode == 1 and "final and sealed" in late.stderr
    assert run_cli("feedback", str(clean), "C99").stderr == f"{clean}: unknown candidate 'C99'\n"
