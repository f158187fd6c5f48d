"""Nobody identified: which counts of the monitoring report are withheld.

- A count under the smallest group shown (`min_group`) is withheld: *small*, shown `<5`; but a
  group nobody is in (none applied) shows 0 throughout, which tells nothing about anyone.
- Then, until nothing withheld can be worked out from what is shown, more counts are withheld:
  *secondary*, shown `[c]`. Where a row (a characteristic at a step) would have one count withheld
  and its total shown, the row's next smallest count goes with it. Then the tables are audited as a
  reader could work them (`disclosure`: the totals, the other counts, the steps on either side, what
  `<5` and `[c]` say); a withheld count that could be worked out takes the next smallest count beside
  it with it (in its row, else its group's at the steps on either side, else the total), and the
  audit runs again.
- Where even every count withheld would let one be worked out (a handful of people: what `<5` and
  `[c]` say is then enough), the characteristic is left out of the report (`suppress`).

Pure; the rates and ratios shown are worked out from shown counts only (`impact`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assessor.core.monitoring import TOTAL
from assessor.rules.disclosure import Cell, Table, Withheld, exact_pinned, groups_of, quick_pinned

ROUNDS = 100_000
"""More rounds than a report has cells: each withholds one more, or ends."""


@dataclass(frozen=True)
class Suppressed:
    """What the report withholds, and the characteristics it leaves out whole."""

    withheld: Withheld
    left_out: tuple[str, ...]
    """Characteristics whose groups are so small that even with every count withheld, what `<5` and
    `[c]` say would give one away: left out of the report."""


def suppress(table: Table, steps: Sequence[str], min_group: int) -> Suppressed:
    """`withhold`, leaving out a characteristic where even that is not enough (its every count
    withheld, one could still be worked out), one at a time, until none can be worked out. With every
    characteristic left out, `left_out` names them all and nothing is shown."""
    kept = dict(table)
    left_out: list[str] = []
    while kept:
        withheld = withhold(kept, steps, min_group)
        pinned = exact_pinned(kept, steps, withheld, min_group)
        if not pinned:
            return Suppressed(withheld, tuple(left_out))
        owners = [characteristic for characteristic, _, _ in pinned if characteristic]
        worst = owners[0] if owners else max(kept, key=lambda one: sum(cell[0] == one for cell in withheld.cells))
        left_out.append(worst)
        del kept[worst]
    return Suppressed(Withheld({}, {}), tuple(left_out))


def withhold(table: Table, steps: Sequence[str], min_group: int) -> Withheld:
    """The cells to withhold so that no count under `min_group` can be read or worked out."""
    withheld = Withheld({}, {})
    for characteristic, rows in table.items():
        for row, counts in rows.items():
            for step in steps:
                if counts[step] < min_group and counts[steps[0]] > 0:  # a group nobody is in is 0 throughout: shown
                    if row == TOTAL:
                        withheld.totals[step] = "small"
                    else:
                        withheld.cells[(characteristic, row, step)] = "small"
    audits: tuple[Callable[[Table, Sequence[str], Withheld, int], list[Cell]], ...] = (quick_pinned, exact_pinned)
    for _ in range(ROUNDS):
        cell = _lone_in_row(table, steps, withheld)
        for found in audits:
            if cell is None:
                cell = _beside(table, steps, withheld, found(table, steps, withheld, min_group))
        if cell is None:
            return withheld
        characteristic, row, step = cell
        if row == TOTAL:
            withheld.totals[step] = "secondary"
        else:
            withheld.cells[cell] = "secondary"
    raise AssertionError("secondary suppression did not settle")


def _lone_in_row(table: Table, steps: Sequence[str], withheld: Withheld) -> Cell | None:
    """In a row with its total shown and one count withheld, the row's smallest shown count."""
    for characteristic, rows in table.items():
        for step in steps:
            if step not in withheld.totals and sum((characteristic, row, step) in withheld.cells for row in groups_of(rows)) == 1:
                return _smallest(table, characteristic, step, withheld, steps[0])
    return None


def _smallest(table: Table, characteristic: str, step: str, withheld: Withheld, first: str) -> Cell | None:
    """The row's smallest shown count (the first of equals), None where all are withheld; never that
    of a group nobody is in, which everyone can tell is 0."""
    rows = table[characteristic]
    shown = [
        (rows[row][step], index, row)
        for index, row in enumerate(groups_of(rows))
        if (characteristic, row, step) not in withheld.cells and rows[row][first] > 0
    ]
    return (characteristic, min(shown)[2], step) if shown else None


def _beside(table: Table, steps: Sequence[str], withheld: Withheld, pinned: list[Cell]) -> Cell | None:
    """A shown cell to withhold beside the first withheld one that could be worked out; None if none can."""
    for cell in pinned:
        characteristic, row, step = cell
        if row == TOTAL:  # a total worked out from one characteristic's row: withhold a count in that row
            found = next((near for near in (_smallest(table, other, step, withheld, steps[0]) for other in table) if near is not None), None)
            if found is not None:
                return found
            continue
        found = _smallest(table, characteristic, step, withheld, steps[0])
        if found is not None:
            return found
        place = list(steps).index(step)
        beside = [steps[place + offset] for offset in (-1, 1) if 0 <= place + offset < len(steps)]
        near = [(table[characteristic][row][other], other) for other in beside if (characteristic, row, other) not in withheld.cells]
        if near:
            return (characteristic, row, min(near)[1])
        if step not in withheld.totals:
            return (characteristic, TOTAL, step)
    return None
