"""What fits at 80 columns (and at 120): lines shortened rather than wrapped, nothing that
matters pushed out of view. Each test reads the terminal as a user would see it."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import OptionList, Static

from assessor.app import AssessorApp
from assessor.screens.score import ScoreScreen
from tests.app.pilot import press_for, settle
from tests.app.test_app_keys import fixture_copy
from tests.app.test_app_sizes import screen_text, shown_whole


def lines_of(app: AssessorApp, widget: Widget) -> list[str]:
    """The lines of the terminal inside a widget's content region, as shown."""
    region = widget.content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right].rstrip() for row in rows]


async def test_at_80_columns_each_criterion_is_one_line_and_the_scale_stays_in_view(tmp_path: Path) -> None:
    app = AssessorApp(fixture_copy(tmp_path), as_member="raman")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "enter", ScoreScreen)
        await settle(app, pilot)
        criteria = app.screen.query_one("#criteria-list", OptionList)
        names = [str(criteria.get_option_at_index(i).prompt)[3:] for i in range(criteria.option_count)]
        assert any(len(name) > criteria.content_region.width - 3 for name in names), "the fixture needs a name too long for the list"
        shown = [line for line in lines_of(app, criteria) if line.strip()]
        assert len(shown) == len(names)  # no name runs onto a second line
        for line, name in zip(shown, names, strict=True):
            text = line[3:].strip()
            assert text == name or (text.endswith("…") and name.startswith(text[:-1])), f"{name!r} is shown as {text!r}"
        scale = app.screen.query_one("#scale-line", Static)
        assert shown_whole(app, scale)
        shown_scale = " ".join(line.strip() for line in lines_of(app, scale))
        assert "7 Outstanding" in shown_scale and "1 Insufficient evidence" in shown_scale
