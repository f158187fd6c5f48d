"""A stage's recorded result through the real command: written by advance, read back, sealed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import tomli

from tests.conftest import run_cli


def test_advance_records_the_sift_and_a_rekeyed_sift_score_moves_nobody(example: Path) -> None:
    moved = run_cli("advance", str(example), "--as", "okafor")
    assert moved.returncode == 0, moved.stderr
    (record,) = tomli.loads(example.read_text())["decisions"]
    assert (record["stage"], record["by"]) == ("sift", "okafor") and "later advance" in record["note"]
    outcomes = {row["candidate"]: row["outcome"] for row in record["results"]}
    assert outcomes == {"C01": "pass", "C02": "pass", "C03": "pass", "C04": "pass", "C05": "fail", "C06": "pass"}
    # C05 failed the sift and was never interviewed: the chair's agreed 7s on every sift criterion change nothing.
    agree_on_c05_at_the_sift(example, 7, "re-read", "re-read")
    sift = run_cli("summary", str(example), "--stage", "sift", "--format", "json", "--names")
    merit = run_cli("summary", str(example), "--format", "json")
    at_sift = {row["id"]: row["outcome"] for row in json.loads(sift.stdout)["candidates"]}
    on_list = {row["id"]: (row["outcome"], row["failed"]) for row in json.loads(merit.stdout)["candidates"]}
    assert at_sift == outcomes
    assert on_list["C05"] == ("fail", ["did not pass the Sift stage"])


def test_the_seal_covers_the_record(example: Path) -> None:
    assert run_cli("advance", str(example), "--as", "okafor").returncode == 0
    sealed = run_cli("finalise", str(example), "--as", "okafor", "--force", "--rationale", "signed off")
    assert sealed.returncode == 0, sealed.stderr
    text = example.read_text()
    assert 'outcome = "fail"' in text
    example.write_text(text.replace('outcome = "fail"', 'outcome = "pass"', 1))
    checked = run_cli("verify", str(example))
    assert checked.returncode == 1
    assert f"{example}: changed since sealing: decisions" in checked.stdout + checked.stderr


def test_a_decided_sift_is_closed_and_a_correction_says_who_it_would_put_through(example: Path) -> None:
    assert run_cli("advance", str(example), "--as", "okafor").returncode == 0
    before = example.read_bytes()
    refused = run_cli("score", str(example), "--as", "raman", "--candidate", "C05", "--criterion", "leadership", "--stage", "sift", "--score", "7")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [f"{example}: the Sift stage was decided by Amara Okafor on {decided_on(example)}: its scores are closed"]
    no_reason = run_cli("score", str(example), "--as", "okafor", "--candidate", "C05", "--criterion", "leadership", "--stage", "sift", "--score", "7")
    assert no_reason.returncode == 1 and "--reason: the Sift stage was decided by Amara Okafor" in no_reason.stderr
    assert example.read_bytes() == before
    own = run_cli(
        "score",
        str(example),
        "--as",
        "okafor",
        "--candidate",
        "C05",
        "--criterion",
        "leadership",
        "--stage",
        "sift",
        "--score",
        "7",
        "--reason",
        "mis-keyed",
    )
    assert own.returncode == 0 and own.stdout.endswith("; reason: mis-keyed\n"), own.stderr
    corrected = agree_on_c05_at_the_sift(example, 6, "the form read again", "mis-keyed")
    assert "C05 would go on from it, but it was decided that they did not" in corrected.stderr
    assert f"`assessor reinstate {example} --as okafor --stage sift --candidate C05 --reason TEXT`" in corrected.stderr
    invited = run_cli("reinstate", str(example), "--as", "okafor", "--stage", "sift", "--candidate", "C05", "--reason", "a late invitation")
    assert invited.returncode == 0, invited.stderr
    assert invited.stdout == f"{example}: reinstated C05 at the Sift stage (decided: fail): invited on late; reason: a late invitation\n"
    merit = json.loads(run_cli("summary", str(example), "--format", "json").stdout)
    assert next(row for row in merit["candidates"] if row["id"] == "C05")["failed"] == []
    again = run_cli("reinstate", str(example), "--as", "okafor", "--stage", "sift", "--candidate", "C05", "--reason", "again")
    assert (again.returncode, again.stderr) == (1, f"{example}: --candidate: C05 went on from the Sift stage already\n")


def decided_on(example: Path) -> str:
    return str(tomli.loads(example.read_text())["decisions"][0]["at"].date())


SIFT_CRITERIA = ("leadership", "seeing-the-big-picture", "working-together", "digital-leadership-experience")


def agree_on_c05_at_the_sift(example: Path, score: int, rationale: str, reason: str) -> subprocess.CompletedProcess[str]:
    """The chair's agreed `score` on every sift criterion of C05, who failed the sift: the last run."""
    for criterion in SIFT_CRITERIA:
        options = [
            "--candidate",
            "C05",
            "--criterion",
            criterion,
            "--stage",
            "sift",
            "--score",
            str(score),
            "--rationale",
            rationale,
            "--reason",
            reason,
        ]
        agreed = run_cli("moderate", str(example), "--as", "okafor", *options)
        assert agreed.returncode == 0, agreed.stderr
    return agreed
