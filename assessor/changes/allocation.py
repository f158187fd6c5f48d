"""Allocating a stage's candidates among sifters: the chair's `[[allocation]]` rows, with their audit row.

Who is allocated: every candidate still in the running at the stage (not withdrawn, and not
stopped at a stage already decided). Readers come from the panel (or the sifters named),
dealt by `rules.allocation.allocate_readers`, seeded by the campaign's id and the stage, so
the same campaign always gets the same allocation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from assessor.changes.guards import check_open, require_chair
from assessor.core.campaign import Allocation, AuditEntry, Campaign
from assessor.core.clock import now
from assessor.core.errors import ChangeRefused, ReasonNeeded
from assessor.rules.allocation import AllocationRefused, allocate_readers
from assessor.rules.scoring import stopped_before
from assessor.rules.stages import decided_stages


class Allocated(NamedTuple):
    """A campaign with a stage newly allocated, and what each sifter was given."""

    campaign: Campaign
    first: Counter[str]
    """First readings by sifter."""
    second: Counter[str]
    """Second-marking readings by sifter."""
    candidates: int


def allocate_stage(
    campaign: Campaign,
    *,
    chair: str,
    stage: str,
    readers: int,
    second_marking: float = 0.0,
    sifters: Sequence[str] | None = None,
    force: bool = False,
    reason: str = "",
    at: datetime | None = None,
) -> Allocated:
    """Allocate `stage`'s candidates among `sifters` (default: the whole panel), `readers` each,
    with a `second_marking` percentage of each sifter's also read by another; any earlier
    allocation of the stage is replaced. Refused once anyone has scored at the stage, unless
    `force` with a reason (written to the audit)."""
    check_open(campaign)
    require_chair(campaign, chair, "allocates the candidates")
    stages = {entry.id: entry for entry in campaign.stages}
    if stage not in stages:
        raise ChangeRefused(f"unknown stage {stage!r} (one of: {', '.join(stages)})", "stage")
    order = list(stages)
    earlier = order[: order.index(stage)]
    decided = decided_stages(campaign)
    open_before = [stages[entry].name for entry in earlier if entry not in decided]
    if open_before:
        raise ChangeRefused(
            f"{stages[stage].name} is allocated once {', '.join(open_before)} has decided who goes on to it "
            "(the chair moves the campaign on with assessor advance)",
            "stage",
        )
    panel = [member.id for member in campaign.panel]
    chosen = list(sifters) if sifters else panel
    unknown = [who for who in chosen if who not in panel]
    if unknown:
        raise ChangeRefused(f"not on the panel: {', '.join(unknown)}", "sifters")
    scored = sum(1 for score in campaign.scores if score.stage == stage)
    if scored and not force:
        raise ChangeRefused(
            f"scoring at {stages[stage].name} has begun ({scored} scores): allocating again moves work between sifters; "
            "use --force with a reason to do it anyway",
            "force",
        )
    if scored and not reason.strip():
        raise ReasonNeeded(f"allocating {stages[stage].name} again after scoring has begun needs a reason, written to the audit", "reason")
    stopped = stopped_before(campaign, (stage,), among=decided)
    candidates = [candidate.id for candidate in campaign.candidates if not candidate.withdrawn and candidate.id not in stopped]
    try:
        conflicts: dict[str, list[str]] = {}
        for row in campaign.declarations:
            if row.stands:
                conflicts.setdefault(row.candidate, []).append(row.member)
        readings = allocate_readers(f"{campaign.campaign.id}/{stage}", candidates, chosen, readers, second_marking, conflicts)
    except AllocationRefused as refused:
        raise ChangeRefused(str(refused), "readers") from None
    rows = [
        Allocation(stage=stage, candidate=reading.candidate, assessor=reading.assessor, second_marks=reading.second_marks or None)
        for reading in readings
    ]
    kept = [row for row in campaign.allocation if row.stage != stage]
    first = Counter(reading.assessor for reading in readings if not reading.second_marks)
    second = Counter(reading.assessor for reading in readings if reading.second_marks)
    what = (
        f"allocated {stages[stage].name}: {len(candidates)} candidates among {len(chosen)} sifters, {readers} "
        f"{'reader' if readers == 1 else 'readers'} each, {second_marking:g}% second marking ({sum(second.values())} second readings)"
    )
    if reason.strip():
        what += f"; reason: {reason.strip()}"
    audit = [*campaign.audit, AuditEntry(at=at or now(), who=chair, what=what)]
    changed = campaign.model_copy(update={"allocation": [*kept, *rows], "audit": audit})
    return Allocated(changed, first, second, len(candidates))


def check_allocated(campaign: Campaign, assessor: str, candidate: str, stage: str) -> None:
    """Refuse a score at an allocated stage from someone the candidate is not allocated to."""
    rows = [row for row in campaign.allocation if row.stage == stage]
    if not rows or any(row.candidate == candidate and row.assessor == assessor for row in rows):
        return
    if not any(row.candidate == candidate for row in rows):
        return  # added after the allocation: open to the panel until it is allocated again
    raise ChangeRefused(f"{candidate} is not allocated to {assessor} at {stage}: the chair allocated its readers", "candidate")
