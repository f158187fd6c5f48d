"""Rough edges found walking the whole campaign at 80x24, each put right."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import DataTable, OptionList, TextArea

from assessor.app import AssessorApp
from assessor.screens.queue import QueueScreen
from assessor.screens.score import ScoreScreen
from assessor.screens.scoring_list import ScoringListScreen
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import open_summary, press_for, row_text, settle, show_screen, wait_for
from tests.conftest import EXAMPLE
from tests.unit.test_consensus import washup

SIZE = (80, 24)


def example(tmp_path: Path) -> Path:
    path = tmp_path / "hod.toml"
    shutil.copyfile(EXAMPLE, path)
    return path


async def test_down_on_the_last_criterion_stays_there_and_home_and_end_reach_the_ends(tmp_path: Path) -> None:
    app = AssessorApp(example(tmp_path), as_member="raman")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await press_for(pilot, app, "enter", ScoreScreen)
        criteria = app.screen.query_one("#criteria-list", OptionList)
        await pilot.press("up")
        assert criteria.highlighted == 0  # no wrapping round to the last
        await pilot.press("end")
        last = criteria.option_count - 1
        assert criteria.highlighted == last
        await pilot.press("down", "j")
        assert criteria.highlighted == last  # a digit typed now scores the last criterion, not the first


async def test_evidence_opened_again_goes_on_after_what_is_there(tmp_path: Path) -> None:
    app = AssessorApp(example(tmp_path), as_member="raman")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)
        await pilot.press("5", "tab", *"First", "escape", "tab", "space", *"second")
        await settle(app, pilot)
        text = app.screen.query_one("#evidence", TextArea).text
        assert text.startswith("Led a 40-person digital team") and text.endswith("71%.First second")  # never before what was there


async def test_a_spread_awaiting_agreement_heads_the_queue_as_a_disagreement(tmp_path: Path) -> None:
    path = tmp_path / "washup.toml"
    save_campaign(washup("consensus", {"A": (4, 4, 4), "B": (5, 3, 5)}), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, QueueScreen(None), "#queue")
        queue = app.screen.query_one("#queue", DataTable)
        await wait_for(pilot, lambda: queue.row_count >= 2)
        kinds = [(str(row_text(queue, index)[0]), str(row_text(queue, index)[1]).split()[0]) for index in range(queue.row_count)]
        assert kinds[0] == ("disagreement", "B") and ("agreement", "A") in kinds
        assert isinstance(app.screen, QueueScreen) and not isinstance(app.screen, ScoringListScreen)


async def test_the_tie_dialog_names_the_tied_candidates_and_the_seal_digest_stays_in_the_final_banner(tmp_path: Path) -> None:
    from textual.widgets import Static

    from assessor.screens.dialogs import FormDialog
    from assessor.screens.summary import SummaryScreen
    from tests.app.pilot import fill
    from tests.unit.test_line_ties import tied

    path = tmp_path / "tied.toml"
    campaign = tied()
    save_campaign(campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"status": "moderation"})}), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_summary(app, pilot)
        table = app.screen.query_one("#merit-list", DataTable)
        table.move_cursor(row=next(i for i in range(table.row_count) if str(row_text(table, i)[1]).startswith("Candidate A")))
        await press_for(pilot, app, "o", FormDialog)
        assert app.screen.form_title == "Order the tie at rank 1: A Candidate A; B Candidate B"
        await fill(pilot, app, {"order": "A, B", "rationale": "A's evidence was the stronger at interview."})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        await press_for(pilot, app, "f", FormDialog)
        await fill(pilot, app, {"rationale": "C and D stay tied in the reserve list."})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session is not None and app.session.campaign.seal is not None)
        await settle(app, pilot)
        banner = str(app.screen.query_one("#final-banner", Static).render())
        assert app.session.campaign.seal.sha256 in banner.replace("\n", "")  # type: ignore[union-attr]


async def test_while_the_panel_sifts_the_summary_opens_on_the_sift(tmp_path: Path) -> None:
    from textual.widgets import Static

    path = example(tmp_path)
    path.write_text(path.read_text().replace('status = "interview"', 'status = "sift"', 1))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_summary(app, pilot)
        assert str(app.screen.query_one("#summary-heading", Static).render()).startswith("Stage summary (passed candidates go on) · stages: sift")


async def test_an_agreed_score_nobody_gave_asks_its_reason_in_the_dialog_and_keeps_what_was_typed(tmp_path: Path) -> None:
    from textual.widgets import Input, Static

    from assessor.screens.dialogs import FormDialog
    from assessor.screens.moderation import ModerationScreen

    path = tmp_path / "washup.toml"
    save_campaign(washup("consensus", {"A": (3, 4, 4)}), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, ModerationScreen("A", ("interview",)), "#moderation-grid")
        await press_for(pilot, app, "a", FormDialog)
        await pilot.press("6", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)  # still open, the 6 still there
        assert app.screen.query_one("#field-score", Input).value == "6"
        assert str(app.screen.query_one("#form-error", Static).render()).startswith("Nobody on the panel gave 6 (3, 4)")
        app.screen.query_one("#field-rationale").text = "The second example showed more."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ModerationScreen))
        await settle(app, pilot)
    assert [(m.score, m.rationale) for m in load_campaign(path).moderation] == [(6, "The second example showed more.")]


async def test_a_blank_campaign_starts_with_no_template_title_and_a_put_right_field_clears_its_message(tmp_path: Path) -> None:
    from textual.widgets import Input, Select, Static

    from assessor.screens.new_campaign import BLANK, NewCampaignDialog

    app = AssessorApp(None, folder=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "n", NewCampaignDialog)
        dialog = app.screen
        assert dialog.query_one("#title", Input).value == "Head of Digital"
        dialog.query_one("#template", Select).value = BLANK
        await settle(app, pilot)
        assert dialog.query_one("#title", Input).value == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert str(dialog.query_one("#new-error", Static).render()) == "A title is needed."
        dialog.query_one("#title", Input).value = "Head of Data"
        await settle(app, pilot)
        assert str(dialog.query_one("#new-error", Static).render()) == ""


async def test_at_80x24_the_1_to_7_scale_stays_in_view_on_the_scoring_screen(tmp_path: Path) -> None:
    from textual.widgets import Static

    from tests.app.test_app_sizes import shown_whole

    app = AssessorApp(example(tmp_path), as_member="raman")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)
        await settle(app, pilot)
        line = app.screen.query_one("#scale-line", Static)
        labels = [f"{point.score} {point.label}" for point in app.session.framework.scale]  # type: ignore[union-attr]
        text = str(line.render()).replace("\n", " ")
        assert all(label in text for label in labels) and shown_whole(app, line)
        await pilot.press("4")
        await settle(app, pilot)
        assert "▶4 Acceptable" in str(line.render()).replace("\n", " ")
