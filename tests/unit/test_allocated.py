"""A stage allocated among sifters, worked by hand: who is allocated, when an item is complete,
who may score, the second-marking report in every format, and the refusals."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from assessor.changes.allocation import allocate_stage
from assessor.changes.scores import record, record_moderation
from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused, ReasonNeeded
from assessor.report.formats import render_bytes
from assessor.rules.readiness import open_items
from assessor.rules.scoring import summarise
from assessor.rules.visibility import allocated_to_others, allocation_progress, as_seen_by, items_to_score
from assessor.storage.reference import load_framework

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
FRAMEWORK = load_framework("success-profiles")


def sift_campaign(candidates: int = 12, status: str = "sift", withdrawn: tuple[str, ...] = ()) -> Campaign:
    data = {
        "campaign": {"id": "alloc", "title": "Allocated", "level": 3, "status": status, "created": AT},
        "stages": [
            {"id": "sift", "name": "Sift", "methods": ["application-form"]},
            {"id": "interview", "name": "Interview", "methods": ["interview"]},
        ],
        "criteria": [
            {"id": "leadership", "element": "behaviours", "name": "Leadership", "stages": ["sift", "interview"], "lead": True},
            {"id": "experience", "element": "experience", "name": "Experience", "stages": ["sift"]},
        ],
        "panel": [{"id": "chair", "name": "Chair", "role": "chair"}, {"id": "s1", "name": "Sam One"}, {"id": "s2", "name": "Sue Two"}],
        "candidates": [{"id": f"K{n:02d}", "name": f"K {n}", "withdrawn": f"K{n:02d}" in withdrawn} for n in range(candidates)],
    }
    return Campaign.model_validate(data, context={"framework": FRAMEWORK})


def allocated(campaign: Campaign, readers: int = 1, second: float = 0.0, **options) -> Campaign:
    return allocate_stage(campaign, chair="chair", stage="sift", readers=readers, second_marking=second, at=AT, **options).campaign


def score_all(campaign: Campaign, value_of, only=None) -> Campaign:
    for row in campaign.allocation:
        if only is not None and row.assessor not in only:
            continue
        for criterion in ("leadership", "experience"):
            value = value_of(row.candidate, criterion, row.assessor)
            campaign = record(
                campaign, assessor=row.assessor, candidate=row.candidate, criterion=criterion, stage="sift", score=value, evidence="e", at=AT
            ).campaign
    return campaign


def test_every_candidate_in_the_running_is_allocated_and_the_same_campaign_gets_the_same_allocation() -> None:
    campaign = sift_campaign(withdrawn=("K03",))
    first = allocated(campaign, readers=2, second=25)
    again = allocated(campaign, readers=2, second=25)
    assert first.allocation == again.allocation
    readers: dict[str, set[str]] = {}
    for row in first.allocation:
        if row.second_marks is None:
            readers.setdefault(row.candidate, set()).add(row.assessor)
    assert "K03" not in readers and len(readers) == 11
    assert all(len(group) == 2 for group in readers.values())
    loads = sorted(sum(1 for row in first.allocation if row.assessor == who and row.second_marks is None) for who in ("chair", "s1", "s2"))
    assert loads[-1] - loads[0] <= 1 and sum(loads) == 22
    assert first.audit[-1].what.startswith("allocated Sift: 11 candidates among 3 sifters, 2 readers each, 25% second marking (")


def test_an_item_waits_for_every_reader_allocated_to_it() -> None:
    campaign = allocated(sift_campaign(4), readers=2, sifters=["s1", "s2"])
    campaign = score_all(campaign, lambda candidate, criterion, who: 5, only={"s1"})
    summary = summarise(campaign, "sift")
    assert {result.outcome for result in summary.candidates} == {"incomplete"}
    item = summary.candidates[0].items[0]
    assert item.agreed is None and item.scores == {"s1": 5} and item.awaiting == ("s2",)
    assert open_items(summary)[0].line.endswith("waiting for s2 (allocated) on leadership at sift")
    assert [(found.member.id, found.scored, found.allocated) for found in allocation_progress(campaign, "sift")] == [("s2", 0, 8), ("s1", 8, 8)]
    campaign = score_all(campaign, lambda candidate, criterion, who: 4, only={"s2"})
    summary = summarise(campaign, "sift")
    assert {result.outcome for result in summary.candidates} == {"pass"}
    assert summary.candidates[0].items[0].agreed == 4.5  # the mean of its two readers


def test_only_the_allocated_readers_score_and_see_their_candidates() -> None:
    campaign = allocated(sift_campaign(6), readers=1, sifters=["s1", "s2"])
    theirs = {row.candidate for row in campaign.allocation if row.assessor == "s2"}
    assert allocated_to_others(campaign, "s1", "sift") == theirs
    assert items_to_score(campaign, ("sift",), "s1") == 2 * 3
    with pytest.raises(ChangeRefused, match=f"{sorted(theirs)[0]} is not allocated to s1 at sift: the chair allocated its readers"):
        record(campaign, assessor="s1", candidate=sorted(theirs)[0], criterion="leadership", stage="sift", score=5, at=AT)
    # A candidate added after the allocation is open to the whole panel until it is made again.
    late = campaign.model_copy(update={"candidates": [*campaign.candidates, sift_campaign(7).candidates[-1]]})
    assert record(late, assessor="s1", candidate="K06", criterion="leadership", stage="sift", score=5, at=AT).campaign.scores


def test_second_marking_is_a_check_every_candidate_judged_by_their_first_reader_alone() -> None:
    campaign = allocated(sift_campaign(10), readers=1, second=10, sifters=["s1", "s2"])
    checks = {row.candidate: row.assessor for row in campaign.allocation if row.second_marks is not None}
    # First readers give 5, second markers 2: a check that would fail the candidate if it counted.
    campaign = score_all(campaign, lambda candidate, criterion, who: 2 if checks.get(candidate) == who else 5)
    summary = summarise(campaign, "sift")
    assert {result.outcome for result in summary.candidates} == {"pass"}
    checked = [result for result in summary.candidates if result.id in checks]
    assert len(checked) == 2
    for result in checked:
        item = result.items[0]
        assert item.agreed == 5 and sorted(item.scores.values()) == [2, 5] and item.spread == 3
        assert "spread" in result.flags and "unmoderated-disagreement" in result.flags  # the chair's queue lists it
    assert {result.total for result in summary.candidates} == {10}  # the same readers' worth for everyone
    # It counts only through an agreed score the chair records.
    candidate = checked[0].id
    agreed = record_moderation(campaign, chair="chair", candidate=candidate, criterion="leadership", stage="sift", score=3, rationale="checked")
    assert summarise(agreed, "sift").candidate(candidate).items[0].agreed == 3


def test_the_second_marking_report_in_every_format_and_hidden_from_a_member_before_moderation() -> None:
    campaign = allocated(sift_campaign(10), readers=1, second=10, sifters=["s1", "s2"])
    checks = [row for row in campaign.allocation if row.second_marks is not None]
    assert sorted(row.second_marks for row in checks) == ["s1", "s2"]  # ceil(10% of 5) = 1 each
    # The second marker gives 2 more than the first reader on every item.
    campaign = score_all(campaign, lambda candidate, criterion, who: 3 if any(r.candidate == candidate and r.assessor == who for r in checks) else 1)
    summary = summarise(campaign, "sift")
    assert [(m.sifter, m.items, m.exact, m.mean_difference, m.wide, m.agreement) for m in summary.second_marking] == [
        ("s1", 2, 0, 2.0, 2, 0.0),
        ("s2", 2, 0, 2.0, 2, 0.0),
    ]
    text = render_bytes(summary, campaign, FRAMEWORK, "text").decode()
    assert "Second marking (each sifter's scores against their second marker's on the same items)" in text
    assert any(line.split()[:4] == ["Sift", "Sam", "One", "2"] and line.split()[-3:] == ["0%", "2.00", "2"] for line in text.splitlines())
    assert "| Sift | Sam One | 2 | 0% | 2.00 | 2 |" in render_bytes(summary, campaign, FRAMEWORK, "md").decode()
    assert "<td>Sue Two</td>" in render_bytes(summary, campaign, FRAMEWORK, "html").decode()
    data = json.loads(render_bytes(summary, campaign, FRAMEWORK, "json"))
    assert data["second_marking"][0] == {
        "stage": "sift",
        "sifter": "s1",
        "name": "Sam One",
        "pairs": 2,
        "exact": 0,
        "agreement": 0.0,
        "mean_difference": 2.0,
        "differ_by_2_or_more": 2,
    }
    sheet = load_workbook(io.BytesIO(render_bytes(summary, campaign, FRAMEWORK, "xlsx")))["Second marking"]
    assert [cell.value for cell in sheet[1]] == ["Stage", "Sifter", "Pairs", "Exact agreement", "Mean difference", "Differ by 2+"]
    assert [cell.value for cell in sheet[2]] == ["Sift", "Sam One", 2, 0, 2, 2]
    assert as_seen_by(summary, campaign, "s1").second_marking == ()


def test_allocation_refusals() -> None:
    campaign = sift_campaign(6)
    with pytest.raises(ChangeRefused, match="'s1' is on the panel as member, not chair; only a chair allocates the candidates"):
        allocate_stage(campaign, chair="s1", stage="sift", readers=1)
    with pytest.raises(ChangeRefused, match=r"unknown stage 'pre-sift' \(one of: sift, interview\)"):
        allocate_stage(campaign, chair="chair", stage="pre-sift", readers=1)
    with pytest.raises(ChangeRefused, match="Interview is allocated once Sift has decided who goes on to it"):
        allocate_stage(campaign, chair="chair", stage="interview", readers=1)
    with pytest.raises(ChangeRefused, match="not on the panel: s9"):
        allocate_stage(campaign, chair="chair", stage="sift", readers=1, sifters=["s1", "s9"])
    with pytest.raises(ChangeRefused, match="4 readers per application need at least 4 sifters; there are 3"):
        allocate_stage(campaign, chair="chair", stage="sift", readers=4)
    scored = score_all(allocated(campaign), lambda candidate, criterion, who: 4)
    with pytest.raises(ChangeRefused, match=r"scoring at Sift has begun \(12 scores\): .* use --force with a reason"):
        allocated(scored)
    with pytest.raises(ReasonNeeded, match="allocating Sift again after scoring has begun needs a reason"):
        allocated(scored, force=True)
    again = allocated(scored, readers=2, force=True, reason="A sifter fell ill.")
    assert again.audit[-1].what.endswith("; reason: A sifter fell ill.")
    assert len(again.allocation) == 12
