"""A decided stage's result: made once from its summary when the chair closes the stage, then read.

Who went on from a stage that decides it (a pre-sift, the sift) is recorded in the campaign
as a `Decision` when the chair moves the campaign on. From then on the summary, the
letters and every check of who may be scored read the record: a later score, agreed
score or correction never moves who went on.
"""

from __future__ import annotations

from collections.abc import Iterable

from assessor.core.decisions import Decision, StageResult
from assessor.rules.summary_types import GOES_ON, CandidateResult

DIGITS = 2
"""A recorded total is rounded as the reports round it."""


def recorded_results(candidates: Iterable[CandidateResult]) -> list[StageResult]:
    """Each candidate's result at a stage as its summary gives it now, in merit order, for the
    record. A candidate not fully scored when the stage is closed goes on unless their scores
    already fail it (as the stage's summary has always treated them), and the record says so."""
    results = []
    for line in candidates:
        outcome = line.outcome
        reason = line.reason
        if outcome == "fail":
            reason = "; ".join(line.failed)
        elif outcome == "incomplete":
            outcome, reason = "pass", f"went on not fully scored ({len(line.missing)} to score or agree when the stage was decided)"
        elif outcome not in ("pass", "guaranteed", "not-shortlisted", "withdrawn"):
            raise ValueError(f"{outcome!r} is not an outcome of a stage that decides who goes on")
        total = round(line.total, DIGITS) if line.total is not None and outcome != "withdrawn" else None
        results.append(
            StageResult.model_validate(
                {
                    "candidate": line.id,
                    "outcome": outcome,
                    "total": total,
                    "rank": line.rank if outcome in GOES_ON else None,
                    "reason": reason or None,
                }
            )
        )
    return results


def goes_on(result: StageResult) -> bool:
    """The recorded result let the candidate go on to the next stage."""
    return result.outcome in GOES_ON


def results_by_candidate(decision: Decision) -> dict[str, StageResult]:
    """A decision's results by candidate id, to look up each in one step: a candidate the chair
    reinstated goes on, the record's words saying what was decided and why they went on all the same."""
    results = {result.candidate: result for result in decision.results}
    for late in decision.reinstated:
        decided = results[late.candidate]
        words = f"reinstated by the chair on {late.at.date().isoformat()}: {late.reason} (decided: {decided.outcome}"
        words += f", {decided.reason})" if decided.reason else ")"
        results[late.candidate] = decided.model_copy(update={"outcome": "pass", "rank": None, "reason": words})
    return results


def as_recorded(line: CandidateResult, result: StageResult) -> CandidateResult:
    """A candidate's line at a decided stage as the record has it: the outcome, rank, total and
    reason decided then, whatever the scores say now (a later withdrawal still shows)."""
    if line.outcome == "withdrawn":
        return line
    words = result.reason or ""
    failed = tuple(part for part in words.split("; ") if part) if result.outcome == "fail" else ()
    reason = words if result.outcome != "fail" else ""
    outcome = "withdrawn" if result.outcome == "withdrawn" else result.outcome
    return line._replace(outcome=outcome, rank=result.rank, total=result.total, failed=failed, reason=reason, missing=(), unagreed=())
