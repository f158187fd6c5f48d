"""The summary as CSV: one row per candidate, for spreadsheets and scripts.

A CSV file starts with a byte order mark (`BYTE_ORDER_MARK`): without one, Excel and LibreOffice
read its UTF-8 as their legacy code page and "Ünïcödé" opens as "ÃœnÃ¯cÃ¶dÃ©". CSV printed to
standard output has none: it goes to a pipe or a script, and a mark would stick to the first header.
"""

from __future__ import annotations

import csv
import io

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.safe_text import spreadsheet_text
from assessor.report.wording import column_label, reasons
from assessor.rules.summary_types import ItemResult, Summary

BYTE_ORDER_MARK = "\ufeff".encode()
"""The three bytes (EF BB BF) at the start of a CSV file by which spreadsheets know it is UTF-8."""


def file_bytes(text: str, fmt: str) -> bytes:
    """A report in a text format as the bytes of its file: UTF-8, a CSV file with BYTE_ORDER_MARK first."""
    raw = text.encode("utf-8")
    return BYTE_ORDER_MARK + raw if fmt == "csv" else raw


def render_csv(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """One row per candidate, for spreadsheets and scripts; no text cell is ever read as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["rank", "candidate", "name", "outcome", "reasons", "total", *[column_label(summary, c) for c in summary.columns], "flags"]
    writer.writerow(header)
    for result in summary.candidates:
        row = [
            result.rank if result.rank is not None else "",
            result.id,
            result.display_name,
            result.outcome or "",
            reasons(result),
            "" if result.total is None else round(result.total, 2),
            *[_value(summary, item) for item in result.items],
            " ".join(result.flags),
        ]
        writer.writerow([spreadsheet_text(cell) for cell in row])
    return buffer.getvalue()


def _value(summary: Summary, item: ItemResult) -> object:
    """A criterion's cell: the agreed score, or in a member's view before moderation their own
    score (as every other format shows it), empty where there is none."""
    if summary.seen_by:
        return item.scores.get(summary.seen_by, "")
    return "" if item.agreed is None else round(item.agreed, 2)
