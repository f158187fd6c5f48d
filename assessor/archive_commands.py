"""The subcommands that bring copies together and keep the record: merge, finalise, verify,
export-candidate and purge.

Like `commands`, never imports Textual, and imports what each command needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assessor.commands import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, ReadingNote, change_file, note_to, refusals_named, say, tell_strays
from assessor.core.errors import CampaignError, ChangeRefused, Problem
from assessor.core.identity import current_user

if TYPE_CHECKING:
    from assessor.core.campaign import Campaign


def command_merge(args: argparse.Namespace) -> int:
    """Bring panel members' scores into the target file: from copies of the campaign, from
    members' sheets sent by email, and (with no SOURCE) from the strays in its sheets folder."""
    from assessor.changes.merge import MergeResult, brought_words, merge, sheet_as_copy
    from assessor.core.clock import now
    from assessor.core.sheet import ScoreSheet
    from assessor.storage.campaign_file import load_campaign, open_campaign
    from assessor.storage.sheets import is_sheet_file, read_sheet, remove_sheets, sheet_problems, stray_message

    target = Path(args.target)
    names = [Path(name) for name in args.sources]
    not_sheets: dict[Path, str] = {}
    if not names:
        with ReadingNote(target):
            opened = open_campaign(target, for_writing=False)
        names = opened.strays
        if not names:
            say(f"{target}: nothing to merge: no file in its sheets folder but the members' own sheets")
            return EXIT_OK
        not_sheets = opened.not_sheets
    # A file that cannot be taken in (an editor's swap file) refuses the whole merge, named with what to do.
    problems = [Problem(str(name), f"not merged: {stray_message(name, target, why)}") for name, why in not_sheets.items()]
    copies: list[tuple[str, Campaign]] = []
    sheets: list[tuple[str, str, ScoreSheet]] = []
    for name in names:
        if name in not_sheets:
            continue
        try:
            with ReadingNote(name):
                if is_sheet_file(name):
                    text, sheet = read_sheet(name)
                    sheets.append((str(name), text, sheet))
                else:
                    copies.append((str(name), load_campaign(name)))
        except CampaignError as exc:  # every source that cannot be read is named, not the first alone
            problems.extend(exc.problems)
    if problems:
        raise CampaignError(problems)
    results: list[MergeResult] = []

    def change(campaign: Campaign) -> Campaign:
        sources = list(copies)
        for name, text, sheet in sheets:  # checked against the campaign as it is under the lock
            wrong = sheet_problems(name, text, sheet, campaign, sheet.member)
            if wrong:
                raise CampaignError(wrong)
            sources.append((name, sheet_as_copy(campaign, sheet)))
        results.append(merge(campaign, sources, target_name=str(target), who=args.as_member or current_user(), at=now()))
        return results[-1].campaign

    merged = change_file(args, change, file=str(target))
    # Strays of the target's sheets folder are removed once all they hold is in the campaign;
    # a member's own sheet named as a source is never removed.
    members = {member.id for member in merged.panel}
    folder = sheets_folder_of(target)
    taken_in = [path for path in names if path.resolve().parent == folder and not (path.suffix == ".toml" and path.stem in members)]
    remove_sheets(taken_in)
    if not results[-1].changed:
        say(f"{target}: nothing new to merge")
    for source, counts in results[-1].added.items():
        if any(counts.values()):
            say(f"{target}: from {source}: {brought_words(counts)}")
    for path in taken_in:
        say(f"{target}: removed {path}: everything in it is in the campaign")
    return EXIT_OK


def sheets_folder_of(path: Path) -> Path:
    """The sheets folder of a campaign file (`storage.sheets.sheets_folder`), resolved for comparing."""
    from assessor.storage.sheets import sheets_folder

    return sheets_folder(path.resolve())


def command_finalise(args: argparse.Namespace) -> int:
    """The chair signs off: every score sheet folded into the campaign file, status final, retention date, seal."""
    from assessor.changes.seal import finalise, seal_words
    from assessor.core.clock import now
    from assessor.storage.campaign_file import written_data
    from assessor.storage.locked_changes import finalise_files

    with ReadingNote(args.file), refusals_named(args.file):
        changed = finalise_files(
            Path(args.file),
            lambda campaign: finalise(
                campaign,
                chair=args.as_member,
                at=now(),
                file_data=written_data,
                force=args.force,
                rationale=args.rationale or "",
                reserve_months=args.reserve_months,
            ),
            who=current_user(),
            wait=args.wait,
            notice=note_to(args.file),
        )
    info = changed.campaign
    say(f"{args.file}: final; {seal_words(changed)}; reserve list open until {info.reserve_until}; personal data kept until {info.retain_until}")
    say(digest_to_record(args.file, changed))
    return EXIT_OK


def digest_to_record(file: str, campaign: Campaign) -> str:
    """The line that gives HR the seal's digest to keep apart from the file, and how to check it."""
    assert campaign.seal is not None
    digest = campaign.seal.sha256
    return f"{file}: seal sha256 {digest}: record it apart from the file; `assessor verify {file} --digest {digest}` checks the file against it"


UNPROVEN = "this shows the file unchanged since sealing only if it is the digest recorded then (check with --digest)"
"""What a matching seal does not show on its own: anyone who can edit the file can seal it again."""


def command_verify(args: argparse.Namespace) -> int:
    """Recompute each file's seal; one line per file, exit 1 if any does not match (or is not the
    digest recorded, with --digest)."""
    from assessor.changes.offers import chain_problems
    from assessor.changes.seal import seal_problems, seal_words
    from assessor.storage.campaign_file import load_with_data

    if args.digest is not None and len(args.files) != 1:
        say(f"assessor verify: error: --digest checks one FILE against its record, not {len(args.files)}", file=sys.stderr)
        return EXIT_USAGE
    failed = False
    for name in args.files:
        try:
            campaign, data = load_with_data(name)
            problems = seal_problems(campaign, data) + chain_problems(campaign)
            if not problems and args.digest is not None and campaign.seal is not None and campaign.seal.sha256 != args.digest:
                problems = [
                    f"--digest: the seal is {campaign.seal.sha256}, not the recorded {args.digest}: this is not the file as sealed "
                    f"then, or it was sealed again ({seal_words(campaign)})"
                ]
            if problems:
                raise CampaignError([Problem(name, problem) for problem in problems])
        except CampaignError as exc:
            failed = True
            for problem in exc.problems:
                say(problem, file=sys.stderr)
            continue
        assert campaign.seal is not None
        count = len(campaign.offers)
        offers = f"; {count} offer record{'s' if count != 1 else ''} after it, chain intact" if count else ""
        old = "; a version 1 seal: it does not cover who sealed it, when, or its note" if (campaign.seal.version or 1) == 1 else ""
        proof = "the digest recorded: the file is unchanged since it was sealed" if args.digest is not None else UNPROVEN
        say(f"{name}: {seal_words(campaign)}; seal matches{offers}{old}; sha256 {campaign.seal.sha256}: {proof}")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def command_offer(args: argparse.Namespace) -> int:
    """The chair records what happened to an offer, after the seal, in merit order."""
    from assessor.changes.offers import record_offer

    changed = change_file(
        args, lambda campaign: record_offer(campaign, chair=args.as_member, candidate=args.candidate, result=args.result, note=args.note or "")
    )
    row = changed.offers[-1]
    say(f"{args.file}: {row.candidate} {row.result}; offer record {len(changed.offers)}, chained to the seal")
    return EXIT_OK


def command_export_candidate(args: argparse.Namespace) -> int:
    """Everything the file holds on one candidate, for a subject access request."""
    from assessor.changes.subject_access import candidate_record
    from assessor.report.candidate_record import render_candidate
    from assessor.storage.campaign_file import open_campaign

    opened = open_campaign(args.file, for_writing=False)
    tell_strays(opened)  # what they hold on the candidate is not in this record until merged
    campaign = opened.campaign
    try:
        record = candidate_record(campaign, args.id, opened.framework.scheme_names)
    except ChangeRefused as exc:
        raise CampaignError(exc.problems(args.file)) from None
    sys.stdout.write(render_candidate(record, args.format))
    return EXIT_OK


def command_purge(args: argparse.Namespace) -> int:
    """After the retention date: replace personal data with placeholders and seal again."""
    from assessor.changes.retention import purge, purged_on
    from assessor.changes.seal import seal_words
    from assessor.core.clock import now
    from assessor.storage.campaign_file import load_with_data, written_data
    from assessor.storage.sheets import purge_sheets_folder

    already: list[str] = []

    def change(campaign: Campaign) -> Campaign:
        if (when := purged_on(campaign)) is not None:
            already.append(when.strftime("%Y-%m-%d"))
            return campaign
        _, on_disk = load_with_data(args.file)  # the same bytes: we hold the lock
        return purge(campaign, on_disk=on_disk, who=args.as_member or current_user(), at=now(), file_data=written_data)

    changed = change_file(args, change)
    if already:
        say(f"{args.file}: already purged on {already[0]}; nothing to do")
    else:
        say(f"{args.file}: personal data purged; {seal_words(changed)}")
        say(digest_to_record(args.file, changed))  # a new seal: the digest recorded at finalise no longer applies
    for removed in purge_sheets_folder(Path(args.file)):  # a sealed campaign's file holds every score: what is left here is not needed
        say(f"{args.file}: removed {removed}, which holds personal data")
    return EXIT_OK
