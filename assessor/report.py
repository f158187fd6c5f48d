"""The summary rendered as text, Markdown, CSV, JSON and HTML (and, through `report_xlsx`, a workbook).

Renderers only present: every number, outcome, rank and flag comes from the `Summary`
that `scoring.summarise` computed. The campaign is passed in for descriptive text only
(role, panel names, evidence, method names).
"""

from __future__ import annotations

import csv
import html
import io
import json
import textwrap
from collections.abc import Callable
from typing import Any

from assessor import __version__
from assessor.framework import Framework
from assessor.model import Campaign
from assessor.scoring import FLAG_WORDS, CandidateResult, Column, Summary, format_score

FORMATS = ("text", "md", "csv", "json", "html", "xlsx")
BINARY_FORMATS = frozenset({"xlsx"})
"""Formats that are files, not text: written with `-o`, never printed."""
FLAG_LETTERS = {"spread": "S", "no-evidence": "E", "unmoderated-disagreement": "D", "unresolved-tie": "T"}


def column_label(summary: Summary, column: Column) -> str:
    """A column's key in CSV and JSON: the criterion id, with `@stage` when several stages count."""
    return column.criterion.id if len(summary.stages) == 1 else f"{column.criterion.id}@{column.stage}"


def _stage_names(campaign: Campaign, summary: Summary) -> str:
    names = {stage.id: stage.name for stage in campaign.stages}
    return ", ".join(names.get(stage, stage) for stage in summary.stages)


def heading(campaign: Campaign, summary: Summary) -> str:
    kind = "merit list" if summary.counted else "stage summary"
    return f"{summary.title}: {kind} ({_stage_names(campaign, summary)})"


def outcome_words(result: CandidateResult) -> str:
    if result.outcome == "fail" and result.failed:
        return "fail: " + "; ".join(result.failed)
    if result.outcome == "incomplete":
        return "incomplete: no score yet for " + ", ".join(result.missing)
    return result.outcome


def _rank_text(result: CandidateResult) -> str:
    return str(result.rank) if result.rank is not None else "-"


def _difference(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def campaign_facts(campaign: Campaign, framework: Framework) -> list[tuple[str, str | int]]:
    """The campaign's facts as (label, value) for the archive formats; empty role details left out."""
    info = campaign.campaign
    level = framework.level(info.level)
    grades = f" ({', '.join(level.grades)})" if level and level.grades else ""
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    facts = [
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


def render_text(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """For the terminal: aligned columns that read at 80 characters wide."""
    out = [heading(campaign, summary), "=" * min(80, len(heading(campaign, summary))), ""]
    out.append(f"{'Rank':<5}{'Candidate':<26}{'Outcome':<13}{'Total':>7}  Flags")
    for result in summary.candidates:
        flags = " ".join(FLAG_LETTERS[flag] for flag in result.flags)
        out.append(f"{_rank_text(result):<5}{_fit(result.display_name, 25):<26}{result.outcome:<13}{format_score(result.total):>7}  {flags}")
    legend = "Flags: " + "; ".join(f"{FLAG_LETTERS[flag]} {words}" for flag, words in FLAG_WORDS.items())
    out.extend(textwrap.wrap(legend, 80, subsequent_indent="       "))
    out.append("")
    out.append("Agreed scores (* moderated, ! spread of 2 or more, ? missing)")
    numbers = {column.key: index + 1 for index, column in enumerate(summary.columns)}
    out.append(f"{'':<5}{'':<26}" + "".join(f"{numbers[column.key]:>6}" for column in summary.columns))
    for result in summary.candidates:
        cells = []
        for item in result.items:
            mark = "*" if item.moderated else ("!" if item.wide_spread else " ")
            cells.append(f"{format_score(item.agreed) if not item.missing else '?':>5}{mark}")
        out.append(f"{result.id:<5}{_fit(result.display_name, 25):<26}" + "".join(cells))
    for column in summary.columns:
        weight = f", weight {format_score(column.criterion.weight)}" if column.criterion.weight != 1 else ""
        lead = ", lead" if column.criterion.lead else ""
        out.append(f"  {numbers[column.key]:>2}  {column.criterion.name} ({column.stage}, pass {column.criterion.pass_mark}{weight}{lead})")
    notes = [(result, outcome_words(result), result.notes) for result in summary.candidates]
    if any(words != result.outcome or extra for result, words, extra in notes):
        out.append("")
        out.append("Notes")
        for result, words, extra in notes:
            lines = ([words] if words != result.outcome else []) + list(extra)
            for line in lines:
                out.extend(textwrap.wrap(f"{result.id}: {line}", 78, initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False))
    out.append("")
    out.append("Panel calibration (difference from the panel's mean on the same items)")
    out.append(f"{'Member':<26}{'Role':<13}{'Scores':>7}{'Mean diff':>11}{'Outlier':>9}  Tendency")
    for member in summary.calibration:
        out.append(
            f"{_fit(member.name, 25):<26}{member.role:<13}{member.scores:>7}{_difference(member.mean_difference):>11}"
            f"{member.outlier:>9}  {member.tendency or ''}"
        )
    return "\n".join(line.rstrip() for line in out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """For pasting into a document or a ticket."""
    out = [f"# {_md_cell(heading(campaign, summary))}", ""]
    header = ["Rank", "Candidate", "Outcome", "Total", *[_md_cell(c.criterion.name) for c in summary.columns], "Flags"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] * len(header)) + "|")
    for result in summary.candidates:
        cells = [
            _rank_text(result),
            _md_cell(result.display_name),
            result.outcome,
            format_score(result.total),
            *[format_score(item.agreed) + ("*" if item.moderated else "") for item in result.items],
            ", ".join(result.flags),
        ]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("\\* moderated (agreed by the chair).")
    notes = [(result, line) for result in summary.candidates for line in ([outcome_words(result)] if outcome_words(result) != result.outcome else []) + list(result.notes)]
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- **{result.id}**: {_md_cell(line)}" for result, line in notes]
    out += ["", "## Panel calibration", "", "| Member | Role | Scores | Mean difference | Outlier | Tendency |", "|---|---|---|---|---|---|"]
    for member in summary.calibration:
        out.append(f"| {_md_cell(member.name)} | {member.role} | {member.scores} | {_difference(member.mean_difference)} | {member.outlier} | {member.tendency or ''} |")
    return "\n".join(out) + "\n"


def render_csv(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """One row per candidate, for spreadsheets and scripts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["rank", "candidate", "name", "outcome", "total", *[column_label(summary, c) for c in summary.columns], "flags"])
    for result in summary.candidates:
        writer.writerow(
            [
                result.rank if result.rank is not None else "",
                result.id,
                result.display_name,
                result.outcome,
                round(result.total, 2),
                *["" if item.agreed is None else round(item.agreed, 2) for item in result.items],
                " ".join(result.flags),
            ]
        )
    return buffer.getvalue()


def summary_data(summary: Summary) -> dict[str, Any]:
    """The summary as plain data: the JSON format's shape."""
    return {
        "campaign": summary.campaign_id,
        "title": summary.title,
        "stages": list(summary.stages),
        "counted": summary.counted,
        "vacancies": summary.vacancies,
        "names_shown": summary.names_shown,
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
                "total": round(result.total, 2),
                "scores": {
                    column_label(summary, column): {
                        "score": None if item.agreed is None else round(item.agreed, 2),
                        "moderated": item.moderated,
                        "spread": item.spread,
                        "panel": item.scores,
                        "without_evidence": list(item.without_evidence),
                    }
                    for column, item in zip(summary.columns, result.items)
                },
                "flags": list(result.flags),
                "failed": list(result.failed),
                "missing": list(result.missing),
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
    }


def render_json(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """One JSON object; candidates in merit order."""
    return json.dumps(summary_data(summary), indent=2, ensure_ascii=False) + "\n"


_HTML_STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999; }
h3 { font-size: 1.05rem; margin-bottom: 0.3rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #555; } .flag { color: #8a1c1c; } .evidence { white-space: pre-wrap; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #555; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .candidate { break-inside: avoid; } }
"""


def render_html(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """One self-contained printable page for the archive. Everything printed is escaped."""
    e = html.escape
    info = campaign.campaign
    panel = {member.id: member for member in campaign.panel}
    methods = {method.id: method.name for method in framework.methods}
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    shown = {result.id: result.display_name for result in summary.candidates}
    parts: list[str] = []
    add = parts.append

    add(f"<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{e(heading(campaign, summary))}</title>")
    add(f"<style>{_HTML_STYLE}</style>\n</head>\n<body>")
    add(f"<h1>{e(summary.title)}</h1>")
    add(f"<p class=\"muted\">{e(heading(campaign, summary))} · campaign {e(info.id)} · status {e(info.status)}</p>")

    add("<h2>Campaign</h2>\n<table>")
    role = info.role
    for label, value in campaign_facts(campaign, framework):
        add(f"<tr><th>{e(label)}</th><td>{e(str(value))}</td></tr>")
    add("</table>")
    if role.summary:
        add(f"<p>{e(role.summary)}</p>")

    add("<h2>Panel</h2>\n<table><tr><th>Name</th><th>Role</th></tr>")
    for member in campaign.panel:
        add(f"<tr><td>{e(member.name)}</td><td>{e(member.role)}</td></tr>")
    add("</table>")

    add("<h2>Assessment matrix</h2>\n<table><tr><th>Criterion</th><th>Element</th>")
    for stage in campaign.stages:
        names = ", ".join(methods.get(method, method) for method in stage.methods)
        add(f"<th>{e(stage.name)}<br><span class=\"muted\">{e(names)}</span></th>")
    add("<th>Pass mark</th><th>Weight</th></tr>")
    for criterion in campaign.criteria:
        lead = " (lead)" if criterion.lead else ""
        cells = "".join(f"<td>{'✓' if stage.id in criterion.stages else ''}</td>" for stage in campaign.stages)
        add(
            f"<tr><td>{e(criterion.name)}{lead}</td><td>{e(criterion.element)}</td>{cells}"
            f"<td class=\"num\">{criterion.pass_mark}</td><td class=\"num\">{e(format_score(criterion.weight))}</td></tr>"
        )
    add("</table>")

    add(f"<h2>{'Merit list' if summary.counted else 'Stage summary'}</h2>\n<table><tr><th>Rank</th><th>Candidate</th><th>Outcome</th><th>Total</th>")
    for column in summary.columns:
        add(f"<th>{e(column.criterion.name)}<br><span class=\"muted\">{e(stage_names.get(column.stage, column.stage))}</span></th>")
    add("<th>Flags</th></tr>")
    for result in summary.candidates:
        cells = "".join(
            f"<td class=\"num\">{e(format_score(item.agreed))}{'*' if item.moderated else ''}</td>" for item in result.items
        )
        flags = ", ".join(FLAG_WORDS[flag] for flag in result.flags)
        add(
            f"<tr><td class=\"num\">{e(_rank_text(result))}</td><td>{e(result.display_name)}</td><td>{e(result.outcome)}</td>"
            f"<td class=\"num\">{e(format_score(result.total))}</td>{cells}<td class=\"flag\">{e(flags)}</td></tr>"
        )
    add("</table>\n<p class=\"muted\">* agreed by the chair at moderation.</p>")

    add("<h2>Candidates: scores and evidence</h2>")
    evidence = {(s.candidate, s.criterion, s.stage, s.assessor): s.evidence for s in campaign.scores}
    for result in summary.candidates:
        add(f"<section class=\"candidate\"><h3>{e(result.display_name)} <span class=\"muted\">({e(result.id)})</span></h3>")
        words = outcome_words(result)
        add(f"<p>Outcome: {e(words)}; total {e(format_score(result.total))}.</p>")
        for note in result.notes:
            add(f"<p class=\"flag\">{e(note)}</p>")
        add("<table><tr><th>Criterion</th><th>Panel member</th><th>Score</th><th>Evidence</th></tr>")
        for column, item in zip(summary.columns, result.items):
            label = f"{column.criterion.name} ({stage_names.get(column.stage, column.stage)})"
            for assessor, value in item.scores.items():
                who = panel[assessor].name if assessor in panel else assessor
                text = evidence.get((result.id, column.criterion.id, column.stage, assessor), "")
                add(f"<tr><td>{e(label)}</td><td>{e(who)}</td><td class=\"num\">{value}</td><td class=\"evidence\">{e(text) or '<em>none</em>'}</td></tr>")
            if item.moderated:
                add(f"<tr><td>{e(label)}</td><td><strong>Agreed</strong></td><td class=\"num\">{e(format_score(item.agreed))}</td><td class=\"evidence\">{e(item.rationale)}</td></tr>")
            if item.missing:
                add(f"<tr><td>{e(label)}</td><td colspan=\"3\" class=\"muted\">not yet scored</td></tr>")
        add("</table></section>")

    moderations = [m for m in campaign.moderation if m.stage in summary.stages]
    add("<h2>Moderation</h2>")
    if moderations:
        add("<table><tr><th>Candidate</th><th>Criterion</th><th>Agreed</th><th>Rationale</th><th>By</th><th>When</th></tr>")
        names = {criterion.id: criterion.name for criterion in campaign.criteria}
        for agreed in moderations:
            by = panel[agreed.by].name if agreed.by in panel else agreed.by
            add(
                f"<tr><td>{e(shown.get(agreed.candidate, agreed.candidate))}</td><td>{e(names.get(agreed.criterion, agreed.criterion))}</td>"
                f"<td class=\"num\">{agreed.score}</td><td class=\"evidence\">{e(agreed.rationale)}</td><td>{e(by)}</td>"
                f"<td>{e(agreed.at.strftime('%Y-%m-%d %H:%M'))}</td></tr>"
            )
        add("</table>")
    else:
        add("<p class=\"muted\">No agreed scores recorded.</p>")

    add("<h2>Panel calibration</h2>\n<table><tr><th>Member</th><th>Role</th><th>Scores</th><th>Mean difference from panel</th><th>Outlier</th><th>Tendency</th></tr>")
    for member in summary.calibration:
        add(
            f"<tr><td>{e(member.name)}</td><td>{e(member.role)}</td><td class=\"num\">{member.scores}</td>"
            f"<td class=\"num\">{e(_difference(member.mean_difference))}</td><td class=\"num\">{member.outlier}</td><td>{e(member.tendency or '')}</td></tr>"
        )
    add("</table>")
    add("<h2>Audit trail</h2>")
    if campaign.audit:
        add("<table><tr><th>When</th><th>Who</th><th>What</th></tr>")
        for row in campaign.audit:
            who = panel[row.who].name if row.who in panel else row.who
            add(f"<tr><td>{e(row.at.strftime('%Y-%m-%d %H:%M'))}</td><td>{e(who)}</td><td class=\"evidence\">{e(row.what)}</td></tr>")
        add("</table>")
    else:
        add("<p class=\"muted\">No changes recorded.</p>")
    if campaign.seal is not None:
        add(f"<p>Sealed by {e(campaign.seal.by)} on {e(campaign.seal.at.strftime('%Y-%m-%d'))}; SHA-256 {e(campaign.seal.sha256)}.</p>")
    add(f"<footer>Produced by assessor {e(__version__)} from campaign file {e(info.id)}.</footer>\n</body>\n</html>")
    return "\n".join(parts) + "\n"


def render_candidate(record: dict[str, Any], fmt: str = "json") -> str:
    """One candidate's record for a subject access request (`archive.candidate_record`), as JSON or Markdown."""
    if fmt == "json":
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    person, info = record["candidate"], record["campaign"]
    out = [f"# {_md_cell(person['name'])} ({person['id']})", "", f"Campaign: {_md_cell(info['title'])} ({info['id']}), status {info['status']}.", ""]
    out.append(f"- Reference: {_md_cell(person['reference']) or 'none'}")
    out.append(f"- Reasonable adjustments: {_md_cell(person['adjustments']) or 'none'}")
    out.append(f"- Withdrawn: {'yes' if person['withdrawn'] else 'no'}")
    out += ["", "## Outcome", "", "| Stages | Rank | Outcome | Total | Reasons |", "| --- | --- | --- | --- | --- |"]
    for result in record["results"]:
        label = ", ".join(result["stages"]) + (" (merit list)" if result["merit_list"] else "")
        reasons = "; ".join([*result["failed"], *(f"no score yet for {item}" for item in result["missing"])])
        rank = result["rank"] if result["rank"] is not None else "-"
        out.append(f"| {_md_cell(label)} | {rank} | {result['outcome']} | {format_score(result['total'])} | {_md_cell(reasons)} |")
    out += ["", "## Scores and evidence", ""]
    if record["scores"]:
        out += ["| Stage | Criterion | Panel member | Score | Evidence | When |", "| --- | --- | --- | --- | --- | --- |"]
        for row in record["scores"]:
            out.append(
                f"| {row['stage']} | {_md_cell(row['criterion_name'])} | {_md_cell(row['assessor_name'])} | {row['score']} "
                f"| {_md_cell(row['evidence'])} | {row['at']} |"
            )
    else:
        out.append("No scores recorded.")
    out += ["", "## Agreed scores", ""]
    if record["moderation"]:
        out += ["| Stage | Criterion | Agreed | Rationale | By | When |", "| --- | --- | --- | --- | --- | --- |"]
        for row in record["moderation"]:
            out.append(
                f"| {row['stage']} | {_md_cell(row['criterion_name'])} | {row['score']} | {_md_cell(row['rationale'])} "
                f"| {_md_cell(row['by_name'])} | {row['at']} |"
            )
    else:
        out.append("No agreed scores recorded.")
    out += ["", "## Audit rows naming this candidate", ""]
    out += [f"- {row['at']} {_md_cell(row['who'])}: {_md_cell(row['what'])}" for row in record["audit"]] or ["None."]
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Summary, Campaign, Framework], str]] = {
    "text": render_text,
    "md": render_markdown,
    "csv": render_csv,
    "json": render_json,
    "html": render_html,
}


def render(summary: Summary, campaign: Campaign, framework: Framework, fmt: str = "text") -> str:
    """The summary in one of the text formats (every one of FORMATS but BINARY_FORMATS)."""
    return RENDERERS[fmt](summary, campaign, framework)


def render_bytes(summary: Summary, campaign: Campaign, framework: Framework, fmt: str = "text") -> bytes:
    """The summary in any of FORMATS as the bytes of a file: text as UTF-8, xlsx as a workbook."""
    if fmt == "xlsx":
        from assessor.report_xlsx import render_xlsx  # openpyxl is loaded only for a workbook

        return render_xlsx(summary, campaign, framework)
    return render(summary, campaign, framework, fmt).encode("utf-8")
