"""What people type is shown as they typed it: a name or evidence that looks like Textual's
markup (`[/b]`, `[red]`) is neither read as markup nor breaks a screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from assessor.app import AssessorApp
from assessor.screens.moderation import ModerationScreen
from assessor.screens.score import ScoreScreen
from assessor.screens.setup import SetupScreen
from assessor.screens.summary import SummaryScreen
from tests.app.pilot import press_for, row_text, settle, show_screen, wait_for
from tests.app.test_app_keys import at_status, fixture_copy
from tests.app.test_app_setup import show_tab
from tests.app.test_app_sizes import screen_text

NAME = "Jordan [/b] [red]Ellis"


async def test_a_name_that_looks_like_markup_is_shown_as_typed_on_every_screen(tmp_path: Path) -> None:
    path = fixture_copy(
        tmp_path,
        at_status("moderation"),
        ('name = "Jordan Ellis"', f'name = "{NAME}"'),
        ('adjustments = "Extra 15 minutes', 'adjustments = "[bold]Extra[/] 15 minutes'),
    )
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        assert row_text(table, 0)[1] == NAME and NAME in screen_text(app)
        await press_for(pilot, app, "enter", ScoreScreen)
        await settle(app, pilot)
        assert f"C01 {NAME}" in screen_text(app)
        await pilot.press("escape", "f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        assert "Jordan [/b] [red]Ellis" in screen_text(app)
        await show_screen(app, pilot, ModerationScreen("C03", ("interview",)), "#moderation-grid")
        assert "adjustments: [bold]Extra[/] 15 minutes" in screen_text(app)
        await pilot.press("escape", "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await show_tab(app, pilot, "tab-candidates")
        assert NAME in screen_text(app)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Jordan")
        await settle(app, pilot)
        assert f"Go to candidate C01 {NAME}" in screen_text(app)
        app.notify(f"{NAME} [/]")  # a notification holding a name is plain text too
        await settle(app, pilot)
