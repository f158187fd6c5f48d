"""Calibration: how each panel member's scores sit against the rest of the panel's.

Per member: how many scores, how many could be compared (someone else scored the same
item), the mean difference from the panel's mean on those items, how often they were
alone furthest from it by 1 or more (an outlier), and a lenient or severe tendency when
the mean difference is 1 or more one way overall and on at least five candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import fmean
from typing import Literal

from assessor.core.campaign import PanelMember
from assessor.rules.grouping import Panel
from assessor.rules.summary_types import LENIENCY_CANDIDATES, LENIENCY_DIFFERENCE, MemberCalibration


def calibrate(panel: Sequence[PanelMember], rows: Sequence[Sequence[Panel]]) -> tuple[MemberCalibration, ...]:
    """Each member's calibration from the item panels of each candidate (a row per candidate)."""
    # Items are counted by their panel: a member's totals are then a few hundred additions
    # rather than a pass over every score.
    times = Counter([found for row in rows for found in row])
    scores: Counter[str] = Counter()
    outliers: Counter[str] = Counter()
    differences: dict[str, list[float]] = {member.id: [] for member in panel}
    for found, count in times.items():
        for who in found.assessors:
            scores[who] += count
        for who, difference in zip(found.compared, found.differences, strict=True):
            differences.setdefault(who, []).extend([difference] * count)
        if found.outlier is not None:
            outliers[found.outlier] += count
    # On how many candidates each member could be compared with someone else.
    shapes = Counter([frozenset([found.compared for found in row]) for row in rows])
    candidates: Counter[str] = Counter()
    for shape, count in shapes.items():
        for who in set().union(*shape):
            candidates[who] += count

    calibration = []
    for member in panel:
        mine = differences[member.id]
        mean_difference = fmean(mine) if mine else None  # an exact sum: the order of the items does not matter
        tendency: Literal["lenient", "severe"] | None = None
        if mean_difference is not None and candidates[member.id] >= LENIENCY_CANDIDATES and abs(mean_difference) >= LENIENCY_DIFFERENCE:
            tendency = _tendency(member.id, mean_difference, rows)
        calibration.append(
            MemberCalibration(
                id=member.id,
                name=member.name,
                role=member.role,
                scores=scores[member.id],
                compared=len(mine),
                mean_difference=mean_difference,
                outlier=outliers[member.id],
                candidates=candidates[member.id],
                tendency=tendency,
            )
        )
    return tuple(calibration)


def _tendency(member: str, mean_difference: float, rows: Sequence[Sequence[Panel]]) -> Literal["lenient", "severe"] | None:
    """Lenient or severe: 1 or more one way overall, and on at least five candidates."""
    by_candidate = []
    for row in rows:
        mine = [difference for found in row for who, difference in zip(found.compared, found.differences, strict=True) if who == member]
        if mine:
            by_candidate.append(fmean(mine))
    high = sum(1 for value in by_candidate if value >= LENIENCY_DIFFERENCE)
    low = sum(1 for value in by_candidate if value <= -LENIENCY_DIFFERENCE)
    if high >= LENIENCY_CANDIDATES and mean_difference >= LENIENCY_DIFFERENCE:
        return "lenient"
    if low >= LENIENCY_CANDIDATES and mean_difference <= -LENIENCY_DIFFERENCE:
        return "severe"
    return None
