"""The summary as one self-contained printable HTML page for the archive; everything printed is escaped."""

from __future__ import annotations

import html

from assessor import __version__
from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.print_parts import WIDE_AT, criterion_headings, print_style, signature_block, status_block, total_text
from assessor.report.wording import (
    SECOND_MARKING_HEADINGS,
    SECOND_MARKING_TITLE,
    campaign_facts,
    difference,
    heading,
    outcome_words,
    own_score,
    rank_text,
    second_marking_rows,
    view_note,
)
from assessor.rules.readiness import deciding_stages
from assessor.rules.scoring import summarise
from assessor.rules.summary_types import FLAG_WORDS, Summary, format_score
from assessor.rules.visibility import as_seen_by

_HTML_STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999; }
h3 { font-size: 1.05rem; margin-bottom: 0.3rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #555; } .flag { color: #8a1c1c; } .evidence { white-space: pre-wrap; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #555; }
@media print { body { margin: 0; max-width: none; } }
"""


def table_head(*headings: str) -> str:
    """A table's start with its header row in a `thead`, which a browser prints at the top of every page
    the table runs over; its rows follow, then `</tbody></table>`. The headings are HTML, escaped already."""
    return "<table><thead><tr>" + "".join(f"<th>{heading}</th>" for heading in headings) + "</tr></thead><tbody>"


_END = "</tbody></table>"


def merit_table(summary: Summary, campaign: Campaign, title: str) -> str:
    """The ranked table of a summary, with its header on every printed page; a wide one on landscape pages,
    its criteria as codes with their key when even that is too narrow for their names."""
    e = html.escape
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    heads, key = criterion_headings(summary, stage_names)
    parts = [f'<section class="{"wide" if len(summary.columns) > WIDE_AT else "narrow"}">', f"<h2>{e(title)}</h2>"]
    parts.append('<table class="merit"><thead><tr><th>Rank</th><th>Candidate</th><th>Outcome</th><th>Total</th>')
    parts += [f'<th class="{"coded" if key else "named"}">{head}</th>' for head in heads]
    parts.append("<th>Flags</th></tr></thead><tbody>")
    for result in summary.candidates:
        if summary.seen_by:  # a member's view: their own scores
            cells = "".join(f'<td class="num">{e(own_score(summary, item))}</td>' for item in result.items)
        else:
            cells = "".join(f'<td class="num">{e(format_score(item.agreed))}{"*" if item.moderated else ""}</td>' for item in result.items)
        flags = ", ".join(FLAG_WORDS[flag] for flag in result.flags)
        parts.append(
            f'<tr><td class="num">{e(rank_text(result))}</td><td>{e(result.display_name)}</td><td>{e(outcome_words(result))}</td>'
            f'<td class="num">{e(total_text(result.total, result.outcome))}</td>{cells}<td class="flag">{e(flags)}</td></tr>'
        )
    parts.append('</tbody></table>\n<p class="muted">* agreed by the chair at moderation.</p>')
    if key:
        parts.append(table_head("Code", "Criterion (stage)"))
        parts += [f"<tr><td>{e(code)}</td><td>{e(words)}</td></tr>" for code, words in key]
        parts.append(_END)
    parts.append("</section>")
    return "\n".join(parts)


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

    add(f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>{e(heading(campaign, summary))}</title>')
    add(f"<style>{_HTML_STYLE}{print_style(campaign)}</style>\n</head>\n<body>")
    add(f"<h1>{e(summary.title)}</h1>")
    add(f'<p class="muted">{e(heading(campaign, summary))} · campaign {e(info.id)} · status {e(info.status)}</p>')
    add(status_block(campaign))
    if (note := view_note(summary)) is not None:
        add(f'<p class="flag">{e(note)}</p>')

    add("<h2>Campaign</h2>\n" + table_head("Item", "Detail"))
    role = info.role
    for label, value in campaign_facts(campaign, framework):
        add(f'<tr><th scope="row">{e(label)}</th><td>{e(str(value))}</td></tr>')
    add(_END)
    if role.summary:
        add(f"<p>{e(role.summary)}</p>")

    add("<h2>Panel</h2>\n" + table_head("Name", "Role"))
    for member in campaign.panel:
        add(f"<tr><td>{e(member.name)}</td><td>{e(member.role)}</td></tr>")
    add(_END)
    declared = [row for row in campaign.declarations if summary.seen_by is None or row.member == summary.seen_by]
    if declared:  # the panel's conflicts of interest, standing or taken back: part of the record
        add("<h2>Declared conflicts of interest</h2>\n" + table_head("Member", "Candidate", "Declared", "How they know them", "Taken back"))
        for conflict in declared:
            who = panel[conflict.member].name if conflict.member in panel else conflict.member
            back = f"{conflict.withdrawn:%Y-%m-%d}: {conflict.withdrawn_reason or ''}" if conflict.withdrawn is not None else ""
            add(
                f"<tr><td>{e(who)}</td><td>{e(shown.get(conflict.candidate, conflict.candidate))}</td><td>{conflict.at:%Y-%m-%d}</td>"
                f'<td class="evidence">{e(conflict.reason)}</td><td class="evidence">{e(back)}</td></tr>'
            )
        add(_END)

    stage_heads = []
    for stage in campaign.stages:
        names = ", ".join(methods.get(method, method) for method in stage.methods)
        stage_heads.append(f'{e(stage.name)}<br><span class="muted">{e(names)}</span>')
    add("<h2>Assessment matrix</h2>\n" + table_head("Criterion", "Element", *stage_heads, "Pass mark", "Weight"))
    for criterion in campaign.criteria:
        lead = " (lead)" if criterion.lead else ""
        cells = "".join(f"<td>{'✓' if stage.id in criterion.stages else ''}</td>" for stage in campaign.stages)
        add(
            f"<tr><td>{e(criterion.name)}{lead}</td><td>{e(criterion.element)}</td>{cells}"
            f'<td class="num">{criterion.pass_mark}</td><td class="num">{e(format_score(criterion.weight))}</td></tr>'
        )
    add(_END)

    add(merit_table(summary, campaign, "Merit list" if summary.counted else "Stage summary"))
    add(signature_block(campaign))
    if summary.counted:  # the archive holds every stage: who went on from each earlier one, and the scores why
        for decided in deciding_stages(campaign):
            earlier = summarise(campaign, decided, schemes=framework.scheme_names)
            if summary.seen_by is not None:
                earlier = as_seen_by(earlier, campaign, summary.seen_by)
            add(merit_table(earlier, campaign, f"{stage_names.get(decided, decided)}: who went on, and why"))

    add("<h2>Candidates: scores and evidence</h2>")
    evidence = {(s.candidate, s.criterion, s.stage, s.assessor): s.evidence for s in campaign.scores}
    for result in summary.candidates:
        # The name, outcome and notes kept together, and with the first rows of the table under them.
        add(f'<section class="candidate"><div class="lead together"><h3>{e(result.display_name)} <span class="muted">({e(result.id)})</span></h3>')
        words = outcome_words(result)
        add(f"<p>Outcome: {e(words)}; total {e(total_text(result.total, result.outcome))}.</p>")
        for note in result.notes:
            add(f'<p class="flag">{e(note)}</p>')
        add("</div>")
        add(table_head("Criterion", "Panel member", "Score", "Evidence"))
        for column, item in zip(summary.columns, result.items, strict=True):
            label = f"{column.criterion.name} ({stage_names.get(column.stage, column.stage)})"
            for assessor, value in item.scores.items():
                who = panel[assessor].name if assessor in panel else assessor
                text = evidence.get((result.id, column.criterion.id, column.stage, assessor), "")
                add(
                    f'<tr><td>{e(label)}</td><td>{e(who)}</td><td class="num">{value}</td><td class="evidence">{e(text) or "<em>none</em>"}</td></tr>'
                )
            if item.moderated:
                add(
                    f'<tr><td>{e(label)}</td><td><strong>Agreed</strong></td><td class="num">{e(format_score(item.agreed))}</td>'
                    f'<td class="evidence">{e(item.rationale)}</td></tr>'
                )
            if item.missing and summary.seen_by is None:  # in a member's view, scores not shown may exist
                add(f'<tr><td>{e(label)}</td><td colspan="3" class="muted">not yet scored</td></tr>')
        add(_END)
        # The panel's overall notes at these stages; a member's view holds their own only.
        written = [n for n in campaign.notes if n.candidate == result.id and n.stage in summary.stages and summary.seen_by in (None, n.assessor)]
        if written:
            add(table_head("Stage", "Panel member", "Note"))
            for note_row in written:
                who = panel[note_row.assessor].name if note_row.assessor in panel else note_row.assessor
                stage_name = stage_names.get(note_row.stage, note_row.stage)
                add(f'<tr><td>{e(stage_name)}</td><td>{e(who)}</td><td class="evidence">{e(note_row.text)}</td></tr>')
            add(_END)
        add("</section>")

    # Only the agreed scores the summary shows: a member's view shows none before moderation.
    shown_agreed = {(result.id, item.criterion, item.stage) for result in summary.candidates for item in result.items if item.moderated}
    moderations = [m for m in campaign.moderation if m.item in shown_agreed]
    add("<h2>Moderation</h2>")
    if moderations:
        add(table_head("Candidate", "Criterion", "Agreed", "Rationale", "By", "When"))
        criterion_names = {criterion.id: criterion.name for criterion in campaign.criteria}
        for agreed in moderations:
            by = panel[agreed.by].name if agreed.by in panel else agreed.by
            add(
                f"<tr><td>{e(shown.get(agreed.candidate, agreed.candidate))}</td>"
                f"<td>{e(criterion_names.get(agreed.criterion, agreed.criterion))}</td>"
                f'<td class="num">{agreed.score}</td><td class="evidence">{e(agreed.rationale)}</td><td>{e(by)}</td>'
                f"<td>{e(agreed.at.strftime('%Y-%m-%d %H:%M'))}</td></tr>"
            )
        add(_END)
    else:
        add('<p class="muted">No agreed scores recorded.</p>')

    add("<h2>Panel calibration</h2>\n" + table_head("Member", "Role", "Scores", "Mean difference from panel", "Outlier", "Tendency"))
    for calibrated in summary.calibration:
        add(
            f'<tr><td>{e(calibrated.name)}</td><td>{e(calibrated.role)}</td><td class="num">{calibrated.scores}</td>'
            f'<td class="num">{e(difference(calibrated.mean_difference))}</td><td class="num">{calibrated.outlier}</td>'
            f"<td>{e(calibrated.tendency or '')}</td></tr>"
        )
    add(_END)
    if summary.second_marking:
        add(f"<h2>{e(SECOND_MARKING_TITLE)}</h2>\n" + table_head(*[e(h) for h in SECOND_MARKING_HEADINGS]))
        for texts in second_marking_rows(campaign, summary):
            marked = [f"<td>{e(cell)}</td>" if index < 2 else f'<td class="num">{e(cell)}</td>' for index, cell in enumerate(texts)]
            add("<tr>" + "".join(marked) + "</tr>")
        add(_END)
    # A member's view shows their own changes only: the others' rows would tell their scores.
    audit = [row for row in campaign.audit if summary.seen_by is None or row.who == summary.seen_by]
    add("<h2>Audit trail</h2>")
    if audit:
        add(table_head("When", "Who", "What"))
        for row in audit:
            who = panel[row.who].name if row.who in panel else row.who
            add(f'<tr><td>{e(row.at.strftime("%Y-%m-%d %H:%M"))}</td><td>{e(who)}</td><td class="evidence">{e(row.what)}</td></tr>')
        add(_END)
    else:
        add('<p class="muted">No changes recorded.</p>')
    if campaign.seal is not None:
        add(f"<p>Sealed by {e(campaign.seal.by)} on {e(campaign.seal.at.strftime('%Y-%m-%d'))}; SHA-256 {e(campaign.seal.sha256)}.</p>")
    add(f"<footer>Produced by assessor {e(__version__)} from campaign file {e(info.id)}.</footer>\n</body>\n</html>")
    return "\n".join(parts) + "\n"
