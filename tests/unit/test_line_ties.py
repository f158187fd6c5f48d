"""Rule 6 at the appointable line, worked by hand: a shared rank across the vacancies line
waits for the chair's recorded order; a tie wholly inside the reserve list stays shared."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assessor.changes.decisions import separate
from assessor.changes.seal import finalise
from assessor.core.errors import ChangeRefused
from assessor.rules.readiness import open_items
from assessor.rules.scoring import summarise
from assessor.storage.campaign_file import campaign_data
from tests.scoring_reference import summarise as plain_summarise
from tests.unit.test_consensus import washup

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def tied() -> object:
    # A and B share rank 1 with one vacancy; C and D share rank 3, wholly in the reserve list.
    return washup("mean", {"A": (5, 5, 5), "B": (5, 5, 5), "C": (4, 4, 4), "D": (4, 4, 4)})


def test_a_tie_across_the_line_makes_nobody_appointable_until_the_chair_orders_it() -> None:
    campaign = tied()
    merit = {result.id: result for result in summarise(campaign).candidates}
    assert [(c, merit[c].rank, merit[c].outcome) for c in "ABCD"] == [
        ("A", 1, "reserve"),
        ("B", 1, "reserve"),
        ("C", 3, "reserve"),
        ("D", 3, "reserve"),
    ]
    assert "tie-at-line" in merit["A"].flags and "tie-at-line" in merit["B"].flags
    assert merit["A"].notes[-1] == "tied across the appointable line with B: the chair records their order"  # the app and the CLI say how
    assert "tie-at-line" not in merit["C"].flags and "unresolved-tie" in merit["C"].flags  # inside the reserve list: shared, flagged
    lines = [item.line for item in open_items(summarise(campaign)) if item.kind == "line tie"]
    assert lines == [f"{c}: rank 1 is shared across the appointable line: the chair records their order" for c in "AB"]
    with pytest.raises(ChangeRefused, match="need the panel's decision, which --force does not replace"):
        finalise(campaign, chair="chair", at=AT, file_data=campaign_data, force=True, rationale="In a hurry.")


def test_the_chairs_order_is_followed_and_said() -> None:
    campaign = tied()
    with pytest.raises(ChangeRefused, match="name each candidate of the tie across the appointable line once, highest first: A, B"):
        separate(campaign, chair="chair", order=["B", "C"], rationale="x", at=AT)
    with pytest.raises(ChangeRefused, match="only a chair orders a tie at the appointable line"):
        separate(campaign, chair="m1", order=["B", "A"], rationale="x", at=AT)
    with pytest.raises(ChangeRefused, match="a rationale is required"):
        separate(campaign, chair="chair", order=["B", "A"], rationale=" ", at=AT)
    ordered = separate(campaign, chair="chair", order=["B", "A"], rationale="B's evidence on the lead behaviour was deeper.", at=AT)
    assert (
        ordered.audit[-1].what == "ordered the tie across the appointable line: B above A; rationale: B's evidence on the lead behaviour was deeper."
    )
    merit = summarise(ordered)
    assert [(r.id, r.rank, r.outcome) for r in merit.candidates] == [
        ("B", 1, "appointable"),
        ("A", 2, "reserve"),
        ("C", 3, "reserve"),
        ("D", 3, "reserve"),
    ]
    assert "placed above A by the chair: B's evidence on the lead behaviour was deeper." in merit.candidate("B").notes
    assert "placed below B by the chair: B's evidence on the lead behaviour was deeper." in merit.candidate("A").notes
    assert "unresolved-tie" not in merit.candidate("B").flags and "tie-at-line" not in merit.candidate("A").flags
    plain = plain_summarise(ordered)
    assert [(r.id, r.rank, r.outcome, r.flags, r.notes) for r in plain.candidates] == [
        (r.id, r.rank, r.outcome, r.flags, r.notes) for r in merit.candidates
    ]
    with pytest.raises(ChangeRefused, match="no tie crosses the appointable line"):
        separate(ordered, chair="chair", order=["B", "A"], rationale="again", at=AT)
    # The tie inside the reserve list stays open as before: signed off with a rationale.
    sealed = finalise(ordered, chair="chair", at=AT, file_data=campaign_data, force=True, rationale="C and D share a reserve place.")
    assert sealed.seal is not None
