"""The rules of the summary, each with a case that fails if the rule breaks."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.changes.scores import record, record_moderation
from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused
from assessor.rules.scoring import summarise
from assessor.rules.summary_types import format_score
from tests.scoring_cases import AT, hand_worked


def merit(summary) -> list[tuple[str, int | None, str, str]]:
    return [(r.id, r.rank, r.outcome, format_score(r.total)) for r in summary.candidates]


def test_hand_worked_merit_list() -> None:
    summary = summarise(hand_worked())
    assert merit(summary) == [
        ("A", 1, "appointable", "23"),
        # B and C share rank 2 across the line of two vacancies: nobody in the tie is
        # appointable until the chair orders it (assessor separate).
        ("B", 2, "reserve", "23"),
        ("C", 2, "reserve", "23"),
        ("D", 4, "reserve", "20"),
        ("F", None, "incomplete", "18"),
        ("E", None, "fail", "26.33"),
        ("H", None, "fail", "0"),
        ("G", None, "withdrawn", "31.5"),
    ]


def test_ties_are_explained_in_words() -> None:
    summary = summarise(hand_worked())
    assert summary.candidate("A").notes[0] == "ranked above B on Leadership, 6 v 5"
    assert summary.candidate("B").notes[0] == "ranked below A on Leadership, 5 v 6"
    assert summary.candidate("C").notes[0] == "tied with B after every tie-break criterion"
    assert "unresolved-tie" in summary.candidate("B").flags and "unresolved-tie" in summary.candidate("C").flags
    assert "unresolved-tie" not in summary.candidate("A").flags


def test_equal_totals_split_by_the_tie_break_criterion() -> None:
    data = hand_worked().model_dump(by_alias=True)
    # Equal totals and equal lead scores, split by delivery, the first tie-break criterion:
    # with experience weighted 1, C gains 1/3 on delivery and loses 1/3 on experience.
    data["criteria"][2]["weight"] = 1.0
    for row in data["scores"]:
        key = (row["candidate"], row["criterion"], row["assessor"])
        if key == ("C", "delivery", "P2"):
            row["score"] = 6  # C delivery 7,6,6 = 19/3
        if key == ("C", "experience", "P3"):
            row["score"] = 4  # C experience 4,5,4 = 13/3 ; B experience 5,5,4 = 14/3; B delivery 6
    summary = summarise(Campaign.model_validate(data))
    b, c = summary.candidate("B"), summary.candidate("C")
    assert format_score(b.total) == format_score(c.total) == "20.67"
    assert c.rank < b.rank
    assert "ranked above B on Delivery, 6.33 v 6" in c.notes


def test_failed_candidates_say_which_criteria_failed() -> None:
    summary = summarise(hand_worked())
    assert summary.candidate("E").failed == ("Delivery 3.33 < 4",)
    assert summary.candidate("H").failed == ("did not pass the Sift stage",)
    assert summary.candidate("F").missing == ("experience@interview",)


def test_overall_pass_mark() -> None:
    summary = summarise(hand_worked(overall_pass_mark=21.0))
    assert summary.candidate("D").outcome == "fail"
    assert summary.candidate("D").failed == ("total 20 < overall pass mark 21",)
    assert summary.candidate("C").outcome == "reserve" and "tie-at-line" in summary.candidate("C").flags


def test_vacancies_decide_appointable_and_reserve() -> None:
    summary = summarise(hand_worked(vacancies=1))
    assert [(r.id, r.outcome) for r in summary.candidates[:4]] == [("A", "appointable"), ("B", "reserve"), ("C", "reserve"), ("D", "reserve")]


def test_moderated_score_is_the_agreed_score_and_flags_follow() -> None:
    summary = summarise(hand_worked())
    d = summary.candidate("D").item("leadership", "interview")
    assert (d.agreed, d.moderated, d.spread, d.scores) == (5.0, True, 3, {"P1": 3, "P2": 5, "P3": 6})
    assert summary.candidate("D").flags == ("spread",)  # spread noted; disagreement resolved
    c = summary.candidate("C").item("delivery", "interview")
    assert (round(c.agreed, 2), c.moderated, c.spread) == (6.0, False, 2)
    assert "unmoderated-disagreement" in summary.candidate("C").flags
    a = summary.candidate("A")
    assert "no-evidence" in a.flags and a.item("delivery", "interview").without_evidence == ("P2",)


def test_stage_summary_of_a_stage_not_counted() -> None:
    summary = summarise(hand_worked(), "sift")
    outcomes = {r.id: (r.outcome, r.rank) for r in summary.candidates}
    assert outcomes["H"] == ("fail", None)
    assert outcomes["E"] == ("pass", 1) and outcomes["G"] == ("withdrawn", None)
    assert not summary.counted
    # Name-blind sift: references, unless names are asked for.
    assert summary.candidate("A").display_name == "REF-A"
    assert summarise(hand_worked(), "sift", show_names=True).candidate("A").display_name == "Candidate A"
    assert summarise(hand_worked()).candidate("A").display_name == "Candidate A"


def test_calibration_flags_a_lenient_member() -> None:
    campaign = hand_worked(tie_break=[])
    data = campaign.model_dump(by_alias=True)
    for row in data["scores"]:
        if row["assessor"] == "P3" and row["stage"] == "interview":
            row["score"] = min(7, row["score"] + 3)
    summary = summarise(Campaign.model_validate(data))
    by_id = {member.id: member for member in summary.calibration}
    assert by_id["P3"].tendency == "lenient"
    assert by_id["P3"].mean_difference > 1
    assert by_id["P1"].tendency is None and by_id["P2"].tendency is None
    assert by_id["P3"].outlier > by_id["P1"].outlier
    assert by_id["P3"].scores == 20 and by_id["P3"].candidates == 7


def test_calibration_needs_five_candidates() -> None:
    data = hand_worked().model_dump(by_alias=True)
    data["scores"] = [row for row in data["scores"] if row["candidate"] in {"A", "B", "C", "D"}]
    for row in data["scores"]:
        if row["assessor"] == "P3" and row["score"] <= 4:
            row["score"] += 3
    summary = summarise(Campaign.model_validate(data))
    assert all(member.tendency is None for member in summary.calibration)


# --- properties -------------------------------------------------------------------------


def _summary_view(campaign: Campaign) -> list:
    summary = summarise(campaign)
    return [(r.id, r.rank, r.outcome, round(r.total, 6), r.flags, r.notes) for r in summary.candidates]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_row_order_never_changes_the_result(seed: int) -> None:
    campaign = hand_worked()
    rng = random.Random(seed)
    data = campaign.model_dump(by_alias=True)
    for table in ("scores", "candidates", "moderation", "panel"):
        rng.shuffle(data[table])
    assert _summary_view(Campaign.model_validate(data)) == _summary_view(campaign)


scores_strategy = st.lists(st.tuples(st.integers(1, 7), st.integers(1, 7), st.integers(1, 7)), min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(
    table=st.lists(scores_strategy, min_size=2, max_size=6),
    pick=st.tuples(st.integers(0, 5), st.integers(0, 2), st.integers(0, 2)),
)
def test_raising_a_score_never_lowers_total_or_relative_rank(table, pick) -> None:
    criteria = ["leadership", "delivery", "experience"]
    data = hand_worked().model_dump(by_alias=True)
    data["candidates"] = [{"id": f"K{i}", "name": f"K {i}", "reference": f"R{i}"} for i in range(len(table))]
    data["moderation"] = []
    data["scores"] = [
        {"candidate": f"K{i}", "criterion": criteria[k], "stage": "interview", "assessor": f"P{a + 1}", "score": value, "evidence": "x", "at": AT}
        for i, rows in enumerate(table)
        for k, values in enumerate(rows)
        for a, value in enumerate(values)
    ]
    before = summarise(Campaign.model_validate(data))
    who, criterion, assessor = pick[0] % len(table), pick[1], pick[2]
    row = next(
        r for r in data["scores"] if r["candidate"] == f"K{who}" and r["criterion"] == criteria[criterion] and r["assessor"] == f"P{assessor + 1}"
    )
    if row["score"] == 7:
        return
    row["score"] += 1
    after = summarise(Campaign.model_validate(data))
    target = f"K{who}"
    assert after.candidate(target).total >= before.candidate(target).total
    order_before = [r.id for r in before.candidates]
    order_after = [r.id for r in after.candidates]
    for other in order_before:
        if order_before.index(target) < order_before.index(other):
            assert order_after.index(target) < order_after.index(other)


@settings(max_examples=30, deadline=None)
@given(score=st.integers(1, 7), which=st.integers(0, 20))
def test_moderation_never_changes_independent_scores(score: int, which: int) -> None:
    campaign = hand_worked()
    items = sorted({row.item for row in campaign.scores})
    candidate, criterion, stage = items[which % len(items)]
    if candidate == "G":
        return
    moderated = record_moderation(campaign, chair="P1", candidate=candidate, criterion=criterion, stage=stage, score=score, rationale="agreed")
    assert moderated.scores == campaign.scores
    assert summarise(moderated, stage).candidate(candidate).item(criterion, stage).agreed == score


def test_record_score_adds_then_replaces_one_row() -> None:
    campaign = hand_worked()
    at = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    added = record(campaign, assessor="P1", candidate="F", criterion="experience", stage="interview", score=5, evidence="good", at=at).campaign
    assert len(added.scores) == len(campaign.scores) + 1
    assert added.audit[-1].what == "scored F on experience at interview: 5"
    replaced = record(added, assessor="P1", candidate="F", criterion="experience", stage="interview", score=6, at=at).campaign
    assert len(replaced.scores) == len(added.scores)
    row = next(r for r in replaced.scores if r.item == ("F", "experience", "interview"))
    assert (row.score, row.evidence) == (6, "good")
    assert replaced.audit[-1].what == "changed score for F on experience at interview: 5 -> 6"
    later = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    same = record(replaced, assessor="P1", candidate="F", criterion="experience", stage="interview", score=6, evidence="good", at=later)
    assert same.campaign is replaced and not same.changed, "the same score and evidence again: no new time, no audit row"
    assert campaign.scores == hand_worked().scores  # the original is untouched


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"assessor": "P9"}, "'P9' is not on the panel"),
        ({"candidate": "Z"}, "unknown candidate 'Z'"),
        ({"candidate": "G"}, "candidate 'G' has withdrawn"),
        ({"criterion": "nope"}, "unknown criterion 'nope'"),
        ({"stage": "final"}, "unknown stage 'final'"),
        ({"criterion": "delivery", "stage": "sift"}, "criterion 'delivery' is not assessed at stage 'sift'"),
        ({"score": 8}, "score must be 1 to 7, not 8"),
        ({"score": 0}, "score must be 1 to 7, not 0"),
    ],
)
def test_record_score_refusals(changes, message) -> None:
    request = {"assessor": "P1", "candidate": "F", "criterion": "experience", "stage": "interview", "score": 5} | changes
    with pytest.raises(ChangeRefused) as refused:
        record(hand_worked(), **request)
    assert message in refused.value.message


def test_a_final_campaign_refuses_changes() -> None:
    with pytest.raises(ChangeRefused, match="final"):
        record(hand_worked(status="final"), assessor="P1", candidate="F", criterion="experience", stage="interview", score=5)
