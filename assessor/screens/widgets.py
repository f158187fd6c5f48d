"""Small widgets, and a helper, several screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.filter import LineFilter
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, LoadingIndicator, Static

from assessor.report.safe_text import without_controls

if TYPE_CHECKING:
    from assessor.app import AssessorApp


class DrawnFrom:
    """What a screen was last drawn from, so it is drawn again only when that changed.

    A screen is shown again on every return to it; 5,000 rows must not be listed again
    when nothing changed. Campaigns are replaced, not changed in place, so the same
    campaign object means the same content.
    """

    def __init__(self) -> None:
        self._last: tuple | None = None

    def changed(self, campaign: object, *choices: object) -> bool:
        """True (and remembered) unless this campaign with these choices was drawn last."""
        if self._last is not None and self._last[0] is campaign and self._last[1:] == choices:
            return False
        self._last = (campaign, *choices)
        return True


class KeyFooter(Footer):
    """The footer, compact, in order of need: `f1 Help`, the screen's keys, the focused pane's, the mode keys.

    At 80 columns only the first keys fit: help and the screen's own keys (declared in
    order of need) must be among them; a set-up pane lists its keys above it too, and the
    mode keys are in the help and the palette, so those are the ones to lose.
    """

    DEFAULT_CSS = """
    KeyFooter.-compact FooterLabel { margin: 0 1 0 0; }
    /* Docked right, a margin would leave the last column to whatever key scrolled beneath it ("palettea"). */
    KeyFooter.-compact FooterKey.-command-palette { margin-right: 0; padding-right: 1; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        active = self.screen.active_bindings
        placed: list[tuple[int, Widget]] = []
        for widget in super().compose():
            key = str(getattr(widget, "key", ""))
            if widget.has_class("-command-palette"):
                rank = 4
            elif not key:  # a group's label goes with its keys
                rank = placed[-1][0] if placed else 1
            else:
                node = active[key].node if key in active else None
                rank = 0 if key == "f1" else 1 if node is self.screen else 3 if node is self.app else 2
            placed.append((rank, widget))
        yield from (widget for _, widget in sorted(placed, key=lambda pair: pair[0]))  # stable: each group keeps its order


PANE_SCROLL_BINDINGS = [
    Binding("ctrl+down", "scroll_pane(1)", "Scroll the pane down", show=False, priority=True, id="pane-down"),
    Binding("ctrl+up", "scroll_pane(-1)", "Scroll the pane up", show=False, priority=True, id="pane-up"),
]
"""Keys that scroll a screen's long pane (indicators, evidence) wherever the focus is: at 24 rows it does not fit."""


class ScrollsPane:
    """A screen with a long pane, `PANE` (a VerticalScroll), that `ctrl+down` and `ctrl+up` scroll a page at a time."""

    PANE = ""

    def action_scroll_pane(self, step: int) -> None:
        """Scroll the pane by a page (less a line, to keep the reader's place)."""
        pane = cast(Screen, self).query_one(self.PANE, VerticalScroll)
        pane.scroll_relative(y=step * max(1, pane.size.height - 1), animate=False)


class SaveStatus(Static):
    """One line above the footer: the campaign's status and whether changes are saved."""

    DEFAULT_CSS = """
    SaveStatus {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "save_note", self._show)

    def _show(self, note: str) -> None:
        session = cast("AssessorApp", self.app).session
        status = f"status {session.campaign.campaign.status} · " if session is not None else ""
        self.update(f"{status}{note}")

    def refresh_note(self) -> None:
        """Show the app's note on saving again (after the campaign's status changed)."""
        self._show(cast("AssessorApp", self.app).save_note)


class LoadingScreen(Screen[None]):
    """Shown while a campaign file is read and checked in a worker (big files take a while)."""

    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen Static { width: auto; color: $text-muted; }
    LoadingScreen LoadingIndicator { height: 3; }
    """

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Static(self.what, id="loading-what")


class ControlsLeftOut(LineFilter):
    """The last guard between people's text and the terminal (or the browser): a control character,
    a bidirectional override or an invisible character left in a line's text is dropped. Each takes
    no room, so the layout stays as it was; where the app shows people's text it shows them as codes
    first (`report.safe_text.visible`), and this catches whatever a widget shows as given."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The line with every such character left out of its text (the terminal's own controls kept)."""
        return [segment if segment.control else Segment(without_controls(segment.text), segment.style) for segment in segments]


CONTROLS_LEFT_OUT = ControlsLeftOut()


class RowTable(DataTable[Any]):
    """A table read a row at a time: `home` and `end` go to its first and last row."""

    BINDINGS = [
        Binding("home", "first_row", "First row", show=False, id="table-first"),
        Binding("end", "last_row", "Last row", show=False, id="table-last"),
    ]

    def action_first_row(self) -> None:
        """The cursor to the first row."""
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        """The cursor to the last row."""
        self.move_cursor(row=max(self.row_count - 1, 0))


def as_sentence(message: str) -> str:
    """A message as a sentence, its first letter a capital, unless it starts with a file's path or
    name (`campaigns/hod.sheets/raman.toml: locked by ...`), which stays as it is written."""
    first = message.split(" ", 1)[0].rstrip(":")
    if "/" in first or first.endswith((".toml", ".lock", ".csv", ".xlsx")):
        return message
    return message[:1].upper() + message[1:]
