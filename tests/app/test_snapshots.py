"""Snapshots of every main screen and dialog at 80x24 and at 140x45, on the fixture campaign;
review every change like code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessor.app import AssessorApp
from assessor.storage.lock import lock_path
from assessor.storage.sheets import sheet_path
from tests.conftest import DATA

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((140, 45), id="140x45", marks=pytest.mark.slow)]
"""Every screen pictured at 80x24 in `make test`, where layouts break first; at 140x45 in `make fuzz`."""
FIXTURE = DATA / "snapshot-campaign.toml"
"""The campaign the snapshots show: a fixture of its own, so editing the shipped example changes none."""
PANEL = Path("campaigns") / "panel.toml"


@pytest.fixture
def campaigns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A campaigns folder with the fixture and the minimal file, as the working folder."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    shutil.copyfile(FIXTURE, folder / "panel.toml")
    shutil.copyfile(DATA / "minimal.toml", folder / "minimal.toml")
    monkeypatch.chdir(tmp_path)
    return folder


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    # A blinking cursor would be caught on or off by chance: shown steadily instead.
    for box in pilot.app.screen.query("Input, TextArea"):
        box.cursor_blink = False
    await pilot.pause()
    # A mouse left over a table row would highlight it at random, and one left on the header's icon
    # (its top-left corner) shows a tooltip once its delay passes: the title has neither.
    # A dialog has no header of its own: the top row of the screen behind it is just as still.
    await pilot.hover(None, offset=(pilot.app.size.width // 2, 0))


def _open_then(keys: list[str]):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_picker(campaigns: Path, snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(AssessorApp(None, folder=Path("campaigns")), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "keys"), [("new-campaign", ["n"])])
def test_picker_dialogs(campaigns: Path, snap_compare, size: tuple[int, int], name: str, keys: list[str]) -> None:
    assert snap_compare(AssessorApp(None, folder=Path("campaigns")), terminal_size=size, run_before=_open_then(keys))


@pytest.mark.parametrize("size", SIZES)
def test_who_are_you(campaigns: Path, snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(AssessorApp(PANEL), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_the_lock_dialog(campaigns: Path, snap_compare, size: tuple[int, int]) -> None:
    lock_path(sheet_path(PANEL, "raman")).mkdir(parents=True)  # a folder where the sheet's lock goes: offered read-only
    assert snap_compare(AssessorApp(PANEL, as_member="raman"), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ["tab-details", "tab-criteria", "tab-matrix", "tab-panel", "tab-candidates"])
def test_setup_tabs(campaigns: Path, snap_compare, tab: str, size: tuple[int, int]) -> None:
    async def open_tab(pilot) -> None:
        await _settle(pilot)
        await pilot.press("f2")
        await _settle(pilot)
        pilot.app.screen.query_one("#setup-tabs").active = tab
        await _settle(pilot)
        pane = pilot.app.screen.query_one("#setup-tabs").active_pane
        pane.query("DataTable, Input, Select").first().focus()  # as the tab switch does, without racing it
        await _settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await _settle(pilot)

    assert snap_compare(AssessorApp(PANEL, as_member="okafor"), terminal_size=size, run_before=open_tab)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("scoring-list", []),
        ("score-candidate", ["enter"]),
        ("score-off-the-scale", ["enter", "8"]),
        ("score-note", ["enter", "n"]),
        ("summary", ["f4"]),
        ("moderation", ["f4", "down", "down", "m"]),
        ("queue", ["f4", "q"]),
        ("export", ["f4", "e"]),
        ("finalise", ["f4", "f"]),
        ("methods", ["f2", "ctrl+right", "ctrl+right", "m"]),
        ("help", ["f1"]),
    ],
)
def test_screens_and_dialogs(campaigns: Path, snap_compare, name: str, keys: list[str], size: tuple[int, int]) -> None:
    assert snap_compare(AssessorApp(PANEL, as_member="okafor"), terminal_size=size, run_before=_open_then(keys))


def test_light_theme(campaigns: Path, snap_compare) -> None:
    async def light(pilot) -> None:
        pilot.app.theme = "textual-light"
        await _open_then(["enter"])(pilot)

    assert snap_compare(AssessorApp(PANEL, as_member="okafor"), terminal_size=(120, 36), run_before=light)
