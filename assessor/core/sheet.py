"""A panel member's score sheet: the scores, notes and audit rows of one member, in a file only they write.

No I/O here (`storage.sheets` reads and writes sheets). While a campaign is scored, each
member's own scores live in `NAME.sheets/MEMBER.toml` beside the campaign file, so no two
people ever write the same file and panels score at the same time without conflicts.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from assessor.core.campaign import AuditEntry, Note, Score
from assessor.core.fields import Id, Record

SHEET_SCHEMA_VERSION = 1
"""The newest score sheet format this version reads and writes."""


class ScoreSheet(Record):
    """One member's score sheet: which campaign, whose, and their scores and audit rows."""

    format_version: Annotated[int, Field(ge=1, le=SHEET_SCHEMA_VERSION)] = Field(SHEET_SCHEMA_VERSION, alias="schema")
    campaign: Id
    """The id of the campaign (`[campaign] id`) the sheet belongs to."""
    member: Id
    """The panel member whose scores these are: the sheet's file is named after them."""
    scores: list[Score] = []
    notes: list[Note] = []
    audit: list[AuditEntry] = []

    def mismatches(self, campaign_id: str, member: str) -> list[tuple[tuple[str | int, ...], str]]:
        """Where the sheet is not `member`'s sheet of campaign `campaign_id`: (location, message)."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        if self.campaign != campaign_id:
            found.append((("campaign",), f"belongs to campaign {self.campaign!r}, not {campaign_id!r}"))
        if self.member != member:
            found.append((("member",), f"is the sheet of {self.member!r}, but its file is named for {member!r}"))
        for index, score in enumerate(self.scores):
            if score.assessor != self.member:
                found.append(
                    (
                        ("scores", index, "assessor"),
                        f"a score by {score.assessor!r} on the sheet of {self.member!r}: a sheet holds its member's scores only",
                    )
                )
        for index, note in enumerate(self.notes):
            if note.assessor != self.member:
                found.append((("notes", index, "assessor"), f"a note by {note.assessor!r} on the sheet of {self.member!r}"))
        for index, entry in enumerate(self.audit):
            if entry.who != self.member:
                found.append((("audit", index, "who"), f"an audit row by {entry.who!r} on the sheet of {self.member!r}"))
        return found
