"""One candidate's record for a subject access request (`subject_access.candidate_record`), as JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any

from assessor.report.safe_text import json_safe, visible
from assessor.report.wording import md_cell
from assessor.rules.summary_types import format_score


def render_candidate(record: dict[str, Any], fmt: str = "json") -> str:
    """One candidate's record for a subject access request (`subject_access.candidate_record`), as JSON or
    Markdown, safe to print (`safe_text`)."""
    if fmt == "json":
        return json_safe(json.dumps(record, indent=2, ensure_ascii=False)) + "\n"
    person, info = record["candidate"], record["campaign"]
    out = [f"# {md_cell(person['name'])} ({person['id']})", "", f"Campaign: {md_cell(info['title'])} ({info['id']}), status {info['status']}.", ""]
    out.append(f"- Reference: {md_cell(person['reference']) or 'none'}")
    out.append(f"- Reasonable adjustments: {md_cell(person['adjustments']) or 'none'}")
    out.append(f"- Withdrawn: {'yes' if person['withdrawn'] else 'no'}")
    count = record["others_replaced"]
    kinds = ", ".join(f"{number} by {kind}" for kind, number in record.get("others_found", {}).items())
    out.append(f'- Other candidates named in the text below: {count} replaced with "[another candidate]"' + (f" ({kinds})" if kinds else ""))
    out += ["", "## Outcome", "", "| Stages | Rank | Outcome | Total | Reasons |", "| --- | --- | --- | --- | --- |"]
    for result in record["results"]:
        label = ", ".join(result["stages"]) + (" (merit list)" if result["merit_list"] else "")
        reasons = "; ".join([*result["failed"], *(f"no score yet for {item}" for item in result["missing"]), *filter(None, [result["reason"]])])
        rank = result["rank"] if result["rank"] is not None else "-"
        out.append(f"| {md_cell(label)} | {rank} | {result['outcome']} | {format_score(result['total'])} | {md_cell(reasons)} |")
    out += ["", "## Scores and evidence", ""]
    if record["scores"]:
        out += ["| Stage | Criterion | Panel member | Score | Evidence | When |", "| --- | --- | --- | --- | --- | --- |"]
        for row in record["scores"]:
            out.append(
                f"| {row['stage']} | {md_cell(row['criterion_name'])} | {md_cell(row['assessor_name'])} | {row['score']} "
                f"| {md_cell(row['evidence'])} | {row['at']} |"
            )
    else:
        out.append("No scores recorded.")
    out += ["", "## The panel's notes", ""]
    if record["notes"]:
        out += ["| Stage | Panel member | Note | When |", "| --- | --- | --- | --- |"]
        out += [f"| {row['stage']} | {md_cell(row['assessor_name'])} | {md_cell(row['text'])} | {row['at']} |" for row in record["notes"]]
    else:
        out.append("No notes written.")
    out += ["", "## Agreed scores", ""]
    if record["moderation"]:
        out += ["| Stage | Criterion | Agreed | Rationale | By | When |", "| --- | --- | --- | --- | --- | --- |"]
        for row in record["moderation"]:
            out.append(
                f"| {row['stage']} | {md_cell(row['criterion_name'])} | {row['score']} | {md_cell(row['rationale'])} "
                f"| {md_cell(row['by_name'])} | {row['at']} |"
            )
    else:
        out.append("No agreed scores recorded.")
    out += ["", "## Feedback from the panel", "", md_cell(record["feedback"]) or "None written."]
    out += ["", "## Panel members who declared they know you", ""]
    if record["conflicts_of_interest"]:
        out += ["| Panel member | How they know you | Declared | Taken back |", "| --- | --- | --- | --- |"]
        for row in record["conflicts_of_interest"]:
            back = f"{row['withdrawn']}: {row['withdrawn_reason']}" if row["withdrawn"] else ""
            out.append(f"| {md_cell(row['member_name'])} | {md_cell(row['reason'])} | {row['at']} | {md_cell(back)} |")
    else:
        out.append("None.")
    out += ["", "## Audit rows naming this candidate", ""]
    out += [f"- {row['at']} {md_cell(row['who'])}: {md_cell(row['what'])}" for row in record["audit"]] or ["None."]
    return visible("\n".join(out) + "\n")
