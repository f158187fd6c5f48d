"""Reading TOML files with errors a person can act on.

Shared by campaign files and reference files, so both report a broken file the same
way: file, line and a plain sentence, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import tomli
from pydantic import BaseModel, ValidationError

from assessor.core.errors import CampaignError, Location, Problem, ReferenceProblems, describe_error, format_path, one_line_a_cause
from assessor.storage.files import regular_bytes

M = TypeVar("M", bound=BaseModel)

TextSource = str | Callable[[], str]
"""A file's text, or how to read it again: needed only to locate a problem, so a big
file's text need not stay in memory beside its data while that data is validated."""


def text_of(source: TextSource) -> str:
    """The text a `TextSource` stands for."""
    return source if isinstance(source, str) else source()


BYTE_ORDER_MARK = "\ufeff"
"""Ignored at the start of a file; anywhere else it is named."""

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")


def read_bytes(path: Path) -> bytes:
    """The bytes of `path`, or a `CampaignError` saying in words why they cannot be read
    (a FIFO, a device or a folder is refused before it is read: `files.regular_bytes`)."""
    return regular_bytes(path)


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """Read `path` and parse it as TOML; return its text and data or raise `CampaignError`."""
    return parse_toml(str(path), read_bytes(path))


def parse_toml(name: str, raw: bytes) -> tuple[str, dict[str, Any]]:
    """Parse TOML bytes that came from `name`; raise `CampaignError` on anything unreadable."""
    text = decode_text(name, raw)
    return text, parse_text(name, text)


def decode_text(name: str, raw: bytes) -> str:
    """The text of a TOML file's bytes; raise `CampaignError` if it is empty or not text.

    Callers that hold megabytes can drop the bytes once they have the text.
    """
    if not raw or raw.isspace():  # as `not raw.strip()`, without copying the whole file
        raise CampaignError.single(name, "the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CampaignError.single(name, "not a text file (bytes that are not UTF-8)", line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CampaignError.single(name, "not a text file (contains NUL bytes)", line=line)
    # Some Windows editors start a file with a byte order mark; TOML has none, and it says nothing.
    return text.removeprefix(BYTE_ORDER_MARK)


def parse_text(name: str, text: str) -> dict[str, Any]:
    """Parse the text of a TOML file that came from `name`; raise `CampaignError` if it is broken."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        if exc.doc[exc.pos : exc.pos + 1] == BYTE_ORDER_MARK:
            message = f"broken TOML: a byte order mark (U+FEFF) inside the file (column {exc.colno}): remove it"
            raise CampaignError.single(name, message, line=exc.lineno) from None
        raise CampaignError.single(name, f"broken TOML: {exc.msg.lower()} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise CampaignError.single(name, "broken TOML: values are nested too deeply to read") from None


class LineFinder:
    """Finds the line of a field path such as `("scores", 3, "candidate")` in TOML text.

    It understands the layout this project writes (`[table]`, `[[array]]` headers and
    `key = value` lines), which is what people edit by hand too; where it cannot tell,
    it returns None and the message falls back to the field path alone.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        # (line index, is_array, dotted name) for every header, in file order.
        self.headers: list[tuple[int, bool, str]] = []
        for index, line in enumerate(self.lines):
            if match := _ARRAY_HEADER.match(line):
                self.headers.append((index, True, _dotted(match.group(1))))
            elif match := _TABLE_HEADER.match(line):
                self.headers.append((index, False, _dotted(match.group(1))))

    def line_of(self, loc: Location) -> int | None:
        """1-based line of the field at `loc`, or None when it cannot be found."""
        section = -1  # -1: the top of the file, before any header
        names: list[str] = []
        position = 0
        while position < len(loc):
            part = loc[position]
            if not isinstance(part, str):
                break
            candidate = ".".join([*names, part])
            following = loc[position + 1] if position + 1 < len(loc) else None
            if isinstance(following, int) and (found := self._array_item(candidate, following)) is not None:
                section, names, position = found, [*names, part], position + 2
                continue
            if (found := self._table_after(candidate, section)) is not None:
                section, names, position = found, [*names, part], position + 1
                continue
            key_line = self._key_in(section, part)
            return key_line + 1 if key_line is not None else (section + 1 if section >= 0 else None)
        return section + 1 if section >= 0 else None

    def _array_item(self, name: str, index: int) -> int | None:
        seen = 0
        for line, is_array, header in self.headers:
            if is_array and header == name:
                if seen == index:
                    return line
                seen += 1
        return None

    def _table_after(self, name: str, start: int) -> int | None:
        for line, is_array, header in self.headers:
            if line > start and not is_array and header == name:
                return line
        return None

    def _key_in(self, section: int, key: str) -> int | None:
        end = next((line for line, _, _ in self.headers if line > section), len(self.lines))
        pattern = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*=""")
        for index in range(section + 1, end):
            if pattern.match(self.lines[index]):
                return index
        return None


def _dotted(header: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in header.split("."))


def validation_problems(name: str, text: str, exc: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into one located problem each, in file order."""
    finder = LineFinder(text)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        problems.append(Problem(name, describe_error(error), finder.line_of(loc), format_path(loc)))
    return one_line_a_cause(sorted(problems, key=lambda p: p.line or 0))


def located_problems(name: str, text: str, found: list[tuple[Location, str]]) -> list[Problem]:
    """Problems found by our own checks (loc, message) located in `text`."""
    finder = LineFinder(text)
    problems = [Problem(name, message, finder.line_of(loc), format_path(loc)) for loc, message in found]
    return one_line_a_cause(sorted(problems, key=lambda p: p.line or 0))


def validate_data(name: str, text: TextSource, data: dict[str, Any], model: type[M], context: dict[str, Any] | None = None) -> M:
    """Validate parsed TOML as `model`; every problem becomes a located `CampaignError`."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise CampaignError(validation_problems(name, text_of(text), exc)) from None
    except ReferenceProblems as exc:
        raise CampaignError(located_problems(name, text_of(text), exc.problems)) from None
