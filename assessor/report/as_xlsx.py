"""The summary as an .xlsx workbook: Merit list, Scores, Moderation and Set-up sheets.

Like every format it only presents: ranks, outcomes, totals, agreed scores, flags and
the panel's scores are copied from the `Summary` that `scoring.summarise` computed. The
campaign gives descriptive text only: names of criteria, stages, methods and panel
members, the evidence and time of each score, who agreed a score and when, the set-up.

Candidates appear as the summary shows them (`display_name`), so a name-blind sift
summary holds references, never names, on every sheet. Numbers are stored as numbers
and text always as text: evidence that starts with `=` is never a formula.

The merit list prints one A4 landscape page wide at 8 points or more (`xlsx_print`): its
criteria are headed by name where that fits, else by the codes the HTML archive uses
(`Cr1`, `Cr2`, ...) with their key under the table.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessor import __version__
from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.print_parts import criterion_key
from assessor.report.wording import SECOND_MARKING_HEADINGS, campaign_facts, heading, outcome_text, outcome_words, second_marking_rows
from assessor.report.xlsx_print import LEGIBLE_POINTS, ROOMY_TEXT_WIDTH, TIME_FORMAT, TOP, fit_columns, print_setup, printed_points
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

_BOLD = Font(bold=True)

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
        _finish_table(sheet, wrapping=(1, 2))
    for sheet in workbook.worksheets:
        print_setup(sheet, heading(campaign, summary))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _who_label(summary: Summary) -> str:
    return "Name" if summary.names_shown else "Reference"


def _merit_list(sheet: Worksheet, summary: Summary, campaign: Campaign) -> None:
    """One row per candidate in merit order; the criteria headed by name, or by code with their key under
    the table where the names would print smaller than LEGIBLE_POINTS or squeeze the notes to fit."""
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    several = len(summary.stages) > 1
    criteria = [f"{c.criterion.name} ({stage_names.get(c.stage, c.stage)})" if several else c.criterion.name for c in summary.columns]
    _write(sheet, 1, ["Rank", "Candidate", _who_label(summary), "Outcome", "Total", *criteria, "Flags", "Notes"], bold=True)
    outcome_column = 4
    wrapping = (3, 6 + len(criteria), 7 + len(criteria))  # the name, flags and notes wrap; numbers never
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
    narrowest = _finish_table(sheet, wrapping)
    key = criterion_key(summary, stage_names)
    squeezed = narrowest is not None and narrowest < ROOMY_TEXT_WIDTH
    coded = bool(key) and (squeezed or printed_points(sheet) < LEGIBLE_POINTS)
    if coded:  # the names would not fit: codes, as in the HTML archive
        _write(sheet, 1, ["Rank", "Candidate", _who_label(summary), "Outcome", "Total", *[code for code, _ in key]], bold=True)
        _finish_table(sheet, wrapping)
    # Below the table, so that sorting and filtering the table leave them alone.
    below = len(summary.candidates) + 3
    if any(item.moderated for result in summary.candidates for item in result.items):
        _write(sheet, below, ["", "Bold: agreed by the chair at moderation (see the Moderation sheet)."])
        below += 2
    if coded:
        _write(sheet, below, ["Code", "Criterion (stage)"], bold=True)
        for row, (code, words) in enumerate(key, start=below + 1):
            _write(sheet, row, [code, words])


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
    _finish_table(sheet, wrapping=(2, 3, 7))


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
    _finish_table(sheet, wrapping=(2, 3, 6))


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
    fit_columns(sheet, wrapping=("A", "B", "C"))


def _write(sheet: Worksheet, row: int, values: Row, *, bold: bool = False) -> None:
    """One row of cells: text stays text, times lose their zone (the headers say UTC), empty is empty;
    every cell at the top of its row."""
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) or None  # control characters cannot be stored
        elif isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones
        cell = sheet.cell(row=row, column=column, value=value)
        cell.alignment = TOP
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would take "=..." for a formula
        elif isinstance(value, datetime):
            cell.number_format = TIME_FORMAT
        if bold:
            cell.font = _BOLD


def _finish_table(sheet: Worksheet, wrapping: tuple[int, ...]) -> int | None:
    """A table whose first row is its header: freeze it, let it filter, fit the columns (those numbered
    in `wrapping` narrower where the sheet would print too small, their text wrapped: `fit_columns`)."""
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    return fit_columns(sheet, [get_column_letter(number) for number in wrapping])
