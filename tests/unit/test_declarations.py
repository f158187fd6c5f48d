"""A panel member's conflict of interest: declared, kept to (no score, no allocation), taken back."""

from __future__ import annotations

import pytest

from assessor.changes.allocation import allocate_stage
from assessor.changes.declarations import declare, withdraw_declaration
from assessor.changes.scores import record
from assessor.core.errors import ChangeRefused
from assessor.rules.allocation import AllocationRefused, allocate_readers
from tests.unit.test_allocated import AT, sift_campaign


def test_a_declared_member_does_not_score_the_candidate_until_it_is_taken_back() -> None:
    campaign = declare(sift_campaign(4), member="s1", candidate="K01", reason="We were in the same team in 2023", at=AT)
    assert campaign.audit[-1].what == "declared a conflict of interest with K01: We were in the same team in 2023"
    with pytest.raises(ChangeRefused, match="s1 declared a conflict of interest with K01 on 2026-11-20: they do not score them"):
        record(campaign, assessor="s1", candidate="K01", criterion="leadership", stage="sift", score=5, at=AT)
    assert record(campaign, assessor="s1", candidate="K02", criterion="leadership", stage="sift", score=5, at=AT).changed
    with pytest.raises(ChangeRefused, match="already"):
        declare(campaign, member="s1", candidate="K01", reason="again")
    with pytest.raises(ChangeRefused, match="a reason is required"):
        withdraw_declaration(campaign, member="s1", candidate="K01", reason=" ")
    back = withdraw_declaration(campaign, member="s1", candidate="K01", reason="A different Sam", at=AT)
    assert [(row.stands, row.withdrawn_reason) for row in back.declarations] == [(False, "A different Sam")]
    assert record(back, assessor="s1", candidate="K01", criterion="leadership", stage="sift", score=5, at=AT).changed


def test_allocation_passes_over_a_declared_sifter_for_that_candidate_alone() -> None:
    campaign = sift_campaign(12)
    for candidate in ("K00", "K01", "K02"):
        campaign = declare(campaign, member="s1", candidate=candidate, reason="knows them", at=AT)
    allocated = allocate_stage(campaign, chair="chair", stage="sift", readers=1, second_marking=50, sifters=["s1", "s2"], at=AT).campaign
    readers = {(row.candidate, row.assessor) for row in allocated.allocation}
    assert not any((candidate, "s1") in readers for candidate in ("K00", "K01", "K02"))  # neither first read nor second marked
    assert {candidate for candidate, _ in readers} == {f"K{n:02d}" for n in range(12)}


def test_an_allocation_the_declarations_leave_no_reader_for_is_refused() -> None:
    with pytest.raises(AllocationRefused, match="A needs 2 readers, but 1 of the 2 sifters declared a conflict of interest with them"):
        allocate_readers("seed", ["A", "B"], ["s1", "s2"], 2, conflicts={"A": ["s1"]})
