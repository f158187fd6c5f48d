"""The summary as JSON: one object, candidates in merit order."""

from __future__ import annotations

import json
from typing import Any

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.wording import column_label, reasons
from assessor.rules.summary_types import Summary


def summary_data(summary: Summary) -> dict[str, Any]:
    """The summary as plain data: the JSON format's shape."""
    return {
        "campaign": summary.campaign_id,
        "title": summary.title,
        "stages": list(summary.stages),
        "counted": summary.counted,
        "vacancies": summary.vacancies,
        "names_shown": summary.names_shown,
        "seen_by": summary.seen_by,
        "criteria": [
            {
                "key": column_label(summary, column),
                "id": column.criterion.id,
                "name": column.criterion.name,
                "stage": column.stage,
                "weight": column.criterion.weight,
                "pass_mark": column.criterion.pass_mark,
                "lead": column.criterion.lead,
            }
            for column in summary.columns
        ],
        "candidates": [
            {
                "id": result.id,
                "name": result.display_name,
                "rank": result.rank,
                "outcome": result.outcome,
                "total": None if result.total is None else round(result.total, 2),
                "scores": {
                    column_label(summary, column): {
                        "score": None if item.agreed is None else round(item.agreed, 2),
                        "moderated": item.moderated,
                        "spread": item.spread,
                        "panel": item.scores,
                        "without_evidence": list(item.without_evidence),
                    }
                    for column, item in zip(summary.columns, result.items, strict=True)
                },
                "flags": list(result.flags),
                "failed": list(result.failed),
                "missing": list(result.missing),
                "unagreed": list(result.unagreed),
                "reason": reasons(result),
                "notes": list(result.notes),
            }
            for result in summary.candidates
        ],
        "calibration": [
            {
                "id": member.id,
                "name": member.name,
                "role": member.role,
                "scores": member.scores,
                "compared": member.compared,
                "mean_difference": None if member.mean_difference is None else round(member.mean_difference, 2),
                "outlier": member.outlier,
                "candidates": member.candidates,
                "tendency": member.tendency,
            }
            for member in summary.calibration
        ],
        "second_marking": [
            {
                "stage": found.stage,
                "sifter": found.sifter,
                "name": found.name,
                "pairs": found.items,
                "exact": found.exact,
                "agreement": None if found.agreement is None else round(found.agreement, 4),
                "mean_difference": None if found.mean_difference is None else round(found.mean_difference, 2),
                "differ_by_2_or_more": found.wide,
            }
            for found in summary.second_marking
        ],
    }


def render_json(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """One JSON object; candidates in merit order."""
    data = summary_data(summary)
    final = campaign.campaign.status == "final" and campaign.seal is not None
    data = {"campaign": data.pop("campaign"), "title": data.pop("title"), "draft": not final, **data}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
