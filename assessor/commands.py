"""The subcommands of `assessor`: each reads its files, makes its one change, and says what it did.

Never imports Textual (a test proves it): scripts call these and must start fast, so
each command imports what it needs when it runs. Refusals and bad input are raised as
`CampaignError`, which `cli.main` prints one problem per line with exit code 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from assessor.core.errors import CampaignError, ChangeRefused
from assessor.core.identity import current_user
from assessor.report.safe_text import visible, visible_line

if TYPE_CHECKING:
    from assessor.core.campaign import Campaign
    from assessor.storage.campaign_file import CampaignFile

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2

SEPARATE = "assessor separate"
"""The command that orders a tie across the appointable line: said where the rules say the chair records that order."""

PROGRESS_FROM_BYTES = 2_000_000
"""Files this large take a noticeable moment to read and check: say so on a terminal."""


def say(line: object, file: TextIO | None = None) -> None:
    """Print one line (stdout, or `file`) with any control character in it shown, not obeyed, and
    any line break a space: names, ids and file names in a message come from people (`report.safe_text`)."""
    print(visible_line(str(line)), file=file if file is not None else sys.stdout)


class ReadingNote:
    """Context manager: on a terminal, `reading FILE (12.3 MB)…` on stderr while a big file loads.

    Nothing is printed to a pipe or for small files, so scripts see only the contract's lines.
    """

    def __init__(self, name: str | Path, stream: TextIO | None = None) -> None:
        self.name = str(name)
        self.stream = stream if stream is not None else sys.stderr
        self.shown = False

    def __enter__(self) -> ReadingNote:
        try:
            size = Path(self.name).stat().st_size
        except OSError:
            return self
        if size >= PROGRESS_FROM_BYTES and self.stream.isatty():
            self.stream.write(f"reading {visible(self.name)} ({size / 1e6:.1f} MB)…")
            self.stream.flush()
            self.shown = True
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.shown:
            self.stream.write("\r\033[K")  # clear the line: the result follows on its own
            self.stream.flush()


def command_validate(args: argparse.Namespace) -> int:
    """Check every file and its score sheets; print one line per problem; exit 1 if any file has one."""
    from assessor.storage.campaign_file import open_campaign

    failed = False
    for name in args.files:
        try:
            with ReadingNote(name):
                opened = open_campaign(name, for_writing=False)
        except CampaignError as exc:
            failed = True
            for problem in exc.problems:
                say(problem, file=sys.stderr)
            continue
        for line in opened.stray_notes():  # a sync service's copy holds scores nobody counts yet
            failed = True
            say(line, file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def tell_strays(opened: CampaignFile) -> None:
    """Name, on stderr, the files in the sheets folder whose scores are not counted."""
    for line in opened.stray_notes():
        say(f"note: {line}", file=sys.stderr)


def command_new(args: argparse.Namespace) -> int:
    """Write a new campaign in set-up from a role template."""
    from pydantic import ValidationError

    from assessor.changes.new_campaign import campaign_from_template
    from assessor.storage.campaign_file import check_new_file, create_campaign_file
    from assessor.storage.reference import load_role_template
    from assessor.storage.toml_read import validation_problems

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
    say(f"{path}: new campaign {campaign.campaign.title!r} ({len(campaign.criteria)} criteria, {len(campaign.stages)} stages)")
    return EXIT_OK


def command_summary(args: argparse.Namespace) -> int:
    """Print or write the ranked panel summary."""
    from assessor.report.formats import BINARY_FORMATS, render, render_bytes

    if args.format in BINARY_FORMATS and args.output is None:
        # a usage error (exit 2), found before the file is read: a workbook is never printed
        say(f"assessor summary: error: --format {args.format} needs -o OUT.{args.format} (a workbook cannot be printed)", file=sys.stderr)
        return EXIT_USAGE
    from assessor.rules.scoring import summarise
    from assessor.storage.atomic import write_atomic
    from assessor.storage.campaign_file import open_campaign

    with ReadingNote(args.file):
        opened = open_campaign(args.file, for_writing=False)
    tell_strays(opened)
    stages = [stage.id for stage in opened.campaign.stages]
    if args.stage is not None and args.stage not in stages:
        raise CampaignError.single(args.file, f"unknown stage {args.stage!r} (one of: {', '.join(stages)})", path="--stage")
    summary = summarise(opened.campaign, args.stage, show_names=True if args.names else None, schemes=opened.framework.scheme_names)
    if args.as_member is not None:
        from assessor.rules.visibility import as_seen_by

        if args.as_member not in {member.id for member in opened.campaign.panel}:
            raise CampaignError.single(args.file, f"{args.as_member!r} is not on the panel", path="--as")
        summary = as_seen_by(summary, opened.campaign, args.as_member)
    if args.output is None:
        from assessor.rules.ranking import summary_ordered_how  # printed for a person: a tie at the line is ordered by a command

        shown = summary_ordered_how(summary, SEPARATE) if args.format == "text" else summary
        sys.stdout.write(render(shown, opened.campaign, opened.framework, args.format))
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
    from assessor.changes.setup_people import import_candidates
    from assessor.rules.roles import NEW_CANDIDATES, check_set_up_change
    from assessor.storage.importing import KnownCandidates, read_candidates
    from assessor.storage.reference import load_framework

    source = Path(args.source)
    who = args.as_member or current_user()
    reason = args.reason or ""

    def change(campaign: Campaign) -> Campaign:
        check_set_up_change(campaign, who, NEW_CANDIDATES, reason)  # who may, before the file is read
        # read under the lock: the ids and references already used are the ones on disk now
        framework = load_framework(campaign.campaign.framework)
        rows = read_candidates(source, KnownCandidates.of(campaign, framework))
        return import_candidates(campaign, framework, who, rows, source.name, ignored=rows.ignored, reason=reason)

    changed = change_file(args, change)
    say(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK


def note_to(file: str | Path) -> Callable[[str], None]:
    return lambda words: say(f"{file}: note: {words}", file=sys.stderr)


@contextmanager
def refusals_named(file: str | Path) -> Iterator[None]:
    """A change the rules refuse becomes one line per problem, naming the file."""
    try:
        yield
    except ChangeRefused as exc:
        from assessor.rules.ranking import ordered_how

        raise CampaignError([replace(problem, message=ordered_how(problem.message, SEPARATE)) for problem in exc.problems(str(file))]) from None


def change_file(args: argparse.Namespace, change: Callable[[Campaign], Campaign], *, file: str | None = None) -> Campaign:
    """Lock a campaign file, read the campaign with its sheets, apply one change and save it
    atomically, then unlock (`storage.locked_changes`).

    The lock keeps a second writer (the app, another command) from working on a copy
    that is about to be replaced; the fingerprint check still catches anyone who edits
    the file without taking the lock (a text editor).
    """
    from assessor.storage.locked_changes import change_campaign_file

    file = file or args.file
    with ReadingNote(file), refusals_named(file):
        _, changed = change_campaign_file(Path(file), change, who=current_user(), wait=args.wait, notice=note_to(file))
    return changed


def command_advance(args: argparse.Namespace) -> int:
    """The chair moves the campaign's status on by one, once the set-up is complete; out of set-up,
    with a `note:` line for what good practice asks of the panel and it lacks (`rules.readiness.setup_notes`)."""
    from assessor.changes.closing import result_lines
    from assessor.changes.setup import advance_status
    from assessor.rules.readiness import setup_notes
    from assessor.storage.reference import load_framework

    left: list[str] = []  # the status moved on from, as read under the lock
    recorded: list[int] = []  # how many stages were recorded as decided before

    def advance(campaign: Campaign) -> Campaign:
        left.append(campaign.campaign.status)
        recorded.append(len(campaign.decisions))
        return advance_status(campaign, load_framework(campaign.campaign.framework), args.as_member, force=args.force, reason=args.reason)

    changed = change_file(args, advance)
    say(f"{args.file}: {changed.audit[-1].what}")
    for record in changed.decisions[recorded[-1] :]:
        for line in result_lines(changed, record):
            say(f"{args.file}: {line}")
    for words in setup_notes(changed) if left[-1] == "setup" else []:
        note_to(args.file)(words)
    return EXIT_OK


def command_allocate(args: argparse.Namespace) -> int:
    """The chair allocates a stage's candidates among sifters, with a second-marking sample."""
    from assessor.changes.allocation import Allocated, allocate_stage

    made: list[Allocated] = []

    def change(campaign: Campaign) -> Campaign:
        sifters = [who.strip() for who in args.sifters.split(",") if who.strip()] if args.sifters else None
        result = allocate_stage(
            campaign,
            chair=args.as_member,
            stage=args.stage,
            readers=args.readers,
            second_marking=args.second_marking,
            sifters=sifters,
            force=args.force,
            reason=args.reason or "",
        )
        made.append(result)
        return result.campaign

    changed = change_file(args, change)
    say(f"{args.file}: {changed.audit[-1].what}")
    result = made[-1]
    for member in changed.panel:
        first, second = result.first.get(member.id, 0), result.second.get(member.id, 0)
        if first or second:
            say(f"  {member.id}: {first} to read, {second} to second-mark")
    return EXIT_OK


def command_separate(args: argparse.Namespace) -> int:
    """The chair orders the candidates tied across the appointable line, with the reason."""
    from assessor.changes.decisions import separate

    order = [candidate.strip() for candidate in args.order.split(",") if candidate.strip()]
    changed = change_file(args, lambda campaign: separate(campaign, chair=args.as_member, order=order, rationale=args.rationale))
    say(f"{args.file}: {changed.audit[-1].what}")
    return EXIT_OK


def command_score(args: argparse.Namespace) -> int:
    """Record one panel member's own score, on their own score sheet."""
    from assessor.changes.scores import record
    from assessor.storage.locked_changes import change_score_sheet

    with ReadingNote(args.file), refusals_named(args.file):
        result = change_score_sheet(
            Path(args.file),
            args.as_member,
            lambda campaign: record(
                campaign,
                assessor=args.as_member,
                candidate=args.candidate,
                criterion=args.criterion,
                stage=args.stage,
                score=args.score,
                evidence=args.evidence,
                reason=args.reason,
            ),
            who=current_user(),
            wait=args.wait,
            notice=note_to(args.file),
        )
    say(f"{args.file}: {result.words}")
    if result.changed:
        note_put_through(args.file, result.campaign, args.stage, args.as_member)
    return EXIT_OK


def command_moderate(args: argparse.Namespace) -> int:
    """Record the chair's agreed score with its rationale."""
    from assessor.changes.scores import record_moderation

    same: list[bool] = []

    def agree(campaign: Campaign) -> Campaign:
        changed = record_moderation(
            campaign,
            chair=args.as_member,
            candidate=args.candidate,
            criterion=args.criterion,
            stage=args.stage,
            score=args.score,
            rationale=args.rationale,
            reason=args.reason,
        )
        same.append(changed is campaign)
        return changed

    changed = change_file(args, agree)
    if same and same[-1]:
        item = f"{args.candidate} on {args.criterion} at {args.stage}"
        say(f"{args.file}: nothing changed: the agreed score for {item} is already {args.score}, with this rationale")
    else:
        say(f"{args.file}: {changed.audit[-1].what}")
        note_put_through(args.file, changed, args.stage, args.as_member)
    return EXIT_OK


def command_serve(args: argparse.Namespace) -> int:
    """The chair serves the panel: the port opened first, then a private link per member, printed when
    made (so a port in use prints none, and the next start prints them); then the server until ctrl+c."""
    from assessor.serve import Panel, serve
    from assessor.serve_address import address, link_url, listen
    from assessor.storage.campaign_file import load_campaign
    from assessor.storage.links import make_links, read_links

    file = Path(args.file)
    campaign = load_campaign(file)  # refuse a broken file here, in one line, as the app does
    member = next((m for m in campaign.panel if m.id == args.as_member), None)
    if member is None or member.role != "chair":
        role = "not on the panel" if member is None else f"on the panel as {member.role}"
        raise CampaignError.single(args.file, f"{args.as_member!r} is {role}: the chair serves the panel", path="--as")
    where = address(args.host, args.port, args.url, args.certfile, args.keyfile)
    sockets = []
    if not args.links:
        try:
            sockets = listen(args.host, args.port)
        except OSError as exc:  # the port is taken, or the address is not this machine's
            reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else exc.strerror or str(exc)  # > 0: not a name lookup's code
            reason = reason[0].lower() + reason[1:]
            raise CampaignError.single(f"{args.host}:{args.port}", f"cannot serve there: {reason}") from None
    members = [m.id for m in campaign.panel]
    found = None if args.new_links else read_links(file, members)
    links, shown = (found[0], found[1]) if found is not None else (make_links(file, members), members)
    names = {m.id: m.name for m in campaign.panel}
    if args.links:  # with --new-links too: the new ones, printed, and no server (a running one takes them at once)
        shown = members
    for who in shown:
        say(f"{who} ({names[who]}): {link_url(where.url, links.key_for(who))}")
    if args.links:
        return EXIT_OK
    if not shown:
        say(f"{args.file}: the panel's links are as before; `assessor serve {args.file} --as {args.as_member} --links` shows them again")
    serve(Panel(file, names, links), address=where, idle_minutes=args.idle_minutes, sockets=sockets)
    return EXIT_OK


def note_put_through(file: str, campaign: Campaign, stage: str, chair: str) -> None:
    """After a correction at a decided stage: a `note:` line for each candidate its scores would now
    put through who did not go on, with the command that invites them on."""
    from assessor.changes.closing import would_go_on_words
    from assessor.storage.reference import load_framework

    if campaign.decision_at(stage) is None:
        return
    for line in would_go_on_words(campaign, stage, load_framework(campaign.campaign.framework).scheme_names, file, chair):
        say(f"{file}: note: {line}", file=sys.stderr)
