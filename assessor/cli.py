"""The `assessor` command: the app, and subcommands for jobs that need no screen.

Subcommands never import Textual (a test proves it): they must start fast in scripts.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assessor import __version__
from assessor.errors import CampaignError, Problem

if TYPE_CHECKING:
    from assessor.changes import ChangeRefused
    from assessor.model import Campaign

FORMATS = ("text", "md", "csv", "json", "html", "xlsx")  # kept in step with report.FORMATS by a test

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def current_user() -> str:
    """Who is running the program (the system's user name), for the audit trail and locks."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


PROGRESS_FROM_BYTES = 2_000_000
"""Files this large take a noticeable moment to read and check: say so on a terminal."""


class ReadingNote:
    """Context manager: on a terminal, `reading FILE (12.3 MB)…` on stderr while a big file loads.

    Nothing is printed to a pipe or for small files, so scripts see only the contract's lines.
    """

    def __init__(self, name: str | Path, stream=None) -> None:
        self.name = str(name)
        self.stream = stream if stream is not None else sys.stderr
        self.shown = False

    def __enter__(self) -> ReadingNote:
        try:
            size = Path(self.name).stat().st_size
        except OSError:
            return self
        if size >= PROGRESS_FROM_BYTES and self.stream.isatty():
            self.stream.write(f"reading {self.name} ({size / 1e6:.1f} MB)…")
            self.stream.flush()
            self.shown = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.shown:
            self.stream.write("\r\033[K")  # clear the line: the result follows on its own
            self.stream.flush()


def command_validate(args: argparse.Namespace) -> int:
    """Check every file; print one line per problem; exit 1 if any file has one."""
    from assessor.store import load_campaign

    failed = False
    for name in args.files:
        try:
            with ReadingNote(name):
                load_campaign(name)
        except CampaignError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def command_new(args: argparse.Namespace) -> int:
    """Write a new campaign in set-up from a role template."""
    from assessor.framework import campaign_from_template, load_role_template
    from pydantic import ValidationError

    from assessor.store import check_new_file, create_campaign_file
    from assessor.tomlio import validation_problems

    path = Path(args.file)
    check_new_file(path)
    template, framework = load_role_template(args.role)
    level = args.level if args.level is not None else template.level
    if level not in framework.level_numbers:
        raise CampaignError.single(
            path, f"--level {level}: {framework.name} has levels {min(framework.level_numbers)} to {max(framework.level_numbers)}"
        )
    campaign_id = args.id or path.stem
    try:
        campaign = campaign_from_template(template, framework, campaign_id=campaign_id, title=args.title, level=level, who=current_user())
    except ValidationError as exc:  # an --id or --title the format refuses
        raise CampaignError(validation_problems(str(path), "", exc)) from None
    create_campaign_file(campaign, path)
    print(f"{path}: new campaign {campaign.campaign.title!r} ({len(campaign.criteria)} criteria, {len(campaign.stages)} stages)")
    return EXIT_OK


def command_summary(args: argparse.Namespace) -> int:
    """Print or write the ranked panel summary."""
    from assessor.report import BINARY_FORMATS, render, render_bytes

    if args.format in BINARY_FORMATS and args.output is None:
        # a usage error (exit 2), found before the file is read: a workbook is never printed
        print(f"assessor summary: error: --format {args.format} needs -o OUT.{args.format} (a workbook cannot be printed)", file=sys.stderr)
        return EXIT_USAGE
    from assessor.scoring import summarise
    from assessor.store import open_campaign, write_atomic

    with ReadingNote(args.file):
        opened = open_campaign(args.file, for_writing=False)
    stages = [stage.id for stage in opened.campaign.stages]
    if args.stage is not None and args.stage not in stages:
        raise CampaignError.single(args.file, f"unknown stage {args.stage!r} (one of: {', '.join(stages)})", path="--stage")
    summary = summarise(opened.campaign, args.stage, show_names=True if args.names else None)
    if args.output is None:
        sys.stdout.write(render(summary, opened.campaign, opened.framework, args.format))
        return EXIT_OK
    output = Path(args.output)
    if output.exists() and not args.force:
        raise CampaignError.single(output, "already exists; add --force to replace it")
    if output.resolve() == Path(args.file).resolve():
        raise CampaignError.single(output, "is the campaign file itself; choose another output file")
    write_atomic(output, render_bytes(summary, opened.campaign, opened.framework, args.format))
    return EXIT_OK


def command_import_candidates(args: argparse.Namespace) -> int:
    """Add candidates from a CSV file or a workbook: all of them, or none."""
    from assessor.campaign_setup import import_candidates
    from assessor.framework import load_framework
    from assessor.importing import read_candidates

    source = Path(args.source)
    who = args.as_member or current_user()

    def change(campaign: Campaign) -> Campaign:
        # read under the lock: the ids and references already used are the ones on disk now
        rows = read_candidates(
            source,
            existing_ids={candidate.id for candidate in campaign.candidates},
            existing_references={candidate.reference for candidate in campaign.candidates if candidate.reference},
        )
        return import_candidates(campaign, load_framework(campaign.campaign.framework), who, rows, source.name)

    changed = _change_file(args.file, change)
    print(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK


def _change_file(file: str, change: Callable[[Campaign], Campaign]) -> Campaign:
    """Lock a campaign, read it, apply one change and save it atomically, then unlock.

    The lock keeps a second writer (the app, another command) from working on a copy
    that is about to be replaced; the fingerprint check still catches anyone who edits
    the file without taking the lock (a text editor).
    """
    from assessor.changes import ChangeRefused
    from assessor.model import reference_problems
    from assessor.store import acquire_lock, open_campaign, save_campaign

    with acquire_lock(file, who=current_user()) as lock:
        if lock.notice:
            print(f"{file}: note: {lock.notice}", file=sys.stderr)
        with ReadingNote(file):
            opened = open_campaign(file)
        try:
            changed = change(opened.campaign)
        except ChangeRefused as exc:
            raise CampaignError(refusal_problems(file, exc)) from None
        if changed is opened.campaign:
            return changed  # nothing to do: the file is left exactly as it was
        found = reference_problems(changed)
        if found:  # a change that would make the file fail to load is never written
            raise CampaignError([Problem(file, f"not saved: {message}") for _, message in found])
        save_campaign(changed, opened.path, expected=opened.fingerprint)
    return changed


def refusal_problems(file: str, exc: ChangeRefused) -> list[Problem]:
    """A refused change as problem lines: the reason, then one line per item it lists."""
    problems = [Problem(file, exc.message, path=f"--{exc.field}" if exc.field else "")]
    problems.extend(Problem(file, detail) for detail in exc.details)
    return problems


def command_score(args: argparse.Namespace) -> int:
    """Record one panel member's own score."""
    from assessor.changes import record_score

    changed = _change_file(
        args.file,
        lambda campaign: record_score(
            campaign, assessor=args.as_member, candidate=args.candidate, criterion=args.criterion,
            stage=args.stage, score=args.score, evidence=args.evidence,
        ),
    )
    print(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK


def command_moderate(args: argparse.Namespace) -> int:
    """Record the chair's agreed score with its rationale."""
    from assessor.changes import record_moderation

    changed = _change_file(
        args.file,
        lambda campaign: record_moderation(
            campaign, chair=args.as_member, candidate=args.candidate, criterion=args.criterion,
            stage=args.stage, score=args.score, rationale=args.rationale,
        ),
    )
    print(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK


def command_merge(args: argparse.Namespace) -> int:
    """Bring panel members' scores from their copies into the target file."""
    from assessor.archive import MergeResult, merge
    from assessor.model import now
    from assessor.store import load_campaign

    sources = []
    for name in args.sources:
        with ReadingNote(name):
            sources.append((name, load_campaign(name)))
    results: list[MergeResult] = []

    def change(campaign: Campaign) -> Campaign:
        results.append(merge(campaign, sources, target_name=args.target, who=args.as_member or current_user(), at=now()))
        return results[-1].campaign

    _change_file(args.target, change)
    if not results[-1].changed:
        print(f"{args.target}: nothing new to merge")
    for name, counts in results[-1].added.items():
        if any(counts.values()):
            print(f"{args.target}: from {name}: {counts['scores']} scores, {counts['moderation']} agreed scores, {counts['audit']} audit rows")
    return EXIT_OK


def command_finalise(args: argparse.Namespace) -> int:
    """The chair signs off: status final, retention date, seal."""
    from assessor.archive import finalise, seal_words
    from assessor.model import now
    from assessor.store import written_data

    changed = _change_file(
        args.file,
        lambda campaign: finalise(
            campaign, chair=args.as_member, at=now(), file_data=written_data, force=args.force, rationale=args.rationale or "",
        ),
    )
    print(f"{args.file}: final; {seal_words(changed)}; personal data kept until {changed.campaign.retain_until}")
    return EXIT_OK


def command_verify(args: argparse.Namespace) -> int:
    """Recompute each file's seal; one line per file, exit 1 if any does not match."""
    from assessor.archive import seal_problems, seal_words
    from assessor.store import load_with_data

    failed = False
    for name in args.files:
        try:
            campaign, data = load_with_data(name)
            problems = seal_problems(campaign, data)
            if problems:
                raise CampaignError([Problem(name, problem) for problem in problems])
        except CampaignError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        print(f"{name}: {seal_words(campaign)}; seal matches")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def command_export_candidate(args: argparse.Namespace) -> int:
    """Everything the file holds on one candidate, for a subject access request."""
    from assessor.archive import candidate_record
    from assessor.changes import ChangeRefused
    from assessor.report import render_candidate
    from assessor.store import load_campaign

    campaign = load_campaign(args.file)
    try:
        record = candidate_record(campaign, args.id)
    except ChangeRefused as exc:
        raise CampaignError(refusal_problems(args.file, exc)) from None
    sys.stdout.write(render_candidate(record, args.format))
    return EXIT_OK


def command_purge(args: argparse.Namespace) -> int:
    """After the retention date: replace personal data with placeholders and seal again."""
    from assessor.archive import purge, purged_on, seal_words
    from assessor.model import now
    from assessor.store import load_with_data, written_data

    already: list[str] = []

    def change(campaign: Campaign) -> Campaign:
        if (when := purged_on(campaign)) is not None:
            already.append(when.strftime("%Y-%m-%d"))
            return campaign
        _, on_disk = load_with_data(args.file)  # the same bytes: we hold the lock
        return purge(campaign, on_disk=on_disk, who=args.as_member or current_user(), at=now(), file_data=written_data)

    changed = _change_file(args.file, change)
    if already:
        print(f"{args.file}: already purged on {already[0]}; nothing to do")
    else:
        print(f"{args.file}: personal data purged; {seal_words(changed)}")
    return EXIT_OK


def command_serve(args: argparse.Namespace) -> int:
    """Serve the app to a browser on this machine: one app process per browser tab."""
    from assessor.store import load_campaign

    if args.file is not None:
        load_campaign(args.file)  # refuse a broken file here, in one line, as the app does
    from assessor.serve import is_loopback, serve

    if not is_loopback(args.host):
        print(f"assessor: note: {args.host} is not this machine only; anyone who can reach it can use the app as you", file=sys.stderr)
    try:
        serve(Path(args.file) if args.file else None, as_member=args.as_member, host=args.host, port=args.port)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else exc.strerror or str(exc)  # > 0: not a name lookup's code
        reason = reason[0].lower() + reason[1:]
        raise CampaignError.single(f"{args.host}:{args.port}", f"cannot serve there: {reason}") from None
    return EXIT_OK


def port_number(text: str) -> int:
    """A TCP port for --port: 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be 1 to 65535, not {port}")
    return port


SUBCOMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": command_new,
    "validate": command_validate,
    "summary": command_summary,
    "import-candidates": command_import_candidates,
    "score": command_score,
    "moderate": command_moderate,
    "merge": command_merge,
    "finalise": command_finalise,
    "verify": command_verify,
    "export-candidate": command_export_candidate,
    "purge": command_purge,
    "serve": command_serve,
}


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="assessor",
        description=(
            "Run a recruitment panel's campaign: score candidates 1-7 with evidence, moderate, "
            "rank and archive, in one TOML file. `assessor [FILE] [--as PANEL_ID]` opens the app."
        ),
        epilog="Exit codes: 0 done; 1 bad input or invalid file (one line per problem on stderr); 2 wrong usage.",
    )
    parser.add_argument("--version", action="version", version=f"assessor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser("new", help="write a new campaign from a role template", description="Write a new campaign in set-up from a role template in reference/roles/.")
    new.add_argument("file", metavar="FILE", help="the campaign file to create (never overwritten)")
    new.add_argument("--role", required=True, metavar="TEMPLATE", help="role template id (e.g. head-of-digital) or path")
    new.add_argument("--level", type=int, metavar="N", help="framework level the panel scores against (default: the template's)")
    new.add_argument("--title", help="campaign title (default: the role's title)")
    new.add_argument("--id", help="campaign id (default: the file name without .toml)")

    validate = commands.add_parser("validate", help="check campaign files", description="Check campaign files. Prints nothing and exits 0 when every file is valid.")
    validate.add_argument("files", nargs="+", metavar="FILE")

    summary = commands.add_parser("summary", help="the ranked panel summary", description="The ranked panel summary: the merit list of the counted stages, or one stage's list.")
    summary.add_argument("file", metavar="FILE")
    summary.add_argument("--stage", metavar="ID", help="summarise this stage only (e.g. sift: who goes on)")
    summary.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    summary.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of printing; needed for xlsx")
    summary.add_argument("--force", action="store_true", help="replace OUT if it exists")
    summary.add_argument("--names", action="store_true", help="show names in a name-blind sift summary")

    imports = commands.add_parser(
        "import-candidates", help="add candidates from a CSV file or an .xlsx workbook",
        description="Add candidates from a CSV file or the first sheet of an .xlsx workbook whose header row names the columns: "
        "name (required), reference, adjustments, id. All or nothing: every bad row is listed and nothing is imported.",
    )
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("source", metavar="SOURCE", help="a .csv (UTF-8) or .xlsx file")
    imports.add_argument("--as", dest="as_member", metavar="ID", help="who imports, for the audit (default: your user name)")

    for name, helptext in (("score", "record your own score for one candidate"), ("moderate", "record the chair's agreed score")):
        command = commands.add_parser(name, help=helptext, description=helptext[0].upper() + helptext[1:] + ".")
        command.add_argument("file", metavar="FILE")
        command.add_argument("--as", dest="as_member", required=True, metavar="CHAIR" if name == "moderate" else "ID", help="your panel id")
        command.add_argument("--candidate", required=True, metavar="ID")
        command.add_argument("--criterion", required=True, metavar="ID")
        command.add_argument("--stage", required=True, metavar="ID")
        command.add_argument("--score", required=True, type=int, metavar="N", help="1 to 7")
        if name == "score":
            command.add_argument("--evidence", metavar="TEXT", help="what the candidate showed (kept if omitted when changing a score)")
        else:
            command.add_argument("--rationale", required=True, metavar="TEXT", help="why the panel agreed this score")

    merge = commands.add_parser(
        "merge", help="bring panel members' scores from their copies into one file",
        description="Bring scores, agreed scores and audit rows from copies of the same campaign into TARGET. "
        "Identical rows are kept once; a different score or evidence for the same item is a conflict: all are listed and nothing changes.",
    )
    merge.add_argument("target", metavar="TARGET")
    merge.add_argument("sources", nargs="+", metavar="SOURCE")
    merge.add_argument("--as", dest="as_member", metavar="ID", help="who merges, for the audit (default: your user name)")

    finalise = commands.add_parser(
        "finalise", help="the chair signs off and seals the campaign",
        description="Set the campaign final, set its retention date (six months on, unless set) and seal it with a SHA-256 of its content.",
    )
    finalise.add_argument("file", metavar="FILE")
    finalise.add_argument("--as", dest="as_member", required=True, metavar="CHAIR", help="your panel id (a chair)")
    finalise.add_argument("--force", action="store_true", help="finalise with items open, recording them in the audit")
    finalise.add_argument("--rationale", metavar="TEXT", help="why (required with --force)")

    verify = commands.add_parser("verify", help="check a sealed campaign's seal", description="Recompute the seal of each file and compare.")
    verify.add_argument("files", nargs="+", metavar="FILE")

    export = commands.add_parser(
        "export-candidate", help="all the file holds on one candidate (subject access request)",
        description="Everything the file holds on one candidate and nothing on anyone else: details, adjustments, scores with evidence, agreed scores, outcome, audit rows.",
    )
    export.add_argument("file", metavar="FILE")
    export.add_argument("id", metavar="ID", help="the candidate's id")
    export.add_argument("--format", choices=("json", "md"), default="json", help="output format (default: json)")

    purge = commands.add_parser(
        "purge", help="after retain_until: remove personal data, keep the anonymous scores",
        description="After the retention date, replace names, references, adjustments, evidence and rationales with placeholders; keep ids, scores and the ranking; seal again.",
    )
    purge.add_argument("file", metavar="FILE")
    purge.add_argument("--as", dest="as_member", metavar="ID", help="who purges, for the audit and the seal (default: your user name)")

    serve = commands.add_parser(
        "serve", help="open the app in a browser on this machine",
        description="Serve the app over HTTP to a browser on this machine (textual-serve): each browser tab runs its own "
        "`assessor [FILE] [--as ID]`. Listens on 127.0.0.1 unless --host says otherwise. Ctrl+C stops it.",
    )
    serve.add_argument("file", nargs="?", metavar="FILE", help="campaign file (without it, a picker over ./campaigns/)")
    serve.add_argument("--as", dest="as_member", metavar="PANEL_ID", help="open as this panel member")
    serve.add_argument("--port", type=port_number, default=8000, metavar="N", help="TCP port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    for name, command in commands.choices.items():
        command.formatter_class = argparse.RawDescriptionHelpFormatter
        command.epilog = "Example:\n  " + EXAMPLES[name]
    return parser


EXAMPLES = {
    "new": "assessor new campaigns/hod-2027.toml --role head-of-digital --level 5 --title 'Head of Digital, DfE'",
    "validate": "assessor validate campaigns/*.toml",
    "summary": "assessor summary campaigns/hod-2026.toml --stage sift --format html -o sift.html",
    "import-candidates": "assessor import-candidates campaigns/hod-2026.toml applicants.csv --as okafor",
    "score": "assessor score campaigns/hod-2026.toml --as raman --candidate C03 --criterion leadership --stage interview --score 5 --evidence 'Led a merger.'",
    "moderate": "assessor moderate campaigns/hod-2026.toml --as okafor --candidate C03 --criterion leadership --stage interview --score 5 --rationale 'Agreed at wash-up.'",
    "merge": "assessor merge campaigns/hod-2026.toml ~/copies/raman.toml ~/copies/whitfield.toml",
    "finalise": "assessor finalise campaigns/hod-2026.toml --as okafor",
    "verify": "assessor verify archive/*.toml",
    "export-candidate": "assessor export-candidate campaigns/hod-2026.toml C03 --format md",
    "purge": "assessor purge archive/hod-2026.toml",
    "serve": "assessor serve campaigns/hod-2026.toml --as raman --port 8765",
}
"""One example per subcommand, printed at the end of its --help."""


def build_app_parser() -> argparse.ArgumentParser:
    """The parser for opening the app."""
    parser = argparse.ArgumentParser(prog="assessor", description="Open the assessor app. Subcommands: " + ", ".join(SUBCOMMANDS) + " (see assessor --help).")
    parser.add_argument("file", nargs="?", metavar="FILE", help="campaign file (without it, a picker over ./campaigns/)")
    parser.add_argument("--as", dest="as_member", metavar="PANEL_ID", help="open as this panel member")
    return parser


def run_app(args: argparse.Namespace) -> int:
    """Open the Textual app (the only path that imports Textual)."""
    from assessor.store import load_campaign

    if args.file is not None:
        load_campaign(args.file)  # refuse a broken file here, in one line, before the screen opens
    from assessor.app import AssessorApp

    AssessorApp(Path(args.file) if args.file else None, as_member=args.as_member).run()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `assessor` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and (argv[0] in SUBCOMMANDS or argv[0] in {"-h", "--help", "--version"}):
            args = build_parser().parse_args(argv)
            return SUBCOMMANDS[args.command](args)
        return run_app(build_app_parser().parse_args(argv))
    except CampaignError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # argparse: --help, --version (0) and wrong usage (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
