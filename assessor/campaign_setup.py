"""Set-up changes: details, criteria, the assessment matrix, panel, candidates, status.

Each function takes a campaign and returns a new one with an `[[audit]]` row, or raises
`ChangeRefused` saying why. They all go through `edit_campaign`, which re-validates the
whole campaign against its framework, so a set-up change obeys exactly the rules a file
on disk does (unique ids, names, one lead, stages that exist...). No I/O, no UI.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from assessor.changes import ChangeRefused, check_open
from assessor.errors import format_path
from assessor.framework import Framework
from assessor.model import STATUSES, AuditEntry, Campaign, ReferenceProblems, now
from assessor.tomlio import describe_error

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


def _row(data: Data, table: str, row_id: str) -> Data:
    for row in data[table]:
        if row["id"] == row_id:
            return row
    raise ChangeRefused(f"no {table[:-1] if table != 'criteria' else 'criterion'} with id {row_id!r}")


def next_id(existing: list[str], prefix: str) -> str:
    """The next free id like C07 after C01..C06 (two digits at least)."""
    numbers = [int(match.group(1)) for item in existing if (match := re.fullmatch(rf"{re.escape(prefix)}(\d+)", item))]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):02d}"


def slug(text: str) -> str:
    """An id made from a name: `Head of Digital` -> `head-of-digital`."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return made[:60] or "item"


# --- campaign details ----------------------------------------------------------------

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


# --- criteria --------------------------------------------------------------------------

def add_behaviour(campaign: Campaign, framework: Framework, who: str, item_id: str, stages: list[str] | None = None) -> Campaign:
    """Add a framework behaviour (competency, value) as a criterion, at every stage by default."""
    item = framework.item(item_id)
    if item is None:
        raise ChangeRefused(f"{item_id!r} is not in {framework.name}")
    chosen = stages if stages is not None else [stage.id for stage in campaign.stages]
    if not chosen:
        raise ChangeRefused("add a stage first: a criterion must be assessed at one stage at least")

    def mutate(data: Data) -> None:
        data["criteria"].append(
            {"id": item.id, "element": item.element, "name": item.name, "stages": chosen, "lead": not data["criteria"]}
        )

    return edit_campaign(campaign, framework, who, f"added criterion {item.name}", mutate)


def add_other_criterion(
    campaign: Campaign, framework: Framework, who: str, *, element: str, name: str, description: str = "", stages: list[str] | None = None
) -> Campaign:
    """Add an experience, technical, strength or ability criterion by name."""
    if element in framework.item_elements:
        raise ChangeRefused(f"{element} criteria are chosen from the framework's list")
    chosen = stages if stages is not None else [stage.id for stage in campaign.stages]
    if not chosen:
        raise ChangeRefused("add a stage first: a criterion must be assessed at one stage at least")
    criterion_id = slug(name)

    def mutate(data: Data) -> None:
        data["criteria"].append(
            {"id": criterion_id, "element": element, "name": name, "description": description, "stages": chosen, "lead": not data["criteria"]}
        )

    return edit_campaign(campaign, framework, who, f"added {element} criterion {name}", mutate)


def update_criterion(campaign: Campaign, framework: Framework, who: str, criterion_id: str, **fields: Any) -> Campaign:
    """Change a criterion's pass mark, weight, name or description."""
    allowed = {"pass_mark", "weight", "name", "description"}
    if not set(fields) <= allowed:
        raise ChangeRefused(f"cannot change {', '.join(sorted(set(fields) - allowed))} of a criterion")

    def mutate(data: Data) -> None:
        _row(data, "criteria", criterion_id).update(fields)

    words = ", ".join(f"{key} {value!r}" for key, value in fields.items())
    return edit_campaign(campaign, framework, who, f"criterion {criterion_id}: {words}", mutate)


def remove_criterion(campaign: Campaign, framework: Framework, who: str, criterion_id: str) -> Campaign:
    """Remove a criterion nobody has scored yet."""
    scored = sum(1 for score in campaign.scores if score.criterion == criterion_id)
    if scored:
        raise ChangeRefused(f"{criterion_id} has {scored} scores; it can no longer be removed")

    def mutate(data: Data) -> None:
        was_lead = _row(data, "criteria", criterion_id)["lead"]
        data["criteria"] = [row for row in data["criteria"] if row["id"] != criterion_id]
        data["campaign"]["tie_break"] = [c for c in data["campaign"]["tie_break"] if c != criterion_id]
        if was_lead and data["criteria"]:
            data["criteria"][0]["lead"] = True

    return edit_campaign(campaign, framework, who, f"removed criterion {criterion_id}", mutate)


def set_lead(campaign: Campaign, framework: Framework, who: str, criterion_id: str) -> Campaign:
    """Make one criterion the lead criterion (it breaks ties first)."""

    def mutate(data: Data) -> None:
        _row(data, "criteria", criterion_id)
        for row in data["criteria"]:
            row["lead"] = row["id"] == criterion_id
        data["campaign"]["tie_break"] = [c for c in data["campaign"]["tie_break"] if c != criterion_id]

    return edit_campaign(campaign, framework, who, f"lead criterion: {criterion_id}", mutate)


def toggle_tie_break(campaign: Campaign, framework: Framework, who: str, criterion_id: str) -> Campaign:
    """Add a criterion to the end of the tie-break order, or take it out."""
    order = list(campaign.campaign.tie_break)
    lead = campaign.lead_criterion
    if lead is not None and lead.id == criterion_id:
        raise ChangeRefused("the lead criterion already breaks ties first")
    order = [c for c in order if c != criterion_id] if criterion_id in order else [*order, criterion_id]

    def mutate(data: Data) -> None:
        data["campaign"]["tie_break"] = order

    return edit_campaign(campaign, framework, who, f"tie-break order: {', '.join(order) or 'none'}", mutate)


def toggle_criterion_stage(campaign: Campaign, framework: Framework, who: str, criterion_id: str, stage: str) -> Campaign:
    """Assess a criterion at a stage, or stop (a criterion keeps one stage at least)."""
    criterion = next((c for c in campaign.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise ChangeRefused(f"no criterion with id {criterion_id!r}")
    if stage in criterion.stages:
        if len(criterion.stages) == 1:
            raise ChangeRefused(f"{criterion.name} must be assessed at one stage at least")
        if any(s.criterion == criterion_id and s.stage == stage for s in campaign.scores):
            raise ChangeRefused(f"{criterion.name} already has scores at {stage}")
        stages = [s for s in criterion.stages if s != stage]
        what = f"{criterion.name} no longer assessed at {stage}"
    else:
        order = [s.id for s in campaign.stages]
        stages = sorted([*criterion.stages, stage], key=order.index)
        what = f"{criterion.name} assessed at {stage}"

    def mutate(data: Data) -> None:
        _row(data, "criteria", criterion_id)["stages"] = stages

    return edit_campaign(campaign, framework, who, what, mutate)


# --- stages ----------------------------------------------------------------------------

def add_stage(campaign: Campaign, framework: Framework, who: str, name: str, methods: list[str] | None = None) -> Campaign:
    """Add a stage at the end (its id made from its name)."""
    stage_id = slug(name)

    def mutate(data: Data) -> None:
        data["stages"].append({"id": stage_id, "name": name, "methods": methods or []})

    return edit_campaign(campaign, framework, who, f"added stage {name}", mutate)


def rename_stage(campaign: Campaign, framework: Framework, who: str, stage_id: str, name: str) -> Campaign:
    """Give a stage another name (its id, used by scores, stays)."""

    def mutate(data: Data) -> None:
        _row(data, "stages", stage_id)["name"] = name

    return edit_campaign(campaign, framework, who, f"renamed stage {stage_id} to {name}", mutate)


def move_stage(campaign: Campaign, framework: Framework, who: str, stage_id: str, step: int) -> Campaign:
    """Move a stage earlier (-1) or later (+1) in the campaign."""
    order = [stage.id for stage in campaign.stages]
    index = order.index(stage_id) if stage_id in order else -1
    if index < 0:
        raise ChangeRefused(f"no stage with id {stage_id!r}")
    target = index + step
    if not 0 <= target < len(order):
        return campaign

    def mutate(data: Data) -> None:
        data["stages"].insert(target, data["stages"].pop(index))

    return edit_campaign(campaign, framework, who, f"moved stage {stage_id} to position {target + 1}", mutate)


def remove_stage(campaign: Campaign, framework: Framework, who: str, stage_id: str) -> Campaign:
    """Remove a stage with no scores; criteria assessed only there must be moved first."""
    if any(score.stage == stage_id for score in campaign.scores):
        raise ChangeRefused(f"stage {stage_id} has scores; it can no longer be removed")
    only_here = [c.name for c in campaign.criteria if c.stages == [stage_id]]
    if only_here:
        raise ChangeRefused(f"assessed only at {stage_id}: {', '.join(only_here)}; assess them at another stage first")

    def mutate(data: Data) -> None:
        data["stages"] = [row for row in data["stages"] if row["id"] != stage_id]
        for row in data["criteria"]:
            row["stages"] = [s for s in row["stages"] if s != stage_id]
        data["campaign"]["count_stages"] = [s for s in data["campaign"]["count_stages"] if s != stage_id]

    return edit_campaign(campaign, framework, who, f"removed stage {stage_id}", mutate)


def set_stage_methods(campaign: Campaign, framework: Framework, who: str, stage_id: str, methods: list[str]) -> Campaign:
    """Choose the selection methods a stage uses."""
    order = [method.id for method in framework.methods]
    chosen = sorted(set(methods), key=lambda m: order.index(m) if m in order else len(order))

    def mutate(data: Data) -> None:
        _row(data, "stages", stage_id)["methods"] = chosen

    return edit_campaign(campaign, framework, who, f"methods at {stage_id}: {', '.join(chosen) or 'none'}", mutate)


# --- panel and candidates --------------------------------------------------------------

def add_member(campaign: Campaign, framework: Framework, who: str, *, name: str, role: str, member_id: str | None = None) -> Campaign:
    """Add a panel member (chair, member or independent)."""
    chosen_id = member_id or slug(name.split()[-1] if name.split() else name)
    if member_id is None and chosen_id in {m.id for m in campaign.panel}:
        chosen_id = next_id([m.id for m in campaign.panel], chosen_id)

    def mutate(data: Data) -> None:
        data["panel"].append({"id": chosen_id, "name": name, "role": role})

    return edit_campaign(campaign, framework, who, f"added {role} {name} ({chosen_id}) to the panel", mutate)


def update_member(campaign: Campaign, framework: Framework, who: str, member_id: str, **fields: Any) -> Campaign:
    """Change a panel member's name or role."""
    if not set(fields) <= {"name", "role"}:
        raise ChangeRefused("only a member's name and role can change")

    def mutate(data: Data) -> None:
        _row(data, "panel", member_id).update(fields)

    return edit_campaign(campaign, framework, who, f"panel member {member_id}: " + ", ".join(f"{k} {v!r}" for k, v in fields.items()), mutate)


def remove_member(campaign: Campaign, framework: Framework, who: str, member_id: str) -> Campaign:
    """Remove a panel member who has not scored or moderated."""
    if any(score.assessor == member_id for score in campaign.scores) or any(m.by == member_id for m in campaign.moderation):
        raise ChangeRefused(f"{member_id} has scored; they stay on the panel so their scores keep their author")

    def mutate(data: Data) -> None:
        _row(data, "panel", member_id)
        data["panel"] = [row for row in data["panel"] if row["id"] != member_id]

    return edit_campaign(campaign, framework, who, f"removed {member_id} from the panel", mutate)


def add_candidate(
    campaign: Campaign, framework: Framework, who: str, *, name: str, reference: str = "", adjustments: str = "", candidate_id: str | None = None
) -> Campaign:
    """Add a candidate; the id defaults to the next C number."""
    chosen_id = candidate_id or next_id([c.id for c in campaign.candidates], "C")

    def mutate(data: Data) -> None:
        data["candidates"].append({"id": chosen_id, "name": name, "reference": reference, "adjustments": adjustments})

    return edit_campaign(campaign, framework, who, f"added candidate {chosen_id}", mutate)


def update_candidate(campaign: Campaign, framework: Framework, who: str, candidate_id: str, **fields: Any) -> Campaign:
    """Change a candidate's name, reference or adjustments."""
    if not set(fields) <= {"name", "reference", "adjustments"}:
        raise ChangeRefused("only a candidate's name, reference and adjustments can change")

    def mutate(data: Data) -> None:
        _row(data, "candidates", candidate_id).update(fields)

    return edit_campaign(campaign, framework, who, f"edited candidate {candidate_id}: {', '.join(fields)}", mutate)


def set_withdrawn(campaign: Campaign, framework: Framework, who: str, candidate_id: str, withdrawn: bool) -> Campaign:
    """Withdraw a candidate (kept, out of the ranking) or reinstate them."""

    def mutate(data: Data) -> None:
        _row(data, "candidates", candidate_id)["withdrawn"] = withdrawn

    return edit_campaign(campaign, framework, who, f"{'withdrew' if withdrawn else 'reinstated'} candidate {candidate_id}", mutate)


def import_candidates(campaign: Campaign, framework: Framework, who: str, rows: list[Data], source: str) -> Campaign:
    """Add many candidates at once: all of them, or none if any is refused."""
    ids = [c.id for c in campaign.candidates]
    added = []
    for row in rows:
        candidate_id = row.get("id") or next_id(ids, "C")
        ids.append(candidate_id)
        added.append({"id": candidate_id, "name": row["name"], "reference": row.get("reference", ""), "adjustments": row.get("adjustments", "")})

    def mutate(data: Data) -> None:
        data["candidates"].extend(added)

    return edit_campaign(campaign, framework, who, f"imported {len(added)} candidates from {source}", mutate)


# --- status ----------------------------------------------------------------------------

def setup_gaps(campaign: Campaign) -> list[str]:
    """What the set-up still lacks before scoring can start, in words (empty when complete)."""
    gaps = []
    if not campaign.stages:
        gaps.append("no stages")
    if not campaign.criteria:
        gaps.append("no criteria")
    chairs = campaign.chairs()
    if len(chairs) != 1:
        gaps.append("no chair on the panel" if not chairs else f"{len(chairs)} chairs on the panel; exactly one is needed")
    if not campaign.candidates:
        gaps.append("no candidates")
    for stage in campaign.stages:
        if not any(stage.id in c.stages for c in campaign.criteria):
            gaps.append(f"stage {stage.name} assesses no criteria")
        if not stage.methods:
            gaps.append(f"stage {stage.name} has no selection methods")
    return gaps


def next_status(campaign: Campaign) -> str | None:
    """The status after the current one, or None at the end."""
    index = STATUSES.index(campaign.campaign.status)
    return STATUSES[index + 1] if index + 1 < len(STATUSES) else None


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
