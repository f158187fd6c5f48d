"""Reading HR's diversity monitoring export (a .csv file or an .xlsx workbook) for one report.

The rows are read the way candidates are imported (`importing.table_rows`), checked, and held in
memory for the one report that asks for them: nothing here writes, copies or caches them, and
only `assessor monitoring` reads such a file (a test holds that).

A row is a `reference` (or `id`) and one value per characteristic; a value names a group by its
id or name, in any case; an empty cell is "not given".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assessor.core.errors import CampaignError, Problem
from assessor.core.monitoring import KEY_COLUMNS, MonitoringQuestions, column_key
from assessor.storage.importing import NumberedRows, table_rows


@dataclass(frozen=True)
class MonitoringRow:
    """One applicant's answers: the group of each characteristic read, None where not given."""

    line: int
    key: str
    answers: dict[str, str | None]


@dataclass(frozen=True)
class MonitoringData:
    """The export as read: whose row each is, and the groups they fall into."""

    name: str
    key_column: str
    """`reference`, or `id` where the export has no reference column."""
    characteristics: tuple[str, ...]
    """The characteristics read, in the questions' order."""
    rows: tuple[MonitoringRow, ...]
    ignored: tuple[str, ...] = ()
    """Headings of the columns not read (a name, an e-mail address): named, never read."""
    not_given: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """With unknown values counted as not given: the lines of such values, by characteristic."""


def read_monitoring(path: Path, questions: MonitoringQuestions, by: Sequence[str] | None, *, unknown_as_not_given: bool) -> MonitoringData:
    """Read and check HR's export; raise `CampaignError` naming every bad line."""
    return check_monitoring_rows(str(path), table_rows(path, KEY_COLUMNS), questions, by, unknown_as_not_given=unknown_as_not_given)


def check_monitoring_rows(
    name: str, rows: NumberedRows, questions: MonitoringQuestions, by: Sequence[str] | None, *, unknown_as_not_given: bool
) -> MonitoringData:
    """The rows of an export whose first is the header, checked: `by` the characteristics to read
    (their ids; None: every one the header names)."""
    if not rows:
        raise CampaignError.single(name, "no rows: the file needs a header (reference, then a column per characteristic) and a row per applicant")
    header_line, header = rows[0]
    keys = [column_key(cell) for cell in header]
    key_column = next((column for column in KEY_COLUMNS if column in keys), None)
    named = {index: found.id for index, cell in enumerate(header) if (found := questions.characteristic_for(cell)) is not None and cell.strip()}
    known = ", ".join(found.id for found in questions.characteristics)
    if key_column is None:
        shown = ", ".join(repr(cell.strip()) for cell in header if cell.strip()) or "nothing"
        raise CampaignError.single(
            name, f"the header must name a reference (or id) column and a column per characteristic ({known}); found {shown}", line=header_line
        )
    columns = [key_column] * keys.count(key_column) + list(named.values())
    twice = next((column for column in columns if columns.count(column) > 1), None)
    if twice is not None:
        raise CampaignError.single(name, f"the header names the column {twice!r} twice", line=header_line)
    wanted = list(by) if by is not None else [found.id for found in questions.characteristics if found.id in named.values()]
    missing = [questions.characteristic(one).name for one in wanted if one not in named.values()]
    if missing:
        raise CampaignError.single(name, f"no column for {', '.join(missing)} (--by)", line=header_line)
    if not wanted:
        raise CampaignError.single(name, f"the header names no characteristic (one of: {known})", line=header_line)
    read = {index: characteristic for index, characteristic in named.items() if characteristic in wanted}
    key_index = keys.index(key_column)
    ignored = tuple(repr(cell.strip()) for index, cell in enumerate(header) if cell.strip() and index != key_index and index not in read)
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    not_given: dict[str, list[int]] = {}
    found_rows = []
    for line, row in rows[1:]:
        if any(cell.strip() for cell in row[len(header) :]):
            problems.append(Problem(name, f"{len(row)} values where the header has {len(header)}", line))
            continue
        cells = row + [""] * (len(header) - len(row))
        key = cells[key_index].strip()
        if not key:
            problems.append(Problem(name, f"{key_column} is empty", line))
            continue
        if key in first_line:
            problems.append(Problem(name, f"the same {key_column} as line {first_line[key]}", line))
            continue
        first_line[key] = line
        answers: dict[str, str | None] = {}
        for index, characteristic_id in read.items():
            value = cells[index].strip()
            characteristic = questions.characteristic(characteristic_id)
            group = characteristic.group_for(value) if value else None
            if value and group is None:
                if not unknown_as_not_given:
                    groups = ", ".join(characteristic.group_names)
                    problems.append(Problem(name, f"{characteristic.id} {value!r} is not a group of {characteristic.id} (one of: {groups})", line))
                    continue
                not_given.setdefault(characteristic_id, []).append(line)
            answers[characteristic_id] = group
        found_rows.append(MonitoringRow(line, key, answers))
    if problems:
        raise CampaignError(problems)
    order = tuple(found.id for found in questions.characteristics if found.id in wanted)
    lines = {characteristic: tuple(numbers) for characteristic, numbers in not_given.items()}
    return MonitoringData(name, key_column, order, tuple(found_rows), ignored, lines)
