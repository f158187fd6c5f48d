"""The diversity monitoring report in every format by name: text ones printed or written, a
workbook only written."""

from __future__ import annotations

from collections.abc import Callable

from assessor.report.as_csv import file_bytes
from assessor.report.monitoring_html import render_monitoring_html
from assessor.report.monitoring_plain import render_monitoring_csv, render_monitoring_json, render_monitoring_text
from assessor.rules.impact import MonitoringReport

RENDERERS: dict[str, Callable[[MonitoringReport], str]] = {
    "text": render_monitoring_text,
    "csv": render_monitoring_csv,
    "json": render_monitoring_json,
    "html": render_monitoring_html,
}
"""The formats that are text; `xlsx` is a file (`render_monitoring_bytes`)."""


def render_monitoring(report: MonitoringReport, fmt: str) -> str:
    """The report in a text format, safe to print (every renderer passes its text through `safe_text`)."""
    return RENDERERS[fmt](report)


def render_monitoring_bytes(report: MonitoringReport, fmt: str) -> bytes:
    """The report as the bytes of a file: text as UTF-8 (CSV with a byte order mark, for spreadsheets), xlsx as a workbook."""
    if fmt == "xlsx":
        from assessor.report.monitoring_xlsx import render_monitoring_xlsx  # openpyxl is loaded only for a workbook

        return render_monitoring_xlsx(report)
    return file_bytes(render_monitoring(report, fmt), fmt)
