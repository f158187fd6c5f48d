"""The TOML writer campaign files were written with before tomli_w, kept frozen as the bench's baseline.

It wrote tomli_w's text byte for byte, escaping by regular expression and writing each row
in one pass, about four times faster. It was replaced by tomli_w once score sheets made a
member's save small (see the dependencies in docs/design.md); `bench_sheets.py` times the
two in the same run, so the figures that decided it can be seen again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

INDENT = "    "
MAX_INLINE_ROW = 100  # a table of rows goes on one line each only if every row fits in this

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Characters a basic string cannot hold as they are: controls except tab, quote, backslash.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')
# The same inside a `"""` block, where a line break stays a line break.
_NEEDS_ESCAPE_MULTILINE = re.compile(r'[\x00-\x08\x0b-\x1f\x7f"\\]')
_SHORT_ESCAPES = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def toml_string(value: str) -> str:
    """`value` as a TOML basic string; one with line breaks as a multi-line block."""
    if "\n" in value:
        # A carriage return stays escaped even before a line break (tomli_w drops it):
        # what is read back must be exactly what was written.
        return '"""\n' + _NEEDS_ESCAPE_MULTILINE.sub(_escape, value) + '"""'
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


_written_keys: dict[str, str] = {}
"""Keys as written, by key: a campaign's 100,000 rows repeat the same few dozen."""


def toml_key(key: str) -> str:
    """A key as written: bare when it can be, quoted otherwise."""
    written = _written_keys.get(key)
    if written is not None:
        return written
    if not isinstance(key, str):
        raise TypeError(f"a TOML key must be text, not {type(key).__name__}")
    # Keys are always single-line strings, even when they hold a line break.
    written = key if _BARE_KEY.fullmatch(key) else '"' + _NEEDS_ESCAPE.sub(_escape, key) + '"'
    if len(_written_keys) < 10_000:  # bounded: keys of arbitrary data must not grow it for ever
        _written_keys[key] = written
    return written


def _datetime(value: datetime) -> str:
    if value.tzinfo is None:
        return value.isoformat()  # a local date-time, written as it is
    if value.tzinfo is not UTC or value.microsecond:
        value = datetime.fromtimestamp(value.timestamp(), UTC).replace(microsecond=0)
    return value.isoformat()[:-6] + "Z"  # "+00:00" -> "Z"


def toml_value(value: Any, nesting: int = 0) -> str:
    """One value as it is written after `key = `."""
    kind = type(value)
    if kind is str:
        return toml_string(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if isinstance(value, datetime):
        return _datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(int(value))
    if isinstance(value, (list, tuple)):
        return _array(value, nesting)
    if isinstance(value, Mapping):
        return _inline_table(value)
    raise TypeError(f"cannot write a {type(value).__name__} in TOML")


def _array(items: list[Any] | tuple[Any, ...], nesting: int) -> str:
    if not items:
        return "[]"
    indent = INDENT * (nesting + 1)
    inner = [indent + toml_value(item, nesting + 1) for item in items]
    return "[\n" + ",\n".join(inner) + ",\n" + INDENT * nesting + "]"


def _inline_table(table: Mapping[str, Any]) -> str:
    if not table:
        return "{}"
    return "{ " + ", ".join(f"{toml_key(key)} = {toml_value(value)}" for key, value in table.items()) + " }"


def _inline_rows(rows: list[Any] | tuple[Any, ...]) -> bool:
    """True when `rows` is a table of rows that is best written one row per line."""
    for row in rows:
        line = INDENT + _inline_table(row) + ","
        if len(line) > MAX_INLINE_ROW or "\n" in line:
            return False
    return True


def _is_rows(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(item, Mapping) for item in value)


def toml_text(data: Mapping[str, Any]) -> str:
    """`data` as a TOML document."""
    out: list[str] = []
    _write_table(out, data, "", in_rows=False)
    return "".join(out)


_PLAIN = frozenset({str, int, float, bool, datetime, date})
"""Types written as they are on the key's line, known without a slower isinstance."""


def _write_table(out: list[str], table: Mapping[str, Any], name: str, *, in_rows: bool) -> None:
    lines: list[str] = []  # the table's own `key = value` lines, in its order
    tables: list[tuple[str, Mapping[str, Any], bool]] = []  # then its sub-tables and rows
    for key, value in table.items():
        kind = type(value)
        if kind is str and "\n" not in value and _NEEDS_ESCAPE.search(value) is None:
            lines.append(f'{toml_key(key)} = "{value}"\n')  # most values: plain one-line text
        elif kind in _PLAIN:
            lines.append(f"{toml_key(key)} = {toml_value(value)}\n")
        elif isinstance(value, Mapping):
            tables.append((key, value, False))
        elif _is_rows(value) and not _inline_rows(value):
            tables.extend((key, row, True) for row in value)
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}\n")
    if in_rows:
        out.append(f"[[{name}]]\n")
    elif name and (lines or not tables):
        out.append(f"[{name}]\n")
    out += lines
    written = bool(in_rows or lines or (name and not tables))
    for key, value, rows in tables:
        if written:
            out.append("\n")
        written = True
        _write_table(out, value, f"{name}.{toml_key(key)}" if name else toml_key(key), in_rows=rows)
