"""The diversity monitoring report as an .xlsx workbook: the same tables as the text and HTML.

Sheets: *By group* (per characteristic, how many reached each step, then each step's rate and ratio,
a flagged ratio filled and bold), *Flags*, *Schemes* and *About* (the files covered and how to read
the numbers). Numbers are numbers; a withheld count is the text `<5` or `[c]`; text is always stored
as text, never as a formula. Every sheet prints on A4 landscape, one page wide.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from assessor import __version__
from assessor.report.monitoring_plain import heading_lines, legend_lines, mark
from assessor.report.safe_text import visible_line
from assessor.rules.impact import MonitoringReport, Shown

CellValue = str | int | float | None
BOLD = Font(bold=True)
FLAGGED = PatternFill(fill_type="solid", fgColor="FFFCE4D6")
TOP = Alignment(vertical="top", wrap_text=False)
RATE_FORMAT = "0%"
RATIO_FORMAT = "0.00"


def render_monitoring_xlsx(report: MonitoringReport) -> bytes:
    """The workbook's bytes, built in memory so the caller can write them atomically."""
    workbook = Workbook()
    title = heading_lines(report)[0]
    workbook.properties.title = title
    workbook.properties.creator = f"assessor {__version__}"
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "By group"
    _by_group(sheet, report)
    flags = workbook.create_sheet("Flags")
    _write(flags, 1, ["Characteristic", "Group", "Step", "Ratio"], bold=True)
    names = {step.id: step.name for step in report.steps}
    tables = {table.id: table for table in report.tables}
    for row, flag in enumerate(report.flags, start=2):
        group = next(found.name for found in tables[flag.characteristic].rows if found.id == flag.group)
        _write(flags, row, [tables[flag.characteristic].name, group, names[flag.step], _cut(flag.ratio)])
        flags.cell(row, 4).number_format = RATIO_FORMAT
    schemes = workbook.create_sheet("Schemes")
    _write(schemes, 1, ["Scheme", *report.scheme_steps.values()], bold=True)
    for row, scheme in enumerate(report.schemes, start=2):
        _write(schemes, row, [scheme.name, *[_count(scheme.cells[step], report.min_group) for step in report.scheme_steps]])
    about = workbook.create_sheet("About")
    _write(about, 1, ["Diversity monitoring"], bold=True)
    for row, line in enumerate([*heading_lines(report), "", *legend_lines(report.min_group)], start=2):
        _write(about, row, [line.strip()])
    for each in workbook.worksheets:
        _fit(each)
        _print_setup(each, title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _by_group(sheet: Worksheet, report: MonitoringReport) -> None:
    """Per characteristic: a heading row, a header row, a row per group; a blank row between."""
    steps = report.known
    row = 1
    for table in report.tables:
        _write(sheet, row, [table.name], bold=True)
        header = ["Group", *[step.name for step in steps]]
        for step in steps[1:]:
            header += [f"{step.short}: rate", f"{step.short}: ratio"]
        _write(sheet, row + 1, header, bold=True)
        row += 2
        for group in table.rows:
            values: list[CellValue] = [group.name, *[_count(group.cells[step.id], report.min_group) for step in steps]]
            for step in steps[1:]:
                shown = group.cells[step.id]
                values += [None if shown.rate is None else _cut(shown.rate), None if shown.ratio is None else _cut(shown.ratio)]
            _write(sheet, row, values)
            for place, step in enumerate(steps[1:]):
                rate, ratio = sheet.cell(row, 2 + len(steps) + 2 * place), sheet.cell(row, 3 + len(steps) + 2 * place)
                rate.number_format, ratio.number_format = RATE_FORMAT, RATIO_FORMAT
                if group.cells[step.id].flagged:
                    ratio.fill, ratio.font = FLAGGED, BOLD
            row += 1
        row += 1


def _count(shown: Shown, min_group: int) -> CellValue:
    return shown.count if shown.withheld is None else mark(shown, min_group)


def _cut(value: Fraction) -> float:
    """To four places, cut rather than rounded: a flagged ratio never shows 0.80."""
    return math.floor(value * 10_000) / 10_000


def _write(sheet: Worksheet, row: int, values: Sequence[CellValue], *, bold: bool = False) -> None:
    """One row of cells: text stays text (never a formula), with no control characters."""
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", visible_line(value)) or None
        cell = sheet.cell(row=row, column=column, value=value)
        cell.alignment = TOP
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would take "=..." for a formula
        if bold:
            cell.font = BOLD


def _fit(sheet: Worksheet) -> None:
    """Each column as wide as its longest value, within reason (the first column holds the names)."""
    for number, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max((len(str(value)) for value in column if value is not None), default=6)
        sheet.column_dimensions[get_column_letter(number)].width = min(max(longest + 2, 8), 60 if number == 1 else 24)


def _print_setup(sheet: Worksheet, title: str) -> None:
    """A4 landscape, one page wide, the report's title at the head of each page and page numbers at the foot."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    header, footer = sheet.oddHeader, sheet.oddFooter
    if header is not None and footer is not None:
        header.center.text = ILLEGAL_CHARACTERS_RE.sub("", visible_line(title)).replace("&", "&&")  # & starts a header code
        footer.center.text = "Page &P of &N"
