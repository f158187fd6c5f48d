"""The summary as text for the terminal: aligned columns that read at 80 characters wide."""

from __future__ import annotations

import textwrap

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.safe_text import visible_line
from assessor.report.wording import (
    FLAG_LETTERS,
    SECOND_MARKING_TITLE,
    difference,
    fit,
    heading,
    outcome_text,
    outcome_words,
    own_score,
    rank_text,
    second_marking_rows,
    view_note,
)
from assessor.rules.summary_types import FLAG_WORDS, Summary, format_score


def cell(text: str, width: int) -> str:
    """A column's text on one line, control characters shown (`safe_text`), cut to `width`:
    a name can neither break the table nor reach the terminal as codes."""
    return fit(visible_line(text), width)


def _note_lines(text: str) -> list[str]:
    """A note under the table, wrapped at 78 columns; most fit one line, which needs no wrapping
    (a merit list of 5,000 has some 20,000 notes: textwrap on each was most of its time)."""
    if len(text) <= 76 and text.isprintable():  # what textwrap would leave as it is
        return ["  " + text]
    return textwrap.wrap(text, 78, initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False)


def render_text(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """For the terminal: aligned columns that read at 80 characters wide."""
    out = [heading(campaign, summary), "=" * min(80, len(heading(campaign, summary))), ""]
    if (note := view_note(summary)) is not None:
        out += [*textwrap.wrap(note, 80), ""]
    out.append(f"{'Rank':<5}{'Candidate':<24}{'Outcome':<16}{'Total':>7}  Flags")
    for result in summary.candidates:
        flags = " ".join(FLAG_LETTERS[flag] for flag in result.flags)
        out.append(f"{rank_text(result):<5}{cell(result.display_name, 23):<24}{outcome_text(result):<16}{format_score(result.total):>7}  {flags}")
    legend = "Flags: " + "; ".join(f"{FLAG_LETTERS[flag]} {words}" for flag, words in FLAG_WORDS.items())
    out.extend(textwrap.wrap(legend, 80, subsequent_indent="       "))
    out.append("")
    if summary.seen_by:
        out.append(f"{summary.seen_by}'s own scores (- where not scored)")
    else:
        out.append("Agreed scores (* moderated, ! spread of 2 or more, ? missing, - not taken there)")
    numbers = {column.key: index + 1 for index, column in enumerate(summary.columns)}
    out.append(f"{'':<5}{'':<26}" + "".join(f"{numbers[column.key]:>5} " for column in summary.columns))  # over the scores
    for result in summary.candidates:
        cells = []
        for item in result.items:
            if summary.seen_by:
                cells.append(f"{own_score(summary, item):>5} ")
                continue
            mark = "*" if item.moderated else ("!" if item.wide_spread else " ")
            gone = result.outcome in ("fail", "not-shortlisted", "withdrawn") and not item.scores  # never to be scored here
            cells.append(f"{format_score(item.agreed) if not item.missing else '-' if gone else '?':>5}{mark}")
        out.append(f"{result.id:<5}{cell(result.display_name, 25):<26}" + "".join(cells))
    for column in summary.columns:
        weight = f", weight {format_score(column.criterion.weight)}" if column.criterion.weight != 1 else ""
        lead = ", lead" if column.criterion.lead else ""
        out.append(f"  {numbers[column.key]:>2}  {column.criterion.name} ({column.stage}, pass {column.criterion.pass_mark}{weight}{lead})")
    notes = [(result, outcome_words(result), result.notes) for result in summary.candidates]
    if any(words != outcome_text(result) or extra for result, words, extra in notes):
        out.append("")
        out.append("Notes")
        for result, words, extra in notes:
            lines = ([words] if words != outcome_text(result) else []) + list(extra)
            out.extend(wrapped for line in lines for wrapped in _note_lines(f"{result.id}: {line}"))
    out.append("")
    out.append("Panel calibration (difference from the panel's mean on the same items)")
    out.append(f"{'Member':<26}{'Role':<13}{'Scores':>7}{'Mean diff':>11}{'Outlier':>9}  Tendency")
    for member in summary.calibration:
        out.append(
            f"{cell(member.name, 25):<26}{member.role:<13}{member.scores:>7}{difference(member.mean_difference):>11}"
            f"{member.outlier:>9}  {member.tendency or ''}"
        )
    if summary.second_marking:
        out += ["", SECOND_MARKING_TITLE]
        out.append(f"{'Stage':<12}{'Sifter':<24}{'Pairs':>6}{'Agreement':>11}{'Mean diff':>11}{'2+ apart':>10}")
        for stage, sifter, pairs, agreement, mean, wide in second_marking_rows(campaign, summary):
            out.append(f"{cell(stage, 11):<12}{cell(sifter, 23):<24}{pairs:>6}{agreement:>11}{mean:>11}{wide:>10}")
    return "\n".join(line.rstrip() for line in out) + "\n"
