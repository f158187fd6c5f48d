"""Closing a stage that decides who goes on: what is still open there, and its result recorded. No I/O.

When the chair moves the campaign on from such a stage (a pre-sift, the sift), `advance`
records its result as a `Decision`; from then on who went on is read from the record
(`rules.decided`), never worked out again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from assessor.core.campaign import Campaign
from assessor.core.clock import now
from assessor.core.decisions import Decision
from assessor.core.errors import ChangeRefused, ReasonNeeded
from assessor.core.framework import Framework
from assessor.rules.decided import recorded_results
from assessor.rules.readiness import open_items
from assessor.rules.scoring import put_through_now, summarise
from assessor.rules.stages import decided_stages
from assessor.rules.summary_types import GOES_ON, Summary, format_score


def open_lines(summary: Summary) -> list[str]:
    """What is still open at a stage as the chair leaves it (`summary`: the stage's), a line each, as
    `finalise` lists a stage before the merit list: missing scores, spreads of 2 or more without an
    agreed score, scores without evidence; and candidates tied at its shortlist cut (all of them go on)."""
    lines = [item.line for item in open_items(summary) if item.kind not in ("tie", "line tie")]
    lines += [f"{result.id}: {result.reason}" for result in summary.candidates if "tie-at-cut" in result.flags]
    return lines


def check_forced(campaign: Campaign, stage: str, left_open: list[str], force: bool, reason: str) -> None:
    """Refuse to leave `stage` with anything open, listing it, unless forced with a reason."""
    name = next((row.name for row in campaign.stages if row.id == stage), stage)
    count = f"{len(left_open)} item{'s are' if len(left_open) != 1 else ' is'} still open at the {name} stage"
    if not force:
        raise ChangeRefused(f"not moved on: {count} (settle them, or --force --reason TEXT to record them)", details=tuple(left_open))
    if not reason.strip():
        raise ReasonNeeded(f"{count}: moving on regardless needs a reason, written to the audit with what is open", "reason")


LATE_RECORD = "recorded at a later advance: the stage was left before results were recorded, and this is its result as its scores stood then"


def stage_records(campaign: Campaign, framework: Framework, chair: str, leaving: str | None, summary: Summary | None = None) -> list[Decision]:
    """The results to record as the chair moves on: the stage being left, if it decides who goes on
    (`summary`, its summary, if worked out already), and any stage left earlier without a record (a
    file from before records), first to last."""
    wanted = [stage for stage in decided_stages(campaign) if campaign.decision_at(stage) is None]
    if leaving is not None and leaving not in wanted and campaign.decision_at(leaving) is None:
        wanted.append(leaving)
    records: list[Decision] = []
    at = now()
    for stage in wanted:
        if stage in campaign.counted_stages:
            continue  # the merit list is decided by the agreed scores and the seal, not here
        if stage == leaving and summary is not None:  # an earlier stage's record holds what its summary said: the same
            found = summary
        else:
            so_far = campaign.model_copy(update={"decisions": [*campaign.decisions, *records]})
            found = summarise(so_far, stage, show_names=True, schemes=framework.scheme_names)
        note = None if stage == leaving else LATE_RECORD
        records.append(Decision(stage=stage, by=chair, at=at, note=note, results=recorded_results(found.candidates)))
    return records


def decision_words(record: Decision, stage_name: str) -> str:
    """A recorded stage result in a few words: `Sift decided: 12 go on (10 pass, 2 guaranteed), 28 do not`."""
    counts = Counter(result.outcome for result in record.results)
    on = counts["pass"] + counts["guaranteed"]
    parts = [f"{counts[outcome]} {outcome}" for outcome in ("pass", "guaranteed") if counts[outcome]]
    late = " (recorded late, as its scores stood then)" if record.note else ""
    return f"{stage_name} decided{late}: {on} go on ({', '.join(parts) or 'none'}), {len(record.results) - on} do not"


def result_lines(campaign: Campaign, record: Decision) -> list[str]:
    """A recorded stage result a candidate a line, in its merit order: `Sift: C02 Sofia Marchetti:
    pass, rank 1, total 24`; by reference at a name-blind stage."""
    stage = next((row.name for row in campaign.stages if row.id == record.stage), record.stage)
    people = _people(campaign, record.stage)
    lines = []
    for result in record.results:
        words: list[str] = [result.outcome]
        if result.rank is not None:
            words.append(f"rank {result.rank}")
        if result.total is not None:
            words.append(f"total {format_score(result.total)}")
        if result.reason:
            words.append(result.reason)
        lines.append(f"{stage}: {people[result.candidate]}: {', '.join(words)}")
    return lines


def _people(campaign: Campaign, stage: str) -> dict[str, str]:
    """Each candidate as a result line names them: their id and name, or reference at a name-blind stage."""
    blind = campaign.campaign.anonymise_sift and stage in campaign.name_blind_stages
    return {row.id: f"{row.id} {(row.reference or row.id) if blind else row.name}" for row in campaign.candidates}


SHOWN = 12
"""How many candidates a preview names on each side before it counts the rest."""


def preview(campaign: Campaign, leaving: str | None, left_open: list[str], records: list[Decision]) -> list[str]:
    """What moving on now would decide (`setup.advance_plan`), for the chair's question: each stage's
    result in words with who goes on and who does not (by reference at a name-blind stage), and
    what is left open."""
    names = {row.id: row.name for row in campaign.stages}
    lines = []
    for record in records:
        lines.append(decision_words(record, names[record.stage]) + ".")
        people = _people(campaign, record.stage)
        on = [people[result.candidate] for result in record.results if result.outcome in GOES_ON]
        off = [f"{people[result.candidate]} ({result.outcome})" for result in record.results if result.outcome not in GOES_ON]
        for heading, group in (("Go on", on), ("Do not go on", off)):
            if group:
                more = f" and {len(group) - SHOWN} more" if len(group) > SHOWN else ""
                lines.append(f"{heading}: {', '.join(group[:SHOWN])}{more}.")
    if leaving is not None and left_open:
        lines.append(f"{len(left_open)} still open at the {names[leaving]} stage (the queue, q, lists them): moving on asks your reason.")
    return lines


def would_go_on_words(campaign: Campaign, stage: str, schemes: Mapping[str, str], file: str, chair: str) -> list[str]:
    """After a correction at a decided stage: a line for each candidate its scores would now put
    through who did not go on, with the command that invites them on (`rules.scoring.put_through_now`)."""
    if campaign.decision_at(stage) is None:
        return []
    name = next((row.name for row in campaign.stages if row.id == stage), stage)
    return [
        f"as the {name} stage's scores stand now, {candidate} would go on from it, but it was decided that they did not; "
        f"`assessor reinstate {file} --as {chair} --stage {stage} --candidate {candidate} --reason TEXT` invites them on"
        for candidate in put_through_now(campaign, stage, schemes)
    ]
