"""The error types of assessor, and the words they are told in.

Every failure a person can cause (broken TOML, a wrong type, an unknown candidate, an
unreadable file) becomes a `CampaignError` holding one or more `Problem`s. Each problem
prints on one line: `FILE:LINE: field.path: message` when the line is known, else
`FILE: field.path: message`. A change the campaign's rules do not allow is a
`ChangeRefused`, which the command line and the app turn into problems of their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

Location = tuple[str | int, ...]
"""Where a field is in a file's data: `("scores", 3, "candidate")`."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as precisely as the file allows."""

    file: str
    message: str
    line: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


_ROW_WORDS = {
    "scores": ("score", "scores"),
    "moderation": ("agreed score", "agreed scores"),
    "allocation": ("allocated reading", "allocated readings"),
    "order": ("tie order", "tie orders"),
    "feedback": ("feedback row", "feedback rows"),
    "candidates": ("candidate", "candidates"),
    "criteria": ("criterion", "criteria"),
}
REPEATS_TOLD = 3
"""From this many problems with the same words in one file, the first is told and the rest counted."""


def one_line_a_cause(problems: list[Problem]) -> list[Problem]:
    """`problems` (in file order) with each repeated one told once: rows that all name one unknown
    candidate, or one stage a criterion lacks, are one mistake. The first keeps its line; one
    more line counts the others ("… and 17 more scores like it (lines 95 to 410)")."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.message), []).append(problem)
    if all(len(group) < REPEATS_TOLD for group in groups.values()):
        return problems
    told: list[Problem] = []
    for problem in problems:
        group = groups[(problem.file, problem.message)]
        if len(group) < REPEATS_TOLD:
            told.append(problem)
        elif problem is group[0]:
            told += [problem, Problem(problem.file, _more_like_it(group[1:]))]
    return told


def _more_like_it(rest: list[Problem]) -> str:
    counts = Counter(problem.path.split("[", 1)[0].split(".", 1)[0] for problem in rest)

    def rows(table: str, count: int) -> str:
        one, many = _ROW_WORDS.get(table, ("row", "rows"))
        return one if count == 1 else many

    lines = sorted(problem.line for problem in rest if problem.line)
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]} to {lines[-1]}" if lines else ""
    if len(counts) == 1:
        ((table, count),) = counts.items()
        words, details = f"… and {count} more {rows(table, count)} like it", [where]
    else:
        words, details = f"… and {len(rest)} more like it", [", ".join(f"{n} {rows(table, n)}" for table, n in counts.items()), where]
    detail = "; ".join(part for part in details if part)
    return f"{words} ({detail})" if detail else words


class CampaignError(Exception):
    """A file or a request that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("CampaignError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def single(cls, file: str | Path, message: str, *, line: int | None = None, path: str = "") -> CampaignError:
        """An error with exactly one problem."""
        return cls([Problem(str(file), message, line, path)])

    @property
    def first_line(self) -> str:
        """The first problem, for places with room for one line (a notification)."""
        extra = len(self.problems) - 1
        more = f" (and {extra} more)" if extra else ""
        return f"{self.problems[0]}{more}"


class FileChangedError(CampaignError):
    """The file on disk is no longer the one that was read: someone else changed it."""


class ReferenceProblems(Exception):
    """Cross-references that do not hold, as (field location, message) pairs.

    Deliberately not a ValueError, so pydantic passes it through with its locations
    intact instead of folding it into one error at the top of the file.
    """

    def __init__(self, problems: list[tuple[Location, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


class ChangeRefused(Exception):
    """A change that the campaign's rules do not allow; the message says why.

    `field` names the option or field at fault (`as`, `score`); `details` lists the
    items behind a refusal that has several (one line each).
    """

    def __init__(self, message: str, field: str = "", details: tuple[str, ...] = ()) -> None:
        self.message = message
        self.field = field
        self.details = tuple(details)
        super().__init__("\n".join([message, *self.details]))

    def problems(self, file: str) -> list[Problem]:
        """The refusal as problem lines about `file`: the reason, then one line per item."""
        found = [Problem(file, self.message, path=f"--{self.field}" if self.field else "")]
        found.extend(Problem(file, detail) for detail in self.details)
        return found


class ReasonNeeded(ChangeRefused):
    """A change the chair may make, but only with a reason for the audit: ask for one and try again."""


def format_path(loc: Location) -> str:
    """`("scores", 3, "candidate")` -> `scores[3].candidate`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe_input(value: Any) -> str:
    text = repr(value.isoformat()) if isinstance(value, date) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_BOUNDS = {"less_than_equal": "at most", "greater_than_equal": "at least", "greater_than": "more than", "less_than": "less than"}


def describe_error(error: Any) -> str:
    """One of pydantic's validation errors (a dict of its `errors()`) as a short sentence."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is missing (required)"
    if kind == "extra_forbidden":
        return "unknown key (not part of the format; check the spelling)"
    if kind in {"int_type", "int_from_float", "int_parsing"}:
        return f"must be a whole number, not {_describe_input(value)}"
    if kind == "finite_number":
        return f"must be a finite number, not {_describe_input(value)}"
    if kind in {"float_type", "float_parsing"}:
        return f"must be a number, not {_describe_input(value)}"
    if kind == "string_type":
        return f"must be text in quotes, not {_describe_input(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false, not {_describe_input(value)}"
    if kind == "list_type":
        return f"must be a list [...], not {_describe_input(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "must be a table of keys and values"
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing", "timezone_aware"}:
        return f"must be a date and time with a zone, like 2026-11-22T09:00:00Z, not {_describe_input(value)}"
    if kind in {"date_type", "date_parsing", "date_from_datetime_inexact", "date_from_datetime_parsing"}:
        return f"must be a date like 2027-05-22, not {_describe_input(value)}"
    if kind in _BOUNDS:
        limit = next(iter(ctx.values()), "?")
        limit = f"{limit:g}" if isinstance(limit, float) else limit  # 100, not 100.0
        return f"must be {_BOUNDS[kind]} {limit}, not {_describe_input(value)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '?')}, not {_describe_input(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_describe_input(value)} is not a valid id (letters, digits, '-', '_' or '.', no spaces)"
    if kind in {"string_too_short", "too_short"}:
        return "must not be empty"
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]
