"""Help, the command palette and themes: the conventions of modern terminal apps."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from assessor.app import AssessorApp
from assessor.screens.help import HelpScreen
from assessor.screens.score import ScoreScreen
from assessor.storage.settings import saved_theme, settings_path
from tests.app.pilot import settle, wait_for


async def test_f1_and_question_mark_open_help_with_keys_scale_and_rules(example: Path) -> None:
    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        for key in ("f1", "question_mark"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            text = app.screen.query_one("#help-text", Markdown).source
            assert "| `]` | Next candidate |" in text and "| `/` | Search |" in text
            assert "**4 Acceptable**" in text and "appointable" in text
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_palette_goes_to_a_candidate(example: Path) -> None:
    from assessor.screens.commands import CandidateCommands

    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Daniel")
        await wait_for(
            pilot,
            lambda: (
                "Go to candidate C03 Daniel Osei" in str(app.screen.query_one("CommandList").get_option_at_index(0).prompt)
                if app.screen.query("CommandList") and app.screen.query_one("CommandList").option_count
                else False
            ),
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen))
        assert app.screen.candidate_id == "C03"
    assert CandidateCommands in AssessorApp.COMMANDS


async def test_the_theme_is_remembered_outside_the_campaign(example: Path) -> None:
    before = example.read_bytes()
    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        app.theme = "textual-light"
        await settle(app, pilot)
    assert saved_theme() == "textual-light"
    assert settings_path().read_text().strip() == 'theme = "textual-light"'
    assert example.read_bytes() == before
    again = AssessorApp(example, as_member="okafor")
    async with again.run_test(size=(140, 45)) as pilot:
        await settle(again, pilot)
        assert again.theme == "textual-light"
