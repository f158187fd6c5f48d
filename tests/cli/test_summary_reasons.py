"""Every outcome says why, in the same words in every format: `assessor summary` in json, csv,
text and md, on a consensus campaign at moderation."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assessor.core.campaign import Campaign
from assessor.report.wording import reasons
from assessor.rules.scoring import summarise
from assessor.storage.campaign_file import save_campaign
from assessor.storage.reference import load_framework
from tests.conftest import run_cli
from tests.unit.test_shortlist import SIFT, campaign_of

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

AWAITING = "awaiting the panel's agreed score on leadership@interview"
REASONS = {
    "D": "",
    "A": AWAITING,
    "B": f"no score yet for delivering-at-pace@interview; {AWAITING}",
    "C": "Leadership 3 < 4",
}
"""Each candidate's reason, as every format gives it."""


def agreeing() -> Campaign:
    """A consensus campaign at moderation, two members scoring Leadership and Delivering at Pace (pass
    mark 4) at the interview: D agreed on both (appointable); A scored on both, Delivering at Pace
    agreed and Leadership not yet; B scored on Leadership alone, not agreed; C agreed a 3 on
    Leadership (fail)."""
    pace = "delivering-at-pace"
    given = {"D": {"leadership": 6, pace: 6}, "A": {"leadership": 5, pace: 5}, "B": {"leadership": 4}, "C": {"leadership": 3, pace: 5}}
    agreed = {"D": ("leadership", pace), "A": (pace,), "C": ("leadership", pace)}
    scores = [
        {"candidate": candidate, "criterion": criterion, "stage": "interview", "assessor": member, "score": value, "evidence": "Seen.", "at": AT}
        for candidate, items in given.items()
        for criterion, value in items.items()
        for member in ("chair", "m1")
    ]
    moderation = [
        {"candidate": candidate, "criterion": criterion, "stage": "interview", "score": given[candidate][criterion], "by": "chair", "at": AT}
        for candidate, criteria in agreed.items()
        for criterion in criteria
    ]
    data = {
        "campaign": {"id": "agreeing", "title": "Agreeing", "level": 3, "status": "moderation", "created": AT, "agreed_scores": "consensus"},
        "stages": [{"id": "interview", "name": "Interview", "methods": ["interview"]}],
        "criteria": [
            {"id": "leadership", "element": "behaviours", "name": "Leadership", "stages": ["interview"], "lead": True},
            {"id": pace, "element": "behaviours", "name": "Delivering at Pace", "stages": ["interview"]},
        ],
        "panel": [{"id": "chair", "name": "Chair", "role": "chair"}, {"id": "m1", "name": "Member One", "role": "member"}],
        "candidates": [{"id": candidate, "name": f"Candidate {candidate}"} for candidate in given],
        "scores": scores,
        "moderation": moderation,
    }
    return Campaign.model_validate(data, context={"framework": load_framework("success-profiles")})


@pytest.fixture
def agreeing_file(tmp_path: Path) -> Path:
    path = tmp_path / "agreeing.toml"
    save_campaign(agreeing(), path)
    return path


def test_one_function_gives_every_candidates_reason() -> None:
    summary = summarise(agreeing())
    assert {result.id: (result.outcome, reasons(result)) for result in summary.candidates} == {
        "D": ("appointable", ""),
        "A": ("incomplete", AWAITING),
        "B": ("incomplete", REASONS["B"]),
        "C": ("fail", "Leadership 3 < 4"),
    }


def test_json_says_why_and_lists_the_items_awaiting_agreement(agreeing_file: Path) -> None:
    result = run_cli("summary", str(agreeing_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)["candidates"]}
    assert {candidate: row["reason"] for candidate, row in rows.items()} == REASONS
    assert {candidate: row["unagreed"] for candidate, row in rows.items()} == {
        "D": [],
        "A": ["leadership@interview"],
        "B": ["leadership@interview"],
        "C": [],
    }
    assert rows["B"]["missing"] == ["leadership@interview", "delivering-at-pace@interview"]
    assert (rows["A"]["outcome"], rows["C"]["outcome"], rows["C"]["failed"]) == ("incomplete", "fail", ["Leadership 3 < 4"])


def test_csv_gives_the_same_reasons(agreeing_file: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("summary", str(agreeing_file), "--format", "csv").stdout)))
    assert {row["candidate"]: row["reasons"] for row in rows} == REASONS


def test_text_and_markdown_give_the_same_reasons(agreeing_file: Path) -> None:
    text = run_cli("summary", str(agreeing_file)).stdout
    notes = " ".join(line.strip() for line in text.split("\nNotes\n")[1].splitlines())  # wrapped at 78 columns
    for candidate in "ABC":
        assert f"{candidate}: {dict(A='incomplete', B='incomplete', C='fail')[candidate]}: {REASONS[candidate]}" in notes
    markdown = run_cli("summary", str(agreeing_file), "--format", "md").stdout
    assert f"- **A**: incomplete: {AWAITING}" in markdown
    assert f"- **B**: incomplete: {REASONS['B']}" in markdown
    assert "- **C**: fail: Leadership 3 &lt; 4" in markdown  # `<` as Markdown's safe text writes it


def test_a_shortlist_cuts_words_are_kept_exactly(tmp_path: Path) -> None:
    path = tmp_path / "sift.toml"
    save_campaign(campaign_of(SIFT, shortlist=2, status="sift"), path)
    rows = {row["id"]: row for row in json.loads(run_cli("summary", str(path), "--stage", "sift", "--format", "json").stdout)["candidates"]}
    assert rows["C"]["reason"] == "below the shortlist of 2: rank 3, total 5 against 6"
    assert (rows["A"]["reason"], rows["F"]["reason"]) == ("", "Leadership 3 < 4")
