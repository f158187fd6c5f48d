"""The feedback letter to one candidate: the role, each stage they took part in with the agreed
score on every criterion and its scale label, the outcome in words, and the chair's feedback.

Nothing about any other candidate (no ranks beside theirs, no one else's id in a reason) and
no panel member's own evidence: only what the panel agreed.
"""

from __future__ import annotations

import html
from typing import Any

from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused
from assessor.core.framework import Framework
from assessor.report.safe_text import markdown_text, visible
from assessor.report.wording import md_cell
from assessor.rules.scoring import summarise
from assessor.rules.summary_types import CandidateResult, format_score

STOPPED = ("fail", "not-shortlisted", "withdrawn")


def _label(framework: Framework, agreed: float | None) -> str:
    """The scale's label for an agreed score (a mean between two points: the nearer, half up)."""
    if agreed is None:
        return "not yet agreed"
    return framework.scale_point(min(7, max(1, int(agreed + 0.5)))).label


def _outcome_words(campaign: Campaign, result: CandidateResult, stage_name: str) -> str:
    """The outcome as a sentence for the candidate, naming nobody else."""
    if result.outcome == "appointable":
        return f"You were placed {result.rank} on the merit list and are recommended for appointment."
    if result.outcome == "reserve":
        until = campaign.campaign.reserve_until
        return f"You were placed {result.rank} on the merit list and are on the reserve list" + (f" until {until.isoformat()}." if until else ".")
    if result.outcome == "fail":
        why = "; ".join(reason for reason in result.failed if not reason.startswith("did not pass the "))
        return f"You did not meet the minimum standard at the {stage_name} stage" + (f": {why}." if why else ".")
    if result.outcome == "not-shortlisted":
        why = "tied with others at the cut" if "tie-at-cut" in result.flags else result.reason
        return f"You met the minimum standard at the {stage_name} stage but were not shortlisted to go on ({why})."
    if result.outcome == "withdrawn":
        return "You withdrew from the campaign."
    if result.outcome == "guaranteed":
        return f"You met the minimum standard at the {stage_name} stage and went on under a guaranteed interview scheme."
    if result.outcome == "pass":
        return f"You met the minimum standard at the {stage_name} stage and went on."
    return "Your assessment is not complete yet."


def feedback_letter(campaign: Campaign, framework: Framework, candidate_id: str) -> dict[str, Any]:
    """What a candidate's letter says, as plain data; refused for an unknown candidate."""
    person = next((c for c in campaign.candidates if c.id == candidate_id), None)
    if person is None:
        raise ChangeRefused(f"unknown candidate {candidate_id!r}")
    schemes = framework.scheme_names
    criteria = {criterion.id: criterion for criterion in campaign.criteria}
    counted = set(campaign.counted_stages)
    stages: list[dict[str, Any]] = []
    outcome = ""
    for stage in campaign.stages:
        summary = summarise(campaign, stage.id, show_names=True, schemes=schemes)
        if stage.id in counted and stage.id == campaign.counted_stages[-1]:
            summary = summarise(campaign, show_names=True, schemes=schemes)  # the merit list decides the outcome
        result = summary.candidate(candidate_id)
        if result.outcome == "fail" and any(reason.startswith("did not pass the ") for reason in result.failed[:1]):
            break  # stopped at an earlier stage: never took part in this one
        if result.outcome == "not-shortlisted" and result.reason.startswith("not shortlisted at the "):
            break
        items = [
            {"criterion": criteria[item.criterion].name, "score": format_score(item.agreed), "label": _label(framework, item.agreed)}
            for item in result.items
            if item.stage == stage.id
        ]
        stages.append({"stage": stage.name, "criteria": items})
        outcome = _outcome_words(campaign, result, stage.name)
        if result.outcome in STOPPED:
            break
    feedback = next((note.text for note in campaign.feedback if note.candidate == candidate_id), "")
    role = campaign.campaign.role
    return {
        "candidate": {"id": person.id, "name": person.name},
        "campaign": campaign.campaign.title,
        "role": {"title": role.title, "grade": role.grade, "department": role.department},
        "stages": stages,
        "outcome": outcome,
        "feedback": feedback,
    }


def render_letter(letter: dict[str, Any], fmt: str) -> str:
    """The letter as Markdown (`md`) or a self-contained HTML page (`html`), safe to print (`safe_text`)."""
    person, role = letter["candidate"], letter["role"]
    post = ", ".join(part for part in (role["title"], role["grade"], role["department"]) if part) or letter["campaign"]
    if fmt == "html":
        e = html.escape
        out = [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            f"<title>Feedback: {e(person['name'])}</title></head><body>",
            f"<h1>Feedback for {e(person['name'])} ({e(person['id'])})</h1>",
            f"<p>{e(letter['campaign'])}: {e(post)}</p>",
        ]
        for stage in letter["stages"]:
            out.append(f"<h2>{e(stage['stage'])}</h2><table><tr><th>Criterion</th><th>Agreed score</th><th>Meaning</th></tr>")
            out += [f"<tr><td>{e(row['criterion'])}</td><td>{e(row['score'])}</td><td>{e(row['label'])}</td></tr>" for row in stage["criteria"]]
            out.append("</table>")
        out.append(f"<h2>Outcome</h2><p>{e(letter['outcome'])}</p>")
        out.append(f"<h2>Feedback from the panel</h2><p>{e(letter['feedback']).replace(chr(10), '<br>') or 'None written.'}</p>")
        return visible("\n".join(out) + "\n</body></html>\n")
    out = [f"# Feedback for {md_cell(person['name'])} ({person['id']})", "", f"{md_cell(letter['campaign'])}: {md_cell(post)}"]
    for stage in letter["stages"]:
        out += ["", f"## {md_cell(stage['stage'])}", "", "| Criterion | Agreed score | Meaning |", "| --- | --- | --- |"]
        out += [f"| {md_cell(row['criterion'])} | {row['score']} | {md_cell(row['label'])} |" for row in stage["criteria"]]
    out += ["", "## Outcome", "", letter["outcome"], "", "## Feedback from the panel", "", markdown_text(letter["feedback"]) or "None written."]
    return visible("\n".join(out) + "\n")
