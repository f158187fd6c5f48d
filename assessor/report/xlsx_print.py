"""How a workbook's sheets look on screen and on paper: columns fitted to their text, longer
text wrapped in rows tall enough for it, every cell aligned at the top (so that a note is
level with its own row), and the page set-up: A4 landscape, one page wide.

Fitted one page wide, a spreadsheet shrinks the whole sheet until its columns fit the page: a
table twice as wide as the page prints at half its font size. `printed_points` works that size
out as Excel and LibreOffice do (a column's width counts characters of the default font,
Calibri 11: 7 pixels each, at 0.75 points a pixel), and `fit_columns` narrows the columns whose
text may wrap, no further than `MIN_TEXT_WIDTH`, until the sheet prints at `LEGIBLE_POINTS` or
more where it can.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from datetime import datetime

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT_POINTS = 11
"""The workbook's font size: openpyxl's default font, Calibri 11."""
LEGIBLE_POINTS = 8
"""The smallest size a sheet should print at."""
WIDTH_POINTS = 7 * 0.75
"""Points on paper of one unit of column width: the default font's digit, 7 pixels, at 0.75 points a pixel."""
A4_LANDSCAPE_POINTS = 297 / 25.4 * 72
"""The width of an A4 page turned landscape, in points."""
SIDE_MARGIN = 0.5
"""Inches of margin left and right (a spreadsheet's default is 0.75: this gives the table 7% more)."""
MAX_WIDTH = 60
"""Columns are fitted to their longest line up to this many characters; longer text wraps."""
MIN_TEXT_WIDTH = 12
"""Narrowest a column whose text wraps is made so that the sheet prints legibly."""
ROOMY_TEXT_WIDTH = 24
"""Narrower than this, a merit list's notes read better beside coded criteria than beside their names."""
PADDING = 2
"""Characters of width a column has beyond its text."""
LINE_HEIGHT = 15
"""Points a line of wrapped text takes in a row."""
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

TOP = Alignment(vertical="top")
"""Every cell's alignment: at the top of its row, as wrapped text is, so that a row reads level."""
_WRAP = Alignment(wrap_text=True, vertical="top")


def printable_points() -> float:
    """The width of the page inside its margins, in points."""
    return A4_LANDSCAPE_POINTS - 72 * 2 * SIDE_MARGIN


def printed_points(sheet: Worksheet) -> float:
    """The font size the sheet prints at, fitted one page wide: its font scaled by the printable width over
    the width of its columns, in whole percent as spreadsheets scale, never enlarged."""
    units = sum(sheet.column_dimensions[get_column_letter(number)].width for number in range(1, sheet.max_column + 1))
    percent = min(100, math.floor(100 * printable_points() / (units * WIDTH_POINTS))) if units else 100
    return FONT_POINTS * percent / 100


def fit_columns(sheet: Worksheet, wrapping: Collection[str] = ()) -> int | None:
    """Each column as wide as its longest line, up to MAX_WIDTH; the columns lettered in `wrapping` narrower
    still, widest first and down to MIN_TEXT_WIDTH, while the sheet would print below LEGIBLE_POINTS. Text
    longer than its column, or of several lines, wraps, and its row is as tall as its lines.

    Returns the width of text the narrowest column narrowed so was left, or None if none was."""
    longest: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                letter = cell.column_letter
                longest[letter] = max(longest.get(letter, 0), max(len(line) for line in _text(cell.value).split("\n")))
    widths = {letter: min(length, MAX_WIDTH) for letter, length in longest.items()}
    scale = math.ceil(100 * LEGIBLE_POINTS / FONT_POINTS)  # in whole percent, as spreadsheets scale: 73
    legible = printable_points() / WIDTH_POINTS * 100 / scale - PADDING * len(widths)
    narrowed: set[str] = set()
    while sum(widths.values()) > legible:
        narrowing = [letter for letter in wrapping if widths.get(letter, 0) > MIN_TEXT_WIDTH]
        if not narrowing:
            break
        widest = max(narrowing, key=widths.__getitem__)
        widths[widest] -= 1
        narrowed.add(widest)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width + PADDING
    # Rows as tall as their wrapped text: a spreadsheet keeps the default height, and wrapped lines would overlap in print.
    for number, row in enumerate(sheet.iter_rows(), start=1):
        lines = 1
        for cell in row:
            if cell.value is None:
                continue
            text, width = _text(cell.value), widths[cell.column_letter]
            wraps = "\n" in text or any(len(line) > width for line in text.split("\n"))
            cell.alignment = _WRAP if wraps else TOP
            if wraps:
                lines = max(lines, sum(max(1, -(-len(line) // width)) for line in text.split("\n")))
        if lines > 1:
            sheet.row_dimensions[number].height = LINE_HEIGHT * lines
        elif number in sheet.row_dimensions:  # fitted again, to text that no longer wraps
            sheet.row_dimensions[number].height = None
    return min((widths[letter] for letter in narrowed), default=None)


def _text(value: object) -> str:
    return TIME_FORMAT if isinstance(value, datetime) else str(value)


def print_setup(sheet: Worksheet, title: str) -> None:
    """Printed on A4 landscape, one page wide, the header row on every page, the title and page numbers on each."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=SIDE_MARGIN, right=SIDE_MARGIN)
    if sheet.max_row > 1:
        sheet.print_title_rows = "1:1"
    sheet.print_area = sheet.dimensions
    header, footer = sheet.oddHeader, sheet.oddFooter
    if header is not None and footer is not None:
        header.center.text = title.replace("&", "&&")  # & starts a header code
        footer.center.text = "Page &P of &N"
