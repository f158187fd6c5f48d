"""The diversity monitoring report as text (80 columns where it fits), CSV and JSON.

Like every format it only presents what `rules.impact` worked out: counts as shown (`<5` under the
smallest group, `[c]` withheld with one), rates, ratios and flags. Nothing here names a candidate;
names of groups, stages, campaigns and files pass through `safe_text`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from assessor.report.safe_text import json_safe, spreadsheet_text, visible, visible_line
from assessor.rules.impact import MonitoringReport, Row, Shown, rate_text, ratio_text
from assessor.rules.monitoring import APPLIED

NAME_WIDTH = 24
WIDTH = 80
MARKS = {"small": "<{n}", "secondary": "[c]"}


def mark(shown: Shown, min_group: int) -> str:
    """A count as a table shows it: the number, `<5`, or `[c]`."""
    if shown.withheld is not None:
        return MARKS[shown.withheld].format(n=min_group)
    return str(shown.count)


def rate_cell(shown: Shown) -> str:
    """A rate and its ratio as a table shows them, `58% 0.93`, flagged `45% 0.62!`; `-` where not shown."""
    if shown.rate is None:
        return "-"
    if shown.ratio is None:
        return rate_text(shown.rate)
    return f"{rate_text(shown.rate)} {ratio_text(shown.ratio)}{'!' if shown.flagged else ''}"


def heading_lines(report: MonitoringReport) -> list[str]:
    """What the report covers and how to read it, one sentence a line."""
    files = report.files
    applied = report.tables[0].rows[-1].cells[APPLIED] if report.tables else None
    who = f"{mark(applied, report.min_group)} candidates" if applied is not None else "candidates"
    lines = [f"Diversity monitoring: {who} in {len(files)} campaign{'s' if len(files) != 1 else ''}"]
    for covered in files:
        state = "final, sealed" if covered.sealed else covered.status
        lines.append(f"  {visible_line(covered.label)}: {visible_line(covered.title)} ({visible_line(covered.campaign)}; {state})")
    for step in report.waiting:
        lines.append(f"Not known yet: {visible_line(step.name)} (waiting for {', '.join(visible_line(label) for label in step.waiting)})")
    for step in report.known:
        others = [covered.label for covered in files if step.held_by and covered.label not in step.held_by]
        if others:
            lines.append(
                f"{visible_line(step.short)}: no such stage in {', '.join(visible_line(label) for label in others)}: everyone there went on past it"
            )
    if report.unmatched:
        lines.append(
            f"{report.unmatched} row{'s' if report.unmatched != 1 else ''} of the monitoring data for nobody in these campaigns, not counted"
        )
    for name in report.left_out:
        lines.append(f"{visible_line(name)}: not shown: its groups are too small to show, even in part, without identifying someone")
    return lines


def legend_lines(min_group: int) -> list[str]:
    """How to read the tables, a sentence or two a line."""
    return [
        f"<{min_group}: fewer than {min_group}, not shown. [c]: withheld so that no count under {min_group} can be worked out.",
        "Rate: of those at the step before, the share who reached this step (shown only where both counts are).",
        "Ratio: that rate over the highest rate among the characteristic's groups at the step (prefer not to say and not given "
        "are not compared). A ratio under 0.80 is flagged '!' (the four-fifths rule): a prompt to look closer, not a finding of unfairness.",
    ]


def render_monitoring_text(report: MonitoringReport) -> str:
    """The report for a terminal or a printer: per characteristic, how many reached each step, then
    each step's rate and ratio; then the flags and the guaranteed interview schemes."""
    out = heading_lines(report) + [""] + [wrapped for line in legend_lines(report.min_group) for wrapped in textwrap.wrap(line, WIDTH)]
    steps = report.known
    for table in report.tables:
        out += ["", visible_line(table.name), "-" * len(visible_line(table.name))]
        out += _grid(
            ["How many", *[step.short for step in steps]],
            [(row.name, [mark(row.cells[step.id], report.min_group) for step in steps]) for row in table.rows],
        )
        if len(steps) > 1:
            out += [""]
            rows = [(row.name, [rate_cell(row.cells[step.id]) for step in steps[1:]]) for row in table.rows]
            out += _grid(["Rate, ratio", *[step.short for step in steps[1:]]], rows)
    out += ["", "Flagged (four-fifths rule)"]
    out += [f"  ! {visible_line(flag.words)}" for flag in report.flags] or ["  nothing flagged"]
    if report.schemes:
        out += ["", "Guaranteed interview schemes (Guaranteed: went on under the scheme)"]
        rows = [(row.name, [mark(row.cells[step], report.min_group) for step in report.scheme_steps]) for row in report.schemes]
        out += _grid(["Scheme", *report.scheme_steps.values()], rows)
    return visible("\n".join(out) + "\n")


def _grid(headings: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """A table: names on the left (wrapped), values right-aligned in columns as wide as they need,
    headings cut with `…` where the table would pass 80 columns."""
    values = [[visible_line(value) for value in row] for _, row in rows]
    widths = [max([len(row[index]) for row in values] + [4]) for index in range(len(headings) - 1)]
    room = WIDTH - NAME_WIDTH - sum(width + 2 for width in widths)
    heads = [visible_line(head) for head in headings[1:]]
    for index, head in enumerate(heads):
        wanted = len(head) - widths[index]
        if wanted > 0:
            grant = max(0, min(wanted, room))
            widths[index] += grant
            room -= grant
            if len(head) > widths[index]:
                heads[index] = head[: widths[index] - 1] + "…"
    lines = [f"{visible_line(headings[0]):<{NAME_WIDTH}}" + "".join(f"  {head:>{width}}" for head, width in zip(heads, widths, strict=True))]
    for (name, _), cells in zip(rows, values, strict=True):
        wrapped = textwrap.wrap(visible_line(name), NAME_WIDTH - 2) or [""]
        lines.append(f"  {wrapped[0]:<{NAME_WIDTH - 2}}" + "".join(f"  {cell:>{width}}" for cell, width in zip(cells, widths, strict=True)))
        lines += [f"    {more}" for more in wrapped[1:]]
    return lines


CSV_HEADER = ("table", "characteristic", "group", "step", "shown", "count", "rate", "ratio", "flagged")


def render_monitoring_csv(report: MonitoringReport) -> str:
    """One row per characteristic, group and step (then per scheme and step, then per file), for
    spreadsheets: `shown` as the text tables show it, `count` a number where shown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    rows: list[list[object]] = []
    for table in report.tables:
        for row in table.rows:
            for step in report.known:
                shown = row.cells[step.id]
                rate = "" if shown.rate is None else _cut(shown.rate)
                ratio = "" if shown.ratio is None else _cut(shown.ratio)
                flagged = "yes" if shown.flagged else ""
                rows.append(["group", table.name, row.name, step.name, mark(shown, report.min_group), _count(shown), rate, ratio, flagged])
    for row in report.schemes:
        for scheme_step, words in report.scheme_steps.items():
            shown = row.cells[scheme_step]
            rows.append(["scheme", "guaranteed interview scheme", row.name, words, mark(shown, report.min_group), _count(shown), "", "", ""])
    for covered in report.files:
        rows.append(["file", "", covered.label, covered.title, covered.status, "", "", "", ""])
    for values in rows:
        writer.writerow([spreadsheet_text(visible(value) if isinstance(value, str) else value) for value in values])
    return buffer.getvalue()


def _count(shown: Shown) -> object:
    return "" if shown.count is None else shown.count


def _cut(value: Fraction) -> float:
    """A rate or ratio for other tools, to four places, cut rather than rounded."""
    return math.floor(value * 10_000) / 10_000


def monitoring_data(report: MonitoringReport) -> dict[str, Any]:
    """The report as plain data: the JSON format's shape, `null` for what is withheld."""
    steps = [step.id for step in report.known]

    def by_step(row: Row, value: Any) -> dict[str, Any]:
        return {step: value(row.cells[step]) for step in steps}

    return {
        "report": "diversity monitoring",
        "files": [covered.label for covered in report.files],
        "campaigns": [
            {"file": covered.label, "campaign": covered.campaign, "title": covered.title, "status": covered.status, "sealed": covered.sealed}
            for covered in report.files
        ],
        "min_group": report.min_group,
        "steps": steps,
        "step_names": {step.id: step.name for step in report.steps},
        "not_decided": [{"step": step.id, "waiting": list(step.waiting)} for step in report.waiting],
        "characteristics": {table.id: {"name": table.name, "groups": {row.id: row.name for row in table.rows}} for table in report.tables},
        "counts": {table.id: {row.id: by_step(row, lambda shown: shown.count) for row in table.rows} for table in report.tables},
        "withheld": {
            table.id: {row.id: {step: row.cells[step].withheld for step in steps if row.cells[step].withheld} for row in table.rows}
            for table in report.tables
        },
        "rates": {table.id: {row.id: by_step(row, lambda shown: _maybe(shown.rate)) for row in table.rows} for table in report.tables},
        "ratio": {table.id: {row.id: by_step(row, lambda shown: _maybe(shown.ratio)) for row in table.rows} for table in report.tables},
        "flags": [
            {"characteristic": flag.characteristic, "group": flag.group, "step": flag.step, "ratio": _cut(flag.ratio)} for flag in report.flags
        ],
        "schemes": {row.id: {"name": row.name, "counts": {step: row.cells[step].count for step in report.scheme_steps}} for row in report.schemes},
        "scheme_steps": report.scheme_steps,
        "unmatched_rows": report.unmatched,
        "left_out": list(report.left_out),
    }


def _maybe(value: Fraction | None) -> float | None:
    return None if value is None else _cut(value)


def render_monitoring_json(report: MonitoringReport) -> str:
    """One JSON object; safe to print (control characters escaped)."""
    return json_safe(json.dumps(monitoring_data(report), indent=2, ensure_ascii=False) + "\n")
