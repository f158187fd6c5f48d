"""Where a campaign is among its stages: the stage being scored now, and the stages decided.

The statuses are fixed (setup, sift, interview, moderation, final) and the stages are the
campaign's own (often `sift` and `interview`, but any ids, and a pre-sift before the sift):
this is where the two meet. The stages before the interview stage are scored while the
status is `sift`, one after another: `scoring_stage` says which, and `advance` moves it on.
"""

from __future__ import annotations

from typing import NamedTuple

from assessor.core.campaign import Campaign


def interview_stage(campaign: Campaign) -> str | None:
    """The stage scored while the status is `interview`: the stage `interview`, else the last."""
    ids = [stage.id for stage in campaign.stages]
    if not ids:
        return None
    return "interview" if "interview" in ids else ids[-1]


def current_stage(campaign: Campaign) -> str | None:
    """The stage being scored now: at `sift`, the campaign's `scoring_stage` when set, else the
    stage the status names, else the first; at `interview`, the interview stage; otherwise
    the last stage."""
    ids = [stage.id for stage in campaign.stages]
    if not ids:
        return None
    status = campaign.campaign.status
    if status == "sift" and campaign.campaign.scoring_stage in ids:
        return campaign.campaign.scoring_stage
    if status in ids:
        return status
    return ids[0] if status == "sift" else ids[-1]


def decided_stages(campaign: Campaign) -> list[str]:
    """The stages whose results have decided who went on: those before the stage being scored
    now, and every stage from moderation on. None in set-up."""
    ids = [stage.id for stage in campaign.stages]
    status = campaign.campaign.status
    if status == "setup":
        return []
    if status in ("moderation", "final"):
        return ids
    now = current_stage(campaign)
    return ids[: ids.index(now)] if now is not None else []


class Step(NamedTuple):
    """Where `advance` takes the campaign: a status, and the stage scored next within it."""

    status: str
    scoring_stage: str | None
    """Set while the sift has more than one stage to score (a pre-sift, then the sift)."""


def next_step(campaign: Campaign, following: str) -> Step:
    """Where the campaign goes from here, given the status that `following` names next: into the
    sift at its first stage; from one sift stage to the next while any stage is left before the
    interview stage; then on to `following`."""
    ids = [stage.id for stage in campaign.stages]
    status = campaign.campaign.status
    interview = interview_stage(campaign)
    last_sift = ids.index(interview) - 1 if interview is not None else -1
    if status == "setup":
        first = ids[0] if ids else None
        # The status alone names the sift stage; a stage before it (a pre-sift) is named here.
        at_sift = "sift" if "sift" in ids else first
        return Step(following, first if first is not None and first != at_sift else None)
    if status == "sift":
        now = current_stage(campaign)
        place = ids.index(now) if now is not None else last_sift
        if place < last_sift:
            return Step("sift", ids[place + 1])
    return Step(following, None)


def step_words(campaign: Campaign, following: str) -> str:
    """Where `advance` takes the campaign, for a question: `from sift to interview`, or within
    a sift of several stages `the sift on from Pre-sift to Sift`."""
    step = next_step(campaign, following)
    if step.status != campaign.campaign.status:
        return f"the campaign from {campaign.campaign.status} to {step.status}"
    names = {stage.id: stage.name for stage in campaign.stages}
    now = current_stage(campaign)
    return f"the sift on from {names.get(now or '', now)} to {names.get(step.scoring_stage or '', step.scoring_stage)}"
