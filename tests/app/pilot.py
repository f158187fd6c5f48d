"""Helpers for driving the real app with Pilot: wait on conditions, never on time."""

from __future__ import annotations

from textual.widgets import Input, Select

from assessor.app import AssessorApp


async def settle(app: AssessorApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot, condition, tries: int = 100) -> None:
    """Pause until `condition()` holds: a pushed screen needs a few frames to arrive."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never reached the expected state")


async def press_for(pilot, app, key: str, screen_type) -> None:
    """Press a key that opens a dialog and wait until it is showing."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, screen_type))


async def fill(pilot, app, values: dict[str, str]) -> None:
    """Fill a FormDialog's fields (typing itself is exercised by the tests that press keys)."""
    for key, value in values.items():
        widget = app.screen.query_one(f"#field-{key}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, Input):
            widget.value = value
        else:
            widget.text = value
    await pilot.pause()


async def show_screen(app: AssessorApp, pilot, screen, ready: str) -> None:
    """Push `screen` and wait until it is showing with the widget `ready` (a selector) composed."""
    app.push_screen(screen)
    await wait_for(pilot, lambda: app.screen is screen and bool(screen.query(ready)))
    await settle(app, pilot)


def row_text(table, index: int) -> list[str]:
    """A table row's cells as the plain text shown (cells are plain-text objects, never markup)."""
    return [str(cell) for cell in table.get_row_at(index)]


async def open_summary(app: AssessorApp, pilot) -> None:
    """Press f4 and wait until the summary is showing, drawn."""
    from assessor.screens.summary import SummaryScreen

    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
    await settle(app, pilot)
