"""Roles and blindness in the app, as a member and as the chair would meet them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from assessor.app import AssessorApp
from assessor.screens.dialogs import ConfirmDialog, FormDialog
from assessor.screens.setup import SetupScreen
from assessor.storage.campaign_file import load_campaign
from tests.app.pilot import press_for, row_text, settle, wait_for


async def open_set_up(app: AssessorApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
    await settle(app, pilot)


def notes_of(app: AssessorApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_a_member_changes_neither_the_set_up_nor_the_status(example: Path) -> None:
    before = example.read_bytes()
    app = AssessorApp(example, as_member="raman")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_set_up(app, pilot)
        vacancies = app.screen.query_one("#detail-vacancies", Input)
        vacancies.focus()
        vacancies.value = ""
        await pilot.press("3", "enter")
        await settle(app, pilot)
        assert "From the sift on only the chair (Amara Okafor, okafor) may change the number of vacancies, with a reason" in notes_of(app)[-1]
        await pilot.press("f5")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert notes_of(app)[-1] == "Only the chair (Amara Okafor, okafor) moves the campaign's status."
    assert example.read_bytes() == before


async def test_the_chair_cannot_change_a_frozen_set_up_and_gives_reasons_for_the_rest(example: Path) -> None:
    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_set_up(app, pilot)
        mark = app.screen.query_one("#detail-pass-mark", Input)
        mark.focus()
        mark.value = ""
        await pilot.press("3", "0", "enter")
        await settle(app, pilot)
        assert "nobody can change the overall pass mark now" in notes_of(app)[-1]
        # A candidate's details: the reason is asked for, and kept in the audit.
        app.screen.query_one("#setup-tabs").active = "tab-candidates"
        await settle(app, pilot)
        app.screen.query_one("#candidates-table").focus()
        await press_for(pilot, app, "e", FormDialog)
        app.screen.query_one("#field-name", Input).value = "Jordan Ellis-Brown"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog) and "needs a reason" in str(app.screen.query_one(".dialog-title").render()))
        app.screen.query_one("#field-reason").text = "He asked for his married name."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    campaign = load_campaign(example)
    assert campaign.campaign.overall_pass_mark == 0 and campaign.candidates[0].name == "Jordan Ellis-Brown"
    assert campaign.audit[-1].what == "edited candidate C01: name; reason: He asked for his married name."


async def test_a_members_summary_before_moderation_shows_their_own_scores_and_no_rank(example: Path) -> None:
    from textual.widgets import DataTable, Static

    from assessor.screens.summary import SummaryScreen

    app = AssessorApp(example, as_member="raman")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        table = app.screen.query_one("#merit-list", DataTable)
        rows = {str(row_text(table, index)[1]): [str(cell) for cell in row_text(table, index)] for index in range(table.row_count)}
        assert list(rows) == ["Jordan Ellis", "Sofia Marchetti", "Daniel Osei", "Hannah Brierley", "Marcus Lindqvist", "Aisha Rahman"]
        assert rows["Sofia Marchetti"][:4] == ["·", "Sofia Marchetti", "·", "·"]
        assert rows["Sofia Marchetti"][4:9] == ["6", "6", "6", "6", "6"]  # raman's own scores
        assert rows["Marcus Lindqvist"][2] == "fail: did not pass the Sift stage"  # who went on from the sift is known
        notes = str(app.screen.query_one("#summary-notes", Static).render())
        assert "Before moderation you see your own scores" in notes and "Scored so far: you " in notes
        from tests.app.test_app_sizes import footer_text

        assert not any(word in footer_text(app) for word in ("Finalise", "Wash-up", "Needs the chair", "Moderate"))  # the chair's keys
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)  # the queue is not offered before moderation


async def test_the_chair_sees_a_colleagues_score_once_they_have_scored_the_item(example: Path) -> None:
    from textual.widgets import Static

    from assessor.screens.score import ScoreScreen

    campaign = load_campaign(example)
    without = [s for s in campaign.scores if not (s.assessor == "okafor" and s.item == ("C01", "leadership", "interview"))]
    info = campaign.campaign.model_copy(update={"chair_sees_scores": "after-own"})
    from assessor.storage.campaign_file import save_campaign

    save_campaign(campaign.model_copy(update={"scores": without, "campaign": info}), example)
    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)  # C01, on Leadership
        line = lambda: str(app.screen.query_one("#my-score", Static).render())  # noqa: E731
        assert "Your score: none yet" in line() and "Panel:" not in line()
        await pilot.press("5")
        await settle(app, pilot)
        assert "Your score: 5" in line() and "Panel: whitfield" in line() and "raman" in line()


async def test_who_did_not_pass_the_sift_is_shown_and_not_scored_and_the_queue_holds_the_sift(example: Path) -> None:
    from textual.widgets import DataTable

    from assessor.screens.queue import QueueScreen
    from assessor.screens.scoring_list import ScoringListScreen
    from assessor.screens.summary import SummaryScreen

    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        row = table.get_row_index("C05")
        assert str(row_text(table, row)[2]) == "did not pass the Sift stage"
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        assert notes_of(app)[-1] == "C05 did not pass the Sift stage: they are not scored at this stage."
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await press_for(pilot, app, "q", QueueScreen)
        queue = app.screen.query_one("#queue", DataTable)
        rows = [[str(cell) for cell in row_text(queue, index)] for index in range(queue.row_count)]
        assert ["disagreement", "C03 Daniel Osei", "Working Together", "Sift", "spread 2"] in rows
