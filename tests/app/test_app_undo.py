"""Taking a score back: `delete` clears my score (confirmed, with an audit row), the chair
withdraws an agreed score the same way, and `ctrl+z` undoes my last change on the screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList, Static

from assessor.app import AssessorApp
from assessor.screens.dialogs import ConfirmDialog
from assessor.screens.moderation import ModerationScreen
from assessor.screens.score import ScoreScreen
from assessor.storage.campaign_file import load_campaign, open_campaign
from tests.app.pilot import press_for, settle, show_screen, wait_for
from tests.app.test_app_keys import at_status, fixture_copy


def mine(path: Path, member: str, candidate: str, criterion: str, stage: str = "interview") -> int | None:
    """`member`'s score on the item as the files on disk hold it (the campaign file and the sheets)."""
    campaign = open_campaign(path).campaign
    found = [s.score for s in campaign.scores if (s.assessor, s.candidate, s.criterion, s.stage) == (member, candidate, criterion, stage)]
    return found[0] if found else None


async def open_candidate(app: AssessorApp, pilot, row: int) -> ScoreScreen:
    """From the scoring list, open the candidate on `row` for scoring."""
    table = app.screen.query_one("#candidates", DataTable)
    table.move_cursor(row=row)
    await press_for(pilot, app, "enter", ScoreScreen)
    await settle(app, pilot)
    assert isinstance(app.screen, ScoreScreen)
    return app.screen


async def test_delete_clears_my_score_after_asking_and_ctrl_z_brings_it_back(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path)
    app = AssessorApp(path, as_member="raman")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_candidate(app, pilot, 3)  # C04 Hannah Brierley: nobody has scored her
        assert screen.candidate_id == "C04"
        await pilot.press("5")
        await settle(app, pilot)
        await press_for(pilot, app, "delete", ConfirmDialog)
        assert "Clear your score of 5 on Leadership?" in str(app.screen.query_one(".dialog-title", Static).render())
        await pilot.press("escape")  # not yet: nothing changes
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen))
        assert str(screen.query_one("#criteria-list", OptionList).get_option_at_index(0).prompt).startswith("5!")
        await press_for(pilot, app, "delete", ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen))
        await settle(app, pilot)
        assert "none yet" in str(screen.query_one("#my-score", Static).render())
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert str(screen.query_one("#my-score", Static).render()).startswith("Your score: 5 ")
        await pilot.press("ctrl+z")  # and before that, no score at all
        await settle(app, pilot)
        assert "none yet" in str(screen.query_one("#my-score", Static).render())
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any("Nothing of yours to undo" in str(n.message) for n in app._notifications)
    assert mine(path, "raman", "C04", "leadership") is None
    audit = [entry.what for entry in open_campaign(path).campaign.audit if entry.who == "raman"]
    assert "cleared score for C04 on leadership at interview (was 5)" in audit


async def test_a_score_the_campaign_file_holds_is_cleared_from_it(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path)
    assert mine(path, "raman", "C01", "leadership") == 5  # scored in the campaign file itself, before score sheets
    app = AssessorApp(path, as_member="raman")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await open_candidate(app, pilot, 0)
        await press_for(pilot, app, "delete", ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen))
        await settle(app, pilot)
    assert mine(path, "raman", "C01", "leadership") is None
    held = [(s.assessor, s.candidate, s.criterion, s.stage) for s in load_campaign(path).scores]
    assert ("raman", "C01", "leadership", "interview") not in held and ("raman", "C01", "leadership", "sift") in held


async def test_the_chair_withdraws_an_agreed_score_and_ctrl_z_puts_it_back(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, at_status("moderation"))
    before = next(m for m in load_campaign(path).moderation if m.item == ("C03", "making-effective-decisions", "interview"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, ModerationScreen("C03", ("interview",), "making-effective-decisions@interview"), "#moderation-grid")
        screen = app.screen
        await press_for(pilot, app, "delete", ConfirmDialog)
        assert "Withdraw the agreed score of 5 on Making Effective Decisions at Interview?" in str(
            app.screen.query_one(".dialog-title", Static).render()
        )
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(app, pilot)
        grid = screen.query_one("#moderation-grid", DataTable)
        assert not str(grid.get_row_at(grid.cursor_row)[-2]).endswith("*")  # the panel's mean again
        assert not any(m.item == before.item for m in app.session.campaign.moderation)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert str(grid.get_row_at(grid.cursor_row)[-2]) == "5*"
    again = next(m for m in load_campaign(path).moderation if m.item == before.item)
    assert (again.score, again.rationale) == (before.score, before.rationale)
    audit = [entry.what for entry in load_campaign(path).audit if entry.who == "okafor"]
    assert any(what.startswith("withdrew the agreed score for C03 on making-effective-decisions at interview (was 5)") for what in audit)


async def test_a_member_cannot_withdraw_an_agreed_score(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="raman")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, ModerationScreen("C03", ("interview",), "making-effective-decisions@interview"), "#moderation-grid")
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ModerationScreen)
        assert any("Only the chair withdraws agreed scores." in str(n.message) for n in app._notifications)
    assert any(m.item == ("C03", "making-effective-decisions", "interview") for m in load_campaign(path).moderation)
