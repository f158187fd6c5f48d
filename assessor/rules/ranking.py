"""Rules 6 and 7: the merit order, ranks shared by true ties, appointable and reserve; and
rule 4's shortlist cut at a stage that is not the merit list.

Ranking takes each candidate's line as `scoring` judged it and writes the candidate's
result once, with its rank.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import replace
from operator import itemgetter
from typing import Literal, NamedTuple

from assessor.core.campaign import Campaign, Candidate, Criterion, Stage
from assessor.rules.summary_types import PRECISION, CandidateResult, Column, ItemResult, Outcome, Summary, format_score


class Line(NamedTuple):
    """One candidate at some stages before any ranking: rules 4, 5 and 8 applied to their items."""

    candidate: Candidate
    items: tuple[ItemResult, ...]
    total: float
    outcome: Outcome
    """Withdrawn, incomplete, fail, pass, or not-shortlisted at an earlier stage (`rank` makes a
    pass appointable or reserve, or decides the stage's shortlist)."""
    missing: tuple[str, ...]
    failed: tuple[str, ...]
    flags: tuple[str, ...]
    notes: tuple[str, ...]
    reason: str = ""
    """Why a candidate did not go on from an earlier stage (`not shortlisted at the Sift stage: ...`)."""
    unagreed: tuple[str, ...] = ()
    """Of `missing`, the items awaiting the panel's agreed score (a consensus campaign)."""


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


class Ranked(NamedTuple):
    """The passed candidates of some stages in merit order, with their ranks (rule 6)."""

    order: list[Line]
    ranks: dict[str, int]
    tied: set[str]
    """Candidates sharing a rank the tie-break criteria did not separate."""
    notes: dict[str, list[str]]
    """How ties fell, in words, by candidate."""


def merit_order(campaign: Campaign, columns: tuple[Column, ...], lines: list[Line]) -> Ranked:
    """Rule 6: the passed lines by total, then the lead and tie-break criteria; true ties share a rank."""
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
    return Ranked([line for _, _, line in keyed], ranks, tied, notes)


def at_the_line(campaign: Campaign, ranked: Ranked, vacancies: int) -> tuple[Ranked, dict[str, list[str]]]:
    """Rule 6's last step: a shared rank that crosses the vacancies line follows the chair's
    recorded order (`[[order]]` naming exactly those candidates), each then ranked in turn;
    without one, the tie stays open: its candidates, each with the others in it."""
    groups: list[list[Line]] = []
    for line in ranked.order:
        if groups and ranked.ranks[groups[-1][0].candidate.id] == ranked.ranks[line.candidate.id]:
            groups[-1].append(line)
        else:
            groups.append([line])
    ranks, tied, notes = dict(ranked.ranks), set(ranked.tied), {key: list(value) for key, value in ranked.notes.items()}
    order: list[Line] = []
    still_open: dict[str, list[str]] = {}
    for group in groups:
        ids = [line.candidate.id for line in group]
        first = ranks[ids[0]]
        if len(group) < 2 or not first <= vacancies < first + len(group) - 1:
            order += group
            continue
        placed = next((row for row in reversed(campaign.order) if set(row.candidates) == set(ids)), None)
        if placed is None:
            order += group
            still_open.update({this: [other for other in ids if other != this] for this in ids})
            continue
        by_id = {line.candidate.id: line for line in group}
        for position, this in enumerate(placed.candidates):
            order.append(by_id[this])
            ranks[this] = first + position
            tied.discard(this)
            if position:
                notes.setdefault(this, []).append(f"placed below {placed.candidates[position - 1]} by the chair: {placed.rationale}")
            if position + 1 < len(placed.candidates):
                notes.setdefault(this, []).append(f"placed above {placed.candidates[position + 1]} by the chair: {placed.rationale}")
    return Ranked(order, ranks, tied, notes), still_open


CHAIR_ORDERS = "the chair records their order"
"""How a tie across the appointable line is settled, in words for every reader: where it is shown,
the app adds its key and the command line its command (`ordered_how`)."""


def ordered_how(text: str, how: str) -> str:
    """`text` with `how` the chair records the order (a key, a command) in brackets after the words that say so, where they are."""
    return text.replace(CHAIR_ORDERS, f"{CHAIR_ORDERS} ({how})")


def summary_ordered_how(summary: Summary, how: str) -> Summary:
    """The summary with `how` the chair records the order said in the notes of each tie across the appointable line."""
    said = [
        result._replace(notes=tuple(ordered_how(note, how) for note in result.notes)) if "tie-at-line" in result.flags else result
        for result in summary.candidates
    ]
    return replace(summary, candidates=tuple(said))


class Decision(NamedTuple):
    """Whether a passed candidate goes on from a stage with a shortlist cut (rule 4), and why."""

    outcome: Literal["pass", "guaranteed", "not-shortlisted"]
    reason: str
    """In words, for every format; empty for a plain pass."""
    tie_at_cut: bool = False
    """Tied with others across the cut: all of them go on, and the chair is told."""


def shortlist(stage: Stage, ranked: Ranked, schemes: Mapping[str, str]) -> dict[str, Decision]:
    """Rule 4's cut at `stage`: who of the passed candidates goes on, by its merit order.

    At most `shortlist` go on (candidates tied at the cut all go on, flagged), and only those
    whose total reaches `shortlist_mark`; a candidate under a guaranteed interview scheme who
    passed (meets every minimum) goes on below the cut, displacing nobody. `schemes` names the
    schemes by id (the framework's).
    """
    places, mark = stage.shortlist or 0, stage.shortlist_mark or 0.0
    within = [line for line in ranked.order if (not places or ranked.ranks[line.candidate.id] <= places) and not _below(line.total, mark)]
    last_in = within[-1].total if within else None
    group_size = Counter(ranked.ranks[line.candidate.id] for line in within)
    decisions: dict[str, Decision] = {}
    inside = {line.candidate.id for line in within}
    for line in ranked.order:
        this = line.candidate.id
        rank = ranked.ranks[this]
        if this in inside:
            if places and rank + group_size[rank] - 1 > places:
                others = [other.candidate.id for other in within if ranked.ranks[other.candidate.id] == rank and other.candidate.id != this]
                words = f"tied at the shortlist of {places} with {', '.join(others)}: all of them go on"
                decisions[this] = Decision("pass", words, tie_at_cut=True)
            else:
                decisions[this] = Decision("pass", "")
            continue
        below = _below_words(line.total, rank, places, mark, last_in)
        scheme = line.candidate.guaranteed_interview
        if scheme is not None:
            decisions[this] = Decision("guaranteed", f"guaranteed interview ({schemes.get(scheme, scheme)}): meets every minimum; {below}")
        else:
            decisions[this] = Decision("not-shortlisted", below)
    return decisions


def _below(total: float, mark: float) -> bool:
    return bool(mark) and round(total, PRECISION) < mark


def _below_words(total: float, rank: int, places: int, mark: float, last_in: float | None) -> str:
    """Why a passed candidate is below the cut: `below the shortlist of 12: total 21 against 23`."""
    if _below(total, mark) and (not places or rank <= places):
        return f"below the shortlist mark of {format_score(mark)}: total {format_score(total)}"
    against = f" against {format_score(last_in)}" if last_in is not None else ""
    also = f" and the shortlist mark of {format_score(mark)}" if _below(total, mark) else ""
    return f"below the shortlist of {places}{also}: rank {rank}, total {format_score(total)}{against}"


def rank(
    campaign: Campaign,
    columns: tuple[Column, ...],
    lines: list[Line],
    counted: bool,
    names_shown: bool,
    *,
    cut: Stage | None = None,
    schemes: Mapping[str, str] | None = None,
) -> tuple[CandidateResult, ...]:
    """Rules 4, 6 and 7: passed candidates in merit order with shared ranks for true ties,
    appointable and reserve on the merit list, or who goes on from a stage's shortlist `cut`;
    then the rest. Each candidate's result is written here, once."""
    ranked = merit_order(campaign, columns, lines)
    decisions = shortlist(cut, ranked, schemes or {}) if cut is not None and cut.has_cut and not counted else {}
    vacancies = campaign.campaign.vacancies
    open_at_line: dict[str, list[str]] = {}
    if counted:
        ranked, open_at_line = at_the_line(campaign, ranked, vacancies)
    results = []
    for line in ranked.order:
        this = line.candidate.id
        rank = ranked.ranks[this]
        outcome: Outcome = "pass" if not counted else ("appointable" if rank <= vacancies else "reserve")
        flags = (*line.flags, "unresolved-tie") if this in ranked.tied else line.flags
        notes = (*ranked.notes.get(this, ()), *line.notes)
        if this in open_at_line:  # nobody in it is appointable until the chair orders them
            outcome, flags = "reserve", (*flags, "tie-at-line")
            others = ", ".join(open_at_line[this])
            notes = (*notes, f"tied across the appointable line with {others}: {CHAIR_ORDERS}")
        reason = ""
        decision = decisions.get(this)
        if decision is not None:
            outcome, reason = decision.outcome, decision.reason
            if decision.tie_at_cut:
                flags = (*flags, "tie-at-cut")
        results.append(_result(line, outcome, rank, flags, notes, names_shown, reason))
    rest_order = {"incomplete": 0, "not-shortlisted": 1, "fail": 2, "withdrawn": 3}
    rest = [line for line in lines if line.outcome != "pass"]
    rest.sort(key=lambda line: (rest_order[line.outcome], -round(line.total, PRECISION), line.candidate.id))
    results += [_result(line, line.outcome, None, line.flags, line.notes, names_shown, line.reason) for line in rest]
    return tuple(results)


def _result(
    line: Line, outcome: Outcome, rank: int | None, flags: tuple[str, ...], notes: tuple[str, ...], names_shown: bool, reason: str
) -> CandidateResult:
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
        unagreed=line.unagreed,
        flags=flags,
        notes=notes,
        reason=reason,
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
