"""Every change a person makes to a campaign, checked, with its audit row. No I/O.

The CLI and the app call these same functions, so a score recorded either way obeys the
same rules. Each returns a new `Campaign` and leaves the one passed in untouched.
"""

from __future__ import annotations

from datetime import datetime

from assessor.model import SCORE_MAX, SCORE_MIN, AuditEntry, Campaign, Moderation, Score, now
from assessor.scoring import agreed_score, format_score


class ChangeRefused(Exception):
    """A change that the campaign's rules do not allow; the message says why.

    `details` lists the items behind a refusal that has several (one line each).
    """

    def __init__(self, message: str, field: str = "", details: tuple[str, ...] = ()) -> None:
        self.message = message
        self.field = field
        self.details = tuple(details)
        super().__init__("\n".join([message, *self.details]))


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


def _check_item(campaign: Campaign, candidate: str, criterion: str, stage: str, score: int) -> None:
    candidates = {row.id: row for row in campaign.candidates}
    criteria = {row.id: row for row in campaign.criteria}
    stages = {row.id for row in campaign.stages}
    if candidate not in candidates:
        raise ChangeRefused(f"unknown candidate {candidate!r}", "candidate")
    if candidates[candidate].withdrawn:
        raise ChangeRefused(f"candidate {candidate!r} has withdrawn", "candidate")
    if criterion not in criteria:
        raise ChangeRefused(f"unknown criterion {criterion!r} (one of: {', '.join(criteria)})", "criterion")
    if stage not in stages:
        raise ChangeRefused(f"unknown stage {stage!r} (one of: {', '.join(sorted(stages))})", "stage")
    if stage not in criteria[criterion].stages:
        raise ChangeRefused(f"criterion {criterion!r} is not assessed at stage {stage!r}", "stage")
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ChangeRefused(f"score must be {SCORE_MIN} to {SCORE_MAX}, not {score}", "score")


def record_score(
    campaign: Campaign,
    *,
    assessor: str,
    candidate: str,
    criterion: str,
    stage: str,
    score: int,
    evidence: str | None = None,
    at: datetime | None = None,
) -> Campaign:
    """Add or replace `assessor`'s own score; `evidence=None` keeps what was written before."""
    check_open(campaign)
    if assessor not in {member.id for member in campaign.panel}:
        raise ChangeRefused(f"{assessor!r} is not on the panel", "as")
    _check_item(campaign, candidate, criterion, stage, score)
    at = at or now()
    index = campaign.score_index(candidate, criterion, stage, assessor)
    old = campaign.scores[index] if index is not None else None
    text = evidence if evidence is not None else (old.evidence if old else "")
    new = Score(candidate=candidate, criterion=criterion, stage=stage, assessor=assessor, score=score, evidence=text, at=at)
    if old is None:
        what = f"scored {candidate} on {criterion} at {stage}: {score}"
    elif old.score == score:
        what = f"edited evidence for {candidate} on {criterion} at {stage}"
    else:
        what = f"changed score for {candidate} on {criterion} at {stage}: {old.score} -> {score}"
        if new.evidence != old.evidence:
            what += " (evidence edited)"
    return campaign.with_score(new, index, audit=with_audit(campaign.audit, AuditEntry(at=at, who=assessor, what=what)))


def with_audit(audit: list[AuditEntry], entry: AuditEntry) -> list[AuditEntry]:
    """The audit trail with `entry` added; a repeat of the last row (same person, same words,
    e.g. evidence typed over a few minutes) updates that row's time instead of adding one."""
    if audit and audit[-1].who == entry.who and audit[-1].what == entry.what:
        return [*audit[:-1], entry]
    return [*audit, entry]


def record_moderation(
    campaign: Campaign,
    *,
    chair: str,
    candidate: str,
    criterion: str,
    stage: str,
    score: int,
    rationale: str,
    at: datetime | None = None,
) -> Campaign:
    """Record (or replace) the chair's agreed score with its rationale; independent scores stay."""
    check_open(campaign)
    require_chair(campaign, chair, "records agreed scores")
    if not rationale.strip():
        raise ChangeRefused("a rationale is required: say why the panel agreed this score", "rationale")
    _check_item(campaign, candidate, criterion, stage, score)
    item = (candidate, criterion, stage)
    panel_scores = list(campaign.scores_by_item().get(item, ())[1::3])
    if not panel_scores:
        raise ChangeRefused(f"nobody has scored {candidate} on {criterion} at {stage} yet: there is nothing to moderate")
    at = at or now()
    moderation = [row for row in campaign.moderation if row.item != item]
    previous = next((row for row in campaign.moderation if row.item == item), None)
    before = agreed_score(panel_scores, previous)
    agreed = Moderation.model_validate(
        {"candidate": candidate, "criterion": criterion, "stage": stage, "score": score, "rationale": rationale, "by": chair, "at": at}
    )
    moderation.append(agreed)
    kind = "moderated" if previous is None else "re-moderated"
    what = f"{kind} {candidate} on {criterion} at {stage}: {format_score(before)} -> {score}; rationale: {agreed.rationale}"
    audit = [*campaign.audit, AuditEntry(at=at, who=chair, what=what)]
    return campaign.model_copy(update={"moderation": moderation, "audit": audit})
