"""Snapshots of the main screens at a fixed size and theme; review every change like code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessor.app import AssessorApp
from tests.conftest import DATA

SIZE = (120, 36)
FIXTURE = DATA / "snapshot-campaign.toml"
"""The campaign the snapshots show: a fixture of its own, so editing the shipped example changes none."""


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
    await pilot.pause()
    # A mouse left over a table row would highlight it at random, and one left on the header's icon
    # (its top-left corner) shows a tooltip once its delay passes: the title has neither.
    await pilot.hover("Header", offset=(SIZE[0] // 2, 0))


def test_picker(campaigns: Path, snap_compare) -> None:
    assert snap_compare(AssessorApp(None, folder=Path("campaigns")), terminal_size=SIZE, run_before=_settle)


@pytest.mark.parametrize("tab", ["tab-details", "tab-criteria", "tab-matrix", "tab-panel", "tab-candidates"])
def test_setup_tabs(campaigns: Path, snap_compare, tab: str) -> None:
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

    app = AssessorApp(Path("campaigns") / "panel.toml", as_member="okafor")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_tab)


def _open_then(keys: list[str]):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run_before


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("scoring-list", []),
        ("score-candidate", ["enter"]),
        ("summary", ["f4"]),
        ("moderation", ["f4", "down", "down", "m"]),
    ],
)
def test_scoring_and_summary_screens(campaigns: Path, snap_compare, name: str, keys: list[str]) -> None:
    app = AssessorApp(Path("campaigns") / "panel.toml", as_member="okafor")
    assert snap_compare(app, terminal_size=SIZE, run_before=_open_then(keys))


def test_light_theme(campaigns: Path, snap_compare) -> None:
    async def light(pilot) -> None:
        pilot.app.theme = "textual-light"
        await _open_then(["enter"])(pilot)

    app = AssessorApp(Path("campaigns") / "panel.toml", as_member="okafor")
    assert snap_compare(app, terminal_size=SIZE, run_before=light)
