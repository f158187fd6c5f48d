"""Who may change what, and when (rules/roles.py), through the set-up changes themselves."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assessor.changes.setup import advance_status, set_detail, set_role_detail, toggle_counted_stage
from assessor.changes.setup_criteria import add_stage, remove_criterion, set_lead, toggle_criterion_stage, update_criterion
from assessor.changes.setup_people import (
    add_candidate,
    add_member,
    import_candidates,
    remove_member,
    set_withdrawn,
    update_candidate,
    update_member,
)
from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused, ReasonNeeded
from assessor.rules import roles
from assessor.storage.campaign_file import load_campaign
from assessor.storage.reference import load_framework
from tests.conftest import EXAMPLE

FRAMEWORK = load_framework("success-profiles")
CHAIR, MEMBER, OUTSIDER = "okafor", "raman", "hr-officer"

Change = Callable[..., Campaign]

FROZEN: list[tuple[str, Callable[[Campaign, str], Campaign]]] = [
    ("level", lambda c, who: set_detail(c, FRAMEWORK, who, "level", 4)),
    ("overall pass mark", lambda c, who: set_detail(c, FRAMEWORK, who, "overall_pass_mark", 30.0)),
    ("name-blind sift", lambda c, who: set_detail(c, FRAMEWORK, who, "anonymise_sift", False)),
    ("pass mark", lambda c, who: update_criterion(c, FRAMEWORK, who, "leadership", pass_mark=2)),
    ("lead", lambda c, who: set_lead(c, FRAMEWORK, who, "working-together")),
    ("remove a criterion", lambda c, who: remove_criterion(c, FRAMEWORK, who, "leadership")),
    ("counted stages", lambda c, who: toggle_counted_stage(c, FRAMEWORK, who, "sift")),
    ("matrix", lambda c, who: toggle_criterion_stage(c, FRAMEWORK, who, "leadership", "sift")),
    ("a stage", lambda c, who: add_stage(c, FRAMEWORK, who, "Presentation")),
    ("a member's role", lambda c, who: update_member(c, FRAMEWORK, who, "raman", role="member")),
    ("remove a member", lambda c, who: remove_member(c, FRAMEWORK, who, "raman")),
]
CHAIRS: list[tuple[str, Callable[..., Campaign], str]] = [
    ("vacancies", lambda c, who, **r: set_detail(c, FRAMEWORK, who, "vacancies", 2, **r), "set vacancies: 1 -> 2"),
    ("title", lambda c, who, **r: set_detail(c, FRAMEWORK, who, "title", "Head of Digital, DfE", **r), "set title"),
    ("role text", lambda c, who, **r: set_role_detail(c, FRAMEWORK, who, "grade", "SCS1", **r), "set role grade"),
    ("candidate details", lambda c, who, **r: update_candidate(c, FRAMEWORK, who, "C01", name="Jordan Ellis-Brown", **r), "edited candidate C01"),
    ("withdrawal", lambda c, who, **r: set_withdrawn(c, FRAMEWORK, who, "C05", True, **r), "withdrew candidate C05"),
    ("a new candidate", lambda c, who, **r: add_candidate(c, FRAMEWORK, who, name="Priya Shah", **r), "added candidate C07"),
    ("an import", lambda c, who, **r: import_candidates(c, FRAMEWORK, who, [{"name": "Priya Shah"}], "late.csv", **r), "imported 1 candidate"),
    ("a replacement member", lambda c, who, **r: add_member(c, FRAMEWORK, who, name="Sam Lee", role="member", **r), "added member Sam Lee"),
    ("a member's name", lambda c, who, **r: update_member(c, FRAMEWORK, who, "raman", name="Priya Raman-Shah", **r), "panel member raman"),
]


@pytest.fixture
def interview() -> Campaign:
    return load_campaign(EXAMPLE)  # at interview: the set-up is frozen


@pytest.fixture
def set_up() -> Campaign:
    campaign = load_campaign(EXAMPLE)
    return campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"status": "setup"})})


@pytest.mark.parametrize(("what", "change"), FROZEN, ids=[name for name, _ in FROZEN])
def test_the_set_up_is_frozen_from_the_sift_on_for_everyone(interview: Campaign, what: str, change) -> None:
    for who in (CHAIR, MEMBER, OUTSIDER):
        with pytest.raises(ChangeRefused, match="the set-up is frozen from the sift on \\(status interview\\): nobody can change"):
            change(interview, who)


@pytest.mark.parametrize(("what", "change", "words"), CHAIRS, ids=[name for name, _, _ in CHAIRS])
def test_after_set_up_only_the_chair_corrects_and_says_why(interview: Campaign, what: str, change, words: str) -> None:
    for who in (MEMBER, OUTSIDER):
        with pytest.raises(ChangeRefused, match=r"from the sift on only the chair \(Amara Okafor, okafor\) may change .*, with a reason"):
            change(interview, who, reason="because")
    with pytest.raises(ReasonNeeded, match="after set-up needs a reason, written to the audit"):
        change(interview, CHAIR)
    changed = change(interview, CHAIR, reason="  Agreed with HR.  ")
    assert changed.audit[-1].who == CHAIR
    assert changed.audit[-1].what.startswith(words) and changed.audit[-1].what.endswith("; reason: Agreed with HR.")


@pytest.mark.parametrize(
    ("what", "change"), [*FROZEN, *[(name, change) for name, change, _ in CHAIRS]], ids=[name for name, _ in FROZEN] + [name for name, _, _ in CHAIRS]
)
def test_in_set_up_anyone_changes_anything_without_a_reason(set_up: Campaign, what: str, change) -> None:
    try:
        changed = change(set_up, OUTSIDER)
    except ChangeRefused as exc:  # the change's own rules still hold (a criterion with scores stays)
        assert "frozen" not in exc.message and "only the chair" not in exc.message and "reason" not in exc.message
        return
    assert changed.audit[-1].who == OUTSIDER and "reason" not in changed.audit[-1].what


def test_only_the_chair_moves_the_status(interview: Campaign) -> None:
    for who in (MEMBER, OUTSIDER):
        with pytest.raises(ChangeRefused, match=r"only the chair \(Amara Okafor, okafor\) moves the campaign's status"):
            advance_status(interview, FRAMEWORK, who)
    moved = advance_status(interview, FRAMEWORK, CHAIR)
    assert moved.campaign.status == "moderation" and moved.audit[-1].what.startswith("status interview -> moderation")


def test_an_incomplete_set_up_is_listed_before_anyone_is_asked_to_be_chair(set_up: Campaign) -> None:
    bare = set_up.model_copy(update={"candidates": [], "panel": [m for m in set_up.panel if m.role != "chair"]})
    with pytest.raises(ChangeRefused) as refused:
        advance_status(bare, FRAMEWORK, OUTSIDER)
    assert refused.value.message == "not moved on: the set-up is not complete (2 to do)"
    assert refused.value.details == ("no chair on the panel", "no candidates")


def test_the_table_names_every_part_once() -> None:
    assert len({part.words for part in roles.PARTS}) == len(roles.PARTS)
    assert {part.after_set_up for part in roles.PARTS} == {"nobody", "chair"}
