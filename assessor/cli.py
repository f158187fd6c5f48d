"""The `assessor` command line: the argument parsers, and dispatch to a subcommand or the app.

What each subcommand does is in `commands`; only `run_app` imports Textual, and only
when the app is asked for.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from assessor import __version__, archive_commands, commands, letter_commands, monitoring_commands, panel_commands, register_commands, stage_commands
from assessor.cli_types import idle_minutes, port_number, reserve_months, seconds, sha256_hex
from assessor.commands import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, ReadingNote, say
from assessor.core.errors import CampaignError, Problem
from assessor.report.safe_text import visible

FORMATS = ("text", "md", "csv", "json", "html", "xlsx")  # kept in step with report.formats.FORMATS by a test


SUBCOMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": commands.command_new,
    "validate": commands.command_validate,
    "summary": commands.command_summary,
    "import-candidates": commands.command_import_candidates,
    "panel": panel_commands.command_panel,
    "advance": commands.command_advance,
    "allocate": commands.command_allocate,
    "separate": commands.command_separate,
    "score": commands.command_score,
    "moderate": commands.command_moderate,
    "reinstate": stage_commands.command_reinstate,
    "declare": panel_commands.command_declare,
    "merge": archive_commands.command_merge,
    "finalise": archive_commands.command_finalise,
    "verify": archive_commands.command_verify,
    "offer": archive_commands.command_offer,
    "export-candidate": archive_commands.command_export_candidate,
    "feedback": letter_commands.command_feedback,
    "purge": register_commands.command_purge,
    "register": register_commands.command_register,
    "monitoring": monitoring_commands.command_monitoring,
    "serve": commands.command_serve,
}


class Parser(argparse.ArgumentParser):
    """argparse's parser; a usage error shows what was typed with control characters visible, never acted on."""

    def error(self, message: str) -> NoReturn:
        super().error(visible(message))


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
    parser = Parser(
        prog="assessor",
        description=(
            "Run a recruitment panel's campaign: score candidates 1-7 with evidence, moderate, "
            "rank and archive, in one TOML file. `assessor [FILE] [--as PANEL_ID]` opens the app."
        ),
        epilog="Exit codes: 0 done; 1 bad input or invalid file (one line per problem on stderr); 2 wrong usage.",
    )
    parser.add_argument("--version", action="version", version=f"assessor {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = subparsers.add_parser(
        "new",
        help="write a new campaign from a role template",
        description="Write a new campaign in set-up from a role template in reference/roles/.",
    )
    new.add_argument("file", metavar="FILE", help="the campaign file to create (never overwritten)")
    new.add_argument("--role", required=True, metavar="TEMPLATE", help="role template id (e.g. head-of-digital) or path")
    new.add_argument("--level", type=int, metavar="N", help="framework level the panel scores against (default: the template's)")
    new.add_argument("--title", help="campaign title (default: the role's title)")
    new.add_argument("--id", help="campaign id (default: the file name without .toml)")

    validate = subparsers.add_parser(
        "validate", help="check campaign files", description="Check campaign files. Prints nothing and exits 0 when every file is valid."
    )
    validate.add_argument("files", nargs="+", metavar="FILE")

    summary = subparsers.add_parser(
        "summary", help="the ranked panel summary", description="The ranked panel summary: the merit list of the counted stages, or one stage's list."
    )
    summary.add_argument("file", metavar="FILE")
    summary.add_argument("--stage", metavar="ID", help="summarise this stage only (e.g. sift: who goes on)")
    summary.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    summary.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of printing; needed for xlsx")
    summary.add_argument("--force", action="store_true", help="replace OUT if it exists")
    summary.add_argument("--names", action="store_true", help="show names in a name-blind sift summary")
    summary.add_argument(
        "--as", dest="as_member", metavar="ID", help="the summary as this panel member may see it (before moderation: their own scores only)"
    )

    imports = subparsers.add_parser(
        "import-candidates",
        help="add candidates from a CSV file or an .xlsx workbook",
        description="Add candidates from a CSV file or the first sheet of an .xlsx workbook whose header row names the columns: "
        "name (required), reference, adjustments, guaranteed_interview, id; any other column is left out and named. "
        "All or nothing: every bad row is listed and nothing is imported.",
    )
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("source", metavar="SOURCE", help="a .csv (UTF-8) or .xlsx file")
    imports.add_argument("--as", dest="as_member", metavar="ID", help="who imports, for the audit (default: your user name)")
    imports.add_argument("--reason", metavar="TEXT", help="why, for the audit: needed after set-up, when only the chair may import")
    panel_commands.add_parsers(subparsers)

    advance = subparsers.add_parser(
        "advance",
        help="the chair moves the campaign's status on by one",
        description="Move the campaign's status on by one (setup -> sift -> interview -> moderation) once the set-up is complete. "
        "Only the chair moves the status; from the sift on the set-up is frozen. Final is reached by finalise.",
    )
    advance.add_argument("file", metavar="FILE")
    advance.add_argument("--as", dest="as_member", required=True, metavar="CHAIR", help="your panel id (the chair)")
    advance.add_argument("--force", action="store_true", help="leave a stage that decides who goes on with items still open (needs --reason)")
    advance.add_argument("--reason", default="", metavar="TEXT", help="why, for the audit with what was open (required with --force)")

    allocate = subparsers.add_parser(
        "allocate",
        help="the chair shares a stage's candidates among sifters",
        description="Allocate every candidate still in the running at a stage to N sifters of the panel, loads balanced to within one, "
        "plus a second-marking sample: PCT%% of each sifter's candidates also read by another. The same campaign always gets the "
        "same allocation. A sifter then scores only their own candidates there; an item is complete when all its readers have scored it.",
    )
    allocate.add_argument("file", metavar="FILE")
    allocate.add_argument("--as", dest="as_member", required=True, metavar="CHAIR", help="your panel id (the chair)")
    allocate.add_argument("--stage", required=True, metavar="ID", help="the stage to allocate (e.g. sift)")
    allocate.add_argument("--readers", required=True, type=int, metavar="N", help="sifters who read each application")
    allocate.add_argument(
        "--second-marking", type=float, default=0.0, metavar="PCT", help="percent of each sifter's also read by another (default: 0)"
    )
    allocate.add_argument("--sifters", metavar="IDS", help="comma-separated panel ids to allocate among (default: the whole panel)")
    allocate.add_argument("--force", action="store_true", help="allocate again after scoring at the stage has begun (needs --reason)")
    allocate.add_argument("--reason", metavar="TEXT", help="why, for the audit (required with --force)")

    separate = subparsers.add_parser(
        "separate",
        help="the chair orders a tie across the appointable line",
        description="Record the chair's order of the candidates who share a rank across the vacancies line, with the reason; "
        "the merit list follows it. Until then nobody in the tie is appointable and finalise refuses.",
    )
    separate.add_argument("file", metavar="FILE")
    separate.add_argument("--as", dest="as_member", required=True, metavar="CHAIR", help="your panel id (the chair)")
    separate.add_argument("--order", required=True, metavar="IDS", help="the tied candidates' ids, highest first, comma-separated")
    separate.add_argument("--rationale", required=True, metavar="TEXT", help="why this order (the merit principle)")

    for name, helptext in (("score", "record your own score for one candidate"), ("moderate", "record the chair's agreed score")):
        command = subparsers.add_parser(name, help=helptext, description=helptext[0].upper() + helptext[1:] + ".")
        command.add_argument("file", metavar="FILE")
        command.add_argument("--as", dest="as_member", required=True, metavar="CHAIR" if name == "moderate" else "ID", help="your panel id")
        command.add_argument("--candidate", required=True, metavar="ID")
        command.add_argument("--criterion", required=True, metavar="ID")
        command.add_argument("--stage", required=True, metavar="ID")
        command.add_argument("--score", required=True, type=int, metavar="N", help="1 to 7")
        if name == "score":
            command.add_argument("--evidence", metavar="TEXT", help="what the candidate showed (kept if omitted when changing a score)")
        else:
            command.add_argument(
                "--rationale", default="", metavar="TEXT", help="why the panel agreed this score (required where no panel member gave it)"
            )
        command.add_argument("--reason", default="", metavar="TEXT", help="the chair's reason for correcting a stage already decided (for the audit)")

    merge = subparsers.add_parser(
        "merge",
        help="bring panel members' scores from their copies into one file",
        description="Bring scores, agreed scores and audit rows from copies of the same campaign into TARGET. "
        "Identical rows are kept once; a different score or evidence for the same item is a conflict: all are listed and nothing changes. "
        "A SOURCE may be a copy of the campaign file or a member's score sheet (NAME.sheets/MEMBER.toml); with no SOURCE, the files in "
        "TARGET's sheets folder that are not a member's sheet (a sync service's conflicted copies) are taken in, then removed.",
    )
    merge.add_argument("target", metavar="TARGET")
    merge.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="copies of the campaign file or members' sheets (default: the strays in its sheets folder)"
    )
    merge.add_argument("--as", dest="as_member", metavar="ID", help="who merges, for the audit (default: your user name)")

    finalise = subparsers.add_parser(
        "finalise",
        help="the chair signs off and seals the campaign",
        description="Set the campaign final, the reserve list's last day (--reserve-months on) and the retention date (six months after, "
        "unless later) and seal it (SHA-256 of content and seal). Prints the digest: record it apart (assessor verify FILE --digest checks).",
    )
    finalise.add_argument("file", metavar="FILE")
    finalise.add_argument("--as", dest="as_member", required=True, metavar="CHAIR", help="your panel id (a chair)")
    finalise.add_argument("--force", action="store_true", help="finalise with items open, recording them in the audit")
    finalise.add_argument("--rationale", metavar="TEXT", help="why (required with --force)")
    finalise.add_argument(
        "--reserve-months", type=reserve_months, default=12, metavar="N", help="months the reserve list stays open for offers (default: 12)"
    )

    offer = subparsers.add_parser(
        "offer",
        help="after the seal: record what happened to an offer, in merit order",
        description="Record an offer's outcome on a sealed campaign: offered (to the next in merit order, while the reserve list is "
        "open), accepted, declined, or withdrawn. Each record is chained to the seal and to the record before it (verify checks it).",
    )
    offer.add_argument("file", metavar="FILE")
    offer.add_argument("--as", dest="as_member", required=True, metavar="CHAIR", help="your panel id (the chair)")
    offer.add_argument("--candidate", required=True, metavar="ID")
    offer.add_argument("--result", required=True, choices=("offered", "accepted", "declined", "withdrawn"))
    offer.add_argument("--note", metavar="TEXT", help="a note for the record (e.g. the start date); purge removes it")

    verify = subparsers.add_parser(
        "verify",
        help="check a sealed campaign's seal",
        description="Recompute the seal of each file and compare. Anyone who can edit a file can seal it again, so a matching "
        "seal shows the file unchanged since sealing only when its digest is the one recorded apart from the file at "
        "finalise: give that with --digest. Exit codes: 0 the seal matches (and is the recorded digest); 1 a seal that does "
        "not match, no seal, an offer chain broken, a file that cannot be read, or a digest other than the recorded one; "
        "2 wrong usage.",
    )
    verify.add_argument("files", nargs="+", metavar="FILE")
    verify.add_argument("--digest", type=sha256_hex, metavar="SHA256", help="the seal's digest as recorded at finalise (one FILE only)")

    export = subparsers.add_parser(
        "export-candidate",
        help="all the file holds on one candidate (subject access request)",
        description="Everything the file holds on one candidate and nothing on anyone else: "
        "details, adjustments, scores with evidence, agreed scores, outcome, audit rows.",
    )
    export.add_argument("file", metavar="FILE")
    export.add_argument("id", metavar="ID", help="the candidate's id")
    export.add_argument("--format", choices=("json", "md"), default="json", help="output format (default: json)")

    feedback = subparsers.add_parser(
        "feedback",
        help="a candidate's feedback letter, every candidate's, or the chair writes their feedback",
        description="Print the feedback letter for one candidate, in their language: the date, the campaign, the outcome, each stage "
        "they took part in with the agreed score on every criterion and its meaning on the scale, the chair's feedback and sign-off; "
        "nothing about anyone else; DRAFT until sealed. With --all -o FOLDER, write every candidate's letter there, named by reference. "
        "With --write TEXT (and --as CHAIR), write that feedback instead (an empty TEXT takes it back); before the campaign is sealed.",
    )
    feedback.add_argument("file", metavar="FILE")
    feedback.add_argument("id", metavar="ID", nargs="?", help="the candidate's id (or --all)")
    feedback.add_argument("--all", action="store_true", help="every candidate's letter, written to -o FOLDER")
    feedback.add_argument("-o", "--output", metavar="FOLDER", help="with --all: the folder the letters are written to")
    feedback.add_argument("--format", choices=("md", "html"), default="md", help="the letter's format (default: md)")
    feedback.add_argument("--write", metavar="TEXT", help="write this feedback to the candidate (the chair)")
    feedback.add_argument("--as", dest="as_member", metavar="CHAIR", help="your panel id (the chair), with --write")

    serve = subparsers.add_parser(
        "serve",
        help="the app in a browser for the whole panel, a private link each",
        description="Serve the app over HTTP to browsers (textual-serve) for the chair's panel: prints one private link per "
        "member the first time (and with --new-links); the key in a link decides who its browser is. Listens on 127.0.0.1 "
        "unless --host says otherwise, which needs --certfile and --keyfile; --url names the address members open when it is not "
        "--host's (a server's name, a proxy). Ctrl+C stops it.",
    )
    serve.add_argument("file", metavar="FILE", help="campaign file")
    serve.add_argument("--as", dest="as_member", metavar="CHAIR", required=True, help="your panel id: the chair serves the panel")
    serve.add_argument("--links", action="store_true", help="print the panel's private links again and stop")
    serve.add_argument("--new-links", action="store_true", help="make new links (every old one stops working), print them, then serve")
    serve.add_argument("--port", type=port_number, default=8000, metavar="N", help="TCP port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--url", metavar="URL", help="the address members open (https://assess.example.gov.uk:8443); needed with --host 0.0.0.0")
    serve.add_argument("--certfile", metavar="PEM", help="TLS certificate (needed with a --host beyond this machine)")
    serve.add_argument("--keyfile", metavar="PEM", help="the certificate's private key")
    serve.add_argument(
        "--idle-minutes", type=idle_minutes, default=30.0, metavar="N", help="end a tab's session after N minutes without a key (default: 30)"
    )
    stage_commands.add_parsers(subparsers)
    register_commands.add_parsers(subparsers)
    monitoring_commands.add_parsers(subparsers)
    for name in WRITING_COMMANDS:
        wait = f"wait up to SECONDS for another's save to finish (default: {DEFAULT_WAIT_SECONDS:g}); a file open in an app is refused at once"
        subparsers.choices[name].add_argument("--wait", type=seconds, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS", help=wait)
    for name, command in subparsers.choices.items():
        command.formatter_class = argparse.RawDescriptionHelpFormatter
        command.epilog = "Example:\n  " + EXAMPLES[name]
    return parser


WRITING_COMMANDS = (
    "import-candidates",
    "panel",
    "advance",
    "allocate",
    "separate",
    "score",
    "moderate",
    "reinstate",
    "declare",
    "merge",
    "finalise",
    "offer",
    "feedback",
    "purge",
)
"""The subcommands that take a lock to change a file, and so take --wait."""

DEFAULT_WAIT_SECONDS = 10.0  # kept in step with storage.lock.DEFAULT_WAIT_SECONDS by a test

EXAMPLES = {
    "new": "assessor new campaigns/hod-2027.toml --role head-of-digital --level 5 --title 'Head of Digital, DfE'",
    "validate": "assessor validate campaigns/*.toml",
    "summary": "assessor summary campaigns/hod-2026.toml --stage sift --format html -o sift.html",
    "import-candidates": "assessor import-candidates campaigns/hod-2026.toml applicants.csv --as okafor",
    "advance": "assessor advance campaigns/hod-2026.toml --as okafor",
    "allocate": "assessor allocate campaigns/hod-2026.toml --as okafor --stage sift --readers 1 --second-marking 10",
    "separate": "assessor separate campaigns/hod-2026.toml --as okafor --order C06,C01 --rationale 'Stronger on the lead behaviour at interview.'",
    "score": "assessor score campaigns/hod-2026.toml --as raman --candidate C03 --criterion leadership --stage interview --score 5 "
    "--evidence 'Led a merger.'",
    "moderate": "assessor moderate campaigns/hod-2026.toml --as okafor --candidate C03 --criterion leadership --stage interview --score 5 "
    "--rationale 'Agreed at wash-up.'",
    "merge": "assessor merge campaigns/hod-2026.toml ~/copies/raman.toml ~/copies/whitfield.toml",
    "finalise": "assessor finalise campaigns/hod-2026.toml --as okafor",
    "verify": "assessor verify archive/*.toml",
    "offer": "assessor offer archive/hod-2026.toml --as okafor --candidate C02 --result offered --note 'Start 1 March.'",
    "export-candidate": "assessor export-candidate campaigns/hod-2026.toml C03 --format md",
    "feedback": "assessor feedback campaigns/hod-2026.toml C03 --format html > C03-feedback.html",
    "serve": "assessor serve campaigns/hod-2026.toml --as okafor --port 8765",
    **stage_commands.EXAMPLES,
    **panel_commands.EXAMPLES,
    **register_commands.EXAMPLES,
    **monitoring_commands.EXAMPLES,
}
"""One example per subcommand, printed at the end of its --help."""


def build_app_parser() -> argparse.ArgumentParser:
    """The parser for opening the app."""
    parser = Parser(prog="assessor", description="Open the assessor app. Subcommands: " + ", ".join(SUBCOMMANDS) + " (see assessor --help).")
    parser.add_argument("file", nargs="?", metavar="FILE", help="campaign file (without it, a picker over ./campaigns/)")
    parser.add_argument("--as", dest="as_member", metavar="PANEL_ID", help="open as this panel member")
    return parser


def run_app(args: argparse.Namespace) -> int:
    """Open the Textual app (the only path that imports Textual) on FILE, read once, here."""
    from assessor.storage.campaign_file import open_campaign

    opened = None
    if args.file is not None:
        with ReadingNote(args.file):
            opened = open_campaign(args.file)  # a broken file is refused here, in one line, before the screen opens
    from assessor import served_app
    from assessor.app import AssessorApp

    served_app.run(AssessorApp(Path(args.file) if args.file else None, as_member=args.as_member, opened=opened))  # in a browser tab too
    return EXIT_OK


PATH_ARGUMENTS = {"file", "files", "paths", "target", "source", "sources", "output", "role", "digests", "data"}
"""Arguments that name files: any bytes the system allows in a file name are fine there."""


def check_text(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse, one line each, text arguments that are not valid UTF-8 (`--evidence $'bad\\xff'`):
    they could be neither written to a file nor printed."""
    chosen = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction)).choices[args.command]
    problems = []
    for action in chosen._actions:
        value = getattr(args, action.dest, None)
        if not isinstance(value, str) or action.dest in PATH_ARGUMENTS:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
            option = action.option_strings[0] if action.option_strings else str(action.metavar or action.dest)
            problems.append(Problem(getattr(args, "file", None) or "assessor", "not valid UTF-8 text", path=option))
    if problems:
        raise CampaignError(problems)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `assessor` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and (argv[0] in SUBCOMMANDS or argv[0] in {"-h", "--help", "--version"}):
            parser = build_parser()
            args = parser.parse_args(argv)
            check_text(parser, args)
            return SUBCOMMANDS[args.command](args)
        return run_app(build_app_parser().parse_args(argv))
    except CampaignError as exc:
        for problem in exc.problems:
            say(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # argparse: --help, --version (0) and wrong usage (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
