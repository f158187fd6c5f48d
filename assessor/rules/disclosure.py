"""What a reader can work out of the monitoring report's withheld counts from what it shows.

Each characteristic is a table: a row per group (`not given` among them) and the total, a column
per step. Its cells hold together: the groups at a step add up to the total (the same total for
every characteristic), and a group is never more at a step than at the step before. A withheld
count is `small` (shown `<5`: 0 to `min_group` - 1) or `secondary` (shown `[c]`: `min_group` or
more, withheld only so that a small one cannot be worked out).

Two audits: `audit` narrows each withheld count's least and greatest possible value from each
rule in turn (quick, and it finds most); `exact_pinned` asks of each withheld count whether any
other value fits everything shown, as a flow of people through the steps (`flows`): exact. A
count that can take one value only could be worked out. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from assessor.core.monitoring import TOTAL
from assessor.rules.flows import Arc, circulation

Kind = Literal["small", "secondary"]
Cell = tuple[str, str, str]
"""(characteristic, row, step); a total, the same in every characteristic, is `("", "total", step)`."""
Table = Mapping[str, Mapping[str, Mapping[str, int]]]
"""characteristic -> row (groups, `not-given`, `total`) -> step -> count."""

UNBOUNDED = 10**12
"""A greatest possible value before the totals bound it."""
SWEEPS = 1_000
"""The quick audit narrows the bounds at most this many times over: they settle in a few."""
COMBINATIONS = 20_000
"""The most combinations of withheld totals the exact audit tries in turn."""


def total_cell(step: str) -> Cell:
    """A step's total, as a cell."""
    return ("", TOTAL, step)


@dataclass(frozen=True)
class Withheld:
    """The cells withheld, and why."""

    cells: dict[Cell, Kind]
    """Groups' counts, by (characteristic, row, step)."""
    totals: dict[str, Kind]
    """Totals, by step: the same in every characteristic."""

    def kind(self, characteristic: str, row: str, step: str) -> Kind | None:
        """Why this cell is withheld, or None where it is shown."""
        return self.totals.get(step) if row == TOTAL else self.cells.get((characteristic, row, step))

    def every(self) -> Iterator[tuple[Cell, Kind]]:
        """Every withheld cell, totals as `total_cell`."""
        yield from self.cells.items()
        yield from ((total_cell(step), kind) for step, kind in self.totals.items())


def groups_of(rows: Mapping[str, Mapping[str, int]]) -> list[str]:
    """A table's rows but the total."""
    return [row for row in rows if row != TOTAL]


def _range(kind: Kind | None, value: int, min_group: int) -> tuple[int, int]:
    """What a reader knows of a cell at first: its value where shown, else what its mark says."""
    if kind is None:
        return value, value
    return (0, min_group - 1) if kind == "small" else (min_group, UNBOUNDED)


class Inconsistent(ValueError):
    """No counts fit what is shown and supposed (`audit`'s `supposing`)."""


def audit(
    table: Table, steps: Sequence[str], withheld: Withheld, min_group: int, supposing: Mapping[Cell, int] | None = None
) -> dict[Cell, tuple[int, int]]:
    """Each withheld cell's least and greatest possible value, narrowed rule by rule from what is
    shown: the rows' sums, each group's steps in order, and what `<5` and `[c]` say. `supposing`
    sets withheld cells to a value, to try it; raise `Inconsistent` where nothing fits. The bounds
    always hold the true counts, but may be wider than the exact ones (`exact_pinned`)."""
    first = next(iter(table.values()))
    low: dict[Cell, int] = {}
    high: dict[Cell, int] = {}
    for step in steps:
        low[total_cell(step)], high[total_cell(step)] = _range(withheld.totals.get(step), first[TOTAL][step], min_group)
        for characteristic, rows in table.items():
            for row in groups_of(rows):
                cell = (characteristic, row, step)
                low[cell], high[cell] = _range(withheld.cells.get(cell), rows[row][step], min_group)
    for cell, value in (supposing or {}).items():
        _narrow(low, high, cell, value, value)
    sums = [(total_cell(step), [(characteristic, row, step) for row in groups_of(rows)]) for characteristic, rows in table.items() for step in steps]
    chains = [[total_cell(step) for step in steps]]
    chains += [[(characteristic, row, step) for step in steps] for characteristic, rows in table.items() for row in groups_of(rows)]
    changed, sweeps = True, 0
    while changed and sweeps < SWEEPS:
        changed, sweeps = False, sweeps + 1
        for total, parts in sums:
            least, most = sum(low[part] for part in parts), sum(high[part] for part in parts)
            changed |= _narrow(low, high, total, least, most)
            for part in parts:
                changed |= _narrow(low, high, part, low[total] - (most - high[part]), high[total] - (least - low[part]))
        for chain in chains:
            for before, after in zip(chain, chain[1:], strict=False):
                changed |= _narrow(low, high, after, 0, high[before])
                changed |= _narrow(low, high, before, low[after], UNBOUNDED)
    return {cell: (low[cell], high[cell]) for cell, _ in withheld.every()}


def _narrow(low: dict[Cell, int], high: dict[Cell, int], cell: Cell, least: int, most: int) -> bool:
    """Raise the cell's least value to `least` and lower its greatest to `most`, where they are tighter."""
    changed = False
    if least > low[cell]:
        low[cell], changed = least, True
    if most < high[cell]:
        high[cell], changed = most, True
    if low[cell] > high[cell]:
        raise Inconsistent(f"no count of {cell} fits")
    return changed


def quick_pinned(table: Table, steps: Sequence[str], withheld: Withheld, min_group: int) -> list[Cell]:
    """The withheld cells the quick audit narrows to one value."""
    return [cell for cell, (low, high) in audit(table, steps, withheld, min_group).items() if low == high]


def exact_pinned(table: Table, steps: Sequence[str], withheld: Withheld, min_group: int) -> list[Cell]:
    """The withheld cells that can take one value only, given everything shown: for each, is there
    any whole-number table that fits what is shown in which it has another value?"""
    bounds = audit(table, steps, withheld, min_group)
    candidates = list(islice(_totals(table, steps, withheld, bounds), COMBINATIONS + 1))
    if len(candidates) > COMBINATIONS:
        return []  # beyond what is tried: the quick audit's answer stands
    hidden_steps = [step for step in steps if step in withheld.totals]
    seen: dict[Cell, set[int]] = {cell: {_value(table, cell)} for cell, _ in withheld.every()}  # the true table fits
    fitting: list[dict[str, int]] = []
    for totals in candidates:
        flows = []
        for characteristic in table:  # the first that does not fit ends the try
            flow = _flow(table, characteristic, steps, totals, withheld, min_group)
            if flow is None:
                break
            flows.append(flow)
        else:
            fitting.append(totals)
            for step in hidden_steps:
                seen[total_cell(step)].add(totals[step])
            for flow in flows:
                _note(seen, flow)
    for cell, kind in withheld.cells.items():
        characteristic, row, step = cell
        true = table[characteristic][row][step]
        low, high = _range(kind, true, min_group)
        for totals in fitting:
            if len(seen[cell]) > 1:
                break
            for other in ((low, true - 1), (true + 1, high)):
                flow = _flow(table, characteristic, steps, totals, withheld, min_group, {cell: other})
                if flow is not None:
                    _note(seen, flow)
    return [cell for cell, values in seen.items() if len(values) <= 1]


def _totals(table: Table, steps: Sequence[str], withheld: Withheld, bounds: Mapping[Cell, tuple[int, int]]) -> Iterator[dict[str, int]]:
    """Every set of totals a reader could suppose: the shown ones, and each withheld one within its
    bounds, never more than the step before's."""
    first = next(iter(table.values()))

    def extend(place: int, chosen: dict[str, int]) -> Iterator[dict[str, int]]:
        if place == len(steps):
            yield dict(chosen)
            return
        step = steps[place]
        most = chosen[steps[place - 1]] if place else UNBOUNDED
        low, high = bounds[total_cell(step)] if step in withheld.totals else (first[TOTAL][step], first[TOTAL][step])
        for value in range(low, min(high, most) + 1):
            chosen[step] = value
            yield from extend(place + 1, chosen)
        chosen.pop(step, None)

    yield from extend(0, {})


def _value(table: Table, cell: Cell) -> int:
    characteristic, row, step = cell
    return table[characteristic][row][step] if characteristic else next(iter(table.values()))[TOTAL][step]


def _note(seen: dict[Cell, set[int]], flow: dict[Cell, int]) -> None:
    for cell, value in flow.items():
        if cell in seen:
            seen[cell].add(value)


def _flow(
    table: Table,
    characteristic: str,
    steps: Sequence[str],
    totals: Mapping[str, int],
    withheld: Withheld,
    min_group: int,
    trying: Mapping[Cell, tuple[int, int]] | None = None,
) -> dict[Cell, int] | None:
    """One characteristic's table as a flow of its people, where one fits: each group from `applied`
    along its steps, dropping out between them; those dropping out at a step, and those reaching
    the last, as many as the totals say. Each cell's count within what the reader knows of it
    (`trying` narrows some), None where no table fits."""
    rows = table[characteristic]
    everyone = totals[steps[0]]
    arcs: list[Arc] = [Arc("end", "start", everyone, everyone)]
    cells: list[Cell] = []
    for row in groups_of(rows):
        before: object = "start"
        for index, step in enumerate(steps):
            cell = (characteristic, row, step)
            low, high = (trying or {}).get(cell) or _range(withheld.cells.get(cell), rows[row][step], min_group)
            arcs.append(Arc(before, (row, index), low, min(high, everyone)))
            cells.append(cell)
            after = ("out", index + 1) if index + 1 < len(steps) else "last"
            arcs.append(Arc((row, index), after, 0, everyone))
            before = (row, index)
    for index in range(1, len(steps)):
        out = totals[steps[index - 1]] - totals[steps[index]]
        if out < 0:
            return None
        arcs.append(Arc(("out", index), "end", out, out))
    arcs.append(Arc("last", "end", totals[steps[-1]], totals[steps[-1]]))
    flow = circulation(arcs)
    if flow is None:
        return None
    return dict(zip(cells, [flow[1 + 2 * index] for index in range(len(cells))], strict=True))
