"""Diversity monitoring, the report: counts as shown, success rates, their ratios to the highest
group's, and the four-fifths rule's flags. What every format renders (`report.monitoring_*`).

- A group's **rate** at a step is how many reached it out of how many reached the step before,
  shown only where both counts are (a rate would give a withheld count away).
- Its **ratio** is that rate over the highest rate at the step among the groups compared: every
  group of the characteristic but `prefer not to say` (and `not given`, which is no group).
- A compared group's ratio under four fifths is **flagged**: with both counts shown, both groups
  had at least `min_group` at the step before. A flag is a prompt to look, not a finding.

Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from assessor.core.monitoring import NOT_GIVEN, TOTAL, MonitoringQuestions
from assessor.rules.disclosure import Kind, Withheld
from assessor.rules.monitoring import ACCEPTED, APPLIED, APPOINTABLE, OFFERED, WENT_ON_UNDER, Counts, Step
from assessor.rules.suppression import suppress

FOUR_FIFTHS = Fraction(4, 5)
"""A ratio under this is flagged."""
LEAST_MIN_GROUP = 3
"""The smallest `--min-group` allowed: a group of one or two is a person."""
SCHEME_STEPS = {APPLIED: "Applied", WENT_ON_UNDER: "Guaranteed", APPOINTABLE: "Appointable", OFFERED: "Offered", ACCEPTED: "Accepted"}
"""The schemes' columns: those who applied under a scheme, went on under it from a stage (below the
cut: `guaranteed`), and were appointable, offered and accepted."""


class TooFew(ValueError):
    """Fewer candidates in all than the smallest group shown: any report would identify them."""


@dataclass(frozen=True)
class Shown:
    """One cell of the report: a count, or why it is withheld; the rate from the step before and its
    ratio to the highest group's, where they can be shown."""

    count: int | None
    withheld: Kind | None = None
    rate: Fraction | None = None
    ratio: Fraction | None = None
    flagged: bool = False


@dataclass(frozen=True)
class Row:
    """A group (or `not given`, or the total) across the steps."""

    id: str
    name: str
    cells: dict[str, Shown]


@dataclass(frozen=True)
class CharacteristicTable:
    """One characteristic: a row per group, then not given, then the total."""

    id: str
    name: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Flag:
    """A group whose rate at a step is under four fifths of the highest group's."""

    characteristic: str
    group: str
    step: str
    ratio: Fraction
    words: str
    """`Ethnicity: Black, Black British, Caribbean or African at Went on from Sift: 0.62 of the highest rate`."""


@dataclass(frozen=True)
class FileCovered:
    """A campaign file the report adds in."""

    label: str
    campaign: str
    title: str
    status: str
    sealed: bool


@dataclass(frozen=True)
class MonitoringReport:
    """Everything a format shows: nothing in it names or identifies a candidate."""

    files: tuple[FileCovered, ...]
    steps: tuple[Step, ...]
    """Every step, known or waiting."""
    tables: tuple[CharacteristicTable, ...]
    flags: tuple[Flag, ...]
    scheme_steps: dict[str, str]
    """The schemes' columns: id -> heading."""
    schemes: tuple[Row, ...]
    min_group: int
    unmatched: int
    """Rows of the export for nobody in these campaigns."""
    left_out: tuple[str, ...] = ()
    """Characteristics (their names) too small in every group to show without identifying someone."""

    @property
    def known(self) -> tuple[Step, ...]:
        """The steps reported, in order."""
        return tuple(step for step in self.steps if step.known)

    @property
    def waiting(self) -> tuple[Step, ...]:
        """The steps not reached yet by every file."""
        return tuple(step for step in self.steps if not step.known)


def ratio_text(ratio: Fraction) -> str:
    """A ratio to two places, cut rather than rounded, so that a flagged one never reads 0.80."""
    hundredths = ratio.numerator * 100 // ratio.denominator
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def rate_text(rate: Fraction) -> str:
    """A rate as a whole percentage, cut rather than rounded (99.6% is not everyone)."""
    return f"{rate.numerator * 100 // rate.denominator}%"


def monitoring_report(counts: Counts, questions: MonitoringQuestions, min_group: int, files: Sequence[FileCovered]) -> MonitoringReport:
    """The report of `counts`, nothing under `min_group` shown or to be worked out; raise `TooFew`
    where fewer than `min_group` applied in all."""
    if min_group < LEAST_MIN_GROUP:
        raise ValueError(f"the smallest group shown is at least {LEAST_MIN_GROUP}")
    if counts.applied < min_group:
        people = f"{counts.applied} candidate{'s' if counts.applied != 1 else ''}"
        raise TooFew(f"{people} in all, fewer than --min-group {min_group}: any report would identify them")
    known = counts.known
    suppressed = suppress(counts.table, known, min_group)
    withheld = suppressed.withheld
    if set(suppressed.left_out) >= set(counts.characteristics):
        raise TooFew(f"{counts.applied} candidates in all: too few in each group to show any characteristic without identifying someone")
    names = {step.id: step.name for step in counts.steps}
    tables = []
    flags = []
    for characteristic_id in counts.characteristics:
        if characteristic_id in suppressed.left_out:
            continue
        characteristic = questions.characteristic(characteristic_id)
        labels = {**characteristic.group_names, NOT_GIVEN: "Not given", TOTAL: "Total"}
        grid = counts.table[characteristic_id]
        shown = {row: _shown_cells(grid[row], known, withheld, characteristic_id, row) for row in grid}
        for step in known[1:]:
            rates = [rate for row, cells in shown.items() if characteristic.compared(row) and (rate := cells[step].rate) is not None]
            best = max(rates, default=None)
            if not best or len(rates) < 2:  # a group set beside nobody has no ratio
                continue
            for row, cells in shown.items():
                rate = cells[step].rate
                if row == TOTAL or rate is None:
                    continue
                ratio = rate / best
                flagged = characteristic.compared(row) and ratio < FOUR_FIFTHS
                cells[step] = Shown(cells[step].count, None, rate, ratio, flagged)
                if flagged:
                    words = f"{characteristic.name}: {labels[row]} at {names[step]}: {ratio_text(ratio)} of the highest rate"
                    flags.append(Flag(characteristic_id, row, step, ratio, words))
        tables.append(CharacteristicTable(characteristic_id, characteristic.name, tuple(Row(row, labels[row], shown[row]) for row in grid)))
    scheme_steps = {step: SCHEME_STEPS[step] for step in next(iter(counts.schemes.values()), {})}
    schemes = tuple(
        Row(scheme, counts.scheme_names[scheme], {step: _small(value, min_group, tally[APPLIED]) for step, value in tally.items()})
        for scheme, tally in counts.schemes.items()
    )
    left_out = tuple(questions.characteristic(one).name for one in suppressed.left_out)
    return MonitoringReport(
        tuple(files), counts.steps, tuple(tables), tuple(flags), scheme_steps, schemes, min_group, len(counts.unmatched), left_out
    )


def _shown_cells(counts: dict[str, int], steps: Sequence[str], withheld: Withheld, characteristic: str, row: str) -> dict[str, Shown]:
    """A row's cells as shown: each count or why it is withheld, and the rate from the step before
    where both counts are shown."""
    cells: dict[str, Shown] = {}
    before: int | None = None
    for step in steps:
        kind = withheld.kind(characteristic, row, step)
        count = None if kind is not None else counts[step]
        rate = Fraction(count, before) if count is not None and before else None
        cells[step] = Shown(count, kind, rate)
        before = count
    return cells


def _small(value: int, min_group: int, applied: int) -> Shown:
    """A scheme's count, withheld under `min_group` (but 0 where nobody applied under it): its counts
    only ever bound one another, so no other is withheld with it."""
    return Shown(None, "small") if value < min_group and applied else Shown(value)
