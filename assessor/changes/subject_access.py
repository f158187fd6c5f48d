"""Subject access: everything a campaign holds on one candidate, and nothing on anyone else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessor.core.campaign import Campaign
from assessor.core.clock import stamp
from assessor.core.errors import ChangeRefused
from assessor.rules.mentions import Mentions
from assessor.rules.scoring import summarise

TIE_AT_CUT = "tied with others at the shortlist's cut: all of them go on"


def candidate_record(campaign: Campaign, candidate_id: str, schemes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything the campaign holds on one candidate, and nothing on anyone else.

    Their details and adjustments; every score and agreed score about them with the
    panel member's name and the evidence; their rank and outcome at each stage and on
    the merit list; the audit rows that name them (by id, reference or name). Notes
    comparing them with other candidates are left out, and any other candidate named in
    free text, however written, is replaced by ANOTHER (`rules.mentions`): `others_replaced`
    counts the replacements and `others_found` how many of each kind (id, reference, ...).
    """
    person = next((c for c in campaign.candidates if c.id == candidate_id), None)
    if person is None:
        raise ChangeRefused(f"unknown candidate {candidate_id!r}")
    others = Mentions(campaign, candidate_id)
    hide = others.hide
    panel = {member.id: member.name for member in campaign.panel}
    criteria = {criterion.id: criterion.name for criterion in campaign.criteria}
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    summaries = [summarise(campaign, stage.id, show_names=True, schemes=schemes) for stage in campaign.stages]
    if len(campaign.counted_stages) > 1:
        summaries.append(summarise(campaign, show_names=True, schemes=schemes))
    results = []
    for summary in summaries:
        mine = summary.candidate(candidate_id)
        results.append(
            {
                "stages": [stage_names.get(stage, stage) for stage in summary.stages],
                "merit_list": summary.counted,
                "rank": mine.rank,
                "outcome": mine.outcome,
                "total": None if mine.total is None else round(mine.total, 2),
                "agreed": {f"{item.criterion}@{item.stage}": (round(item.agreed, 2) if item.agreed is not None else None) for item in mine.items},
                "failed": list(mine.failed),
                "missing": list(mine.missing),
                # Why they went on or not at a shortlist cut, naming nobody else.
                "reason": TIE_AT_CUT if "tie-at-cut" in mine.flags else hide(mine.reason),
                "flags": list(mine.flags),
            }
        )
    record = {
        "campaign": {"id": campaign.campaign.id, "title": campaign.campaign.title, "status": campaign.campaign.status},
        "candidate": {
            "id": person.id,
            "name": person.name,
            "reference": person.reference,
            "adjustments": hide(person.adjustments),
            "withdrawn": person.withdrawn,
        },
        "scores": [
            {
                "stage": row.stage,
                "criterion": row.criterion,
                "criterion_name": criteria.get(row.criterion, row.criterion),
                "assessor": row.assessor,
                "assessor_name": panel.get(row.assessor, row.assessor),
                "score": row.score,
                "evidence": hide(row.evidence),
                "at": stamp(row.at),
            }
            for row in campaign.scores
            if row.candidate == candidate_id
        ],
        "notes": [
            {
                "stage": row.stage,
                "assessor": row.assessor,
                "assessor_name": panel.get(row.assessor, row.assessor),
                "text": hide(row.text),
                "at": stamp(row.at),
            }
            for row in campaign.notes
            if row.candidate == candidate_id
        ],
        "moderation": [
            {
                "stage": row.stage,
                "criterion": row.criterion,
                "criterion_name": criteria.get(row.criterion, row.criterion),
                "score": row.score,
                "rationale": hide(row.rationale),
                "by": row.by,
                "by_name": panel.get(row.by, row.by),
                "at": stamp(row.at),
            }
            for row in campaign.moderation
            if row.candidate == candidate_id
        ],
        "feedback": hide(next((note.text for note in campaign.feedback if note.candidate == candidate_id), "")),
        "conflicts_of_interest": [
            {
                "member": row.member,
                "member_name": panel.get(row.member, row.member),
                "reason": hide(row.reason),
                "at": stamp(row.at),
                "withdrawn": stamp(row.withdrawn) if row.withdrawn is not None else None,
                "withdrawn_reason": hide(row.withdrawn_reason or ""),
            }
            for row in campaign.declarations
            if row.candidate == candidate_id
        ],
        "results": results,
        "audit": [{"at": stamp(row.at), "who": row.who, "what": hide(row.what)} for row in campaign.audit if others.names_own(row.what)],
    }
    record["others_replaced"] = others.replaced
    record["others_found"] = others.kinds()
    return record
