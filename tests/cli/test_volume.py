"""A sift at volume on the command line, end to end: 2,000 applications, ten sifters, a
lead-behaviour pre-sift, a shortlist of 40, guaranteed interviews and a 10% second-marking
sample; the interview holds exactly the candidates who went on.

The scores themselves are written straight into the file (2,000 `assessor score` processes
would say nothing more); every step the chair takes is the real command line.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assessor.core.campaign import Campaign, Score
from assessor.storage.campaign_file import load_campaign, save_campaign
from assessor.storage.reference import load_framework
from tests import scoring_reference
from tests.conftest import run_cli, score_command

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
APPLICATIONS = 2000
SIFTERS = [f"s{number:02d}" for number in range(1, 11)]
GUARANTEED = {"A0007": "disability-confident", "A0100": "veterans", "A1500": "disability-confident", "A1999": "veterans"}
SCHEMES = {"disability-confident": "Disability Confident", "veterans": "Veterans"}


def volume_campaign(path: Path) -> Path:
    """A campaign in set-up: pre-sift (leadership alone, best 400 go on), sift (leadership and
    experience, shortlist of 40), interview; a chair and ten sifters; 2,000 applications."""
    data = {
        "campaign": {"id": "volume-2027", "title": "Policy Adviser", "level": 3, "created": AT},
        "stages": [
            {"id": "pre-sift", "name": "Pre-sift", "methods": ["application-form"], "shortlist": 400},
            {"id": "sift", "name": "Sift", "methods": ["application-form"], "shortlist": 40},
            {"id": "interview", "name": "Interview", "methods": ["interview"]},
        ],
        "criteria": [
            {"id": "leadership", "element": "behaviours", "name": "Leadership", "stages": ["pre-sift", "sift", "interview"], "lead": True},
            {"id": "experience", "element": "experience", "name": "Policy experience", "stages": ["sift", "interview"]},
        ],
        "panel": [{"id": "chair", "name": "Chair", "role": "chair"}, *[{"id": s, "name": f"Sifter {s}"} for s in SIFTERS]],
        "candidates": [
            {"id": f"A{n:04d}", "name": f"Applicant {n}", "guaranteed_interview": GUARANTEED.get(f"A{n:04d}")} for n in range(APPLICATIONS)
        ],
    }
    save_campaign(Campaign.model_validate(data, context={"framework": load_framework("success-profiles")}), path)
    return path


def score_allocation(path: Path, stage: str, rng: random.Random) -> None:
    """Every allocated reader scores their candidates at `stage` (as the sifters would)."""
    campaign = load_campaign(path)
    criteria = [criterion.id for criterion in campaign.criteria if stage in criterion.stages]
    rows = list(campaign.scores)
    for reading in (row for row in campaign.allocation if row.stage == stage):
        for criterion in criteria:
            value = 1 + (int(reading.candidate[1:]) * 7 + len(criterion)) % 7
            value = max(1, min(7, value + rng.choice((-1, 0, 0, 1))))
            rows.append(
                Score(
                    candidate=reading.candidate,
                    criterion=criterion,
                    stage=stage,
                    assessor=reading.assessor,
                    score=value,
                    evidence="Read the statement.",
                    at=AT,
                )
            )
    save_campaign(campaign.model_copy(update={"scores": rows}), path)


def outcomes_of(path: Path, *stage: str) -> dict[str, dict]:
    args = ["summary", str(path), "--format", "json", *(["--stage", stage[0]] if stage else [])]
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    return {row["id"]: row for row in json.loads(done.stdout)["candidates"]}


@pytest.mark.slow  # a minute of work on two cores: `make fuzz` runs it, `make test` has the app's volume tests
def test_a_sift_of_two_thousand_with_a_pre_sift_a_shortlist_of_forty_and_guaranteed_interviews(tmp_path: Path) -> None:
    path = volume_campaign(tmp_path / "volume-2027.toml")
    rng = random.Random(5)
    sifters = ",".join(SIFTERS)

    done = run_cli("advance", str(path), "--as", "chair")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}: status setup -> sift\n"

    # The pre-sift: one reader each, 10% second-marked, loads within one.
    done = run_cli("allocate", str(path), "--as", "chair", "--stage", "pre-sift", "--readers", "1", "--second-marking", "10", "--sifters", sifters)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (f"{path}: allocated Pre-sift: 2000 candidates among 10 sifters, 1 reader each, 10% second marking (200 second readings)")
    assert lines[1:] == [f"  {s}: 200 to read, 20 to second-mark" for s in SIFTERS]
    # The sift cannot be allocated before the pre-sift has decided who goes on to it.
    done = run_cli("allocate", str(path), "--as", "chair", "--stage", "sift", "--readers", "1", "--sifters", sifters)
    assert done.returncode == 1
    assert "Sift is allocated once Pre-sift has decided who goes on to it" in done.stderr

    campaign = load_campaign(path)
    mine = next(row for row in campaign.allocation if row.assessor == "s01" and row.second_marks is None)
    other = next(row for row in campaign.allocation if row.stage == "pre-sift" and row.assessor != "s01" and row.candidate != mine.candidate)
    refused = run_cli(*score_command(path, "s01", other.candidate, "leadership", 5, "Read it.", stage="pre-sift")[3:])
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith(f"{other.candidate} is not allocated to s01 at pre-sift: the chair allocated its readers")
    taken = run_cli(*score_command(path, "s01", mine.candidate, "leadership", 5, "Read it.", stage="pre-sift")[3:])
    assert taken.returncode == 0, taken.stderr
    # Leaving a pre-sift with a cut before everyone is read is refused.
    done = run_cli("advance", str(path), "--as", "chair")
    assert done.returncode == 1 and "the shortlist at Pre-sift is drawn once everyone in it is scored" in done.stderr
    (path.parent / "volume-2027.sheets" / "s01.toml").unlink()  # the one score above: the bulk below scores every reading

    score_allocation(path, "pre-sift", rng)
    pre = outcomes_of(path, "pre-sift")
    expected = {r.id: r.outcome for r in scoring_reference.summarise(load_campaign(path), "pre-sift", schemes=SCHEMES).candidates}
    assert {c: row["outcome"] for c, row in pre.items()} == expected
    went_on = {c for c, row in pre.items() if row["outcome"] in ("pass", "guaranteed")}
    assert 400 <= len({c for c, row in pre.items() if row["outcome"] == "pass"})
    assert {c for c, row in pre.items() if row["outcome"] == "guaranteed"} <= set(GUARANTEED)
    summary = json.loads(run_cli("summary", str(path), "--stage", "pre-sift", "--format", "json").stdout)
    assert [row["sifter"] for row in summary["second_marking"]] == SIFTERS
    assert all(row["pairs"] == 20 for row in summary["second_marking"])

    # The second markers' differences of 2 or more are open for the chair: moving on past them needs a reason.
    done = run_cli("advance", str(path), "--as", "chair")
    assert done.returncode == 1 and "items are still open at the Pre-sift stage" in done.stderr.splitlines()[0]
    done = run_cli("advance", str(path), "--as", "chair", "--force", "--reason", "The second marking was discussed.")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{path}: sift moved on: Pre-sift -> Sift; Pre-sift decided: {len(went_on)} go on (")
    assert len(lines) == 1 + len(pre)  # then each candidate's recorded result
    done = run_cli("allocate", str(path), "--as", "chair", "--stage", "sift", "--readers", "1", "--second-marking", "10", "--sifters", sifters)
    assert done.returncode == 0, done.stderr
    sift_allocated = {row.candidate for row in load_campaign(path).allocation if row.stage == "sift"}
    assert sift_allocated == went_on  # only who went on from the pre-sift is read at the sift

    score_allocation(path, "sift", rng)
    sift = outcomes_of(path, "sift")
    expected = {r.id: r.outcome for r in scoring_reference.summarise(load_campaign(path), "sift", schemes=SCHEMES).candidates}
    assert {c: row["outcome"] for c, row in sift.items()} == expected
    shortlisted = {c for c, row in sift.items() if row["outcome"] == "pass"}
    guaranteed = {c for c, row in sift.items() if row["outcome"] == "guaranteed"}
    assert len(shortlisted) >= 40 and all(sift[c]["rank"] <= 40 for c in shortlisted)
    for candidate in guaranteed:
        scheme = SCHEMES[GUARANTEED[candidate]]
        assert sift[candidate]["reason"].startswith(f"guaranteed interview ({scheme}): meets every minimum; below the shortlist of 40: rank ")
    below = next(c for c, row in sift.items() if row["outcome"] == "not-shortlisted")
    assert sift[below]["reason"].startswith("below the shortlist of 40: rank ")

    done = run_cli("advance", str(path), "--as", "chair", "--force", "--reason", "The second marking was discussed.")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{path}: status sift -> interview; Sift decided: {len(shortlisted | guaranteed)} go on (")
    # The interview holds exactly the candidates who went on: everyone else is named, with why.
    merit = outcomes_of(path)
    in_running = {c for c, row in merit.items() if row["outcome"] not in ("fail", "not-shortlisted")}
    assert in_running == shortlisted | guaranteed
    assert merit[below]["outcome"] == "not-shortlisted"
    assert merit[below]["reason"].startswith("not shortlisted at the Sift stage: below the shortlist of 40")
    refused = run_cli(*score_command(path, "chair", below, "leadership", 6, "Asked anyway.")[3:])
    assert refused.returncode == 1
    assert f"{below} not shortlisted at the Sift stage: they are not scored at interview" in refused.stderr
