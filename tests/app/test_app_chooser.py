"""The campaign chooser as HR's register in small: each file's status, seal, dates and what is
due, what is due first, fitted to 80 columns."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable, Static

from assessor.app import AssessorApp
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import row_text, settle
from tests.cli.conftest import finalise_long_ago
from tests.cli.test_register import sealed_at
from tests.conftest import MINIMAL


async def test_the_chooser_shows_seal_dates_and_what_is_due_first(tmp_path: Path, clean: Path) -> None:
    folder = tmp_path / "campaigns"
    folder.mkdir()
    shutil.copyfile(MINIMAL, folder / "a-interview.toml")
    base = load_campaign(clean)
    save_campaign(base.model_copy(update={"campaign": base.campaign.model_copy(update={"retain_until": None})}), folder / "b-old.toml")
    finalise_long_ago(folder / "b-old.toml", "P1")
    ends = datetime.now(UTC).date() + timedelta(days=12)
    sealed_at(clean, folder / "c-ending.toml", datetime(ends.year - 1, ends.month, min(ends.day, 28), 9, 0, tzinfo=UTC))
    app = AssessorApp(None, folder=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#campaign-files", DataTable)
        assert table.max_scroll_x == 0
        rows = [row_text(table, index) for index in range(table.row_count)]
        assert [row[0] for row in rows] == ["b-old.toml", "c-ending.toml", "a-interview.toml"]  # the longest due first
        assert rows[0][2:4] == ["final", "matches"] and rows[0][4].startswith("purge due since")
        assert rows[1][4].startswith("reserve list ends in 1")  # cut at 80 columns; whole under the table
        assert rows[2][2:5] == ["interview", "none", ""]
        await pilot.press("down")
        await settle(app, pilot)
        detail = str(app.screen.query_one("#picker-detail", Static).render())
        assert "seal matches" in detail and f"reserve until {ends.isoformat()}" in detail and detail.endswith("due: reserve list ends in 12 days")
