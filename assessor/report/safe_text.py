"""Text from applicants and panels made harmless where it is shown: on a terminal, in a
spreadsheet, in JSON and in Markdown.

Names, evidence and rationales are typed by people (applicants choose their own names),
so none of them may carry a terminal's escape codes, a spreadsheet's formula or raw HTML
to the person reading a report.
"""

from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
"""Bidirectional embeddings, overrides and isolates: they reorder what a terminal shows."""

_INVISIBLE = "\u200b\u200e\u200f\u2060-\u2064\ufeff"
"""Characters that take no room and show nothing: the zero-width space, the left-to-right and
right-to-left marks, the word joiner and invisible operators, and the byte order mark. (The
zero-width joiner and non-joiner are left alone: names in several scripts are spelt with them.)"""

_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_INVISIBLE}\ud800-\udfff]")
"""Every control character but tab and newline (C0, DEL, C1), the bidirectional controls, the
invisible characters, and the lone surrogates that stand for bytes of a file name that are not
UTF-8 (they cannot be printed)."""

_NOT_ESCAPED_BY_JSON = re.compile(f"[\x7f-\x9f{_BIDI}{_INVISIBLE}]")
"""What `json.dumps(ensure_ascii=False)` leaves raw of `_CONTROL` (it escapes C0 itself)."""


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text safe to print on a terminal: each control character but tab and newline is
    written out as its code (ESC as `\\x1b`, U+202E as `\\u202e`), so it shows and does nothing."""
    return _CONTROL.sub(_shown, text) if _CONTROL.search(text) else text


def without_controls(text: str) -> str:
    """Text with every character `visible` would write as a code left out: what a screen may
    send to a terminal whatever reached it (each such character takes no room on a screen)."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def visible_line(text: str) -> str:
    """`visible`, on one line: a line break in a name or note becomes a space, so it cannot
    start what looks like another row or message."""
    return visible(text.replace("\n", " "))


def json_safe(encoded: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the control characters it
    leaves raw written as `\\u` escapes: the same data, safe to print."""
    return _NOT_ESCAPED_BY_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula (the OWASP list for CSV injection)."""


def spreadsheet_text(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text starting with one of FORMULA_STARTS gets
    a leading `'`, which spreadsheets take to mean "text" and do not show. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def markdown_text(text: str) -> str:
    """Text that Markdown shows as it is, never as HTML: `<` written `&lt;` (so no tag,
    comment or autolink starts), and `&` where it would start an entity written `&amp;`."""
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")
