"""The smallest panel a campaign leaves set-up with (`min_assessors`), and the note of a panel with no independent member."""

from __future__ import annotations

import pytest

from assessor.changes.setup import advance_status
from assessor.core.campaign import Campaign
from assessor.core.errors import CampaignError, ChangeRefused
from assessor.rules.readiness import NO_INDEPENDENT, setup_gaps, setup_notes
from assessor.storage.campaign_file import campaign_data, load_campaign, save_campaign
from assessor.storage.reference import load_framework
from tests.conftest import EXAMPLE

FRAMEWORK = load_framework("success-profiles")


def in_set_up(*members: str, **settings: object) -> Campaign:
    """The example as it was in set-up, before anyone scored, with only these panel members."""
    example = load_campaign(EXAMPLE)
    info = example.campaign.model_copy(update={"status": "setup", **settings})
    panel = [member for member in example.panel if member.id in members]
    unscored = {"scores": [], "moderation": [], "notes": [], "order": [], "feedback": [], "allocation": []}
    return example.model_copy(update={"campaign": info, "panel": panel, **unscored})


def test_a_one_person_panel_does_not_leave_set_up() -> None:
    with pytest.raises(ChangeRefused) as refused:
        advance_status(in_set_up("okafor"), FRAMEWORK, "okafor")
    assert refused.value.message == "not moved on: the set-up is not complete (1 to do)"
    assert refused.value.details == ("fewer than 2 panel members who score (min_assessors)",)


def test_two_who_score_move_on_the_chair_among_them() -> None:
    moved = advance_status(in_set_up("okafor", "raman"), FRAMEWORK, "okafor")
    assert moved.campaign.status == "sift" and moved.audit[-1].what == "status setup -> sift"


def test_the_campaign_sets_its_own_smallest_panel() -> None:
    assert advance_status(in_set_up("okafor", min_assessors=1), FRAMEWORK, "okafor").campaign.status == "sift"
    assert setup_gaps(in_set_up("okafor", "raman", "whitfield", min_assessors=4)) == ["fewer than 4 panel members who score (min_assessors)"]
    assert setup_gaps(in_set_up("okafor", "raman", "whitfield", min_assessors=3)) == []
    assert setup_gaps(in_set_up(min_assessors=1)) == ["no chair on the panel", "fewer than 1 panel member who scores (min_assessors)"]


def test_the_smallest_panel_is_a_gap_of_set_up_alone() -> None:
    """From the sift on the panel is the one that started scoring: a file from before the rule still moves on."""
    at_sift = in_set_up("okafor")
    at_sift = at_sift.model_copy(update={"campaign": at_sift.campaign.model_copy(update={"status": "sift"})})
    assert setup_gaps(at_sift) == []


def test_no_independent_member_is_a_note_not_a_gap() -> None:
    two_members = in_set_up("okafor", "whitfield")
    assert setup_notes(two_members) == [NO_INDEPENDENT] == ["the panel has no independent member; Civil Service practice asks for one"]
    assert setup_gaps(two_members) == []
    assert advance_status(two_members, FRAMEWORK, "okafor").campaign.status == "sift"
    assert setup_notes(in_set_up("okafor", "raman")) == []


def test_min_assessors_is_written_only_when_the_campaign_gives_it(tmp_path) -> None:
    assert "min_assessors" not in campaign_data(in_set_up("okafor", "raman"))["campaign"]
    path = tmp_path / "c.toml"
    save_campaign(in_set_up("okafor", "raman", min_assessors=3), path)
    assert "min_assessors = 3\n" in path.read_text()
    assert load_campaign(path).campaign.min_assessors == 3


def test_min_assessors_is_at_least_one(tmp_path) -> None:
    path = tmp_path / "c.toml"
    save_campaign(in_set_up("okafor", "raman", min_assessors=2), path)
    path.write_text(path.read_text().replace("min_assessors = 2", "min_assessors = 0"))
    with pytest.raises(CampaignError) as refused:
        load_campaign(path)
    assert [problem.message for problem in refused.value.problems] == ["must be at least 1, not 0"]
