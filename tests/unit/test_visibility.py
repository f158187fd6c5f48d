"""Blind scoring (rules/visibility.py): before moderation, what one member may see of a summary."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.core.campaign import Campaign, PanelMember
from assessor.rules.scoring import summarise
from assessor.rules.stages import decided_stages
from assessor.rules.visibility import as_seen_by, decides_stage, sees_adjustments, sees_everything, sees_item
from assessor.storage.campaign_file import load_campaign
from tests.conftest import EXAMPLE
from tests.scoring_cases import AT
from tests.unit.test_scoring_fast import campaigns, plain
from tests.unit.test_shortlist import SCHEMES, SIFT, campaign_of


def with_campaign(campaign: Campaign, **fields) -> Campaign:
    return campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update=fields)})


def others_rescored(campaign: Campaign, viewer: str, rng: random.Random) -> Campaign:
    """The campaign with other members' scores changed, dropped or added wherever the viewer may
    not see them: at stages not yet decided, and for a chair, on items the chair has not scored."""
    decided = set(decided_stages(campaign))
    chair = campaign.is_chair(viewer)
    scored_by_viewer = {score.item for score in campaign.scores if score.assessor == viewer}

    def hidden(item: tuple[str, str, str]) -> bool:
        return item[2] not in decided and not (chair and item in scored_by_viewer)

    data = campaign.model_dump(by_alias=True)
    scores = []
    for row in data["scores"]:
        item = (row["candidate"], row["criterion"], row["stage"])
        if row["assessor"] == viewer or not hidden(item):
            scores.append(row)
            continue
        pick = rng.random()
        if pick < 0.25:
            continue  # dropped
        if pick < 0.6:
            row["score"] = rng.randint(1, 7)
        elif pick < 0.8:
            row["evidence"] = rng.choice(["", "new evidence", "  "])
        scores.append(row)
    taken = {(row["candidate"], row["criterion"], row["stage"], row["assessor"]) for row in scores}
    for candidate in data["candidates"]:
        for criterion in data["criteria"]:
            for stage in criterion["stages"]:
                for member in data["panel"]:
                    key = (candidate["id"], criterion["id"], stage, member["id"])
                    if member["id"] != viewer and key not in taken and hidden(key[:3]) and rng.random() < 0.3:
                        scores.append(
                            dict(zip(("candidate", "criterion", "stage", "assessor"), key, strict=True), score=rng.randint(1, 7), evidence="", at=AT)
                        )
    data["scores"] = scores
    return Campaign.model_validate(data)


@settings(max_examples=120, deadline=None)
@given(campaign=campaigns(), status=st.sampled_from(["setup", "sift", "interview"]), who=st.integers(0, 3), seed=st.integers(0, 2**32))
def test_before_moderation_a_view_is_unchanged_by_what_it_hides(campaign: Campaign, status: str, who: int, seed: int) -> None:
    campaign = with_campaign(campaign, status=status, chair_sees_scores="after-own")
    viewer = campaign.panel[who % len(campaign.panel)].id
    changed = others_rescored(campaign, viewer, random.Random(seed))
    for stage in (None, "sift", "interview"):
        whole = summarise(campaign, stage)
        if decides_stage(campaign, viewer, whole.stages):  # the chair sees the stage they decide, once their share is scored
            assert as_seen_by(whole, campaign, viewer).seen_by is None
            continue
        before = as_seen_by(summarise(campaign, stage), campaign, viewer)
        after = as_seen_by(summarise(changed, stage), changed, viewer)
        assert plain(before) == plain(after)
        assert before.seen_by == viewer and before.calibration == ()
        for result in before.candidates:
            assert result.rank is None and result.total is None and result.flags == () and result.notes == ()
            assert result.outcome in (None, "withdrawn", "fail", "not-shortlisted")
            for item in result.items:
                assert set(item.scores) <= {viewer} or campaign.is_chair(viewer)


def test_a_members_view_holds_their_own_scores_only() -> None:
    campaign = load_campaign(EXAMPLE)  # at interview
    full = summarise(campaign)
    view = as_seen_by(full, campaign, "raman")
    assert [result.id for result in view.candidates] == [candidate.id for candidate in campaign.candidates]  # not merit order
    c03 = view.candidate("C03")
    assert (c03.rank, c03.outcome, c03.total, c03.flags, c03.notes) == (None, None, None, (), ())
    assert all(set(item.scores) <= {"raman"} and item.agreed is None and not item.moderated and item.spread is None for item in c03.items)
    assert c03.item("leadership", "interview").scores == {"raman": full.candidate("C03").item("leadership", "interview").scores["raman"]}
    # Who went on from the sift is known to the panel: the interview is under way.
    assert view.candidate("C05").outcome == "fail" and view.candidate("C05").failed == ("did not pass the Sift stage",)


def test_the_chair_sees_a_colleagues_score_only_after_scoring_the_item(tmp_path) -> None:
    campaign = with_campaign(load_campaign(EXAMPLE), chair_sees_scores="after-own")
    both, others_only = sorted({score.item for score in campaign.scores if score.assessor == "raman"})[:2]
    # The chair has scored the first item, not yet the second.
    campaign = campaign.model_copy(update={"scores": [s for s in campaign.scores if not (s.assessor == "okafor" and s.item == others_only)]})
    assert any(s.assessor == "okafor" and s.item == both for s in campaign.scores)
    assert sees_item(campaign, "okafor", ["okafor", "raman"]) and not sees_item(campaign, "okafor", ["raman"])
    view = as_seen_by(summarise(campaign, others_only[2]), campaign, "okafor")
    assert view.candidate(others_only[0]).item(others_only[1], others_only[2]).scores == {}  # raman's score hidden from the chair
    seen = as_seen_by(summarise(campaign, both[2]), campaign, "okafor").candidate(both[0]).item(both[1], both[2])
    assert "okafor" in seen.scores and len(seen.scores) >= 1 and seen.agreed is not None
    # "always" (what files without the key read as) and moderation show everything.
    assert sees_everything(with_campaign(campaign, chair_sees_scores="always"), "okafor")
    assert sees_everything(with_campaign(campaign, status="moderation"), "raman")
    assert not sees_everything(campaign, "raman") and not sees_everything(campaign, "okafor")


def test_at_a_name_blind_stage_members_see_no_adjustments_and_from_the_interview_on_they_do() -> None:
    campaign = load_campaign(EXAMPLE)  # name-blind; C03 has adjustments
    adjustments = "Extra 15 minutes to prepare the presentation; step-free interview room."
    assert not sees_adjustments(campaign, "raman", ["sift"]) and not sees_adjustments(campaign, "whitfield", ["sift"])
    assert sees_adjustments(campaign, "okafor", ["sift"])  # the chair
    assert sees_adjustments(campaign, "raman", ["interview"]) and sees_adjustments(campaign, "raman", ["sift", "interview"])
    assert sees_adjustments(with_campaign(campaign, anonymise_sift=False), "raman", ["sift"])
    for status in ("sift", "interview", "moderation"):
        at = with_campaign(campaign, status=status)
        assert {result.adjustments for result in as_seen_by(summarise(at, "sift"), at, "raman").candidates} == {""}
        assert as_seen_by(summarise(at, "interview"), at, "raman").candidate("C03").adjustments == adjustments
        assert as_seen_by(summarise(at, "sift"), at, "okafor").candidate("C03").adjustments == adjustments
    whole = summarise(campaign, "sift")
    assert whole.candidate("C03").adjustments == adjustments  # the summary itself keeps them: only a member's view leaves them out


def test_a_scheme_is_not_shown_to_a_member_before_moderation() -> None:
    campaign = campaign_of(SIFT, shortlist=2, schemes={"E": "disability-confident"}, status="interview")
    campaign = campaign.model_copy(update={"panel": [*campaign.panel, PanelMember(id="m1", name="Member One", role="member")]})
    whole = summarise(campaign, "sift", schemes=SCHEMES)
    assert whole.candidate("E").outcome == "guaranteed" and "Disability Confident" in whole.candidate("E").reason
    for stage in ("sift", None):
        view = as_seen_by(summarise(campaign, stage, schemes=SCHEMES), campaign, "m1")
        assert "guaranteed" not in repr(view) and "Disability Confident" not in repr(view)
        assert view.candidate("E").outcome is None and view.candidate("E").reason == ""
    # Who did not go on from the sift is known to the panel at the interview: in words that name no scheme.
    merit = as_seen_by(summarise(campaign, schemes=SCHEMES), campaign, "m1")
    assert (merit.candidate("C").outcome, merit.candidate("C").reason) == ("not-shortlisted", "not shortlisted at the Sift stage")
    moderation = with_campaign(campaign, status="moderation")
    assert as_seen_by(summarise(moderation, "sift", schemes=SCHEMES), moderation, "m1").candidate("E").outcome == "guaranteed"


def test_the_chair_sees_the_whole_sift_they_decide_once_their_share_is_scored() -> None:
    campaign = with_campaign(load_campaign(EXAMPLE), status="sift", chair_sees_scores="after-own")
    view = as_seen_by(summarise(campaign, "sift"), campaign, "okafor")  # the chair scored every sift item
    assert view.seen_by is None and view.candidate("C02").rank == 1 and view.candidate("C05").outcome == "fail"
    member = as_seen_by(summarise(campaign, "sift"), campaign, "raman")
    assert member.seen_by == "raman" and member.candidate("C02").rank is None
    one_short = campaign.model_copy(
        update={"scores": [s for s in campaign.scores if not (s.assessor == "okafor" and s.stage == "sift" and s.candidate == "C02")]}
    )
    assert as_seen_by(summarise(one_short, "sift"), one_short, "okafor").seen_by == "okafor"


def test_a_member_who_declared_a_conflict_sees_none_of_the_panels_scores_on_that_candidate() -> None:
    from assessor.changes.declarations import declare

    campaign = declare(with_campaign(load_campaign(EXAMPLE), status="moderation"), member="raman", candidate="C03", reason="a neighbour")
    view = as_seen_by(summarise(campaign), campaign, "raman")
    assert all(item.scores == {} for item in view.candidate("C03").items)
    assert any(item.scores for item in view.candidate("C02").items)
