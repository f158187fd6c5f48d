"""A decided stage stands: its result is recorded when the chair moves on, and nothing later moves it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.changes.closing import LATE_RECORD, preview
from assessor.changes.decisions import reinstate
from assessor.changes.notes import write_note
from assessor.changes.scores import clear_score, record, record_moderation
from assessor.changes.setup import advance_plan, advance_status
from assessor.core.campaign import Campaign, Moderation, PanelMember, Score
from assessor.core.errors import ChangeRefused, ReasonNeeded
from assessor.rules.scoring import put_through_now, stopped_before, summarise
from assessor.storage.reference import load_framework
from tests.unit.test_shortlist import AT, campaign_of

FRAMEWORK = load_framework("success-profiles")
SIFT = {"A": 7, "B": 6, "C": 5, "D": 3, "E": 5}
"""Leadership at the sift (pass mark 4), a shortlist of 2: A and B go on, C and E are below the
cut, D fails."""


def decided() -> Campaign:
    """The sift scored and closed by the chair: the campaign at interview, its sift recorded."""
    campaign = campaign_of(dict.fromkeys(SIFT), shortlist=2, status="setup")
    panel = [*campaign.panel, PanelMember(id="raman", name="Priya Raman", role="member")]
    campaign = advance_status(campaign.model_copy(update={"scores": [], "panel": panel}), FRAMEWORK, "chair")
    scores = [Score(candidate=c, criterion="leadership", stage="sift", assessor="chair", score=v, evidence="seen", at=AT) for c, v in SIFT.items()]
    return advance_status(campaign.model_copy(update={"scores": scores}), FRAMEWORK, "chair")


def went_on(campaign: Campaign) -> set[str]:
    stopped = stopped_before(campaign, ("interview",))
    return {candidate.id for candidate in campaign.candidates if candidate.id not in stopped and not candidate.withdrawn}


def test_closing_the_sift_records_who_went_on_and_why() -> None:
    campaign = decided()
    record = campaign.decision_at("sift")
    assert record is not None and (record.by, record.note) == ("chair", None)
    assert [(r.candidate, r.outcome, r.total, r.rank) for r in record.results] == [
        ("A", "pass", 7.0, 1),
        ("B", "pass", 6.0, 2),
        ("C", "not-shortlisted", 5.0, None),
        ("E", "not-shortlisted", 5.0, None),
        ("D", "fail", 3.0, None),
    ]
    assert record.results[2].reason == "below the shortlist of 2: rank 3, total 5 against 6"
    assert record.results[4].reason == "Leadership 3 < 4"
    assert campaign.audit[-1].what == "status sift -> interview; Sift decided: 2 go on (2 pass), 3 do not"
    assert went_on(campaign) == {"A", "B"}


def rekeyed(campaign: Campaign, changes: dict[str, int]) -> Campaign:
    """The sift's scores changed after the decision, as a re-keyed score would change them."""
    scores = [
        score.model_copy(update={"score": changes.get(score.candidate, score.score)}) if score.stage == "sift" else score for score in campaign.scores
    ]
    return campaign.model_copy(update={"scores": scores})


def test_a_sift_score_changed_after_the_decision_moves_nobody() -> None:
    campaign = decided()
    changed = rekeyed(campaign, {"D": 7, "A": 1})  # the failed candidate top, the first one failing
    assert went_on(changed) == {"A", "B"}
    sift = {line.id: (line.outcome, line.rank, line.total) for line in summarise(changed, "sift").candidates}
    assert sift == {
        "A": ("pass", 1, 7.0),
        "B": ("pass", 2, 6.0),
        "C": ("not-shortlisted", None, 5.0),
        "E": ("not-shortlisted", None, 5.0),
        "D": ("fail", None, 3.0),
    }
    merit = {line.id: line.outcome for line in summarise(changed).candidates}
    assert merit["D"] == "fail" and merit["C"] == "not-shortlisted" and merit["A"] == "incomplete"


@settings(max_examples=60, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(sorted(SIFT)), st.integers(1, 7), st.booleans()),
        max_size=8,
    )
)
def test_no_later_score_or_agreed_score_changes_who_went_on(changes: list[tuple[str, int, bool]]) -> None:
    campaign = decided()
    before = went_on(campaign)
    for candidate, value, agreed in changes:
        if agreed:
            row = Moderation(candidate=candidate, criterion="leadership", stage="sift", score=value, rationale="later", by="chair", at=AT)
            kept = [m for m in campaign.moderation if m.item != row.item]
            campaign = campaign.model_copy(update={"moderation": [*kept, row]})
        else:
            campaign = rekeyed(campaign, {candidate: value})
        assert went_on(campaign) == before
        sift = summarise(campaign, "sift").candidates
        assert [line.id for line in sift[:2]] == ["A", "B"]
        assert {line.id: line.outcome for line in sift} == {"A": "pass", "B": "pass", "C": "not-shortlisted", "E": "not-shortlisted", "D": "fail"}


def test_a_file_from_before_records_is_recorded_at_its_next_advance_and_says_so() -> None:
    campaign = decided()
    old = campaign.model_copy(update={"decisions": []})  # as files were written before records
    moved = advance_status(old, FRAMEWORK, "chair")
    record = moved.decision_at("sift")
    assert record is not None and record.note == LATE_RECORD
    assert [r.outcome for r in record.results] == ["pass", "pass", "not-shortlisted", "not-shortlisted", "fail"]
    assert (
        moved.audit[-1].what == "status interview -> moderation; Sift decided (recorded late, as its scores stood then): 2 go on (2 pass), 3 do not"
    )


def test_the_interview_is_not_recorded_here() -> None:
    moved = advance_status(decided(), FRAMEWORK, "chair")
    assert [record.stage for record in moved.decisions] == ["sift"]


def test_a_decided_stage_is_closed_to_members_and_the_chair_corrects_it_only_with_a_reason() -> None:
    campaign = decided()
    closed = "the Sift stage was decided by Chair on "
    with pytest.raises(ChangeRefused, match=closed + r"\d{4}-\d\d-\d\d: its scores are closed$"):
        record(campaign, assessor="raman", candidate="C", criterion="leadership", stage="sift", score=7)
    with pytest.raises(ChangeRefused, match="its notes are closed"):
        write_note(campaign, assessor="raman", candidate="C", stage="sift", text="strong")
    with pytest.raises(ReasonNeeded, match="correcting its scores needs a reason"):
        record(campaign, assessor="chair", candidate="D", criterion="leadership", stage="sift", score=6)
    with pytest.raises(ReasonNeeded):
        clear_score(campaign, assessor="chair", candidate="D", criterion="leadership", stage="sift")
    with pytest.raises(ReasonNeeded, match="correcting its agreed scores needs a reason"):
        record_moderation(campaign, chair="chair", candidate="D", criterion="leadership", stage="sift", score=6, rationale="re-read")
    corrected = record(campaign, assessor="chair", candidate="D", criterion="leadership", stage="sift", score=6, reason="mis-keyed").campaign
    assert corrected.audit[-1].what == "changed score for D on leadership at sift: 3 -> 6; reason: mis-keyed"
    assert went_on(corrected) == {"A", "B"}  # the record stands


def test_a_correction_that_would_put_someone_through_is_told_and_the_chair_may_reinstate_them() -> None:
    campaign = decided()
    assert put_through_now(campaign, "sift") == []
    corrected = record(campaign, assessor="chair", candidate="C", criterion="leadership", stage="sift", score=7, reason="mis-keyed").campaign
    assert put_through_now(corrected, "sift") == ["C"]
    with pytest.raises(ChangeRefused, match="a reason is required"):
        reinstate(corrected, chair="chair", stage="sift", candidate="C", reason=" ")
    with pytest.raises(ChangeRefused, match="A went on from the Sift stage already"):
        reinstate(corrected, chair="chair", stage="sift", candidate="A", reason="x")
    invited = reinstate(corrected, chair="chair", stage="sift", candidate="C", reason="a 7 was keyed as 5")
    assert went_on(invited) == {"A", "B", "C"}
    record_row = invited.decision_at("sift")
    assert record_row is not None and [late.candidate for late in record_row.reinstated] == ["C"]
    assert record_row.results[2].outcome == "not-shortlisted"  # the decision itself stands as it was made
    line = next(line for line in summarise(invited, "sift").candidates if line.id == "C")
    assert line.outcome == "pass" and line.reason.startswith("reinstated by the chair on ")
    assert invited.audit[-1].what == "reinstated C at the Sift stage (decided: not-shortlisted): invited on late; reason: a 7 was keyed as 5"
    assert put_through_now(invited, "sift") == []


def test_leaving_a_stage_with_items_open_is_refused_listing_them_unless_forced_with_a_reason() -> None:
    campaign = campaign_of(dict.fromkeys(SIFT), shortlist=2, status="setup")
    panel = [*campaign.panel, PanelMember(id="raman", name="Priya Raman", role="member")]
    campaign = advance_status(campaign.model_copy(update={"scores": [], "panel": panel}), FRAMEWORK, "chair")
    scores = [Score(candidate=c, criterion="leadership", stage="sift", assessor="chair", score=v, evidence="seen", at=AT) for c, v in SIFT.items()]
    scores += [Score(candidate="A", criterion="leadership", stage="sift", assessor="raman", score=4, at=AT)]  # spread 3, no evidence
    campaign = campaign.model_copy(update={"scores": scores})
    with pytest.raises(ChangeRefused) as refused:
        advance_status(campaign, FRAMEWORK, "chair")
    assert refused.value.message == "not moved on: 2 items are still open at the Sift stage (settle them, or --force --reason TEXT to record them)"
    assert refused.value.details == (
        "A: panel spread of 3 on leadership at sift and no agreed score",
        "A: no evidence from raman on leadership at sift",
    )
    with pytest.raises(ReasonNeeded, match="moving on regardless needs a reason"):
        advance_status(campaign, FRAMEWORK, "chair", force=True)
    moved = advance_status(campaign, FRAMEWORK, "chair", force=True, reason="the panel met and agreed")
    assert moved.audit[-1].what.endswith(
        "; moved on with 2 open: A: panel spread of 3 on leadership at sift and no agreed score; "
        "A: no evidence from raman on leadership at sift; reason: the panel met and agreed"
    )
    assert moved.decision_at("sift") is not None


def test_the_chair_is_shown_what_moving_on_decides() -> None:
    campaign = decided().model_copy(update={"decisions": []})
    campaign = campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"status": "sift"})})
    plan = advance_plan(campaign, FRAMEWORK, "chair")
    assert preview(campaign, plan.leaving, plan.left_open, plan.records) == [
        "Sift decided: 2 go on (2 pass), 3 do not.",
        "Go on: A Candidate A, B Candidate B.",
        "Do not go on: C Candidate C (not-shortlisted), E Candidate E (not-shortlisted), D Candidate D (fail).",
    ]
