"""A decided stage in the app: the chair is shown what moving on decides, a member's key there is
refused, and the chair's correction asks for a reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from assessor.app import AssessorApp
from assessor.screens.dialogs import ConfirmDialog, FormDialog
from assessor.screens.score import ScoreScreen
from assessor.screens.scoring_list import ScoringListScreen
from assessor.screens.setup import SetupScreen
from assessor.storage.campaign_file import load_campaign
from assessor.storage.sheets import sheet_path
from tests.app.pilot import fill, press_for, settle, wait_for
from tests.conftest import EXAMPLE, run_cli


@pytest.fixture
def at_sift(tmp_path: Path) -> Path:
    """The example with its sift scored and not yet left: the chair is about to move on."""
    target = tmp_path / "hod.toml"
    target.write_text(EXAMPLE.read_text().replace('status = "interview"', 'status = "sift"', 1))
    return target


@pytest.fixture
def decided(tmp_path: Path) -> Path:
    """The example moved on to moderation by the chair: its sift recorded as decided."""
    target = tmp_path / "hod.toml"
    shutil.copyfile(EXAMPLE, target)
    assert run_cli("advance", str(target), "--as", "okafor").returncode == 0
    return target


async def test_moving_on_shows_who_goes_on_and_asks_a_reason_for_what_is_open(at_sift: Path) -> None:
    app = AssessorApp(at_sift, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await press_for(pilot, app, "f5", ConfirmDialog)
        shown = "\n".join(str(widget.render()) for widget in app.screen.query(Static))
        assert "Sift decided: 5 go on (5 pass), 1 do not." in shown
        assert "Go on: C02 HOD-26-102, C06 HOD-26-106, C03 HOD-26-103, C01 HOD-26-101, C04 HOD-26-104." in shown
        assert "Do not go on: C05 HOD-26-105 (fail)." in shown  # by reference: the sift is name-blind
        assert "still open at the Sift stage (the queue, q, lists them): moving on asks your reason." in shown
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill(pilot, app, {"reason": "The panel met; the spreads were discussed."})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    campaign = load_campaign(at_sift)
    assert campaign.campaign.status == "interview"
    record = campaign.decision_at("sift")
    assert record is not None and record.by == "okafor" and record.note is None
    assert campaign.audit[-1].what.endswith("; reason: The panel met; the spreads were discussed.")


async def open_the_sift_list(app: AssessorApp, pilot) -> None:
    """The scoring list, moved on to the sift with `s`."""
    await settle(app, pilot)
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
    while not str(app.screen.query_one("#scoring-heading", Static).render()).startswith("Sift"):
        await pilot.press("s")
        await pilot.pause()


async def test_a_members_key_at_a_decided_stage_is_refused(decided: Path) -> None:
    sheet = sheet_path(decided, "raman")
    before = sheet.read_bytes() if sheet.exists() else None
    app = AssessorApp(decided, as_member="raman")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_the_sift_list(app, pilot)
        heading = str(app.screen.query_one("#scoring-heading", Static).render())
        assert heading.startswith("Sift · decided by Amara Okafor on ") and ": closed · scoring as Priya Raman" in heading
        await press_for(pilot, app, "enter", ScoreScreen)
        await pilot.press("7")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("The Sift stage was decided by Amara Okafor on ") and m.endswith("its scores are closed") for m in messages), messages
        assert not isinstance(app.screen, FormDialog)  # a member is not asked for a reason: it is not theirs to give
        await pilot.press("ctrl+q")
    assert (sheet.read_bytes() if sheet.exists() else None) == before


async def test_the_chairs_correction_at_a_decided_stage_asks_why_once(decided: Path) -> None:
    app = AssessorApp(decided, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_the_sift_list(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)
        await pilot.press("6")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill(pilot, app, {"reason": "Mis-keyed at the sift"})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen))
        await pilot.press("down", "2")  # the next correction in this sitting gives the same reason
        await settle(app, pilot)
        assert not isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+q")
    campaign = load_campaign(decided)
    mine = [entry.what for entry in campaign.audit if entry.who == "okafor" and "at sift" in entry.what]
    assert len(mine) == 2 and all(what.endswith("; reason: Mis-keyed at the sift") for what in mine)
    assert [r.outcome for r in campaign.decision_at("sift").results] == ["pass"] * 5 + ["fail"]  # type: ignore[union-attr]


async def test_a_member_declares_a_conflict_from_the_scoring_list_and_is_not_offered_the_candidate(tmp_path: Path) -> None:
    path = tmp_path / "hod.toml"
    shutil.copyfile(EXAMPLE, path)
    app = AssessorApp(path, as_member="raman")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        first = str(table.get_row_at(0)[0])
        await press_for(pilot, app, "d", FormDialog)
        await fill(pilot, app, {"reason": "We were in the same team in 2023."})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
        await settle(app, pilot)
        assert str(app.screen.query_one("#candidates", DataTable).get_row_at(0)[2]) == "you declared a conflict"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScoringListScreen)
        assert any(n.message.startswith(f"You declared a conflict of interest with {first}") for n in app._notifications)
        await pilot.press("ctrl+q")
    (row,) = load_campaign(path).declarations
    assert (row.member, row.candidate, row.reason) == ("raman", first, "We were in the same team in 2023.")
