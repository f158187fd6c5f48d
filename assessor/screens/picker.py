"""Pick a campaign file from the campaigns folder, or start a new one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from assessor.messages import CampaignChosen, NewCampaignRequested
from assessor.screens.columns import plain_row
from assessor.screens.widgets import KeyFooter, RowTable

if TYPE_CHECKING:
    from assessor.storage.campaign_file import CampaignPeek


class PickerScreen(Screen[None]):
    """The campaign files in a folder with title, role, status, candidates, last change."""

    CSS_PATH = "picker.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="picker-open", priority=True),
        Binding("n", "new", "New campaign", id="picker-new"),
        Binding("q", "app.quit", "Quit", id="picker-quit"),
    ]

    def __init__(self, folder: Path, files: list[CampaignPeek]) -> None:
        super().__init__()
        self.folder = folder
        self.files = files

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Campaigns in {self.folder}/", id="picker-title", markup=False)
        yield RowTable(id="campaign-files", cursor_type="row", zebra_stripes=True)
        yield Static(
            f"No campaign files in {self.folder}/ yet. Press n to create one\n"
            "(or from the shell: assessor new campaigns/NAME.toml --role head-of-digital --level 5).",
            id="picker-empty",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "assessor"
        self.sub_title = "choose a campaign"
        table = self.query_one("#campaign-files", DataTable)
        table.add_columns("File", "Title", "Role", "Status", "Candidates", "Last change")
        for peek in self.files:
            name = peek.path.name
            if peek.problem:
                table.add_row(*plain_row([name, f"cannot be read: {peek.problem}", "", "", "", ""]), key=str(peek.path))
            else:
                table.add_row(*plain_row([name, peek.title, peek.role, peek.status, str(peek.candidates), peek.last_change]), key=str(peek.path))
        self.query_one("#picker-empty").display = not self.files
        table.display = bool(self.files)
        table.focus()

    def action_open(self) -> None:
        """Open the highlighted file."""
        table = self.query_one("#campaign-files", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        assert key.value is not None
        self.post_message(CampaignChosen(Path(key.value)))

    def action_new(self) -> None:
        """Create a new campaign."""
        self.post_message(NewCampaignRequested())
