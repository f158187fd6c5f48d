"""The values every table of the files shares: ids, names, text, times, scores, and the base of a row.

No I/O, and nothing about any one table: `campaign`, `decisions`, `sheet`, `framework` and
`template` build their models from these.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from assessor.core.clock import utc_seconds

SCORE_MIN, SCORE_MAX = 1, 7


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _unix_newlines(value: str) -> str:
    if "\r" not in value:
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
ID_MAX_LENGTH = 80
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]
Name = Annotated[str, AfterValidator(_unix_newlines), AfterValidator(_not_blank)]
Text = Annotated[str, AfterValidator(_unix_newlines)]
Timestamp = Annotated[AwareDatetime, AfterValidator(utc_seconds)]
ScoreValue = Annotated[int, Field(ge=SCORE_MIN, le=SCORE_MAX)]


class Record(BaseModel):
    """Base for every table: unknown keys are refused and types are not guessed."""

    # Validators are built on first use, not at import: commands start sooner.
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, defer_build=True)
