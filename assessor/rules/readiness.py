"""What a campaign still lacks before it moves on: set-up gaps before scoring starts (and
what good practice asks of the panel, said as it leaves set-up), and the items open before
the chair signs off (also the chair's queue at moderation), at the merit list and at every
stage before it whose result decided who went on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assessor.core.campaign import STATUSES, Campaign
from assessor.rules.ranking import CHAIR_ORDERS
from assessor.rules.summary_types import CandidateResult, ItemResult, Summary

MIN_ASSESSORS = 2
"""The fewest panel members who score with which a campaign leaves set-up, where it does not say (`min_assessors`)."""

NO_INDEPENDENT = "the panel has no independent member; Civil Service practice asks for one"


def min_assessors(campaign: Campaign) -> int:
    """The fewest panel members who score with which the campaign may leave set-up."""
    given = campaign.campaign.min_assessors
    return MIN_ASSESSORS if given is None else given


def setup_gaps(campaign: Campaign) -> list[str]:
    """What the set-up still lacks before scoring can start, in words (empty when complete).

    The panel's size is a gap only while in set-up: from the sift on the panel is the one
    that started scoring, and a file from before the rule still moves on and signs off.
    """
    gaps = []
    if not campaign.stages:
        gaps.append("no stages")
    if not campaign.criteria:
        gaps.append("no criteria")
    chairs = campaign.chairs()
    if len(chairs) != 1:
        gaps.append("no chair on the panel" if not chairs else f"{len(chairs)} chairs on the panel; exactly one is needed")
    fewest = min_assessors(campaign)
    if campaign.campaign.status == "setup" and len(campaign.panel) < fewest:  # everyone on the panel scores, the chair too
        gaps.append(f"fewer than {fewest} panel member{'s' if fewest != 1 else ''} who score{'s' if fewest == 1 else ''} (min_assessors)")
    if not campaign.candidates:
        gaps.append("no candidates")
    for stage in campaign.stages:
        if not any(stage.id in criterion.stages for criterion in campaign.criteria):
            gaps.append(f"stage {stage.name} assesses no criteria")
        if not stage.methods:
            gaps.append(f"stage {stage.name} has no selection methods")
    return gaps


def setup_notes(campaign: Campaign) -> list[str]:
    """What the set-up does not need but good practice asks for, in words: said as the campaign leaves set-up."""
    return [] if any(member.role == "independent" for member in campaign.panel) else [NO_INDEPENDENT]


def next_status(campaign: Campaign) -> str | None:
    """The status after the current one, or None at the end."""
    index = STATUSES.index(campaign.campaign.status)
    return STATUSES[index + 1] if index + 1 < len(STATUSES) else None


OpenKind = Literal["disagreement", "agreement", "no evidence", "missing", "line tie", "tie"]
URGENCY: dict[OpenKind, int] = {"disagreement": 0, "agreement": 1, "no evidence": 2, "missing": 3, "line tie": 4, "tie": 5}
"""The order the chair's queue takes them in: disagreements first."""


@dataclass(frozen=True)
class OpenItem:
    """One thing the chair should settle: a candidate's item, or their shared rank."""

    kind: OpenKind
    candidate: CandidateResult
    item: ItemResult | None
    """None for a tie, which is about the candidate's rank, not one item."""

    @property
    def detail(self) -> str:
        """A few words for a column of the queue."""
        if self.kind == "disagreement" and self.item is not None:
            return f"spread {self.item.spread}"
        if self.kind == "no evidence" and self.item is not None:
            return ", ".join(self.item.without_evidence)
        if self.kind == "agreement" and self.item is not None:
            return "panel " + "/".join(str(value) for value in self.item.scores.values())
        if self.kind == "line tie":
            return f"rank {self.candidate.rank} shared across the appointable line"
        if self.kind == "missing":
            return f"waiting for {', '.join(self.item.awaiting)}" if self.item is not None and self.item.awaiting else "no score yet"
        return f"rank {self.candidate.rank} shared"

    @property
    def line(self) -> str:
        """The item as one line, as `finalise` lists it and the audit records it."""
        who = self.candidate.id
        if self.kind == "line tie":
            return f"{who}: rank {self.candidate.rank} is shared across the appointable line: {CHAIR_ORDERS}"
        if self.item is None:
            return f"{who}: rank {self.candidate.rank} is shared: the tie-break criteria did not separate it"
        where = f"{self.item.criterion} at {self.item.stage}"
        if self.kind == "missing":
            if self.item.awaiting:
                return f"{who}: waiting for {', '.join(self.item.awaiting)} (allocated) on {where}"
            return f"{who}: no score yet for {where}"
        if self.kind == "disagreement":
            return f"{who}: panel spread of {self.item.spread} on {where} and no agreed score"
        if self.kind == "agreement":
            return f"{who}: awaiting the panel's agreed score on {where}"
        return f"{who}: no evidence from {', '.join(self.item.without_evidence)} on {where}"


def open_items(summary: Summary) -> list[OpenItem]:
    """What the chair should settle before signing off, in the summary's order.

    Counted scores still missing (for candidates still in the running: a candidate who
    failed an earlier stage was never interviewed), panel disagreements without an agreed
    score, scores without evidence, and ties the tie-break criteria did not settle.
    """
    found = []
    for result in summary.candidates:
        if result.outcome == "withdrawn":
            continue
        for item in result.items:
            if item.unagreed and result.outcome not in ("fail", "not-shortlisted"):
                # A spread awaiting agreement is a disagreement first: the queue puts those at its head.
                found.append(OpenItem("disagreement" if item.wide_spread else "agreement", result, item))
            elif item.missing and result.outcome not in ("fail", "not-shortlisted"):
                found.append(OpenItem("missing", result, item))
            elif item.disagreement:
                found.append(OpenItem("disagreement", result, item))
            if item.without_evidence:
                found.append(OpenItem("no evidence", result, item))
        if "tie-at-line" in result.flags:
            found.append(OpenItem("line tie", result, None))
        elif "unresolved-tie" in result.flags:
            found.append(OpenItem("tie", result, None))
    return found


def deciding_stages(campaign: Campaign) -> list[str]:
    """The stages before the merit list's: their results decided who went on to it."""
    ids = [stage.id for stage in campaign.stages]
    counted = [ids.index(stage) for stage in campaign.counted_stages if stage in ids]
    return ids[: min(counted)] if counted else []


def open_everywhere(merit_list: Summary, earlier: Sequence[Summary]) -> list[OpenItem]:
    """What the chair should settle: the merit list's open items, then those of each stage
    that decided who went on (its missing scores, disagreements and scores without
    evidence; a tie there decides nothing, everyone who passes goes on)."""
    found = open_items(merit_list)
    for summary in earlier:
        found += [item for item in open_items(summary) if item.kind not in ("tie", "line tie")]
    return found


def washup_walk(summary: Summary) -> list[tuple[CandidateResult, ItemResult]]:
    """The items the wash-up agrees, in merit order: candidates by their total on the panel's
    means (the merit list before it is agreed), highest first, then each item in column order.
    An item is walked while it awaits the panel's agreed score (a consensus campaign) or, in a
    campaign that takes the mean, while the panel's spread is wide and no score is agreed."""

    def provisional(result: CandidateResult) -> float:
        weights = {column.criterion.id: column.criterion.weight for column in summary.columns}
        means = [weights.get(item.criterion, 1.0) * sum(item.scores.values()) / len(item.scores) for item in result.items if item.scores]
        return sum(means)

    walked = [result for result in summary.candidates if result.outcome not in ("withdrawn", "fail", "not-shortlisted") or result.unagreed]
    walked.sort(key=lambda result: (-provisional(result), result.id))
    return [(result, item) for result in walked for item in result.items if item.unagreed or item.disagreement]


def unanimous_items(summary: Summary) -> list[tuple[str, str, str, int]]:
    """Of the items the wash-up agrees, those every reader who scored gave alike (two or more, nobody
    still to score): (candidate, criterion, stage, score), in the walk's order."""
    found = []
    for result, item in washup_walk(summary):
        values = set(item.scores.values())
        if len(item.scores) >= 2 and len(values) == 1 and not item.awaiting:
            found.append((result.id, item.criterion, item.stage, values.pop()))
    return found
