"""The set-up tabs by keyboard at 80x24: the tab shown takes the keys at once (its keys in the
footer, the next key acting on it however fast it comes), and a criterion added is the row
highlighted, in view, with the keys on the table."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from assessor.app import AssessorApp
from assessor.screens.dialogs import ChooseDialog, FormDialog
from assessor.screens.setup import SetupScreen
from assessor.storage.campaign_file import load_campaign
from tests.app.pilot import fill, press_for, settle, wait_for
from tests.app.test_app_fit import lines_of
from tests.app.test_app_keys import at_status, fixture_copy
from tests.app.test_app_sizes import footer_text
from tests.app.test_app_type_ahead import burst

TITLE = "Head of Digital, Department for Education"

TABS = [
    # (tab, its table, a key of its own, that key's words in the footer, the title of the dialog it opens)
    ("tab-criteria", "criteria-table", "a", "a Add behaviour", "Add a behaviour (indicators at level 5)"),
    ("tab-matrix", "matrix-table", "n", "space Assess here", "New stage"),
    ("tab-panel", "panel-table", "a", "a Add member", "Add a panel member"),
    ("tab-candidates", "candidates-table", "a", "a Add candidate", "Add a candidate"),
]


async def open_set_up(app: AssessorApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
    await settle(app, pilot)


def active_tab(app: AssessorApp) -> str | None:
    return app.screen.query_one("#setup-tabs", TabbedContent).active


def dialog_title(app: AssessorApp) -> str:
    return str(app.screen.query_one(".dialog-title", Static).render())


async def test_the_tab_shown_takes_the_keys_and_the_footer_shows_them_as_soon_as_it_is_shown(tmp_path: Path) -> None:
    app = AssessorApp(fixture_copy(tmp_path, at_status("setup")), as_member="okafor")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_set_up(app, pilot)
        assert active_tab(app) == "tab-details" and "Add" not in footer_text(app)
        for tab, table, _, words, _ in TABS:
            shown: list[str | None] = []
            burst(app, ["ctrl+right"])
            await wait_for(pilot, lambda: shown.append(active_tab(app)) or words in footer_text(app))  # noqa: B023  # read at once
            assert set(shown[shown.index(tab) :]) == {tab}, f"the tab left came back on the way: {shown}"
            assert app.focused is not None and app.focused.id == table  # its table, not the pane beside it
        await pilot.press("ctrl+right")
        assert active_tab(app) == "tab-details" and "Add" not in footer_text(app)
        assert app.focused is not None and app.screen.query_one("#tab-details") in app.focused.ancestors


SWITCHES = [pytest.param(steps, tab, key, title, id=tab) for steps, (tab, _, key, _, title) in enumerate(TABS, start=1)]
"""How many times ctrl+right goes from the first tab to each, its key and the dialog that key opens."""


@pytest.mark.parametrize(("steps", "tab", "key", "title"), SWITCHES)
async def test_a_key_typed_straight_after_switching_tabs_acts_on_the_new_tab(tmp_path: Path, steps: int, tab: str, key: str, title: str) -> None:
    path = fixture_copy(tmp_path, at_status("setup"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_set_up(app, pilot)
        setup = app.screen
        burst(app, ["ctrl+right"] * steps + [key])  # as a fast typist sends them: none waits for the one before
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseDialog | FormDialog), tries=600)
        assert dialog_title(app) == title
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is setup)
        await settle(app, pilot)
        assert active_tab(app) == tab
        assert app.focused is not None and setup.query_one(f"#{tab}") in app.focused.ancestors
        assert setup.query_one("#detail-title", Input).value == TITLE  # the key typed nothing into the tab left
    assert load_campaign(path).campaign.title == TITLE


async def test_a_criterion_added_is_highlighted_in_view_with_the_keys_on_the_table(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, at_status("setup"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_set_up(app, pilot)
        await pilot.press("ctrl+right")
        table = app.screen.query_one("#criteria-table", DataTable)
        assert app.focused is table and table.cursor_row == 0
        count = len(load_campaign(path).criteria)

        await press_for(pilot, app, "a", ChooseDialog)
        await pilot.press("enter")  # the first behaviour offered
        await wait_for(pilot, lambda: len(load_campaign(path).criteria) == count + 1)
        await settle(app, pilot)
        assert app.focused is table
        assert table.get_row_at(table.cursor_row)[0].plain == "Communicating and Influencing"
        assert any(line.strip().startswith("Communicating and I") for line in lines_of(app, table))  # in view, not below the fold

        await press_for(pilot, app, "o", FormDialog)
        await fill(pilot, app, {"name": "Experience of running a service desk"})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(load_campaign(path).criteria) == count + 2)
        await settle(app, pilot)
        assert app.focused is table
        assert table.get_row_at(table.cursor_row)[0].plain == "Experience of running a service desk"
        assert any(line.strip().startswith("Experience of runn") for line in lines_of(app, table))
        assert table.cursor_row != 0 and table.scroll_y > 0  # at 24 rows the list had to scroll to show it
