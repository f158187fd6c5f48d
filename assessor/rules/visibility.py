"""What one panel member sees while scoring: their progress, and what is hidden from them.

Blind scoring: until the campaign reaches moderation, a member sees only their own
scores; the chair sees everything. Name-blind sift: at the sift stage of a campaign with
`anonymise_sift`, everyone sees references instead of names. No I/O, no UI.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessor.core.campaign import Campaign, Candidate, Criterion, Score

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
    """The stage being scored now: the one the status names, else the last stage."""
    ids = [stage.id for stage in campaign.stages]
    if campaign.campaign.status in ids:
        return campaign.campaign.status
    return ids[-1] if ids else None


def criteria_at(campaign: Campaign, stage: str) -> list[Criterion]:
    """The criteria assessed at `stage`, in the campaign's order."""
    return [criterion for criterion in campaign.criteria if stage in criterion.stages]


def sees_all_scores(campaign: Campaign, member: str) -> bool:
    """The chair always; everyone once the campaign reaches moderation."""
    if campaign.campaign.status in OPEN_STATUSES:
        return True
    return campaign.is_chair(member)


def names_hidden(campaign: Campaign, stage: str) -> bool:
    """Name-blind sift: references instead of names at the sift stage."""
    return campaign.campaign.anonymise_sift and stage == campaign.sift_stage


def shown_name(campaign: Campaign, candidate: Candidate, stage: str) -> str:
    """The candidate's name, or their reference in a name-blind sift."""
    return (candidate.reference or candidate.id) if names_hidden(campaign, stage) else candidate.name


def candidate_scores(campaign: Campaign, candidate: str, stage: str) -> dict[tuple[str, str], Score]:
    """Every score of one candidate at one stage, by (criterion, assessor): one pass over the scores."""
    return {(s.criterion, s.assessor): s for s in campaign.scores if s.candidate == candidate and s.stage == stage}


def others_on_item(campaign: Campaign, member: str, rows: dict[tuple[str, str], Score], criterion: str) -> list[Score]:
    """Other members' scores on one criterion, from `candidate_scores`, if the member may see them."""
    if not sees_all_scores(campaign, member):
        return []
    return [score for (item, assessor), score in rows.items() if item == criterion and assessor != member]


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


def scores_without_evidence(campaign: Campaign, member: str, stage: str | None = None) -> int:
    """How many of the member's scores have no evidence written (at one stage, or all)."""
    return sum(1 for s in campaign.scores if s.assessor == member and (stage is None or s.stage == stage) and not s.has_evidence)
