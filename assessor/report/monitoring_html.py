"""The diversity monitoring report as one self-contained page to read on screen or print on A4.

Per characteristic, a bar chart drawn in inline SVG (no script, nothing fetched): each group's
success rate at each step, the four-fifths line of the step drawn across, a flagged bar marked
`!` and outlined as well as coloured, so that it reads in black and white; then the same numbers
as tables. Everything shown is escaped; nothing names a candidate.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

from assessor.report.monitoring_plain import heading_lines, legend_lines, mark, rate_cell
from assessor.report.safe_text import visible, visible_line
from assessor.rules.impact import FOUR_FIFTHS, CharacteristicTable, MonitoringReport, rate_text, ratio_text
from assessor.rules.monitoring import Step

LABEL_WIDTH = 200
PANEL_WIDTH = 132
PANEL_GAP = 10
LINE_HEIGHT = 15
ROW_GAP = 5
HEAD_HEIGHT = 34
BAR_ROOM = 62
"""Of a panel's width, what the longest bar (a rate of 100%) takes; the rest holds its words."""
LABEL_CHARACTERS = 30
HEAD_CHARACTERS = 18

STYLE = """
@page { size: A4; margin: 15mm 12mm; @bottom-center { content: "Diversity monitoring · page " counter(page) " of " counter(pages); font-size: 8pt; } }
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 1.5rem; color: #111; max-width: 60rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.85rem; }
th, td { border: 1px solid #bbb; padding: 0.15rem 0.45rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead { display: table-header-group; }
tr, figure, .together { break-inside: avoid; }
h2, h3 { break-after: avoid; }
td.flag { font-weight: bold; background: #fde2d8; outline: 2px solid #9b1c00; }
td.withheld { color: #555; }
.notes li, .legend li { margin: 0.1rem 0; }
figure { margin: 0.5rem 0; } svg { width: 100%; height: auto; }
@media print { body { margin: 0; font-size: 10pt; } table { font-size: 8pt; } }
"""


def render_monitoring_html(report: MonitoringReport) -> str:
    """The whole page."""
    e = _escape
    lines = heading_lines(report)
    title = lines[0]
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        f"<h1>{e(title)}</h1>",
        '<ul class="notes">' + "".join(f"<li>{e(line.strip())}</li>" for line in lines[1:]) + "</ul>",
        '<ul class="legend">' + "".join(f"<li>{e(line)}</li>" for line in legend_lines(report.min_group)) + "</ul>",
        "<h2>Flagged (four-fifths rule)</h2>",
        "<ul>" + "".join(f"<li>{e(flag.words)}</li>" for flag in report.flags) + "</ul>" if report.flags else "<p>Nothing flagged.</p>",
    ]
    for table in report.tables:
        parts.append(f'<section class="characteristic"><h2>{e(table.name)}</h2>')
        if len(report.known) > 1:
            parts.append(f"<figure>{chart(table, report.known, report.min_group)}</figure>")
        parts.append(_counts_table(table, report))
        if len(report.known) > 1:
            parts.append(_rates_table(table, report.known))
        parts.append("</section>")
    if report.schemes:
        parts.append("<h2>Guaranteed interview schemes</h2>")
        head = "".join(f'<th scope="col">{e(words)}</th>' for words in report.scheme_steps.values())
        body = "".join(
            f'<tr><th scope="row">{e(row.name)}</th>'
            + "".join(_count_cell(row.cells[step].withheld, mark(row.cells[step], report.min_group)) for step in report.scheme_steps)
            + "</tr>"
            for row in report.schemes
        )
        parts.append(f'<table><thead><tr><th scope="col">Scheme</th>{head}</tr></thead><tbody>{body}</tbody></table>')
    parts.append("</body>\n</html>\n")
    return visible("\n".join(parts))


def _escape(text: str) -> str:
    return html.escape(visible_line(text))


def _count_cell(withheld: str | None, text: str) -> str:
    return f'<td class="withheld">{_escape(text)}</td>' if withheld else f"<td>{_escape(text)}</td>"


def _counts_table(table: CharacteristicTable, report: MonitoringReport) -> str:
    e = _escape
    head = "".join(f'<th scope="col">{e(step.name)}</th>' for step in report.known)
    body = "".join(
        f'<tr><th scope="row">{e(row.name)}</th>'
        + "".join(_count_cell(row.cells[step.id].withheld, mark(row.cells[step.id], report.min_group)) for step in report.known)
        + "</tr>"
        for row in table.rows
    )
    return _table("counts", "How many reached each step", head, body)


def _rates_table(table: CharacteristicTable, steps: Sequence[Step]) -> str:
    e = _escape
    head = "".join(f'<th scope="col">{e(step.name)}</th>' for step in steps[1:])
    rows = []
    for row in table.rows:
        cells = []
        for step in steps[1:]:
            shown = row.cells[step.id]
            words = rate_cell(shown)
            cells.append(f'<td class="flag" title="flagged">{e(words)}</td>' if shown.flagged else f"<td>{e(words)}</td>")
        rows.append(f'<tr><th scope="row">{e(row.name)}</th>{"".join(cells)}</tr>')
    caption = "Rate from the step before, and its ratio to the highest group's rate (! under 0.80)"
    return _table("rates", caption, head, "".join(rows))


def _table(kind: str, caption: str, head: str, body: str) -> str:
    """A table of groups: its caption, a header row after `Group`, and its rows."""
    return f'<table class="{kind}"><caption>{caption}</caption><thead><tr><th scope="col">Group</th>{head}</tr></thead><tbody>{body}</tbody></table>'


def chart(table: CharacteristicTable, steps: Sequence[Step], min_group: int) -> str:
    """Each group's rate at each step after `applied` as horizontal bars, a panel per step; the
    step's four-fifths line dashed across its panel; a flagged bar dark, outlined and marked `!`; a
    rate not shown written as its count is (`<5`, `[c]`) or `-`. Names too long for a line take two."""
    e = _escape
    rows = [row for row in table.rows if row.id != "total"]
    labels = [textwrap.wrap(visible_line(row.name), LABEL_CHARACTERS)[:2] or [""] for row in rows]
    tops = [HEAD_HEIGHT]
    for label in labels:
        tops.append(tops[-1] + len(label) * LINE_HEIGHT + ROW_GAP)
    panels = steps[1:]
    width = LABEL_WIDTH + len(panels) * (PANEL_WIDTH + PANEL_GAP)
    height = tops[-1] + 4
    shapes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="t-{e(table.id)}" '
        'font-family="Arial, Helvetica, sans-serif" font-size="12">',
        f'<title id="t-{e(table.id)}">{e(table.name)}: success rate from the step before, by group</title>',
    ]
    for label, top in zip(labels, tops, strict=False):
        spans = "".join(f'<tspan x="0" dy="{0 if index == 0 else LINE_HEIGHT}">{e(line)}</tspan>' for index, line in enumerate(label))
        shapes.append(f'<text x="0" y="{top + 12}">{spans}</text>')
    for place, step in enumerate(panels):
        left = LABEL_WIDTH + place * (PANEL_WIDTH + PANEL_GAP)
        head = step.short if len(step.short) <= HEAD_CHARACTERS else step.short[: HEAD_CHARACTERS - 1] + "…"
        shapes.append(f'<text x="{left}" y="14" font-weight="bold">{e(head)}</text>')
        shapes.append(f'<line x1="{left}" y1="{HEAD_HEIGHT - 4}" x2="{left}" y2="{height - 2}" stroke="#333" stroke-width="1"/>')
        best = max((row.cells[step.id].rate or 0 for row in rows if row.cells[step.id].ratio is not None), default=0)
        if best:
            line = left + float(best * FOUR_FIFTHS) * BAR_ROOM
            shapes.append(f'<line x1="{line:.1f}" y1="{HEAD_HEIGHT - 6}" x2="{line:.1f}" y2="{height - 2}" stroke="#000" stroke-dasharray="3 2"/>')
            shapes.append(f'<text x="{line:.1f}" y="{HEAD_HEIGHT - 8}" font-size="9" text-anchor="middle">4/5</text>')
        for row, top in zip(rows, tops, strict=False):
            shown = row.cells[step.id]
            if shown.rate is None:
                words = mark(shown, min_group) if shown.withheld else "-"
                shapes.append(f'<text x="{left + 4}" y="{top + 12}" fill="#555">{e(words)}</text>')
                continue
            size = float(shown.rate) * BAR_ROOM
            fill, stroke = ("#9b1c00", ' stroke="#000" stroke-width="1.2"') if shown.flagged else ("#5b7fa8", "")
            shapes.append(f'<rect x="{left}" y="{top + 2}" width="{size:.1f}" height="{LINE_HEIGHT - 2}" fill="{fill}"{stroke}/>')
            words = rate_text(shown.rate) + (f" {ratio_text(shown.ratio)}" if shown.ratio is not None else "")
            words += " !" if shown.flagged else ""
            weight = ' font-weight="bold"' if shown.flagged else ""
            shapes.append(f'<text x="{left + size + 3:.1f}" y="{top + 12}"{weight}>{e(words)}</text>')
    shapes.append("</svg>")
    return "\n".join(shapes)
