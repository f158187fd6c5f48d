"""Allocating a stage's candidates among its sifters, with a second-marking sample, and the second-marking report.

`allocate_readers` deals each candidate a fixed number of first readers so that every
sifter's load is within one of every other's, then draws a share of each sifter's
candidates for one extra reading by another sifter (second marking). The allocation is a
pure function of its arguments and a seed string, so the same stage always gives the same
readings and a file of them diffs cleanly. `second_marking_report` compares each sampled
sifter's scores with their second marker's.

Standard library only.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple


class Reading(NamedTuple):
    """One allocated reading: `assessor` reads `candidate`'s application at the stage."""

    candidate: str
    assessor: str
    second_marks: str = ""
    """For a second-marking reading, the sifter whose reading it checks; "" for a first reading."""


class AllocationRefused(ValueError):
    """An allocation that cannot be made as asked; the message is one plain sentence for a person."""


def allocate_readers(
    seed: str,
    candidates: Sequence[str],
    sifters: Sequence[str],
    readers: int,
    second_marking: float = 0.0,
    conflicts: Mapping[str, Collection[str]] | None = None,
) -> list[Reading]:
    """Each candidate's readers at a stage: `readers` distinct first readers, plus a second-marking sample.

    First-reading loads differ by at most one between any two sifters. `second_marking` is
    a percentage: from each sifter, ceil(percentage of their first readings) of their
    candidates are drawn, no candidate twice, and each drawn candidate gets one more reading
    by a sifter who has not read it, the one with the fewest second-marking readings so far.

    `conflicts` names, by candidate, the sifters who declared a conflict of interest with
    them: those are passed over for that candidate, first reading and second marking alike,
    in favour of the least loaded of the others (so loads may then differ by more than one).

    The same arguments always give the same list. The readings come in the order of
    `candidates`; a candidate's first readings in the order of `sifters`, then its
    second-marking reading. Raises AllocationRefused when the allocation cannot be made.
    """
    _check(candidates, sifters, readers, second_marking)
    if not candidates:
        return []
    # `random.Random` seeds a string through SHA-512, so PYTHONHASHSEED plays no part.
    rng = random.Random(seed)
    count = len(sifters)
    dealing = list(range(len(candidates)))
    rng.shuffle(dealing)
    order = list(range(count))
    rng.shuffle(order)

    # Dealing round the shuffled sifters: consecutive positions are distinct while
    # readers <= count, and the readings go round evenly, so loads differ by at most one.
    first: list[list[int]] = [[] for _ in candidates]
    piles: list[list[int]] = [[] for _ in sifters]
    place = {name: index for index, name in enumerate(sifters)}
    barred = [{place[who] for who in (conflicts or {}).get(name, ()) if who in place} for name in candidates]
    for candidate, kept_out in enumerate(barred):
        if count - len(kept_out) < readers:
            raise AllocationRefused(
                f"{candidates[candidate]} needs {readers} readers, but {len(kept_out)} of the {count} sifters "
                "declared a conflict of interest with them."
            )
    for position, candidate in enumerate(dealing):
        start = position * readers
        dealt = sorted(order[(start + k) % count] for k in range(readers))
        if barred[candidate] and not barred[candidate].isdisjoint(dealt):
            free = [sifter for sifter in order if sifter not in barred[candidate]]
            dealt = sorted(sorted(free, key=lambda sifter: len(piles[sifter]))[:readers])  # stable: the seeded order breaks ties
        first[candidate] = dealt
        for sifter in dealt:
            piles[sifter].append(candidate)

    checked = [-1] * len(candidates)
    marker = [-1] * len(candidates)
    if second_marking > 0:
        _second_marking_sample(second_marking, order, first, piles, checked, marker, barred)

    readings: list[Reading] = []
    for candidate, name in enumerate(candidates):
        readings.extend(Reading(name, sifters[sifter]) for sifter in first[candidate])
        if checked[candidate] >= 0:
            readings.append(Reading(name, sifters[marker[candidate]], sifters[checked[candidate]]))
    return readings


def _check(candidates: Sequence[str], sifters: Sequence[str], readers: int, second_marking: float) -> None:
    """Refuse, in one sentence, an allocation that cannot be made."""
    if readers < 1:
        raise AllocationRefused(f"Each application needs at least 1 reader; {readers} were asked for.")
    _check_distinct("Sifter", sifters)
    _check_distinct("Candidate", candidates)
    # "" marks a first reading in `Reading.second_marks`, so it cannot name a sifter.
    if "" in sifters:
        raise AllocationRefused("One of the sifters has an empty id; every sifter needs an id.")
    count = len(sifters)
    if readers > count:
        raise AllocationRefused(f"{readers} readers per application need at least {readers} sifters; there {'is' if count == 1 else 'are'} {count}.")
    if not math.isfinite(second_marking) or not 0 <= second_marking <= 100:
        raise AllocationRefused(f"The second-marking sample is a percentage from 0 to 100; {second_marking:g} is not.")
    if second_marking > 0 and readers == count:
        everyone = "the only sifter reads" if count == 1 else f"all {count} sifters read"
        raise AllocationRefused(
            f"A {second_marking:g}% second-marking sample needs a sifter who has not read the application, but {everyone} every application."
        )


def _check_distinct(kind: str, ids: Sequence[str]) -> None:
    """Refuse the first id listed more than once."""
    times = Counter(ids)
    for found in ids:
        if times[found] > 1:
            raise AllocationRefused(f"{kind} {found!r} is listed {times[found]} times; each can be listed only once.")


def _second_marking_sample(
    percentage: float,
    order: list[int],
    first: list[list[int]],
    piles: list[list[int]],
    checked: list[int],
    marker: list[int],
    barred: list[set[int]],
) -> None:
    """Draw each sifter's sample and give each drawn candidate a second marker, filling `checked` and `marker`.

    `order` is the seeded order of the sifters; `first` each candidate's first readers;
    `piles` each sifter's candidates in dealing order. Indices throughout.
    """
    # Through the decimal text, so that 7% of 100 is 7, not ceil(7.000000000000001) = 8.
    share = Fraction(str(percentage)) / 100
    count = len(order)
    rank = [0] * count
    for place, sifter in enumerate(order):
        rank[sifter] = place
    loads = [0] * count
    # The lowest second-marking load and how many sifters have it: a search for the
    # second marker can stop at the first eligible sifter on that load.
    floor, on_floor = 0, count
    wanted = {sifter: math.ceil(share * len(piles[sifter])) for sifter in order}
    # How far through each sifter's pile the draw has gone. The dealing order is already a
    # seeded shuffle, so the pile's first undrawn candidates are a fair sample.
    reached = dict.fromkeys(order, 0)
    # One draw from each sifter in turn rather than a sifter's whole sample at once: the
    # second marking then goes round evenly, and where samples overlap (more than one
    # reader) the sifters drawn first do not take all of a later sifter's candidates.
    drawing = [sifter for sifter in order if wanted[sifter]]
    while drawing:
        still: list[int] = []
        for sifter in drawing:
            pile, place = piles[sifter], reached[sifter]
            while place < len(pile) and checked[pile[place]] >= 0:
                place += 1
            if place == len(pile):
                continue  # nobody left to draw: this sifter's sample is smaller
            candidate = pile[place]
            reached[sifter] = place + 1
            chosen = _second_marker(order, rank[sifter], [*first[candidate], *barred[candidate]], loads, floor)
            if chosen < 0:  # everyone else read it or declared a conflict: the draw moves on to the next
                still.append(sifter)
                continue
            checked[candidate], marker[candidate] = sifter, chosen
            loads[chosen] += 1
            if loads[chosen] == floor + 1:
                on_floor -= 1
                if on_floor == 0:
                    floor += 1
                    on_floor = loads.count(floor)
            wanted[sifter] -= 1
            if wanted[sifter]:
                still.append(sifter)
        drawing = still


def _second_marker(order: list[int], start: int, readers: list[int], loads: list[int], floor: int) -> int:
    """The sifter not in `readers` with the fewest second-marking readings (`loads`).

    Ties go to the first after place `start` in the seeded `order`, read round: a fixed
    order would give the same few sifters every tie. `floor` is the lowest load of all.
    """
    chosen, lowest = -1, -1
    count = len(order)
    for step in range(1, count):
        other = order[(start + step) % count]
        if other in readers:
            continue
        if chosen < 0 or loads[other] < lowest:
            chosen, lowest = other, loads[other]
            if lowest == floor:
                break
    return chosen


@dataclass(frozen=True)
class SecondMarkingResult:
    """How one sifter's readings compared with their second marker's."""

    sifter: str
    items: int
    """Pairs compared: criteria of second-marked candidates that both the sifter and the second marker scored."""
    exact: int
    """Pairs with the same score."""
    mean_difference: float | None
    """The mean absolute difference over the pairs; None when items == 0."""
    wide: int
    """Pairs differing by 2 or more."""

    @property
    def agreement(self) -> float | None:
        """The share of pairs with the same score; None when nothing was compared."""
        return self.exact / self.items if self.items else None


WIDE = 2
"""A difference of this much or more between a sifter and their second marker is wide."""


def second_marking_report(
    readings: Iterable[Reading], scores: Iterable[tuple[str, str, str, int]], sifters: Sequence[str]
) -> tuple[SecondMarkingResult, ...]:
    """Each sampled sifter's agreement with their second markers, in the order of `sifters`.

    `scores` are one stage's (candidate, criterion, assessor, score) rows. Every criterion
    that both the checked sifter and the second marker scored for a second-marked
    candidate is one pair, counted to the checked sifter. A sifter with a second-marking
    reading drawn from them has a result even before anything is scored; a sifter never
    sampled (or not in `sifters`) has none.
    """
    checks = [reading for reading in readings if reading.second_marks]
    wanted = {(reading.candidate, reading.second_marks) for reading in checks} | {(reading.candidate, reading.assessor) for reading in checks}
    # One pass over the scores, keeping only the readings compared.
    index: dict[tuple[str, str], dict[str, int]] = {}
    for candidate, criterion, assessor, score in scores:
        key = (candidate, assessor)
        if key in wanted:
            index.setdefault(key, {})[criterion] = score
    # Per checked sifter: [pairs, exact, total difference, wide]; whole numbers, so the mean is one division.
    tallies: dict[str, list[int]] = {}
    for reading in checks:
        tally = tallies.setdefault(reading.second_marks, [0, 0, 0, 0])
        own = index.get((reading.candidate, reading.second_marks), {})
        theirs = index.get((reading.candidate, reading.assessor), {})
        for criterion, score in own.items():
            other = theirs.get(criterion)
            if other is None:
                continue
            difference = abs(score - other)
            tally[0] += 1
            tally[1] += difference == 0
            tally[2] += difference
            tally[3] += difference >= WIDE
    results: list[SecondMarkingResult] = []
    for sifter in sifters:
        if sifter in tallies:
            items, exact, total, wide = tallies[sifter]
            results.append(SecondMarkingResult(sifter, items, exact, total / items if items else None, wide))
    return tuple(results)
