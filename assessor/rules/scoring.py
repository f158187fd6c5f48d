"""The rules of the summary: from a campaign to one `Summary`. Pure functions.

These are the rules the README states under "The summary", written once; every report
format, the command line and the app render the `Summary` this module returns.

- Rule 2, an item's agreed score: `agreed.agreed_score`, read in `_cell`.
- Rules 4 and 5, each candidate's total and outcome at a stage: `_line`;
  a candidate who failed an earlier stage did not go on (`_stopped_earlier`).
- Rules 6 and 7, merit order, shared ranks, appointable and reserve: `ranking.rank`,
  which writes each candidate's result once.
- Rule 8, the flags: `_cell` and `_line`; calibration in `calibration.py`.

The speed of a summary of thousands of candidates comes from the data, not from tricks:
the scores are grouped once by item, each distinct pattern of scores is worked out once
(`grouping.Panel`), and so is what one column says of each pattern (a `_Cell`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Literal, NamedTuple

from assessor.core.campaign import Campaign, Candidate, Item, Moderation, Stage
from assessor.core.collector import collector_paused
from assessor.rules.agreed import agreed_score
from assessor.rules.allocated import Readers, allocated_readers, second_marking
from assessor.rules.calibration import calibrate
from assessor.rules.grouping import NOBODY, Panel, ScoresByItem, grouped_scores
from assessor.rules.ranking import Line, merit_order, rank, shortlist
from assessor.rules.summary_types import (
    PRECISION,
    CandidateResult,
    Column,
    ItemResult,
    MemberCalibration,
    Outcome,
    Summary,
    format_score,
)


def is_name_blind(campaign: Campaign, stages: tuple[str, ...]) -> bool:
    """A name-blind sift: its summary shows references unless names are asked for."""
    return campaign.campaign.anonymise_sift and len(stages) == 1 and stages[0] in campaign.name_blind_stages


def columns_at(campaign: Campaign, stages: tuple[str, ...]) -> tuple[Column, ...]:
    """The (criterion, stage) pairs assessed at `stages`, stage by stage, in the campaign's order."""
    return tuple(Column(criterion, stage) for stage in stages for criterion in campaign.criteria if stage in criterion.stages)


def summarise(
    campaign: Campaign,
    stage: str | None = None,
    *,
    show_names: bool | None = None,
    grouped: ScoresByItem | None = None,
    schemes: Mapping[str, str] | None = None,
) -> Summary:
    """The summary of the campaign's counted stages (the merit list), or of one `stage`.

    `show_names=None` follows the campaign: names are hidden in a name-blind sift.
    `schemes` names the guaranteed interview schemes by id (the framework's), for the words.
    `grouped` is the campaign's scores grouped by item, if the caller keeps them; it is
    used only while it still describes the campaign, else the scores are grouped here.
    """
    stages = (stage,) if stage is not None else tuple(campaign.counted_stages)
    counted = stage is None or stages == tuple(campaign.counted_stages)
    names_shown = show_names if show_names is not None else not is_name_blind(campaign, stages)
    columns = columns_at(campaign, stages)
    with collector_paused():  # thousands of small objects, none in a cycle
        # Worked out in a call of its own, so that what it leaves behind is let go before
        # the collector wakes: the collector then reads only the summary.
        ranked, calibration = _merit_list(campaign, stages, columns, counted, names_shown, grouped, schemes or {})
    return Summary(
        campaign_id=campaign.campaign.id,
        title=campaign.campaign.title,
        stages=stages,
        counted=counted,
        columns=columns,
        candidates=ranked,
        calibration=calibration,
        vacancies=campaign.campaign.vacancies,
        names_shown=names_shown,
        second_marking=second_marking(campaign, stages),
    )


def _merit_list(
    campaign: Campaign,
    stages: tuple[str, ...],
    columns: tuple[Column, ...],
    counted: bool,
    names_shown: bool,
    grouped: ScoresByItem | None,
    schemes: Mapping[str, str],
) -> tuple[tuple[CandidateResult, ...], tuple[MemberCalibration, ...]]:
    """The candidates in merit order (rules 2 to 8), and the panel's calibration."""
    items = _Items(grouped_scores(campaign, grouped).panels, campaign.moderation, allocated_readers(campaign))
    overall = campaign.campaign.overall_pass_mark if counted else 0.0
    prepared = [_ColumnCells(column) for column in columns]
    earlier = _earlier_stages(campaign, stages)
    candidates = campaign.candidates
    lines = [_line(candidate, row, overall) for candidate, row in zip(candidates, items.rows(candidates, prepared), strict=True)]
    in_running = [index for index, candidate in enumerate(candidates) if not candidate.withdrawn]
    for index, stopped in _stopped_earlier(campaign, candidates, in_running, earlier, items, schemes).items():
        line = lines[index]
        flags = line.flags
        if any(item.scores for item in line.items):  # scored where they never went: flagged, never ranked
            flags = (*flags, "scored-after-stopping")
        if stopped.outcome == "fail":
            lines[index] = line._replace(outcome="fail", failed=(stopped.words, *line.failed), flags=flags)
        else:
            lines[index] = line._replace(outcome="not-shortlisted", reason=f"{stopped.words}: {stopped.reason}", flags=flags)
    cut = next(entry for entry in campaign.stages if entry.id == stages[0]) if len(stages) == 1 else None
    calibration = calibrate(campaign.panel, _panels_by_candidate(items.panels, stages))
    return rank(campaign, columns, lines, counted, names_shown, cut=cut, schemes=schemes), calibration


class _Cell(NamedTuple):
    """What one column says of one item: its result, and what it brings to the candidate's line."""

    item: ItemResult
    label: str
    """`criterion@stage`, as the summary names a missing item."""
    part: float | None
    """Weight x agreed score: the item's part of the total (rule 5); None while nobody has scored."""
    failure: str | None
    """Why the agreed score misses the pass mark (`Leadership 3.5 < 4`), if it does."""
    evidence_note: str | None
    spread_note: str | None


def _cell(column: Column, panel: Panel, moderation: Moderation | None, awaiting: tuple[str, ...] = ()) -> _Cell:
    """One item as the rules read it: its agreed score (rule 2), its part of the total, its flags.
    An item of an allocated stage waits for every reader allocated to it (`awaiting`), unless the
    chair has agreed a score."""
    criterion = column.criterion
    label = f"{criterion.id}@{column.stage}"
    mean = panel.mean if not awaiting else None
    value = agreed_score(mean, moderation.score if moderation is not None else None)
    item = ItemResult(
        criterion=criterion.id,
        stage=column.stage,
        scores=panel.scores,
        agreed=value,
        moderated=moderation is not None,
        spread=panel.spread,
        rationale=moderation.rationale if moderation is not None else "",
        without_evidence=panel.without_evidence,
        awaiting=awaiting if moderation is None else (),
    )
    if value is None:
        return _Cell(item, label, None, None, None, None)
    failure = None
    if round(value, PRECISION) < criterion.pass_mark:
        failure = f"{criterion.name} {format_score(value)} < {criterion.pass_mark}"
    evidence_note = f"no evidence from {', '.join(panel.without_evidence)} on {label}" if panel.without_evidence else None
    spread_note = None
    if panel.wide:
        state = f"agreed {format_score(value)}" if moderation is not None else "not moderated"
        spread_note = f"spread {panel.spread} on {label} ({state})"
    return _Cell(item, label, criterion.weight * value, failure, evidence_note, spread_note)


class _ColumnCells:
    """One column's cells, each worked out once: items of this column whose panels scored
    alike, and whose agreed scores (if any) were recorded alike, read the same."""

    __slots__ = ("column", "criterion", "stage", "known", "agreed", "waiting")

    def __init__(self, column: Column) -> None:
        self.column = column
        self.criterion = column.criterion.id
        self.stage = column.stage
        self.known: dict[Panel, _Cell] = {}
        self.agreed: dict[tuple[Panel, int, str], _Cell] = {}
        self.waiting: dict[tuple[Panel, frozenset[str]], _Cell] = {}

    def waiting_cell(self, panel: Panel, readers: frozenset[str]) -> _Cell:
        """The cell of an item of an allocated stage whose readers have not all scored it."""
        key = (panel, readers)
        found = self.waiting.get(key)
        if found is None:
            awaiting = tuple(sorted(readers.difference(panel.scores)))
            found = self.waiting[key] = _cell(self.column, panel, None, awaiting)
        return found

    def cell(self, panel: Panel, moderation: Moderation | None) -> _Cell:
        """The cell of an item with this panel and this agreed score."""
        if moderation is None:
            found = self.known.get(panel)
            if found is None:
                found = self.known[panel] = _cell(self.column, panel, None)
            return found
        key = (panel, moderation.score, moderation.rationale)
        found = self.agreed.get(key)
        if found is None:
            found = self.agreed[key] = _cell(self.column, panel, moderation)
        return found


class _Items:
    """The campaign's items as one summary reads them: each item's panel and agreed score."""

    def __init__(self, panels: dict[Item, Panel], moderation: list[Moderation], readers: dict[str, Readers]) -> None:
        self.panels = panels
        self.moderated = {agreed.item: agreed for agreed in moderation}  # the last one recorded counts
        self.readers = readers
        """Allocated stages' readers by candidate, by stage."""

    def rows(self, candidates: list[Candidate], columns: list[_ColumnCells]) -> list[tuple[_Cell, ...]]:
        """Each candidate's cell in each column, worked out a column at a time."""
        ids = [candidate.id for candidate in candidates]
        by_column = [self._column(ids, column) for column in columns]
        return list(zip(*by_column, strict=True)) if columns else [()] * len(ids)

    def _column(self, ids: list[str], column: _ColumnCells) -> list[_Cell]:
        panels, moderated, criterion, stage = self.panels, self.moderated, column.criterion, column.stage
        readers = self.readers.get(stage)
        found = []
        for candidate in ids:
            item = (candidate, criterion, stage)
            panel = panels.get(item, NOBODY)
            moderation = moderated.get(item)
            if readers is not None and moderation is None:
                allocated = readers.get(candidate)
                if allocated is not None and not allocated.issubset(panel.scores):
                    found.append(column.waiting_cell(panel, allocated))
                    continue
            # The usual case (no agreed score, a cell already worked out) found here, without a
            # call: this loop runs for every candidate and column.
            known = column.known.get(panel) if moderation is None else None
            found.append(known if known is not None else column.cell(panel, moderation))
        return found


def _line(candidate: Candidate, cells: tuple[_Cell, ...], overall: float) -> Line:
    """The candidate's total of the scored items, what is missing, what fails, their outcome,
    and the flags with their notes."""
    total: float = 0
    missing: list[str] = []
    failed: list[str] = []
    evidence_notes: list[str] = []
    spread_notes: list[str] = []
    unmoderated = False
    for cell in cells:
        if cell.part is None:
            missing.append(cell.label)
            continue
        total += cell.part
        if cell.failure is not None:
            failed.append(cell.failure)
        if cell.evidence_note is not None:
            evidence_notes.append(cell.evidence_note)
        if cell.spread_note is not None:
            spread_notes.append(cell.spread_note)
            unmoderated = unmoderated or not cell.item.moderated
    if not missing and _below_overall(total, overall):
        failed.append(f"total {format_score(total)} < overall pass mark {format_score(overall)}")
    outcome: Outcome = "withdrawn" if candidate.withdrawn else "incomplete" if missing else "fail" if failed else "pass"
    flags = []
    if spread_notes:
        flags.append("spread")
    if evidence_notes:
        flags.append("no-evidence")
    if unmoderated:
        flags.append("unmoderated-disagreement")
    items = tuple([cell.item for cell in cells])
    return Line(candidate, items, total, outcome, tuple(missing), tuple(failed), tuple(flags), (*evidence_notes, *spread_notes))


_Earlier = tuple[Stage, list[_ColumnCells], float]
"""A stage before the summarised ones, its columns, and the overall pass mark it is held to."""


class Stopped(NamedTuple):
    """Where and why a candidate did not go on: failed a stage, or below its shortlist cut (rule 4)."""

    stage: Stage
    outcome: Literal["fail", "not-shortlisted"]
    reason: str = ""
    """For a cut, why in words: `below the shortlist of 12: rank 14, total 21 against 23`."""

    @property
    def words(self) -> str:
        """`did not pass the Sift stage`, `not shortlisted at the Sift stage`."""
        if self.outcome == "fail":
            return f"did not pass the {self.stage.name} stage"
        return f"not shortlisted at the {self.stage.name} stage"


def stopped_before(
    campaign: Campaign,
    stages: tuple[str, ...],
    *,
    among: Collection[str] | None = None,
    grouped: ScoresByItem | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Stopped]:
    """Every candidate who did not go on from a stage before `stages` (rule 4: failed it on their
    own scores, or fell below its shortlist cut), with the first such stage, whatever their
    scores at `stages` say. `among` keeps to those earlier stages (the ones already decided,
    say, for what the whole panel may know); `only` asks about these candidates alone,
    grouping just their scores if no grouping is given and no earlier stage has a cut (a cut
    ranks everyone)."""
    earlier = [entry for entry in _earlier_stages(campaign, stages) if among is None or entry[0].id in among]
    if not earlier:
        return {}
    cuts = any(stage.has_cut for stage, _, _ in earlier)
    if only is not None and grouped is None and not cuts:
        wanted = set(only)
        grouped = ScoresByItem(campaign.model_copy(update={"scores": [score for score in campaign.scores if score.candidate in wanted]}))
    else:
        grouped = grouped_scores(campaign, grouped)
    items = _Items(grouped.panels, campaign.moderation, allocated_readers(campaign))
    candidates = campaign.candidates
    asked = [index for index, candidate in enumerate(candidates) if not candidate.withdrawn and (only is None or cuts or candidate.id in only)]
    found = _stopped_earlier(campaign, candidates, asked, earlier, items, {})
    wanted_ids = set(only) if only is not None else None
    return {candidates[index].id: stopped for index, stopped in found.items() if wanted_ids is None or candidates[index].id in wanted_ids}


def _earlier_stages(campaign: Campaign, stages: tuple[str, ...]) -> list[_Earlier]:
    """The stages before the summarised ones (e.g. the sift before the interview)."""
    order = [stage.id for stage in campaign.stages]
    first = min(order.index(stage) for stage in stages) if stages else 0
    earlier = []
    for stage in campaign.stages[:first]:
        # The overall pass mark is for the merit list's total, not for one earlier stage's.
        overall = campaign.campaign.overall_pass_mark if (stage.id,) == tuple(campaign.counted_stages) else 0.0
        earlier.append((stage, [_ColumnCells(column) for column in columns_at(campaign, (stage.id,))], overall))
    return earlier


def _stopped_earlier(
    campaign: Campaign, candidates: list[Candidate], in_running: list[int], earlier: list[_Earlier], items: _Items, schemes: Mapping[str, str]
) -> dict[int, Stopped]:
    """Of the candidates in the running (by place in `candidates`), those who did not go on from an
    earlier stage, with the first such stage and why: they failed it on their own scores, or
    (at a stage with a shortlist cut, which ranks everyone still in it) fell below the cut;
    whatever the later stages say (rule 4)."""
    stopped: dict[int, Stopped] = {}
    for stage, columns, overall in earlier:
        waiting = [index for index in in_running if index not in stopped]
        rows = items.rows([candidates[index] for index in waiting], columns)
        if not stage.has_cut:
            for index, row in zip(waiting, rows, strict=True):
                if _failed(row, overall):
                    stopped[index] = Stopped(stage, "fail")
            continue
        lines = [_line(candidates[index], row, overall) for index, row in zip(waiting, rows, strict=True)]
        decisions = shortlist(stage, merit_order(campaign, tuple(column.column for column in columns), lines), schemes)
        for index, line in zip(waiting, lines, strict=True):
            if line.outcome == "fail":
                stopped[index] = Stopped(stage, "fail")
                continue
            decision = decisions.get(line.candidate.id)
            if decision is not None and decision.outcome == "not-shortlisted":
                stopped[index] = Stopped(stage, "not-shortlisted", decision.reason)
    return stopped


def _below_overall(total: float, overall: float) -> bool:
    """Rule 4's overall mark: a stage's total below it, where it is set."""
    return bool(overall) and round(total, PRECISION) < overall


def _failed(cells: tuple[_Cell, ...], overall: float) -> bool:
    """Rule 4 at a stage, as `_line` applies it, without the words: every item scored, and
    one below its pass mark or the total below the overall mark. (Withdrawn candidates are
    never asked: they do not go on.)"""
    total: float = 0
    below = False
    for cell in cells:
        if cell.part is None:
            return False  # incomplete, not failed
        total += cell.part
        below = below or cell.failure is not None
    return below or _below_overall(total, overall)


def _panels_by_candidate(panels: dict[Item, Panel], stages: tuple[str, ...]) -> list[list[Panel]]:
    """The panels of every scored item at `stages`, a list per candidate: what calibration reads."""
    by_candidate: dict[str, list[Panel]] = defaultdict(list)
    for (candidate, _criterion, stage), panel in panels.items():
        if stage in stages:
            by_candidate[candidate].append(panel)
    return list(by_candidate.values())
