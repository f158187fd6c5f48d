"""`assessor declare` through the real command: recorded, kept to by score, taken back, on the record."""

from __future__ import annotations

from pathlib import Path

from assessor.storage.campaign_file import load_campaign
from tests.conftest import run_cli

SCORE = ("--criterion", "leadership", "--stage", "interview", "--score", "5")


def test_declare_then_score_is_refused_then_taken_back(example: Path) -> None:
    said = run_cli("declare", str(example), "--as", "raman", "--candidate", "C04", "--reason", "My former line manager")
    assert (said.returncode, said.stdout) == (0, f"{example}: declared a conflict of interest with C04: My former line manager\n")
    refused = run_cli("score", str(example), "--as", "raman", "--candidate", "C04", *SCORE)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0].startswith(f"{example}: raman declared a conflict of interest with C04 on ")
    again = run_cli("declare", str(example), "--as", "raman", "--candidate", "C04", "--reason", "again")
    assert (again.returncode, again.stderr) == (1, f"{example}: --candidate: raman has declared a conflict of interest with C04 already\n")
    back = run_cli("declare", str(example), "--as", "raman", "--candidate", "C04", "--withdraw", "--reason", "Another Hannah")
    assert back.stdout == f"{example}: took back the conflict of interest declared with C04; reason: Another Hannah\n"
    assert run_cli("score", str(example), "--as", "raman", "--candidate", "C04", *SCORE).returncode == 0
    (row,) = load_campaign(example).declarations
    assert (row.member, row.candidate, row.reason, row.withdrawn_reason) == ("raman", "C04", "My former line manager", "Another Hannah")
    html = run_cli("summary", str(example), "--format", "html").stdout
    assert "<h2>Declared conflicts of interest</h2>" in html and "My former line manager" in html


def test_declare_needs_a_member_a_candidate_and_a_reason(example: Path) -> None:
    before = example.read_bytes()
    usage = run_cli("declare", str(example), "--as", "raman", "--candidate", "C04")
    assert usage.returncode == 2 and "--reason" in usage.stderr
    unknown = run_cli("declare", str(example), "--as", "nobody", "--candidate", "C04", "--reason", "x")
    assert (unknown.returncode, unknown.stderr) == (1, f"{example}: --as: 'nobody' is not on the panel\n")
    assert example.read_bytes() == before
