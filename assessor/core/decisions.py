"""What stands on the record beside the scores: a stage's result, recorded when the chair closed
it, with the late invitations beside it; and each panel member's declared conflicts of interest.

No I/O. What a decision was is recorded once, in the campaign file's `[[decisions]]`, and
read from there (`rules.decided`); it is never worked out again.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from assessor.core.fields import Id, Name, Record, Text, Timestamp

StageOutcome = Literal["pass", "guaranteed", "not-shortlisted", "fail", "withdrawn"]
"""A candidate's result at a stage that decided who went on: pass and guaranteed go on."""


class StageResult(Record):
    """One candidate's result at a decided stage, as it stood when the chair closed the stage."""

    candidate: Id
    outcome: StageOutcome
    total: Annotated[float, Field(allow_inf_nan=False)] | None = None
    """The stage total then (absent for a candidate with no total: withdrawn, or not scored)."""
    rank: Annotated[int, Field(ge=1)] | None = None
    """The place in the stage's merit order then (absent for those who did not pass)."""
    reason: Text | None = None
    """Why, in words, where the outcome needs them: the cut, the criteria failed (absent otherwise)."""


class Reinstatement(Record):
    """A candidate who did not go on from a decided stage, invited on late by the chair, with the reason."""

    candidate: Id
    by: Id
    at: Timestamp
    reason: Name


class Decision(Record):
    """A stage's result, recorded when the chair moved the campaign on from it (`advance`):
    who went on from it, and why. Read from here from then on, never worked out again."""

    stage: Id
    by: Id
    at: Timestamp
    note: Text | None = None
    """Set where the record was made later than the stage was left (a file from before records)."""
    results: list[StageResult] = []
    reinstated: list[Reinstatement] = []
    """Candidates the chair invited on after the decision (`assessor reinstate`): a late
    invitation beside the result, which itself stays as decided."""


class Declaration(Record):
    """A panel member's declared conflict of interest with a candidate (they know them): while it
    stands they do not score the candidate or see the panel's scores on them, and allocation
    passes them over. Taken back with a reason, never deleted."""

    member: Id
    candidate: Id
    reason: Name
    at: Timestamp
    withdrawn: Timestamp | None = None
    """When it was taken back (absent while it stands)."""
    withdrawn_reason: Text | None = None

    @property
    def stands(self) -> bool:
        """The declaration is in force: not taken back."""
        return self.withdrawn is None
