"""Rule 2, written once: the agreed score of an item (candidate, criterion, stage)."""

from __future__ import annotations

from collections.abc import Iterable


def panel_mean(scores: Iterable[int]) -> float | None:
    """The mean of the panel's independent scores, or None while nobody has scored.

    Scores are whole numbers, so the sum is exact and one division gives the same float
    as `statistics.fmean`.
    """
    values = list(scores)
    return sum(values) / len(values) if values else None


def agreed_score(panel: float | None, moderated: int | None) -> float | None:
    """The chair's agreed score where one is recorded, else the panel's mean (`panel`).

    Moderation never changes the independent scores; it only stands in for their mean.
    """
    if moderated is not None:
        return float(moderated)
    return panel
