"""The `feedback` subcommand: the chair writes a candidate's feedback, and each candidate's
letter is printed, or every candidate's written to a folder, each in their own language.

Like `commands`, never imports Textual, and imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessor.commands import EXIT_OK, EXIT_USAGE, change_file, note_to, refusals_named, say, tell_strays
from assessor.core.errors import CampaignError

if TYPE_CHECKING:
    from assessor.core.campaign import Campaign
    from assessor.report.letters import LetterSources
    from assessor.storage.campaign_file import CampaignFile

_NOT_IN_A_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def letter_file_name(campaign: Campaign, candidate_id: str, taken: set[str], fmt: str) -> str:
    """The file a candidate's letter is written to: their reference (else their id), made a plain
    file name; the id added where two references would make the same name."""
    person = next(c for c in campaign.candidates if c.id == candidate_id)
    stem = _NOT_IN_A_FILE_NAME.sub("_", person.reference).strip("._") or candidate_id
    if stem.casefold() in taken:
        stem = f"{stem}-{candidate_id}"
    taken.add(stem.casefold())
    return f"{stem}.{fmt}"


def _letter(opened: CampaignFile, candidate_id: str, sources: LetterSources | None = None) -> dict[str, Any]:
    from assessor.core.clock import now
    from assessor.report.letters import feedback_letter
    from assessor.storage.reference import load_letter_wording

    person = next((c for c in opened.campaign.candidates if c.id == candidate_id), None)
    wording = load_letter_wording(person.language or "en" if person else "en")
    return feedback_letter(opened.campaign, opened.framework, candidate_id, wording, now().date(), sources)


def _usage(words: str) -> int:
    say(f"assessor feedback: error: {words}", file=sys.stderr)
    return EXIT_USAGE


def command_feedback(args: argparse.Namespace) -> int:
    """The chair writes a candidate's feedback (`--write`), or letters are printed (one) or written (`--all -o FOLDER`)."""
    from assessor.changes.decisions import write_feedback
    from assessor.report.letters import render_letter
    from assessor.rules.mentions import ANOTHER, others_named
    from assessor.storage.campaign_file import open_campaign

    if (args.id is None) == (not args.all):
        return _usage("name one candidate's ID, or --all for every candidate")
    if args.all and (args.write is not None or args.output is None):
        return _usage("--all writes every letter to a folder: give -o FOLDER, and no --write")
    if args.output is not None and not args.all:
        return _usage("-o FOLDER goes with --all; one letter prints to standard output")
    if args.write is not None:
        if args.as_member is None:
            raise CampaignError.single(args.file, "--as CHAIR is needed with --write: only the chair writes feedback", path="--as")
        changed = change_file(args, lambda campaign: write_feedback(campaign, chair=args.as_member, candidate=args.id, text=args.write))
        say(f"{args.file}: {changed.audit[-1].what}")
        named = others_named(changed, args.id, args.write)
        if named:
            note_to(args.file)(f"the feedback names another candidate ({', '.join(named)}): {args.id}'s letter reads {ANOTHER} in their place")
        return EXIT_OK
    opened = open_campaign(args.file, for_writing=False)
    tell_strays(opened)
    if not args.all:
        with refusals_named(args.file):
            sys.stdout.write(render_letter(_letter(opened, args.id), args.format))
        return EXIT_OK
    return _write_every_letter(opened, args)


def _write_every_letter(opened: CampaignFile, args: argparse.Namespace) -> int:
    """Every candidate's letter into the folder, named by reference; one line saying how many, in which languages."""
    from assessor.core.letter_wording import LANGUAGES
    from assessor.report.letters import letter_sources, render_letter
    from assessor.storage.atomic import write_atomic

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise CampaignError.single(folder, "is not a folder: -o names the folder the letters are written to")
    sources = letter_sources(opened.campaign, opened.framework)  # the summaries and names, once for every letter
    letters = [(person.id, _letter(opened, person.id, sources)) for person in opened.campaign.candidates]
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for candidate_id, letter in letters:
        name = letter_file_name(opened.campaign, candidate_id, taken, args.format)
        write_atomic(folder / name, render_letter(letter, args.format).encode())
    counts = {language: sum(1 for _, letter in letters if letter["language"] == language) for language in LANGUAGES}
    languages = ", ".join(f"{count} in {'Welsh' if language == 'cy' else 'English'}" for language, count in counts.items() if count)
    drafts = " (DRAFT: the campaign is not sealed)" if letters and letters[0][1]["draft"] else ""
    say(f"{args.file}: wrote {len(letters)} letters to {folder} ({languages or 'none'}){drafts}")
    return EXIT_OK
