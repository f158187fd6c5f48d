"""Each item of a summary as the rules read it, and each candidate's line of them (rules 2, 4, 5, 8).

An item's agreed score (rule 2, `agreed.agreed_score`), its part of the total, whether it
fails its pass mark, and its flags are worked out once per distinct pattern of scores in a
column (`ColumnCells`); a candidate's line adds their cells up (`judge_line`). `scoring`
puts the lines together into a summary.
"""

from __future__ import annotations

from typing import NamedTuple

from assessor.core.campaign import Campaign, Candidate, Item, Moderation
from assessor.rules.agreed import agreed_score, panel_mean
from assessor.rules.allocated import Readers
from assessor.rules.grouping import NOBODY, Panel
from assessor.rules.ranking import Line
from assessor.rules.summary_types import PRECISION, Column, ItemResult, Outcome, format_score


class Cell(NamedTuple):
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


def consensus_stages(campaign: Campaign) -> set[str]:
    """The stages whose items take only the chair's agreed score (rule 2): the counted ones, in a
    consensus campaign. (A sift before them is read on the panel's mean: thousands of items.)"""
    return set(campaign.counted_stages) if campaign.campaign.agreed_scores == "consensus" else set()


def item_cell(
    column: Column,
    panel: Panel,
    moderation: Moderation | None,
    awaiting: tuple[str, ...] = (),
    consensus: bool = False,
    counted: frozenset[str] | None = None,
) -> Cell:
    """One item as the rules read it: its agreed score (rule 2), its part of the total, its flags.
    An item of an allocated stage waits for every first reader allocated to it (`awaiting`), and
    one of a consensus stage for the chair's agreed score; an agreed score settles either. Where
    a second marker has scored it too, only the first readers' scores (`counted`) make its score;
    the second marker's shows, and counts towards the spread."""
    criterion = column.criterion
    label = f"{criterion.id}@{column.stage}"
    mean = panel.mean if counted is None else panel_mean([value for who, value in panel.scores.items() if who in counted])
    if awaiting or consensus:
        mean = None
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
        unagreed=consensus and moderation is None and not awaiting and bool(panel.scores),
    )
    if value is None:
        return Cell(item, label, None, None, None, None)
    failure = None
    if round(value, PRECISION) < criterion.pass_mark:
        failure = f"{criterion.name} {format_score(value)} < {criterion.pass_mark}"
    evidence_note = f"no evidence from {', '.join(panel.without_evidence)} on {label}" if panel.without_evidence else None
    spread_note = None
    if panel.wide:
        state = f"agreed {format_score(value)}" if moderation is not None else "not moderated"
        spread_note = f"spread {panel.spread} on {label} ({state})"
    return Cell(item, label, criterion.weight * value, failure, evidence_note, spread_note)


class ColumnCells:
    """One column's cells, each worked out once: items of this column whose panels scored
    alike, and whose agreed scores (if any) were recorded alike, read the same."""

    __slots__ = ("column", "criterion", "stage", "known", "agreed", "waiting", "checked", "consensus")

    def __init__(self, column: Column, consensus: bool = False) -> None:
        self.column = column
        self.consensus = consensus
        """Only the chair's agreed score counts here (rule 2, a consensus campaign's counted stage)."""
        self.criterion = column.criterion.id
        self.stage = column.stage
        self.known: dict[Panel, Cell] = {}
        self.agreed: dict[tuple[Panel, int, str], Cell] = {}
        self.waiting: dict[tuple[Panel, frozenset[str]], Cell] = {}
        self.checked: dict[tuple[Panel, frozenset[str]], Cell] = {}

    def waitingitem_cell(self, panel: Panel, readers: frozenset[str]) -> Cell:
        """The cell of an item of an allocated stage whose readers have not all scored it."""
        key = (panel, readers)
        found = self.waiting.get(key)
        if found is None:
            awaiting = tuple(sorted(readers.difference(panel.scores)))
            found = self.waiting[key] = item_cell(self.column, panel, None, awaiting, self.consensus)
        return found

    def checked_cell(self, panel: Panel, first: frozenset[str]) -> Cell:
        """The cell of an item a second marker has scored beside its first readers: their scores make it."""
        key = (panel, first)
        found = self.checked.get(key)
        if found is None:
            found = self.checked[key] = item_cell(self.column, panel, None, consensus=self.consensus, counted=first)
        return found

    def cell(self, panel: Panel, moderation: Moderation | None) -> Cell:
        """The cell of an item with this panel and this agreed score."""
        if moderation is None:
            found = self.known.get(panel)
            if found is None:
                found = self.known[panel] = item_cell(self.column, panel, None, consensus=self.consensus)
            return found
        key = (panel, moderation.score, moderation.rationale)
        found = self.agreed.get(key)
        if found is None:
            found = self.agreed[key] = item_cell(self.column, panel, moderation)
        return found


class Items:
    """The campaign's items as one summary reads them: each item's panel and agreed score."""

    def __init__(
        self, panels: dict[Item, Panel], moderation: list[Moderation], readers: dict[str, Readers], checkers: dict[str, Readers] | None = None
    ) -> None:
        self.panels = panels
        self.moderated = {agreed.item: agreed for agreed in moderation}  # the last one recorded counts
        self.readers = readers
        """Allocated stages' first readers by candidate, by stage."""
        self.checkers = checkers or {}
        """Allocated stages' second markers by candidate, by stage, where a sample was drawn."""

    def rows(self, candidates: list[Candidate], columns: list[ColumnCells]) -> list[tuple[Cell, ...]]:
        """Each candidate's cell in each column, worked out a column at a time."""
        ids = [candidate.id for candidate in candidates]
        by_column = [self._column(ids, column) for column in columns]
        return list(zip(*by_column, strict=True)) if columns else [()] * len(ids)

    def _column(self, ids: list[str], column: ColumnCells) -> list[Cell]:
        panels, moderated, criterion, stage = self.panels, self.moderated, column.criterion, column.stage
        readers = self.readers.get(stage)
        checkers = self.checkers.get(stage)
        found = []
        for candidate in ids:
            item = (candidate, criterion, stage)
            panel = panels.get(item, NOBODY)
            moderation = moderated.get(item)
            if readers is not None and moderation is None:
                allocated = readers.get(candidate)
                if allocated is not None and not allocated.issubset(panel.scores):
                    found.append(column.waitingitem_cell(panel, allocated))
                    continue
                if allocated is not None and checkers is not None and candidate in checkers and not checkers[candidate].isdisjoint(panel.scores):
                    found.append(column.checked_cell(panel, allocated))
                    continue
            # The usual case (no agreed score, a cell already worked out) found here, without a
            # call: this loop runs for every candidate and column.
            known = column.known.get(panel) if moderation is None else None
            found.append(known if known is not None else column.cell(panel, moderation))
        return found


def judge_line(candidate: Candidate, cells: tuple[Cell, ...], overall: float) -> Line:
    """The candidate's total of the scored items, what is missing, what fails, their outcome,
    and the flags with their notes."""
    total: float = 0
    missing: list[str] = []
    unagreed: list[str] = []
    failed: list[str] = []
    evidence_notes: list[str] = []
    spread_notes: list[str] = []
    unmoderated = False
    for cell in cells:
        if cell.part is None:
            missing.append(cell.label)
            if cell.item.unagreed:
                unagreed.append(cell.label)
            continue
        total += cell.part
        if cell.failure is not None:
            failed.append(cell.failure)
        if cell.evidence_note is not None:
            evidence_notes.append(cell.evidence_note)
        if cell.spread_note is not None:
            spread_notes.append(cell.spread_note)
            unmoderated = unmoderated or not cell.item.moderated
    if not missing and below_overall(total, overall):
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
    notes = (*evidence_notes, *spread_notes)
    return Line(candidate, items, total, outcome, tuple(missing), tuple(failed), tuple(flags), notes, unagreed=tuple(unagreed))


def below_overall(total: float, overall: float) -> bool:
    """Rule 4's overall mark: a stage's total below it, where it is set."""
    return bool(overall) and round(total, PRECISION) < overall


def failed_at(cells: tuple[Cell, ...], overall: float) -> bool:
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
    return below or below_overall(total, overall)
