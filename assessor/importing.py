"""Reading candidates from a CSV file (name, reference, adjustments; id optional).

All or nothing: every bad row is reported with its line, and nothing is imported until
the whole file is good.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from assessor.errors import CampaignError, Problem
from assessor.tomlio import read_bytes

CANDIDATE_COLUMNS = ("id", "name", "reference", "adjustments")


def parse_candidates_csv(name: str, text: str, *, existing_ids: set[str], existing_references: set[str]) -> list[dict[str, Any]]:
    """Rows of candidates from CSV text; raise `CampaignError` listing every bad row."""
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CampaignError.single(name, f"not a readable CSV file: {exc}", line=reader.line_num) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise CampaignError.single(name, "no rows: the file needs a header line (name, reference, adjustments) and one line per candidate")
    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [column for column in header if column not in CANDIDATE_COLUMNS]
    if unknown or "name" not in header:
        raise CampaignError.single(
            name, f"the first line must name the columns: name (required), reference, adjustments, id; found {', '.join(header) or 'nothing'}", line=1
        )
    problems: list[Problem] = []
    candidates: list[dict[str, Any]] = []
    seen_ids = set(existing_ids)
    seen_references = set(existing_references)
    for line, row in _numbered(text, header):
        if len(row) != len(header):
            problems.append(Problem(name, f"{len(row)} values where the header has {len(header)}", line))
            continue
        record = {column: value.strip() for column, value in zip(header, row)}
        if not record.get("name"):
            problems.append(Problem(name, "name is empty", line))
            continue
        candidate_id = record.get("id", "")
        if candidate_id and candidate_id in seen_ids:
            problems.append(Problem(name, f"id {candidate_id!r} is already used", line))
        reference = record.get("reference", "")
        if reference and reference in seen_references:
            problems.append(Problem(name, f"reference {reference!r} is already used", line))
        seen_ids.add(candidate_id)
        seen_references.add(reference)
        candidates.append({key: value for key, value in record.items() if value or key == "name"})
    if problems:
        raise CampaignError(problems)
    return candidates


def _numbered(text: str, header: list[str]):
    """(line number, cells) for each data row, with the line where the row starts."""
    reader = csv.reader(io.StringIO(text))
    next(reader)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        if any(cell.strip() for cell in row):
            yield start, row


def read_candidates_csv(path: Path, *, existing_ids: set[str], existing_references: set[str]) -> list[dict[str, Any]]:
    """Read and check a candidates CSV file (UTF-8, a spreadsheet's BOM allowed)."""
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CampaignError.single(path, "not UTF-8 text: save the spreadsheet as 'CSV UTF-8'") from None
    return parse_candidates_csv(str(path), text, existing_ids=existing_ids, existing_references=existing_references)
