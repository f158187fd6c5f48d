"""The whole panel at once in the app: two members' apps open on one campaign, both writable,
each score saved to its member's sheet, the chair watching them arrive, blindness kept."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from assessor.app import AssessorApp
from assessor.screens.score import ScoreScreen
from assessor.storage.campaign_file import load_campaign
from assessor.storage.sheets import sheet_path
from tests.app.pilot import settle, wait_for
from tests.conftest import run_cli

LIVE_TRIES = 1000  # pauses of 10 ms: the watcher shows a change well within this


def panel_line(app: AssessorApp) -> str:
    return str(app.screen.query_one("#my-score", Static).render())


async def open_fourth_candidate(app: AssessorApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("down", "down", "down", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen))


async def test_two_members_score_at_once_and_the_chair_sees_both_arrive(example: Path) -> None:
    chair, member = AssessorApp(example, as_member="okafor"), AssessorApp(example, as_member="raman")
    async with chair.run_test(size=(120, 40)) as chair_keys, member.run_test(size=(120, 40)) as member_keys:
        await open_fourth_candidate(chair, chair_keys)
        await open_fourth_candidate(member, member_keys)
        assert not chair.session.read_only and not member.session.read_only, "nobody is offered read-only"
        assert chair.screen.candidate_id == member.screen.candidate_id == "C04"
        criterion = chair.screen._criteria()[0].id

        await member_keys.press("6")
        await chair_keys.press("5")
        third = run_cli(
            "score", str(example), "--as", "whitfield", "--candidate", "C04", "--criterion", criterion, "--stage", "interview", "--score", "3"
        )
        assert third.returncode == 0, third.stderr

        # The chair (who sees the panel's scores in this campaign) watches both arrive, without reopening.
        await wait_for(chair_keys, lambda: "raman 6" in panel_line(chair) and "whitfield 3" in panel_line(chair), tries=LIVE_TRIES)
        # The member's app takes the others' scores in too, and shows none of them: blindness holds.
        await wait_for(
            member_keys,
            lambda: ("C04", criterion, "whitfield") in {(s.candidate, s.criterion, s.assessor) for s in member.session.campaign.scores},
            tries=LIVE_TRIES,
        )
        await wait_for(member_keys, lambda: (criterion, "okafor") in member.session.candidate_scores("C04", "interview"), tries=LIVE_TRIES)
        assert panel_line(member).startswith("Your score: 6") and "Panel" not in panel_line(member)
        await settle(chair, chair_keys)
        await settle(member, member_keys)

    on_disk = {(s.assessor, s.score) for s in load_campaign(example).scores if (s.candidate, s.criterion, s.stage) == ("C04", criterion, "interview")}
    assert on_disk == {("okafor", 5), ("raman", 6), ("whitfield", 3)}
    for who in ("okafor", "raman", "whitfield"):
        assert sheet_path(example, who).exists(), f"{who}'s score is on their own sheet"


async def test_the_chair_finalises_once_everyone_has_closed_and_every_sheet_is_folded_in(example: Path) -> None:
    from assessor.screens.dialogs import FormDialog
    from assessor.screens.summary import SummaryScreen
    from assessor.storage.sheets import sheets_folder
    from tests.app.pilot import fill, press_for

    chair, member = AssessorApp(example, as_member="okafor"), AssessorApp(example, as_member="raman")

    async def finalise() -> None:
        await chair_keys.press("f4")
        await wait_for(chair_keys, lambda: isinstance(chair.screen, SummaryScreen))
        await press_for(chair_keys, chair, "f", FormDialog)
        await fill(chair_keys, chair, {"rationale": "Signed off at the wash-up."})
        await chair_keys.press("ctrl+s")
        await settle(chair, chair_keys)

    async with chair.run_test(size=(160, 45)) as chair_keys:
        async with member.run_test(size=(120, 40)) as member_keys:
            await open_fourth_candidate(member, member_keys)
            await member_keys.press("6")
            await settle(member, member_keys)
            await settle(chair, chair_keys)
            await finalise()
            refused = [n.message for n in chair._notifications if "locked by raman" in n.message]
            assert refused and str(sheet_path(example, "raman")) in refused[0], "the chair is told who still has the campaign open"
            assert load_campaign(example).campaign.status != "final"
        await finalise()
        assert chair.session.read_only and chair.session.campaign.campaign.status == "final"
    assert not sheets_folder(example).exists(), "the sealed file holds every score on its own"
    sealed = load_campaign(example)
    assert ("raman", 6) in {(s.assessor, s.score) for s in sealed.scores if (s.candidate, s.stage) == ("C04", "interview")}
    verified = run_cli("verify", str(example))
    assert verified.returncode == 0, verified.stderr
