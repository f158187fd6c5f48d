"""The README's pictures of the app, taken by Textual itself.

Makes two SVG screenshots in `docs/images/`:

- `scoring.svg`: Priya Raman, the panel's independent member, scoring Hannah Brierley at the
  interview: two criteria scored with the keys 1-7, the evidence for each from her interview
  notes, and the 1-7 scale with her score marked on it.
- `moderation.svg`: Amara Okafor, the chair, on the moderation grid of Daniel Osei once the
  campaign is at moderation: every member's score per criterion, the spread, the agreed score,
  and the evidence behind the item the chair moderated.

Run it with `make pictures` (or `.venv/bin/python docs/pictures.py [FOLDER]` to write the
pictures somewhere else). Run it again whenever a screen changes.

The real app is opened on copies of the bundled example campaign in a temporary folder (the
app writes score sheets and locks beside the file it opens, and the chair moves the status
on), and is driven as a user drives it, by keys (and a paste), waiting on what the screen
shows rather than on time. The clock, the time zone, the theme and the settings folder are fixed, so the
same screens give the same files byte for byte.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea

from assessor import cli
from assessor.app import AssessorApp
from assessor.screens.moderation import ModerationScreen
from assessor.screens.score import ScoreScreen
from assessor.screens.summary import SummaryScreen

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "campaigns" / "head-of-digital-2026.toml"
IMAGES = ROOT / "docs" / "images"
SIZE = (120, 32)
"""Columns and rows: wide enough for the indicators beside the criteria, short enough to read on a page."""
MOMENT = datetime(2026, 11, 18, 14, 30, tzinfo=UTC)
"""The time the pictures are taken at, as the status line's "saved" note shows it."""
THEME = "textual-dark"

SCORES = [
    ("5", "Set a clear vision for a 30-strong service team and kept delivery going through a restructure."),
    ("4", "Tied the roadmap to the department's priorities; weighed options against the spending review."),
]
"""Priya Raman's scores on Hannah Brierley's first two criteria (the keys 1-7), each with the evidence
from her interview notes (pasted into the evidence box)."""


@contextlib.contextmanager
def steady_surroundings(folder: Path) -> Iterator[None]:
    """Nothing from the machine the pictures are made on shows in them.

    The settings (the theme) are kept in `folder`, not the user's own config folder; the bundled
    frameworks are read, whatever `ASSESSOR_REFERENCE` says; colour is on; saves happen at
    `MOMENT`, shown in UTC (London's time in November).
    """
    names = ("ASSESSOR_CONFIG_DIR", "ASSESSOR_REFERENCE", "NO_COLOR", "TZ")
    before = {name: os.environ.get(name) for name in names}
    os.environ["ASSESSOR_CONFIG_DIR"] = str(folder / "config")
    os.environ.pop("ASSESSOR_REFERENCE", None)
    os.environ.pop("NO_COLOR", None)
    os.environ["TZ"] = "UTC"
    if hasattr(time, "tzset"):
        time.tzset()
    try:
        with mock.patch("assessor.session.now", lambda: MOMENT):  # the only clock on screen: "saved 14:30:00"
            yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if hasattr(time, "tzset"):
            time.tzset()


def copy_example(folder: Path) -> Path:
    """A copy of the example campaign in a folder of its own: the repository's file is never opened."""
    folder.mkdir(parents=True)
    target = folder / EXAMPLE.name
    shutil.copyfile(EXAMPLE, target)
    return target


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], what: str, tries: int = 300) -> None:
    """Pause until `condition()` holds (a screen pushed, a save written), or say what never happened."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise RuntimeError(f"the app never reached the expected state: {what}")


async def settle(pilot: Pilot[None]) -> None:
    """Let the saves finish and the screen redraw."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def down_to(pilot: Pilot[None], table: str, row: str, what: str) -> None:
    """Press down until the cursor of the table `table` (a selector) is on the row keyed `row`."""
    found = pilot.app.screen.query_one(table, DataTable)
    while found.coordinate_to_cell_key(found.cursor_coordinate).row_key.value != row:
        if found.cursor_row >= found.row_count - 1:
            raise RuntimeError(f"not found: {what}")
        await pilot.press("down")


async def hold_still(pilot: Pilot[None]) -> None:
    """The screen as a reader should see it: no toast, a steady cursor, no mouse hover."""
    app = pilot.app
    await settle(pilot)
    # A warning or an error means the keys did not do what they should: no picture of that.
    problems = [f"{toast.title}: {toast.message}" for toast in app._notifications if toast.severity != "information"]
    if problems:
        raise RuntimeError("the app said: " + "; ".join(problems))
    app.clear_notifications()  # a passing "done" toast would cover the screen's corner
    for box in app.screen.query("Input, TextArea"):
        box.cursor_blink = False
    # The mouse on the header's title: over a row it would highlight it, on the icon show a tooltip.
    await pilot.hover(None, offset=(app.size.width // 2, 0))
    await pilot.wait_for_scheduled_animations()
    await settle(pilot)


async def start(app: AssessorApp, pilot: Pilot[None]) -> None:
    """The app open on its first screen, in the pictures' theme."""
    await settle(pilot)
    app.theme = THEME
    await wait_for(pilot, lambda: app.session is not None, "the campaign open")
    await settle(pilot)


async def picture_of_scoring(campaign: Path, folder: Path) -> Path:
    """Priya Raman scores Hannah Brierley at the interview: two scores with their evidence."""
    app = AssessorApp(campaign, as_member="raman")
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("f3")  # the scoring list: the candidates at the interview
        await down_to(pilot, "#candidates", "C04", "Hannah Brierley (C04) on the scoring list")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen), "the scoring screen")
        evidence = app.screen.query_one("#evidence", TextArea)
        for place, (key, text) in enumerate(SCORES):
            if place:
                await pilot.press("down")
            await pilot.press(key, "tab")
            await wait_for(pilot, lambda: app.focused is evidence, "the evidence box focused")
            app.post_message(events.Paste(text))  # as the terminal hands the app a paste
            await wait_for(pilot, lambda text=text: evidence.text == text, "the evidence typed")
            await pilot.press("escape")
        await pilot.press("pagedown")  # the indicators scroll on to the scale, the score marked on it
        await settle(pilot)
        await wait_for(pilot, lambda: app.save_note.startswith("saved"), "the scores saved")
        await hold_still(pilot)
        return Path(app.save_screenshot("scoring.svg", str(folder)))


def move_to_moderation(campaign: Path) -> None:
    """The chair moves the campaign on from the interview to moderation, with the real command."""
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["advance", str(campaign), "--as", "okafor"])
    if code != 0:
        raise RuntimeError(f"assessor advance {campaign} --as okafor failed with exit code {code}")


async def picture_of_moderation(campaign: Path, folder: Path) -> Path:
    """Amara Okafor, the chair, at moderation: Daniel Osei's grid on the item she moderated."""
    move_to_moderation(campaign)
    app = AssessorApp(campaign, as_member="okafor")
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        await settle(pilot)
        await down_to(pilot, "#merit-list", "C03", "Daniel Osei (C03) on the merit list")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, ModerationScreen), "the moderation grid")
        await settle(pilot)
        await down_to(pilot, "#moderation-grid", "making-effective-decisions@interview", "Making Effective Decisions on the grid")
        await hold_still(pilot)
        return Path(app.save_screenshot("moderation.svg", str(folder)))


async def make_pictures(folder: Path) -> list[Path]:
    """Write scoring.svg and moderation.svg into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="assessor-pictures-") as scratch:
        work = Path(scratch)
        with steady_surroundings(work):
            return [
                await picture_of_scoring(copy_example(work / "scoring"), folder),
                await picture_of_moderation(copy_example(work / "moderation"), folder),
            ]


def main(argv: list[str] | None = None) -> int:
    """`python docs/pictures.py [FOLDER]`: write the pictures (into docs/images unless told)."""
    parser = argparse.ArgumentParser(description="Remake the README's pictures of the app.")
    parser.add_argument("folder", nargs="?", type=Path, default=IMAGES, help=f"where the SVG files go (default: {IMAGES})")
    args = parser.parse_args(argv)
    for path in asyncio.run(make_pictures(args.folder)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
