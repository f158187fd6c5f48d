"""Where a campaign is among its stages: the stage being scored now, and the stages decided.

The statuses are fixed (setup, sift, interview, moderation, final) and the stages are the
campaign's own (often `sift` and `interview`, but any ids): this is where the two meet.
"""

from __future__ import annotations

from assessor.core.campaign import Campaign


def current_stage(campaign: Campaign) -> str | None:
    """The stage being scored now: the one the status names; at `sift` the first stage and at
    `interview` the last, when no stage has those ids; otherwise the last stage."""
    ids = [stage.id for stage in campaign.stages]
    if not ids:
        return None
    status = campaign.campaign.status
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
