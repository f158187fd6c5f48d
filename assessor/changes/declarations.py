"""A panel member's conflict of interest: declared with a reason, taken back with one. No I/O.

Civil Service practice asks every panel member to declare knowing a candidate. While a
declaration stands the member does not score that candidate (`changes.scores.record`),
does not see the panel's scores on them (`rules.visibility`), and allocation passes them
over (`changes.allocation`); the chair sees every declaration.
"""

from __future__ import annotations

from datetime import datetime

from assessor.changes.guards import check_open
from assessor.core.campaign import AuditEntry, Campaign
from assessor.core.clock import now
from assessor.core.decisions import Declaration
from assessor.core.errors import ChangeRefused


def declare(campaign: Campaign, *, member: str, candidate: str, reason: str, at: datetime | None = None) -> Campaign:
    """Record that `member` knows `candidate`, with the reason: from now on they do not score them."""
    check_open(campaign)
    _check_people(campaign, member, candidate)
    if campaign.declared(member, candidate) is not None:
        raise ChangeRefused(f"{member} has declared a conflict of interest with {candidate} already", "candidate")
    if not reason.strip():
        raise ChangeRefused(f"a reason is required: say how {member} knows {candidate}", "reason")
    at = at or now()
    row = Declaration(member=member, candidate=candidate, reason=reason.strip(), at=at)
    entry = AuditEntry(at=at, who=member, what=f"declared a conflict of interest with {candidate}: {row.reason}")
    return campaign.model_copy(update={"declarations": [*campaign.declarations, row], "audit": [*campaign.audit, entry]})


def withdraw_declaration(campaign: Campaign, *, member: str, candidate: str, reason: str, at: datetime | None = None) -> Campaign:
    """Take back `member`'s standing declaration about `candidate`, with the reason; the row stays, dated."""
    check_open(campaign)
    _check_people(campaign, member, candidate)
    standing = campaign.declared(member, candidate)
    if standing is None:
        raise ChangeRefused(f"{member} has no conflict of interest declared with {candidate} to take back", "candidate")
    if not reason.strip():
        raise ChangeRefused(f"a reason is required: say why {member}'s conflict with {candidate} no longer stands", "reason")
    at = at or now()
    taken_back = standing.model_copy(update={"withdrawn": at, "withdrawn_reason": reason.strip()})
    rows = [taken_back if row is standing else row for row in campaign.declarations]
    entry = AuditEntry(at=at, who=member, what=f"took back the conflict of interest declared with {candidate}; reason: {reason.strip()}")
    return campaign.model_copy(update={"declarations": rows, "audit": [*campaign.audit, entry]})


def _check_people(campaign: Campaign, member: str, candidate: str) -> None:
    if member not in {row.id for row in campaign.panel}:
        raise ChangeRefused(f"{member!r} is not on the panel", "as")
    if candidate not in {row.id for row in campaign.candidates}:
        raise ChangeRefused(f"unknown candidate {candidate!r}", "candidate")
