"""Refusals every kind of change shares: a sealed campaign, someone who is not the chair."""

from __future__ import annotations

from assessor.core.campaign import AuditEntry, Campaign
from assessor.core.errors import ChangeRefused


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
