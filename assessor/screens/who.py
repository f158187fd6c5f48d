"""Who is working: chosen once per session from the campaign's panel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assessor.core.campaign import Campaign


class WhoDialog(ModalScreen[str | None]):
    """Pick yourself from the panel; someone not on it may only set up. `escape` quits."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Quit", id="who-cancel")]

    def __init__(self, campaign: Campaign, os_user: str) -> None:
        super().__init__()
        self.campaign = campaign
        self.os_user = os_user

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Who are you? — {self.campaign.campaign.title}", classes="dialog-title")
            options = [Option(Content(f"{member.name} ({member.role})"), id=member.id) for member in self.campaign.panel]  # a name is never markup
            options.append(Option(Content(f"Not on the panel: set-up only, as {self.os_user}"), id=f"~{self.os_user}"))
            yield OptionList(*options, id="who")
            yield Static("enter: choose · esc: quit", classes="dialog-detail")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.dismiss(event.option.id.removeprefix("~"))

    def action_cancel(self) -> None:
        self.dismiss(None)
