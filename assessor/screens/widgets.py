"""Small widgets several screens share."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static


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
        session = getattr(self.app, "session", None)
        status = f"status {session.campaign.campaign.status} · " if session is not None else ""
        self.update(f"{status}{note}")


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
