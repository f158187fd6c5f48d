"""Rule 4 at volume, worked by hand: the shortlist cut by number and by total, ties at the cut,
guaranteed interviews, a pre-sift feeding the sift feeding the interview, and only those who
went on in the interview's merit list."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.changes.scores import record
from assessor.changes.setup import advance_status
from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused
from assessor.rules.scoring import stopped_before, summarise
from assessor.rules.stages import current_stage
from assessor.rules.summary_types import GOES_ON
from assessor.storage.reference import load_framework

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SCHEMES = {"disability-confident": "Disability Confident", "veterans": "Veterans"}


def campaign_of(
    sift: dict[str, int | None],
    *,
    shortlist: int | None = None,
    mark: float | None = None,
    schemes: dict[str, str] | None = None,
    presift: dict[str, int] | None = None,
    presift_shortlist: int | None = None,
    interview: dict[str, int] | None = None,
    status: str = "interview",
) -> Campaign:
    """One chair scoring one criterion (leadership, pass mark 4) at each stage; `sift` gives each
    candidate's sift score (None: not scored), `presift` adds a pre-sift stage before it."""
    stages = []
    if presift is not None:
        stages.append({"id": "pre-sift", "name": "Pre-sift", "methods": ["application-form"], "shortlist": presift_shortlist})
    stages += [
        {"id": "sift", "name": "Sift", "methods": ["application-form"], "shortlist": shortlist, "shortlist_mark": mark},
        {"id": "interview", "name": "Interview", "methods": ["interview"]},
    ]
    scores = []
    for stage, given_scores in (("pre-sift", presift or {}), ("sift", sift), ("interview", interview or {})):
        for candidate, value in given_scores.items():
            if value is not None:
                row = {"candidate": candidate, "criterion": "leadership", "stage": stage, "assessor": "chair", "score": value, "at": AT}
                scores.append({**row, "evidence": "seen"})
    data = {
        "campaign": {"id": "volume", "title": "Volume", "level": 3, "status": status, "created": AT, "min_assessors": 1},  # one chair scores
        "stages": stages,
        "criteria": [{"id": "leadership", "element": "behaviours", "name": "Leadership", "stages": [stage["id"] for stage in stages], "lead": True}],
        "panel": [{"id": "chair", "name": "Chair", "role": "chair"}],
        "candidates": [
            {"id": candidate, "name": f"Candidate {candidate}", "guaranteed_interview": (schemes or {}).get(candidate)} for candidate in sift
        ],
        "scores": scores,
    }
    return Campaign.model_validate(data, context={"framework": load_framework("success-profiles")})


def outcomes(campaign: Campaign, stage: str | None = "sift") -> dict[str, tuple[str | None, str]]:
    return {result.id: (result.outcome, result.reason) for result in summarise(campaign, stage, schemes=SCHEMES).candidates}


SIFT = {"A": 7, "B": 6, "C": 5, "D": 5, "E": 4, "F": 3}


def test_a_shortlist_of_three_with_a_tie_at_the_cut() -> None:
    summary = summarise(campaign_of(SIFT, shortlist=3), "sift")
    found = {result.id: result for result in summary.candidates}
    assert [result.id for result in summary.candidates] == ["A", "B", "C", "D", "E", "F"]
    assert [found[c].outcome for c in "ABCDEF"] == ["pass", "pass", "pass", "pass", "not-shortlisted", "fail"]
    # C and D share rank 3 across the cut of 3: both go on, and the chair is told.
    assert found["C"].rank == found["D"].rank == 3
    assert "tie-at-cut" in found["C"].flags and "tie-at-cut" in found["D"].flags
    assert found["C"].reason == "tied at the shortlist of 3 with D: all of them go on"
    assert "tie-at-cut" not in found["B"].flags
    assert found["E"].reason == "below the shortlist of 3: rank 5, total 4 against 5"
    assert found["F"].failed == ("Leadership 3 < 4",)


def test_a_shortlist_mark() -> None:
    assert outcomes(campaign_of(SIFT, mark=5)) == {
        "A": ("pass", ""),
        "B": ("pass", ""),
        "C": ("pass", ""),
        "D": ("pass", ""),
        "E": ("not-shortlisted", "below the shortlist mark of 5: total 4"),
        "F": ("fail", ""),
    }


def test_a_shortlist_of_two_and_a_mark_both_apply() -> None:
    found = outcomes(campaign_of(SIFT, shortlist=2, mark=5))
    assert found["C"] == ("not-shortlisted", "below the shortlist of 2: rank 3, total 5 against 6")
    assert found["E"] == ("not-shortlisted", "below the shortlist of 2 and the shortlist mark of 5: rank 5, total 4 against 6")


def test_a_guaranteed_candidate_below_the_cut_goes_on_and_one_below_a_minimum_fails() -> None:
    campaign = campaign_of(SIFT, shortlist=2, schemes={"E": "disability-confident", "F": "veterans"})
    found = outcomes(campaign)
    assert found["E"] == (
        "guaranteed",
        "guaranteed interview (Disability Confident): meets every minimum; below the shortlist of 2: rank 5, total 4 against 6",
    )
    assert found["F"] == ("fail", "")  # misses the pass mark: no scheme makes up for a minimum
    # Nobody is displaced: A and B still go on, C and D still do not.
    assert [found[c][0] for c in "ABCD"] == ["pass", "pass", "not-shortlisted", "not-shortlisted"]
    going_on = {c for c, (outcome, _) in found.items() if outcome in GOES_ON}
    assert going_on == {"A", "B", "E"}


def test_without_a_cut_everyone_who_meets_the_minimum_passes() -> None:
    found = outcomes(campaign_of(SIFT))
    assert [found[c][0] for c in "ABCDEF"] == ["pass"] * 5 + ["fail"]


def test_the_interview_merit_list_holds_only_who_went_on() -> None:
    campaign = campaign_of(SIFT, shortlist=2, schemes={"E": "veterans"}, interview={"A": 5, "B": 6, "E": 7, "C": 7})
    merit = {result.id: result for result in summarise(campaign, schemes=SCHEMES).candidates}
    ranked = [result.id for result in summarise(campaign, schemes=SCHEMES).candidates if result.rank is not None]
    assert ranked == ["E", "B", "A"]
    # C was not shortlisted at the sift: scored at the interview anyway, flagged, never ranked.
    assert merit["C"].outcome == "not-shortlisted"
    assert merit["C"].reason == "not shortlisted at the Sift stage: below the shortlist of 2: rank 3, total 5 against 6"
    assert "scored-after-stopping" in merit["C"].flags
    assert merit["D"].outcome == "not-shortlisted" and "scored-after-stopping" not in merit["D"].flags
    assert merit["F"].outcome == "fail" and merit["F"].failed[0] == "did not pass the Sift stage"


def test_a_pre_sift_feeds_the_sift_which_feeds_the_interview() -> None:
    presift = {"A": 6, "B": 5, "C": 7, "D": 4, "E": 5, "F": 6}
    sift: dict[str, int | None] = {"A": 7, "B": 6, "C": 3, "D": None, "E": None, "F": 5}
    campaign = campaign_of(sift, shortlist=2, presift=presift, presift_shortlist=4)
    pre = outcomes(campaign, "pre-sift")
    # Pre-sift ranks C 7, A 6, F 6, B 5, E 5, D 4: the best four are C, A, F and the tie B/E at 4.
    assert {c for c, (o, _) in pre.items() if o == "pass"} == {"C", "A", "F", "B", "E"}
    assert pre["D"][0] == "not-shortlisted"
    assert pre["B"][1] == "tied at the shortlist of 4 with E: all of them go on"
    at_sift = outcomes(campaign, "sift")
    assert at_sift["D"] == ("not-shortlisted", "not shortlisted at the Pre-sift stage: below the shortlist of 4: rank 6, total 4 against 5")
    assert at_sift["E"] == ("incomplete", "")
    # At the sift A 7, B 6 go on (the cut of 2); F 5 is below it; C fails its pass mark.
    assert at_sift["A"][0] == at_sift["B"][0] == "pass"
    assert at_sift["F"] == ("not-shortlisted", "below the shortlist of 2: rank 3, total 5 against 6")
    assert at_sift["C"][0] == "fail"
    went = stopped_before(campaign, ("interview",))
    assert {c: s.stage.id for c, s in went.items()} == {"D": "pre-sift", "C": "sift", "F": "sift"}
    assert set(sift) - set(went) == {"A", "B", "E"}  # E: incomplete at the sift, still in the running


def test_advance_walks_the_pre_sift_then_the_sift_then_the_interview() -> None:
    framework = load_framework("success-profiles")
    presift = {"A": 6, "B": 5, "C": 7}
    campaign = campaign_of({"A": None, "B": None, "C": None}, shortlist=1, presift=presift, presift_shortlist=2, status="setup")
    campaign = campaign.model_copy(update={"scores": []})
    campaign = advance_status(campaign, framework, "chair")
    assert (campaign.campaign.status, current_stage(campaign)) == ("sift", "pre-sift")
    assert campaign.audit[-1].what == "status setup -> sift"
    try:
        advance_status(campaign, framework, "chair")
    except ChangeRefused as refused:
        assert "the shortlist at Pre-sift is drawn once everyone in it is scored; 3 still incomplete (A, B, C)" in str(refused)
    else:
        raise AssertionError("left a pre-sift with a cut before anyone was scored")
    for candidate, value in presift.items():
        campaign = record(
            campaign, assessor="chair", candidate=candidate, criterion="leadership", stage="pre-sift", score=value, evidence="seen", at=AT
        ).campaign
    campaign = advance_status(campaign, framework, "chair")
    assert (campaign.campaign.status, current_stage(campaign)) == ("sift", "sift")
    assert campaign.audit[-1].what == "sift moved on: Pre-sift -> Sift; Pre-sift decided: 2 go on (2 pass), 1 do not"
    recorded = campaign.decision_at("pre-sift")
    assert recorded is not None and recorded.by == "chair" and recorded.note is None
    assert [(result.candidate, result.outcome) for result in recorded.results] == [("C", "pass"), ("A", "pass"), ("B", "not-shortlisted")]
    # B was below the pre-sift's cut of 2: not scored at the sift.
    try:
        record(campaign, assessor="chair", candidate="B", criterion="leadership", stage="sift", score=5, at=AT)
    except ChangeRefused as refused:
        assert str(refused).startswith("B not shortlisted at the Pre-sift stage: they are not scored at sift")
    else:
        raise AssertionError("scored a candidate who did not go on")
    for candidate, value in (("A", 5), ("C", 6)):
        campaign = record(
            campaign, assessor="chair", candidate=candidate, criterion="leadership", stage="sift", score=value, evidence="seen", at=AT
        ).campaign
    campaign = advance_status(campaign, framework, "chair")
    assert (campaign.campaign.status, current_stage(campaign), campaign.campaign.scoring_stage) == ("interview", "interview", None)
    assert set(stopped_before(campaign, ("interview",))) == {"A", "B"}


@settings(max_examples=80, deadline=None)
@given(
    scores=st.lists(st.integers(1, 7), min_size=1, max_size=14),
    shortlist=st.integers(0, 6),
    mark=st.sampled_from([None, 0.0, 4.0, 5.5]),
    flagged=st.integers(0, 13),
    scheme=st.sampled_from(list(SCHEMES)),
)
def test_a_guaranteed_interview_never_removes_anyone_else_from_the_shortlist(
    scores: list[int], shortlist: int, mark: float | None, flagged: int, scheme: str
) -> None:
    ids = [f"K{index:02d}" for index in range(len(scores))]
    sift: dict[str, int | None] = dict(zip(ids, scores, strict=True))
    flagged_id = ids[flagged % len(ids)]

    def going_on(schemes: dict[str, str]) -> set[str]:
        found = outcomes(campaign_of(sift, shortlist=shortlist or None, mark=mark, schemes=schemes))
        return {candidate for candidate, (outcome, _) in found.items() if outcome in GOES_ON}

    before = going_on({})
    after = going_on({flagged_id: scheme})
    assert before - {flagged_id} <= after
    assert after - before <= {flagged_id}
    # And the flagged candidate goes on exactly when they meet the minimum.
    assert (flagged_id in after) == (sift[flagged_id] is not None and sift[flagged_id] >= 4)  # type: ignore[operator]
