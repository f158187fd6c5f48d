"""The app at 80x24 and at 140x45: every screen and dialog usable by keyboard without
resizing. Each test presses the keys and reads what is on the screen at both sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

from assessor.app import AssessorApp
from assessor.screens.dialogs import ChooseDialog, FormDialog
from assessor.screens.help import HelpScreen
from assessor.screens.moderation import ModerationScreen
from assessor.screens.new_campaign import NewCampaignDialog
from assessor.screens.queue import QueueScreen
from assessor.screens.score import ScoreScreen
from assessor.screens.setup import SetupScreen
from assessor.screens.summary import SummaryScreen
from tests.app.pilot import open_summary, press_for, row_text, settle, show_screen, wait_for
from tests.app.test_app_keys import at_status, fixture_copy
from tests.app.test_app_setup import show_tab

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((140, 45), id="140x45", marks=pytest.mark.slow)]
"""Each fit checked at 80x24 in `make test`, where it breaks first; at 140x45 as well in `make fuzz`."""


def screen_text(app: AssessorApp) -> str:
    """What the terminal shows now, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def footer_text(app: AssessorApp) -> str:
    return screen_text(app).splitlines()[-1]


def shown_whole(app: AssessorApp, widget: Widget) -> bool:
    """The widget lies inside the terminal (not cut off at an edge) and inside what its scrolling parents show."""
    region = widget.region
    width, height = app.size
    return region.width > 0 and region.height > 0 and region.right <= width and region.bottom <= height


@pytest.mark.parametrize("size", SIZES)
async def test_moderation_shows_every_members_column_the_spread_and_the_agreed_score(tmp_path: Path, size: tuple[int, int]) -> None:
    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, ModerationScreen("C03", ("interview",), "making-effective-decisions@interview"), "#moderation-grid")
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Criterion" in line and "Stage" in line)
        for column in ("Okafor", "Whitfield", "Raman", "Spread", "Agreed", "Flag"):
            assert column in header, f"{column} is off screen at {size}: {header!r}"
        grid = app.screen.query_one("#moderation-grid", DataTable)
        assert row_text(grid, grid.cursor_row)[-2:] == ["5*", "S"] if size[0] == 80 else ["5*", "spread"]
        if size[0] == 80:  # the flags as letters, and their legend under the evidence
            assert "Flags: D disagreement; S spread" in str(app.screen.query_one("#evidence-text", Static).render())
        assert "esc Back" in footer_text(app) and "a Agree a score" in footer_text(app) and footer_text(app).startswith("f1 Help")
        pane = app.screen.query_one("#evidence-view", VerticalScroll)
        await pilot.press("ctrl+down")
        await settle(app, pilot)
        assert pane.scroll_y > 0 or pane.max_scroll_y == 0  # the evidence scrolls by key when it is longer than its pane


@pytest.mark.parametrize("size", SIZES)
async def test_the_score_screens_indicators_scroll_by_key_and_the_criterion_stays(tmp_path: Path, size: tuple[int, int]) -> None:
    path = fixture_copy(tmp_path)
    app = AssessorApp(path, as_member="raman")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)
        await settle(app, pilot)
        view = app.screen.query_one("#criterion-view", VerticalScroll)
        criteria = app.screen.query_one("#criteria-list")
        highlighted = criteria.highlighted
        if size[1] == 24:
            assert view.max_scroll_y > 0, "at 24 rows the indicators and the scale are longer than their pane"
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert criteria.highlighted == highlighted  # the pane scrolled, not to another criterion
        assert view.scroll_y > 0 or view.max_scroll_y == 0
        await pilot.press("ctrl+up")
        await settle(app, pilot)
        assert view.scroll_y == 0
        footer = footer_text(app)
        assert footer.startswith("f1 Help") and "1-7 Score" in footer and "esc Back" in footer


@pytest.mark.parametrize("size", SIZES)
async def test_the_summary_keeps_the_name_in_view_and_finalise_in_the_footer(tmp_path: Path, size: tuple[int, int]) -> None:
    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await open_summary(app, pilot)
        assert "f Finalise" in footer_text(app) and footer_text(app).startswith("f1 Help")
        table = app.screen.query_one("#merit-list", DataTable)
        assert table.fixed_columns == 2
        table.scroll_end(animate=False)  # scrolled all the way right: rank and name still shown
        await settle(app, pilot)
        assert "Sofia Marchetti" in screen_text(app) or "Sofia March…" in screen_text(app)
        table.move_cursor(row=table.get_row_index("C03"))
        await settle(app, pilot)
        detail = str(app.screen.query_one("#summary-detail", Static).render())
        assert detail.startswith("C03 Daniel Osei: reserve") and "adjustments: Extra 15 minutes to prepare the presentation" in detail


@pytest.mark.parametrize("size", SIZES)
async def test_the_queue_is_readable_and_opens_on_the_flagged_item(tmp_path: Path, size: tuple[int, int]) -> None:
    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, QueueScreen(None), "#queue")
        header = next(line for line in screen_text(app).splitlines() if "Needs" in line and "Candidate" in line)
        for column in ("Criterion", "Stage", "Detail"):
            assert column in header, f"{column} is off screen at {size}"
        queue = app.screen.query_one("#queue", DataTable)
        assert row_text(queue, 0)[0] == "disagreement" and row_text(queue, 0)[3] == "Interview"
        flagged = row_text(queue, 2)
        queue.move_cursor(row=2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ModerationScreen) and bool(app.screen.query("#moderation-grid")))
        await settle(app, pilot)
        grid = app.screen.query_one("#moderation-grid", DataTable)
        assert grid.cursor_row > 0 and row_text(grid, grid.cursor_row)[:2] == flagged[2:4]  # on the flagged criterion, not the first


@pytest.mark.parametrize("size", SIZES)
async def test_new_campaign_fits_and_every_field_comes_into_view_as_tab_reaches_it(tmp_path: Path, size: tuple[int, int]) -> None:
    folder = tmp_path / "campaigns"
    folder.mkdir()
    app = AssessorApp(None, folder=folder)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "n", NewCampaignDialog)
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(app.focused, Select) and app.focused.id == "template"  # the first field takes the first key
        assert shown_whole(app, dialog.query_one("#create", Button)) and shown_whole(app, dialog.query_one(".dialog"))
        for _ in range(4):  # from the template: level, title, vacancies, file name (the framework is the template's)
            await pilot.press("tab")
            await settle(app, pilot)
            focused = app.focused
            assert focused is not None
            scroller = dialog.query_one(".dialog-fields", VerticalScroll)
            if isinstance(focused, Input | Select):
                assert scroller.region.contains_region(focused.region), f"{focused.id} is out of view at {size}"
        assert app.focused is not None and app.focused.id == "file"
        await pilot.press(*"panel-test", "ctrl+s")
        await wait_for(pilot, lambda: (folder / "panel-test.toml").exists())


@pytest.mark.parametrize("size", SIZES)
async def test_the_export_and_help_dialogs_fit_the_terminal(tmp_path: Path, size: tuple[int, int]) -> None:
    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await open_summary(app, pilot)
        await press_for(pilot, app, "e", ChooseDialog)
        box = app.screen.query_one(".dialog")
        assert shown_whole(app, box) and box.region.width <= 52  # as small as the list it holds
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await press_for(pilot, app, "f1", HelpScreen)
        assert shown_whole(app, app.screen.query_one(VerticalScroll))


@pytest.mark.parametrize("size", SIZES)
async def test_every_form_dialog_takes_the_first_key_typed(tmp_path: Path, size: tuple[int, int]) -> None:
    path = fixture_copy(tmp_path, at_status("setup"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        for tab, key, typed in (("tab-panel", "a", "lee"), ("tab-candidates", "a", "Ada Lovelace"), ("tab-criteria", "o", None)):
            await show_tab(app, pilot, tab)
            await press_for(pilot, app, key, FormDialog)
            dialog = app.screen
            first = dialog.query_one(f"#field-{dialog.fields[0].key}")
            assert app.focused is first
            assert shown_whole(app, dialog.query_one("#save", Button))
            if typed:
                await pilot.press(*typed)
                assert isinstance(first, Input) and first.value == typed
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))


@pytest.mark.parametrize("size", SIZES)
async def test_f4_from_set_up_shows_the_summary_not_a_screen_left_on_it(tmp_path: Path, size: tuple[int, int]) -> None:
    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await open_summary(app, pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, ModerationScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await open_summary(app, pilot)
        assert isinstance(app.screen, SummaryScreen)


async def test_the_method_picker_marks_ticked_rows_with_a_check_mark(tmp_path: Path) -> None:
    from assessor.screens.dialogs import PickManyDialog

    path = fixture_copy(tmp_path, at_status("setup"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await show_tab(app, pilot, "tab-matrix")
        await press_for(pilot, app, "m", PickManyDialog)
        lines = screen_text(app).splitlines()
        ticked = [line for line in lines if "✓" in line]
        assert any("Application form" in line for line in ticked) and any("CV —" in line for line in ticked)
        assert any("Interview —" in line and "▐ ▌" in line for line in lines)  # not ticked: an empty box, not another colour only
        await pilot.press("down", "down", "space")  # tick the Civil Service Judgement Test
        await settle(app, pilot)
        assert any("Civil Service Judgement Test" in line and "✓" in line for line in screen_text(app).splitlines())
