"""A campaign's allocation as the summary reads it: each allocated stage's first readers (an item
there is complete once they have all scored it, and its score is theirs), its second markers
(a check: their scores are compared, flagged and reported, and count only through an agreed
score the chair records), and the second-marking report."""

from __future__ import annotations

from collections.abc import Iterable

from assessor.core.campaign import Campaign
from assessor.rules.allocation import Reading, second_marking_report
from assessor.rules.summary_types import SecondMarking

Readers = dict[str, frozenset[str]]
"""A stage's allocated readers by candidate: the first readers, or the second markers."""


def stage_readers(rows: Iterable[tuple[str, str, str]], stage: str) -> Readers | None:
    """The allocated readers of each candidate at `stage` from (stage, candidate, assessor) rows;
    None when the stage has no allocation (then everyone on the panel scores everyone)."""
    found: dict[str, set[str]] = {}
    for row_stage, candidate, assessor in rows:
        if row_stage == stage:
            found.setdefault(candidate, set()).add(assessor)
    if not found:
        return None
    shared: dict[frozenset[str], frozenset[str]] = {}  # one set per distinct group of readers
    return {candidate: shared.setdefault(frozenset(group), frozenset(group)) for candidate, group in found.items()}


def allocated_readers(campaign: Campaign) -> dict[str, Readers]:
    """Each allocated stage's first readers by candidate: an item there is complete once they have
    all scored it, and its score is theirs, so every candidate is judged by as many readers."""
    return _readers(campaign, second=False)


def second_markers(campaign: Campaign) -> dict[str, Readers]:
    """Each allocated stage's second markers by candidate, where a sample was drawn: a check on
    the first reading, never part of the candidate's score unless the chair agrees one."""
    return _readers(campaign, second=True)


def _readers(campaign: Campaign, *, second: bool) -> dict[str, Readers]:
    if not campaign.allocation:
        return {}
    rows = [(row.stage, row.candidate, row.assessor) for row in campaign.allocation if (row.second_marks is not None) == second]
    found = {stage.id: stage_readers(rows, stage.id) for stage in campaign.stages}
    return {stage: readers for stage, readers in found.items() if readers is not None}


def second_marking(campaign: Campaign, stages: tuple[str, ...]) -> tuple[SecondMarking, ...]:
    """Each sifter's agreement with their second marker at the allocated stages of `stages`."""
    if not any(row.second_marks for row in campaign.allocation):
        return ()
    names = {member.id: member.name for member in campaign.panel}
    sifters = list(names)
    found = []
    for stage in stages:
        readings = [Reading(row.candidate, row.assessor, row.second_marks or "") for row in campaign.allocation if row.stage == stage]
        if not any(reading.second_marks for reading in readings):
            continue
        scores = [(score.candidate, score.criterion, score.assessor, score.score) for score in campaign.scores if score.stage == stage]
        for result in second_marking_report(readings, scores, sifters):
            found.append(SecondMarking(stage, result.sifter, names[result.sifter], result.items, result.exact, result.mean_difference, result.wide))
    return tuple(found)
