"""The wash-up walk in the app: the chair agrees each item in merit order with one key."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from assessor.app import AssessorApp
from assessor.screens.dialogs import FormDialog
from assessor.screens.summary import SummaryScreen
from assessor.screens.washup import WashUpScreen
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import fill, press_for, row_text, settle, show_screen, wait_for
from tests.unit.test_consensus import washup


async def open_washup(app: AssessorApp, pilot) -> None:
    """The summary, then the wash-up walk (`w`), drawn."""
    await settle(app, pilot)
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.screen, WashUpScreen) and bool(app.screen.query("#washup-panel")))
    await settle(app, pilot)


async def test_the_chair_walks_the_wash_up_and_agrees_each_item_in_merit_order(tmp_path: Path) -> None:
    path = tmp_path / "washup.toml"
    save_campaign(washup("consensus", {"A": (3, 4, 4), "B": (6, 6, 5)}), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_washup(app, pilot)
        heading = app.screen.query_one("#summary-heading", Static)
        # B first: the higher total on the panel's means (5.67 against 3.67).
        assert str(heading.render()).startswith("Item 1 of 2 · B Candidate B · Leadership at interview")
        table = app.screen.query_one("#washup-panel", DataTable)
        assert [str(row_text(table, index)[1]) for index in range(table.row_count)] == ["6", "6", "5"]
        await pilot.press("6")  # one the panel gave: recorded at once, no rationale
        await settle(app, pilot)
        assert str(heading.render()).startswith("Item 1 of 1 · A Candidate A")
        await pilot.press("5")  # nobody gave 5: the reason is asked for
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-rationale").text = "The second example showed more than the panel first credited."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, WashUpScreen))
        await settle(app, pilot)
        assert "nothing is left to agree" in str(app.screen.query_one("#summary-heading", Static).render())
    agreed = {m.candidate: (m.score, m.rationale) for m in load_campaign(path).moderation}
    assert agreed == {"B": (6, ""), "A": (5, "The second example showed more than the panel first credited.")}


async def test_the_chair_writes_a_candidates_feedback_beside_moderation(tmp_path: Path) -> None:
    from assessor.screens.moderation import ModerationScreen

    path = tmp_path / "washup.toml"
    save_campaign(washup("consensus", {"A": (3, 4, 4), "B": (6, 6, 5)}), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, ModerationScreen("A", ("interview",)), "#moderation-grid")
        await press_for(pilot, app, "f", FormDialog)
        await fill(pilot, app, {"text": "Clear examples; say more about the outcome next time."})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ModerationScreen))
        await settle(app, pilot)
        assert not any("names another candidate" in note.message for note in app._notifications)
        notes = load_campaign(path).feedback
        assert [(note.candidate, note.text, note.by) for note in notes] == [("A", "Clear examples; say more about the outcome next time.", "chair")]
        # Naming another candidate: written as typed, and the chair told what the letter will read.
        await press_for(pilot, app, "f", FormDialog)
        await fill(pilot, app, {"text": "Weaker than Candidate B on the outcome."})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("names another candidate (Candidate B)" in note.message for note in app._notifications))
    assert load_campaign(path).feedback[0].text == "Weaker than Candidate B on the outcome."


async def test_after_the_seal_the_chair_records_offers_in_the_summary(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from assessor.changes.scores import record_moderation
    from assessor.changes.seal import finalise
    from assessor.storage.campaign_file import written_data

    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    campaign = washup("consensus", {"A": (3, 4, 4), "B": (6, 6, 5)})
    for candidate, score in (("A", 4), ("B", 6)):
        campaign = record_moderation(
            campaign, chair="chair", candidate=candidate, criterion="leadership", stage="interview", score=score, rationale="", at=at
        )
    path = tmp_path / "washup.toml"
    save_campaign(finalise(campaign, chair="chair", at=datetime.now(UTC).replace(microsecond=0), file_data=written_data), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        table = app.screen.query_one("#merit-list", DataTable)
        table.move_cursor(row=table.get_row_index("A"))  # second in merit order: refused while B is waiting
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        assert any("Offers go in merit order: B ranked above A" in note.message for note in app._notifications)
        table.move_cursor(row=table.get_row_index("B"))
        await press_for(pilot, app, "r", FormDialog)
        await fill(pilot, app, {"note": "Start in March."})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
    offers = load_campaign(path).offers
    assert [(row.candidate, row.result, row.note) for row in offers] == [("B", "offered", "Start in March.")]


async def test_the_chair_agrees_the_unanimous_items_in_one_step_and_can_take_them_back(tmp_path: Path) -> None:
    from assessor.screens.dialogs import ConfirmDialog

    path = tmp_path / "washup.toml"
    save_campaign(washup("consensus", {"A": (4, 4, 4), "B": (5, 3, 5), "C": (6, 6, 6)}), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_washup(app, pilot)
        await press_for(pilot, app, "u", ConfirmDialog)
        assert app.screen.question == "Agree the 2 items the panel scored alike, each at that score?"
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, WashUpScreen))
        await settle(app, pilot)
        agreed = {m.candidate: (m.score, m.rationale) for m in app.session.campaign.moderation}  # type: ignore[union-attr]
        assert agreed == {"C": (6, "unanimous"), "A": (4, "unanimous")}
        assert str(app.screen.query_one("#summary-heading", Static).render()).startswith("Item 1 of 1 · B Candidate B")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert app.session.campaign.moderation == []  # type: ignore[union-attr]
        await pilot.press("ctrl+q")
    assert load_campaign(path).moderation == []
