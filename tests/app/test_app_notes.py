"""`n` on the score screen writes my overall note on the candidate at the stage: it is saved
on my own sheet, and the chair reads it at moderation beside the evidence."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import DataTable, Static, TextArea

from assessor.app import AssessorApp
from assessor.screens.dialogs import FormDialog
from assessor.screens.moderation import ModerationScreen
from assessor.screens.score import ScoreScreen
from assessor.storage.campaign_file import open_campaign
from assessor.storage.sheets import sheet_path
from tests.app.pilot import press_for, settle, show_screen, wait_for
from tests.app.test_app_keys import at_status, fixture_copy
from tests.conftest import run_cli


async def test_n_writes_my_note_on_my_sheet_and_the_chair_reads_it_at_moderation(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path)
    app = AssessorApp(path, as_member="raman")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#candidates", DataTable).move_cursor(row=2)  # C03 Daniel Osei
        await press_for(pilot, app, "enter", ScoreScreen)
        await settle(app, pilot)
        assert "your note on the candidate: none (n writes one)" in str(app.screen.query_one("#my-score", Static).render())
        await press_for(pilot, app, "n", FormDialog)
        assert isinstance(app.focused, TextArea)  # typing goes straight in
        await pilot.press(*"Asked about the legacy estate", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen))
        await settle(app, pilot)
        assert "your note on the candidate: written (n)" in str(app.screen.query_one("#my-score", Static).render())
    sheet = sheet_path(path, "raman").read_text()
    assert 'text = "Asked about the legacy estate"' in sheet and "wrote a note on C03 at interview" in sheet
    assert "notes" not in tomllib.loads(path.read_text())  # the campaign file holds none of it
    assert [n.text for n in open_campaign(path).campaign.notes] == ["Asked about the legacy estate"]

    path.write_text(path.read_text().replace(*at_status("moderation")))
    chair = AssessorApp(path, as_member="okafor")
    async with chair.run_test(size=(140, 45)) as pilot:
        await settle(chair, pilot)
        await show_screen(chair, pilot, ModerationScreen("C03", ("interview",)), "#moderation-grid")
        shown = str(chair.screen.query_one("#evidence-text", Static).render())
        assert "Note by Priya Raman at this stage: Asked about the legacy estate" in shown
    # Finalising folds the sheets, notes and all, into the campaign file that is sealed.
    result = run_cli("finalise", str(path), "--as", "okafor", "--force", "--rationale", "Closing the campaign.")
    assert result.returncode == 0, result.stderr
    assert [note["text"] for note in tomllib.loads(path.read_text())["notes"]] == ["Asked about the legacy estate"]


async def test_a_colleagues_note_is_not_shown_before_moderation(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, ('status = "interview"', 'status = "interview"\nchair_sees_scores = "after-own"'))
    member = AssessorApp(path, as_member="raman")
    async with member.run_test(size=(140, 45)) as pilot:
        await settle(member, pilot)
        member.screen.query_one("#candidates", DataTable).move_cursor(row=2)
        await press_for(pilot, member, "enter", ScoreScreen)
        await press_for(pilot, member, "n", FormDialog)
        await pilot.press(*"Raman only", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(member.screen, ScoreScreen))
        await settle(member, pilot)
    chair = AssessorApp(path, as_member="okafor")
    async with chair.run_test(size=(140, 45)) as pilot:
        await settle(chair, pilot)
        await show_screen(chair, pilot, ModerationScreen("C03", ("interview",)), "#moderation-grid")
        assert "Raman only" not in str(chair.screen.query_one("#evidence-text", Static).render())
