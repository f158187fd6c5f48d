"""An applicant's name holding a terminal's control codes is shown as the codes, never sent:
in the app's tables and on the screen the terminal draws."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList

from assessor.app import AssessorApp
from assessor.screens.score import ScoreScreen
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import press_for, row_text, settle
from tests.app.test_app_fit import lines_of
from tests.app.test_app_keys import fixture_copy
from tests.app.test_app_sizes import screen_text

# As written in the TOML file: a clipboard write (OSC 52), a title change, an 8-bit CSI, a right-to-left override.
IN_FILE = r"Osc\u001b]52;c;aGVsbG8=\u001b\\ Clip \u001b]0;owned\u0007 \u009b2J \u202eEllis \u200bend"
SHOWN = "Osc\\x1b]52;c;aGVsbG8=\\x1b\\ Clip \\x1b]0;owned\\x07 \\x9b2J \\u202eEllis \\u200bend"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u200b")


async def test_a_hostile_name_is_shown_as_codes_and_nothing_raw_reaches_the_screen(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path, ('name = "Jordan Ellis"', f'name = "{IN_FILE}"'))
    app = AssessorApp(path, as_member="okafor")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        assert row_text(table, 0)[1] == SHOWN
        shown = screen_text(app)
        assert "Osc\\x1b]52;c;aGVsbG8=" in shown
        assert not any(code in shown for code in RAW)
        app.notify(f"about {app.session.campaign.candidates[0].name}")  # type: ignore[union-attr]
        await pilot.pause()
        assert not any(code in screen_text(app) for code in RAW)


async def test_square_brackets_in_a_criterion_or_a_name_are_shown_as_typed(tmp_path: Path) -> None:
    path = fixture_copy(tmp_path)
    campaign = load_campaign(path)
    criteria = [c.model_copy(update={"name": "Lead [b]bold[/b]"}) if index == 0 else c for index, c in enumerate(campaign.criteria)]
    save_campaign(campaign.model_copy(update={"criteria": criteria}), path)
    app = AssessorApp(path, as_member="raman")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)
        await settle(app, pilot)
        shown = "\n".join(lines_of(app, app.screen.query_one("#criteria-list", OptionList)))
        assert "Lead [b]bold[/b]" in shown
