"""Pick a campaign file from a folder (the app opened without a FILE)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from assessor.messages import CampaignChosen


class PickerScreen(Screen[None]):
    """The campaign files in a folder; enter opens one."""

    CSS_PATH = "picker.tcss"
    BINDINGS = [Binding("q", "app.quit", "Quit", id="quit")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        files = sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []
        if files:
            yield Static(f"Campaigns in {self.folder}/ — choose one and press enter", id="picker-title")
            yield OptionList(*(Option(path.name, id=str(path)) for path in files), id="campaign-files")
        else:
            yield Static(
                f"No campaign files in {self.folder}/. Create one with\n"
                "  assessor new campaigns/NAME.toml --role head-of-digital --level 5",
                id="picker-empty",
            )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen file."""
        assert event.option.id is not None
        self.post_message(CampaignChosen(Path(event.option.id)))
