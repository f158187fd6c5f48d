"""Fixtures for the command-line tests: campaigns in known states, as real files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.conftest import CLEAN_AT as CLEAN_AT  # the `clean` campaign is shared with the app tests

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
