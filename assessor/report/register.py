"""HR's register in every format: one row per campaign file, with what is due.

Text fits 80 columns (each campaign a line of its key facts and a line of what is due); CSV,
JSON, the workbook and HTML carry every column. Everything shown passes through `safe_text`:
a title is typed by people.
"""

from __future__ import annotations

import csv
import html
import io
import json
import textwrap
from datetime import date
from typing import Any

from assessor.changes.register import OFFER_RESULTS, Beside, CampaignFacts, Due, digest_state
from assessor.report.safe_text import json_safe, spreadsheet_text, visible, visible_line

COLUMNS = (
    "file", "id", "title", "role", "level", "status", "stage", "candidates", "vacancies", *OFFER_RESULTS,
    "seal", "digest", "reserve_until", "retain_until", "due", "problem",
)  # fmt: skip
"""The register's columns, in order, as CSV and JSON name them."""


def register_row(facts: CampaignFacts, beside: Beside, due: list[Due]) -> dict[str, Any]:
    """One campaign's row as plain data, with the keys of COLUMNS (`due` a list of words)."""
    day = date.isoformat
    return {
        "file": facts.file,
        "id": facts.id,
        "title": facts.title,
        "role": facts.role,
        "level": facts.level,
        "status": facts.status,
        "stage": facts.stage,
        "candidates": facts.candidates,
        "vacancies": facts.vacancies,
        **{result: facts.offers.get(result, 0) for result in OFFER_RESULTS},
        "seal": facts.seal if not facts.problem else "",
        "digest": digest_state(facts, beside) if not facts.problem else "",
        "reserve_until": day(facts.reserve_until) if facts.reserve_until else "",
        "retain_until": day(facts.retain_until) if facts.retain_until and facts.retain_until < date.max else "",
        "due": [item.words for item in due],
        "problem": facts.problem,
    }


def render_register(rows: list[dict[str, Any]], fmt: str, *, digests: bool) -> str:
    """The register as text, CSV or JSON (`digest` left out of text and CSV without `--digests`)."""
    columns = [column for column in COLUMNS if digests or column != "digest"]
    if fmt == "json":
        return json_safe(json.dumps({"campaigns": [{key: row[key] for key in columns} for row in rows]}, indent=2, ensure_ascii=False)) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([spreadsheet_text(visible_line(str(cell)) if isinstance(cell, str) else cell) for cell in _cells_of(row, columns)])
        return buffer.getvalue()
    if fmt == "html":
        return render_register_html(rows, columns)
    return _text(rows)


def _cells_of(row: dict[str, Any], columns: list[str]) -> list[Any]:
    return [("; ".join(row[column]) if column == "due" else row[column]) for column in columns]


def _wrapped(line: str) -> str:
    """A line of the text format within 80 columns, indented under its file."""
    return textwrap.fill(line, width=80, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False)


def _text(rows: list[dict[str, Any]]) -> str:
    """Two lines a campaign: file, status and stage, seal, candidates, dates; then what is due."""
    if not rows:
        return "No campaign files found.\n"
    out = []
    for row in rows:
        if row["problem"]:
            out += [visible_line(row["file"]), _wrapped(f"does not load: {visible_line(row['problem'])}")]
            continue
        stage = f" ({row['stage']})" if row["stage"] else ""
        digest = f", digest {row['digest']}" if row["digest"] else ""
        dates = "".join(f", {label} {row[key]}" for label, key in (("reserve until", "reserve_until"), ("retain until", "retain_until")) if row[key])
        out.append(f"{visible_line(row['file'])}  {visible_line(row['id'])}")
        out.append(_wrapped(f"{row['status']}{stage}, {row['candidates']} candidates, seal {row['seal']}{digest}{dates}"))
        if row["due"]:
            out.append(_wrapped(f"due: {visible_line('; '.join(row['due']))}"))
    due = sum(1 for row in rows if row["due"])
    out += ["", f"{len(rows)} campaign{'s' if len(rows) != 1 else ''}, {due} with something due."]
    return "\n".join(out) + "\n"


HEADINGS = {
    "file": "File", "id": "Id", "title": "Title", "role": "Role", "level": "Level", "status": "Status", "stage": "Stage now",
    "candidates": "Candidates", "vacancies": "Vacancies", "offered": "Offered", "accepted": "Accepted", "declined": "Declined",
    "withdrawn": "Withdrawn", "seal": "Seal", "digest": "Recorded digest", "reserve_until": "Reserve until",
    "retain_until": "Retain until", "due": "Due", "problem": "Problem",
}  # fmt: skip


def render_register_html(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """The register as one A4 landscape page of a table, its header on every page."""
    e = html.escape
    heads = "".join(f"<th>{e(HEADINGS[column])}</th>" for column in columns)
    body = []
    for row in rows:
        flagged = ' class="due"' if row["due"] or row["problem"] else ""
        body.append(f"<tr{flagged}>" + "".join(f"<td>{e(str(cell))}</td>" for cell in _cells_of(row, columns)) + "</tr>")
    style = (
        "@page { size: A4 landscape; margin: 12mm; } body { font: 9pt sans-serif; } table { border-collapse: collapse; width: 100%; }"
        " thead { display: table-header-group; } tr { break-inside: avoid; } th, td { border: 1px solid #999; padding: 2px 4px;"
        " text-align: left; vertical-align: top; } tr.due td { background: #fff4e5; }"
    )
    return visible(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Campaign register</title><style>{style}</style></head>'
        f"<body><h1>Campaign register</h1><p>{len(rows)} campaign files, {sum(1 for row in rows if row['due'])} with something due.</p>"
        f"<table><thead><tr>{heads}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></body></html>\n"
    )


def register_workbook(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """The register as a workbook: one sheet, a row per campaign, header frozen and filtered."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Register"
    sheet.append([HEADINGS[column] for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_text(visible_line(cell)) if isinstance(cell, str) else cell for cell in _cells_of(row, columns)])
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
