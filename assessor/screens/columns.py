"""Tables that fit the terminal: names and words give way before numbers are dropped.

A screen lists its columns with their cells as plain text; `fitted_table` sets each
column's width so that the whole row fits the room the table has (80 columns at the
least), cutting the columns that may give way, widest first, down to their least width,
with an ellipsis where a cell was cut. Cells are shown as plain text, never as markup:
a candidate's name is what they typed, brackets and all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from assessor.report.safe_text import visible_line

CELL_PADDING = 2
"""A DataTable cell's padding, one each side."""

SCROLLBAR = 2
"""Room kept for the table's vertical scrollbar."""


@dataclass(frozen=True)
class Column:
    """One column: its label, a shorter label for when it is narrow, and how narrow it may go."""

    label: str
    least: int = 0
    """The narrowest it may become; 0 keeps it as wide as its widest cell (numbers, codes)."""
    short: str = ""
    """The label shown when the column is narrower than `label`."""
    gives: int = 1
    """When it gives way: every column of 1 down to its least before any of 2, and so on."""


def fit_widths(natural: Sequence[int], least: Sequence[int], room: int, gives: Sequence[int] | None = None) -> list[int]:
    """Widths no wider than `natural` that fit `room` with the cells' padding.

    Columns give way in the order of `gives` (all 1 by default), the widest of a rank first,
    each down to its `least`; what still does not fit scrolls sideways.
    """
    widths = list(natural)
    order = list(gives) if gives is not None else [1] * len(widths)
    excess = sum(widths) + CELL_PADDING * len(widths) - room
    for rank in sorted(set(order)):
        while excess > 0:
            flexible = [index for index, width in enumerate(widths) if order[index] == rank and width > least[index]]
            if not flexible:
                break
            widest = max(flexible, key=lambda index: widths[index])
            widths[widest] -= 1
            excess -= 1
    return widths


def plain(text: str, style: str = "") -> Text:
    """A cell as plain text, cut with an ellipsis when its column is narrower; a control character
    in it (an applicant's name may hold one) shown as its code, never sent (`report.safe_text`)."""
    return Text(visible_line(text), style=style, no_wrap=True, overflow="ellipsis", end="")


Rows = Sequence[tuple[str, Sequence[str | Text]]]
"""A table's rows: each a key and its cells."""


def column_widths(columns: Sequence[Column], rows: Rows, room: int) -> list[int]:
    """The width of each column for these rows' cells, fitted to `room`."""
    natural, least = [], []
    for place, column in enumerate(columns):
        widest = max((len(str(cells[place])) for _, cells in rows), default=0)
        label = len(column.short or column.label)
        natural.append(max(widest, len(column.label)))
        least.append(max(column.least, label) if column.least else max(widest, label))
    return fit_widths(natural, least, room, [column.gives for column in columns])


def fit_columns(table: DataTable, columns: Sequence[Column], rows: Rows, room: int, widths: list[int] | None = None) -> list[int]:
    """Empty `table` and give it `columns` fitted to `room` for these rows' cells (or the `widths` worked out
    already); the rows are added by the caller. Returns the widths."""
    widths = widths or column_widths(columns, rows, room)
    table.clear(columns=True)
    for column, width in zip(columns, widths, strict=True):
        table.add_column(column.label if len(column.label) <= width else (column.short or column.label), width=width)
    return widths


def plain_row(cells: Sequence[str | Text]) -> list[Text]:
    """A row's cells as plain text (a styled cell kept as it is), cut with an ellipsis where its column is narrower."""
    return [cell if isinstance(cell, Text) else plain(cell) for cell in cells]


def fitted_table(table: DataTable, columns: Sequence[Column], rows: Rows, room: int, *, shorter: Callable[[], Rows] | None = None) -> bool:
    """Fill `table` with `rows` in columns fitted to `room`. Where the last column would cut its widest cell
    and `shorter` is given, the rows it makes (that column shorter: flags as letters) are shown instead, and
    True is returned: the table is filled once either way."""
    widths = column_widths(columns, rows, room)
    cut = shorter is not None and widths[-1] < max((len(str(cells[-1])) for _, cells in rows), default=0)
    if cut:
        assert shorter is not None
        rows = shorter()
        widths = column_widths(columns, rows, room)
    fit_columns(table, columns, rows, room, widths)
    for key, cells in rows:
        table.add_row(*plain_row(cells), key=key)
    return cut


def room_of(table: DataTable, margin: int = 4) -> int:
    """The cells' room in `table`: its laid-out width, or the screen's less its margins before the first layout."""
    width = table.size.width or table.app.size.width - margin
    return max(width - SCROLLBAR, 20)
