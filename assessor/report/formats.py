"""Every summary format by name: text ones printed or written, a workbook only written."""

from __future__ import annotations

from collections.abc import Callable

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.as_csv import file_bytes, render_csv
from assessor.report.as_html import render_html
from assessor.report.as_json import render_json
from assessor.report.as_markdown import render_markdown
from assessor.report.as_text import render_text
from assessor.report.safe_text import json_safe, visible
from assessor.rules.summary_types import Summary

FORMATS = ("text", "md", "csv", "json", "html", "xlsx")
BINARY_FORMATS = frozenset({"xlsx"})
"""Formats that are files, not text: written with `-o`, never printed."""
EXTENSIONS = {"text": "txt", "md": "md", "csv": "csv", "json": "json", "html": "html", "xlsx": "xlsx"}
"""The file name extension of each format."""

RENDERERS: dict[str, Callable[[Summary, Campaign, Framework], str]] = {
    "text": render_text,
    "md": render_markdown,
    "csv": render_csv,
    "json": render_json,
    "html": render_html,
}


def render(summary: Summary, campaign: Campaign, framework: Framework, fmt: str = "text") -> str:
    """The summary in one of the text formats (every one of FORMATS but BINARY_FORMATS).

    Safe to print: no control character but tab and newline is left raw (`safe_text`).
    """
    text = RENDERERS[fmt](summary, campaign, framework)
    return json_safe(text) if fmt == "json" else visible(text)


def render_bytes(summary: Summary, campaign: Campaign, framework: Framework, fmt: str = "text") -> bytes:
    """The summary in any of FORMATS as the bytes of a file: text as UTF-8 (CSV with a byte order mark
    first, so that spreadsheets read its accents), xlsx as a workbook."""
    if fmt == "xlsx":
        from assessor.report.as_xlsx import render_xlsx  # openpyxl is loaded only for a workbook

        return render_xlsx(summary, campaign, framework)
    return file_bytes(render(summary, campaign, framework, fmt), fmt)
