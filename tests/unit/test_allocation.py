"""Allocating readers and the second-marking sample, and the second-marking report: each rule with a case that fails if it breaks."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.rules.allocation import AllocationRefused, Reading, SecondMarkingResult, allocate_readers, second_marking_report
from tests.conftest import ROOT

SIFTERS = ("S1", "S2", "S3")
CANDIDATES = tuple(f"C{n}" for n in range(1, 7))


def first_readers(readings: list[Reading]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for reading in readings:
        if not reading.second_marks:
            found.setdefault(reading.candidate, []).append(reading.assessor)
    return found


def first_loads(readings: list[Reading], sifters: tuple[str, ...]) -> list[int]:
    counted = Counter(reading.assessor for reading in readings if not reading.second_marks)
    return [counted[sifter] for sifter in sifters]


def second_readings(readings: list[Reading]) -> list[Reading]:
    return [reading for reading in readings if reading.second_marks]


# Hand-worked: 6 candidates, 3 sifters.


def test_one_reader_each_and_two_applications_per_sifter() -> None:
    readings = allocate_readers("stage-1", CANDIDATES, SIFTERS, 1)
    assert len(readings) == 6
    assert {candidate: len(names) for candidate, names in first_readers(readings).items()} == dict.fromkeys(CANDIDATES, 1)
    assert first_loads(readings, SIFTERS) == [2, 2, 2]
    assert second_readings(readings) == []


def test_two_distinct_readers_each_and_four_applications_per_sifter() -> None:
    readings = allocate_readers("stage-1", CANDIDATES, SIFTERS, 2)
    found = first_readers(readings)
    assert list(found) == list(CANDIDATES)
    assert all(len(names) == 2 and len(set(names)) == 2 for names in found.values())
    assert first_loads(readings, SIFTERS) == [4, 4, 4]


def test_a_ten_percent_sample_checks_one_application_of_each_sifter() -> None:
    readings = allocate_readers("stage-1", CANDIDATES, SIFTERS, 1, second_marking=10)
    found = first_readers(readings)
    checks = second_readings(readings)
    # ceil(0.1 * 2) = 1 from each sifter.
    assert sorted(reading.second_marks for reading in checks) == ["S1", "S2", "S3"]
    for reading in checks:
        assert found[reading.candidate] == [reading.second_marks]
        assert reading.assessor not in found[reading.candidate]
    assert len({reading.candidate for reading in checks}) == 3
    # The second marking is shared too: each sifter checks one other's application.
    assert sorted(reading.assessor for reading in checks) == ["S1", "S2", "S3"]
    assert first_loads(readings, SIFTERS) == [2, 2, 2]


def test_readings_come_in_the_order_given() -> None:
    candidates = ("C5", "C2", "C6", "C1", "C4", "C3")
    sifters = ("S3", "S1", "S4", "S2")
    readings = allocate_readers("stage-1", candidates, sifters, 2, second_marking=25)
    # Candidates as given, each once and together.
    runs = [reading.candidate for reading in readings]
    assert list(dict.fromkeys(runs)) == list(candidates)
    assert runs == sorted(runs, key=candidates.index)
    for candidate in candidates:
        own = [reading for reading in readings if reading.candidate == candidate]
        firsts = [reading.assessor for reading in own if not reading.second_marks]
        assert firsts == sorted(firsts, key=sifters.index)
        # A second-marking reading, if any, comes last.
        assert [bool(reading.second_marks) for reading in own] == [False, False] + [True] * (len(own) - 2)
    assert second_readings(readings)


def test_the_same_call_gives_the_same_allocation() -> None:
    candidates = [f"C{n}" for n in range(50)]
    first = allocate_readers("stage-1", candidates, SIFTERS, 2, second_marking=10)
    assert allocate_readers("stage-1", list(candidates), list(SIFTERS), 2, second_marking=10.0) == first
    assert allocate_readers("stage-2", candidates, SIFTERS, 2, second_marking=10) != first
    assert first_readers(allocate_readers("stage-2", candidates, SIFTERS, 1)) != first_readers(allocate_readers("stage-1", candidates, SIFTERS, 1))


def test_the_allocation_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "from assessor.rules.allocation import allocate_readers\n"
        "print(allocate_readers('sift', [f'C{n}' for n in range(40)], ['A', 'B', 'C', 'D'], 2, 25))"
    )
    here = repr(allocate_readers("sift", [f"C{n}" for n in range(40)], ["A", "B", "C", "D"], 2, 25))
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
        assert done.stdout.strip() == here


def test_no_candidates_no_readings() -> None:
    assert allocate_readers("stage-1", [], SIFTERS, 2, second_marking=50) == []


def test_a_share_is_worked_out_from_the_percentage_as_written() -> None:
    def drawn(size: int, percentage: float) -> list[int]:
        readings = allocate_readers("stage-1", [f"C{n}" for n in range(size)], ["A", "B"], 1, second_marking=percentage)
        return sorted(Counter(reading.second_marks for reading in second_readings(readings)).values())

    # 7% of 100 is 7, though 7 / 100 * 100 is 7.000000000000001 in floating point.
    assert drawn(200, 7) == [7, 7]
    # 0.1% of 1,000 is 1, though the float 0.1 is a little more than a tenth.
    assert drawn(2000, 0.1) == [1, 1]
    assert drawn(2002, 0.1) == [2, 2]


# Refusals.


@pytest.mark.parametrize(
    ("candidates", "sifters", "readers", "second_marking", "words"),
    [
        (CANDIDATES, SIFTERS, 0, 0.0, ["at least 1 reader", "0"]),
        (CANDIDATES, SIFTERS, -2, 0.0, ["at least 1 reader", "-2"]),
        (CANDIDATES, SIFTERS, 4, 0.0, ["4 readers per application need at least 4 sifters; there are 3"]),
        (CANDIDATES, ("S1",), 2, 0.0, ["2 readers per application need at least 2 sifters; there is 1"]),
        (CANDIDATES, (), 1, 0.0, ["1 readers per application need at least 1 sifters; there are 0"]),
        (CANDIDATES, ("S1", "S2", "S1"), 1, 0.0, ["Sifter 'S1'", "2 times"]),
        (("C1", "C2", "C1", "C1"), SIFTERS, 1, 0.0, ["Candidate 'C1'", "3 times"]),
        (CANDIDATES, ("S1", ""), 1, 0.0, ["empty id"]),
        (CANDIDATES, SIFTERS, 1, -1.0, ["0 to 100", "-1"]),
        (CANDIDATES, SIFTERS, 1, 100.5, ["0 to 100", "100.5"]),
        (CANDIDATES, SIFTERS, 1, math.nan, ["0 to 100", "nan"]),
        (CANDIDATES, SIFTERS, 1, math.inf, ["0 to 100", "inf"]),
        (CANDIDATES, SIFTERS, 3, 10.0, ["10%", "all 3 sifters"]),
        (CANDIDATES, ("S1",), 1, 5.0, ["5%", "only sifter"]),
    ],
)
def test_an_allocation_that_cannot_be_made_is_refused_in_one_sentence(
    candidates: tuple[str, ...], sifters: tuple[str, ...], readers: int, second_marking: float, words: list[str]
) -> None:
    with pytest.raises(AllocationRefused) as refused:
        allocate_readers("stage-1", candidates, sifters, readers, second_marking)
    message = str(refused.value)
    for word in words:
        assert word in message
    assert message.count(". ") == 0 and message.endswith(".")
    assert isinstance(refused.value, ValueError)


def test_every_sifter_reading_every_application_needs_no_sample() -> None:
    readings = allocate_readers("stage-1", CANDIDATES, SIFTERS, 3)
    assert first_readers(readings) == dict.fromkeys(CANDIDATES, list(SIFTERS))


# Properties.


@st.composite
def allocations(draw: st.DrawFn) -> tuple[str, list[str], list[str], int, int]:
    count = draw(st.integers(1, 12))
    readers = draw(st.integers(1, count))
    size = draw(st.integers(0, 200))
    percentage = draw(st.sampled_from([0, 5, 10, 25, 100])) if readers < count else 0
    seed = draw(st.text(max_size=8))
    sifters = [f"S{n}" for n in draw(st.permutations(range(count)))]
    return seed, [f"C{n}" for n in range(size)], sifters, readers, percentage


@settings(max_examples=60, deadline=None)
@given(allocations())
def test_every_allocation_keeps_the_rules(case: tuple[str, list[str], list[str], int, int]) -> None:
    seed, candidates, sifters, readers, percentage = case
    readings = allocate_readers(seed, candidates, sifters, readers, percentage)
    found = first_readers(readings)
    assert list(found) == candidates
    assert all(len(names) == readers and len(set(names)) == readers and set(names) <= set(sifters) for names in found.values())
    loads = first_loads(readings, tuple(sifters))
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == readers * len(candidates)

    checks = second_readings(readings)
    assert len({reading.candidate for reading in checks}) == len(checks)
    for reading in checks:
        assert reading.assessor in sifters and reading.assessor not in found[reading.candidate]
        assert reading.second_marks in found[reading.candidate]
    drawn = Counter(reading.second_marks for reading in checks)
    checked = {reading.candidate for reading in checks}
    for sifter, load in zip(sifters, loads, strict=True):
        share = -(-percentage * load // 100)
        assert drawn[sifter] <= share
        # Fewer only when every one of the sifter's candidates is already second-marked.
        if drawn[sifter] < share:
            assert all(candidate in checked for candidate, names in found.items() if sifter in names)
        if readers == 1:
            assert drawn[sifter] == share
    assert allocate_readers(seed, list(candidates), list(sifters), readers, percentage) == readings


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 12), st.integers(0, 200), st.sampled_from([5, 10, 25, 100]), st.text(max_size=8))
def test_one_reader_each_shares_the_second_marking_evenly(count: int, size: int, percentage: int, seed: str) -> None:
    sifters = [f"S{n}" for n in range(count)]
    readings = allocate_readers(seed, [f"C{n}" for n in range(size)], sifters, 1, percentage)
    marking = Counter(reading.assessor for reading in second_readings(readings))
    loads = [marking[sifter] for sifter in sifters]
    assert max(loads) - min(loads) <= 1


# The second-marking report.


def test_the_report_compares_each_sampled_sifter_with_their_second_marker() -> None:
    readings = [
        Reading("C1", "A"),
        Reading("C1", "B", second_marks="A"),
        Reading("C2", "B"),
        Reading("C2", "C", second_marks="B"),
        Reading("C3", "C"),
    ]
    scores = [
        ("C1", "k1", "A", 4),
        ("C1", "k2", "A", 5),
        ("C1", "k3", "A", 2),
        ("C1", "k1", "B", 4),
        ("C1", "k2", "B", 3),
        ("C1", "k3", "B", 5),
        # Only one side scored these, so neither is a pair.
        ("C1", "k4", "A", 6),
        ("C2", "k1", "B", 4),
        # Not a second-marked application.
        ("C3", "k1", "C", 1),
    ]
    report = second_marking_report(readings, scores, ["C", "B", "A", "D"])
    assert [result.sifter for result in report] == ["B", "A"]
    b, a = report
    assert a == SecondMarkingResult("A", items=3, exact=1, mean_difference=(0 + 2 + 3) / 3, wide=2)
    assert a.agreement == pytest.approx(1 / 3)
    # B was sampled but nothing is scored by both yet.
    assert b == SecondMarkingResult("B", items=0, exact=0, mean_difference=None, wide=0)
    assert b.agreement is None


def test_the_report_adds_up_a_whole_allocation() -> None:
    sifters = ["S1", "S2", "S3", "S4"]
    readings = allocate_readers("stage-1", [f"C{n}" for n in range(40)], sifters, 1, second_marking=25)
    # Every sifter scores 3 on two criteria, except S1 who scores 5: S1's pairs and
    # the pairs S1 second-marked are each 2 apart.
    scores = [
        (reading.candidate, criterion, reading.assessor, 5 if reading.assessor == "S1" else 3) for reading in readings for criterion in ("k1", "k2")
    ]
    report = {result.sifter: result for result in second_marking_report(readings, scores, sifters)}
    assert set(report) == set(sifters)
    checks = second_readings(readings)
    for sifter in sifters:
        theirs = [reading for reading in checks if reading.second_marks == sifter]
        apart = sum(2 for reading in theirs if "S1" in (sifter, reading.assessor))
        result = report[sifter]
        assert result.items == 2 * len(theirs) == 2 * 3  # ceil(0.25 * 10) = 3
        assert result.wide == apart and result.exact == result.items - apart
        assert result.mean_difference == pytest.approx(2 * apart / result.items)
