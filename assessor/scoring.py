"""The panel's arithmetic: from a campaign to one summary object. Pure functions.

The rules (DESIGN.md, "Rules of the summary") live here and nowhere else; every report
format, the CLI and the app render the `Summary` this module returns.

- The agreed score of an item (candidate, criterion, stage) is the chair's moderated
  score if recorded, else the mean of the panel's scores, marked unmoderated.
- Total = sum of weight x agreed score over the counted items.
- A candidate passes when every counted item reaches its criterion's pass mark and the
  total reaches the overall pass mark (if set); is incomplete while a counted item has no
  score; otherwise fails.
- Passed candidates are ordered by total; ties are broken by the lead criterion, then the
  campaign's tie-break criteria in order; a tie left after that shares the rank and is
  flagged. The first `vacancies` ranks are appointable, the rest reserve.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import chain, repeat
from math import fsum
from operator import attrgetter
from statistics import fmean
from typing import Literal

from assessor.collector import collector_paused
from assessor.model import Campaign, Criterion, Moderation, Score

from assessor.summary_model import (  # noqa: F401  (re-exported: callers import these from scoring)
    Outcome,
    SPREAD_FLAG,
    LENIENCY_DIFFERENCE,
    LENIENCY_CANDIDATES,
    PRECISION,
    FLAG_WORDS,
    Column,
    ItemResult,
    CandidateResult,
    MemberCalibration,
    Summary,
    format_score,
)

def agreed_score(scores: list[int], moderation: Moderation | None) -> float | None:
    """Rule 2: the moderated score where recorded, else the panel's mean."""
    if moderation is not None:
        return float(moderation.score)
    # Whole numbers: the sum is exact, so one division gives the same float as fmean.
    return sum(scores) / len(scores) if scores else None


def is_name_blind(campaign: Campaign, stages: tuple[str, ...]) -> bool:
    """A name-blind sift: its summary shows references unless names are asked for."""
    return campaign.campaign.anonymise_sift and stages == (campaign.sift_stage,)


ScoresByItem = dict[tuple[str, str, str], list[Score]]


def scores_by_item(campaign: Campaign) -> ScoresByItem:
    """Every score grouped by (candidate, criterion, stage), each group in panel order."""
    by_item: ScoresByItem = defaultdict(list)
    for score in campaign.scores:
        by_item[(score.candidate, score.criterion, score.stage)].append(score)
    panel_order = {member.id: index for index, member in enumerate(campaign.panel)}
    last = len(panel_order)

    def position(row: Score) -> int:
        return panel_order.get(row.assessor, last)

    for rows in by_item.values():
        if len(rows) > 1:
            rows.sort(key=position)
    return by_item


def summarise(campaign: Campaign, stage: str | None = None, *, show_names: bool | None = None) -> Summary:
    """The summary of the campaign's counted stages, or of one `stage`.

    `show_names=None` follows the campaign: names are hidden in a name-blind sift.
    """
    stages = (stage,) if stage is not None else tuple(campaign.counted_stages)
    counted = stage is None or stages == tuple(campaign.counted_stages)
    names_shown = show_names if show_names is not None else not is_name_blind(campaign, stages)
    columns = tuple(
        Column(criterion, stage_id) for stage_id in stages for criterion in campaign.criteria if stage_id in criterion.stages
    )
    info = campaign.campaign
    with collector_paused():  # hundreds of thousands of tuples, none in a cycle
        items = _Items(campaign)
        out_earlier = _failed_earlier_stage(campaign, stages, items)
        lines, visited = _judge(campaign, columns, items, out_earlier, info.overall_pass_mark if counted else 0)
        return Summary(
            campaign_id=info.id,
            title=info.title,
            stages=stages,
            counted=counted,
            columns=columns,
            candidates=_rank(campaign, columns, lines, counted, names_shown),
            calibration=_calibrate(campaign, _stage_panels(campaign, columns, stages, items, lines, visited)),
            vacancies=info.vacancies,
            names_shown=names_shown,
        )


# How the summary is computed. A summary of thousands of candidates must come in a
# fraction of a second, so the work per score is one dictionary lookup: the scores are
# grouped by item in one pass, and each item's panel (who scored what, with or without
# evidence) is worked out once per distinct pattern, of which there are a few hundred
# however many candidates there are. tests/scoring_reference.py holds the rules written
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


class _Items:
    """Every scored item of a campaign, grouped in one pass over its scores."""

    def __init__(self, campaign: Campaign) -> None:
        # (candidate, criterion, stage) -> (assessor, score, blank evidence, ...) one
        # score after another: a tuple, so it is also the key of the item's _Panel.
        groups: dict[tuple[str, str, str], tuple] = {}
        get = groups.get
        for row in map(vars, campaign.scores):  # the fields, without pydantic's attribute hook
            key = (row["candidate"], row["criterion"], row["stage"])
            evidence = row["evidence"]
            # Score.has_evidence written out: this loop runs once per score, 90,000 times at 5,000×6×3.
            groups[key] = get(key, ()) + (row["assessor"], row["score"], not evidence or evidence.isspace())
        patterns = _Patterns({member.id: index for index, member in enumerate(campaign.panel)})
        self.panels: dict[tuple[str, str, str], _Panel] = dict(zip(groups, map(patterns.__getitem__, groups.values())))
        """(candidate, criterion, stage) -> what the panel's scores on that item say."""
        # (candidate, criterion, stage) -> (agreed score, rationale); the last one recorded counts.
        self.moderated: dict[tuple[str, str, str], tuple[int, str]] = {
            (row["candidate"], row["criterion"], row["stage"]): (row["score"], row["rationale"]) for row in map(vars, campaign.moderation)
        }

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
        for candidate in campaign.candidates:
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


def _judge(campaign: Campaign, columns: tuple[Column, ...], items: _Items, out_earlier: dict[str, str], overall: float) -> tuple[list[list], list[list[_Panel]]]:
    """Rules 2, 4, 5 and 8 for every candidate; also each candidate's item panels.

    Items whose panels scored alike on the same column are the same ItemResult, so each
    is made once, with its part of the total, its shortfall and its notes (a cell).
    """
    panels_get = items.panels.get
    moderated_get = items.moderated.get
    moderated_candidates = {key[0] for key in items.moderated}
    width = len(columns)
    plan = [(index, c.criterion.id, c.stage, f"{c.criterion.id}@{c.stage}") for index, c in enumerate(columns)]
    nobody = [_cell(column, _NOBODY, None) for column in columns]
    agreed_cells: dict[tuple, tuple] = {}
    lines: list[list] = []
    visited: list[list[_Panel]] = []
    for candidate in campaign.candidates:
        candidate_id = candidate.id
        moderated = candidate_id in moderated_candidates
        row = []
        panels = []
        total = 0
        failed = []
        missing = []
        flagged = []
        for index, criterion_id, stage_id, label in plan:
            key = (candidate_id, criterion_id, stage_id)
            found = panels_get(key)
            if found is None:
                found = _NOBODY
            else:
                panels.append(found)
            agreed = moderated_get(key) if moderated else None
            if agreed is not None:
                look = (index, found, agreed)
                cell = agreed_cells.get(look)
                if cell is None:
                    cell = agreed_cells[look] = _cell(columns[index], found, agreed)
            elif found is _NOBODY:
                cell = nobody[index]
            else:
                cells = found.cells
                if cells is None:
                    cells = found.cells = [None] * width
                cell = cells[index]
                if cell is None:
                    cell = cells[index] = _cell(columns[index], found, None)
            item, part, failure, flags, _, _ = cell
            row.append(item)
            if part is None:
                missing.append(label)
                continue
            total += part
            if failure is not None:
                failed.append(failure)
            if flags:
                flagged.append(cell)
        visited.append(panels)
        if overall and not missing and round(total, PRECISION) < overall:
            failed.append(f"total {format_score(total)} < overall pass mark {format_score(overall)}")
        if candidate.withdrawn:
            outcome: Outcome = "withdrawn"
        elif missing:
            outcome = "incomplete"
        elif failed:
            outcome = "fail"
        else:
            outcome = "pass"
        if out_earlier and outcome in {"pass", "incomplete"} and candidate_id in out_earlier:
            outcome = "fail"
            failed.insert(0, out_earlier[candidate_id])
        flags, notes = _flags(flagged) if flagged else ((), ())
        lines.append([round(total, PRECISION), candidate, tuple(row), total, outcome, tuple(failed), tuple(missing), flags, notes])
    return lines, visited


SPREAD, BLANK, UNMODERATED = 1, 2, 4
_FLAGS = {
    bits: tuple(flag for flag, bit in (("spread", SPREAD), ("no-evidence", BLANK), ("unmoderated-disagreement", UNMODERATED)) if bits & bit)
    for bits in range(8)
}


def _cell(column: Column, found: _Panel, agreed: tuple[int, str] | None) -> tuple:
    """One item as _judge needs it: (ItemResult, its part of the total or None while
    missing, why it fails its pass mark or None, rule 8's flags as bits, the note on
    missing evidence, the note on its spread)."""
    criterion = column.criterion
    if agreed is None:
        value = found.mean
        item = _new_item(ItemResult, (criterion.id, column.stage, found.scores, value, False, found.spread, "", found.without_evidence))
    else:
        value = float(agreed[0])
        item = _new_item(ItemResult, (criterion.id, column.stage, found.scores, value, True, found.spread, agreed[1], found.without_evidence))
    if value is None:
        return item, None, None, 0, None, None
    failure = f"{criterion.name} {format_score(value)} < {criterion.pass_mark}" if round(value, PRECISION) < criterion.pass_mark else None
    bits = 0
    spread_note = blank_note = None
    if found.without_evidence:
        bits |= BLANK
        blank_note = f"no evidence from {', '.join(found.without_evidence)} on {criterion.id}@{column.stage}"
    if found.wide:
        bits |= SPREAD if agreed is not None else SPREAD | UNMODERATED
        state = f"agreed {format_score(value)}" if agreed is not None else "not moderated"
        spread_note = f"spread {found.spread} on {criterion.id}@{column.stage} ({state})"
    return item, criterion.weight * value, failure, bits, blank_note, spread_note


def _flags(cells: list[tuple]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rule 8 for one candidate's flagged items: flags, and notes saying which items and why."""
    bits = 0
    for cell in cells:
        bits |= cell[3]
    if not bits & BLANK:
        return _FLAGS[bits], tuple([cell[5] for cell in cells])
    if not bits & SPREAD:
        return _FLAGS[bits], tuple([cell[4] for cell in cells])
    return _FLAGS[bits], (*[cell[4] for cell in cells if cell[4] is not None], *[cell[5] for cell in cells if cell[5] is not None])


def _tie_criteria(campaign: Campaign) -> list[Criterion]:
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


def _rank(campaign: Campaign, columns, lines: list[list], counted: bool, names_shown: bool) -> tuple[CandidateResult, ...]:
    """Rules 6 and 7: order, ranks shared by true ties, appointable and reserve."""
    tie_criteria = [criterion for criterion in _tie_criteria(campaign) if any(c.criterion.id == criterion.id for c in columns)]
    # Where each tie-break criterion's items sit among a line's items (one per counted stage).
    places = [[index for index, column in enumerate(columns) if column.criterion.id == criterion.id] for criterion in tie_criteria]
    single = [indexes[0] for indexes in places] if all(len(indexes) == 1 for indexes in places) else None

    # Ordered by total; only candidates with equal totals need the tie-break criteria:
    # their agreed scores on each, summed over the counted stages, follow in a tuple.
    passed = sorted((line for line in lines if line[OUTCOME] == "pass"), key=lambda line: (-line[ROUNDED], line[CANDIDATE].id))
    keys: list[tuple[float, ...] | None] = [None] * len(passed)
    start = 0
    while start < len(passed):
        total = passed[start][ROUNDED]
        end = start + 1
        while end < len(passed) and passed[end][ROUNDED] == total:
            end += 1
        if end - start > 1:
            if single:  # one counted stage: the sum of one agreed score is that score
                run = [(tuple([round(line[ITEMS][index][3] or 0.0, PRECISION) for index in single]), line) for line in passed[start:end]]
            else:
                run = [
                    (tuple([round(sum([line[ITEMS][index].agreed or 0.0 for index in indexes]), PRECISION) for indexes in places]), line)
                    for line in passed[start:end]
                ]
            if places:
                run.sort(key=lambda pair: (tuple([-value for value in pair[0]]), pair[1][CANDIDATE].id))
            keys[start:end] = [key for key, _ in run]
            passed[start:end] = [line for _, line in run]
        start = end

    ids = [line[CANDIDATE].id for line in passed]
    notes: dict[str, list[str]] = defaultdict(list)
    tied: set[str] = set()
    ranks: dict[str, int] = {}
    reasons: dict[tuple, tuple[str, str] | None] = {}
    for position, line_id in enumerate(ids):
        if position and passed[position - 1][ROUNDED] == passed[position][ROUNDED]:
            previous_id = ids[position - 1]
            above, below = keys[position - 1], keys[position]
            if above == below:
                ranks[line_id] = ranks[previous_id]
                tied.update({previous_id, line_id})
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
    ordered = []
    for line_id, line in zip(ids, passed):
        rank = ranks[line_id]
        outcome: Outcome = "pass" if not counted else ("appointable" if rank <= vacancies else "reserve")
        flags = (*line[FLAGS], "unresolved-tie") if line_id in tied else line[FLAGS]
        ordered.append(_result(line, rank, outcome, flags, (*notes[line_id], *line[NOTES]) if line_id in notes else line[NOTES], names_shown))
    rest_order: dict[str, int] = {"incomplete": 0, "fail": 1, "withdrawn": 2}
    rest = sorted((line for line in lines if line[OUTCOME] != "pass"), key=lambda line: (rest_order[line[OUTCOME]], -line[ROUNDED], line[CANDIDATE].id))
    ordered += [_result(line, None, line[OUTCOME], line[FLAGS], line[NOTES], names_shown) for line in rest]
    return tuple(ordered)


def _result(line: list, rank: int | None, outcome: Outcome, flags: tuple[str, ...], notes: tuple[str, ...], names_shown: bool) -> CandidateResult:
    candidate = vars(line[CANDIDATE])
    shown = candidate["name"] if names_shown else (candidate["reference"] or candidate["id"])
    return _new_item(
        CandidateResult,
        (candidate["id"], shown, candidate["reference"], line[ITEMS], line[TOTAL], outcome, rank, line[FAILED], line[MISSING], flags, notes, candidate["adjustments"]),
    )


def _tie_reason(high_key: tuple[float, ...], low_key: tuple[float, ...], tie_criteria: list[Criterion]) -> tuple[str, str] | None:
    """Words for the first criterion that separated two candidates with equal totals."""
    for criterion, high, low in zip(tie_criteria, high_key, low_key):
        if high != low:
            return (
                f"{criterion.name}, {format_score(high)} v {format_score(low)}",
                f"{criterion.name}, {format_score(low)} v {format_score(high)}",
            )
    return None


def calibrate(campaign: Campaign, stages: tuple[str, ...]) -> tuple[MemberCalibration, ...]:
    """Rule 8's third flag: each member's scores against the panel's mean on the same items."""
    with collector_paused():
        items = _Items(campaign)
        return _calibrate(campaign, _stage_panels(campaign, (), stages, items, [], []))


def _stage_panels(campaign: Campaign, columns, stages, items: _Items, lines: list[list], visited: list[list[_Panel]]) -> dict[str, list[_Panel]]:
    """The panels of every scored item at `stages`, by candidate: what calibration reads.

    The summary has looked up the panels of its own columns already; they are every item
    at these stages when each item was visited once and none was left out, which holds
    for any valid campaign. Otherwise every item is read again.
    """
    wanted = set(stages)
    found = sum(map(len, visited))
    once = len({(c.criterion.id, c.stage) for c in columns}) == len(columns) and len({line[CANDIDATE].id for line in lines}) == len(lines)
    if once and (found == len(items.panels) or found == sum(1 for key in items.panels if key[2] in wanted)):
        return {line[CANDIDATE].id: panels for line, panels in zip(lines, visited) if panels}
    by_candidate: dict[str, list[_Panel]] = defaultdict(list)
    for key, panel in items.panels.items():
        if key[2] in wanted:
            by_candidate[key[0]].append(panel)
    return by_candidate


def _calibrate(campaign: Campaign, by_candidate: dict[str, list[_Panel]]) -> tuple[MemberCalibration, ...]:
    # Items counted by their panel: a member's totals are then a few hundred additions
    # rather than a pass over every score.
    counts: dict[str, int] = defaultdict(int)
    compared: dict[str, int] = defaultdict(int)
    outliers: dict[str, int] = defaultdict(int)
    differences: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for found, times in Counter(chain.from_iterable(by_candidate.values())).items():
        for assessor in found.assessors:
            counts[assessor] += times
        for assessor, difference in zip(found.compared, found.differences):
            compared[assessor] += times
            differences[assessor].append((difference, times))
        if found.outlier is not None:
            outliers[found.outlier] += times
    # On how many candidates each member could be compared with someone else.
    candidates: dict[str, int] = defaultdict(int)
    shapes = Counter([frozenset(map(_compared, panels)) for panels in by_candidate.values()])
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
            for panels in by_candidate.values():
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
