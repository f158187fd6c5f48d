"""The Textual app: wiring only. Screens live in `assessor/screens/`."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding

from assessor.errors import CampaignError
from assessor.messages import CampaignChosen
from assessor.screens.campaign import CampaignScreen
from assessor.screens.picker import PickerScreen
from assessor.store import CampaignFile, open_campaign


class AssessorApp(App[None]):
    """One campaign for one role: set-up, scoring, moderation and the summary."""

    TITLE = "assessor"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit-app", show=False)]

    def __init__(self, path: Path | None = None, *, as_member: str | None = None, folder: Path = Path("campaigns")) -> None:
        super().__init__()
        self.path = path
        self.as_member = as_member
        self.folder = folder
        self.opened: CampaignFile | None = None

    def on_mount(self) -> None:
        if self.path is None:
            self.push_screen(PickerScreen(self.folder))
        else:
            self.open_file(self.path)

    def on_campaign_chosen(self, message: CampaignChosen) -> None:
        self.open_file(message.path)

    @work(thread=True, exclusive=True, group="open")
    def open_file(self, path: Path) -> None:
        """Load a campaign off the event loop, then show it (or say why not)."""
        try:
            opened = open_campaign(path)
        except CampaignError as exc:
            self.call_from_thread(self.notify, exc.first_line, title="Cannot open", severity="error", timeout=10)
            if not self.screen_stack or self.screen_stack[-1] is self.screen_stack[0]:
                self.call_from_thread(self.push_screen, PickerScreen(path.parent))
            return
        self.call_from_thread(self._show, opened)

    def _show(self, opened: CampaignFile) -> None:
        self.opened = opened
        self.push_screen(CampaignScreen(opened))
