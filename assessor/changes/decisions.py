"""The chair's decisions besides the agreed scores: the order of a tie across the appointable
line, the feedback each candidate is sent, and a late invitation past a decided stage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assessor.changes.guards import check_open, require_chair
from assessor.core.campaign import AuditEntry, Campaign, Feedback, Order
from assessor.core.clock import now
from assessor.core.decisions import Reinstatement
from assessor.core.errors import ChangeRefused
from assessor.rules.decided import goes_on, results_by_candidate
from assessor.rules.scoring import summarise


def separate(campaign: Campaign, *, chair: str, order: Sequence[str], rationale: str, at: datetime | None = None) -> Campaign:
    """Record the chair's order (highest first) of the candidates tied across the appointable
    line, with the reason: the merit list then follows it. `order` names exactly that tie."""
    check_open(campaign)
    require_chair(campaign, chair, "orders a tie at the appointable line")
    if not rationale.strip():
        raise ChangeRefused("a rationale is required: say why the chair placed them in this order", "rationale")
    open_ties: dict[str, list[str]] = {}
    for result in summarise(campaign).candidates:
        if "tie-at-line" in result.flags:
            open_ties.setdefault(str(result.rank), []).append(result.id)
    if not open_ties:
        raise ChangeRefused("no tie crosses the appointable line: the merit list needs no order from the chair", "order")
    wanted = list(order)
    tie = next((ids for ids in open_ties.values() if set(ids) == set(wanted)), None)
    if tie is None or len(wanted) != len(set(wanted)):
        ties = "; ".join(", ".join(ids) for ids in open_ties.values())
        raise ChangeRefused(f"name each candidate of the tie across the appointable line once, highest first: {ties}", "order")
    at = at or now()
    row = Order(candidates=wanted, rationale=rationale.strip(), by=chair, at=at)
    kept = [placed for placed in campaign.order if set(placed.candidates) != set(wanted)]
    what = f"ordered the tie across the appointable line: {' above '.join(wanted)}; rationale: {row.rationale}"
    return campaign.model_copy(update={"order": [*kept, row], "audit": [*campaign.audit, AuditEntry(at=at, who=chair, what=what)]})


def write_feedback(campaign: Campaign, *, chair: str, candidate: str, text: str, at: datetime | None = None) -> Campaign:
    """Write (or replace) the chair's feedback to `candidate`, which their letter carries; an
    empty text takes it back. Written before the campaign is sealed, so the seal covers it."""
    check_open(campaign)
    require_chair(campaign, chair, "writes feedback to candidates")
    if candidate not in {c.id for c in campaign.candidates}:
        raise ChangeRefused(f"unknown candidate {candidate!r}", "candidate")
    at = at or now()
    kept = [note for note in campaign.feedback if note.candidate != candidate]
    had = len(kept) != len(campaign.feedback)
    if not text.strip():
        if not had:
            return campaign
        rows, what = kept, f"took back the feedback to {candidate}"
    else:
        rows, what = (
            [*kept, Feedback(candidate=candidate, text=text.strip(), by=chair, at=at)],
            f"{'rewrote' if had else 'wrote'} the feedback to {candidate}",
        )
    return campaign.model_copy(update={"feedback": rows, "audit": [*campaign.audit, AuditEntry(at=at, who=chair, what=what)]})


def reinstate(campaign: Campaign, *, chair: str, stage: str, candidate: str, reason: str, at: datetime | None = None) -> Campaign:
    """The chair invites on a candidate who did not go on from a decided `stage` (after a correction
    showed they should have, say), with the reason: a late invitation recorded beside the stage's
    result, which stays as it was decided."""
    check_open(campaign)
    require_chair(campaign, chair, "invites a candidate on after a stage is decided")
    stages = {row.id: row.name for row in campaign.stages}
    if stage not in stages:
        raise ChangeRefused(f"unknown stage {stage!r} (one of: {', '.join(stages)})", "stage")
    record = campaign.decision_at(stage)
    if record is None:
        raise ChangeRefused(f"the {stages[stage]} stage is not decided yet: who goes on from it is decided when the chair moves on", "stage")
    result = results_by_candidate(record).get(candidate)
    if result is None:
        known = {row.id for row in campaign.candidates}
        words = f"unknown candidate {candidate!r}" if candidate not in known else f"{candidate} has no result at the {stages[stage]} stage"
        raise ChangeRefused(words, "candidate")
    if next(row for row in campaign.candidates if row.id == candidate).withdrawn:
        raise ChangeRefused(f"{candidate} has withdrawn: reinstate their application first (set-up, Candidates, w)", "candidate")
    if goes_on(result):
        raise ChangeRefused(f"{candidate} went on from the {stages[stage]} stage already", "candidate")
    if not reason.strip():
        raise ChangeRefused(f"a reason is required: say why {candidate} is invited on after the {stages[stage]} stage was decided", "reason")
    at = at or now()
    late = Reinstatement(candidate=candidate, by=chair, at=at, reason=reason.strip())
    decisions = [row.model_copy(update={"reinstated": [*row.reinstated, late]}) if row is record else row for row in campaign.decisions]
    what = f"reinstated {candidate} at the {stages[stage]} stage (decided: {result.outcome}): invited on late; reason: {late.reason}"
    return campaign.model_copy(update={"decisions": decisions, "audit": [*campaign.audit, AuditEntry(at=at, who=chair, what=what)]})
