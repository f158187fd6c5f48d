"""Setting a campaign up in the app, by keyboard, and what the saved file then holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, SelectionList, TabbedContent

from assessor.app import AssessorApp
from assessor.screens.dialogs import ChooseDialog, ConfirmDialog, FormDialog, PickManyDialog
from assessor.screens.new_campaign import NewCampaignDialog
from assessor.screens.setup import SetupScreen
from assessor.screens.who import WhoDialog
from assessor.storage.campaign_file import load_campaign
from tests.app.pilot import fill, press_for, settle, wait_for
from tests.conftest import EXAMPLE


async def show_tab(app: AssessorApp, pilot, tab: str) -> None:
    """Show a set-up tab and wait until its table or first field has the focus and it is drawn."""
    tabs = app.screen.query_one("#setup-tabs", TabbedContent)
    tabs.active = tab
    await wait_for(pilot, lambda: tabs.active_pane is not None and tabs.active_pane.id == tab)
    app.screen._focus_active_pane()
    await wait_for(pilot, lambda: app.focused is not None and tabs.active_pane in app.focused.ancestors)
    await wait_for(pilot, lambda: app.focused is not None and app.focused.region.area > 0)  # the focus now comes at once, before the drawing


async def new_from_template(tmp_path: Path, pilot, app) -> Path:
    await settle(app, pilot)
    await press_for(pilot, app, "n", NewCampaignDialog)
    dialog = app.screen
    dialog.query_one("#title", Input).value = "Head of Digital, DfE"
    dialog.query_one("#file", Input).value = "hod-test"
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, SetupScreen)
    return tmp_path / "hod-test.toml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


async def test_create_a_campaign_from_a_template(folder: Path) -> None:
    app = AssessorApp(None, folder=folder)
    async with app.run_test(size=(140, 45)) as pilot:
        path = await new_from_template(folder, pilot, app)
    campaign = load_campaign(path)
    assert campaign.campaign.title == "Head of Digital, DfE"
    assert campaign.campaign.level == 5 and campaign.campaign.status == "setup"
    assert [c.id for c in campaign.criteria][:2] == ["leadership", "seeing-the-big-picture"]
    assert campaign.audit[0].what == "created from role template head-of-digital at level 5"
    assert campaign.campaign.anonymise_sift  # name-blind at the sift, as every new campaign
    assert path.stat().st_mode & 0o777 == 0o600


async def test_blank_campaign_with_the_policing_framework(folder: Path) -> None:
    app = AssessorApp(None, folder=folder)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await press_for(pilot, app, "n", NewCampaignDialog)
        dialog = app.screen
        dialog.query_one("#template", Select).value = "-blank-"
        await pilot.pause()
        dialog.query_one("#framework", Select).value = "policing-cvf"
        await pilot.pause()
        assert [value for _, value in dialog.query_one("#level", Select)._options if value != Select.NULL] == [1, 2, 3]
        dialog.query_one("#level", Select).value = 3
        dialog.query_one("#title", Input).value = "Head of L&D"
        dialog.query_one("#vacancies", Input).value = "2"
        dialog.query_one("#file", Input).value = "hold"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    campaign = load_campaign(folder / "hold.toml")
    assert (campaign.campaign.framework, campaign.campaign.level, campaign.campaign.vacancies) == ("policing-cvf", 3, 2)
    assert campaign.criteria == [] and [s.id for s in campaign.stages] == ["sift", "interview"]
    assert campaign.campaign.anonymise_sift


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((140, 45), id="140x45", marks=pytest.mark.slow)])
async def test_a_full_set_up_by_keyboard(folder: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("name,reference,adjustments\nAda Lovelace,R-1,\nAlan Turing,R-2,Extra time\n")
    app = AssessorApp(None, folder=folder)
    async with app.run_test(size=size) as pilot:
        path = await new_from_template(folder, pilot, app)

        # Criteria: add Delivering at Pace from the framework, reading its indicators.
        await show_tab(app, pilot, "tab-criteria")
        await press_for(pilot, app, "a", ChooseDialog)
        options = app.screen.query_one("#choices", OptionList)
        index = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "delivering-at-pace")
        options.highlighted = index
        await pilot.pause()
        assert "level 5" in str(app.screen.query_one("#preview").render())
        await pilot.press("enter")
        await settle(app, pilot)
        # Edit its pass mark and weight; make it lead; then put leadership back as lead
        table = app.screen.query_one("#criteria-table", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await press_for(pilot, app, "e", FormDialog)
        await fill(pilot, app, {"pass_mark": "5", "weight": "1.5"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("t")  # into the tie-break order
        await settle(app, pilot)
        # An experience criterion by name.
        await press_for(pilot, app, "o", FormDialog)
        await fill(pilot, app, {"element": "experience", "name": "Budget management", "description": "Has run a budget over £1m."})
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        # Matrix: the new criterion only at interview; methods at the sift; a third stage.
        await show_tab(app, pilot, "tab-matrix")
        matrix = app.screen.query_one("#matrix-table", DataTable)
        matrix.move_cursor(row=matrix.row_count - 1, column=1)  # Budget management x Sift
        await pilot.press("space")
        await settle(app, pilot)
        await press_for(pilot, app, "m", PickManyDialog)
        picks = app.screen.query_one("#picks", SelectionList)
        picks.select("civil-service-judgement-test")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        # Panel: a chair and a member.
        await show_tab(app, pilot, "tab-panel")
        for name, role in (("Amara Okafor", "chair"), ("Tom Whitfield", "member")):
            await press_for(pilot, app, "a", FormDialog)
            await fill(pilot, app, {"name": name, "role": role})
            await pilot.press("ctrl+s")
            # Whoever sets the panel up without being on it is asked whether this is them: not here (HR).
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert f"Are you {name}" in app.screen.question
            await pilot.press("n")
            await settle(app, pilot)

        # Candidates: one typed, two from CSV.
        await show_tab(app, pilot, "tab-candidates")
        await press_for(pilot, app, "a", FormDialog)
        await fill(pilot, app, {"name": "Grace Hopper", "reference": "R-0", "adjustments": "Large print"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await press_for(pilot, app, "i", FormDialog)
        await fill(pilot, app, {"path": str(csv_file)})
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        # Only the chair moves the status: whoever set it up is told so.
        await pilot.press("f5")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert any(
            n.message.startswith("Only the chair (Amara Okafor, okafor) moves the campaign's status; reopen it as the chair to move it on: assessor ")
            and n.message.endswith(" --as okafor.")
            for n in app._notifications
        )

    # The chair opens it and moves on to the sift, confirming.
    chair = AssessorApp(path, as_member="okafor")
    async with chair.run_test(size=(140, 45)) as pilot:
        await open_example_for_setup(tmp_path, pilot, chair)
        await press_for(pilot, chair, "f5", ConfirmDialog)
        await pilot.press("y")
        await settle(chair, pilot)

    campaign = load_campaign(path)
    by_id = {c.id: c for c in campaign.criteria}
    assert by_id["delivering-at-pace"].pass_mark == 5 and by_id["delivering-at-pace"].weight == 1.5
    assert "delivering-at-pace" in campaign.campaign.tie_break
    assert by_id["budget-management"].element == "experience" and by_id["budget-management"].stages == ["interview"]
    assert by_id["budget-management"].description == "Has run a budget over £1m."
    sift = next(s for s in campaign.stages if s.id == "sift")
    assert sift.methods == ["application-form", "cv", "civil-service-judgement-test"]
    assert [(m.name, m.role) for m in campaign.panel] == [("Amara Okafor", "chair"), ("Tom Whitfield", "member")]
    assert [(c.id, c.name, c.reference, c.adjustments) for c in campaign.candidates] == [
        ("C01", "Grace Hopper", "R-0", "Large print"),
        ("C02", "Ada Lovelace", "R-1", ""),
        ("C03", "Alan Turing", "R-2", "Extra time"),
    ]
    assert campaign.campaign.status == "sift"
    whats = [entry.what for entry in campaign.audit]
    assert "imported 2 candidates from people.csv" in whats and whats[-1] == "status setup -> sift"


async def open_example_for_setup(tmp_path: Path, pilot, app) -> None:
    await settle(app, pilot)
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    target = tmp_path / "example.toml"
    shutil.copyfile(EXAMPLE, target)
    return target


async def test_a_bad_csv_imports_nothing(example_copy: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,reference,adjustments\nAda,R-9,\n,R-10,\nBob,HOD-26-101,\n")
    before = example_copy.read_bytes()
    app = AssessorApp(example_copy, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_example_for_setup(tmp_path, pilot, app)
        await show_tab(app, pilot, "tab-candidates")
        await press_for(pilot, app, "i", FormDialog)
        await fill(pilot, app, {"path": str(bad)})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
    assert any(
        "Nothing imported" in m and "bad.csv:3: name is empty" in m and "bad.csv:4: reference 'HOD-26-101' is already used" in m for m in messages
    )
    assert example_copy.read_bytes() == before


async def test_a_duplicate_member_id_is_refused_in_the_form(example_copy: Path, tmp_path: Path) -> None:
    before = example_copy.read_bytes()
    app = AssessorApp(example_copy, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_example_for_setup(tmp_path, pilot, app)
        await show_tab(app, pilot, "tab-panel")
        await press_for(pilot, app, "a", FormDialog)
        await fill(pilot, app, {"name": "Another Okafor", "id": "okafor"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert "already on the panel" in str(app.screen.query_one("#form-error").render())
        await pilot.press("escape")
        await settle(app, pilot)
    assert example_copy.read_bytes() == before


async def test_moving_on_without_a_chair_is_refused(folder: Path) -> None:
    app = AssessorApp(None, folder=folder)
    async with app.run_test(size=(140, 45)) as pilot:
        path = await new_from_template(folder, pilot, app)
        before = path.read_bytes()
        await pilot.press("f5")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert not isinstance(app.screen, ConfirmDialog)
    assert any("no chair on the panel" in m and "no candidates" in m for m in messages)
    assert path.read_bytes() == before


async def test_removing_a_scored_criterion_is_refused(example_copy: Path, tmp_path: Path) -> None:
    example_copy.write_text(example_copy.read_text().replace('status = "interview"', 'status = "setup"'))  # still in set-up, with scores
    before = example_copy.read_bytes()
    app = AssessorApp(example_copy, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_example_for_setup(tmp_path, pilot, app)
        await show_tab(app, pilot, "tab-criteria")
        await press_for(pilot, app, "delete", ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert any("can no longer be removed" in n.message for n in app._notifications)
    assert example_copy.read_bytes() == before


async def test_details_are_saved_on_enter(example_copy: Path, tmp_path: Path) -> None:
    app = AssessorApp(example_copy, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_example_for_setup(tmp_path, pilot, app)
        await show_tab(app, pilot, "tab-details")
        vacancies = app.screen.query_one("#detail-vacancies", Input)
        vacancies.focus()
        vacancies.value = ""
        await pilot.press("2", "enter")
        # Past set-up the chair's change needs a reason for the audit: asked for, then saved.
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        assert "changing the number of vacancies after set-up needs a reason" in str(app.screen.query_one(".dialog-title").render()).lower()
        await fill(pilot, app, {"reason": "A second post was funded."})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "saved" in str(app.screen.query_one("#save-status").render())
    campaign = load_campaign(example_copy)
    assert campaign.campaign.vacancies == 2
    assert campaign.audit[-1].what == "set vacancies: 1 -> 2; reason: A second post was funded." and campaign.audit[-1].who == "okafor"


async def test_who_are_you_when_no_member_is_given(example_copy: Path) -> None:
    app = AssessorApp(example_copy)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, WhoDialog)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.session is not None and app.session.who == "whitfield"


async def test_an_unknown_member_is_told_and_asked(example_copy: Path) -> None:
    app = AssessorApp(example_copy, as_member="nobody")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, WhoDialog)
        assert any("'nobody' is not on this campaign's panel" in n.message for n in app._notifications)


async def test_every_key_is_also_in_the_command_palette(example_copy: Path, tmp_path: Path) -> None:
    app = AssessorApp(example_copy, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await open_example_for_setup(tmp_path, pilot, app)
        await show_tab(app, pilot, "tab-criteria")
        titles = [command.title for command in app.get_system_commands(app.screen)]
    for title in ("Add behaviour", "Lead", "Tie-break", "Next status", "Summary", "Set-up"):
        assert title in titles


async def test_a_new_chair_who_adds_themselves_works_as_the_chair_from_then_on(folder: Path) -> None:
    app = AssessorApp(None, folder=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        path = await new_from_template(folder, pilot, app)
        assert app.session is not None and app.session.who not in {"okafor"}
        await show_tab(app, pilot, "tab-panel")
        await press_for(pilot, app, "a", FormDialog)
        await fill(pilot, app, {"name": "Amara Okafor", "role": "chair", "id": "okafor"})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "who is not on the panel. Are you Amara Okafor (okafor)?" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert app.session is not None and app.session.who == "okafor" and app.session.is_chair
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+q")
    assert [member.id for member in load_campaign(path).panel] == ["okafor"]
