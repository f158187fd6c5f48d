"""A panel member's overall note on a candidate at a stage: written, rewritten or taken back. No I/O.

A note is the member's own, like their scores: it goes on their score sheet, and nobody
else sees it before the panel's scores are shown (`rules.visibility.notes_seen`). Its
audit row says that a note was written, never what it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assessor.changes.guards import check_open, check_stage_open, with_audit
from assessor.core.campaign import AuditEntry, Campaign, Note
from assessor.core.clock import now
from assessor.core.errors import ChangeRefused
from assessor.rules.roles import with_reason


@dataclass(frozen=True)
class WrittenNote:
    """A note written (or taken back, `note.text` empty) and the campaign with it."""

    campaign: Campaign
    note: Note
    changed: bool = True
    """False when the note already said exactly this: nothing to save."""


def write_note(
    campaign: Campaign, *, assessor: str, candidate: str, stage: str, text: str, at: datetime | None = None, reason: str = ""
) -> WrittenNote:
    """Write `assessor`'s overall note on `candidate` at `stage`; an empty text takes the note back.
    At a decided stage only the chair may, with a `reason`."""
    check_open(campaign)
    if assessor not in {member.id for member in campaign.panel}:
        raise ChangeRefused(f"{assessor!r} is not on the panel", "as")
    if candidate not in {row.id for row in campaign.candidates}:
        raise ChangeRefused(f"unknown candidate {candidate!r}", "candidate")
    if stage not in {row.id for row in campaign.stages}:
        raise ChangeRefused(f"unknown stage {stage!r}", "stage")
    correction = check_stage_open(campaign, assessor, stage, reason, "its notes")
    at = at or now()
    key = (candidate, stage, assessor)
    old = next((row for row in campaign.notes if (row.candidate, row.stage, row.assessor) == key), None)
    text = text if text.strip() else ""
    note = Note(candidate=candidate, stage=stage, assessor=assessor, text=text, at=at)
    if (old.text if old is not None else "") == text:
        return WrittenNote(campaign, old or note, changed=False)
    kept = [row for row in campaign.notes if row is not old]
    if not text:
        what = f"took back the note on {candidate} at {stage}"
    else:
        kept.append(note)
        what = f"{'rewrote' if old is not None else 'wrote'} a note on {candidate} at {stage}"
    audit = with_audit(campaign.audit, AuditEntry(at=at, who=assessor, what=with_reason(what, reason) if correction else what))
    return WrittenNote(campaign.model_copy(update={"notes": kept, "audit": audit}), note)
