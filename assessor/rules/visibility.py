"""Who sees what: blind scoring, the name-blind sift, and each panel member's progress.

Before moderation a member or independent sees the candidates, their own scores and
evidence and their own progress: no totals, ranks, outcomes, flags or means that depend
on anyone else's scores. The chair sees everyone's progress at all times, and another
member's score on an item once the chair has scored that item themselves (the campaign's
`chair_sees_scores = "after-own"`), or at any time (`"always"`). From moderation on,
everyone sees everything. Every screen and every format shows a summary through
`as_seen_by`. At the sift of a name-blind campaign everyone sees references, not names.

What a member may know of a candidate beyond their name: at a name-blind stage the rest of
the panel (everyone but the chair) sees no reasonable adjustments, which could tell who the
candidate is; from the interview on they see them, as the panel must make them
(`sees_adjustments`). Who is under a guaranteed interview scheme shows to no member before
moderation: the rules apply the scheme at a shortlist cut, and `as_seen_by` hides the
outcome `guaranteed` and its words with every outcome of who went on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from assessor.core.campaign import Campaign, Candidate, Criterion, Note, PanelMember, Score
from assessor.rules.scoring import Stopped, stopped_before
from assessor.rules.stages import current_stage, decided_stages
from assessor.rules.summary_types import CandidateResult, FrozenScores, ItemResult, Summary

OPEN_STATUSES = ("moderation", "final")
"""From these statuses on, every member may see every score."""


@dataclass(frozen=True)
class Progress:
    """One member's scoring of one candidate at one stage."""

    scored: int
    total: int
    without_evidence: int

    @property
    def done(self) -> bool:
        """Every criterion at this stage has the member's score."""
        return self.scored == self.total


def default_stage(campaign: Campaign) -> str | None:
    """The stage a member scores when they open the list: the one being scored now."""
    return current_stage(campaign)


def criteria_at(campaign: Campaign, stage: str) -> list[Criterion]:
    """The criteria assessed at `stage`, in the campaign's order."""
    return [criterion for criterion in campaign.criteria if stage in criterion.stages]


def sees_everything(campaign: Campaign, viewer: str) -> bool:
    """Everyone from moderation on; before it, the chair of a campaign whose chair sees
    scores "always"."""
    if campaign.campaign.status in OPEN_STATUSES:
        return True
    return campaign.is_chair(viewer) and campaign.campaign.chair_sees_scores == "always"


def notes_seen(campaign: Campaign, viewer: str, candidate: str, stages: Iterable[str]) -> list[Note]:
    """The overall notes on `candidate` at `stages` that `viewer` may read: their own, and the
    panel's once they see every score (blind like the scores themselves)."""
    everyone = sees_everything(campaign, viewer)
    at = set(stages)
    return [note for note in campaign.notes if note.candidate == candidate and note.stage in at and (everyone or note.assessor == viewer)]


def sees_item(campaign: Campaign, viewer: str, scored_by: Iterable[str]) -> bool:
    """Whether `viewer` sees every score on an item scored by these members: as
    `sees_everything`, and the chair once they have scored the item themselves."""
    return sees_everything(campaign, viewer) or (campaign.is_chair(viewer) and viewer in scored_by)


def sees_progress_of_all(campaign: Campaign, viewer: str) -> bool:
    """The chair sees who has scored how much at all times; a member only their own."""
    return campaign.is_chair(viewer) or campaign.campaign.status in OPEN_STATUSES


def names_hidden(campaign: Campaign, stage: str) -> bool:
    """Name-blind sift: references instead of names at the sift stage."""
    return campaign.campaign.anonymise_sift and stage in campaign.name_blind_stages


def shown_name(campaign: Campaign, candidate: Candidate, stage: str) -> str:
    """The candidate's name, or their reference in a name-blind sift."""
    return (candidate.reference or candidate.id) if names_hidden(campaign, stage) else candidate.name


def sees_adjustments(campaign: Campaign, viewer: str, stages: Iterable[str]) -> bool:
    """Whether `viewer` sees candidates' reasonable adjustments at `stages`: the chair at every
    stage; the rest of the panel unless every one of `stages` is name-blind (from the interview
    on they see them, as the panel must make them)."""
    return campaign.is_chair(viewer) or not all(names_hidden(campaign, stage) for stage in stages)


def candidate_scores(campaign: Campaign, candidate: str, stage: str) -> dict[tuple[str, str], Score]:
    """Every score of one candidate at one stage, by (criterion, assessor): one pass over the scores."""
    return {(s.criterion, s.assessor): s for s in campaign.scores if s.candidate == candidate and s.stage == stage}


def others_on_item(campaign: Campaign, member: str, rows: dict[tuple[str, str], Score], criterion: str) -> list[Score]:
    """Other members' scores on one criterion, from `candidate_scores`, where the member may see them."""
    on_item = {assessor: score for (item, assessor), score in rows.items() if item == criterion}
    if not sees_item(campaign, member, on_item) or any(campaign.declared(member, score.candidate) for score in on_item.values()):
        return []  # a member who declared a conflict of interest with the candidate sees none of the panel's scores on them
    return [score for assessor, score in on_item.items() if assessor != member]


def progress(campaign: Campaign, member: str, stage: str) -> dict[str, Progress]:
    """For every candidate: how many of this stage's criteria the member has scored."""
    total = len(criteria_at(campaign, stage))
    scored: dict[str, int] = {}
    bare: dict[str, int] = {}
    for score in campaign.scores:
        if score.assessor == member and score.stage == stage:
            scored[score.candidate] = scored.get(score.candidate, 0) + 1
            if not score.has_evidence:
                bare[score.candidate] = bare.get(score.candidate, 0) + 1
    return {c.id: Progress(scored.get(c.id, 0), total, bare.get(c.id, 0)) for c in campaign.candidates}


def panel_done(campaign: Campaign, stage: str) -> dict[str, tuple[int, int]]:
    """For every candidate: how many of those who score them at `stage` have scored every criterion
    there, of how many (their allocated readers at an allocated stage, else the whole panel, less
    any member who declared a conflict with them). One pass over the scores: the chair's list."""
    criteria = len(criteria_at(campaign, stage))
    counts: dict[tuple[str, str], int] = {}
    for score in campaign.scores:
        if score.stage == stage:
            key = (score.candidate, score.assessor)
            counts[key] = counts.get(key, 0) + 1
    readers: dict[str, set[str]] = {}
    for row in campaign.allocation:
        if row.stage == stage:
            readers.setdefault(row.candidate, set()).add(row.assessor)
    everyone = [member.id for member in campaign.panel]
    conflicts = {(row.member, row.candidate) for row in campaign.declarations if row.stands}
    found = {}
    for candidate in campaign.candidates:
        who = [m for m in (readers.get(candidate.id) or everyone) if (m, candidate.id) not in conflicts]
        found[candidate.id] = (sum(1 for m in who if criteria and counts.get((candidate.id, m), 0) >= criteria), len(who))
    return found


def panel_progress(campaign: Campaign, stages: tuple[str, ...]) -> list[tuple[PanelMember, int]]:
    """How many scores each panel member has given at these stages, in panel order."""
    counts: dict[str, int] = {}
    for score in campaign.scores:
        if score.stage in stages:
            counts[score.assessor] = counts.get(score.assessor, 0) + 1
    return [(member, counts.get(member.id, 0)) for member in campaign.panel]


def items_to_score(campaign: Campaign, stages: tuple[str, ...], member: str | None = None) -> int:
    """How many scores one member gives at these stages when they score everyone still in it
    (at an allocated stage, everyone allocated to `member`, and anyone allocated to nobody)."""
    total = 0
    for stage in stages:
        hidden = allocated_to_others(campaign, member, stage) if member is not None else set()
        total += len(criteria_at(campaign, stage)) * sum(1 for c in campaign.candidates if not c.withdrawn and c.id not in hidden)
    return total


def allocated_to_others(campaign: Campaign, member: str, stage: str) -> set[str]:
    """At an allocated stage, the candidates `member` does not read: allocated to others only.
    (A candidate added after the allocation is allocated to nobody: open to the whole panel.)"""
    if not campaign.allocation:
        return set()
    allocated: set[str] = set()
    mine: set[str] = set()
    for row in campaign.allocation:
        if row.stage == stage:
            allocated.add(row.candidate)
            if row.assessor == member:
                mine.add(row.candidate)
    return allocated - mine


@dataclass(frozen=True)
class SifterProgress:
    """How far one sifter is through their allocation at a stage."""

    member: PanelMember
    allocated: int
    """Items allocated to them: candidates x the stage's criteria."""
    scored: int


def behind_allocation(campaign: Campaign, stages: Iterable[str]) -> list[tuple[str, SifterProgress]]:
    """At each allocated stage of `stages`, every sifter who has not scored all their allocation,
    least done first, with the stage."""
    return [(stage, found) for stage in stages for found in allocation_progress(campaign, stage) if found.scored < found.allocated]


def allocation_progress(campaign: Campaign, stage: str) -> list[SifterProgress]:
    """Each allocated sifter's scored items against their allocation at `stage`, least done first
    (the chair's queue lists who is behind); empty when the stage is not allocated."""
    criteria = len(criteria_at(campaign, stage))
    withdrawn = {c.id for c in campaign.candidates if c.withdrawn}
    allocated: dict[str, set[str]] = {}
    for row in campaign.allocation:
        if row.stage == stage and row.candidate not in withdrawn:
            allocated.setdefault(row.assessor, set()).add(row.candidate)
    if not allocated:
        return []
    scored: dict[str, int] = {}
    for score in campaign.scores:
        if score.stage == stage and score.candidate in allocated.get(score.assessor, ()):
            scored[score.assessor] = scored.get(score.assessor, 0) + 1
    found = [SifterProgress(m, len(allocated[m.id]) * criteria, scored.get(m.id, 0)) for m in campaign.panel if m.id in allocated]
    return sorted(found, key=lambda p: (p.scored / p.allocated if p.allocated else 1.0, p.member.id))


def scores_without_evidence(campaign: Campaign, member: str, stage: str | None = None) -> int:
    """How many of the member's scores have no evidence written (at one stage, or all)."""
    return sum(1 for s in campaign.scores if s.assessor == member and (stage is None or s.stage == stage) and not s.has_evidence)


def _item_as_seen(campaign: Campaign, viewer: str, item: ItemResult) -> ItemResult:
    if sees_item(campaign, viewer, item.scores):
        return item
    own = {assessor: value for assessor, value in item.scores.items() if assessor == viewer}
    return item._replace(
        scores=FrozenScores(own),
        agreed=None,
        moderated=False,
        spread=None,
        rationale="",
        without_evidence=tuple(assessor for assessor in item.without_evidence if assessor == viewer),
        awaiting=tuple(assessor for assessor in item.awaiting if assessor == viewer),
        unagreed=False,
    )


def _result_as_seen(campaign: Campaign, viewer: str, result: CandidateResult, stopped: dict[str, Stopped], adjustments: bool) -> CandidateResult:
    items = tuple(_item_as_seen(campaign, viewer, item) for item in result.items)
    shown = result.adjustments if adjustments else ""
    if result.outcome == "withdrawn":
        return result._replace(items=items, total=None, rank=None, failed=(), missing=(), unagreed=(), flags=(), notes=(), adjustments=shown)
    # Who went on from a stage already decided is known to the whole panel; who went on under a
    # guaranteed interview scheme is not: the outcome and its words stay hidden for all who went on.
    went = stopped.get(result.id)
    return result._replace(
        adjustments=shown,
        items=items,
        total=None,
        outcome=went.outcome if went is not None else None,
        rank=None,
        failed=(went.words,) if went is not None and went.outcome == "fail" else (),
        reason=went.words if went is not None and went.outcome == "not-shortlisted" else "",
        missing=(),
        unagreed=(),
        flags=(),
        notes=(),
    )


def _whole_as_seen(result: CandidateResult, adjustments: bool, declared: bool) -> CandidateResult:
    """A line of the whole summary for a viewer: without adjustments where they may not see them,
    and without the panel's own scores on a candidate they declared a conflict of interest with."""
    if declared:
        items = tuple(item._replace(scores={}, without_evidence=(), spread=None, rationale="") for item in result.items)
        result = result._replace(items=items, notes=())
    return result if adjustments else result._replace(adjustments="")


def decides_stage(campaign: Campaign, viewer: str, stages: tuple[str, ...]) -> bool:
    """The chair sees the whole result of a stage that decides who goes on (ranks, totals,
    outcomes, flags) before moderation once they have scored their own share of it: everyone
    still in the running there but those allocated to others or they declared a conflict with."""
    if not campaign.is_chair(viewer) or len(stages) != 1 or stages[0] in campaign.counted_stages:
        return False
    stage = stages[0]
    stopped = stopped_before(campaign, stages, among=decided_stages(campaign))
    others = allocated_to_others(campaign, viewer, stage)
    mine = progress(campaign, viewer, stage)
    share = [c.id for c in campaign.candidates if not c.withdrawn and c.id not in stopped and c.id not in others]
    return all(mine[candidate].done for candidate in share if campaign.declared(viewer, candidate) is None)


def as_seen_by(summary: Summary, campaign: Campaign, viewer: str) -> Summary:
    """The summary as `viewer` may see it: the whole of it from moderation on (and for a chair
    who sees scores "always", and for the chair a stage that decides who goes on once they have
    scored their share of it: `decides_stage`); before that, their own scores, and for the chair the items
    they have scored too, with no total, rank, outcome, flag or mean that depends on anyone
    else's scores, the candidates in the campaign's order (merit order would tell the ranks),
    and no calibration. Reasonable adjustments are left out where `sees_adjustments` says so
    (a member's view of a name-blind stage, from moderation on too, as the names are)."""
    adjustments = sees_adjustments(campaign, viewer, summary.stages)
    if sees_everything(campaign, viewer) or decides_stage(campaign, viewer, summary.stages):
        declared = {row.candidate for row in campaign.declarations if row.stands and row.member == viewer}
        if adjustments and not declared:
            return summary
        return replace(summary, candidates=tuple(_whole_as_seen(result, adjustments, result.id in declared) for result in summary.candidates))
    stopped = stopped_before(campaign, summary.stages, among=decided_stages(campaign))
    order = {candidate.id: index for index, candidate in enumerate(campaign.candidates)}
    results = sorted(summary.candidates, key=lambda result: order.get(result.id, len(order)))
    return Summary(
        campaign_id=summary.campaign_id,
        title=summary.title,
        stages=summary.stages,
        counted=summary.counted,
        columns=summary.columns,
        candidates=tuple(_result_as_seen(campaign, viewer, result, stopped, adjustments) for result in results),
        calibration=(),
        vacancies=summary.vacancies,
        names_shown=summary.names_shown,
        seen_by=viewer,
    )


def next_gap(campaign: Campaign, member: str, stage: str, order: list[str], here: tuple[str, str], missing: str) -> tuple[str, str] | None:
    """The member's next item at `stage` after `here` (candidate, criterion), in `order` then the
    criteria's order, round to the start: one they have not scored (`missing="score"`), or scored
    with no evidence (`missing="evidence"`); None when there is none."""
    mine = {(s.candidate, s.criterion): s for s in campaign.scores if s.assessor == member and s.stage == stage}
    criteria = [criterion.id for criterion in criteria_at(campaign, stage)]
    items = [(candidate, criterion) for candidate in order for criterion in criteria]
    start = items.index(here) + 1 if here in items else 0
    for item in items[start:] + items[:start]:
        score = mine.get(item)
        if (score is None) if missing == "score" else (score is not None and not score.has_evidence):
            return item
    return None
