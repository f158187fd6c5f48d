"""The summary as Markdown, for pasting into a document or a ticket."""

from __future__ import annotations

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.wording import (
    SECOND_MARKING_HEADINGS,
    SECOND_MARKING_TITLE,
    difference,
    heading,
    md_cell,
    outcome_text,
    outcome_words,
    own_score,
    rank_text,
    second_marking_rows,
    view_note,
)
from assessor.rules.summary_types import Summary, format_score


def render_markdown(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """For pasting into a document or a ticket."""
    out = [f"# {md_cell(heading(campaign, summary))}", ""]
    if (note := view_note(summary)) is not None:
        out += [note, ""]
    header = ["Rank", "Candidate", "Outcome", "Total", *[md_cell(c.criterion.name) for c in summary.columns], "Flags"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] * len(header)) + "|")
    for result in summary.candidates:
        cells = [
            rank_text(result),
            md_cell(result.display_name),
            outcome_text(result),
            format_score(result.total),
            *[own_score(summary, item) if summary.seen_by else format_score(item.agreed) + ("*" if item.moderated else "") for item in result.items],
            ", ".join(result.flags),
        ]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("\\* moderated (agreed by the chair).")
    notes = [
        (result, line)
        for result in summary.candidates
        for line in ([outcome_words(result)] if outcome_words(result) != outcome_text(result) else []) + list(result.notes)
    ]
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- **{result.id}**: {md_cell(line)}" for result, line in notes]
    out += ["", "## Panel calibration", "", "| Member | Role | Scores | Mean difference | Outlier | Tendency |", "|---|---|---|---|---|---|"]
    for member in summary.calibration:
        out.append(
            f"| {md_cell(member.name)} | {member.role} | {member.scores} | {difference(member.mean_difference)} "
            f"| {member.outlier} | {member.tendency or ''} |"
        )
    if summary.second_marking:
        out += ["", f"## {SECOND_MARKING_TITLE}", "", "| " + " | ".join(SECOND_MARKING_HEADINGS) + " |", "|---|---|---|---|---|---|"]
        out += ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in second_marking_rows(campaign, summary)]
    return "\n".join(out) + "\n"
