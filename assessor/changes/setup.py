"""Set-up changes: the campaign's details, the stages it counts, and its status.

Each set-up change takes a campaign and returns a new one with an `[[audit]]` row, or
raises `ChangeRefused` saying why. They all go through `edit_campaign`, which validates
the whole campaign again against its framework, so a set-up change obeys exactly the
rules a file on disk does (unique ids, names, one lead, stages that exist...). The
criteria and stages are changed in `setup_criteria`, the panel and the candidates in
`setup_people`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from pydantic import ValidationError

from assessor.changes.closing import check_forced, decision_words, open_lines, stage_records
from assessor.changes.guards import check_open
from assessor.core.campaign import AuditEntry, Campaign
from assessor.core.clock import now
from assessor.core.decisions import Decision
from assessor.core.errors import ChangeRefused, ReferenceProblems, describe_error, format_path
from assessor.core.framework import Framework
from assessor.rules.readiness import next_status, setup_gaps
from assessor.rules.roles import (
    COUNTED_STAGES,
    DESCRIPTION,
    LEVEL,
    NAME_BLIND,
    OVERALL_PASS_MARK,
    VACANCIES,
    SetUpPart,
    check_set_up_change,
    check_status_move,
    with_reason,
)
from assessor.rules.scoring import summarise
from assessor.rules.stages import Step, current_stage, next_step
from assessor.rules.summary_types import Summary

Data = dict[str, Any]


def edit_campaign(
    campaign: Campaign,
    framework: Framework,
    who: str,
    what: str,
    mutate: Callable[[Data], None],
    *,
    part: SetUpPart | None,
    reason: str = "",
) -> Campaign:
    """Apply `mutate` to the campaign's data, validate it all again, and add an audit row.

    `part` is the part of the set-up it changes, which says who may change it now
    (`rules.roles`); None for the status, whose own check comes first. The reason given
    for a change after set-up is written to the audit row.
    """
    check_open(campaign)
    if part is not None:
        check_set_up_change(campaign, who, part, reason)
    data = campaign.model_dump(by_alias=True)
    mutate(data)
    try:
        changed = Campaign.model_validate(data, context={"framework": framework})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise ChangeRefused(describe_error(error), format_path(tuple(error["loc"]))) from None
    except ReferenceProblems as exc:
        loc, message = exc.problems[0]
        raise ChangeRefused(message, format_path(loc)) from None
    changed.audit.append(AuditEntry(at=now(), who=who, what=with_reason(what, reason)))
    return changed


def row_of(data: Data, table: str, row_id: str) -> Data:
    """The row of `table` with this id, in the campaign's data; refused if there is none."""
    for row in data[table]:
        if row["id"] == row_id:
            found: Data = row
            return found
    raise ChangeRefused(f"no {ROW_NAMES.get(table, table)} with id {row_id!r}")


ROW_NAMES = {"criteria": "criterion", "panel": "panel member", "candidates": "candidate", "stages": "stage"}
"""What one row of each table is called, in a refusal."""


def next_id(existing: list[str], prefix: str) -> str:
    """The next free id like C07 after C01..C06 (two digits at least)."""
    return NextIds(existing, prefix).take()


class NextIds:
    """`next_id` for many new rows in turn: the highest number so far is kept, not searched for
    again at each row: 5,000 imported candidates take 5,000 steps, not millions."""

    def __init__(self, existing: Iterable[str], prefix: str) -> None:
        self.prefix = prefix
        self._number = re.compile(rf"{re.escape(prefix)}(\d+)")
        self.highest = 0
        for item in existing:
            self.note(item)

    def note(self, given: str) -> None:
        """An id taken by a row that has its own: the ids made after it come after it too."""
        if match := self._number.fullmatch(given):
            self.highest = max(self.highest, int(match.group(1)))

    def take(self) -> str:
        """The next id, now taken."""
        self.highest += 1
        return f"{self.prefix}{self.highest:02d}"


def slug(text: str) -> str:
    """An id made from a name: `Head of Digital` -> `head-of-digital`."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return made[:60] or "item"


DETAIL_FIELDS: dict[str, SetUpPart] = {
    "title": DESCRIPTION,
    "level": LEVEL,
    "vacancies": VACANCIES,
    "overall_pass_mark": OVERALL_PASS_MARK,
    "anonymise_sift": NAME_BLIND,
}
"""The campaign's own fields set-up may change, and the part of the set-up each is."""


def set_detail(campaign: Campaign, framework: Framework, who: str, field: str, value: Any, *, reason: str = "") -> Campaign:
    """Set one of the campaign's own fields (title, level, vacancies, pass mark, name-blind)."""
    if field not in DETAIL_FIELDS:
        raise ChangeRefused(f"{field!r} cannot be set here")
    old = getattr(campaign.campaign, field)
    if old == value:
        return campaign

    def mutate(data: Data) -> None:
        data["campaign"][field] = value

    return edit_campaign(campaign, framework, who, f"set {field}: {old!r} -> {value!r}", mutate, part=DETAIL_FIELDS[field], reason=reason)


ROLE_FIELDS = ("title", "grade", "department", "summary")


def set_role_detail(campaign: Campaign, framework: Framework, who: str, field: str, value: str, *, reason: str = "") -> Campaign:
    """Set one line of the role's description (title, grade, department, summary)."""
    if field not in ROLE_FIELDS:
        raise ChangeRefused(f"{field!r} cannot be set here")
    if getattr(campaign.campaign.role, field) == value:
        return campaign

    def mutate(data: Data) -> None:
        data["campaign"]["role"][field] = value

    return edit_campaign(campaign, framework, who, f"set role {field}: {value!r}", mutate, part=DESCRIPTION, reason=reason)


def toggle_counted_stage(campaign: Campaign, framework: Framework, who: str, stage: str) -> Campaign:
    """Count a stage towards the merit list, or stop counting it (one must remain)."""
    counted = list(campaign.counted_stages)
    if stage in counted:
        if len(counted) == 1:
            raise ChangeRefused("at least one stage must count towards the merit list")
        counted.remove(stage)
    else:
        order = [s.id for s in campaign.stages]
        counted = sorted([*counted, stage], key=order.index)

    def mutate(data: Data) -> None:
        data["campaign"]["count_stages"] = counted

    return edit_campaign(campaign, framework, who, f"stages counted for the merit list: {', '.join(counted)}", mutate, part=COUNTED_STAGES)


class Plan(NamedTuple):
    """Where moving on takes the campaign and what it decides, worked out once: for the move itself,
    and for the chair's question before it (`changes.closing.preview`)."""

    step: Step
    leaving: str | None
    """The stage being left, while the status is sift."""
    left_open: list[str]
    """What is still open at the stage being left, if it decides who goes on (`changes.closing.open_lines`)."""
    records: list[Decision]
    """The results to record (`changes.closing.stage_records`)."""


def advance_plan(campaign: Campaign, framework: Framework, who: str) -> Plan:
    """Where `advance` would take the campaign, refusing what it refuses (but what is left open, which
    `force` with a reason moves past). The stage being left is summarised once, for every part."""
    check_open(campaign)
    target = next_status(campaign)
    if target is None or target == "final":
        raise ChangeRefused("the campaign is finished by finalising it, which the chair does from the summary (assessor finalise)")
    gaps = setup_gaps(campaign)  # what is missing first: without a chair, nobody could move it on
    if gaps:
        raise ChangeRefused(f"not moved on: the set-up is not complete ({len(gaps)} to do)", details=tuple(gaps))
    check_status_move(campaign, who)
    leaving = current_stage(campaign) if campaign.campaign.status == "sift" else None
    summary = summarise(campaign, leaving, show_names=True, schemes=framework.scheme_names) if leaving is not None else None
    if leaving is not None and summary is not None:
        _check_cut_drawn(campaign, leaving, summary)
    left_open = open_lines(summary) if summary is not None and leaving not in campaign.counted_stages else []
    return Plan(next_step(campaign, target), leaving, left_open, stage_records(campaign, framework, who, leaving, summary))


def advance_status(campaign: Campaign, framework: Framework, who: str, *, force: bool = False, reason: str = "") -> Campaign:
    """Move the campaign one step on (setup -> sift -> interview -> moderation); never back.

    A sift of more than one stage (a pre-sift, then the sift) moves on a stage at a time
    within the status `sift`. A stage with a shortlist cut is left only once every candidate
    in it is scored: the cut decides who goes on. A stage that decides who goes on is left
    only with nothing open there, or `force`d with a `reason` that the audit keeps with what
    was open; its result is recorded (`changes.closing`). Final is reached by finalising,
    which seals the file.
    """
    step, leaving, left_open, records = advance_plan(campaign, framework, who)
    if left_open:
        check_forced(campaign, leaving or "", left_open, force, reason)
    old = campaign.campaign.status
    stage_names = {stage.id: stage.name for stage in campaign.stages}

    def mutate(data: Data) -> None:
        data["campaign"]["status"] = step.status
        data["campaign"]["scoring_stage"] = step.scoring_stage
        data["decisions"] = [*data.get("decisions", []), *(record.model_dump() for record in records)]

    if step.status == old:
        what = f"sift moved on: {stage_names[leaving or '']} -> {stage_names[step.scoring_stage or '']}"
    else:
        what = f"status {old} -> {step.status}"
    for record in records:
        what += f"; {decision_words(record, stage_names[record.stage])}"
    if left_open:
        what += f"; moved on with {len(left_open)} open: {'; '.join(left_open)}; reason: {reason.strip()}"
    return edit_campaign(campaign, framework, who, what, mutate, part=None)


def _check_cut_drawn(campaign: Campaign, stage_id: str, summary: Summary) -> None:
    """Refuse to leave a stage with a shortlist cut while anyone in it is still to be scored (`summary`: the stage's)."""
    stage = next(stage for stage in campaign.stages if stage.id == stage_id)
    if not stage.has_cut:
        return
    waiting = [result.id for result in summary.candidates if result.outcome == "incomplete"]
    if waiting:
        named = ", ".join(waiting[:5]) + (f" and {len(waiting) - 5} more" if len(waiting) > 5 else "")
        raise ChangeRefused(
            f"not moved on: the shortlist at {stage.name} is drawn once everyone in it is scored; "
            f"{len(waiting)} still incomplete ({named}): score them, or withdraw them"
        )
