"""Pick a campaign file from the campaigns folder, or start a new one."""

from __future__ import annotations

from datetime import date
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
    from assessor.storage.register import CampaignPeek


COLUMNS = (
    Column("File", least=12, gives=2),
    Column("Title", least=16),
    Column("Status"),
    Column("Seal"),
    Column("Due", least=14, gives=3),
    Column("Candidates", short="Cands", gives=2),
    Column("Reserve until", short="Reserve", least=10),
    Column("Retain until", short="Retain", least=10),
    Column("Role"),
    Column("Last change", least=10, short="Changed"),
)
"""The title and the dates' headings give way first, then the file name and the candidates' heading, then what is due."""
CUT_FIRST = (0, 1)
"""The file name and the title, which give way (to their least) before any column is left out."""
DROPPED_FIRST = (8, 9, 7, 6, 5)
"""Columns left out, one by one, while the rest cannot fit even at their least: the role (mostly in the
title, and in the line under the table), the last change, the retention date, the reserve date, the
candidates. The file, title, status, seal and what is due always show."""


class PickerScreen(Screen[None]):
    """The campaign files in a folder: title, status, seal, what is due, candidates, dates, role, last change;
    what is due first."""

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

    def _rows(self, shown: tuple[int, ...], *, dated: bool = False) -> Rows:
        """A row a file, with the columns `shown`; the last change as its date alone if `dated`."""
        rows = []
        for peek in self.files:
            facts = peek.facts
            if facts.problem:
                cells = [peek.path.name, "cannot be read", "", "", "file does not load", "", "", "", "", ""]  # why: under the table
            else:
                changed = facts.last_change.split(" ")[0] if dated else facts.last_change
                retain = facts.retain_until.isoformat() if facts.retain_until and facts.retain_until < date.max else ""
                reserve = facts.reserve_until.isoformat() if facts.reserve_until else ""
                due = "; ".join(item.words for item in peek.due)
                cells = [peek.path.name, facts.title, facts.status, facts.seal, due, str(facts.candidates), reserve, retain, facts.role, changed]
            rows.append((str(peek.path), [cells[place] for place in shown]))
        return rows

    def _fill(self, table: DataTable[object]) -> None:
        """The files in columns that fit the table's width, nothing wrapped, the cursor kept: the least
        needed columns left out while the rest cannot fit even at their least."""
        room, row = room_of(table), table.cursor_row
        shown = tuple(range(len(COLUMNS)))
        for drop in (None, *DROPPED_FIRST):
            shown = tuple(place for place in shown if place != drop)
            columns = [COLUMNS[place] for place in shown]
            rows = self._rows(shown)
            natural = [max([len(column.label), *(len(str(cells[index])) for _, cells in rows)]) for index, column in enumerate(columns)]
            # Kept while the file and the title alone give way: what is due is never cut for a column less needed.
            needed = [min(width, column.least) if place in CUT_FIRST else width for place, column, width in zip(shown, columns, natural, strict=True)]
            if sum(needed) + CELL_PADDING * len(columns) <= room:
                break
        fitted_table(table, columns, self._rows(shown), room, shorter=lambda: self._rows(shown, dated=True))
        if self.files:
            table.move_cursor(row=min(row, len(self.files) - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted file in full under the table: what a narrow column cut or left out, or why it cannot be read."""
        peek = next((peek for peek in self.files if str(peek.path) == event.row_key.value), None)
        if peek is None:
            return
        facts = peek.facts
        if facts.problem:
            words = f"{peek.path.name} cannot be read: {facts.problem}"
        else:
            parts = [facts.title, f"role {facts.role}" if facts.role else "", facts.status, f"seal {facts.seal}", f"{facts.candidates} candidates"]
            parts += [f"reserve until {facts.reserve_until.isoformat()}" if facts.reserve_until else ""]
            parts += [f"retain until {facts.retain_until.isoformat()}" if facts.retain_until and facts.retain_until < date.max else ""]
            parts += [f"last change {facts.last_change or 'none'}", f"due: {'; '.join(item.words for item in peek.due)}" if peek.due else ""]
            words = " · ".join(part for part in parts if part)
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
