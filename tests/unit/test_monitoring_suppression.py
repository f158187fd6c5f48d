"""Nobody identified in the monitoring report: every count under the smallest group shown is withheld,
and no withheld count can be worked out from what is shown, checked against every table a reader
could reconstruct (an exhaustive search written here, apart from the audit the code uses)."""

from __future__ import annotations

from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.core.monitoring import TOTAL
from assessor.rules.disclosure import Withheld, audit, exact_pinned
from assessor.rules.flows import Arc, circulation
from assessor.rules.suppression import suppress, withhold

Table = dict[str, dict[str, dict[str, int]]]


def table_of(people: list[tuple[dict[str, str], int]], groups: dict[str, list[str]], steps: list[str]) -> Table:
    """The counts of people, each (their group in each characteristic, how many steps they reached)."""
    table = {characteristic: {row: dict.fromkeys(steps, 0) for row in [*rows, TOTAL]} for characteristic, rows in groups.items()}
    for answers, reached in people:
        for characteristic, group in answers.items():
            for step in steps[:reached]:
                table[characteristic][group][step] += 1
                table[characteristic][TOTAL][step] += 1
    return table


@st.composite
def tables(draw: st.DrawFn) -> tuple[Table, list[str], int]:
    """Small tables (so that every table a reader could reconstruct can be listed): one or two
    characteristics of two or three groups, one to three steps, up to 16 people."""
    steps = [f"s{index}" for index in range(draw(st.integers(1, 3)))]
    groups = {f"c{index}": [f"g{group}" for group in range(draw(st.integers(2, 3)))] for index in range(draw(st.integers(1, 2)))}
    people = draw(
        st.lists(
            st.tuples(st.fixed_dictionaries({key: st.sampled_from(rows) for key, rows in groups.items()}), st.integers(1, len(steps))),
            min_size=1,
            max_size=16,
        )
    )
    return table_of(people, groups, steps), steps, draw(st.integers(3, 5))


def possible_values(table: Table, steps: list[str], withheld: Withheld, min_group: int) -> dict[tuple[str, str, str], set[int]]:
    """Every value each withheld count takes in some table that fits what is shown: the shown counts,
    `<N` as 0 to N-1, `[c]` as N or more, each row adding up to its total, no group more at a step
    than at the step before. By listing the tables, totals first, then each characteristic's rows
    step by step."""
    first = next(iter(table.values()))
    everyone = 2 * max(first[TOTAL].values()) + 10  # what `[c]` allows, past any count the shown ones let fit

    def choices(kind: str | None, value: int) -> range:
        if kind is None:
            return range(value, value + 1)
        return range(0, min_group) if kind == "small" else range(min_group, everyone + 1)

    found: dict[tuple[str, str, str], set[int]] = {cell: set() for cell in withheld.cells}
    found.update({("", TOTAL, step): set() for step in withheld.totals})
    for totals in product(*[choices(withheld.totals.get(step), first[TOTAL][step]) for step in steps]):
        if any(later > earlier for earlier, later in zip(totals, totals[1:], strict=False)):
            continue
        per_characteristic = []
        for characteristic, rows in table.items():
            groups = [row for row in rows if row != TOTAL]
            options = [[choices(withheld.cells.get((characteristic, row, step)), rows[row][step]) for row in groups] for step in steps]
            seen: dict[tuple[str, str, str], set[int]] = {}
            _search(options, totals, 0, [], groups, characteristic, steps, seen)
            per_characteristic.append(seen)
        if all(per_characteristic):
            for step, total in zip(steps, totals, strict=True):
                if ("", TOTAL, step) in found:
                    found[("", TOTAL, step)].add(total)
            for seen in per_characteristic:
                for cell, values in seen.items():
                    if cell in found:
                        found[cell] |= values
    return found


def _search(options, totals, place, chosen, groups, characteristic, steps, seen) -> None:  # type: ignore[no-untyped-def]
    """Every way to fill the rows in step order (a row = a tuple of the groups' counts)."""
    if place == len(steps):
        for index, row in enumerate(chosen):
            for group, value in zip(groups, row, strict=True):
                seen.setdefault((characteristic, group, steps[index]), set()).add(value)
        return
    for row in product(*options[place]):
        if sum(row) != totals[place]:
            continue
        if chosen and any(value > before for value, before in zip(row, chosen[-1], strict=True)):
            continue
        _search(options, totals, place + 1, [*chosen, row], groups, characteristic, steps, seen)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_withheld_count_can_be_worked_out_from_the_cells_and_totals_shown(case: tuple[Table, list[str], int]) -> None:
    table, steps, min_group = case
    suppressed = suppress(table, steps, min_group)
    table = {characteristic: rows for characteristic, rows in table.items() if characteristic not in suppressed.left_out}
    if not table:
        return  # nothing shown
    withheld = suppressed.withheld
    for characteristic, rows in table.items():
        for row, counts in rows.items():
            for step in steps:
                small = counts[step] < min_group and counts[steps[0]] > 0
                assert (withheld.kind(characteristic, row, step) == "small") == small, (characteristic, row, step)
                if withheld.kind(characteristic, row, step) is None:
                    assert counts[step] >= min_group or counts[steps[0]] == 0  # a group nobody is in shows 0
        for step in steps:  # shown cells and the total never leave exactly one unknown
            hidden = [row for row in rows if row != TOTAL and withheld.kind(characteristic, row, step)]
            assert len(hidden) != 1 or step in withheld.totals, (characteristic, step)
    values = possible_values(table, steps, withheld, min_group)
    worked_out = {cell: found for cell, found in values.items() if len(found) < 2}
    assert worked_out == {}
    assert exact_pinned(table, steps, withheld, min_group) == []


def test_a_group_under_five_takes_the_next_smallest_group_of_its_row_with_it() -> None:
    steps = ["applied"]
    table = {"sex": {"female": {"applied": 20}, "male": {"applied": 7}, "prefer-not-to-say": {"applied": 3}, TOTAL: {"applied": 30}}}
    withheld = withhold(table, steps, 5)
    assert withheld.cells == {("sex", "prefer-not-to-say", "applied"): "small", ("sex", "male", "applied"): "secondary"}
    assert audit(table, steps, withheld, 5) == {("sex", "prefer-not-to-say", "applied"): (0, 4), ("sex", "male", "applied"): (6, 10)}


def test_a_group_nobody_is_in_shows_zero_and_is_never_withheld_to_protect_another() -> None:
    steps = ["applied", "sift"]
    table = {
        "sex": {
            "female": {"applied": 12, "sift": 9},
            "male": {"applied": 10, "sift": 2},
            "prefer-not-to-say": {"applied": 0, "sift": 0},
            "not-given": {"applied": 6, "sift": 6},
            TOTAL: {"applied": 28, "sift": 17},
        }
    }
    withheld = withhold(table, steps, 5)
    assert withheld.kind("sex", "prefer-not-to-say", "sift") is None
    assert withheld.cells[("sex", "male", "sift")] == "small"
    assert withheld.cells[("sex", "not-given", "sift")] == "secondary"  # the next smallest, not the zero


def test_the_sum_of_withheld_counts_carried_from_one_step_to_the_next_is_caught() -> None:
    """Two small groups whose sum is known at the first step bound their sum at the last: the third
    group's small count there would be the only one left, so more is withheld."""
    steps = ["s0", "s1", "s2", "s3"]
    rows = {"g0": [8, 6, 6, 4], "g1": [11, 9, 9, 7], "g2": [3, 3, 3, 3], "g3": [1, 1, 1, 1]}
    table = {"c1": {row: dict(zip(steps, values, strict=True)) for row, values in rows.items()}}
    table["c1"][TOTAL] = {step: sum(values[index] for values in rows.values()) for index, step in enumerate(steps)}
    withheld = withhold(table, steps, 5)
    assert exact_pinned(table, steps, withheld, 5) == []
    assert all(len(found) > 1 for found in possible_values(table, steps, withheld, 5).values())


def test_a_row_of_small_counts_that_add_up_to_its_total_one_way_only_withholds_the_total() -> None:
    steps = ["applied"]
    table = {"sex": {"female": {"applied": 4}, "male": {"applied": 4}, TOTAL: {"applied": 8}}}
    withheld = withhold(table, steps, 5)
    assert withheld.totals == {"applied": "secondary"}


def test_a_circulation_is_found_within_the_bounds_or_none_is() -> None:
    arcs = [Arc("a", "b", 2, 5), Arc("b", "c", 0, 3), Arc("c", "a", 3, 3)]
    assert circulation(arcs) == [3, 3, 3]
    assert circulation([Arc("a", "b", 4, 5), Arc("b", "a", 0, 3)]) is None
    assert circulation([Arc("a", "b", 2, 1)]) is None


def test_a_characteristic_whose_every_count_withheld_would_still_give_one_away_is_left_out() -> None:
    """Four people, the smallest group shown 3: with every count of `c0` withheld, what `<3` and `[c]`
    say still pins them, so `c0` is left out; `c1` alone, its counts withheld, gives nothing away."""
    steps = ["s0", "s1"]
    table = {
        "c0": {"g0": {"s0": 3, "s1": 2}, "g1": {"s0": 1, "s1": 1}, TOTAL: {"s0": 4, "s1": 3}},
        "c1": {"g0": {"s0": 2, "s1": 1}, "g1": {"s0": 2, "s1": 2}, TOTAL: {"s0": 4, "s1": 3}},
    }
    assert exact_pinned(table, steps, withhold(table, steps, 3), 3) != []
    suppressed = suppress(table, steps, 3)
    assert suppressed.left_out == ("c0",)
    rest = {"c1": table["c1"]}
    assert all(low < high for low, high in audit(rest, steps, suppressed.withheld, 3).values())
    assert exact_pinned(rest, steps, suppressed.withheld, 3) == []
