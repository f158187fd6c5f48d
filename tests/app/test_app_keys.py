"""Keys that work at once: a dialog takes the first key typed, the search folds accents and
case and says when nothing matches, escape leaves it, and the list follows the status."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from assessor.app import AssessorApp
from assessor.core.folding import folded
from assessor.screens.dialogs import ConfirmDialog, FormDialog
from assessor.screens.scoring_list import ScoringListScreen
from assessor.screens.setup import SetupScreen
from assessor.storage.campaign_file import load_campaign
from tests.app.pilot import fill, press_for, row_text, settle, show_screen, wait_for
from tests.app.test_app_setup import show_tab
from tests.conftest import DATA


def fixture_copy(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of the fixture campaign in `tmp_path`, each (old, new) text replaced in it."""
    path = tmp_path / "campaign.toml"
    text = (DATA / "snapshot-campaign.toml").read_text()
    for old, new in changes:
        text = text.replace(old, new)
    path.write_text(text)
    return path


def at_status(status: str) -> tuple[str, str]:
    """The fixture's status line changed to `status`."""
    return ('status = "interview"', f'status = "{status}"')


def test_folding_finds_names_without_their_accents() -> None:
    assert folded("Łukasz Wiśniewski") == "lukasz wisniewski"
    assert folded("Zoë Ødegaard-Straße") == "zoe odegaard-strasse"
    assert folded("ÆSIR") == "aesir"


async def test_a_dialog_takes_the_first_key_typed(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, at_status("setup"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await show_tab(app, pilot, "tab-candidates")
        await press_for(pilot, app, "a", FormDialog)
        await pilot.press(*"Ada Lovelace")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert load_campaign(path).candidates[-1].name == "Ada Lovelace"


async def test_search_folds_accents_says_when_nothing_matches_and_escape_leaves_it(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, ('name = "Jordan Ellis"', 'name = "Łukasz Nowak"'), ('name = "Sofia Marchetti"', 'name = "Zoë Marchetti"'))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        await pilot.press("slash", *"lukasz")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert str(row_text(table, 0)[1]).startswith("Łukasz")
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", *"ZOE")
        await wait_for(pilot, lambda: table.row_count == 1 and str(row_text(table, 0)[1]).startswith("Zoë"))
        await pilot.press(*"xyz")
        await wait_for(pilot, lambda: table.row_count == 0)
        assert str(app.screen.query_one("#scoring-note", Static).render()) == "No candidate matches 'ZOExyz': escape goes back to the list."
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, DataTable))


async def test_the_scoring_list_follows_the_status_when_the_chair_moves_it_on(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, at_status("sift"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ScoringListScreen) and screen.stage == "sift"
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await press_for(pilot, app, "f5", ConfirmDialog)
        await pilot.press("enter")
        # The sift has items still open: moving on past them asks the chair why.
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill(pilot, app, {"reason": "Spreads discussed at the sift meeting."})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert load_campaign(path).campaign.status == "interview"
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
        await settle(app, pilot)
        assert app.screen.stage == "interview"
        assert str(app.screen.query_one("#scoring-heading", Static).render()).startswith("Interview")


async def test_the_chairs_queue_is_readable_at_first_paint_and_opens_on_the_flagged_item(tmp_path: Path) -> None:
    from assessor.screens.moderation import ModerationScreen
    from assessor.screens.queue import QueueScreen

    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, QueueScreen(None), "#queue")
        queue = app.screen.query_one("#queue", DataTable)
        rows = [[str(cell) for cell in row_text(queue, index)] for index in range(queue.row_count)]
        widths = [column.width for column in queue.columns.values()]
        assert all(len(cell) <= width for row in rows for cell, width in zip(row, widths, strict=True))  # nothing cut
        assert rows[0][:4] == ["disagreement", "C02 Sofia Marchetti", "Changing and Improving", "Interview"]
        queue.move_cursor(row=2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ModerationScreen) and bool(app.screen.query("#moderation-grid")))
        await settle(app, pilot)
        grid = app.screen.query_one("#moderation-grid", DataTable)
        assert str(row_text(grid, grid.cursor_row)[0]) == rows[2][2]  # on the flagged criterion


async def test_keys_off_the_scale_say_so_and_adjustments_show_in_words(tmp_path: Path) -> None:
    from assessor.screens.moderation import ModerationScreen
    from assessor.screens.score import ScoreScreen

    path = fixture_copy(tmp_path)
    before = path.read_bytes()
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        assert str(row_text(table, table.get_row_index("C03"))[-1]).startswith("Extra 15 minutes")
        await press_for(pilot, app, "enter", ScoreScreen)
        await pilot.press("8")
        await wait_for(pilot, lambda: any(note.message == "Scores are 1 to 7." for note in app._notifications))
        await show_screen(app, pilot, ModerationScreen("C03", ("interview",)), "#summary-heading")
        assert "adjustments: Extra 15 minutes" in str(app.screen.query_one("#summary-heading", Static).render())
    assert path.read_bytes() == before  # nothing was scored


async def test_a_final_campaigns_set_up_says_it_does_not_change(tmp_path: Path) -> None:
    from assessor.changes.seal import finalise
    from assessor.storage.campaign_file import save_campaign, written_data

    path = fixture_copy(tmp_path)
    campaign = load_campaign(path)
    final = finalise(campaign, chair="okafor", at=campaign.audit[-1].at, file_data=written_data, force=True, rationale="Closed.")
    save_campaign(final, path)
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen) and bool(app.screen.query("#details-help")))
        await settle(app, pilot)
        assert str(app.screen.query_one("#details-help", Static).render()).startswith("The campaign is final and sealed")


async def test_f5_outside_set_up_says_where_it_works(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path)
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        await pilot.press("f5")
        await wait_for(pilot, lambda: any("from the set-up: f2, then f5" in note.message for note in app._notifications))
    assert load_campaign(path).campaign.status == "interview"


async def test_dialogs_name_things_by_their_names(tmp_path: Path) -> None:
    from assessor.screens.moderation import ModerationScreen

    path = fixture_copy(tmp_path, at_status("moderation"))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, ModerationScreen("C03", ("interview",)), "#moderation-grid")
        await press_for(pilot, app, "a", FormDialog)
        assert app.screen.form_title == "Agree a score: Leadership at Interview"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ModerationScreen))
        await press_for(pilot, app, "f", FormDialog)
        assert app.screen.form_title == "Feedback to C03 Daniel Osei"


async def test_u_goes_to_my_next_unscored_item(tmp_path: Path) -> None:
    from assessor.rules.visibility import next_gap
    from assessor.screens.score import ScoreScreen

    path = fixture_copy(tmp_path)
    campaign = load_campaign(path)
    order = ["C01", "C02", "C03", "C04", "C06"]
    expected = next_gap(campaign, "okafor", "interview", order, ("C01", campaign.criteria[0].id), "score")
    assert expected is not None and expected[0] != "C01"
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)  # C01, every criterion scored
        await pilot.press("u")
        await wait_for(pilot, lambda: app.screen.candidate_id == expected[0])
        current = app.screen._current()
        assert current is not None and current.id == expected[1]


def test_next_gap_wraps_round_and_finds_scores_without_evidence() -> None:
    from assessor.changes.scores import record
    from assessor.rules.visibility import next_gap

    campaign = load_campaign(DATA / "snapshot-campaign.toml")
    criteria = [c.id for c in campaign.criteria if "interview" in c.stages]
    order = ["C01", "C02"]
    for candidate in order:
        for criterion in criteria:
            campaign = record(
                campaign, assessor="raman", candidate=candidate, criterion=criterion, stage="interview", score=4, evidence="Seen."
            ).campaign
    assert next_gap(campaign, "raman", "interview", order, ("C02", criteria[-1]), "score") is None
    bare = record(campaign, assessor="raman", candidate="C01", criterion=criteria[1], stage="interview", score=5, evidence="").campaign
    assert next_gap(bare, "raman", "interview", order, ("C02", criteria[0]), "evidence") == ("C01", criteria[1])  # round to the start
