"""The summary's shape: what `scoring.summarise` returns and every report renders.

Plain, immutable data with the thresholds that name its flags. The arithmetic that fills
it is in `scoring.py` and `calibration.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from assessor.core.campaign import Criterion

Outcome = Literal["appointable", "reserve", "pass", "guaranteed", "not-shortlisted", "fail", "incomplete", "withdrawn"]

GOES_ON: frozenset[str] = frozenset({"pass", "guaranteed"})
"""The outcomes at a stage that is not the merit list with which a candidate goes on to the next."""

SPREAD_FLAG = 2
"""A panel spread (max - min) of this much or more is flagged for moderation."""

LENIENCY_DIFFERENCE = 1.0
"""A member whose scores sit this far from the panel's mean is flagged..."""

LENIENCY_CANDIDATES = 5
"""...when it holds on at least this many candidates."""

PRECISION = 9
"""Decimal places compared when ordering: sums in another order must not break a tie."""

FLAG_WORDS = {
    "spread": "panel spread of 2 or more",
    "no-evidence": "a score without evidence",
    "unmoderated-disagreement": "panel disagreement not moderated",
    "unresolved-tie": "tie not broken by the tie-break criteria",
    "tie-at-cut": "tied at the shortlist's cut: all of them go on",
    "tie-at-line": "a shared rank across the vacancies line: the chair orders it",
    "scored-after-stopping": "scores at a stage the candidate did not go on to",
}


class FrozenScores(dict[str, int]):
    """A panel's scores on an item, by member id: shared by every item scored alike, so read-only."""

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("the scores of a summary are read-only")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[FrozenScores], tuple[dict[str, int]]]:
        return (type(self), (dict(self),))


@dataclass(frozen=True)
class Column:
    """One counted (criterion, stage) pair: a column of the merit list."""

    criterion: Criterion
    stage: str

    @property
    def key(self) -> tuple[str, str]:
        """(criterion id, stage id)."""
        return (self.criterion.id, self.stage)


class ItemResult(NamedTuple):
    """The panel's view of one candidate on one criterion at one stage.

    A named tuple rather than a dataclass: immutable, and items scored alike share one.
    """

    criterion: str
    stage: str
    scores: dict[str, int]
    """Independent scores by panel member id, in panel order."""
    agreed: float | None
    """Moderated score, else the mean of `scores`; None while nobody has scored."""
    moderated: bool
    spread: int | None
    rationale: str = ""
    without_evidence: tuple[str, ...] = ()
    """Panel members whose score has no evidence."""
    awaiting: tuple[str, ...] = ()
    """At an allocated stage, the readers allocated to the item who have not scored it yet (the
    item has no agreed score until they have, unless the chair agrees one)."""
    unagreed: bool = False
    """A counted item of a consensus campaign the panel has scored and the chair not yet agreed."""

    @property
    def missing(self) -> bool:
        """No score yet, and no agreed score."""
        return self.agreed is None

    @property
    def wide_spread(self) -> bool:
        """The panel's scores are far enough apart to need the chair."""
        return (self.spread or 0) >= SPREAD_FLAG

    @property
    def disagreement(self) -> bool:
        """A wide spread and no agreed score recorded."""
        return self.wide_spread and not self.moderated


class CandidateResult(NamedTuple):
    """One candidate's line in the merit list (a named tuple, like ItemResult: `_replace` makes a changed copy)."""

    id: str
    display_name: str
    """The name, or the reference in a name-blind sift summary."""
    reference: str
    items: tuple[ItemResult, ...]
    """In column order."""
    total: float | None
    """None in a member's view before moderation (`visibility.as_seen_by`): it depends on others' scores."""
    outcome: Outcome | None
    """None where a member's view hides it; "withdrawn", and "fail" for a candidate who did not pass
    a stage already decided, are never hidden."""
    rank: int | None
    failed: tuple[str, ...] = ()
    """Why a candidate failed, in words: criteria below their pass mark, the overall mark."""
    missing: tuple[str, ...] = ()
    """Counted items with no agreed score yet, as `criterion@stage` (those the panel scored in a
    consensus campaign are in `unagreed` too)."""
    flags: tuple[str, ...] = ()
    """Codes from FLAG_WORDS."""
    notes: tuple[str, ...] = ()
    """Words for the chair: how ties fell, which items are flagged."""
    unagreed: tuple[str, ...] = ()
    """Of `missing`, the items awaiting the panel's agreed score (a consensus campaign)."""
    reason: str = ""
    """Why the candidate goes on or not at a shortlist cut, or did not go on from an earlier
    stage's: `below the shortlist of 12: rank 14, total 21 against 23`."""
    adjustments: str = ""
    """The candidate's reasonable adjustments; empty where a member's view leaves them out
    (`visibility.sees_adjustments`)."""

    def item(self, criterion: str, stage: str) -> ItemResult | None:
        """This candidate's result on one criterion at one stage."""
        return next((item for item in self.items if item.criterion == criterion and item.stage == stage), None)


@dataclass(frozen=True)
class MemberCalibration:
    """How one panel member's scores sit against the panel's."""

    id: str
    name: str
    role: str
    scores: int
    compared: int
    """Items they scored that at least one other member also scored."""
    mean_difference: float | None
    """Mean of (their score - the panel's mean) over compared items."""
    outlier: int
    """Items on which they were alone furthest from the panel's mean, by 1 or more."""
    candidates: int
    """Candidates on which they could be compared."""
    tendency: Literal["lenient", "severe"] | None


@dataclass(frozen=True)
class SecondMarking:
    """How one sifter's scores at an allocated stage compared with their second marker's."""

    stage: str
    sifter: str
    name: str
    items: int
    """Pairs compared: criteria of second-marked candidates both the sifter and the second marker scored."""
    exact: int
    """Pairs with the same score."""
    mean_difference: float | None
    """Mean absolute difference over the pairs; None before any pair is scored."""
    wide: int
    """Pairs differing by 2 or more."""

    @property
    def agreement(self) -> float | None:
        """The share of pairs with the same score; None before any pair is scored."""
        return self.exact / self.items if self.items else None


@dataclass(frozen=True)
class Summary:
    """The ranked panel summary of a campaign for some of its stages."""

    campaign_id: str
    title: str
    stages: tuple[str, ...]
    counted: bool
    """True when these are the campaign's counted stages (the merit list)."""
    columns: tuple[Column, ...]
    candidates: tuple[CandidateResult, ...]
    """Merit order: passed by rank, then incomplete, failed, withdrawn."""
    calibration: tuple[MemberCalibration, ...]
    vacancies: int
    names_shown: bool
    second_marking: tuple[SecondMarking, ...] = ()
    """Per sifter at each allocated stage summarised, where second marking was drawn."""
    seen_by: str | None = None
    """The panel member whose view this is, where it hides what depends on others' scores
    (`visibility.as_seen_by`); None for the whole summary."""

    def candidate(self, candidate_id: str) -> CandidateResult:
        """The result for one candidate."""
        return next(result for result in self.candidates if result.id == candidate_id)


def format_score(value: float | None) -> str:
    """A score or total for people: `5`, `5.33`, or `-` when missing."""
    if value is None:
        return "-"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"
