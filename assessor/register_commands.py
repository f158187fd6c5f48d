"""HR's commands over many campaign files: `register` (every campaign under folders, with what is
due) and `purge` (one file, or with --due every campaign whose retention has passed).

Like `commands`, never imports Textual, and imports what each command needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from assessor.commands import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, say
from assessor.core.errors import CampaignError

REGISTER_FORMATS = ("text", "csv", "json", "xlsx", "html")

EXAMPLES = {
    "register": "assessor register archive/ --due --digests archive/digests.csv",
    "purge": "assessor purge --due archive/ --as hr-smith",
}
"""One example per subcommand here, printed at the end of its --help."""


def add_parsers(subparsers: Any) -> None:
    """The parsers of `assessor register` and `assessor purge`, added to the command line's."""
    register = subparsers.add_parser(
        "register",
        help="every campaign file under folders, with what is due (HR)",
        description="List every campaign file found under each PATH (sub-folders included; score sheets and other TOML files "
        "are not listed): id, title, status, the stage now, candidates, offers, whether its seal matches, its reserve and "
        "retention dates, and what is due now. Exit 1 when a file does not load, a seal is broken or is not the digest recorded.",
    )
    register.add_argument("paths", nargs="+", metavar="PATH", help="a campaign file, or a folder to look in")
    register.add_argument("--format", choices=REGISTER_FORMATS, default="text", help="output format (default: text)")
    register.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of printing; needed for xlsx")
    register.add_argument("--due", action="store_true", help="only the campaigns with something due, soonest first")
    register.add_argument("--digests", metavar="FILE", help="a CSV of file,digest as recorded at finalise: say whether each seal is that digest")
    purge = subparsers.add_parser(
        "purge",
        help="after retain_until: remove personal data, keep the anonymous scores",
        description="After the retention date, replace names, references, adjustments, evidence and rationales with placeholders; "
        "keep ids, scores and the ranking; seal again. With --due, every campaign under the PATHs whose retention has passed, "
        "after one question (--yes: without it).",
    )
    purge.add_argument("paths", nargs="+", metavar="FILE", help="the campaign file (with --due: files or folders to look in)")
    purge.add_argument("--as", dest="as_member", metavar="ID", help="who purges, for the audit and the seal (default: your user name)")
    purge.add_argument("--due", action="store_true", help="purge every campaign under the PATHs whose retention has passed")
    purge.add_argument("--yes", action="store_true", help="with --due: purge without asking")


def _rows(args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[str]]:
    """The register's rows (filtered and sorted as asked) and the lines for stderr."""
    from assessor.changes.register import due
    from assessor.core.clock import now
    from assessor.report.register import register_row
    from assessor.storage.register import beside, read_digests, register_facts

    paths = [Path(name) for name in args.paths]
    missing = [CampaignError.single(path, "no such file or folder").problems[0] for path in paths if not path.exists()]
    if missing:
        raise CampaignError(missing)
    digests = read_digests(Path(args.digests)) if getattr(args, "digests", None) else None
    today = now().date()
    rows, errors, soonest = [], [], []
    for facts in register_facts(paths):
        near = beside(facts, digests)
        items = due(facts, near, today)
        row = register_row(facts, near, items)
        if facts.problem:
            errors.append(f"{facts.file}: does not load: {facts.problem}")
        elif facts.seal == "broken":
            errors.append(f"{facts.file}: seal broken: {facts.seal_problem}")
        if row["digest"] == "differs":
            errors.append(f"{facts.file}: the seal is not the digest recorded in {args.digests}")
        if items or not getattr(args, "due", False):
            rows.append(row)
            soonest.append(min((item.on for item in items), default=today))
    if getattr(args, "due", False):
        rows = [row for _, row in sorted(zip(soonest, rows, strict=True), key=lambda pair: (pair[0], pair[1]["file"]))]
    return rows, errors


def command_register(args: argparse.Namespace) -> int:
    """Every campaign under the paths, with what is due; exit 1 when any does not load or its seal does not hold."""
    from assessor.report.as_csv import file_bytes
    from assessor.report.register import COLUMNS, register_workbook, render_register
    from assessor.report.safe_text import visible_line
    from assessor.storage.atomic import write_atomic

    if args.format == "xlsx" and args.output is None:
        say("assessor register: error: --format xlsx needs -o OUT.xlsx (a workbook cannot be printed)", file=sys.stderr)
        return EXIT_USAGE
    rows, errors = _rows(args)
    digests = args.digests is not None
    if args.output is None:
        sys.stdout.write(render_register(rows, args.format, digests=digests))
    else:
        if args.format == "xlsx":
            raw = register_workbook(rows, [column for column in COLUMNS if digests or column != "digest"])
        else:
            raw = file_bytes(render_register(rows, args.format, digests=digests), args.format)
        write_atomic(Path(args.output), raw)
        say(f"{args.output}: the register of {len(rows)} campaign file{'s' if len(rows) != 1 else ''}")
    for line in errors:
        say(visible_line(line), file=sys.stderr)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def command_purge(args: argparse.Namespace) -> int:
    """Purge one campaign file, or with --due every campaign under the paths whose retention has passed."""
    from assessor.archive_commands import command_purge as purge_one

    if not args.due:
        if len(args.paths) != 1 or args.yes:
            say("assessor purge: error: purge takes one FILE; --due purges every campaign due under several PATHs", file=sys.stderr)
            return EXIT_USAGE
        return purge_one(argparse.Namespace(**{**vars(args), "file": args.paths[0]}))
    rows, _ = _rows(argparse.Namespace(paths=args.paths, digests=None, due=True))
    files = [row["file"] for row in rows if any(words.startswith("purge due") for words in row["due"])]
    if not files:
        say("nothing to purge: no campaign under those paths is past its retention date")
        return EXIT_OK
    for row in rows:
        if row["file"] in files:
            say(f"{row['file']}: {next(words for words in row['due'] if words.startswith('purge due'))}")
    if not args.yes:
        question = f"Purge personal data from {len(files)} campaign file{'s' if len(files) != 1 else ''}? [y/N] "
        try:
            answer = input(question)
        except EOFError:  # nobody to answer (no terminal, nothing piped in): no is the answer
            answer = ""
            say("")
        if answer.strip().lower() not in {"y", "yes"}:
            say("nothing purged")
            return EXIT_OK
    failed = 0
    for file in files:
        try:
            purge_one(argparse.Namespace(**{**vars(args), "file": file}))
        except CampaignError as exc:
            failed += 1
            for problem in exc.problems:
                say(problem, file=sys.stderr)
    if failed:
        say(f"{len(files) - failed} of {len(files)} purged; {failed} could not be: see above", file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK
