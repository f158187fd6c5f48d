"""Time as campaign files hold it: UTC, to the second."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_seconds(value: datetime) -> datetime:
    """`value` in UTC without its fraction of a second: files stay diffable, and
    load(save(c)) == c holds exactly."""
    if value.tzinfo is UTC and not value.microsecond:
        return value  # what every file this program wrote holds: nothing to convert
    try:
        return value.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is a year before year 1 in UTC
        raise ValueError("is outside the years 1 to 9999 once converted to UTC") from None


def now() -> datetime:
    """The current time as stored in campaign files (UTC, whole seconds)."""
    return utc_seconds(datetime.now(UTC))


def stamp(moment: datetime) -> str:
    """A stored time as people read it in one line: `2026-11-25T12:00:00Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
