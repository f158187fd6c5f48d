"""Small widgets several screens share."""

from __future__ import annotations

from textual.widgets import Static


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
