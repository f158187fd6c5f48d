"""The one error type for a user's mistakes in a file or on the command line.

Every failure a person can cause (broken TOML, a wrong type, an unknown candidate, an
unreadable file) becomes a `CampaignError` holding one or more `Problem`s. Each problem
prints on one line: `FILE:LINE: field.path: message` when the line is known, else
`FILE: field.path: message`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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


def format_path(loc: tuple[str | int, ...]) -> str:
    """`("scores", 3, "candidate")` -> `scores[3].candidate`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
