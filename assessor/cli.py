"""The `assessor` command: the app, and subcommands for jobs that need no screen.

Subcommands never import Textual (a test proves it): they must start fast in scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assessor import __version__
from assessor.errors import CampaignError

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def current_user() -> str:
    """Who is running the command, for the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def command_validate(args: argparse.Namespace) -> int:
    """Check every file; print one line per problem; exit 1 if any file has one."""
    from assessor.store import load_campaign

    failed = False
    for name in args.files:
        try:
            load_campaign(name)
        except CampaignError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def command_new(args: argparse.Namespace) -> int:
    """Write a new campaign in set-up from a role template."""
    from assessor.framework import campaign_from_template, load_role_template
    from assessor.model import AuditEntry, now
    from pydantic import ValidationError

    from assessor.store import save_campaign
    from assessor.tomlio import validation_problems

    path = Path(args.file)
    if path.exists():
        raise CampaignError.single(path, "already exists; choose another file name (assessor never overwrites a campaign)")
    if not path.parent.is_dir():
        raise CampaignError.single(path, f"folder {str(path.parent)!r} does not exist")
    template, framework = load_role_template(args.role)
    level = args.level if args.level is not None else template.level
    if level not in framework.level_numbers:
        raise CampaignError.single(
            path, f"--level {level}: {framework.name} has levels {min(framework.level_numbers)} to {max(framework.level_numbers)}"
        )
    campaign_id = args.id or path.stem
    try:
        campaign = campaign_from_template(template, framework, campaign_id=campaign_id, title=args.title, level=level)
    except ValidationError as exc:  # an --id or --title the format refuses
        raise CampaignError(validation_problems(str(path), "", exc)) from None
    campaign.audit.append(AuditEntry(at=now(), who=current_user(), what=f"created from role template {template.id} at level {level}"))
    save_campaign(campaign, path)
    print(f"{path}: new campaign {campaign.campaign.title!r} ({len(campaign.criteria)} criteria, {len(campaign.stages)} stages)")
    return EXIT_OK


SUBCOMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": command_new,
    "validate": command_validate,
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
    return parser


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
