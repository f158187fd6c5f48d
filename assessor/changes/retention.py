"""After the retention date: purging a sealed campaign's personal data, and sealing it again."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from assessor.changes.offers import chain_problems, rechained
from assessor.changes.seal import RETENTION_MONTHS, FileData, add_months, digest_by_its_rule, seal, seal_words
from assessor.core.campaign import AuditEntry, Campaign
from assessor.core.errors import ChangeRefused

PURGED = "[purged]"
"""What replaces purged text; empty text stays empty, so flags read the same."""

PURGE_NOTE = "re-sealed after purging personal data"


def retention_date(campaign: Campaign) -> date | None:
    """Until when personal data is kept: `retain_until`, else six months after the seal."""
    if campaign.campaign.retain_until is not None:
        return campaign.campaign.retain_until
    if campaign.seal is not None:
        return add_months(campaign.seal.at.date(), RETENTION_MONTHS)
    return None


def purged_on(campaign: Campaign) -> datetime | None:
    """When personal data was purged, if it was."""
    if campaign.seal is not None and campaign.seal.note and campaign.seal.note.startswith(PURGE_NOTE):
        return next((row.at for row in reversed(campaign.audit) if row.what.startswith("purged personal data")), campaign.seal.at)
    return None


_RATIONALE = re.compile(r"(; (?:rationale|reason): ).*\Z", re.DOTALL)
"""A rationale, or the reason for a change after set-up, quoted at the end of an audit row."""


def purge(campaign: Campaign, *, on_disk: dict[str, Any], who: str, at: datetime, file_data: FileData) -> Campaign:
    """Replace personal data with placeholders after the retention date; keep ids, scores, ranking.

    Names become the candidate's id; references are emptied; adjustments, evidence, the
    panel's notes and rationales become "[purged]" (empty text stays empty); rationales and reasons quoted in the audit
    and any candidate's name or reference written there are replaced too. Panel names
    stay: they record who decided. The campaign is sealed again with a note. `on_disk`
    is the plain data of the file as read, which the old seal must match.
    """
    if campaign.seal is None or campaign.campaign.status != "final":
        raise ChangeRefused("purge comes after finalise: `assessor finalise` first (it sets the retention date)")
    member = next((m for m in campaign.panel if m.id == who), None)
    if member is not None and member.role != "chair":
        raise ChangeRefused(f"{who!r} is on the panel as {member.role}: the seal is signed by a chair or by someone off the panel (HR)", "as")
    # Checked against the file as it is (`on_disk`, its plain TOML data), as verify does:
    # a file sealed by another version may be laid out differently from our own dump.
    if digest_by_its_rule(campaign.seal, on_disk) != campaign.seal.sha256:
        raise ChangeRefused("not purged: the seal does not match (run `assessor verify`); purging would hide that")
    if chain_problems(campaign):
        raise ChangeRefused("not purged: the offer records after the seal do not hold (run `assessor verify`); purging would hide that")
    retain = retention_date(campaign)
    assert retain is not None  # sealed, so there is a date
    if retain == date.max:  # no day after it to purge on
        raise ChangeRefused(f"personal data is kept until {retain.isoformat()} (retain_until), the last date there is: it is never purged")
    if at.date() <= retain:
        raise ChangeRefused(
            f"personal data is kept until {retain.isoformat()} (retain_until): purge is possible from {(retain + timedelta(days=1)).isoformat()}"
        )
    first = seal_words(campaign)

    replacements = {}
    for candidate in campaign.candidates:
        for text in (candidate.name, candidate.reference):
            if len(text.strip()) >= 2 and text != candidate.id:
                replacements[text] = candidate.id
    # Longest first, so "Ann Lee-Smith" is not half replaced by "Ann Lee".
    words = "|".join(re.escape(text) for text in sorted(replacements, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)") if replacements else None

    def scrub(text: str) -> str:
        text = _RATIONALE.sub(lambda match: match.group(1) + PURGED, text)
        return pattern.sub(lambda match: replacements[match.group(0)], text) if pattern else text

    def blank(text: str) -> str:
        return PURGED if text.strip() else text

    candidates = [c.model_copy(update={"name": c.id, "reference": "", "adjustments": blank(c.adjustments)}) for c in campaign.candidates]
    scores = [s.model_copy(update={"evidence": blank(s.evidence)}) for s in campaign.scores]
    notes = [note.model_copy(update={"text": PURGED}) for note in campaign.notes]
    moderation = [m.model_copy(update={"rationale": blank(m.rationale)}) for m in campaign.moderation]
    order = [row.model_copy(update={"rationale": PURGED}) for row in campaign.order]
    feedback = [note.model_copy(update={"text": PURGED}) for note in campaign.feedback]
    declarations = [
        row.model_copy(update={"reason": PURGED, "withdrawn_reason": PURGED if row.withdrawn_reason else row.withdrawn_reason})
        for row in campaign.declarations
    ]
    decisions = [
        row.model_copy(update={"reinstated": [late.model_copy(update={"reason": PURGED}) for late in row.reinstated]}) for row in campaign.decisions
    ]
    audit = [row.model_copy(update={"what": scrub(row.what)}) for row in campaign.audit]
    audit.append(
        AuditEntry(
            at=at,
            who=who,
            what=(
                f"purged personal data (kept until {retain.isoformat()}): names, references, adjustments, evidence, notes and "
                "rationales replaced; ids, scores and ranking kept"
            ),
        )
    )
    purged = campaign.model_copy(
        update={
            "candidates": candidates,
            "scores": scores,
            "notes": notes,
            "moderation": moderation,
            "order": order,
            "feedback": feedback,
            "declarations": declarations,
            "decisions": decisions,
            "audit": audit,
        }
    )
    # The offers' outcomes stay, their notes go; the chain follows the new seal.
    return rechained(seal(purged, by=who, at=at, file_data=file_data, note=f"{PURGE_NOTE}; first {first}"), note=blank)
