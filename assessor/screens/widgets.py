"""Small widgets, and a helper, several screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

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
