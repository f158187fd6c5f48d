"""f5 out of set-up in the app: refused for too small a panel, and a note when it has no independent member."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Static

from assessor.app import AssessorApp
from assessor.screens.dialogs import ConfirmDialog
from assessor.screens.setup import SetupScreen
from assessor.storage.campaign_file import load_campaign
from tests.app.pilot import press_for, settle, wait_for
from tests.app.test_app_setup import show_tab
from tests.conftest import EXAMPLE

NO_INDEPENDENT = "The panel has no independent member; Civil Service practice asks for one."


def example_in_set_up(tmp_path: Path, *, replace: tuple[str, str] | None = None) -> Path:
    """The example as it was in set-up: Okafor chairs, Whitfield, and Raman the independent."""
    path = tmp_path / "example.toml"
    shutil.copyfile(EXAMPLE, path)
    text = path.read_text().replace('status = "interview"', 'status = "setup"')
    path.write_text(text.replace(*replace) if replace else text)
    return path


async def move_on(app: AssessorApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
    await press_for(pilot, app, "f5", ConfirmDialog)
    await pilot.press("y")
    await settle(app, pilot)


async def test_no_independent_member_moves_on_and_says_so(tmp_path: Path) -> None:
    path = example_in_set_up(tmp_path, replace=('role = "independent"', 'role = "member"'))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await move_on(app, pilot)
        await wait_for(pilot, lambda: any(note.message == NO_INDEPENDENT for note in app._notifications))
        assert app.session is not None and app.session.campaign.campaign.status == "sift"
    assert load_campaign(path).campaign.status == "sift"


async def test_with_an_independent_member_nothing_more_is_said(tmp_path: Path) -> None:
    path = example_in_set_up(tmp_path)
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await move_on(app, pilot)
        assert app.session is not None and app.session.campaign.campaign.status == "sift"
        assert not any("independent" in note.message for note in app._notifications)


async def test_too_small_a_panel_is_refused_with_the_gap(tmp_path: Path) -> None:
    path = example_in_set_up(tmp_path, replace=('status = "setup"', 'status = "setup"\nmin_assessors = 4'))
    before = path.read_bytes()
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await pilot.press("f5")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        messages = [note.message for note in app._notifications]
    assert "Not moved on: the set-up is not complete (1 to do); fewer than 4 panel members who score (min_assessors)." in messages
    assert path.read_bytes() == before


async def test_the_panel_tab_says_the_panel_is_too_small(tmp_path: Path) -> None:
    path = example_in_set_up(tmp_path, replace=('status = "setup"', 'status = "setup"\nmin_assessors = 4'))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await show_tab(app, pilot, "tab-panel")
        warning = app.screen.query_one("#panel-warning", Static)
        assert str(warning.render()) == "Fewer than 4 panel members who score (min_assessors): everyone on the panel scores, the chair too."
