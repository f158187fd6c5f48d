"""The rules of the summary: from a campaign to one `Summary`. Pure functions.

These are the rules docs/chair.md states under "The merit list: the rules of the summary", written once; every report
format, the command line and the app render the `Summary` this module returns.

- Rule 2, an item's agreed score: `agreed.agreed_score`, read in `cells.item_cell`
  (only the chair's in a consensus campaign's counted stages).
- Rules 4 and 5, each candidate's total and outcome at a stage: `cells.judge_line`; who
  did not go on from an earlier stage (failed it, or below its cut): `_stopped_earlier`.
- Rules 4, 6 and 7, the shortlist cut, merit order, shared ranks, appointable and reserve:
  `ranking.rank`, which writes each candidate's result once.
- Rule 8, the flags: `cells`; calibration in `calibration.py`, second marking in `allocated.py`.

The speed of a summary of thousands of candidates comes from the data, not from tricks:
the scores are grouped once by item, each distinct pattern of scores is worked out once
(`grouping.Panel`), and so is what one column says of each pattern (a `Cell`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Literal, NamedTuple

from assessor.core.campaign import Campaign, Candidate, Item, Stage
from assessor.core.collector import collector_paused
from assessor.core.decisions import StageResult
from assessor.rules.allocated import allocated_readers, second_markers, second_marking
from assessor.rules.calibration import calibrate
from assessor.rules.cells import ColumnCells, Items, consensus_stages, failed_at, judge_line
from assessor.rules.decided import as_recorded, goes_on, results_by_candidate
from assessor.rules.grouping import Panel, ScoresByItem, grouped_scores
from assessor.rules.ranking import merit_order, rank, shortlist
from assessor.rules.summary_types import (
    GOES_ON,
    CandidateResult,
    Column,
    MemberCalibration,
    Summary,
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
    items = Items(grouped_scores(campaign, grouped).panels, campaign.moderation, allocated_readers(campaign), second_markers(campaign))
    overall = campaign.campaign.overall_pass_mark if counted else 0.0
    consensus = consensus_stages(campaign)
    prepared = [ColumnCells(column, column.stage in consensus) for column in columns]
    earlier = _earlier_stages(campaign, stages)
    candidates = campaign.candidates
    lines = [judge_line(candidate, row, overall) for candidate, row in zip(candidates, items.rows(candidates, prepared), strict=True)]
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
    ranked = rank(campaign, columns, lines, counted, names_shown, cut=cut, schemes=schemes)
    decision = campaign.decision_at(stages[0]) if len(stages) == 1 and not counted else None
    if decision is not None:
        ranked = _as_decided(ranked, results_by_candidate(decision))
    return ranked, calibration


def put_through_now(campaign: Campaign, stage: str, schemes: Mapping[str, str] | None = None) -> list[str]:
    """Candidates a decided `stage` did not put through whom its scores as they stand now would:
    after a correction, those the chair may invite on late (`changes.decisions.reinstate`).
    Nobody who went on is ever taken out by a correction, so only this way round is asked."""
    record = campaign.decision_at(stage)
    if record is None:
        return []
    recorded = results_by_candidate(record)
    undecided = campaign.model_copy(update={"decisions": [row for row in campaign.decisions if row.stage != stage]})
    now = summarise(undecided, stage, schemes=schemes).candidates
    return [line.id for line in now if line.outcome in GOES_ON and line.id in recorded and not goes_on(recorded[line.id])]


def _as_decided(ranked: tuple[CandidateResult, ...], recorded: Mapping[str, StageResult]) -> tuple[CandidateResult, ...]:
    """A decided stage's summary as the chair decided it: each recorded candidate's outcome, rank,
    total and reason from the record, those who went on first in their recorded order."""
    lines = [as_recorded(line, recorded[line.id]) if line.id in recorded else line for line in ranked]
    went_on = sorted((line for line in lines if line.outcome in GOES_ON), key=lambda line: (line.rank is None, line.rank or 0))
    return (*went_on, *(line for line in lines if line.outcome not in GOES_ON))


_Earlier = tuple[Stage, list[ColumnCells], float]
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
    items = Items(grouped.panels, campaign.moderation, allocated_readers(campaign), second_markers(campaign))
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
        consensus = stage.id in consensus_stages(campaign)
        earlier.append((stage, [ColumnCells(column, consensus) for column in columns_at(campaign, (stage.id,))], overall))
    return earlier


def _stopped_earlier(
    campaign: Campaign, candidates: list[Candidate], in_running: list[int], earlier: list[_Earlier], items: Items, schemes: Mapping[str, str]
) -> dict[int, Stopped]:
    """Of the candidates in the running (by place in `candidates`), those who did not go on from an
    earlier stage, with the first such stage and why: they failed it on their own scores, or
    (at a stage with a shortlist cut, which ranks everyone still in it) fell below the cut;
    whatever the later stages say (rule 4)."""
    stopped: dict[int, Stopped] = {}
    for stage, columns, overall in earlier:
        waiting = [index for index in in_running if index not in stopped]
        record = campaign.decision_at(stage.id)
        if record is not None:
            # Decided: who went on is the record's. Someone added since is held to the stage's minimum alone.
            recorded = results_by_candidate(record)
            unrecorded = []
            for index in waiting:
                result = recorded.get(candidates[index].id)
                if result is None:
                    unrecorded.append(index)
                elif not goes_on(result):
                    stopped[index] = _recorded_stop(stage, result)
            for index, row in zip(unrecorded, items.rows([candidates[index] for index in unrecorded], columns), strict=True):
                if failed_at(row, overall):
                    stopped[index] = Stopped(stage, "fail")
            continue
        rows = items.rows([candidates[index] for index in waiting], columns)
        if not stage.has_cut:
            for index, row in zip(waiting, rows, strict=True):
                if failed_at(row, overall):
                    stopped[index] = Stopped(stage, "fail")
            continue
        lines = [judge_line(candidates[index], row, overall) for index, row in zip(waiting, rows, strict=True)]
        decisions = shortlist(stage, merit_order(campaign, tuple(column.column for column in columns), lines), schemes)
        for index, line in zip(waiting, lines, strict=True):
            if line.outcome == "fail":
                stopped[index] = Stopped(stage, "fail")
                continue
            decision = decisions.get(line.candidate.id)
            if decision is not None and decision.outcome == "not-shortlisted":
                stopped[index] = Stopped(stage, "not-shortlisted", decision.reason)
    return stopped


def _recorded_stop(stage: Stage, result: StageResult) -> Stopped:
    """Where a recorded result that did not go on leaves the candidate."""
    if result.outcome == "fail":
        return Stopped(stage, "fail")
    if result.outcome == "withdrawn":
        return Stopped(stage, "not-shortlisted", "withdrawn when the stage was decided")
    return Stopped(stage, "not-shortlisted", result.reason or "")


def _panels_by_candidate(panels: dict[Item, Panel], stages: tuple[str, ...]) -> list[list[Panel]]:
    """The panels of every scored item at `stages`, a list per candidate: what calibration reads."""
    by_candidate: dict[str, list[Panel]] = defaultdict(list)
    for (candidate, _criterion, stage), panel in panels.items():
        if stage in stages:
            by_candidate[candidate].append(panel)
    return list(by_candidate.values())
