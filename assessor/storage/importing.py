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

from assessor.changes.setup_people import CandidateRows
from assessor.core.campaign import Campaign
from assessor.core.errors import CampaignError, Problem
from assessor.core.fields import ID_MAX_LENGTH, ID_PATTERN
from assessor.core.framework import Framework
from assessor.core.letter_wording import LANGUAGES
from assessor.storage.toml_read import read_bytes

CANDIDATE_COLUMNS = ("id", "name", "reference", "adjustments", "guaranteed_interview", "language")
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

CSV_DELIMITERS = (",", ";", "\t")
"""What a spreadsheet separates a CSV file's columns with: a comma, or where the comma is the
decimal point a semicolon; a tab in a "tab-separated" export."""


def read_candidates(path: Path, known: KnownCandidates) -> CandidateRows:
    """Read and check candidates from a .csv or .xlsx file, chosen by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_candidates_csv(path, known)
    if suffix == ".xlsx":
        return read_candidates_xlsx(path, known)
    raise CampaignError.single(path, f"cannot import {'a ' + repr(suffix) if suffix else 'a file without a suffix'}: use a .csv or .xlsx file")


def check_candidate_rows(name: str, rows: NumberedRows, known: KnownCandidates) -> CandidateRows:
    """Candidates from numbered rows whose first is the header; raise `CampaignError` listing every bad row.

    A column the header names that is not a candidate's detail (a spreadsheet's "Date applied")
    is not read: `CandidateRows.ignored` names it."""
    if not rows:
        raise CampaignError.single(name, "no rows: the file needs a header (name, reference, adjustments) and one row per candidate")
    header_line, header_cells = rows[0]
    header = [cell.strip().lower() for cell in header_cells]
    if "name" not in header:
        raise CampaignError.single(
            name,
            "the header must name the columns: name (required), reference, adjustments, guaranteed_interview, language, id; "
            f"found {', '.join(header) or 'nothing'}",
            line=header_line,
        )
    twice = next((column for column in header if column in CANDIDATE_COLUMNS and header.count(column) > 1), None)
    if twice:
        raise CampaignError.single(name, f"the header names the column {twice!r} twice", line=header_line)
    if len(rows) == 1:
        raise CampaignError.single(name, "no candidates: the header is the only row", line=header_line)
    read = [index for index, column in enumerate(header) if column in CANDIDATE_COLUMNS]
    columns = [header[index] for index in read]
    unread = [index for index, column in enumerate(header) if column not in CANDIDATE_COLUMNS]
    # A column with neither a name nor a value in any row is only a spreadsheet's empty edge.
    ignored = tuple(
        repr(header_cells[index].strip()) if header[index] else f"column {index + 1} without a name"
        for index in unread
        if header[index] or any(index < len(row) and row[index].strip() for _, row in rows[1:])
    )
    problems: list[Problem] = []
    candidates: list[dict[str, Any]] = []
    seen_ids = set(known.ids)
    seen_references = set(known.references)
    schemes = known.schemes
    for line, row in rows[1:]:
        if len(row) != len(header):
            problems.append(Problem(name, f"{len(row)} values where the header has {len(header)}", line))
            continue
        record = {column: row[index].strip() for column, index in zip(columns, read, strict=True)}
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
        language = record.get("language", "").lower()
        if language and language not in LANGUAGES:
            problems.append(Problem(name, f"language {record['language']!r} is not one of: {', '.join(LANGUAGES)}", line))
        elif language:
            record["language"] = language
        reference = record.get("reference", "")
        if reference and reference in seen_references:
            problems.append(Problem(name, f"reference {reference!r} is already used", line))
        seen_ids.add(candidate_id)
        seen_references.add(reference)
        candidates.append({key: value for key, value in record.items() if value or key == "name"})
    if problems:
        raise CampaignError(problems)
    return CandidateRows(candidates, ignored)


def csv_delimiter(text: str, columns: Collection[str] = ("name",)) -> str:
    """The character the header row separates its columns with: of `CSV_DELIMITERS`, the first
    that makes one of `columns` (a `name` column), else the one that makes the most columns (so a
    refusal lists them)."""
    split = {}
    for delimiter in CSV_DELIMITERS:
        try:
            header = next((row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)), [])
        except csv.Error:
            continue  # the reading proper names what is wrong
        if any(cell.strip().lower() in columns for cell in header):
            return delimiter
        split[delimiter] = len(header)
    return max(split, key=lambda delimiter: split[delimiter], default=",")


def parse_candidates_csv(name: str, text: str, known: KnownCandidates) -> CandidateRows:
    """Rows of candidates from CSV text; raise `CampaignError` listing every bad row."""
    return check_candidate_rows(name, csv_rows(name, text), known)


def csv_rows(name: str, text: str, columns: Collection[str] = ("name",)) -> NumberedRows:
    """CSV text as numbered rows of text, empty rows left out; the separator the one with which
    the header names one of `columns`. Raise `CampaignError` for text that is not CSV.

    Strict about quotes: a quote never closed would swallow every row after it into one cell."""
    reader = csv.reader(io.StringIO(text), delimiter=csv_delimiter(text, columns), strict=True)
    rows: NumberedRows = []
    start = 1
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
        if "unexpected end of data" in str(exc):
            raise CampaignError.single(name, "a quote opened in this row is never closed", line=start) from None
        raise CampaignError.single(name, f"not a readable CSV file: {exc}", line=reader.line_num) from None
    return rows


def csv_text(path: Path) -> str:
    """The text of a CSV file (UTF-8, a spreadsheet's BOM allowed); raise `CampaignError` if it is not UTF-8."""
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CampaignError.single(path, "not UTF-8 text: save the spreadsheet as 'CSV UTF-8'") from None


def read_candidates_csv(path: Path, known: KnownCandidates) -> CandidateRows:
    """Read and check a candidates CSV file (UTF-8, a spreadsheet's BOM allowed)."""
    return parse_candidates_csv(str(path), csv_text(path), known)


def table_rows(path: Path, columns: Collection[str]) -> NumberedRows:
    """A .csv file or the first sheet of an .xlsx workbook, chosen by its suffix, as numbered rows of
    text (a CSV file's separator the one with which its header names one of `columns`)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return csv_rows(str(path), csv_text(path), columns)
    if suffix == ".xlsx":
        return workbook_rows(path)
    raise CampaignError.single(path, f"cannot read {'a ' + repr(suffix) if suffix else 'a file without a suffix'}: use a .csv or .xlsx file")


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


def read_candidates_xlsx(path: Path, known: KnownCandidates) -> CandidateRows:
    """Read and check candidates from the first sheet of an .xlsx workbook."""
    return check_candidate_rows(str(path), workbook_rows(path), known)
