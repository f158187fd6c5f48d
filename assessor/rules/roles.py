"""Who may change what, and when: one table, read by the app, the command line and the server alike.

In set-up, whoever opens the file may change the set-up. From the sift on, the set-up the
panel scores against is frozen: nobody changes it. The chair alone may still correct what
does not change how candidates are judged (vacancies, the role's description, candidates'
details, withdrawals, new candidates, a replacement panel member), each with a reason
written to the audit. Only the chair moves the status. Every refusal says who may do it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused, ReasonNeeded

AfterSetUp = Literal["nobody", "chair"]


@dataclass(frozen=True)
class SetUpPart:
    """A part of the set-up: what it is called, and who may change it once scoring has started."""

    words: str
    after_set_up: AfterSetUp


# Frozen from the sift on: what the panel scores against, and how the merit list is made.
CRITERIA = SetUpPart("the criteria (their pass marks, weights, lead and tie-break order)", "nobody")
STAGES = SetUpPart("the stages and the assessment matrix", "nobody")
COUNTED_STAGES = SetUpPart("the stages counted for the merit list", "nobody")
OVERALL_PASS_MARK = SetUpPart("the overall pass mark", "nobody")
NAME_BLIND = SetUpPart("the name-blind sift", "nobody")
LEVEL = SetUpPart("the level the panel scores against", "nobody")
PANEL = SetUpPart("the panel's members and their roles", "nobody")
# The chair's, with a reason: corrections that judge nobody differently.
VACANCIES = SetUpPart("the number of vacancies", "chair")
DESCRIPTION = SetUpPart("the title and the role's description", "chair")
CANDIDATE_DETAILS = SetUpPart("a candidate's details", "chair")
WITHDRAWAL = SetUpPart("a candidate's withdrawal", "chair")
NEW_CANDIDATES = SetUpPart("the candidates (adding them)", "chair")
REPLACEMENT_MEMBER = SetUpPart("the panel (adding a replacement member)", "chair")
MEMBER_NAME = SetUpPart("a panel member's name", "chair")
# How many go on from a stage: set, like the vacancies, by the interview slots there are.
SHORTLIST = SetUpPart("a stage's shortlist cut", "chair")

PARTS = (
    CRITERIA,
    STAGES,
    COUNTED_STAGES,
    OVERALL_PASS_MARK,
    NAME_BLIND,
    LEVEL,
    PANEL,
    VACANCIES,
    DESCRIPTION,
    CANDIDATE_DETAILS,
    WITHDRAWAL,
    NEW_CANDIDATES,
    REPLACEMENT_MEMBER,
    MEMBER_NAME,
    SHORTLIST,
)
"""Every part of the set-up, in the order the table of docs/chair.md lists them."""


def in_set_up(campaign: Campaign) -> bool:
    """Still in set-up: whoever opens the file may change the set-up."""
    return campaign.campaign.status == "setup"


def _chair_words(campaign: Campaign) -> str:
    chairs = campaign.chairs()
    return f"the chair ({chairs[0].name}, {chairs[0].id})" if len(chairs) == 1 else "the chair"


def check_set_up_change(campaign: Campaign, who: str, part: SetUpPart, reason: str = "") -> None:
    """Refuse a change of `part` by `who` that the table does not allow, saying who may.

    Raises `ReasonNeeded` when the chair changes a part after set-up without a reason.
    """
    if in_set_up(campaign):
        return
    status = campaign.campaign.status
    if part.after_set_up == "nobody":
        raise ChangeRefused(f"the set-up is frozen from the sift on (status {status}): nobody can change {part.words} now")
    if not campaign.is_chair(who):
        raise ChangeRefused(f"from the sift on only {_chair_words(campaign)} may change {part.words}, with a reason", "as")
    if not reason.strip():
        raise ReasonNeeded(f"changing {part.words} after set-up needs a reason, written to the audit", "reason")


def check_status_move(campaign: Campaign, who: str) -> None:
    """Only the chair moves the campaign's status."""
    if not campaign.is_chair(who):
        raise ChangeRefused(f"only {_chair_words(campaign)} moves the campaign's status", "as")


def with_reason(what: str, reason: str) -> str:
    """An audit row's words with the reason given for a change after set-up."""
    return f"{what}; reason: {reason.strip()}" if reason.strip() else what
