"""What fits at 80 columns (and at 120): lines shortened rather than wrapped, nothing that
matters pushed out of view. Each test reads the terminal as a user would see it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static

from assessor.app import AssessorApp
from assessor.screens.score import ScoreScreen
from tests.app.pilot import press_for, settle
from tests.app.test_app_keys import fixture_copy
from tests.app.test_app_sizes import screen_text, shown_whole
from tests.conftest import DATA, EXAMPLE


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


@pytest.fixture
def campaigns(tmp_path: Path) -> Path:
    """A campaigns folder with a long file name, a long title and a file that cannot be read."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    shutil.copyfile(EXAMPLE, folder / EXAMPLE.name)
    shutil.copyfile(DATA / "snapshot-campaign.toml", folder / "panel.toml")
    shutil.copyfile(DATA / "minimal.toml", folder / "minimal.toml")
    (folder / "broken.toml").write_text("title = [\n")
    return folder


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 30), id="120x30")])
async def test_the_campaign_chooser_fits_its_columns_a_line_a_file_and_no_heading_cut(campaigns: Path, size: tuple[int, int]) -> None:
    app = AssessorApp(None, folder=campaigns)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#campaign-files", DataTable)
        assert table.max_scroll_x == 0  # nothing out of view to the right
        shown = lines_of(app, table)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == ["File", "Title", "Status", "Seal", "Due", *(["Candidates", "Reserve", "Retain"] if size[0] == 120 else [])]
        assert shown[0].split() == " ".join(headings).split(), f"a heading is cut at {size}: {shown[0]!r}"
        rows = [line for line in shown[1:] if line.strip()]
        assert len(rows) == 4  # a line a file, nothing wrapped
        assert rows[0].split() == ["broken.toml", "cannot", "be", "read", "file", "does", "not", "load"]  # what is due first
        assert any("interview" in row and "none" in row for row in rows)
        detail = app.screen.query_one("#picker-detail", Static)
        assert shown_whole(app, detail)
        assert str(detail.render()).startswith("broken.toml cannot be read: ")  # the reason in full, under the list
        await pilot.press("down")
        await settle(app, pilot)
        assert str(detail.render()).startswith(
            "Head of Digital, Department for Education · role Head of Digital · interview · seal none · 6 candidates · last change 2026-11-18"
        )


async def test_at_80_columns_the_footer_ends_with_the_palette_key_and_nothing_under_it(tmp_path: Path) -> None:
    app = AssessorApp(fixture_copy(tmp_path), as_member="okafor")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")  # set-up's keys are more than 80 columns hold: they scroll under the palette key
        await settle(app, pilot)
        for tab in ("tab-details", "tab-criteria", "tab-panel"):
            app.screen.query_one("#setup-tabs").active = tab
            await settle(app, pilot)
            assert screen_text(app).splitlines()[-1].rstrip().endswith("▏^p palette"), tab
