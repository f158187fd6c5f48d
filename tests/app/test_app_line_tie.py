"""A tie across the appointable line in the app, at 80x24: the summary says the chair records
their order and shows the key that does it, `o`, never the command line's command."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from assessor.app import AssessorApp
from assessor.screens.dialogs import FormDialog
from assessor.screens.summary import SummaryScreen
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import fill, open_summary, press_for, settle, wait_for
from tests.app.test_app_sizes import screen_text
from tests.scoring_cases import hand_worked

SAID = "the chair records their order"


async def test_the_summary_shows_the_key_that_orders_a_tie_across_the_line_and_o_orders_it(tmp_path: Path) -> None:
    path = tmp_path / "worked.toml"
    save_campaign(hand_worked(), path)  # two vacancies, B and C tied at rank 2
    app = AssessorApp(path, as_member="P1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_summary(app, pilot)
        notes = app.screen.query_one("#summary-notes", Static)
        assert f"B: tied across the appointable line with C: {SAID} (o)" in str(notes.render()).splitlines()
        assert "assessor separate" not in str(notes.render()) + screen_text(app)

        await press_for(pilot, app, "f", FormDialog)  # finalising lists what is open, the tie with its key
        detail = str(app.screen.query_one(".dialog-detail", Static).render())
        assert f"• B: rank 2 is shared across the appointable line: {SAID} (o)" in detail.splitlines()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))

        table = app.screen.query_one("#merit-list", DataTable)
        table.move_cursor(row=table.get_row_index("B"))
        await press_for(pilot, app, "o", FormDialog)
        await fill(pilot, app, {"order": "C, B", "rationale": "C's evidence on the lead criterion was deeper."})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(load_campaign(path).order))
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        assert SAID not in str(app.screen.query_one("#summary-notes", Static).render())
    assert [row.candidates for row in load_campaign(path).order] == [["C", "B"]]
