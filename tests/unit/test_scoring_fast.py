"""The summary equals the rules written out one item at a time (tests/scoring_reference.py).

`scoring.summarise` shares work between items and candidates to be fast on big
campaigns; these tests hold it to the plain transcription of the rules on hand-made,
generated and random campaigns, field by field, floats to the last bit.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.changes.scores import record
from assessor.core.campaign import Campaign, Score
from assessor.rules.grouping import ScoresByItem, grouped_scores
from assessor.rules.scoring import summarise
from tests import scoring_reference
from tests.generate import make_campaign
from tests.scoring_cases import hand_worked

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def plain(summary) -> tuple:
    """Everything a summary says, as plain values; floats by repr so 5 and 5.0 differ."""
    candidates = tuple(
        (
            r.id,
            r.display_name,
            r.reference,
            repr(r.total),
            r.outcome,
            r.rank,
            r.failed,
            r.missing,
            r.unagreed,
            r.flags,
            r.notes,
            r.reason,
            r.adjustments,
            tuple(
                (
                    i.criterion,
                    i.stage,
                    list(i.scores.items()),
                    repr(i.agreed),
                    i.moderated,
                    i.spread,
                    i.rationale,
                    i.without_evidence,
                    i.awaiting,
                    i.unagreed,
                    i.missing,
                    i.wide_spread,
                    i.disagreement,
                )
                for i in r.items
            ),
        )
        for r in summary.candidates
    )
    calibration = tuple(
        (m.id, m.name, m.role, m.scores, m.compared, repr(m.mean_difference), m.outlier, m.candidates, m.tendency) for m in summary.calibration
    )
    columns = tuple((c.criterion.id, c.stage) for c in summary.columns)
    head = (summary.campaign_id, summary.title, summary.stages, summary.counted, summary.vacancies, summary.names_shown)
    second = tuple((m.stage, m.sifter, m.name, m.items, m.exact, repr(m.mean_difference), m.wide) for m in summary.second_marking)
    return head, columns, candidates, calibration, second


def same(campaign: Campaign, stage: str | None = None, **options) -> None:
    fast = plain(summarise(campaign, stage, **options))
    slow = plain(scoring_reference.summarise(campaign, stage, **options))
    assert fast == slow


def test_hand_worked_campaign_every_way() -> None:
    for changes in ({}, {"overall_pass_mark": 21.0}, {"vacancies": 1}, {"tie_break": []}, {"count_stages": []}):
        campaign = hand_worked(**changes)
        same(campaign)
        same(campaign, "sift")
        same(campaign, "sift", show_names=True)
        same(campaign, "interview")


def test_generated_campaigns() -> None:
    for seed, shape in enumerate([(40, 6, 3, "interview"), (60, 2, 1, "sift"), (30, 11, 4, "interview"), (25, 3, 2, "sift")]):
        candidates, criteria, assessors, stage = shape
        campaign = make_campaign(candidates, criteria, assessors, seed=seed, stage=stage)
        same(campaign)
        same(campaign, "sift")
        same(campaign, "interview", show_names=False)


@st.composite
def campaigns(draw) -> Campaign:
    """Valid campaigns with gaps, blank evidence, moderation, withdrawals, odd weights and pass marks."""
    data = hand_worked().model_dump(by_alias=True)
    rng = random.Random(draw(st.integers(0, 2**32)))
    panel = ["P1", "P2", "P3", "P4"][: draw(st.integers(1, 4))]
    data["panel"] = [{"id": p, "name": f"Member {p}", "role": "chair" if p == "P1" else "member"} for p in panel]
    data["campaign"]["count_stages"] = draw(st.sampled_from([[], ["interview"], ["sift"], ["sift", "interview"]]))
    data["campaign"]["overall_pass_mark"] = draw(st.sampled_from([0.0, 10.0, 20.5, 23.0]))
    data["campaign"]["vacancies"] = draw(st.integers(1, 4))
    data["campaign"]["agreed_scores"] = draw(st.sampled_from(["mean", "consensus"]))
    data["campaign"]["tie_break"] = draw(st.sampled_from([[], ["delivery"], ["experience", "delivery"]]))
    for criterion in data["criteria"]:
        criterion["weight"] = draw(st.sampled_from([1.0, 1.5, 2.0, 0.1, 0.3, 3.0]))
        criterion["pass_mark"] = draw(st.integers(1, 7))
    if draw(st.booleans()):
        data["criteria"][1]["stages"] = ["sift", "interview"]
    if draw(st.integers(0, 4)) == 0:  # a last stage with no criteria: counted when count_stages is empty
        data["stages"].append({"id": "presentation", "name": "Presentation"})
    for stage in data["stages"]:  # shortlist cuts, by number, by total, both, or none
        stage["shortlist"] = draw(st.sampled_from([None, 0, 1, 2, 3, 5]))
        stage["shortlist_mark"] = draw(st.sampled_from([None, 0.0, 8.0, 12.5]))
    count = draw(st.integers(1, 12))
    data["candidates"] = [
        {
            "id": f"K{i}",
            "name": f"K {i}",
            "reference": f"R{i}" if rng.random() < 0.8 else "",
            "withdrawn": rng.random() < 0.1,
            "guaranteed_interview": rng.choice(["disability-confident", "veterans"]) if rng.random() < 0.25 else None,
        }
        for i in range(count)
    ]
    low, high = draw(st.sampled_from([(1, 7), (4, 5), (3, 6)]))
    scores, moderation = [], []
    for candidate in data["candidates"]:
        for criterion in data["criteria"]:
            for stage in criterion["stages"]:
                scored = [p for p in panel if rng.random() < 0.85]
                for assessor in scored:
                    evidence = rng.choice(["good example", "", "  \n", "\u3000", "x"]) if rng.random() < 0.2 else "evidence"
                    scores.append(
                        {
                            "candidate": candidate["id"],
                            "criterion": criterion["id"],
                            "stage": stage,
                            "assessor": assessor,
                            "score": rng.randint(low, high),
                            "evidence": evidence,
                            "at": AT,
                        }
                    )
                if rng.random() < 0.15:
                    moderation.append(
                        {
                            "candidate": candidate["id"],
                            "criterion": criterion["id"],
                            "stage": stage,
                            "score": rng.randint(1, 7),
                            "rationale": rng.choice(["agreed", "after discussion"]),
                            "by": "P1",
                            "at": AT,
                        }
                    )
    allocation = []
    if draw(st.integers(0, 2)) == 0:  # the sift allocated: a few readers each, some second-marked
        for candidate in data["candidates"]:
            readers = rng.sample(panel, rng.randint(1, len(panel)))
            allocation += [{"stage": "sift", "candidate": candidate["id"], "assessor": who} for who in readers]
            left = [who for who in panel if who not in readers]
            if left and rng.random() < 0.4:
                allocation.append({"stage": "sift", "candidate": candidate["id"], "assessor": rng.choice(left), "second_marks": readers[0]})
    ids = [candidate["id"] for candidate in data["candidates"]]
    orders = []
    for _ in range(draw(st.integers(0, 3)) if len(ids) >= 2 else 0):  # the chair's orders of ties, some matching one
        orders.append({"candidates": rng.sample(ids, rng.randint(2, min(3, len(ids)))), "rationale": "the chair's order", "by": "P1", "at": AT})
    rng.shuffle(scores)
    data["scores"], data["moderation"], data["allocation"], data["order"] = scores, moderation, allocation, orders
    return Campaign.model_validate(data)


SCHEMES = {"disability-confident": "Disability Confident", "veterans": "Veterans"}


@settings(max_examples=150, deadline=None)
@given(
    campaign=campaigns(),
    stage=st.sampled_from([None, "sift", "interview"]),
    names=st.sampled_from([None, True, False]),
    schemes=st.sampled_from([None, SCHEMES]),
)
def test_random_campaigns(campaign: Campaign, stage: str | None, names: bool | None, schemes: dict[str, str] | None) -> None:
    same(campaign, stage, show_names=names, schemes=schemes)


def test_a_campaign_built_without_validation() -> None:
    """Rows the cross-reference checks would refuse still give the reference's answer."""
    campaign = hand_worked()
    extra = [
        Score.model_construct(candidate="ZZ", criterion="leadership", stage="interview", assessor="P1", score=3, evidence="", at=AT),
        Score.model_construct(candidate="A", criterion="leadership", stage="interview", assessor="P9", score=1, evidence="x", at=AT),
        Score.model_construct(candidate="A", criterion="leadership", stage="interview", assessor="P1", score=2, evidence="x", at=AT),
    ]
    odd = Campaign.model_construct(
        **{**dict(campaign), "scores": [*campaign.scores, *extra], "candidates": [*campaign.candidates, campaign.candidates[0]]}
    )
    same(odd)
    same(odd, "sift")


def test_many_lenient_and_severe_members() -> None:
    campaign = make_campaign(30, 4, 3, seed=7)
    data = campaign.model_dump(by_alias=True)
    for row in data["scores"]:
        if row["assessor"] == "P2":
            row["score"] = min(7, row["score"] + 3)
        if row["assessor"] == "P3":
            row["score"] = max(1, row["score"] - 3)
    campaign = Campaign.model_validate(data)
    assert {m.tendency for m in summarise(campaign).calibration} >= {"lenient", "severe"}
    same(campaign)


def test_a_changed_campaign_is_summarised_from_its_new_scores() -> None:
    """The campaign keeps its scores grouped; every kind of change is still seen."""
    campaign = make_campaign(12, 3, 3, seed=11)
    first = summarise(campaign)
    same(campaign)
    row = campaign.scores[0]
    raised = record(
        campaign,
        assessor=row.assessor,
        candidate=row.candidate,
        criterion=row.criterion,
        stage=row.stage,
        score=1 if row.score > 1 else 7,
        evidence="",
        at=AT,
    ).campaign
    assert summarise(raised) != first
    same(raised)
    assert summarise(campaign) == first  # the campaign it came from is as it was
    # A row added to the list in place, as code building a campaign by hand may do: a
    # grouping kept from before no longer describes it, and is not used.
    grouped = ScoresByItem(campaign)
    campaign.scores.append(Score(candidate=row.candidate, criterion=row.criterion, stage=row.stage, assessor="P9", score=1, at=AT))
    assert not grouped.describes(campaign)
    same(campaign)
    assert plain(summarise(campaign, grouped=grouped)) == plain(scoring_reference.summarise(campaign))


def patterns(grouped: ScoresByItem) -> dict:
    """What a grouping says of each item: its scores as the campaign's list holds them."""
    return {item: panel.pattern for item, panel in grouped.panels.items()}


def test_grouping_its_scores_leaves_a_campaign_equal_to_its_copy() -> None:
    campaign = make_campaign(5, 2, 2, seed=3)
    copy = Campaign.model_validate(campaign.model_dump(by_alias=True))
    grouped = ScoresByItem(campaign)
    assert campaign == copy and copy == campaign
    assert grouped_scores(campaign, grouped) is grouped  # grouped once
    assert patterns(grouped) == patterns(ScoresByItem(copy))
    assert not grouped.describes(copy)  # another list of scores: grouped anew, never assumed


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 7), st.sampled_from(["", "  ", "clear evidence"])), min_size=1, max_size=12))
def test_recorded_scores_carry_the_grouping_as_if_grouped_afresh(changes) -> None:
    """Each recorded score updates the campaign's grouping in place of a regrouping."""
    full = make_campaign(6, 3, 3, seed=5)
    campaign = full.model_copy(update={"scores": full.scores[::2]})  # gaps: some scores are added, some replaced
    carried = ScoresByItem(campaign)
    stage = campaign.counted_stages[0]
    criteria = [c.id for c in campaign.criteria if stage in c.stages]
    for pick, value, evidence in changes:
        member = campaign.panel[pick % len(campaign.panel)].id
        candidate = campaign.candidates[pick // 7 % len(campaign.candidates)]
        if candidate.withdrawn:
            continue
        recorded = record(
            campaign,
            assessor=member,
            candidate=candidate.id,
            criterion=criteria[pick // 3 % len(criteria)],
            stage=stage,
            score=value,
            evidence=evidence,
            at=AT,
        )
        campaign = recorded.campaign
        carried = carried.with_score(campaign, recorded.score, recorded.replaced)
        assert carried is not None and carried.describes(campaign)
        assert patterns(carried) == patterns(ScoresByItem(campaign))
        assert plain(summarise(campaign, grouped=carried)) == plain(scoring_reference.summarise(campaign))
    same(campaign)


def test_a_stage_with_no_criteria_still_lists_every_candidate() -> None:
    data = make_campaign(4, 2, 2, seed=1).model_dump(by_alias=True)
    data["stages"].append({"id": "presentation", "name": "Presentation"})
    campaign = Campaign.model_validate(data)
    assert len(summarise(campaign, "presentation").candidates) == 4
    same(campaign, "presentation")
