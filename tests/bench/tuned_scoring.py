"""The summary as it was tuned before the rules were written plainly: the baseline `make bench`
sets `rules.scoring.summarise` against, in the same run. Frozen; tests only.

Its results are the same (a test holds the two equal); it is kept to measure what the
plain code costs. It reads the scores grouped beforehand, as the tuned campaign kept
them: `group_scores` is that grouping. Its results take the summary's newer shape (the
fields its rules never set, an item's awaiting readers and agreement, a candidate's reason,
are left at their defaults): it summarises campaigns without allocations, consensus,
shortlist cuts or ties at the line, as the bench's are.
"""

# ruff: noqa: E501, B905, B007 -- kept as it was tuned

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import chain, compress, count, repeat
from math import fsum
from operator import attrgetter, itemgetter, neg, or_
from statistics import fmean
from typing import Literal

from assessor.core.campaign import Campaign, Criterion, Score
from assessor.core.collector import collector_paused
from assessor.rules.ranking import tie_criteria as _tie_criteria  # shared: not what is timed
from assessor.rules.scoring import is_name_blind
from assessor.rules.summary_types import (
    LENIENCY_CANDIDATES,
    LENIENCY_DIFFERENCE,
    PRECISION,
    SPREAD_FLAG,
    CandidateResult,
    Column,
    ItemResult,
    MemberCalibration,
    Outcome,
    Summary,
    format_score,
)


def group_scores(scores: list[Score]) -> dict:
    """(candidate, criterion, stage) -> (assessor, score, blank evidence, ...), each pattern one tuple."""
    groups: dict = {}
    get = groups.get
    for row in map(vars, scores):
        key = (row["candidate"], row["criterion"], row["stage"])
        evidence = row["evidence"]
        groups[key] = get(key, ()) + (row["assessor"], row["score"], not evidence or evidence.isspace())
    one_copy: dict = {}
    for key, found in groups.items():
        groups[key] = one_copy.setdefault(found, found)
    return groups


def summarise(campaign: Campaign, groups: dict, stage: str | None = None, *, show_names: bool | None = None) -> Summary:
    """The summary of the campaign's counted stages, or of one `stage`.

    `show_names=None` follows the campaign: names are hidden in a name-blind sift.
    """
    stages = (stage,) if stage is not None else tuple(campaign.counted_stages)
    counted = stage is None or stages == tuple(campaign.counted_stages)
    names_shown = show_names if show_names is not None else not is_name_blind(campaign, stages)
    columns = tuple(Column(criterion, stage_id) for stage_id in stages for criterion in campaign.criteria if stage_id in criterion.stages)
    info = campaign.campaign
    with collector_paused():  # tens of thousands of tuples, none in a cycle
        # Worked out in a call of its own, so that what it leaves behind is let go before
        # the collector wakes: the collector then reads only the summary.
        candidates, calibration = _merit_list(campaign, groups, stages, columns, counted, names_shown)
    return Summary(
        campaign_id=info.id,
        title=info.title,
        stages=stages,
        counted=counted,
        columns=columns,
        candidates=candidates,
        calibration=calibration,
        vacancies=info.vacancies,
        names_shown=names_shown,
    )


def _merit_list(
    campaign: Campaign, groups: dict, stages, columns, counted: bool, names_shown: bool
) -> tuple[tuple[CandidateResult, ...], tuple[MemberCalibration, ...]]:
    """The ranked candidates and the panel's calibration."""
    items = _Items(campaign, groups)
    out_earlier = _failed_earlier_stage(campaign, stages, items)
    lines, visited, scored = _judge(campaign, columns, items, out_earlier, campaign.campaign.overall_pass_mark if counted else 0)
    return _rank(campaign, columns, lines, counted, names_shown), _calibrate(campaign, _stage_panels(columns, stages, items, lines, visited, scored))


# How the summary is computed. A summary of thousands of candidates must come in a
# fraction of a second, so no work is done per score: the campaign keeps its scores
# grouped by item (made beforehand, by group_scores), and each item's panel (who
# scored what, with or without evidence) is worked out once per distinct pattern, of
# which there are a few hundred however many candidates there are. tests/scoring_reference.py holds the rules written
# out one item at a time; a property test keeps the two equal.


class _Scores(dict):
    """A panel's scores, shared by every item whose panel scored the same: read-only."""

    __slots__ = ()

    def _read_only(self, *args, **kwargs):
        raise TypeError("the scores of a summary are read-only")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self):
        return (type(self), (dict(self),))


class _Panel:
    """What one item's independent scores say: scores, mean, spread, calibration."""

    __slots__ = ("scores", "mean", "spread", "flagged", "wide", "without_evidence", "assessors", "differences", "compared", "outlier", "cells")

    def __init__(self, rows: tuple, position: dict[str, int]) -> None:
        # rows: (assessor, score, evidence is blank) after one another, in the file's order.
        triples = [rows[index : index + 3] for index in range(0, len(rows), 3)]
        if len(triples) > 1:
            last = len(position)
            triples.sort(key=lambda row: position.get(row[0], last))  # stable: panel order
        values = [row[1] for row in triples]
        self.scores: dict[str, int] = _Scores({row[0]: row[1] for row in triples})
        # Rule 2: whole numbers, so the sum is exact and one division gives fmean's float.
        self.mean: float | None = sum(values) / len(values) if values else None
        self.spread: int | None = max(values) - min(values) if values else None
        self.wide = self.spread is not None and self.spread >= SPREAD_FLAG
        self.without_evidence: tuple[str, ...] = tuple([row[0] for row in triples if row[2]])
        self.flagged = self.wide or bool(self.without_evidence)
        # Calibration: each member against the mean of the members who scored the item.
        self.assessors = tuple(self.scores)
        self.differences: tuple[float, ...] = ()
        self.outlier: str | None = None
        if len(self.scores) >= 2:
            mean = sum(self.scores.values()) / len(self.scores)
            self.differences = tuple([value - mean for value in self.scores.values()])
            if len(self.scores) >= 3:
                furthest = max(map(abs, self.differences))
                if furthest >= 1:
                    alone = [assessor for assessor, value in zip(self.assessors, self.differences) if abs(value) == furthest]
                    if len(alone) == 1:
                        self.outlier = alone[0]
        self.compared = self.assessors if self.differences else ()
        """Members who could be compared with someone else on this item."""
        self.cells: list | None = None
        """_judge's cell for each column, made when first needed."""


_NOBODY = _Panel((), {})


class _Patterns(dict):
    """Rows of an item -> its _Panel, each worked out on first sight (so a map() over
    thousands of items runs without a Python call for those already seen)."""

    def __init__(self, position: dict[str, int]) -> None:
        super().__init__()
        self.position = position

    def __missing__(self, rows: tuple) -> _Panel:
        found = self[rows] = _Panel(rows, self.position)
        return found


_ITEM_KEY, _AGREED_AND_WHY, _STAGE_OF_KEY = itemgetter("candidate", "criterion", "stage"), itemgetter("score", "rationale"), itemgetter(2)


class _Items:
    """Every scored item of a campaign, and its moderated items."""

    def __init__(self, campaign: Campaign, groups: dict) -> None:
        # (candidate, criterion, stage) -> (assessor, score, blank evidence, ...) one score
        # after another, grouped beforehand: a tuple, so also the key of its _Panel.
        patterns = _Patterns({member.id: index for index, member in enumerate(campaign.panel)})
        self.panels: dict[tuple[str, str, str], _Panel] = dict(zip(groups, map(patterns.__getitem__, groups.values())))
        """(candidate, criterion, stage) -> what the panel's scores on that item say."""
        # (candidate, criterion, stage) -> (agreed score, rationale); the last one recorded counts.
        rows = list(map(vars, campaign.moderation))
        self.moderated: dict[tuple[str, str, str], tuple[int, str]] = dict(zip(map(_ITEM_KEY, rows), map(_AGREED_AND_WHY, rows)))

    def agreed(self, key: tuple[str, str, str]) -> float | None:
        """Rule 2 for one item."""
        moderation = self.moderated.get(key)
        if moderation is not None:
            return float(moderation[0])
        found = self.panels.get(key)
        return None if found is None else found.mean


def _failed_earlier_stage(campaign: Campaign, stages: tuple[str, ...], items: _Items) -> dict[str, str]:
    """Candidates who failed a stage before these ones (e.g. the sift): they did not go on.

    The reason names the first stage a candidate failed on its own scores: that is
    where they stopped, whatever the later stages say.
    """
    order = [stage.id for stage in campaign.stages]
    first = min(order.index(stage) for stage in stages) if stages else 0
    out: dict[str, str] = {}
    for earlier in campaign.stages[:first]:
        columns = [(c.id, c.weight, c.pass_mark) for c in campaign.criteria if earlier.id in c.stages]
        # The overall pass mark is for the merit list's total, not for one earlier stage's.
        overall = campaign.campaign.overall_pass_mark if (earlier.id,) == tuple(campaign.counted_stages) else 0
        candidates = campaign.candidates
        if columns:
            # Only those with the first item scored can have every item scored: the
            # others are passed over without a Python call each.
            first_items = list(zip(map(_ID, candidates), repeat(columns[0][0]), repeat(earlier.id)))
            candidates = compress(candidates, map(or_, map(items.panels.__contains__, first_items), map(items.moderated.__contains__, first_items)))
        for candidate in candidates:
            candidate_id = candidate.id
            # Rule 4: a withdrawn candidate, or one with an item not scored, did not fail.
            if candidate_id in out or candidate.withdrawn:
                continue
            total = 0
            below = False
            for criterion_id, weight, pass_mark in columns:
                value = items.agreed((candidate_id, criterion_id, earlier.id))
                if value is None:
                    break
                total += weight * value
                below = below or round(value, PRECISION) < pass_mark
            else:
                if below or (overall and round(total, PRECISION) < overall):
                    out[candidate_id] = f"did not pass the {earlier.name} stage"
    return out


_new_item = tuple.__new__

# One candidate's line before ranking, a list for speed: the rounded total first, as it
# orders the merit list, then the candidate, its items in column order, its total,
# outcome, and the failed, missing, flags and notes of CandidateResult.
ROUNDED, CANDIDATE, ITEMS, TOTAL, OUTCOME, FAILED, MISSING, FLAGS, NOTES = range(9)


def _judge(
    campaign: Campaign, columns: tuple[Column, ...], items: _Items, out_earlier: dict[str, str], overall: float
) -> tuple[list[list], list[tuple[_Panel, ...]], int]:
    """Rules 2, 4, 5 and 8 for every candidate; also each candidate's item panels (the
    empty panel where nobody scored), and how many items were scored.

    The work goes a column at a time, so that finding each item's panel and cell is a
    dictionary lookup made without a Python call. Items whose panels scored alike on the
    same column are the same cell: one ItemResult, its part of the total, its shortfall
    and its notes, made once.
    """
    candidates = campaign.candidates
    ids = [candidate.id for candidate in candidates]
    places: dict[str, list[int]] = defaultdict(list)  # a list: a campaign built unchecked may repeat an id
    for index, candidate_id in enumerate(ids):
        places[candidate_id].append(index)
    column_of = {(column.criterion.id, column.stage): index for index, column in enumerate(columns)}
    panels_get = items.panels.get
    panels_by_column: list[list[_Panel]] = []
    cells_by_column: list[list[tuple]] = []
    scored = 0
    for index, column in enumerate(columns):
        found = list(map(panels_get, zip(ids, repeat(column.criterion.id), repeat(column.stage)), repeat(_NOBODY)))
        scored += len(found) - found.count(_NOBODY)
        panels_by_column.append(found)
        cells_by_column.append(list(map(_Cells(column).__getitem__, found)))
    agreed_cells: dict[tuple, tuple] = {}
    for (candidate_id, criterion_id, stage_id), agreed in items.moderated.items():
        index = column_of.get((criterion_id, stage_id))
        if index is None:
            continue
        for place in places.get(candidate_id, ()):
            found = panels_by_column[index][place]
            cell = agreed_cells.get((index, found, agreed))
            if cell is None:
                # The rationale is the ItemResult's own; what the agreed score means is shared.
                like = agreed_cells.get((index, found, agreed[0]))
                if like is None:
                    like = agreed_cells[index, found, agreed[0]] = _cell(columns[index], found, agreed)
                item = _new_item(ItemResult, (*like[0][:6], agreed[1], like[0][7], (), False))
                cell = agreed_cells[index, found, agreed] = (item, *like[1:])
            cells_by_column[index][place] = cell

    # What a candidate needs is read from the columns without a Python call per item:
    # the items, the total (missing items add 0.0, which changes no sum) and the troubles
    # (None where an item needs no look).
    def across(part: itemgetter) -> Iterator[tuple]:
        return zip(*[map(part, cells) for cells in cells_by_column]) if columns else repeat(())

    rows = across(_ITEM)
    totals = map(sum, across(_PART))
    troubles = across(_TROUBLE)
    clean = (None,) * len(columns)
    width = len(columns)
    lines: list[list] = []
    for candidate, row, total, trouble in zip(candidates, rows, totals, troubles):
        if trouble == clean:
            failed = missing = flags = notes = ()
        else:
            short: list[str] = []
            absent: list[str] = []
            blank: list[str] = []
            wide: list[str] = []
            bits = 0
            for label, failure, item_bits, blank_note, spread_note in filter(None, trouble):
                if label is not None:
                    absent.append(label)
                    continue
                if failure is not None:
                    short.append(failure)
                bits |= item_bits
                if blank_note is not None:
                    blank.append(blank_note)
                if spread_note is not None:
                    wide.append(spread_note)
            if len(absent) == width:
                total = 0  # nothing to add up: the sum of no parts
            failed, missing, flags, notes = tuple(short), tuple(absent), _FLAGS[bits], (*blank, *wide)
        if overall and not missing and round(total, PRECISION) < overall:
            failed += (f"total {format_score(total)} < overall pass mark {format_score(overall)}",)
        if candidate.withdrawn:
            outcome: Outcome = "withdrawn"
        elif missing:
            outcome = "incomplete"
        elif failed:
            outcome = "fail"
        else:
            outcome = "pass"
        if out_earlier and outcome in {"pass", "incomplete"} and candidate.id in out_earlier:
            outcome = "fail"
            failed = (out_earlier[candidate.id], *failed)
        lines.append([round(total, PRECISION), candidate, row, total, outcome, failed, missing, flags, notes])
    return lines, list(zip(*panels_by_column)) if columns else [()] * len(candidates), scored


class _Cells(dict):
    """One column's cells by the item's panel, each made on first sight (see _Patterns)."""

    def __init__(self, column: Column) -> None:
        super().__init__()
        self.column = column

    def __missing__(self, found: _Panel) -> tuple:
        cell = self[found] = _cell(self.column, found, None)
        return cell


SPREAD, BLANK, UNMODERATED = 1, 2, 4
_FLAGS = {
    bits: tuple(flag for flag, bit in (("spread", SPREAD), ("no-evidence", BLANK), ("unmoderated-disagreement", UNMODERATED)) if bits & bit)
    for bits in range(8)
}


_ITEM, _PART, _TROUBLE = itemgetter(0), itemgetter(1), itemgetter(2)


def _cell(column: Column, found: _Panel, agreed: tuple[int, str] | None) -> tuple:
    """One item as _judge needs it: (ItemResult, its part of the total, 0.0 while missing,
    and None when it needs no look, else its trouble: (its label while missing, why it
    fails its pass mark, rule 8's flags as bits, the note on missing evidence, the note on
    its spread), each None where it does not apply)."""
    criterion = column.criterion
    label = f"{criterion.id}@{column.stage}"
    if agreed is None:
        value = found.mean
        item = _new_item(ItemResult, (criterion.id, column.stage, found.scores, value, False, found.spread, "", found.without_evidence, (), False))
    else:
        value = float(agreed[0])
        item = _new_item(
            ItemResult, (criterion.id, column.stage, found.scores, value, True, found.spread, agreed[1], found.without_evidence, (), False)
        )
    if value is None:
        return item, 0.0, (label, None, 0, None, None)
    failure = f"{criterion.name} {format_score(value)} < {criterion.pass_mark}" if round(value, PRECISION) < criterion.pass_mark else None
    bits = 0
    spread_note = blank_note = None
    if found.without_evidence:
        bits |= BLANK
        blank_note = f"no evidence from {', '.join(found.without_evidence)} on {label}"
    if found.wide:
        bits |= SPREAD if agreed is not None else SPREAD | UNMODERATED
        state = f"agreed {format_score(value)}" if agreed is not None else "not moderated"
        spread_note = f"spread {found.spread} on {label} ({state})"
    trouble = (None, failure, bits, blank_note, spread_note) if failure is not None or bits else None
    return item, criterion.weight * value, trouble


def _rank(campaign: Campaign, columns, lines: list[list], counted: bool, names_shown: bool) -> tuple[CandidateResult, ...]:
    """Rules 6 and 7: order, ranks shared by true ties, appointable and reserve."""
    tie_criteria = [criterion for criterion in _tie_criteria(campaign) if any(c.criterion.id == criterion.id for c in columns)]
    # Where each tie-break criterion's items sit among a line's items (one per counted stage).
    places = [[index for index, column in enumerate(columns) if column.criterion.id == criterion.id] for criterion in tie_criteria]

    # Passed candidates in order: total, then each tie-break criterion's agreed score
    # summed over the counted stages, highest first, then id. A passed candidate has an
    # agreed score on every column, so the sums are made by mapping, not by a loop.
    unordered = [line for line in lines if line[OUTCOME] == "pass"]
    rows = list(map(_ITEMS_OF, unordered))
    values = [
        list(map(round, map(sum, zip(*[map(_AGREED, map(itemgetter(index), rows)) for index in indexes])), repeat(PRECISION))) for indexes in places
    ]
    sort_rows = sorted(
        zip(map(neg, map(_ROUNDED_OF, unordered)), *[map(neg, column) for column in values], map(_ID, map(_CANDIDATE_OF, unordered)), count())
    )
    order = list(map(itemgetter(-1), sort_rows))
    passed = list(map(unordered.__getitem__, order))
    keys = list(zip(*[list(map(column.__getitem__, order)) for column in values])) if values else [()] * len(passed)
    ids = list(map(itemgetter(-2), sort_rows))

    # Ranks, ties and notes by id, as a person reads them (a campaign built unchecked may
    # repeat an id; its rows then share them).
    notes: dict[str, list[str]] = defaultdict(list)
    tied: set[str] = set()
    ranks: dict[str, int] = {}
    reasons: dict[tuple, tuple[str, str] | None] = {}
    totals = list(map(_ROUNDED_OF, passed))
    for position, line_id in enumerate(ids):
        if position and totals[position - 1] == totals[position]:
            previous_id = ids[position - 1]
            above, below = keys[position - 1], keys[position]
            if above == below:
                ranks[line_id] = ranks[previous_id]
                tied.update((previous_id, line_id))
            else:
                ranks[line_id] = position + 1
            reason = reasons.get((above, below), False)
            if reason is False:
                reason = reasons[above, below] = _tie_reason(above, below, tie_criteria)
            if reason:
                notes[previous_id].append(f"ranked above {line_id} on {reason[0]}")
                notes[line_id].append(f"ranked below {previous_id} on {reason[1]}")
            else:
                notes[line_id].append(f"tied with {previous_id} after every tie-break criterion")
        else:
            ranks[line_id] = position + 1

    vacancies = campaign.campaign.vacancies
    shown = _shown_name if names_shown else _shown_reference
    ordered = []
    for line_id, line in zip(ids, passed):
        rank = ranks[line_id]
        outcome: Outcome = "pass" if not counted else ("appointable" if rank <= vacancies else "reserve")
        flags = (*line[FLAGS], "unresolved-tie") if line_id in tied else line[FLAGS]
        more = notes.get(line_id)
        candidate = vars(line[CANDIDATE])
        ordered.append(
            _new_item(
                CandidateResult,
                (
                    candidate["id"],
                    shown(candidate),
                    candidate["reference"],
                    line[ITEMS],
                    line[TOTAL],
                    outcome,
                    rank,
                    line[FAILED],
                    line[MISSING],
                    flags,
                    (*more, *line[NOTES]) if more else line[NOTES],
                    (),
                    "",
                    candidate["adjustments"],
                ),
            )
        )
    rest_order: dict[str, int] = {"incomplete": 0, "fail": 1, "withdrawn": 2}
    rest = sorted(
        (line for line in lines if line[OUTCOME] != "pass"), key=lambda line: (rest_order[line[OUTCOME]], -line[ROUNDED], line[CANDIDATE].id)
    )
    for line in rest:
        candidate = vars(line[CANDIDATE])
        ordered.append(
            _new_item(
                CandidateResult,
                (
                    candidate["id"],
                    shown(candidate),
                    candidate["reference"],
                    line[ITEMS],
                    line[TOTAL],
                    line[OUTCOME],
                    None,
                    line[FAILED],
                    line[MISSING],
                    line[FLAGS],
                    line[NOTES],
                    (),
                    "",
                    candidate["adjustments"],
                ),
            )
        )
    return tuple(ordered)


_ITEMS_OF, _ROUNDED_OF, _CANDIDATE_OF = itemgetter(ITEMS), itemgetter(ROUNDED), itemgetter(CANDIDATE)
_AGREED, _ID = itemgetter(3), attrgetter("id")
_shown_name = itemgetter("name")


def _shown_reference(candidate: dict) -> str:
    """A name-blind list shows the candidate's reference, or its id when it has none."""
    return candidate["reference"] or candidate["id"]


def _tie_reason(high_key: tuple[float, ...], low_key: tuple[float, ...], tie_criteria: list[Criterion]) -> tuple[str, str] | None:
    """Words for the first criterion that separated two candidates with equal totals."""
    for criterion, high, low in zip(tie_criteria, high_key, low_key):
        if high != low:
            return (
                f"{criterion.name}, {format_score(high)} v {format_score(low)}",
                f"{criterion.name}, {format_score(low)} v {format_score(high)}",
            )
    return None


def _stage_panels(columns, stages, items: _Items, lines: list[list], visited: list[tuple[_Panel, ...]], scored: int) -> list[Sequence[_Panel]]:
    """The panels of every scored item at `stages`, a row per candidate: what calibration reads.

    The summary has looked up the panels of its own columns already (`visited`, with the
    empty panel where nobody scored, which calibration passes over; `scored` of them not
    empty); they are every item at these stages when each item was visited once and none
    was left out, which holds for any valid campaign. Otherwise every item is read again.
    """
    wanted = set(stages)
    once = len({(c.criterion.id, c.stage) for c in columns}) == len(columns) and len({line[CANDIDATE].id for line in lines}) == len(lines)
    if once and (scored == len(items.panels) or scored == sum(map(wanted.__contains__, map(_STAGE_OF_KEY, items.panels)))):
        return visited
    by_candidate: dict[str, list[_Panel]] = defaultdict(list)
    for key, panel in items.panels.items():
        if key[2] in wanted:
            by_candidate[key[0]].append(panel)
    return list(by_candidate.values())


def _calibrate(campaign: Campaign, rows: list[Sequence[_Panel]]) -> tuple[MemberCalibration, ...]:
    """Each member's calibration from each candidate's row of item panels."""
    # Items counted by their panel: a member's totals are then a few hundred additions
    # rather than a pass over every score.
    counts: dict[str, int] = defaultdict(int)
    compared: dict[str, int] = defaultdict(int)
    outliers: dict[str, int] = defaultdict(int)
    differences: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for found, times in Counter(chain.from_iterable(rows)).items():
        for assessor in found.assessors:
            counts[assessor] += times
        for assessor, difference in zip(found.compared, found.differences):
            compared[assessor] += times
            differences[assessor].append((difference, times))
        if found.outlier is not None:
            outliers[found.outlier] += times
    # On how many candidates each member could be compared with someone else.
    candidates: dict[str, int] = defaultdict(int)
    shapes = Counter(map(frozenset, map(map, repeat(_compared), rows)))
    for shape, times in shapes.items():
        for assessor in set().union(*shape):
            candidates[assessor] += times

    calibration = []
    for member in campaign.panel:
        member_id = member.id
        mean_difference = None
        if compared[member_id]:
            # fmean of every difference: fsum is exact, so their order does not matter.
            every = chain.from_iterable(repeat(value, times) for value, times in differences[member_id])
            mean_difference = fsum(every) / compared[member_id]
        tendency: Literal["lenient", "severe"] | None = None
        if mean_difference is not None and candidates[member_id] >= LENIENCY_CANDIDATES and abs(mean_difference) >= LENIENCY_DIFFERENCE:
            means = []
            for panels in rows:
                mine = [value for found in panels for assessor, value in zip(found.compared, found.differences) if assessor == member_id]
                if mine:
                    means.append(fmean(mine))
            high = sum(1 for value in means if value >= LENIENCY_DIFFERENCE)
            low = sum(1 for value in means if value <= -LENIENCY_DIFFERENCE)
            if high >= LENIENCY_CANDIDATES and mean_difference >= LENIENCY_DIFFERENCE:
                tendency = "lenient"
            elif low >= LENIENCY_CANDIDATES and mean_difference <= -LENIENCY_DIFFERENCE:
                tendency = "severe"
        calibration.append(
            MemberCalibration(
                id=member_id,
                name=member.name,
                role=member.role,
                scores=counts[member_id],
                compared=compared[member_id],
                mean_difference=mean_difference,
                outlier=outliers[member_id],
                candidates=candidates[member_id],
                tendency=tendency,
            )
        )
    return tuple(calibration)


_compared = attrgetter("compared")
