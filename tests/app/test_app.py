"""The app opens the example campaign and shows its title and candidates."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import DataTable, Static

from assessor.app import AssessorApp
from assessor.screens.picker import PickerScreen
from assessor.screens.scoring_list import ScoringListScreen
from assessor.screens.who import WhoDialog
from tests.app.pilot import row_text
from tests.conftest import DATA


async def _settle(app: AssessorApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_opens_the_example_with_title_and_candidates(example: Path) -> None:
    app = AssessorApp(example, as_member="raman")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        assert app.screen.title == "Head of Digital, Department for Education"
        heading = str(app.screen.query_one("#scoring-heading", Static).render())
        assert heading == "Interview · scoring as Priya Raman (independent) · status interview"
        table = app.screen.query_one("#candidates", DataTable)
        assert table.row_count == 6
        assert row_text(table, 0)[:3] == ["C01", "Jordan Ellis", "✓ 7/7"]
        assert str(row_text(table, 2)[4]).startswith("Extra 15 minutes")  # C03's adjustments, in words
        assert row_text(table, 5)[2:4] == ["3/7", "1"]  # C06: three scored, one without evidence


async def test_a_big_file_opens_behind_a_loading_screen(example: Path, monkeypatch) -> None:
    import threading

    import assessor.app as app_module
    from assessor.screens.widgets import LoadingScreen

    release = threading.Event()
    original = app_module.open_campaign

    def slow_open(path):
        release.wait(10)  # a big file's load, held until the test has seen the screen
        return original(path)

    monkeypatch.setattr(app_module, "OPEN_AT_ONCE_BYTES", example.stat().st_size - 1)
    monkeypatch.setattr(app_module, "open_campaign", slow_open)
    app = AssessorApp(example, as_member="raman")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        assert f"Opening {example.name}…" in str(app.screen.query_one(Static).render())
        release.set()
        await _settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        assert app.screen.query_one("#candidates", DataTable).row_count == 6


async def test_a_panel_sized_file_opens_before_the_first_paint(example: Path) -> None:
    app = AssessorApp(example, as_member="raman")
    async with app.run_test(size=(120, 40)):
        # No pause: the list is there as soon as the app is running, without a worker.
        assert isinstance(app.screen, ScoringListScreen)


async def test_name_blind_sift_shows_references(tmp_path: Path) -> None:
    path = tmp_path / "blind.toml"
    text = (DATA / "minimal.toml").read_text()
    path.write_text(text.replace('status = "interview"', 'status = "sift"').replace("anonymise_sift = false", "anonymise_sift = true"))
    app = AssessorApp(path, as_member="P2")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        assert [row_text(table, index)[1] for index in range(table.row_count)] == ["R-101", "R-102"]
        shown = app.export_screenshot()
        assert "R-101" in shown and "Jordan" not in shown and "Marchetti" not in shown


async def test_picker_lists_campaigns_and_opens_the_chosen_one(tmp_path: Path, example: Path) -> None:
    shutil.copyfile(DATA / "minimal.toml", tmp_path / "another.toml")
    (tmp_path / "broken.toml").write_text("title = ")
    app = AssessorApp(None, folder=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, PickerScreen)
        table = app.screen.query_one("#campaign-files", DataTable)
        rows = [row_text(table, i) for i in range(table.row_count)]
        assert rows[0][:5] == ["broken.toml", "cannot be read", "", "", "file does not load"]  # what is due first
        assert rows[1][:6] == ["another.toml", "Head of Profession, Digital", "interview", "none", "", "2"]
        assert rows[2][:6] == [example.name, "Head of Digital, Department for Education", "interview", "none", "", "6"]
        await pilot.press("down", "down", "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, WhoDialog)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        assert app.session is not None and app.session.path == example and app.session.who == "okafor"


async def test_picking_a_broken_file_notifies_and_stays(tmp_path: Path) -> None:
    shutil.copyfile(DATA / "bad" / "score-eight.toml", tmp_path / "broken.toml")
    before = (tmp_path / "broken.toml").read_bytes()
    app = AssessorApp(None, folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, PickerScreen)
        messages = [notification.message for notification in app._notifications]
        assert any("scores[0].score: must be at most 7, not 8" in message for message in messages)
    assert (tmp_path / "broken.toml").read_bytes() == before


async def test_empty_folder_says_how_to_start(tmp_path: Path) -> None:
    app = AssessorApp(None, folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        assert "assessor new" in str(app.screen.query_one("#picker-empty", Static).render())


async def test_the_app_holds_my_sheet_so_my_cli_write_is_refused_but_others_score_and_are_shown(example: Path) -> None:
    from assessor.storage.sheets import sheet_path
    from tests.app.pilot import wait_for
    from tests.conftest import run_cli

    item = ("--candidate", "C06", "--criterion", "leadership", "--stage", "interview", "--score", "5")
    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        before = example.read_bytes()
        mine = run_cli("score", str(example), "--as", "okafor", *item)
        assert mine.returncode == 1
        assert mine.stderr.startswith(f"{sheet_path(example, 'okafor')}: locked by okafor on ")
        theirs = run_cli("score", str(example), "--as", "whitfield", *item)
        assert theirs.returncode == 0, theirs.stderr
        assert example.read_bytes() == before, "a member's score never touches the campaign file"
        # The chair's app shows it without reopening (the campaign shows colleagues' scores to the chair).
        await wait_for(pilot, lambda: ("leadership", "whitfield") in app.session.candidate_scores("C06", "interview"), tries=500)
    # Quitting lets go of my sheet.
    assert run_cli("score", str(example), "--as", "okafor", *item).returncode == 0


async def test_a_second_app_of_mine_may_open_read_only(example: Path) -> None:
    from assessor.screens.dialogs import ConfirmDialog
    from assessor.storage.locked_changes import hold_sheet

    with hold_sheet(example, "raman"):
        app = AssessorApp(example, as_member="raman")
        async with app.run_test(size=(120, 40)) as pilot:
            await _settle(app, pilot)
            assert isinstance(app.screen, ConfirmDialog)
            assert "locked by raman" in app.screen.question
            await pilot.press("y")
            await _settle(app, pilot)
            assert isinstance(app.screen, ScoringListScreen)
            assert app.session is not None and app.session.read_only
            before = example.read_bytes()
            await pilot.press("enter", "5")
            await _settle(app, pilot)
            from tests.app.test_app_sizes import footer_text

            assert "1-7" not in footer_text(app)  # nothing that would be refused is offered
        assert example.read_bytes() == before


async def test_a_file_changed_outside_the_app_is_shown_and_kept_by_the_next_change(example: Path) -> None:
    from assessor.changes.setup import set_detail
    from assessor.storage.campaign_file import load_campaign
    from tests.app.pilot import wait_for

    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await _settle(app, pilot)
        # Someone edits the file by hand, ignoring the lock: the app shows it as it now is.
        example.write_text(example.read_text().replace("Jordan Ellis", "Jordan Ellis-Brown"))
        await wait_for(pilot, lambda: app.session.campaign.candidates[0].name == "Jordan Ellis-Brown", tries=500)
        app.session.setup(set_detail, "vacancies", 2, reason="A second post was funded.")
        await _settle(app, pilot)
    on_disk = load_campaign(example)
    assert (on_disk.candidates[0].name, on_disk.campaign.vacancies) == ("Jordan Ellis-Brown", 2)


async def test_the_command_line_reads_the_file_once_and_hands_it_to_the_app(example: Path, monkeypatch) -> None:
    import assessor.app as app_module
    import assessor.storage.campaign_file as campaign_file
    from assessor import cli

    reads: list[Path] = []
    original = campaign_file.open_campaign

    def counted(path, **options):
        reads.append(Path(path))
        return original(path, **options)

    started: list[AssessorApp] = []
    monkeypatch.setattr(campaign_file, "open_campaign", counted)
    monkeypatch.setattr(app_module, "open_campaign", counted)
    monkeypatch.setattr(AssessorApp, "run", lambda self, *args, **kwargs: started.append(self))
    assert cli.main([str(example), "--as", "raman"]) == 0
    assert reads == [example] and started[0].opened is not None and started[0].opened.path == example
    app = started[0]  # the app the command line made, run as a user would see it
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        assert app.session is not None and app.session.campaign is app.opened.campaign
    assert reads == [example]  # the app did not read it again
