"""A sift at volume in the app: the chair adds a lead-behaviour pre-sift and its shortlist in
the matrix, moves into the sift, allocates it among the panel with second marking; each sifter's
list holds only their candidates, and the chair's queue names who is behind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable

from assessor.app import AssessorApp
from assessor.core.campaign import Campaign
from assessor.screens.dialogs import ConfirmDialog, FormDialog
from assessor.screens.queue import QueueScreen
from assessor.screens.setup import SetupScreen
from assessor.storage.campaign_file import load_campaign, save_campaign
from assessor.storage.reference import load_framework
from tests.app.pilot import fill, press_for, row_text, settle, show_screen, wait_for
from tests.app.test_app_setup import show_tab

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SIFTERS = ["s1", "s2", "s3"]


def volume_in_setup(path: Path) -> Path:
    data = {
        "campaign": {"id": "volume-app", "title": "Policy Adviser", "level": 3, "created": AT},
        "stages": [
            {"id": "sift", "name": "Sift", "methods": ["application-form"]},
            {"id": "interview", "name": "Interview", "methods": ["interview"]},
        ],
        "criteria": [
            {"id": "leadership", "element": "behaviours", "name": "Leadership", "stages": ["sift", "interview"], "lead": True},
            {"id": "experience", "element": "experience", "name": "Policy experience", "stages": ["sift", "interview"]},
        ],
        "panel": [{"id": "chair", "name": "Chair", "role": "chair"}, *[{"id": s, "name": f"Sifter {s}"} for s in SIFTERS]],
        "candidates": [{"id": f"A{n:02d}", "name": f"Applicant {n}"} for n in range(30)],
    }
    save_campaign(Campaign.model_validate(data, context={"framework": load_framework("success-profiles")}), path)
    return path


async def test_the_chair_sets_up_a_pre_sift_and_allocates_it_and_each_sifter_sees_their_own(tmp_path: Path) -> None:
    path = volume_in_setup(tmp_path / "volume-app.toml")
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        await show_tab(app, pilot, "tab-matrix")
        await pilot.press("p")
        await settle(app, pilot)
        campaign = load_campaign(path)
        assert [stage.id for stage in campaign.stages] == ["pre-sift", "sift", "interview"]
        assert next(c for c in campaign.criteria if c.lead).stages == ["pre-sift", "sift", "interview"]
        assert campaign.audit[-1].what == "added a pre-sift on the lead criterion, Leadership"

        matrix = app.screen.query_one("#matrix-table", DataTable)
        matrix.move_cursor(column=1)  # the pre-sift's column
        await press_for(pilot, app, "s", FormDialog)
        await fill(pilot, app, {"shortlist": "12"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert load_campaign(path).stages[0].shortlist == 12
        assert "best 12 go on" in str(app.screen.query_one("#stage-methods").render())

        await press_for(pilot, app, "f5", ConfirmDialog)
        assert "Move the campaign from setup to sift?" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("enter")
        await settle(app, pilot)
        assert load_campaign(path).campaign.scoring_stage == "pre-sift"

        await press_for(pilot, app, "a", FormDialog)
        await fill(pilot, app, {"readers": "1", "second": "10"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        campaign = load_campaign(path)
        rows = [row for row in campaign.allocation if row.stage == "pre-sift"]
        first = [row for row in rows if row.second_marks is None]
        assert sorted(row.candidate for row in first) == [f"A{n:02d}" for n in range(30)]
        assert campaign.audit[-1].what.startswith("allocated Pre-sift: 30 candidates among 4 sifters, 1 reader each, 10% second marking")

        # The chair's queue names every sifter behind their allocation.
        await show_screen(app, pilot, QueueScreen("pre-sift"), "#queue")
        queue = app.screen.query_one("#queue", DataTable)
        behind = [row_text(queue, index) for index in range(queue.row_count) if str(row_text(queue, index)[0]) == "behind"]
        assert sorted(str(row[1]).split()[0] for row in behind) == ["chair", *SIFTERS]
        assert all(str(row[4]).startswith("0 of ") for row in behind)

    mine = {row.candidate for row in load_campaign(path).allocation if row.assessor == "s2"}
    sifter = AssessorApp(path, as_member="s2")
    async with sifter.run_test(size=(160, 45)) as pilot:
        await settle(sifter, pilot)
        table = sifter.screen.query_one("#candidates", DataTable)
        await wait_for(pilot, lambda: table.row_count == len(mine))
        assert {str(row_text(table, index)[0]) for index in range(table.row_count)} == mine


async def test_the_calibration_screen_shows_each_sifters_second_marking(tmp_path: Path) -> None:
    from assessor.changes.allocation import allocate_stage
    from assessor.changes.scores import record
    from assessor.screens.queue import CalibrationScreen

    path = volume_in_setup(tmp_path / "volume-app.toml")
    campaign = load_campaign(path)
    campaign = campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"status": "sift"})})
    campaign = allocate_stage(campaign, chair="chair", stage="sift", readers=1, second_marking=10, sifters=SIFTERS, at=AT).campaign
    for row in campaign.allocation:
        for criterion in ("leadership", "experience"):
            value = 6 if row.second_marks else 4  # every second marker two above the first reader
            campaign = record(
                campaign, assessor=row.assessor, candidate=row.candidate, criterion=criterion, stage="sift", score=value, at=AT
            ).campaign
    save_campaign(campaign, path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await show_screen(app, pilot, CalibrationScreen("sift"), "#second-marking")
        table = app.screen.query_one("#second-marking", DataTable)
        rows = [[str(cell) for cell in row_text(table, index)] for index in range(table.row_count)]
    assert rows == [["Sift", f"Sifter {who}", "2", "0%", "2.00", "2"] for who in SIFTERS]
