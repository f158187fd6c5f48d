"""`assessor panel`: who sits on the panel, set from the command line as the app's panel tab sets it;
and `assessor declare`: a member's conflict of interest with a candidate.

The same changes (`changes.setup_people`, `changes.declarations`) under the same rules, made
under the campaign file's lock like every other change. Never imports Textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from assessor.commands import EXIT_OK, EXIT_USAGE, change_file, say
from assessor.core.campaign import PANEL_ROLES
from assessor.core.errors import ChangeRefused
from assessor.core.identity import current_user

if TYPE_CHECKING:
    from assessor.core.campaign import Campaign

EXAMPLES = {
    "panel": "assessor panel campaigns/hod-2027.toml --add raman --name 'Priya Raman' --role independent",
    "declare": "assessor declare campaigns/hod-2026.toml --as raman --candidate C03 --reason 'We worked in the same team in 2023.'",
}
"""One example per subcommand here, printed at the end of its --help."""


def add_parsers(subparsers: Any) -> None:
    """The parsers of `assessor panel` and `assessor declare`, added to the command line's."""
    declare = subparsers.add_parser(
        "declare",
        help="declare a conflict of interest with a candidate (you know them)",
        description="Record that you know a candidate, with how: from then on you do not score them or see the panel's "
        "scores on them, allocate passes you over for them, and the chair sees the declaration. --withdraw takes it back, "
        "with a reason.",
    )
    declare.add_argument("file", metavar="FILE")
    declare.add_argument("--as", dest="as_member", required=True, metavar="MEMBER", help="your panel id")
    declare.add_argument("--candidate", required=True, metavar="ID", help="the candidate you know")
    declare.add_argument("--reason", required=True, metavar="TEXT", help="how you know them (or, with --withdraw, why it no longer stands)")
    declare.add_argument("--withdraw", action="store_true", help="take back your declaration about this candidate")

    panel = subparsers.add_parser(
        "panel",
        help="add, edit or remove a panel member",
        description="Add a member to the panel, change a member's name or role, or remove a member who has not scored: "
        "exactly one of --add, --edit and --remove. In set-up anyone may; from the sift on only the chair, with a reason, "
        "and only what the set-up still allows then (adding a replacement member, correcting a name).",
    )
    panel.add_argument("file", metavar="FILE")
    panel.add_argument("--as", dest="as_member", metavar="ID", help="who changes the panel, for the audit (default: your user name)")
    which = panel.add_mutually_exclusive_group(required=True)
    which.add_argument("--add", metavar="ID", help="add a member with this panel id (with --name and --role)")
    which.add_argument("--edit", metavar="ID", help="change this member's name or role (--name, --role, or both)")
    which.add_argument("--remove", metavar="ID", help="remove this member (refused once they have scored)")
    panel.add_argument("--name", metavar="NAME", help="the member's full name, as the summary shows it")
    panel.add_argument("--role", choices=PANEL_ROLES, help="chair (exactly one), member or independent")
    panel.add_argument("--reason", metavar="TEXT", help="why, for the audit: needed after set-up, when only the chair may change the panel")


def usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the options given together, beyond what the parser checks; None if nothing."""
    if args.add is not None and (args.name is None or args.role is None):
        return "--add needs --name and --role"
    if args.edit is not None and args.name is None and args.role is None:
        return "--edit needs --name, --role or both"
    if args.remove is not None and (args.name is not None or args.role is not None):
        return "--remove takes no --name or --role"
    return None


def command_panel(args: argparse.Namespace) -> int:
    """Add, edit or remove one panel member (`changes.setup_people`), under the campaign file's lock."""
    problem = usage_problem(args)
    if problem is not None:  # a usage error (exit 2), found before the file is read
        say(f"assessor panel: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    from assessor.changes.setup_people import add_member, remove_member, update_member
    from assessor.storage.reference import load_framework

    who = args.as_member or current_user()
    reason = args.reason or ""
    fields = {key: value for key, value in (("name", args.name), ("role", args.role)) if value is not None}

    def change(campaign: Campaign) -> Campaign:
        framework = load_framework(campaign.campaign.framework)
        try:
            if args.add is not None:
                return add_member(campaign, framework, who, name=args.name, role=args.role, member_id=args.add, reason=reason)
            if args.edit is not None:
                return update_member(campaign, framework, who, args.edit, reason=reason, **fields)
            return remove_member(campaign, framework, who, args.remove, reason=reason)
        except ChangeRefused as exc:
            if not exc.field.startswith("panel["):
                raise
            field = exc.field.rsplit(".", 1)[-1]  # a value the file refuses (`panel[3].id`), named by its option
            raise ChangeRefused(exc.message, "add" if field == "id" else field, exc.details) from None

    changed = change_file(args, change)
    say(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK


def command_declare(args: argparse.Namespace) -> int:
    """A panel member declares a conflict of interest with a candidate, or takes it back."""
    from assessor.changes.declarations import declare, withdraw_declaration

    change = withdraw_declaration if args.withdraw else declare
    changed = change_file(args, lambda campaign: change(campaign, member=args.as_member, candidate=args.candidate, reason=args.reason))
    say(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK
