"""The app names hidden files in the sheets folder, as it names a sync service's copies:
when the campaign opens and when one arrives; its own saves' files are never named."""

from __future__ import annotations

import shutil
from pathlib import Path

from assessor.app import AssessorApp
from assessor.storage.sheets import sheets_folder
from tests.app.pilot import settle, wait_for
from tests.conftest import run_cli


def not_counted(app: AssessorApp) -> list[str]:
    return [note.message for note in app._notifications if note.title == "Not counted"]


async def test_hidden_files_are_named_when_the_campaign_opens_and_when_one_arrives(example: Path) -> None:
    item = ("--candidate", "C06", "--criterion", "leadership", "--stage", "interview", "--score", "5", "--evidence", "Led two teams.")
    assert run_cli("score", str(example), "--as", "whitfield", *item).returncode == 0
    folder = sheets_folder(example)
    swap = folder / ".whitfield.toml.swp"
    swap.write_bytes(b"b0VIM 9.0\x00\x00\x00whitfield typed: led two teams")
    app = AssessorApp(example, as_member="okafor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert not_counted(app) == [
            f"{swap}: not a score sheet: not a text file (contains NUL bytes); nothing in it is counted; "
            "if it holds scores or evidence, enter them on the member's own sheet, then remove it"
        ]
        # macOS copies whitfield's sheet onto the shared drive, hidden: the open app names it.
        copy = folder / "._whitfield.toml"
        shutil.copyfile(folder / "whitfield.toml", copy)
        await wait_for(pilot, lambda: len(not_counted(app)) == 2, tries=500)
        assert not_counted(app)[1] == (
            f"{copy}: not a panel member's score sheet (a copy an editor or the system made?): its scores are not counted; "
            f"`assessor merge {example}` takes them in"
        )
        # Another member's save (its lock and temporary file) is not a stranger.
        assert run_cli("score", str(example), "--as", "raman", *item).returncode == 0
        await wait_for(pilot, lambda: ("leadership", "raman") in app.session.candidate_scores("C06", "interview"), tries=500)
        assert len(not_counted(app)) == 2
