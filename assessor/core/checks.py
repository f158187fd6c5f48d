"""The rules a valid campaign keeps between its tables, checked on every load and before every save.

Ids unique within their table; every score and moderation naming an existing candidate,
criterion, stage and panel member; a criterion scored only at its stages; and, with a
framework, levels, elements, behaviours and methods the framework has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING

from assessor.core.errors import Location

if TYPE_CHECKING:
    from assessor.core.campaign import Campaign, Moderation, PanelMember, Score
    from assessor.core.framework import Framework

Found = list[tuple[Location, str]]
"""Problems as (where in the file's data, message)."""

_SCORE_KEY = attrgetter("candidate", "criterion", "stage", "assessor")


def reference_problems(campaign: Campaign, framework: Framework | None = None) -> Found:
    """Every cross-reference in `campaign` that does not hold, as (location, message)."""
    problems: Found = []
    info = campaign.campaign

    for table in ("stages", "criteria", "panel", "candidates"):
        rows = getattr(campaign, table)
        ids = [row.id for row in rows]
        if len(set(ids)) == len(ids):
            continue  # the usual case, checked without a loop in Python
        seen: set[str] = set()
        for index, row_id in enumerate(ids):
            if row_id in seen:
                problems.append(((table, index, "id"), f"duplicate id {row_id!r}"))
            seen.add(row_id)
    given = [c.reference for c in campaign.candidates if c.reference]
    if len(set(given)) != len(given):
        references = Counter(given)
        for index, candidate in enumerate(campaign.candidates):
            if candidate.reference and references[candidate.reference] > 1:
                problems.append((("candidates", index, "reference"), f"reference {candidate.reference!r} is used by more than one candidate"))

    stages = {stage.id for stage in campaign.stages}
    criteria = {criterion.id: criterion for criterion in campaign.criteria}
    panel = {member.id: member for member in campaign.panel}
    candidates = {candidate.id for candidate in campaign.candidates}

    for index, criterion in enumerate(campaign.criteria):
        for position, stage in enumerate(criterion.stages):
            if stage not in stages:
                problems.append((("criteria", index, "stages", position), f"unknown stage {stage!r}"))
    leads = [index for index, criterion in enumerate(campaign.criteria) if criterion.lead]
    for index in leads[1:]:
        problems.append((("criteria", index, "lead"), "only one criterion can be the lead criterion"))
    for position, stage in enumerate(info.count_stages):
        if stage not in stages:
            problems.append((("campaign", "count_stages", position), f"unknown stage {stage!r}"))
        elif stage in info.count_stages[:position]:  # counted twice would double every total
            problems.append((("campaign", "count_stages", position), f"stage {stage!r} is counted twice"))
    for position, criterion_id in enumerate(info.tie_break):
        if criterion_id not in criteria:
            problems.append((("campaign", "tie_break", position), f"unknown criterion {criterion_id!r}"))

    def check_item(table: str, index: int, row: Score | Moderation) -> None:
        if row.candidate not in candidates:
            problems.append(((table, index, "candidate"), f"unknown candidate {row.candidate!r}"))
        if row.stage not in stages:
            problems.append(((table, index, "stage"), f"unknown stage {row.stage!r}"))
        criterion = criteria.get(row.criterion)
        if criterion is None:
            problems.append(((table, index, "criterion"), f"unknown criterion {row.criterion!r}"))
        elif row.stage in stages and row.stage not in criterion.stages:
            problems.append(((table, index, "stage"), f"criterion {row.criterion!r} is not assessed at stage {row.stage!r}"))

    # (criterion, stage) pairs a score may name. A big sift has tens of thousands of
    # scores: they are checked as sets first, and row by row only if something is wrong.
    assessed = {(criterion.id, stage) for criterion in campaign.criteria for stage in criterion.stages if stage in stages}
    keys = list(map(_SCORE_KEY, campaign.scores))
    named = tuple(zip(*keys, strict=True)) or ((), (), (), ())  # candidates, criteria, stages, assessors
    if not (
        len(set(keys)) == len(keys)
        and candidates.issuperset(named[0])
        and assessed.issuperset(zip(named[1], named[2], strict=True))
        and panel.keys() >= set(named[3])
    ):
        seen_scores: set[tuple[str, str, str, str]] = set()
        for index, score in enumerate(campaign.scores):
            key = keys[index]
            check_item("scores", index, score)
            if score.assessor not in panel:
                problems.append((("scores", index, "assessor"), f"unknown panel member {score.assessor!r}"))
            if key in seen_scores:
                problems.append((("scores", index), f"{score.assessor} already scored {score.candidate} on {score.criterion} at {score.stage}"))
            seen_scores.add(key)

    problems.extend(_allocation_problems(campaign, stages, candidates, panel.keys()))
    problems.extend(_note_problems(campaign, stages, candidates, panel.keys()))
    problems.extend(_decision_problems(campaign, stages, candidates, panel))
    standing: set[tuple[str, str]] = set()
    for index, row in enumerate(campaign.declarations):
        if row.member not in panel:
            problems.append((("declarations", index, "member"), f"unknown panel member {row.member!r}"))
        if row.candidate not in candidates:
            problems.append((("declarations", index, "candidate"), f"unknown candidate {row.candidate!r}"))
        if row.stands and (row.member, row.candidate) in standing:
            problems.append((("declarations", index), f"{row.member} has declared a conflict with {row.candidate} twice; one stands at a time"))
        if row.stands:
            standing.add((row.member, row.candidate))

    seen_moderation: set[tuple[str, str, str]] = set()
    for index, agreed in enumerate(campaign.moderation):
        check_item("moderation", index, agreed)
        member = panel.get(agreed.by)
        if member is None:
            problems.append((("moderation", index, "by"), f"unknown panel member {agreed.by!r}"))
        elif member.role != "chair":
            problems.append((("moderation", index, "by"), f"{agreed.by!r} is not a chair; only a chair records agreed scores"))
        if agreed.item in seen_moderation:
            problems.append((("moderation", index), f"{agreed.candidate} on {agreed.criterion} at {agreed.stage} is moderated twice"))
        seen_moderation.add(agreed.item)

    for index, placed in enumerate(campaign.order):
        for position, candidate_id in enumerate(placed.candidates):
            if candidate_id not in candidates:
                problems.append((("order", index, "candidates", position), f"unknown candidate {candidate_id!r}"))
        if len(set(placed.candidates)) != len(placed.candidates):
            problems.append((("order", index, "candidates"), "a candidate is named twice"))
        chair = panel.get(placed.by)
        if chair is None or chair.role != "chair":
            problems.append((("order", index, "by"), f"{placed.by!r} is not a chair; only a chair orders a tie"))

    written: set[str] = set()
    for index, note in enumerate(campaign.feedback):
        if note.candidate not in candidates:
            problems.append((("feedback", index, "candidate"), f"unknown candidate {note.candidate!r}"))
        elif note.candidate in written:
            problems.append((("feedback", index, "candidate"), f"{note.candidate} has feedback twice; one row a candidate"))
        written.add(note.candidate)
        author = panel.get(note.by)
        if author is None or author.role != "chair":
            problems.append((("feedback", index, "by"), f"{note.by!r} is not a chair; only a chair writes feedback"))

    if campaign.seal is not None and campaign.seal.by in panel and panel[campaign.seal.by].role != "chair":
        problems.append((("seal", "by"), f"{campaign.seal.by!r} is not a chair"))

    if framework is not None:
        problems.extend(framework_problems(campaign, framework))
    return problems


def _note_problems(campaign: Campaign, stages: set[str], candidates: set[str], panel: Collection[str]) -> Found:
    """A note names a candidate, stage and panel member that exist; one note a member, candidate and stage."""
    problems: Found = []
    seen: set[tuple[str, str, str]] = set()
    for index, note in enumerate(campaign.notes):
        if note.candidate not in candidates:
            problems.append((("notes", index, "candidate"), f"unknown candidate {note.candidate!r}"))
        if note.stage not in stages:
            problems.append((("notes", index, "stage"), f"unknown stage {note.stage!r}"))
        if note.assessor not in panel:
            problems.append((("notes", index, "assessor"), f"unknown panel member {note.assessor!r}"))
        key = (note.candidate, note.stage, note.assessor)
        if key in seen:
            problems.append((("notes", index), f"{note.assessor} has two notes on {note.candidate} at {note.stage}; one a stage"))
        seen.add(key)
    return problems


def _decision_problems(campaign: Campaign, stages: set[str], candidates: set[str], panel: Mapping[str, PanelMember]) -> Found:
    """A stage's recorded result names a stage once, is the chair's, and names each candidate that exists once."""
    problems: Found = []
    decided: set[str] = set()
    for index, decision in enumerate(campaign.decisions):
        if decision.stage not in stages:
            problems.append((("decisions", index, "stage"), f"unknown stage {decision.stage!r}"))
        elif decision.stage in decided:
            problems.append((("decisions", index, "stage"), f"the {decision.stage} stage is recorded as decided twice; one record a stage"))
        decided.add(decision.stage)
        member = panel.get(decision.by)
        if member is None or member.role != "chair":
            problems.append((("decisions", index, "by"), f"{decision.by!r} is not a chair; only the chair decides a stage"))
        named: set[str] = set()
        for position, result in enumerate(decision.results):
            if result.candidate not in candidates:
                problems.append((("decisions", index, "results", position, "candidate"), f"unknown candidate {result.candidate!r}"))
            elif result.candidate in named:
                problems.append((("decisions", index, "results", position, "candidate"), f"{result.candidate} has two results at {decision.stage}"))
            named.add(result.candidate)
        for position, late in enumerate(decision.reinstated):
            if late.candidate not in named:
                problems.append((("decisions", index, "reinstated", position, "candidate"), f"{late.candidate!r} has no result at {decision.stage}"))
            late_by = panel.get(late.by)
            if late_by is None or late_by.role != "chair":
                problems.append((("decisions", index, "reinstated", position, "by"), f"{late.by!r} is not a chair; only the chair reinstates"))
    return problems


def _allocation_problems(campaign: Campaign, stages: set[str], candidates: set[str], panel: Collection[str]) -> Found:
    """Allocated readings name a stage, candidate and panel member that exist, once each; a second
    marking checks a first reader of the same candidate at the same stage, and is not by them."""
    problems: Found = []
    seen: set[tuple[str, str, str]] = set()
    first_readers: dict[tuple[str, str], set[str]] = {}
    for row in campaign.allocation:
        if row.second_marks is None:
            first_readers.setdefault((row.stage, row.candidate), set()).add(row.assessor)
    for index, row in enumerate(campaign.allocation):
        if row.stage not in stages:
            problems.append((("allocation", index, "stage"), f"unknown stage {row.stage!r}"))
        if row.candidate not in candidates:
            problems.append((("allocation", index, "candidate"), f"unknown candidate {row.candidate!r}"))
        if row.assessor not in panel:
            problems.append((("allocation", index, "assessor"), f"unknown panel member {row.assessor!r}"))
        key = (row.stage, row.candidate, row.assessor)
        if key in seen:
            problems.append((("allocation", index), f"{row.assessor} is allocated {row.candidate} at {row.stage} more than once"))
        seen.add(key)
        if row.second_marks is not None and row.second_marks not in first_readers.get((row.stage, row.candidate), set()):
            problems.append((("allocation", index, "second_marks"), f"{row.second_marks!r} is not a first reader of {row.candidate} at {row.stage}"))
    return problems


def framework_problems(campaign: Campaign, framework: Framework) -> Found:
    """Where the campaign names levels, elements, behaviours or methods its framework lacks."""
    problems: Found = []
    if campaign.campaign.level not in framework.level_numbers:
        low, high = min(framework.level_numbers), max(framework.level_numbers)
        problems.append((("campaign", "level"), f"level {campaign.campaign.level} is not in {framework.name} (levels {low} to {high})"))
    for index, stage in enumerate(campaign.stages):
        for position, method in enumerate(stage.methods):
            if method not in framework.method_ids:
                problems.append((("stages", index, "methods", position), f"unknown selection method {method!r}"))
    schemes = framework.scheme_names
    for index, candidate in enumerate(campaign.candidates):
        if candidate.guaranteed_interview is not None and candidate.guaranteed_interview not in schemes:
            known = ", ".join(schemes) or "none"
            problems.append(
                (
                    ("candidates", index, "guaranteed_interview"),
                    f"unknown guaranteed interview scheme {candidate.guaranteed_interview!r} (one of: {known})",
                )
            )
    for index, criterion in enumerate(campaign.criteria):
        if criterion.element not in framework.element_ids:
            known = ", ".join(sorted(framework.element_ids))
            problems.append((("criteria", index, "element"), f"unknown element {criterion.element!r} (one of: {known})"))
        elif criterion.element in framework.item_elements and criterion.id not in framework.item_ids:
            problems.append((("criteria", index, "id"), f"{criterion.id!r} is not one of the {criterion.element} in {framework.name}"))
    return problems
