"""The summary as an .xlsx workbook: Merit list, Scores, Moderation and Set-up sheets.

Like every format it only presents: ranks, outcomes, totals, agreed scores, flags and
the panel's scores are copied from the `Summary` that `scoring.summarise` computed. The
campaign gives descriptive text only: names of criteria, stages, methods and panel
members, the evidence and time of each score, who agreed a score and when, the set-up.

Candidates appear as the summary shows them (`display_name`), so a name-blind sift
summary holds references, never names, on every sheet. Numbers are stored as numbers
and text always as text: evidence that starts with `=` is never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from assessor import __version__
from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.wording import SECOND_MARKING_HEADINGS, campaign_facts, heading, outcome_text, outcome_words, second_marking_rows
from assessor.rules.summary_types import FLAG_WORDS, Summary

OUTCOME_FILLS = {  # ARGB: the pale fills spreadsheet users read as good, neutral and bad
    "appointable": "FFC6EFCE",  # green
    "reserve": "FFDDEBF7",  # blue
    "pass": "FFE2EFDA",  # pale green
    "guaranteed": "FFE2EFDA",  # pale green: goes on, as a pass does
    "not-shortlisted": "FFFCE4D6",  # pale orange
    "fail": "FFFFC7CE",  # red
    "incomplete": "FFFFEB9C",  # amber
    "withdrawn": "FFD9D9D9",  # grey
}
MAX_WIDTH = 60
"""Columns are fitted to their longest line up to this many characters; longer text wraps."""
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
LINE_HEIGHT = 15
"""Points a line of wrapped text takes in a row."""

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

CellValue = str | int | float | datetime | None
Row = Iterable[CellValue]
"""One row of a sheet: text, numbers, times, or nothing."""


def render_xlsx(summary: Summary, campaign: Campaign, framework: Framework) -> bytes:
    """The workbook's bytes, built in memory so the caller can write them atomically."""
    workbook = Workbook()
    workbook.properties.title = heading(campaign, summary)
    workbook.properties.creator = f"assessor {__version__}"
    merit = workbook.active
    assert merit is not None  # a new workbook has one sheet
    merit.title = "Merit list"
    _merit_list(merit, summary, campaign)
    _scores(workbook.create_sheet("Scores"), summary, campaign)
    _moderation(workbook.create_sheet("Moderation"), summary, campaign)
    _setup(workbook.create_sheet("Set-up"), campaign, framework)
    if summary.second_marking:
        sheet = workbook.create_sheet("Second marking")
        _write(sheet, 1, list(SECOND_MARKING_HEADINGS), bold=True)
        for row, found in enumerate(summary.second_marking, start=2):
            words = second_marking_rows(campaign, summary)[row - 2]
            _write(sheet, row, [words[0], words[1], found.items, found.agreement, found.mean_difference, found.wide])
    for sheet in workbook.worksheets:
        _print_setup(sheet, heading(campaign, summary))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _who_label(summary: Summary) -> str:
    return "Name" if summary.names_shown else "Reference"


def _merit_list(sheet: Worksheet, summary: Summary, campaign: Campaign) -> None:
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    several = len(summary.stages) > 1
    criteria = [f"{c.criterion.name} ({stage_names.get(c.stage, c.stage)})" if several else c.criterion.name for c in summary.columns]
    _write(sheet, 1, ["Rank", "Candidate", _who_label(summary), "Outcome", "Total", *criteria, "Flags", "Notes"], bold=True)
    outcome_column = 4
    for row, result in enumerate(summary.candidates, start=2):
        words = outcome_words(result)
        notes = ([words] if words != outcome_text(result) else []) + list(result.notes)
        _write(
            sheet,
            row,
            [
                result.rank,
                result.id,
                result.display_name,
                result.outcome,
                None if result.total is None else round(result.total, 2),
                *[None if item.agreed is None else round(item.agreed, 2) for item in result.items],
                "; ".join(FLAG_WORDS[flag] for flag in result.flags),
                "; ".join(notes),
            ],
        )
        if result.outcome is not None:
            sheet.cell(row, outcome_column).fill = PatternFill(fill_type="solid", fgColor=OUTCOME_FILLS[result.outcome])
        for column, item in enumerate(result.items, start=6):
            if item.moderated:
                sheet.cell(row, column).font = _BOLD
    _finish_table(sheet)
    if any(item.moderated for result in summary.candidates for item in result.items):
        # below the table, so that sorting and filtering the table leave it alone
        _write(sheet, len(summary.candidates) + 3, ["", "Bold: agreed by the chair at moderation (see the Moderation sheet)."])


def _scores(sheet: Worksheet, summary: Summary, campaign: Campaign) -> None:
    """Every panel member's own score on the summarised stages, with its evidence, in merit order."""
    criteria = {criterion.id: criterion.name for criterion in campaign.criteria}
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    panel = {member.id: member.name for member in campaign.panel}
    rows = {(s.candidate, s.criterion, s.stage, s.assessor): s for s in campaign.scores}
    _write(sheet, 1, ["Candidate", _who_label(summary), "Criterion", "Stage", "Panel member", "Score", "Evidence", "Time (UTC)"], bold=True)
    row = 2
    for result in summary.candidates:
        for item in result.items:
            for assessor, value in item.scores.items():
                score = rows.get((result.id, item.criterion, item.stage, assessor))
                _write(
                    sheet,
                    row,
                    [
                        result.id,
                        result.display_name,
                        criteria.get(item.criterion, item.criterion),
                        stage_names.get(item.stage, item.stage),
                        panel.get(assessor, assessor),
                        value,
                        score.evidence if score else None,
                        score.at if score else None,
                    ],
                )
                row += 1
    _finish_table(sheet)


def _moderation(sheet: Worksheet, summary: Summary, campaign: Campaign) -> None:
    """The chair's agreed scores on the summarised stages, with rationales, in merit order."""
    criteria = {criterion.id: criterion.name for criterion in campaign.criteria}
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    panel = {member.id: member.name for member in campaign.panel}
    agreed = {m.item: m for m in campaign.moderation}
    _write(sheet, 1, ["Candidate", _who_label(summary), "Criterion", "Stage", "Agreed score", "Rationale", "By", "Time (UTC)"], bold=True)
    row = 2
    for result in summary.candidates:
        for item in result.items:
            if not item.moderated:
                continue
            record = agreed.get((result.id, item.criterion, item.stage))
            _write(
                sheet,
                row,
                [
                    result.id,
                    result.display_name,
                    criteria.get(item.criterion, item.criterion),
                    stage_names.get(item.stage, item.stage),
                    item.agreed,
                    item.rationale,
                    panel.get(record.by, record.by) if record else None,
                    record.at if record else None,
                ],
            )
            row += 1
    _finish_table(sheet)


def _setup(sheet: Worksheet, campaign: Campaign, framework: Framework) -> None:
    """The campaign's facts, criteria, stages and panel, one section under another."""
    info = campaign.campaign
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    methods = {method.id: method.name for method in framework.methods}
    rows: list[tuple[list[CellValue], bool]] = [(["Campaign"], True)]
    rows += [([label, value], False) for label, value in [("Title", info.title), ("Campaign id", info.id), ("Status", info.status)]]
    rows += [([label, value], False) for label, value in campaign_facts(campaign, framework)]
    rows += [([], False), (["Criteria"], True)]
    rows.append((["Criterion", "Id", "Element", "Stages", "Pass mark", "Weight", "Lead", "Tie-break"], True))
    for criterion in campaign.criteria:
        tie = info.tie_break.index(criterion.id) + 1 if criterion.id in info.tie_break else None
        stages = ", ".join(stage_names.get(stage, stage) for stage in criterion.stages)
        rows.append(
            (
                [
                    criterion.name,
                    criterion.id,
                    criterion.element,
                    stages,
                    criterion.pass_mark,
                    criterion.weight,
                    "lead" if criterion.lead else None,
                    tie,
                ],
                False,
            )
        )
    rows += [([], False), (["Stages"], True), (["Stage", "Id", "Selection methods", "Counted"], True)]
    for stage in campaign.stages:
        names = ", ".join(methods.get(method, method) for method in stage.methods)
        rows.append(([stage.name, stage.id, names, "yes" if stage.id in campaign.counted_stages else "no"], False))
    rows += [([], False), (["Panel"], True), (["Name", "Id", "Role"], True)]
    rows += [([member.name, member.id, member.role], False) for member in campaign.panel]
    for number, (values, bold) in enumerate(rows, start=1):
        _write(sheet, number, values, bold=bold)
    _fit_columns(sheet)


def _write(sheet: Worksheet, row: int, values: Row, *, bold: bool = False) -> None:
    """One row of cells: text stays text, times lose their zone (the headers say UTC), empty is empty."""
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) or None  # control characters cannot be stored
        elif isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would take "=..." for a formula
        elif isinstance(value, datetime):
            cell.number_format = TIME_FORMAT
        if bold:
            cell.font = _BOLD


def _finish_table(sheet: Worksheet) -> None:
    """A table whose first row is its header: freeze it, let it filter, fit the columns."""
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)


def _fit_columns(sheet: Worksheet) -> None:
    """Each column as wide as its longest line, up to MAX_WIDTH; wider or multi-line text wraps."""
    widths: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = TIME_FORMAT if isinstance(cell.value, datetime) else str(cell.value)
            longest = max(len(line) for line in text.split("\n"))
            if longest > MAX_WIDTH or "\n" in text:
                cell.alignment = _WRAP
            letter = cell.column_letter
            widths[letter] = max(widths.get(letter, 0), longest)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = min(width, MAX_WIDTH) + 2
    # Rows as tall as their wrapped text: a spreadsheet keeps the default height, and wrapped lines would overlap in print.
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        lines = 1
        for cell in row:
            if cell.value is not None and cell.alignment.wrap_text:
                width = min(widths.get(cell.column_letter, MAX_WIDTH), MAX_WIDTH)
                lines = max(lines, sum(max(1, -(-len(line) // width)) for line in str(cell.value).split("\n")))
        if lines > 1:
            sheet.row_dimensions[number].height = LINE_HEIGHT * lines


def _print_setup(sheet: Worksheet, title: str) -> None:
    """Printed on A4 landscape, one page wide, the header row on every page, the title and page numbers on each."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if sheet.max_row > 1:
        sheet.print_title_rows = "1:1"
    sheet.print_area = sheet.dimensions
    header, footer = sheet.oddHeader, sheet.oddFooter
    if header is not None and footer is not None:
        header.center.text = title.replace("&", "&&")  # & starts a header code
        footer.center.text = "Page &P of &N"
