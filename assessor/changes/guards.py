"""Refusals every kind of change shares: a sealed campaign, someone who is not the chair."""

from __future__ import annotations

from assessor.core.campaign import AuditEntry, Campaign
from assessor.core.errors import ChangeRefused, ReasonNeeded


def check_open(campaign: Campaign) -> None:
    """Refuse any change to a finalised (sealed) campaign."""
    if campaign.campaign.status == "final" or campaign.seal is not None:
        raise ChangeRefused("the campaign is final and sealed: it can no longer be changed")


def require_chair(campaign: Campaign, member_id: str, doing: str) -> None:
    """Refuse unless `member_id` is the panel's chair; `doing` ends the sentence."""
    member = next((m for m in campaign.panel if m.id == member_id), None)
    if member is None:
        raise ChangeRefused(f"{member_id!r} is not on the panel", "as")
    if member.role != "chair":
        raise ChangeRefused(f"{member_id!r} is on the panel as {member.role}, not chair; only a chair {doing}", "as")


def with_audit(audit: list[AuditEntry], entry: AuditEntry) -> list[AuditEntry]:
    """The audit trail with `entry` added; a repeat of the last row (same person, same words,
    e.g. evidence typed over a few minutes) updates that row's time instead of adding one."""
    if audit and audit[-1].who == entry.who and audit[-1].what == entry.what:
        return [*audit[:-1], entry]
    return [*audit, entry]


def check_stage_open(campaign: Campaign, who: str, stage: str, reason: str = "", doing: str = "its scores") -> bool:
    """Refuse a change to the scores (or notes) of a stage the chair has decided, unless the chair
    corrects them with a reason; True when it is such a correction (the reason goes in the audit).
    The recorded result stands whatever the correction (`rules.decided`)."""
    record = campaign.decision_at(stage)
    if record is None:
        return False
    names = {member.id: member.name for member in campaign.panel}
    stage_name = next((row.name for row in campaign.stages if row.id == stage), stage)
    decided = f"the {stage_name} stage was decided by {names.get(record.by, record.by)} on {record.at.date().isoformat()}"
    if not campaign.is_chair(who):
        raise ChangeRefused(f"{decided}: {doing} are closed")
    if not reason.strip():
        raise ReasonNeeded(f"{decided}: correcting {doing} needs a reason, written to the audit; who went on stays as decided", "reason")
    return True
