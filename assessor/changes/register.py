"""HR's register: what one campaign file is (its facts), and what it needs from HR now (`due`).

The facts are worked out once per version of a file (and so may be kept in a cache): the
campaign's id, title, status, the stage now, candidates, offers, whether its seal holds, its
reserve and retention dates. What is due depends on today, on what else lies beside the file
(its sheets folder) and on the digest HR recorded, so it is worked out on every run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from assessor.changes.offers import chain_problems, latest_results
from assessor.changes.retention import purged_on, retention_date
from assessor.changes.seal import seal_problems
from assessor.core.campaign import Campaign
from assessor.rules.stages import current_stage

SealState = Literal["matches", "broken", "none"]
DigestState = Literal["matches", "differs", "not recorded", ""]
OFFER_RESULTS = ("offered", "accepted", "declined", "withdrawn")

RESERVE_WARNING_DAYS = 30
"""A reserve list ending within this many days is due: offers from it must be made before."""


@dataclass(frozen=True)
class CampaignFacts:
    """What one campaign file is, independent of today: a row of the register without `due`."""

    file: str
    id: str = ""
    title: str = ""
    role: str = ""
    level: int | None = None
    status: str = ""
    candidates: int = 0
    vacancies: int = 0
    stage: str = ""
    offers: dict[str, int] = field(default_factory=dict)
    seal: SealState = "none"
    seal_sha256: str = ""
    seal_problem: str = ""
    members: tuple[str, ...] = ()
    reserve_until: date | None = None
    retain_until: date | None = None
    purged: date | None = None
    last_change: str = ""
    """When the audit's last row was written (`2026-11-20 14:05`, UTC)."""
    problem: str = ""
    """Why the file does not load, in one line; empty when it does."""

    def as_data(self) -> dict[str, Any]:
        """Plain data (dates as ISO text) for a cache."""
        data = asdict(self)
        for key in ("reserve_until", "retain_until", "purged"):
            data[key] = data[key].isoformat() if data[key] is not None else None
        data["members"] = list(self.members)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CampaignFacts:
        """Facts back from `as_data`; KeyError, TypeError or ValueError when they are not."""
        dates = {key: date.fromisoformat(data[key]) if data[key] is not None else None for key in ("reserve_until", "retain_until", "purged")}
        return cls(**{**data, **dates, "members": tuple(data["members"]), "offers": dict(data["offers"])})


def campaign_facts(file: str, campaign: Campaign, data: dict[str, Any]) -> CampaignFacts:
    """The facts of a campaign file that loaded: `data` is its plain TOML data, to check the seal against."""
    info = campaign.campaign
    problems = seal_problems(campaign, data) + chain_problems(campaign) if campaign.seal is not None else []
    stage_id = current_stage(campaign) if info.status not in ("setup", "final") else None
    counts = {result: 0 for result in OFFER_RESULTS}
    for result in latest_results(campaign).values():
        counts[result] += 1
    purged = purged_on(campaign)
    return CampaignFacts(
        file=file,
        id=info.id,
        title=info.title,
        role=info.role.title,
        level=info.level,
        status=info.status,
        candidates=len(campaign.candidates),
        vacancies=info.vacancies,
        stage=next((stage.name for stage in campaign.stages if stage.id == stage_id), ""),
        offers=counts,
        seal="none" if campaign.seal is None else "broken" if problems else "matches",
        seal_sha256=campaign.seal.sha256 if campaign.seal is not None else "",
        seal_problem="; ".join(problems),
        members=tuple(member.id for member in campaign.panel),
        reserve_until=info.reserve_until,
        retain_until=retention_date(campaign),
        purged=purged.date() if purged is not None else None,
        last_change=campaign.audit[-1].at.strftime("%Y-%m-%d %H:%M") if campaign.audit else "",
    )


@dataclass(frozen=True)
class Beside:
    """What lies beside a campaign file, read on every run: its sheets folder and HR's record of its digest."""

    sheets: tuple[str, ...] = ()
    """Members' sheets in its sheets folder, by file name."""
    strays: tuple[str, ...] = ()
    """Other files in its sheets folder (an editor's or a sync service's copies), hidden ones too."""
    recorded_digest: str | None = None
    """The digest HR recorded at finalise (`register --digests`), if given and found."""
    digests_given: bool = False


@dataclass(frozen=True)
class Due:
    """One thing HR must see to, with the day it fell or falls due (the soonest sorts first)."""

    words: str
    on: date


def digest_state(facts: CampaignFacts, beside: Beside) -> DigestState:
    """Whether HR's recorded digest is the seal's: blank without `--digests`."""
    if not beside.digests_given:
        return ""
    if beside.recorded_digest is None:
        return "not recorded"
    return "matches" if beside.recorded_digest == facts.seal_sha256 and facts.seal == "matches" else "differs"


def due(facts: CampaignFacts, beside: Beside, today: date) -> list[Due]:
    """What needs HR now, soonest first: a file that does not load, a seal broken or not the one
    recorded, purge past retention, a reserve list about to end, files left in the sheets folder."""
    if facts.problem:
        return [Due("file does not load", date.min)]
    out = []
    if facts.seal == "broken":
        out.append(Due("seal broken", date.min))
    if digest_state(facts, beside) == "differs":
        out.append(Due("seal is not the digest recorded", date.min))
    if facts.seal != "none" and (beside.sheets or beside.strays):
        out.append(Due("score sheets left after the seal", today))
    elif beside.strays:
        out.append(Due("files in the sheets folder not counted", today))
    if facts.seal != "none" and facts.purged is None and facts.retain_until is not None and facts.retain_until < date.max:
        from_day = facts.retain_until + timedelta(days=1)
        if from_day <= today:
            out.append(Due(f"purge due since {from_day.isoformat()}", from_day))
    if facts.status == "final" and facts.reserve_until is not None and facts.purged is None:
        left = (facts.reserve_until - today).days
        if 0 <= left <= RESERVE_WARNING_DAYS:
            words = "reserve list ends today" if left == 0 else f"reserve list ends in {left} day{'s' if left != 1 else ''}"
            out.append(Due(words, facts.reserve_until))
    return sorted(out, key=lambda item: item.on)
