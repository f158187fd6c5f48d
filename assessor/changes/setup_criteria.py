"""Set-up changes to what is assessed: the criteria, the stages, and the matrix between them."""

from __future__ import annotations

from typing import Any

from assessor.changes.setup import Data, edit_campaign, row_of, slug
from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused
from assessor.core.framework import Framework
from assessor.rules.roles import CRITERIA, SHORTLIST, STAGES, check_set_up_change
from assessor.rules.summary_types import format_score


def add_behaviour(campaign: Campaign, framework: Framework, who: str, item_id: str, stages: list[str] | None = None) -> Campaign:
    """Add a framework behaviour (competency, value) as a criterion, at every stage by default."""
    check_set_up_change(campaign, who, CRITERIA)  # before its own refusals: a frozen set-up is the reason
    item = framework.item(item_id)
    if item is None:
        raise ChangeRefused(f"{item_id!r} is not in {framework.name}")
    chosen = stages if stages is not None else [stage.id for stage in campaign.stages]
    if not chosen:
        raise ChangeRefused("add a stage first: a criterion must be assessed at one stage at least")

    def mutate(data: Data) -> None:
        data["criteria"].append({"id": item.id, "element": item.element, "name": item.name, "stages": chosen, "lead": not data["criteria"]})

    return edit_campaign(campaign, framework, who, f"added criterion {item.name}", mutate, part=CRITERIA)


def add_other_criterion(
    campaign: Campaign, framework: Framework, who: str, *, element: str, name: str, description: str = "", stages: list[str] | None = None
) -> Campaign:
    """Add an experience, technical, strength or ability criterion by name."""
    check_set_up_change(campaign, who, CRITERIA)  # before its own refusals: a frozen set-up is the reason
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

    return edit_campaign(campaign, framework, who, f"added {element} criterion {name}", mutate, part=CRITERIA)


def update_criterion(campaign: Campaign, framework: Framework, who: str, criterion_id: str, **fields: Any) -> Campaign:
    """Change a criterion's pass mark, weight, name or description."""
    allowed = {"pass_mark", "weight", "name", "description"}
    if not set(fields) <= allowed:
        raise ChangeRefused(f"cannot change {', '.join(sorted(set(fields) - allowed))} of a criterion")

    def mutate(data: Data) -> None:
        row_of(data, "criteria", criterion_id).update(fields)

    words = ", ".join(f"{key} {value!r}" for key, value in fields.items())
    return edit_campaign(campaign, framework, who, f"criterion {criterion_id}: {words}", mutate, part=CRITERIA)


def remove_criterion(campaign: Campaign, framework: Framework, who: str, criterion_id: str) -> Campaign:
    """Remove a criterion nobody has scored yet."""
    check_set_up_change(campaign, who, CRITERIA)  # before its own refusals: a frozen set-up is the reason
    scored = sum(1 for score in campaign.scores if score.criterion == criterion_id)
    if scored:
        raise ChangeRefused(f"{criterion_id} has {scored} scores; it can no longer be removed")

    def mutate(data: Data) -> None:
        was_lead = row_of(data, "criteria", criterion_id)["lead"]
        data["criteria"] = [row for row in data["criteria"] if row["id"] != criterion_id]
        data["campaign"]["tie_break"] = [c for c in data["campaign"]["tie_break"] if c != criterion_id]
        if was_lead and data["criteria"]:
            data["criteria"][0]["lead"] = True

    return edit_campaign(campaign, framework, who, f"removed criterion {criterion_id}", mutate, part=CRITERIA)


def set_lead(campaign: Campaign, framework: Framework, who: str, criterion_id: str) -> Campaign:
    """Make one criterion the lead criterion (it breaks ties first)."""

    def mutate(data: Data) -> None:
        row_of(data, "criteria", criterion_id)
        for row in data["criteria"]:
            row["lead"] = row["id"] == criterion_id
        data["campaign"]["tie_break"] = [c for c in data["campaign"]["tie_break"] if c != criterion_id]

    return edit_campaign(campaign, framework, who, f"lead criterion: {criterion_id}", mutate, part=CRITERIA)


def toggle_tie_break(campaign: Campaign, framework: Framework, who: str, criterion_id: str) -> Campaign:
    """Add a criterion to the end of the tie-break order, or take it out."""
    check_set_up_change(campaign, who, CRITERIA)  # before its own refusals: a frozen set-up is the reason
    order = list(campaign.campaign.tie_break)
    lead = campaign.lead_criterion
    if lead is not None and lead.id == criterion_id:
        raise ChangeRefused("the lead criterion already breaks ties first")
    order = [c for c in order if c != criterion_id] if criterion_id in order else [*order, criterion_id]

    def mutate(data: Data) -> None:
        data["campaign"]["tie_break"] = order

    return edit_campaign(campaign, framework, who, f"tie-break order: {', '.join(order) or 'none'}", mutate, part=CRITERIA)


def toggle_criterion_stage(campaign: Campaign, framework: Framework, who: str, criterion_id: str, stage: str) -> Campaign:
    """Assess a criterion at a stage, or stop (a criterion keeps one stage at least)."""
    check_set_up_change(campaign, who, STAGES)  # before its own refusals: a frozen set-up is the reason
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
        row_of(data, "criteria", criterion_id)["stages"] = stages

    return edit_campaign(campaign, framework, who, what, mutate, part=STAGES)


def add_stage(campaign: Campaign, framework: Framework, who: str, name: str, methods: list[str] | None = None) -> Campaign:
    """Add a stage at the end (its id made from its name)."""
    stage_id = slug(name)

    def mutate(data: Data) -> None:
        data["stages"].append({"id": stage_id, "name": name, "methods": methods or []})

    return edit_campaign(campaign, framework, who, f"added stage {name}", mutate, part=STAGES)


def rename_stage(campaign: Campaign, framework: Framework, who: str, stage_id: str, name: str) -> Campaign:
    """Give a stage another name (its id, used by scores, stays)."""

    def mutate(data: Data) -> None:
        row_of(data, "stages", stage_id)["name"] = name

    return edit_campaign(campaign, framework, who, f"renamed stage {stage_id} to {name}", mutate, part=STAGES)


def move_stage(campaign: Campaign, framework: Framework, who: str, stage_id: str, step: int) -> Campaign:
    """Move a stage earlier (-1) or later (+1) in the campaign."""
    check_set_up_change(campaign, who, STAGES)  # before its own refusals: a frozen set-up is the reason
    order = [stage.id for stage in campaign.stages]
    index = order.index(stage_id) if stage_id in order else -1
    if index < 0:
        raise ChangeRefused(f"no stage with id {stage_id!r}")
    target = index + step
    if not 0 <= target < len(order):
        return campaign

    def mutate(data: Data) -> None:
        data["stages"].insert(target, data["stages"].pop(index))

    return edit_campaign(campaign, framework, who, f"moved stage {stage_id} to position {target + 1}", mutate, part=STAGES)


def remove_stage(campaign: Campaign, framework: Framework, who: str, stage_id: str) -> Campaign:
    """Remove a stage with no scores; criteria assessed only there must be moved first."""
    check_set_up_change(campaign, who, STAGES)  # before its own refusals: a frozen set-up is the reason
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

    return edit_campaign(campaign, framework, who, f"removed stage {stage_id}", mutate, part=STAGES)


def set_stage_methods(campaign: Campaign, framework: Framework, who: str, stage_id: str, methods: list[str]) -> Campaign:
    """Choose the selection methods a stage uses."""
    order = [method.id for method in framework.methods]
    chosen = sorted(set(methods), key=lambda m: order.index(m) if m in order else len(order))

    def mutate(data: Data) -> None:
        row_of(data, "stages", stage_id)["methods"] = chosen

    return edit_campaign(campaign, framework, who, f"methods at {stage_id}: {', '.join(chosen) or 'none'}", mutate, part=STAGES)


PRE_SIFT = "pre-sift"


def add_pre_sift(campaign: Campaign, framework: Framework, who: str) -> Campaign:
    """Add a first stage, `pre-sift`, that assesses the lead criterion alone (a short statement
    read before the full sift, when applications are many), on the application form."""
    check_set_up_change(campaign, who, STAGES)
    lead = campaign.lead_criterion
    if lead is None:
        raise ChangeRefused("mark a lead criterion first (l in Criteria): the pre-sift assesses the lead behaviour alone")
    if any(stage.id == PRE_SIFT for stage in campaign.stages):
        raise ChangeRefused("the campaign has a pre-sift already")
    methods = [method for method in ("application-form",) if method in framework.method_ids]

    def mutate(data: Data) -> None:
        data["stages"].insert(0, {"id": PRE_SIFT, "name": "Pre-sift", "methods": methods})
        row_of(data, "criteria", lead.id)["stages"].insert(0, PRE_SIFT)

    return edit_campaign(campaign, framework, who, f"added a pre-sift on the lead criterion, {lead.name}", mutate, part=STAGES)


def set_shortlist(
    campaign: Campaign, framework: Framework, who: str, stage_id: str, shortlist: int | None, mark: float | None, reason: str = ""
) -> Campaign:
    """Set a stage's shortlist cut: at most `shortlist` go on, and only with a total of `mark`
    (None or 0: no such cut). After set-up the chair's, with a reason."""
    stage = next((stage for stage in campaign.stages if stage.id == stage_id), None)
    if stage is None:
        raise ChangeRefused(f"no stage with id {stage_id!r}")
    words = []
    if shortlist:
        words.append(f"the best {shortlist}")
    if mark:
        words.append(f"a total of at least {format_score(mark)}")

    def mutate(data: Data) -> None:
        row = row_of(data, "stages", stage_id)
        row["shortlist"] = shortlist or None
        row["shortlist_mark"] = mark or None

    what = f"shortlist at {stage.name}: {' and '.join(words) or 'no cut'}"
    return edit_campaign(campaign, framework, who, what, mutate, part=SHORTLIST, reason=reason)
