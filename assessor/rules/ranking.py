"""Rules 6 and 7: the merit order, ranks shared by true ties, appointable and reserve.

Ranking takes each candidate's line as `scoring` judged it and writes the candidate's
result once, with its rank.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from typing import NamedTuple

from assessor.core.campaign import Campaign, Candidate, Criterion
from assessor.rules.summary_types import PRECISION, CandidateResult, Column, ItemResult, Outcome, format_score


class Line(NamedTuple):
    """One candidate at some stages before any ranking: rules 4, 5 and 8 applied to their items."""

    candidate: Candidate
    items: tuple[ItemResult, ...]
    total: float
    outcome: Outcome
    """Withdrawn, incomplete, fail or pass (`_rank` makes a pass appointable or reserve)."""
    missing: tuple[str, ...]
    failed: tuple[str, ...]
    flags: tuple[str, ...]
    notes: tuple[str, ...]


def tie_criteria(campaign: Campaign) -> list[Criterion]:
    """The lead criterion, then the tie-break criteria in the campaign's order."""
    order: list[Criterion] = []
    lead = campaign.lead_criterion
    if lead is not None:
        order.append(lead)
    by_id = {criterion.id: criterion for criterion in campaign.criteria}
    for criterion_id in campaign.campaign.tie_break:
        criterion = by_id[criterion_id]
        if criterion not in order:
            order.append(criterion)
    return order


def rank(campaign: Campaign, columns: tuple[Column, ...], lines: list[Line], counted: bool, names_shown: bool) -> tuple[CandidateResult, ...]:
    """Rules 6 and 7: passed candidates in merit order with shared ranks for true ties,
    appointable and reserve; then the rest. Each candidate's result is written here, once."""
    breakers = [criterion for criterion in tie_criteria(campaign) if any(column.criterion.id == criterion.id for column in columns)]
    places = [[index for index, column in enumerate(columns) if column.criterion.id == criterion.id] for criterion in breakers]

    def order_key(line: Line) -> tuple[float, ...]:
        # The total, then each tie-break criterion's agreed score summed over the counted stages.
        scores = [round(sum([line.items[index].agreed or 0.0 for index in indexes]), PRECISION) for indexes in places]
        return (round(line.total, PRECISION), *scores)

    keyed = [(order_key(line), line.candidate.id, line) for line in lines if line.outcome == "pass"]
    # Highest first; among equals by id. A stable sort keeps the ids' order through the second sort.
    keyed.sort(key=itemgetter(1))
    keyed.sort(key=itemgetter(0), reverse=True)
    notes: dict[str, list[str]] = defaultdict(list)
    tied: set[str] = set()
    ranks: dict[str, int] = {}
    reasons: dict[tuple[tuple[float, ...], tuple[float, ...]], tuple[str, str] | None] = {}  # the words for a pair, once
    for position, (key, this, _) in enumerate(keyed):
        if position == 0:
            ranks[this] = 1
            continue
        above_key, above, _ = keyed[position - 1]
        if above_key == key:
            ranks[this] = ranks[above]
            tied.update((above, this))
        else:
            ranks[this] = position + 1
        if above_key[0] == key[0]:  # equal totals: say what separated them, or that nothing did
            pair = (above_key[1:], key[1:])
            if pair not in reasons:
                reasons[pair] = _tie_reason(*pair, breakers)
            reason = reasons[pair]
            if reason:
                notes[above].append(f"ranked above {this} on {reason[0]}")
                notes[this].append(f"ranked below {above} on {reason[1]}")
            else:
                notes[this].append(f"tied with {above} after every tie-break criterion")

    vacancies = campaign.campaign.vacancies
    results = []
    for _, this, line in keyed:
        rank = ranks[this]
        outcome: Outcome = "pass" if not counted else ("appointable" if rank <= vacancies else "reserve")
        flags = (*line.flags, "unresolved-tie") if this in tied else line.flags
        results.append(_result(line, outcome, rank, flags, (*notes.get(this, ()), *line.notes), names_shown))
    rest_order = {"incomplete": 0, "fail": 1, "withdrawn": 2}
    rest = [line for line in lines if line.outcome != "pass"]
    rest.sort(key=lambda line: (rest_order[line.outcome], -round(line.total, PRECISION), line.candidate.id))
    results += [_result(line, line.outcome, None, line.flags, line.notes, names_shown) for line in rest]
    return tuple(results)


def _result(line: Line, outcome: Outcome, rank: int | None, flags: tuple[str, ...], notes: tuple[str, ...], names_shown: bool) -> CandidateResult:
    """A candidate's line of the summary, as every format shows it."""
    candidate = line.candidate
    return CandidateResult(
        id=candidate.id,
        display_name=candidate.name if names_shown else (candidate.reference or candidate.id),
        reference=candidate.reference,
        items=line.items,
        total=line.total,
        outcome=outcome,
        rank=rank,
        failed=line.failed,
        missing=line.missing,
        flags=flags,
        notes=notes,
        adjustments=candidate.adjustments,
    )


def _tie_reason(above: tuple[float, ...], below: tuple[float, ...], breakers: list[Criterion]) -> tuple[str, str] | None:
    """Words for the first criterion that separated two candidates with equal totals."""
    for criterion, high, low in zip(breakers, above, below, strict=True):
        if high != low:
            return (
                f"{criterion.name}, {format_score(high)} v {format_score(low)}",
                f"{criterion.name}, {format_score(low)} v {format_score(high)}",
            )
    return None
