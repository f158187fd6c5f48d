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
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from assessor.changes.guards import check_open
from assessor.core.campaign import AuditEntry, Campaign
from assessor.core.clock import now
from assessor.core.errors import ChangeRefused, ReferenceProblems, describe_error, format_path
from assessor.core.framework import Framework
from assessor.rules.readiness import next_status, setup_gaps

Data = dict[str, Any]


def edit_campaign(campaign: Campaign, framework: Framework, who: str, what: str, mutate: Callable[[Data], None]) -> Campaign:
    """Apply `mutate` to the campaign's data, re-validate it all, and add an audit row."""
    check_open(campaign)
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
    changed.audit.append(AuditEntry(at=now(), who=who, what=what))
    return changed


def row_of(data: Data, table: str, row_id: str) -> Data:
    """The row of `table` with this id, in the campaign's data; refused if there is none."""
    for row in data[table]:
        if row["id"] == row_id:
            found: Data = row
            return found
    raise ChangeRefused(f"no {table[:-1] if table != 'criteria' else 'criterion'} with id {row_id!r}")


def next_id(existing: list[str], prefix: str) -> str:
    """The next free id like C07 after C01..C06 (two digits at least)."""
    numbers = [int(match.group(1)) for item in existing if (match := re.fullmatch(rf"{re.escape(prefix)}(\d+)", item))]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):02d}"


def slug(text: str) -> str:
    """An id made from a name: `Head of Digital` -> `head-of-digital`."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return made[:60] or "item"


DETAIL_FIELDS = ("title", "level", "vacancies", "overall_pass_mark", "anonymise_sift")


def set_detail(campaign: Campaign, framework: Framework, who: str, field: str, value: Any) -> Campaign:
    """Set one of the campaign's own fields (title, level, vacancies, pass mark, name-blind)."""
    if field not in DETAIL_FIELDS:
        raise ChangeRefused(f"{field!r} cannot be set here")
    old = getattr(campaign.campaign, field)
    if old == value:
        return campaign

    def mutate(data: Data) -> None:
        data["campaign"][field] = value

    return edit_campaign(campaign, framework, who, f"set {field}: {old!r} -> {value!r}", mutate)


ROLE_FIELDS = ("title", "grade", "department", "summary")


def set_role_detail(campaign: Campaign, framework: Framework, who: str, field: str, value: str) -> Campaign:
    """Set one line of the role's description (title, grade, department, summary)."""
    if field not in ROLE_FIELDS:
        raise ChangeRefused(f"{field!r} cannot be set here")
    if getattr(campaign.campaign.role, field) == value:
        return campaign

    def mutate(data: Data) -> None:
        data["campaign"]["role"][field] = value

    return edit_campaign(campaign, framework, who, f"set role {field}: {value!r}", mutate)


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

    return edit_campaign(campaign, framework, who, f"stages counted for the merit list: {', '.join(counted)}", mutate)


def advance_status(campaign: Campaign, framework: Framework, who: str) -> Campaign:
    """Move the campaign one step on (setup -> sift -> interview -> moderation); never back.

    Final is reached by finalising, which seals the file.
    """
    target = next_status(campaign)
    if target is None or target == "final":
        raise ChangeRefused("the campaign is finished by finalising it, which the chair does from the summary")
    gaps = setup_gaps(campaign)
    if gaps:
        raise ChangeRefused("the set-up is not complete: " + "; ".join(gaps))
    old = campaign.campaign.status

    def mutate(data: Data) -> None:
        data["campaign"]["status"] = target

    return edit_campaign(campaign, framework, who, f"status {old} -> {target}", mutate)
