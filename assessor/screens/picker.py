"""Pick a campaign file from the campaigns folder, or start a new one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from assessor.messages import CampaignChosen, NewCampaignRequested
from assessor.screens.columns import CELL_PADDING, Column, Rows, fitted_table, room_of
from assessor.screens.widgets import KeyFooter, RowTable

if TYPE_CHECKING:
    from assessor.storage.campaign_file import CampaignPeek


COLUMNS = (
    Column("File", least=12, gives=3),
    Column("Title", least=20),
    Column("Role"),
    Column("Status"),
    Column("Candidates", short="Cands", gives=2),
    Column("Last change", least=10, short="Changed"),
)
"""The title gives way first, and the last change (to its date), then the candidates' heading, then the file name."""
ROLE = 2
"""The role, mostly in the title already, is a column only where every column fits whole beside it;
the line under the table says it for the highlighted file."""


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
        yield Static("", id="picker-detail", markup=False)
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
        self._fill(table)
        self.query_one("#picker-empty").display = not self.files
        table.display = self.query_one("#picker-detail").display = bool(self.files)
        table.focus()

    def on_resize(self) -> None:
        self._fill(self.query_one("#campaign-files", DataTable))

    def _rows(self, *, role: bool, dated: bool = False) -> Rows:
        """A row a file: the role's cell left out unless `role`, the last change as its date alone if `dated`."""
        rows = []
        for peek in self.files:
            if peek.problem:
                cells = [peek.path.name, f"cannot be read: {peek.problem}", "", "", "", ""]
            else:
                changed = peek.last_change.split(" ")[0] if dated else peek.last_change
                cells = [peek.path.name, peek.title, peek.role, peek.status, str(peek.candidates), changed]
            rows.append((str(peek.path), cells if role else cells[:ROLE] + cells[ROLE + 1 :]))
        return rows

    def _fill(self, table: DataTable[object]) -> None:
        """The files in columns that fit the table's width, nothing wrapped, the cursor kept."""
        room, row = room_of(table), table.cursor_row
        unreadable = {str(peek.path) for peek in self.files if peek.problem}  # a reason may be cut: the line under the table has it
        rows = [(key, cells) for key, cells in self._rows(role=True) if key not in unreadable]
        whole = [max([len(column.label), *(len(str(cells[place])) for _, cells in rows)]) for place, column in enumerate(COLUMNS)]
        role = sum(whole) + CELL_PADDING * len(whole) <= room
        columns = COLUMNS if role else COLUMNS[:ROLE] + COLUMNS[ROLE + 1 :]
        fitted_table(table, columns, self._rows(role=role), room, shorter=lambda: self._rows(role=role, dated=True))
        if self.files:
            table.move_cursor(row=min(row, len(self.files) - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted file in full under the table: what a narrow column cut, the role, or why it cannot be read."""
        peek = next((peek for peek in self.files if str(peek.path) == event.row_key.value), None)
        if peek is None:
            return
        if peek.problem:
            words = f"{peek.path.name} cannot be read: {peek.problem}"
        else:
            role = f" · role {peek.role}" if peek.role else ""
            words = f"{peek.title}{role} · {peek.status} · {peek.candidates} candidates · last change {peek.last_change or 'none'}"
        self.query_one("#picker-detail", Static).update(words)

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
