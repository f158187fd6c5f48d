"""Reading candidates from a CSV file or an .xlsx workbook (name, reference, adjustments; id optional).

All or nothing: every bad row is reported with its line (CSV) or row (workbook) number,
and nothing is imported until the whole file is good. Both formats are turned into the
same numbered rows of text and checked by `check_candidate_rows`, so the rules about a
row live once.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Collection
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NamedTuple

from assessor.core.campaign import ID_MAX_LENGTH, ID_PATTERN, Campaign
from assessor.core.errors import CampaignError, Problem
from assessor.core.framework import Framework
from assessor.storage.toml_read import read_bytes

CANDIDATE_COLUMNS = ("id", "name", "reference", "adjustments", "guaranteed_interview")
IMPORT_SUFFIXES = (".csv", ".xlsx")


class KnownCandidates(NamedTuple):
    """What new candidates are checked against: the campaign's ids and references, and the
    guaranteed interview schemes of its framework."""

    ids: set[str]
    references: set[str]
    schemes: Collection[str]

    @classmethod
    def of(cls, campaign: Campaign, framework: Framework) -> KnownCandidates:
        """The ids and references `campaign` uses now, and its framework's schemes."""
        candidates = campaign.candidates
        return cls({c.id for c in candidates}, {c.reference for c in candidates if c.reference}, list(framework.scheme_names))


NumberedRows = list[tuple[int, list[str]]]
"""(line or row number in the source, cells as text) for each row that is not empty."""


def read_candidates(path: Path, known: KnownCandidates) -> list[dict[str, Any]]:
    """Read and check candidates from a .csv or .xlsx file, chosen by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_candidates_csv(path, known)
    if suffix == ".xlsx":
        return read_candidates_xlsx(path, known)
    raise CampaignError.single(path, f"cannot import {'a ' + repr(suffix) if suffix else 'a file without a suffix'}: use a .csv or .xlsx file")


def check_candidate_rows(name: str, rows: NumberedRows, known: KnownCandidates) -> list[dict[str, Any]]:
    """Candidates from numbered rows whose first is the header; raise `CampaignError` listing every bad row."""
    if not rows:
        raise CampaignError.single(name, "no rows: the file needs a header (name, reference, adjustments) and one row per candidate")
    header_line, header_cells = rows[0]
    header = [cell.strip().lower() for cell in header_cells]
    unknown = [column for column in header if column not in CANDIDATE_COLUMNS]
    if unknown or "name" not in header:
        raise CampaignError.single(
            name,
            "the header must name the columns: name (required), reference, adjustments, guaranteed_interview, id; "
            f"found {', '.join(header) or 'nothing'}",
            line=header_line,
        )
    twice = next((column for column in header if header.count(column) > 1), None)
    if twice:
        raise CampaignError.single(name, f"the header names the column {twice!r} twice", line=header_line)
    if len(rows) == 1:
        raise CampaignError.single(name, "no candidates: the header is the only row", line=header_line)
    problems: list[Problem] = []
    candidates: list[dict[str, Any]] = []
    seen_ids = set(known.ids)
    seen_references = set(known.references)
    schemes = known.schemes
    for line, row in rows[1:]:
        if len(row) != len(header):
            problems.append(Problem(name, f"{len(row)} values where the header has {len(header)}", line))
            continue
        record = {column: value.strip() for column, value in zip(header, row, strict=True)}
        if not record.get("name"):
            problems.append(Problem(name, "name is empty", line))
            continue
        candidate_id = record.get("id", "")
        if candidate_id and (len(candidate_id) > ID_MAX_LENGTH or not re.fullmatch(ID_PATTERN, candidate_id)):
            problems.append(
                Problem(name, f"id {candidate_id!r} is not a valid id (letters, digits, '-', '_' or '.', no spaces, at most {ID_MAX_LENGTH})", line)
            )
        elif candidate_id and candidate_id in seen_ids:
            problems.append(Problem(name, f"id {candidate_id!r} is already used", line))
        scheme = record.get("guaranteed_interview", "")
        if scheme and scheme not in schemes:
            problems.append(
                Problem(name, f"guaranteed_interview {scheme!r} is not a scheme of the framework (one of: {', '.join(schemes) or 'none'})", line)
            )
        reference = record.get("reference", "")
        if reference and reference in seen_references:
            problems.append(Problem(name, f"reference {reference!r} is already used", line))
        seen_ids.add(candidate_id)
        seen_references.add(reference)
        candidates.append({key: value for key, value in record.items() if value or key == "name"})
    if problems:
        raise CampaignError(problems)
    return candidates


def parse_candidates_csv(name: str, text: str, known: KnownCandidates) -> list[dict[str, Any]]:
    """Rows of candidates from CSV text; raise `CampaignError` listing every bad row."""
    reader = csv.reader(io.StringIO(text))
    rows: NumberedRows = []
    try:
        while True:
            start = reader.line_num + 1  # the line where the row starts (a quoted cell may span lines)
            try:
                row = next(reader)
            except StopIteration:
                break
            if any(cell.strip() for cell in row):
                rows.append((start, row))
    except csv.Error as exc:
        raise CampaignError.single(name, f"not a readable CSV file: {exc}", line=reader.line_num) from None
    return check_candidate_rows(name, rows, known)


def read_candidates_csv(path: Path, known: KnownCandidates) -> list[dict[str, Any]]:
    """Read and check a candidates CSV file (UTF-8, a spreadsheet's BOM allowed)."""
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CampaignError.single(path, "not UTF-8 text: save the spreadsheet as 'CSV UTF-8'") from None
    return parse_candidates_csv(str(path), text, known)


def _cell_text(value: object) -> str:
    """A workbook cell as the text a person typed: 101, not 101.0; a date as 2026-11-20."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def workbook_rows(path: Path) -> NumberedRows:
    """The first sheet of an .xlsx workbook as numbered rows of text, empty rows left out.

    Empty cells at the end of a row are dropped, and a row shorter than the header is
    filled with empty cells: in a sheet, an empty cell and no cell look the same.
    """
    from openpyxl import load_workbook  # only when a workbook is read: the CLI starts without it

    raw = read_bytes(path)
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it ignores; we read values only
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError, OSError) as exc:
        # BadZipFile: not a zip at all; KeyError: a zip without a workbook in it;
        # SyntaxError: the XML inside is broken (ElementTree's ParseError)
        raise CampaignError.single(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    sheet = workbook.worksheets[0]
    rows: NumberedRows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            rows.append((number, cells))
    workbook.close()
    if rows:
        width = len(rows[0][1])
        rows = [(number, cells + [""] * (width - len(cells))) for number, cells in rows]
    return rows


def read_candidates_xlsx(path: Path, known: KnownCandidates) -> list[dict[str, Any]]:
    """Read and check candidates from the first sheet of an .xlsx workbook."""
    return check_candidate_rows(str(path), workbook_rows(path), known)
