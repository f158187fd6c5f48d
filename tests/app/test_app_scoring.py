"""Scoring, moderation, the summary and sign-off in the app, driven by keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from assessor.app import AssessorApp
from assessor.screens.dialogs import FormDialog
from assessor.screens.moderation import ModerationScreen
from assessor.screens.queue import CalibrationScreen, QueueScreen
from assessor.screens.score import ScoreScreen
from assessor.screens.scoring_list import ScoringListScreen
from assessor.screens.summary import SummaryScreen
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import fill, press_for, row_text, settle, wait_for
from tests.app.test_app_sizes import screen_text
from tests.cli.test_summary_reasons import REASONS, agreeing
from tests.conftest import run_cli
from tests.generate import make_light_campaign
from tests.scoring_cases import hand_worked


@pytest.fixture
def unscored(tmp_path: Path) -> Path:
    """Three candidates scored at the sift; the interview still to score (two criteria)."""
    path = tmp_path / "panel.toml"
    save_campaign(make_light_campaign(3, 2, 3, seed=5), path)
    return path


@pytest.fixture
def moderation(tmp_path: Path) -> Path:
    path = tmp_path / "worked.toml"
    save_campaign(hand_worked(), path)
    return path


async def score_candidate(pilot, app, values: list[tuple[str, str]]) -> None:
    """On a ScoreScreen: for each criterion, a key 1-7 and evidence typed, then the next."""
    for key, evidence in values:
        await pilot.press(key)
        await pilot.press("tab")
        await pilot.press(*evidence)
        await pilot.press("escape", "j")
        await pilot.pause()


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((140, 45), id="140x45", marks=pytest.mark.slow)])
async def test_a_member_scores_three_candidates_by_keys_and_finds_them_again(unscored: Path, size: tuple[int, int]) -> None:
    app = AssessorApp(unscored, as_member="P2")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        await pilot.press("s")  # from the sift to the interview
        await pilot.pause()
        assert str(app.screen.query_one("#scoring-heading", Static).render()).startswith("Interview")
        await press_for(pilot, app, "enter", ScoreScreen)
        await score_candidate(pilot, app, [("5", "Clear plan"), ("6", "Good team")])
        await pilot.press("right_square_bracket")
        await score_candidate(pilot, app, [("4", "Adequate"), ("3", "")])  # one score without evidence
        await pilot.press("right_square_bracket")
        await score_candidate(pilot, app, [("7", "Outstanding"), ("2", "Thin")])
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
        assert any("1 of your scores at this stage have no evidence" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
    campaign = load_campaign(unscored)
    mine = {(s.candidate, s.criterion): (s.score, s.evidence) for s in campaign.scores if s.assessor == "P2" and s.stage == "interview"}
    criteria = [c.id for c in campaign.criteria]
    people = [c.id for c in campaign.candidates]
    assert mine == {
        (people[0], criteria[0]): (5, "Clear plan"),
        (people[0], criteria[1]): (6, "Good team"),
        (people[1], criteria[0]): (4, "Adequate"),
        (people[1], criteria[1]): (3, ""),
        (people[2], criteria[0]): (7, "Outstanding"),
        (people[2], criteria[1]): (2, "Thin"),
    }
    # One audit row per score and per piece of evidence, not one per keystroke.
    assert sum(1 for row in campaign.audit if row.who == "P2") == 11

    again = AssessorApp(unscored, as_member="P2")
    async with again.run_test(size=(140, 45)) as pilot:
        await settle(again, pilot)
        await pilot.press("s")
        await pilot.pause()
        table = again.screen.query_one("#candidates", DataTable)
        assert [row_text(table, i)[2:4] for i in range(3)] == [["✓ 2/2", ""], ["✓ 2/2", "1"], ["✓ 2/2", ""]]


async def test_scores_are_blind_until_moderation_but_the_chair_sees_all(unscored: Path) -> None:
    from assessor.changes.scores import record

    campaign = load_campaign(unscored)
    first, criterion = campaign.candidates[0].id, campaign.criteria[0].id
    campaign = record(campaign, assessor="P2", candidate=first, criterion=criterion, stage="interview", score=6, evidence="mine").campaign
    save_campaign(campaign, unscored)
    for member, sees in (("P3", False), ("P1", True)):
        app = AssessorApp(unscored, as_member=member)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(app, pilot)
            await pilot.press("s")
            await pilot.pause()
            await press_for(pilot, app, "enter", ScoreScreen)
            line = str(app.screen.query_one("#my-score", Static).render())
            assert ("Panel: P2 6" in line) is sees
            await pilot.press("escape", "f4")
            await wait_for(pilot, lambda app=app: isinstance(app.screen, SummaryScreen))
            await pilot.press("s", "s")  # the interview on its own
            await pilot.pause()
            row = row_text(app.screen.query_one("#merit-list", DataTable), 0)
            assert ("·" in row) is not sees


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
async def test_the_chair_moderates_and_the_ranking_moves(moderation: Path, size: tuple[int, int]) -> None:
    app = AssessorApp(moderation, as_member="P1")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        table = app.screen.query_one("#merit-list", DataTable)
        assert [row_text(table, i)[:3] for i in range(3)] == [
            ["1", "Candidate A", "appointable"],
            ["2", "Candidate B", "reserve"],  # tied across the line of two vacancies: the chair orders them
            ["2", "Candidate C", "reserve"],
        ]
        # The queue puts C's disagreement on delivery first.
        await press_for(pilot, app, "q", QueueScreen)
        queue = app.screen.query_one("#queue", DataTable)
        assert row_text(queue, 0)[:3] == ["disagreement", "C Candidate C", "Delivery"]  # names, not ids
        await press_for(pilot, app, "enter", ModerationScreen)
        grid = app.screen.query_one("#moderation-grid", DataTable)
        await wait_for(pilot, lambda: grid.cursor_row == 1)  # opened on the flagged item, delivery
        await pilot.pause()
        evidence = app.screen.query_one("#evidence-text", Static)
        assert "P1 on C" in str(evidence.render())
        lines = [line for line in str(evidence.render()).splitlines() if not line.startswith("Flags: ")]  # the legend, when narrow
        assert len(lines) == 3  # the three members' scores on delivery
        await press_for(pilot, app, "a", FormDialog)
        await fill(pilot, app, {"score": "7", "rationale": "Agreed: the second example showed delivery at pace."})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert row_text(grid, 1)[-2] == "7*"
        assert "Agreed 7 by" in str(evidence.render())
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        assert row_text(table, 0)[:3] == ["1", "Candidate C", "appointable"]
        await press_for(pilot, app, "c", CalibrationScreen)
        assert app.screen.query_one("#calibration", DataTable).row_count == 3
    campaign = load_campaign(moderation)
    agreed = [m for m in campaign.moderation if m.candidate == "C"]
    assert [(m.criterion, m.score, m.by) for m in agreed] == [("delivery", 7, "P1")]
    assert [s.score for s in campaign.scores if s.item == ("C", "delivery", "interview")] == [7, 5, 6]


async def test_members_cannot_moderate(moderation: Path) -> None:
    app = AssessorApp(moderation, as_member="P2")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await press_for(pilot, app, "m", ModerationScreen)  # at moderation everyone may look
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
        assert any("Only the chair" in n.message for n in app._notifications)


async def test_finalise_seals_and_the_app_becomes_read_only(moderation: Path) -> None:
    app = AssessorApp(moderation, as_member="P1")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        # B and C share rank 2 across the line of two vacancies: the chair orders them first.
        table = app.screen.query_one("#merit-list", DataTable)
        table.move_cursor(row=table.get_row_index("B"))
        await press_for(pilot, app, "o", FormDialog)
        assert app.screen.query_one("#field-order").value == "B, C"
        await fill(pilot, app, {"order": "C, B", "rationale": "C's delivery evidence was the stronger."})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [row_text(table, i)[:3] for i in range(3)][1:] == [["2", "Candidate C", "appointable"], ["3", "Candidate B", "reserve"]]
        await press_for(pilot, app, "f", FormDialog)  # items are open: a rationale is asked for
        assert "items are still open" in app.screen.form_title
        await fill(pilot, app, {"rationale": "Panel agreed the tie stands; both go forward."})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        banner = app.screen.query_one("#final-banner", Static)
        assert banner.display and str(banner.render()).startswith("FINAL — sealed by P1")
        digest = app.session.campaign.seal.sha256
        assert any(str(n.message).startswith(f"seal sha256 {digest}: record it apart from the file") for n in app._notifications)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
        before = moderation.read_bytes()
        await press_for(pilot, app, "enter", ScoreScreen)
        await pilot.press("5")
        await settle(app, pilot)
        from tests.app.test_app_sizes import footer_text

        assert "1-7" not in footer_text(app) and "Evidence" not in footer_text(app)  # a sealed file offers no score key
        assert moderation.read_bytes() == before
    assert load_campaign(moderation).campaign.status == "final"
    verified = run_cli("verify", str(moderation))
    assert verified.returncode == 0, verified.stderr


async def test_export_writes_the_chosen_format(moderation: Path) -> None:
    from textual.widgets import OptionList

    from assessor.screens.dialogs import ChooseDialog

    app = AssessorApp(moderation, as_member="P1")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await press_for(pilot, app, "e", ChooseDialog)
        app.screen.query_one("#choices", OptionList).highlighted = 4  # html
        await pilot.press("enter")
        await settle(app, pilot)
        await wait_for(pilot, lambda: (moderation.parent / "hand-worked-merit-list.html").exists())
    page = (moderation.parent / "hand-worked-merit-list.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "Merit list" in page


async def test_a_long_list_fills_in_batches_and_search_narrows_it(tmp_path: Path) -> None:
    path = tmp_path / "bulk.toml"
    save_campaign(make_light_campaign(1500, 1, 1, seed=2), path)
    app = AssessorApp(path, as_member="P1")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1500, tries=400)
        await pilot.press("slash", *"C00042")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert row_text(table, 0)[0] == "C00042"


async def test_returning_to_a_screen_with_nothing_changed_works_nothing_out_again(moderation: Path, monkeypatch) -> None:
    import assessor.session as session_module  # the session works out what screens show, once per change

    calls = {"summarise": 0, "progress": 0}

    def counted(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counted(session_module, "summarise")
    counted(session_module, "progress")
    app = AssessorApp(moderation, as_member="P1")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        for key, screen in (("f3", ScoringListScreen), ("f4", SummaryScreen), ("f3", ScoringListScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: isinstance(app.screen, screen))
        await settle(app, pilot)
        assert calls == {"summarise": 1, "progress": 1}
        await pilot.press("s")  # another stage: drawn again
        await pilot.pause()
        assert calls["progress"] == 2


ADJUSTMENTS = "Extra 15 minutes to prepare the presentation; step-free interview room."


@pytest.fixture
def blind_sift(example: Path) -> Path:
    """The example (name-blind) back at its sift, C03 (who has adjustments) under a guaranteed interview scheme."""
    text = example.read_text().replace('status = "interview"', 'status = "sift"')
    text = text.replace('reference = "HOD-26-103"\n', 'reference = "HOD-26-103"\nguaranteed_interview = "disability-confident"\n')
    example.write_text(text)
    return example


def hidden_from_members(shown: str) -> bool:
    """No adjustment, no scheme and no name of C03's on the screen."""
    return not any(words in shown for words in ("Extra 15 minutes", "step-free", "Disability Confident", "guaranteed", "Daniel Osei"))


async def open_c03(pilot, app: AssessorApp) -> None:
    table = app.screen.query_one("#candidates", DataTable)
    table.move_cursor(row=table.get_row_index("C03"))
    await pilot.pause()
    await press_for(pilot, app, "enter", ScoreScreen)
    await settle(app, pilot)


async def test_a_member_at_a_name_blind_sift_sees_no_adjustments_nor_scheme_and_at_interview_the_adjustments(blind_sift: Path) -> None:
    app = AssessorApp(blind_sift, as_member="raman")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert str(app.screen.query_one("#scoring-heading", Static).render()).startswith("Sift")
        table = app.screen.query_one("#candidates", DataTable)
        assert [str(column.label) for column in table.columns.values()] == ["ID", "Candidate", "My scores", "No evidence"]
        assert row_text(table, table.get_row_index("C03"))[:2] == ["C03", "HOD-26-103"]
        assert hidden_from_members(screen_text(app))
        await open_c03(pilot, app)
        assert app.screen.title == "C03 HOD-26-103"
        assert not app.screen.query_one("#adjustments", Static).display and hidden_from_members(screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
        await pilot.press("f4")  # while the panel sifts, the summary opens on the sift
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        merit = app.screen.query_one("#merit-list", DataTable)
        merit.move_cursor(row=merit.get_row_index("C03"))
        await settle(app, pilot)
        assert str(app.screen.query_one("#summary-detail", Static).render()) == "C03 HOD-26-103"
        assert hidden_from_members(screen_text(app))

        # From the interview on the panel must make the adjustments: they show; the scheme still does not.
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoringListScreen))
        await pilot.press("s")
        await settle(app, pilot)
        assert str(app.screen.query_one("#scoring-heading", Static).render()).startswith("Interview")
        assert [str(column.label) for column in table.columns.values()][-1] == "Adjustments"
        assert row_text(table, table.get_row_index("C03"))[4] == ADJUSTMENTS
        await open_c03(pilot, app)
        assert str(app.screen.query_one("#adjustments", Static).render()) == f"Adjustments: {ADJUSTMENTS}"
        assert "Disability Confident" not in screen_text(app) and "guaranteed" not in screen_text(app)


async def test_the_chair_sees_the_adjustments_at_a_name_blind_sift(blind_sift: Path) -> None:
    app = AssessorApp(blind_sift, as_member="okafor")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#candidates", DataTable)
        assert row_text(table, table.get_row_index("C03"))[1:] == ["HOD-26-103", "✓ 4/4", "", "3/3", ADJUSTMENTS]  # and the panel's progress
        await open_c03(pilot, app)
        assert str(app.screen.query_one("#adjustments", Static).render()) == f"Adjustments: {ADJUSTMENTS}"


async def test_the_summary_says_why_in_the_words_of_every_format(tmp_path: Path) -> None:
    path = tmp_path / "agreeing.toml"
    save_campaign(agreeing(), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(app, pilot)
        table = app.screen.query_one("#merit-list", DataTable)
        briefs = {"A": ("incomplete", "incomplete: 1 to agree"), "B": ("incomplete", "incomplete: 1 to score"), "C": ("fail", None)}
        for candidate, (outcome, brief) in briefs.items():
            table.move_cursor(row=table.get_row_index(candidate))
            await settle(app, pilot)
            detail = str(app.screen.query_one("#summary-detail", Static).render())
            assert detail == f"{candidate} Candidate {candidate}: {outcome}: {REASONS[candidate]}"
            if brief is not None:
                assert row_text(table, table.get_row_index(candidate))[2] == brief  # the cell keeps its short form
