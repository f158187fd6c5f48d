"""Writing TOML text: `tomli_w`, with the file format's own way of writing times and line breaks.

Every campaign file, score sheet, lock and settings file is written by `tomli_w`, the
writer maintained with the TOML parsers, with `multiline_strings=True` (text with line
breaks as a `\"\"\"` block). Two things are made explicit before it writes:

- times are written in UTC to the second with a `Z` (`2026-11-22T09:00:00Z`), the one
  form the file format uses, where tomli_w would write `2026-11-22 09:00:00+00:00`;
- a line break is stored as `\\n` alone: tomli_w drops a carriage return before a line
  break in a multi-line block, so the data is given to it that way, and a save's check
  that the text reads back as the data compares like with like.

Callers that must not write a bad file parse the text back (see `toml_save.write_data`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import tomli_w


class _UtcTime(datetime):
    """A time as the file format writes it: tomli_w writes a time as `str()` gives it."""

    def __str__(self) -> str:
        return datetime.isoformat(self, timespec="seconds").removesuffix("+00:00") + "Z"


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value  # a local date-time, written as it is
    moment = value.astimezone(UTC)
    return _UtcTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, tzinfo=UTC)


def as_written(value: Any) -> Any:
    """`value` as the file will hold it: times in UTC to the second, line breaks as `\\n`."""
    kind = type(value)
    if kind is str:
        return value.replace("\r\n", "\n") if "\r\n" in value else value
    if kind is dict:
        return {key: as_written(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [as_written(item) for item in value]
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, Mapping):
        return {key: as_written(item) for key, item in value.items()}
    return value


def dumps_written(written: Mapping[str, Any]) -> str:
    """Data already `as_written` as a TOML document, by tomli_w."""
    return tomli_w.dumps(written, multiline_strings=True)


def toml_text(data: Mapping[str, Any]) -> str:
    """`data` as a TOML document, by tomli_w, times and line breaks as the file format writes them."""
    return dumps_written(as_written(data))
