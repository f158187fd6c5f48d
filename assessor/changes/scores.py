"""Recording scores: a panel member's own score, and the chair's agreed score. No I/O.

The command line and the app call these same functions, so a score recorded either way
obeys the same rules. Each returns a new `Campaign` and leaves the one passed in untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from assessor.changes.allocation import check_allocated
from assessor.changes.guards import check_open, check_stage_open, require_chair, with_audit
from assessor.core.campaign import SCORE_MAX, SCORE_MIN, AuditEntry, Campaign, Moderation, Score
from assessor.core.clock import now
from assessor.core.errors import ChangeRefused
from assessor.rules.agreed import agreed_score, panel_mean
from assessor.rules.roles import with_reason
from assessor.rules.scoring import Stopped, stopped_before
from assessor.rules.stages import decided_stages
from assessor.rules.summary_types import format_score
from assessor.rules.visibility import sees_item


def _check_item(campaign: Campaign, candidate: str, criterion: str, stage: str, score: int) -> None:
    candidates = {row.id: row for row in campaign.candidates}
    criteria = {row.id: row for row in campaign.criteria}
    stages = {row.id: row for row in campaign.stages}
    if candidate not in candidates:
        raise ChangeRefused(f"unknown candidate {candidate!r}", "candidate")
    if candidates[candidate].withdrawn:
        raise ChangeRefused(f"candidate {candidate!r} has withdrawn", "candidate")
    if criterion not in criteria:
        raise ChangeRefused(f"unknown criterion {criterion!r} (one of: {', '.join(criteria)})", "criterion")
    if stage not in stages:
        raise ChangeRefused(f"unknown stage {stage!r} (one of: {', '.join(sorted(stages))})", "stage")
    if not stages[stage].methods:  # what a score judges is the evidence of a method: there is none to judge
        raise ChangeRefused(f"stage {stage!r} has no selection methods: the set-up names them before the stage is scored", "stage")
    if stage not in criteria[criterion].stages:
        raise ChangeRefused(f"criterion {criterion!r} is not assessed at stage {stage!r}", "stage")
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ChangeRefused(f"score must be {SCORE_MIN} to {SCORE_MAX}, not {score}", "score")


def score_index(scores: list[Score], candidate: str, criterion: str, stage: str, assessor: str) -> int | None:
    """Where `assessor`'s score on the item is in `scores`, or None if they have not scored it.

    Searched from the newest: the score being edited (evidence typed key by key) is most
    often the last one recorded.
    """
    for index in range(len(scores) - 1, -1, -1):
        row = scores[index]
        if row.assessor == assessor and row.candidate == candidate and row.criterion == criterion and row.stage == stage:
            return index
    return None


@dataclass(frozen=True)
class RecordedScore:
    """A recorded score and where it went: what a holder of the grouped scores needs to carry them over."""

    campaign: Campaign
    score: Score
    replaced: bool
    """True when it took the place of the assessor's earlier score on the item."""
    changed: bool = True
    """False when the assessor's score and evidence on the item were already exactly these:
    `campaign` is then the one given, with no audit row added, and there is nothing to save."""

    @property
    def words(self) -> str:
        """What the recording did, in words: its audit row, or that nothing changed."""
        if self.changed:
            return self.campaign.audit[-1].what
        row = self.score
        item = f"{row.candidate} on {row.criterion} at {row.stage}"
        return f"nothing changed: {row.assessor}'s score for {item} is already {row.score}, with this evidence"


def record(
    campaign: Campaign,
    *,
    assessor: str,
    candidate: str,
    criterion: str,
    stage: str,
    score: int,
    evidence: str | None = None,
    at: datetime | None = None,
    stopped: Mapping[str, Stopped] | None = None,
    reason: str = "",
) -> RecordedScore:
    """Add or replace `assessor`'s own score; `evidence=None` keeps what was written before.
    `stopped` is who did not go on to `stage` from a decided stage, if the caller keeps it
    (`rules.scoring.stopped_before`); else it is worked out here. At a decided stage only the
    chair may change a score, with a `reason`."""
    check_open(campaign)
    if assessor not in {member.id for member in campaign.panel}:
        raise ChangeRefused(f"{assessor!r} is not on the panel", "as")
    _check_item(campaign, candidate, criterion, stage, score)
    correction = check_stage_open(campaign, assessor, stage, reason)
    conflict = campaign.declared(assessor, candidate)
    if conflict is not None:
        raise ChangeRefused(
            f"{assessor} declared a conflict of interest with {candidate} on {conflict.at.date().isoformat()}: they do not score them"
        )
    at = at or now()
    index = score_index(campaign.scores, candidate, criterion, stage, assessor)
    if index is None:  # a new score (evidence typed into one already given is not asked again, at every key)
        if campaign.allocation:
            check_allocated(campaign, assessor, candidate, stage)
        # Only those who went on take part in this stage.
        if stopped is None:
            stopped = stopped_before(campaign, (stage,), among=decided_stages(campaign), only=(candidate,))
        went = stopped.get(candidate)
        if went is not None:
            raise ChangeRefused(f"{candidate} {went.words}: they are not scored at {stage}", "candidate")
    old = campaign.scores[index] if index is not None else None
    text = evidence if evidence is not None else (old.evidence if old else "")
    new = Score(candidate=candidate, criterion=criterion, stage=stage, assessor=assessor, score=score, evidence=text, at=at)
    if old is not None and (old.score, old.evidence) == (new.score, new.evidence):
        return RecordedScore(campaign, old, replaced=True, changed=False)  # the same again: not a new time, not an audit row
    if old is None:
        what = f"scored {candidate} on {criterion} at {stage}: {score}"
    elif old.score == score:
        what = f"edited evidence for {candidate} on {criterion} at {stage}"
    else:
        what = f"changed score for {candidate} on {criterion} at {stage}: {old.score} -> {score}"
        if new.evidence != old.evidence:
            what += " (evidence edited)"
    if correction:
        what = with_reason(what, reason)
    scores = list(campaign.scores)
    if index is None:
        scores.append(new)
    else:
        scores[index] = new
    audit = with_audit(campaign.audit, AuditEntry(at=at, who=assessor, what=what))
    return RecordedScore(campaign.model_copy(update={"scores": scores, "audit": audit}), new, replaced=index is not None)


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
    reason: str = "",
) -> Campaign:
    """Record (or replace) the chair's agreed score; independent scores stay. The rationale is
    required where the agreed score differs from every panel member's score on the item. The
    same score with the same rationale again returns `campaign` itself: nothing changed."""
    check_open(campaign)
    require_chair(campaign, chair, "records agreed scores")
    _check_item(campaign, candidate, criterion, stage, score)
    correction = check_stage_open(campaign, chair, stage, reason, "its agreed scores")
    item = (candidate, criterion, stage)
    on_item = [row for row in campaign.scores if row.candidate == candidate and row.criterion == criterion and row.stage == stage]
    panel_scores = [row.score for row in on_item]
    if not panel_scores:
        raise ChangeRefused(f"nobody has scored {candidate} on {criterion} at {stage} yet: there is nothing to moderate")
    if not rationale.strip() and score not in panel_scores:
        raise ChangeRefused(
            f"a rationale is required: say why the panel agreed {score}, which no panel member gave ({', '.join(map(str, panel_scores))})",
            "rationale",
        )
    if not sees_item(campaign, chair, [row.assessor for row in on_item]):
        raise ChangeRefused(
            f"score {candidate} on {criterion} at {stage} yourself first: before moderation the chair sees the panel's scores "
            "on an item once they have scored it"
        )
    at = at or now()
    moderation = [row for row in campaign.moderation if row.item != item]
    previous = next((row for row in campaign.moderation if row.item == item), None)
    if previous is not None and (previous.score, previous.rationale) == (score, rationale if rationale.strip() else ""):
        return campaign  # agreed already, for the same reason: not a new time, not an audit row
    before = agreed_score(panel_mean(panel_scores), previous.score if previous is not None else None)
    rationale = rationale if rationale.strip() else ""
    agreed = Moderation.model_validate(
        {"candidate": candidate, "criterion": criterion, "stage": stage, "score": score, "rationale": rationale, "by": chair, "at": at}
    )
    moderation.append(agreed)
    kind = "moderated" if previous is None else "re-moderated"
    what = f"{kind} {candidate} on {criterion} at {stage}: {format_score(before)} -> {score}"
    if agreed.rationale:
        what += f"; rationale: {agreed.rationale}"
    if correction:
        what = with_reason(what, reason)
    audit = [*campaign.audit, AuditEntry(at=at, who=chair, what=what)]
    return campaign.model_copy(update={"moderation": moderation, "audit": audit})


@dataclass(frozen=True)
class ClearedScore:
    """A member's score taken back: the campaign without it, and the score that was there."""

    campaign: Campaign
    score: Score


def _agreed_on(campaign: Campaign, candidate: str, criterion: str, stage: str) -> Moderation | None:
    return next((row for row in campaign.moderation if row.item == (candidate, criterion, stage)), None)


def clear_score(
    campaign: Campaign, *, assessor: str, candidate: str, criterion: str, stage: str, at: datetime | None = None, reason: str = ""
) -> ClearedScore:
    """Take back `assessor`'s own score (and its evidence) on an item, with an audit row saying what it was.

    Refused while the panel's agreed score on the item stands: it was agreed on the scores
    as they were, so the chair withdraws it first."""
    check_open(campaign)
    correction = check_stage_open(campaign, assessor, stage, reason)
    index = score_index(campaign.scores, candidate, criterion, stage, assessor)
    if index is None:
        raise ChangeRefused(f"{assessor} has no score for {candidate} on {criterion} at {stage}: there is nothing to clear")
    if _agreed_on(campaign, candidate, criterion, stage) is not None:
        raise ChangeRefused(f"the panel's agreed score for {candidate} on {criterion} at {stage} stands on this score: the chair withdraws it first")
    old = campaign.scores[index]
    scores = [*campaign.scores[:index], *campaign.scores[index + 1 :]]
    what = f"cleared score for {candidate} on {criterion} at {stage} (was {old.score})"
    entry = AuditEntry(at=at or now(), who=assessor, what=with_reason(what, reason) if correction else what)
    return ClearedScore(campaign.model_copy(update={"scores": scores, "audit": [*campaign.audit, entry]}), old)


def withdraw_moderation(
    campaign: Campaign, *, chair: str, candidate: str, criterion: str, stage: str, at: datetime | None = None, reason: str = ""
) -> Campaign:
    """The chair takes back the agreed score on an item: it is agreed again, or the panel's scores stand as they are."""
    check_open(campaign)
    require_chair(campaign, chair, "withdraws agreed scores")
    correction = check_stage_open(campaign, chair, stage, reason, "its agreed scores")
    previous = _agreed_on(campaign, candidate, criterion, stage)
    if previous is None:
        raise ChangeRefused(f"there is no agreed score for {candidate} on {criterion} at {stage} to withdraw")
    moderation = [row for row in campaign.moderation if row is not previous]
    what = f"withdrew the agreed score for {candidate} on {criterion} at {stage} (was {previous.score})"
    entry = AuditEntry(at=at or now(), who=chair, what=with_reason(what, reason) if correction else what)
    return campaign.model_copy(update={"moderation": moderation, "audit": [*campaign.audit, entry]})


UNANIMOUS = "unanimous"
"""The rationale of an agreed score the whole panel gave alike, agreed in one step at the wash-up."""


def agree_unanimous(campaign: Campaign, *, chair: str, items: list[tuple[str, str, str, int]], at: datetime | None = None) -> Campaign:
    """The chair agrees, in one step, items the panel scored alike: each (candidate, criterion, stage,
    score) an agreed score of that score with the rationale "unanimous", and its audit row."""
    at = at or now()
    for candidate, criterion, stage, score in items:
        campaign = record_moderation(
            campaign, chair=chair, candidate=candidate, criterion=criterion, stage=stage, score=score, rationale=UNANIMOUS, at=at
        )
    return campaign


def withdraw_unanimous(campaign: Campaign, *, chair: str, items: list[tuple[str, str, str, int]], at: datetime | None = None) -> Campaign:
    """Take back in one step the agreed scores `agree_unanimous` recorded (undo), each with its audit row."""
    at = at or now()
    for candidate, criterion, stage, _ in items:
        campaign = withdraw_moderation(campaign, chair=chair, candidate=candidate, criterion=criterion, stage=stage, at=at)
    return campaign
