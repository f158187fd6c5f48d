"""Taking back a score or an agreed score: what is refused, and where the change goes."""

from __future__ import annotations

import pytest

from assessor.changes.scores import clear_score, withdraw_moderation
from assessor.changes.sheets import file_part, new_sheet
from assessor.core.errors import ChangeRefused
from assessor.storage.campaign_file import load_campaign
from tests.conftest import DATA

CAMPAIGN = load_campaign(DATA / "snapshot-campaign.toml")


def test_a_score_under_an_agreed_score_is_not_cleared_until_the_chair_withdraws_it() -> None:
    item = {"candidate": "C03", "criterion": "making-effective-decisions", "stage": "interview"}
    with pytest.raises(ChangeRefused, match="the chair withdraws it first"):
        clear_score(CAMPAIGN, assessor="raman", **item)
    withdrawn = withdraw_moderation(CAMPAIGN, chair="okafor", **item)
    assert withdrawn.audit[-1].what == "withdrew the agreed score for C03 on making-effective-decisions at interview (was 5)"
    cleared = clear_score(withdrawn, assessor="raman", **item)
    assert cleared.score.score == 3 and len(cleared.campaign.scores) == len(CAMPAIGN.scores) - 1
    with pytest.raises(ChangeRefused, match="nothing to clear"):
        clear_score(cleared.campaign, assessor="raman", **item)
    with pytest.raises(ChangeRefused, match="no agreed score"):
        withdraw_moderation(withdrawn, chair="okafor", **item)
    with pytest.raises(ChangeRefused):
        withdraw_moderation(CAMPAIGN, chair="raman", **item)  # only the chair


def test_a_cleared_score_leaves_the_campaign_file_and_nothing_else_does() -> None:
    cleared = clear_score(CAMPAIGN, assessor="raman", candidate="C01", criterion="leadership", stage="interview")
    kept = file_part(cleared.campaign, base=CAMPAIGN, combined=CAMPAIGN, sheets={"raman": new_sheet(CAMPAIGN, "raman")})
    assert len(kept.scores) == len(CAMPAIGN.scores) - 1
    assert cleared.score not in kept.scores and kept.audit[-1].what.startswith("cleared score for C01 on leadership")
