"""Rule 2 in a consensus campaign, worked by hand: a counted item's agreed score is the one
the chair records at the wash-up and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assessor.changes.scores import record, record_moderation
from assessor.changes.seal import finalise
from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused
from assessor.report.wording import outcome_words
from assessor.rules.readiness import open_items
from assessor.rules.scoring import summarise
from assessor.storage.campaign_file import campaign_data
from assessor.storage.reference import load_framework

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
PANEL = ("chair", "m1", "m2")


def washup(agreed_scores: str | None, interview: dict[str, tuple[int, int, int]]) -> Campaign:
    """Three members score leadership (pass mark 4) at the interview, which counts."""
    info = {"id": "washup", "title": "Wash-up", "level": 3, "status": "moderation", "created": AT}
    if agreed_scores is not None:
        info["agreed_scores"] = agreed_scores
    data = {
        "campaign": info,
        "stages": [{"id": "interview", "name": "Interview", "methods": ["interview"]}],
        "criteria": [{"id": "leadership", "element": "behaviours", "name": "Leadership", "stages": ["interview"], "lead": True}],
        "panel": [{"id": who, "name": who.title(), "role": "chair" if who == "chair" else "member"} for who in PANEL],
        "candidates": [{"id": candidate, "name": f"Candidate {candidate}"} for candidate in interview],
    }
    campaign = Campaign.model_validate(data, context={"framework": load_framework("success-profiles")})
    for candidate, values in interview.items():
        for who, value in zip(PANEL, values, strict=True):
            campaign = record(
                campaign, assessor=who, candidate=candidate, criterion="leadership", stage="interview", score=value, evidence="Seen.", at=AT
            ).campaign
    return campaign


def test_files_without_the_key_take_the_panels_mean_and_a_3_4_4_item_fails_a_pass_mark_of_4() -> None:
    campaign = washup(None, {"A": (3, 4, 4)})
    assert campaign.campaign.agreed_scores == "mean"
    result = summarise(campaign).candidate("A")
    assert (result.outcome, result.failed) == ("fail", ("Leadership 3.67 < 4",))


def test_a_3_4_4_item_awaits_the_panels_agreed_score_and_the_agreed_4_passes() -> None:
    campaign = washup("consensus", {"A": (3, 4, 4), "B": (6, 6, 5)})
    summary = summarise(campaign)
    result = summary.candidate("A")
    assert (result.outcome, result.total, result.unagreed) == ("incomplete", 0, ("leadership@interview",))
    assert result.items[0].agreed is None and result.items[0].unagreed and result.items[0].scores == {"chair": 3, "m1": 4, "m2": 4}
    assert outcome_words(result) == "incomplete: awaiting the panel's agreed score on leadership@interview"
    assert [item.line for item in open_items(summary)] == [
        "A: awaiting the panel's agreed score on leadership at interview",
        "B: awaiting the panel's agreed score on leadership at interview",
    ]
    # Even forced, finalise does not sign off a merit list the panel has not agreed.
    with pytest.raises(ChangeRefused, match="not finalised: 2 items need the panel's decision, which --force does not replace") as refused:
        finalise(campaign, chair="chair", at=AT, file_data=campaign_data, force=True, rationale="Out of time.")
    assert refused.value.details == (
        "A: awaiting the panel's agreed score on leadership at interview",
        "B: awaiting the panel's agreed score on leadership at interview",
    )
    # The agreed 4 is one a panel member gave: no rationale needed. 5 nobody gave: one is.
    agreed = record_moderation(campaign, chair="chair", candidate="A", criterion="leadership", stage="interview", score=4, rationale="", at=AT)
    assert agreed.audit[-1].what == "moderated A on leadership at interview: 3.67 -> 4"
    with pytest.raises(ChangeRefused, match=r"say why the panel agreed 7, which no panel member gave \(6, 6, 5\)"):
        record_moderation(agreed, chair="chair", candidate="B", criterion="leadership", stage="interview", score=7, rationale=" ", at=AT)
    agreed = record_moderation(agreed, chair="chair", candidate="B", criterion="leadership", stage="interview", score=6, rationale="", at=AT)
    merit = summarise(agreed)
    assert [(r.id, r.outcome, r.total) for r in merit.candidates] == [("B", "appointable", 6.0), ("A", "reserve", 4.0)]
    assert finalise(agreed, chair="chair", at=AT, file_data=campaign_data).seal is not None


def test_new_campaigns_are_consensus_campaigns() -> None:
    from assessor.changes.new_campaign import blank_campaign, campaign_from_template
    from assessor.storage.reference import load_role_template

    framework = load_framework("success-profiles")
    assert blank_campaign(framework, campaign_id="x", title="X", level=3, who="hr", created=AT).campaign.agreed_scores == "consensus"
    template, framework = load_role_template("head-of-digital")
    assert campaign_from_template(template, framework, campaign_id="y", created=AT).campaign.agreed_scores == "consensus"


def test_a_spread_awaiting_agreement_is_a_disagreement_and_still_never_forced_past() -> None:
    campaign = washup("consensus", {"A": (4, 4, 4), "B": (5, 3, 5)})
    found = open_items(summarise(campaign))
    assert [(item.kind, item.candidate.id) for item in found] == [("agreement", "A"), ("disagreement", "B")]
    assert found[1].line == "B: panel spread of 2 on leadership at interview and no agreed score"
    with pytest.raises(ChangeRefused, match="not finalised: 2 items need the panel's decision, which --force does not replace"):
        finalise(campaign, chair="chair", at=AT, file_data=campaign_data, force=True, rationale="Out of time.")
