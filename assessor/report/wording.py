"""Words every report format shares: headings, outcomes with their reasons, the campaign's facts."""

from __future__ import annotations

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.safe_text import markdown_text
from assessor.rules.summary_types import CandidateResult, Column, ItemResult, Summary, format_score

FLAG_LETTERS = {
    "spread": "S",
    "no-evidence": "E",
    "unmoderated-disagreement": "D",
    "unresolved-tie": "T",
    "tie-at-cut": "C",
    "tie-at-line": "L",
    "scored-after-stopping": "X",
}
"""One letter per flag, for the text format's narrow column."""


def column_label(summary: Summary, column: Column) -> str:
    """A column's key in CSV and JSON: the criterion id, with `@stage` when several stages count."""
    return column.criterion.id if len(summary.stages) == 1 else f"{column.criterion.id}@{column.stage}"


def stage_names(campaign: Campaign, summary: Summary) -> str:
    """The summarised stages by name: `Sift, Interview`."""
    names = {stage.id: stage.name for stage in campaign.stages}
    return ", ".join(names.get(stage, stage) for stage in summary.stages)


def heading(campaign: Campaign, summary: Summary) -> str:
    """`TITLE: merit list (Interview)`: the first line of every format, saying whose view it is,
    and `DRAFT: ...` before the campaign is final and sealed: only then is it the record."""
    kind = "merit list" if summary.counted else "stage summary"
    line = f"{summary.title}: {kind} ({stage_names(campaign, summary)})"
    if summary.seen_by:
        line = f"{line}, as {summary.seen_by} sees it before moderation"
    return line if campaign.campaign.status == "final" and campaign.seal is not None else f"DRAFT: {line}"


def view_note(summary: Summary) -> str | None:
    """What a member's view leaves out, in a sentence; None for the whole summary."""
    if summary.seen_by is None:
        return None
    return (
        f"As {summary.seen_by} sees it before moderation: other members' scores, and every total, rank, outcome, "
        "flag and mean that depends on them, are hidden; candidates are in the campaign's order."
    )


HIDDEN = "-"
"""What a report shows where a member's view hides a value."""


def own_score(summary: Summary, item: ItemResult) -> str:
    """In a member's view, their own score on the item (`-` where they have none)."""
    value = item.scores.get(summary.seen_by or "")
    return HIDDEN if value is None else str(value)


def outcome_text(result: CandidateResult) -> str:
    """The outcome as one word, or `-` where a member's view hides it."""
    return result.outcome or HIDDEN


def outcome_words(result: CandidateResult) -> str:
    """The outcome with its reasons: `fail: Leadership 3 < 4`, `incomplete: no score yet for ...`."""
    why = reasons(result)
    return f"{result.outcome}: {why}" if why else outcome_text(result)


def reasons(result: CandidateResult) -> str:
    """Why the outcome is what it is, in the words every format and the app give: a fail's
    failings (`Leadership 3 < 4`, `did not pass the Sift stage`), what an incomplete candidate
    still needs (`no score yet for ...`, `awaiting the panel's agreed score on ...`), and for the
    rest the summary's own reason (at a shortlist cut, or a decided stage's); empty where there
    is none to give (an appointable or reserve candidate, a plain pass, a hidden outcome)."""
    if result.outcome == "fail":
        return "; ".join(result.failed)
    if result.outcome == "incomplete":
        return "; ".join(incomplete_words(result))
    return result.reason


def incomplete_words(result: CandidateResult) -> list[str]:
    """What an incomplete candidate still needs: scores, and the panel's agreed scores."""
    waiting = set(result.unagreed)
    unscored = [label for label in result.missing if label not in waiting]
    words = ["no score yet for " + ", ".join(unscored)] if unscored else []
    if result.unagreed:
        words.append("awaiting the panel's agreed score on " + ", ".join(result.unagreed))
    return words


def outcome_brief(result: CandidateResult) -> str:
    """The outcome with its first reason, short enough for a table's cell: `fail: did not pass
    the Sift stage`, `fail: Leadership 3 < 4 (and 1 more)`, `incomplete: 4 to score`."""
    if result.outcome == "fail" and result.failed:
        more = f" (and {len(result.failed) - 1} more)" if len(result.failed) > 1 else ""
        return f"fail: {result.failed[0]}{more}"
    if result.outcome == "incomplete" and result.missing:
        if len(result.unagreed) == len(result.missing):
            return f"incomplete: {len(result.unagreed)} to agree"
        return f"incomplete: {len(result.missing) - len(result.unagreed)} to score"
    if result.reason:
        return f"{result.outcome}: {result.reason}"
    return outcome_text(result)


def rank_text(result: CandidateResult) -> str:
    """The rank, or `-` for a candidate who has none."""
    return str(result.rank) if result.rank is not None else "-"


def difference(value: float | None) -> str:
    """A calibration difference with its sign (`+0.50`), or `-`."""
    return "-" if value is None else f"{value:+.2f}"


def fit(text: str, width: int) -> str:
    """Text cut to `width` characters, with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def campaign_facts(campaign: Campaign, framework: Framework) -> list[tuple[str, str | int]]:
    """The campaign's facts as (label, value) for the archive formats; empty role details left out."""
    info = campaign.campaign
    level = framework.level(info.level)
    grades = f" ({', '.join(level.grades)})" if level and level.grades else ""
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    facts: list[tuple[str, str | int]] = [
        ("Role", info.role.title),
        ("Grade", info.role.grade),
        ("Department", info.role.department),
        ("Framework", f"{framework.name}, {framework.level_name.lower()} {info.level}{grades}"),
        ("Vacancies", info.vacancies),
        ("Stages counted", ", ".join(stage_names.get(s, s) for s in campaign.counted_stages)),
        ("Overall pass mark", format_score(info.overall_pass_mark) if info.overall_pass_mark else "none"),
        ("Name-blind sift", "yes" if info.anonymise_sift else "no"),
        ("Created", info.created.strftime("%Y-%m-%d")),
        ("Retain until", info.retain_until.isoformat() if info.retain_until else "not set"),
    ]
    return [(label, value) for label, value in facts if value]


def md_cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table: no pipe, no line break, no raw HTML."""
    return markdown_text(text).replace("|", "\\|").replace("\n", " ")


SECOND_MARKING_HEADINGS = ("Stage", "Sifter", "Pairs", "Exact agreement", "Mean difference", "Differ by 2+")
SECOND_MARKING_TITLE = "Second marking (each sifter's scores against their second marker's on the same items)"


def second_marking_rows(campaign: Campaign, summary: Summary) -> list[tuple[str, str, str, str, str, str]]:
    """The second-marking report as rows of text under SECOND_MARKING_HEADINGS."""
    names = {stage.id: stage.name for stage in campaign.stages}
    rows = []
    for found in summary.second_marking:
        agreement = "-" if found.agreement is None else f"{found.agreement:.0%}"
        mean = "-" if found.mean_difference is None else f"{found.mean_difference:.2f}"
        rows.append((names.get(found.stage, found.stage), found.name, str(found.items), agreement, mean, str(found.wide)))
    return rows
