"""Fixtures for the command-line tests: campaigns in known states, as real files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assessor.changes.scores import record
from assessor.storage.campaign_file import load_campaign, save_campaign

CLEAN_AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
"""When the `clean` campaign's scores were given."""


@pytest.fixture
def clean(minimal: Path) -> Path:
    """The minimal campaign with every counted score in and nothing left for the chair."""
    campaign = load_campaign(minimal)
    for candidate, criterion, stage, assessor, score in [
        ("C01", "working-together", "interview", "P1", 5),
        ("C01", "working-together", "interview", "P2", 5),
        ("C02", "leadership", "interview", "P1", 6),
        ("C02", "leadership", "interview", "P2", 6),
        ("C02", "working-together", "interview", "P1", 6),
        ("C02", "working-together", "interview", "P2", 5),
        # The sift decided who went on to the interview: it is settled too.
        ("C01", "leadership", "sift", "P1", 5),
        ("C01", "leadership", "sift", "P2", 5),
        ("C02", "leadership", "sift", "P1", 6),
        ("C02", "leadership", "sift", "P2", 6),
    ]:
        campaign = record(
            campaign,
            assessor=assessor,
            candidate=candidate,
            criterion=criterion,
            stage=stage,
            score=score,
            evidence=f"{assessor} saw {candidate} on {criterion}.",
            at=CLEAN_AT,
        ).campaign
    save_campaign(campaign, minimal)
    return minimal


LONG_AGO = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
"""When `finalise_long_ago` signs a campaign off: its reserve list and retention long past."""


def finalise_long_ago(path: Path, chair: str, rationale: str = "") -> None:
    """Finalise the campaign file as `assessor finalise --reserve-months 0` would have, long ago
    (so a retention date before today stands): purge can then be tried today."""
    from assessor.changes.seal import finalise
    from assessor.storage.campaign_file import written_data

    campaign = load_campaign(path)
    final = finalise(campaign, chair=chair, at=LONG_AGO, file_data=written_data, force=bool(rationale), rationale=rationale, reserve_months=0)
    save_campaign(final, path)
