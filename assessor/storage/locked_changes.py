"""Changing a campaign on disk: take the lock, read the campaign as it is now, make one change, save, let go.

Used by the command line and the app alike. A member's score goes to their own score
sheet under that sheet's lock, so members never wait on each other; set-up, agreed
scores and the status go to the campaign file under its lock; finalising takes every
lock, folds every sheet into the campaign file and seals it, so the archive is one file.
A change that raises (`ChangeRefused`, `CampaignError`) leaves every file as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from assessor.changes.scores import RecordedScore
from assessor.changes.sheets import file_part, record_on_sheet
from assessor.core.campaign import Campaign
from assessor.core.checks import reference_problems
from assessor.core.errors import CampaignError, Problem
from assessor.core.fields import ID_PATTERN
from assessor.storage.campaign_file import CampaignFile, open_campaign, save_campaign
from assessor.storage.files import check_regular, check_writable
from assessor.storage.lock import APP, DEFAULT_WAIT_SECONDS, CampaignLock, acquire_lock
from assessor.storage.sheet_entries import folder_entries
from assessor.storage.sheets import leftovers, make_sheets_folder, remove_if_empty, save_sheet, sheet_path, sheets_folder, stray_message

Notice = Callable[[str], object]
"""Where a note for the user goes (a broken stale lock): stderr, or a notification."""


def _ignore(_: str) -> None:
    pass


def _noticed(lock: CampaignLock, notice: Notice) -> CampaignLock:
    if lock.notice:
        notice(lock.notice)
    return lock


def change_campaign_file(
    path: Path, change: Callable[[Campaign], Campaign], *, who: str, wait: float = DEFAULT_WAIT_SECONDS, notice: Notice = _ignore
) -> tuple[CampaignFile, Campaign]:
    """Apply `change` to the campaign as its files hold it now, and save what of it the campaign
    file holds. Returns the campaign as read and as changed (the same object if nothing changed).

    A change that finalises folds every member's sheet into the file: see `finalise_files`.
    """
    with _noticed(acquire_lock(path, who=who, wait=wait), notice):
        opened = open_campaign(path)
        changed = change(opened.campaign)
        if changed is opened.campaign:
            return opened, changed  # nothing to do: the file is left exactly as it was
        if changed.campaign.status == "final" and opened.campaign.campaign.status != "final" and _has_sheets(path):
            raise CampaignError.single(path, "not saved: finalising folds the score sheets in; it goes through `finalise_files`")
        _save_file_part(opened, changed)
    return opened, changed


def _has_sheets(path: Path) -> bool:
    return bool(folder_entries(sheets_folder(path)))  # hidden files too, but assessor's own locks and temporary files


def _save_file_part(opened: CampaignFile, changed: Campaign) -> None:
    found = reference_problems(changed)
    if found:  # a change that would make the files fail to load is never written
        raise CampaignError([Problem(str(opened.path), f"not saved: {message}") for _, message in found])
    sheets = {member: sheet.sheet for member, sheet in opened.sheets.items()}
    in_file = file_part(changed, base=opened.base, combined=opened.campaign, sheets=sheets)
    save_campaign(in_file, opened.path, expected=opened.fingerprint)


def change_score_sheet(
    path: Path,
    member: str,
    change: Callable[[Campaign], RecordedScore],
    *,
    who: str,
    wait: float = DEFAULT_WAIT_SECONDS,
    notice: Notice = _ignore,
    held: CampaignLock | None = None,
) -> RecordedScore:
    """Record `member`'s score (`change`, on the campaign as its files hold it now) on their own sheet.

    Only the sheet's lock is taken (none if `held`, the lock this process already has on it):
    members scoring at the same time never wait on each other, nor on the chair.
    """
    if not re.fullmatch(ID_PATTERN, member):  # never a path: `--as ../x` must not name a file elsewhere
        raise CampaignError.single(path, f"{member!r} is not a panel member's id", path="--as")
    target = sheet_path(path, member)
    with ExitStack() as stack:
        if held is None:
            check_regular(path)  # before a sheets folder or a lock is made for it
            check_writable(path)  # a campaign its owner made read-only takes no scores either
            stack.enter_context(_sheets_folder_for(path))
            stack.enter_context(_noticed(acquire_lock(target, who=who, wait=wait, like=path), notice))
        opened = open_campaign(path)
        result = change(opened.campaign)
        if result.changed:  # the same score and evidence again leave the sheet as it is, byte for byte
            write_sheet_score(opened, member, result)
    return result


@contextmanager
def _sheets_folder_for(path: Path) -> Iterator[None]:
    """The sheets folder, made if missing for the locks, and removed again if it is left empty:
    a refused change leaves nothing behind."""
    folder = sheets_folder(path)
    made = not folder.is_dir()
    make_sheets_folder(folder, path)
    try:
        yield
    finally:
        if made:
            remove_if_empty(folder)  # unless a sheet was written


def write_sheet_score(opened: CampaignFile, member: str, result: RecordedScore) -> None:
    """Save `result` (recorded on `opened.campaign`) to `member`'s sheet, which `opened` read."""
    before = opened.sheets.get(member)
    sheet = record_on_sheet(opened.sheet(member), opened.base, result)
    save_sheet(sheet, sheet_path(opened.path, member), like=opened.path, expected=before.fingerprint if before else None)


def hold_sheet(path: Path, member: str) -> CampaignLock:
    """Lock `member`'s own sheet for as long as their app has the campaign open: another app
    of theirs is refused at once, naming this one; other members are never held up."""
    make_sheets_folder(sheets_folder(path), path)
    return acquire_lock(sheet_path(path, member), who=member, wait=0, purpose=APP, like=path)


@contextmanager
def every_lock(
    path: Path, *, who: str, wait: float = DEFAULT_WAIT_SECONDS, notice: Notice = _ignore, held: CampaignLock | None = None
) -> Iterator[None]:
    """The campaign file's lock and every panel member's sheet lock (but `held`, this process's own),
    taken in one order (the file, then the sheets by member id) so two takers never deadlock."""
    with ExitStack() as stack:
        stack.enter_context(_noticed(acquire_lock(path, who=who, wait=wait), notice))
        base = open_campaign(path, for_writing=False).base
        stack.enter_context(_sheets_folder_for(path))
        refused: list[Problem] = []
        for member in sorted(member.id for member in base.panel):
            target = sheet_path(path, member)
            if held is not None and held.path == target:
                continue
            try:
                stack.enter_context(_noticed(acquire_lock(target, who=who, wait=wait, like=path), notice))
            except CampaignError as exc:  # every member's open app is named, not the first alone
                refused.extend(exc.problems)
        if refused:
            raise CampaignError(refused)
        yield


def finalise_files(
    path: Path,
    change: Callable[[Campaign], Campaign],
    *,
    who: str,
    wait: float = DEFAULT_WAIT_SECONDS,
    notice: Notice = _ignore,
    held: CampaignLock | None = None,
) -> Campaign:
    """Finalise (`change`) under every lock and fold every sheet into the campaign file.

    The sealed campaign file is written first, holding every score; the sheets are removed
    after, with macOS's own files and the temporary files of saves that stopped. Stopped in
    between, the sheets left hold only rows the file has: the next open for writing sees that
    and removes them. A member's app holding their sheet refuses the fold, and so does any
    other file in the folder, hidden or not (a stray), until it is merged or removed.
    """
    with every_lock(path, who=who, wait=wait, notice=notice, held=held):
        opened = open_campaign(path)
        if opened.strays:
            raise CampaignError([Problem(str(stray), "not finalised: " + words) for stray, words in _stray_lines(opened)])
        changed = change(opened.campaign)
        if changed is opened.campaign:
            return changed
        _save_file_part(opened, changed)
        for file in [sheet.path for sheet in opened.sheets.values()] + leftovers(sheets_folder(path), opened.system):
            file.unlink(missing_ok=True)
    remove_if_empty(sheets_folder(path))  # the locks went with the block above
    return changed


def _stray_lines(opened: CampaignFile) -> list[tuple[Path, str]]:
    def words(stray: Path) -> str:
        why = opened.not_sheets.get(stray)
        if why is not None:  # merge cannot take it in
            return stray_message(stray, opened.path, why)
        return f"not a panel member's score sheet: take it in first (`assessor merge {opened.path}`) or remove it"

    return [(stray, words(stray)) for stray in opened.strays]
