"""The subcommands about a stage already decided: inviting a candidate on late (`reinstate`). Never Textual."""

from __future__ import annotations

import argparse
from typing import Any

from assessor.commands import EXIT_OK, change_file, say

EXAMPLES = {
    "reinstate": "assessor reinstate campaigns/hod-2026.toml --as okafor --stage sift --candidate C05 "
    "--reason 'Leadership was mis-keyed as 3; the form shows 6.'",
}
"""One example per subcommand here, printed at the end of its --help."""


def add_parsers(subparsers: Any) -> None:
    """The parsers of the subcommands here, added to the command line's."""
    reinstate = subparsers.add_parser(
        "reinstate",
        help="the chair invites on a candidate who did not go on from a decided stage",
        description="Invite on, late, a candidate the chair's decision at a stage did not put through (after a correction "
        "showed they should have gone on, say), with the reason. The stage's recorded result stays as decided; the "
        "invitation is recorded beside it and in the audit.",
    )
    reinstate.add_argument("file", metavar="FILE")
    reinstate.add_argument("--as", dest="as_member", required=True, metavar="CHAIR", help="your panel id (the chair)")
    reinstate.add_argument("--stage", required=True, metavar="ID", help="the decided stage they did not go on from")
    reinstate.add_argument("--candidate", required=True, metavar="ID", help="the candidate to invite on")
    reinstate.add_argument("--reason", required=True, metavar="TEXT", help="why, for the audit and the record")


def command_reinstate(args: argparse.Namespace) -> int:
    """The chair invites on a candidate past a decided stage, with the reason."""
    from assessor.changes.decisions import reinstate

    changed = change_file(
        args, lambda campaign: reinstate(campaign, chair=args.as_member, stage=args.stage, candidate=args.candidate, reason=args.reason)
    )
    say(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK
