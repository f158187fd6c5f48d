"""The diversity monitoring questions as `reference/monitoring.toml` holds them: each characteristic
(sex, ethnicity, ...) with its groups, and how a value in HR's export is matched to a group.

No I/O. Characteristics are data, not code: a department can point `ASSESSOR_REFERENCE` at a
folder with its own questions. Unknown keys are refused, like every other file's.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from assessor.core.errors import Location, ReferenceProblems
from assessor.core.fields import Name, Record, Text

MONITORING_SCHEMA = 1
"""The newest monitoring questions file this version reads."""


def _monitoring_id(value: str) -> str:
    if len(value) > 60 or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        raise ValueError(f"{value!r} is not an id of the monitoring questions: lower-case letters and digits, words joined by '-', at most 60")
    return value


MonitoringId = Annotated[str, AfterValidator(_monitoring_id)]
"""A characteristic's or group's id: lower-case letters and digits, words joined by hyphens."""

PREFER_NOT_TO_SAY = "prefer-not-to-say"
"""The group every characteristic has: an answer, but not a group others are compared with."""
NOT_GIVEN = "not-given"
"""The report's row for candidates with no answer: no row in the export, or an empty cell."""
TOTAL = "total"
"""The report's row for everyone at a step."""
RESERVED = (NOT_GIVEN, TOTAL)
KEY_COLUMNS = ("reference", "id")
"""The columns of HR's export that say whose row it is, preferred in this order."""


def folded(text: str) -> str:
    """Text as it is compared: case ignored, runs of spaces as one, spaces at the ends left out."""
    return " ".join(text.split()).casefold()


def column_key(text: str) -> str:
    """A column heading as it is compared with a characteristic: folded, `_` and spaces as `-`."""
    return "-".join(folded(text).replace("_", " ").replace("-", " ").split())


class Group(Record):
    """One answer to a characteristic's question, as the report prints it."""

    id: MonitoringId
    name: Name


class Characteristic(Record):
    """A question applicants are asked (sex, ethnicity, ...) and the groups its answers fall into."""

    id: MonitoringId
    name: Name
    question: Text = ""
    groups: Annotated[list[Group], Field(min_length=2)]

    def group_for(self, value: str) -> str | None:
        """The id of the group `value` names, by id or name, ignoring case; None if none does."""
        wanted = folded(value)
        return next((group.id for group in self.groups if wanted in (folded(group.id), folded(group.name))), None)

    @property
    def group_names(self) -> dict[str, str]:
        """Each group's name, by id, in the file's order."""
        return {group.id: group.name for group in self.groups}

    def compared(self, group: str) -> bool:
        """A group whose success rate is set beside the others': every group but prefer-not-to-say
        (and the report's `not given`)."""
        return group in self.group_names and group != PREFER_NOT_TO_SAY


class MonitoringQuestions(Record):
    """The whole `reference/monitoring.toml`."""

    format_version: Annotated[int, Field(ge=1, le=MONITORING_SCHEMA)] = Field(MONITORING_SCHEMA, alias="schema")
    source_note: Text = ""
    characteristics: Annotated[list[Characteristic], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_ids(self) -> MonitoringQuestions:
        problems: list[tuple[Location, str]] = []
        headings: dict[str, str] = {}
        for index, characteristic in enumerate(self.characteristics):
            for key in {column_key(characteristic.id), column_key(characteristic.name)}:
                if key in headings or key in KEY_COLUMNS:
                    problems.append((("characteristics", index, "name"), f"{key!r} would head two columns of the export: choose another"))
                headings[key] = characteristic.id
            problems += _group_problems(index, characteristic)
        if problems:
            raise ReferenceProblems(problems)
        return self

    def characteristic(self, characteristic_id: str) -> Characteristic:
        """The characteristic with this id."""
        return next(found for found in self.characteristics if found.id == characteristic_id)

    def characteristic_for(self, heading: str) -> Characteristic | None:
        """The characteristic a column heading or a `--by` word names (its id or name, any case,
        `_`, `-` and spaces alike), or None."""
        key = column_key(heading)
        return next((found for found in self.characteristics if key in (column_key(found.id), column_key(found.name))), None)


def _group_problems(index: int, characteristic: Characteristic) -> list[tuple[Location, str]]:
    """A characteristic's groups: ids unique and not the report's own rows, prefer-not-to-say among
    them, and no value that would name two groups."""
    problems: list[tuple[Location, str]] = []
    names: dict[str, str] = {}
    seen: set[str] = set()
    for position, group in enumerate(characteristic.groups):
        where: Location = ("characteristics", index, "groups", position, "id")
        if group.id in seen:
            problems.append((where, f"duplicate id {group.id!r}"))
        seen.add(group.id)
        if group.id in RESERVED:
            problems.append((where, f"{group.id!r} is the report's own row, not a group"))
        for key in {folded(group.id), folded(group.name)}:
            if names.get(key, group.id) != group.id:
                problems.append((where, f"{key!r} would name two groups ({names[key]} and {group.id})"))
            names[key] = group.id
    if PREFER_NOT_TO_SAY not in characteristic.group_names:
        problems.append((("characteristics", index, "groups"), f"every characteristic has the group {PREFER_NOT_TO_SAY!r}"))
    return problems
