"""`assessor monitoring`: diversity monitoring for HR, kept apart from the panel. Who went on at each
step of one or more campaigns, by group, with adverse impact flagged.

HR's monitoring export is read for this one report and let go: nothing of it is written, copied
or cached, beside the campaigns or anywhere else, and no other command reads it. The campaigns
are opened for reading only. Never imports Textual.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessor.cli_types import bounded
from assessor.commands import EXIT_OK, EXIT_USAGE, ReadingNote, say, tell_strays
from assessor.core.errors import CampaignError, Problem

if TYPE_CHECKING:
    from assessor.core.monitoring import MonitoringQuestions
    from assessor.rules.impact import MonitoringReport

FORMATS = ("text", "csv", "json", "html", "xlsx")
LINES_NAMED = 10
"""At most this many lines of the export are named in a note; the rest are counted."""
EXAMPLES = {
    "monitoring": "assessor monitoring campaigns/hod-2026.toml campaigns/hop-2027.toml --data monitoring.xlsx --format html -o monitoring.html",
}
"""One example per subcommand here, printed at the end of its --help."""

min_group = bounded(int, 3, 100_000, "a whole number")
"""The smallest group shown for --min-group: never under 3 (a group of one or two is a person)."""


def add_parsers(subparsers: Any) -> None:
    """The parser of `assessor monitoring`, added to the command line's."""
    monitoring = subparsers.add_parser(
        "monitoring",
        help="diversity monitoring for HR: who went on at each stage, by group, adverse impact flagged",
        description="Count, by each group of each characteristic (sex, ethnicity, ...), how many applied, went on from each stage "
        "that decides who goes on (as its recorded decision says), and, once sealed, were appointable, offered and accepted; "
        "each step's success rate and its ratio to the highest group's, a ratio under 0.8 flagged (the four-fifths rule: a prompt "
        "to look, not a finding). Several campaigns are added together. Counts under --min-group are not shown, nor any that would "
        "let one be worked out. The monitoring data is read for this report only: nothing of it is stored.",
    )
    monitoring.add_argument("files", nargs="+", metavar="CAMPAIGN", help="campaign files, added together")
    monitoring.add_argument(
        "--data",
        required=True,
        metavar="FILE",
        help="HR's monitoring export (.csv or .xlsx): a reference (or id) column, a column per characteristic",
    )
    monitoring.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    monitoring.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of printing; needed for xlsx")
    monitoring.add_argument("--force", action="store_true", help="replace OUT if it exists")
    monitoring.add_argument("--min-group", type=min_group, default=5, metavar="N", help="the smallest count shown (default: 5; at least 3)")
    monitoring.add_argument("--by", metavar="IDS", help="comma-separated characteristics to report (default: every one the data has a column for)")
    monitoring.add_argument(
        "--unknown",
        choices=("refuse", "as-not-given"),
        default="refuse",
        help="a value that is no group of its characteristic: refused, a line each (default), or counted as not given",
    )


def _usage(words: str) -> int:
    say(f"assessor monitoring: error: {words}", file=sys.stderr)
    return EXIT_USAGE


def command_monitoring(args: argparse.Namespace) -> int:
    """The diversity monitoring report of the campaigns, from HR's export."""
    if args.format == "xlsx" and args.output is None:
        return _usage("--format xlsx needs -o OUT.xlsx (a workbook cannot be printed)")
    if args.output is not None:  # before anything is read: nothing to say about the data if it cannot be written
        output = Path(args.output)
        if output.resolve() in {Path(name).resolve() for name in [*args.files, args.data]}:
            raise CampaignError.single(output, "is one of the files read; choose another output file")
        if output.exists() and not args.force:
            raise CampaignError.single(output, "already exists; add --force to replace it")
    from assessor.storage.reference import load_monitoring

    questions = load_monitoring()
    by: list[str] | None = None
    if args.by is not None:
        by = []
        for word in (part.strip() for part in args.by.split(",")):
            found = questions.characteristic_for(word) if word else None
            if found is None:
                known = ", ".join(characteristic.id for characteristic in questions.characteristics)
                return _usage(f"--by: {word!r} is not a characteristic (one of: {known})")
            by += [found.id] if found.id not in by else []
    report = _report(args, questions, by)
    return _write(args, report)


def _report(args: argparse.Namespace, questions: MonitoringQuestions, by: list[str] | None) -> MonitoringReport:
    from assessor.rules.impact import FileCovered, TooFew, monitoring_report
    from assessor.rules.monitoring import CampaignIn, count
    from assessor.storage.campaign_file import open_campaign
    from assessor.storage.monitoring_data import read_monitoring

    campaigns: list[CampaignIn] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for name in args.files:
        if Path(name).resolve() in seen:
            problems.append(Problem(name, "is named twice: each campaign is counted once"))
            continue
        seen.add(Path(name).resolve())
        try:
            with ReadingNote(name):
                opened = open_campaign(name, for_writing=False)
        except CampaignError as exc:
            problems += exc.problems
            continue
        tell_strays(opened)
        campaigns.append(CampaignIn(name, opened.campaign, opened.framework.scheme_names))
    if problems:
        raise CampaignError(problems)
    data = read_monitoring(Path(args.data), questions, by, unknown_as_not_given=args.unknown == "as-not-given")
    if data.key_column == "id" and len(campaigns) > 1:
        raise CampaignError.single(
            args.data, "an id column names candidates of one campaign only (every campaign has a C001): give a reference column", line=1
        )
    answers = {row.key: row.answers for row in data.rows}
    lines = {row.key: row.line for row in data.rows}
    counts = count(campaigns, questions, data.characteristics, answers, data.key_column, lines)
    files = [
        FileCovered(entry.label, entry.campaign.campaign.id, entry.campaign.campaign.title, entry.campaign.campaign.status, entry.sealed)
        for entry in campaigns
    ]
    try:
        report = monitoring_report(counts, questions, args.min_group, files)
    except TooFew as exc:
        raise CampaignError.single(", ".join(args.files), str(exc)) from None
    note = f"{args.data}: note:"
    if data.ignored:
        say(f"{note} column{'s' if len(data.ignored) > 1 else ''} not read: {', '.join(data.ignored)}", file=sys.stderr)
    for characteristic in data.characteristics:
        numbers = data.not_given.get(characteristic, ())
        if numbers:
            say(
                f"{note} {_many(len(numbers), 'value')} of {characteristic} matched no group, counted as not given ({_lines(numbers)})",
                file=sys.stderr,
            )
    for entry in campaigns if data.key_column == "reference" else []:
        unnamed = sum(1 for candidate in entry.campaign.candidates if not candidate.reference)
        if unnamed:
            say(f"{entry.label}: note: {_many(unnamed, 'candidate')} without a reference, counted as not given", file=sys.stderr)
    if counts.unmatched:
        say(f"{note} {_many(len(counts.unmatched), 'row')} for nobody in these campaigns, not counted ({_lines(counts.unmatched)})", file=sys.stderr)
    return report


def _many(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' if number != 1 else ''}"


def _lines(numbers: tuple[int, ...]) -> str:
    """Lines of the export, the first few named and the rest counted."""
    shown = ", ".join(str(number) for number in numbers[:LINES_NAMED])
    more = f" and {len(numbers) - LINES_NAMED} more" if len(numbers) > LINES_NAMED else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _write(args: argparse.Namespace, report: MonitoringReport) -> int:
    """Print the report, or write it to OUT atomically."""
    from assessor.report.monitoring_formats import render_monitoring, render_monitoring_bytes
    from assessor.storage.atomic import write_atomic

    if args.output is None:
        sys.stdout.write(render_monitoring(report, args.format))
        return EXIT_OK
    write_atomic(Path(args.output), render_monitoring_bytes(report, args.format))
    return EXIT_OK
