"""Score sheets on disk: `NAME.sheets/MEMBER.toml` beside the campaign file `NAME.toml`.

Each panel member's scores are saved to their own sheet, so no two people ever write one
file: panels score at the same time, and sync services (OneDrive, Dropbox, Syncthing)
never have to reconcile two versions of a file. A sync service that does make a
"conflicted copy" leaves a file here that is not a member's sheet: it is listed as a
stray, named to the user and taken in by `assessor merge`, never ignored; so does a hidden
copy (an editor's `.raman.toml.swp`, macOS's `._raman.toml`): only assessor's own locks and
temporary files, and macOS's own metadata, are not strays (`sheet_entries`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessor import __version__
from assessor.changes.sheets import folded_already
from assessor.core.campaign import Campaign
from assessor.core.checks import reference_problems
from assessor.core.errors import CampaignError, Problem
from assessor.core.sheet import SHEET_SCHEMA_VERSION, ScoreSheet
from assessor.storage.atomic import sweep_dead_temps
from assessor.storage.files import followed
from assessor.storage.lock import sweep_stale_locks
from assessor.storage.rows import validate_rows_in_batches
from assessor.storage.sheet_entries import all_entries, folder_entries, is_lock_file, is_save_temp, is_system_file, is_this_process
from assessor.storage.toml_read import LineFinder, located_problems, parse_toml, read_bytes, validate_data
from assessor.storage.toml_save import Fingerprint, fingerprint_bytes, unchanged, write_data


def sheets_folder(path: Path) -> Path:
    """The folder of score sheets of the campaign file at `path`: `NAME.sheets` beside `NAME.toml`
    (beside the file a symbolic link points to: one folder, whichever name is used)."""
    path = followed(path)
    return path.with_name(f"{path.stem}.sheets")


def sheet_path(path: Path, member: str) -> Path:
    """Where `member`'s sheet of the campaign at `path` is: `NAME.sheets/MEMBER.toml`."""
    return sheets_folder(path) / f"{member}.toml"


@dataclass(frozen=True)
class SheetFile:
    """A sheet as read from disk, with what is needed to save it back safely."""

    path: Path
    sheet: ScoreSheet
    fingerprint: Fingerprint


@dataclass
class SheetsFound:
    """What the sheets folder of a campaign holds."""

    sheets: dict[str, SheetFile] = field(default_factory=dict)
    """Each panel member's sheet, by member id."""
    strays: list[Path] = field(default_factory=list)
    """Files that are not a member's sheet, hidden or not (a sync service's or an editor's copies): named, never counted."""
    not_sheets: dict[Path, str] = field(default_factory=dict)
    """Why each stray that `assessor merge` cannot take in is not a sheet or a copy of the campaign."""
    system: list[Path] = field(default_factory=list)
    """macOS's own files (`.DS_Store`, `._NAME`): no scores; removed with the folder."""
    folded: list[Path] = field(default_factory=list)
    """Sheets of a final campaign whose rows are all in its file: a fold that stopped before removing them."""


def is_sheet_file(path: Path) -> bool:
    """Whether the TOML file at `path` is a score sheet (its `campaign` is an id, not a table);
    raise `CampaignError` if it cannot be read as TOML at all."""
    _, data = parse_toml(str(path), read_bytes(path))
    return isinstance(data.get("campaign"), str)


def read_sheet(path: Path) -> tuple[str, ScoreSheet]:
    """Read and validate any sheet file (its text, for locating problems, and the sheet)."""
    name = str(path)
    text, data = parse_toml(name, read_bytes(path))
    if "member" not in data or "campaign" not in data:
        raise CampaignError.single(name, "not a score sheet (a sheet has `schema`, `campaign` and `member` at the top)")
    version = data.get("schema")
    if isinstance(version, int) and not isinstance(version, bool) and version > SHEET_SCHEMA_VERSION:
        raise CampaignError.single(
            name,
            f"made by a newer assessor (sheet format {version}; this version reads up to {SHEET_SCHEMA_VERSION}): upgrade assessor",
            line=LineFinder(text).line_of(("schema",)),
            path="schema",
        )
    validate_rows_in_batches(data)  # a big sheet's rows in batches; a wrong row is reported by the whole validation
    return text, validate_data(name, text, data, ScoreSheet)


def sheet_problems(name: str, text: str, sheet: ScoreSheet, base: Campaign, member: str) -> list[Problem]:
    """Why `sheet` (read from `name`) is not `member`'s sheet of the campaign `base`, located in its text."""
    found = sheet.mismatches(base.campaign.id, member)
    if not found:
        probe = base.model_copy(update={"scores": sheet.scores, "moderation": []})
        found = [(loc, message) for loc, message in reference_problems(probe) if loc[:1] == ("scores",)]
    return located_problems(name, text, found) if found else []


def read_sheets(path: Path, base: Campaign, known: dict[Path, SheetFile] | None = None) -> SheetsFound:
    """Every sheet of the campaign at `path` (its file read as `base`), checked against it.

    `known`: sheets already read and checked against this same `base`; one still as it was
    on disk is taken as it is, not read again (an open app, as other members save).
    Raise `CampaignError` listing every problem of every sheet, each at its file and line.
    """
    found = SheetsFound()
    folder = sheets_folder(path)
    members = {member.id for member in base.panel}
    problems: list[Problem] = []
    for entry in folder_entries(folder):
        member = entry.stem if entry.suffix == ".toml" and entry.is_file() else None
        if member not in members:
            if is_system_file(entry):
                found.system.append(entry)
                continue
            found.strays.append(entry)
            if (why := not_a_sheet(entry)) is not None:
                found.not_sheets[entry] = why
            continue
        assert member is not None
        before = known.get(entry) if known else None
        if before is not None and base.seal is None and unchanged(entry, before.fingerprint):
            found.sheets[member] = before
            continue
        try:
            raw_text, sheet = read_sheet(entry)
        except CampaignError as exc:
            problems.extend(exc.problems)
            continue
        wrong = sheet_problems(str(entry), raw_text, sheet, base, member)
        if wrong:
            problems.extend(wrong)
            continue
        if base.seal is not None:
            # A sealed file holds every score: a sheet beside it is either what a fold left
            # (removed on the next open for writing) or rows the seal does not cover.
            (found.folded if folded_already(base, sheet) else found.strays).append(entry)
            continue
        found.sheets[member] = SheetFile(entry, sheet, fingerprint_bytes(entry, raw_text.encode("utf-8")))
    if problems:
        raise CampaignError(problems)
    return found


def not_a_sheet(path: Path) -> str | None:
    """Why the file at `path` is neither a score sheet nor a copy of a campaign file, which
    `assessor merge` could take in; None if it may be one (merge then checks it whole)."""
    try:
        _, data = parse_toml(str(path), read_bytes(path))
    except CampaignError as exc:
        return exc.problems[0].message
    if "campaign" not in data:
        return "TOML, but neither a score sheet nor a copy of the campaign file: no `campaign` at the top"
    return None


def stray_message(stray: Path, campaign_path: Path, why: str | None) -> str:
    """What a person is told of a stray file in the sheets folder, after its name."""
    if why is not None:
        return (
            f"not a score sheet: {why}; nothing in it is counted; "
            "if it holds scores or evidence, enter them on the member's own sheet, then remove it"
        )
    guess = "a copy an editor or the system made?" if stray.name.startswith(".") else "a sync service's copy?"
    return f"not a panel member's score sheet ({guess}): its scores are not counted; `assessor merge {campaign_path}` takes them in"


def stray_words(stray: Path, campaign_path: Path, why: str | None = None) -> str:
    """The line a person is told of a stray file in the sheets folder (`why`: what `not_a_sheet` said of it)."""
    return f"{stray}: {stray_message(stray, campaign_path, why)}"


def _sheet_header(sheet: ScoreSheet) -> str:
    return (
        f"# assessor score sheet (format {SHEET_SCHEMA_VERSION}) of {sheet.member} for campaign {sheet.campaign}, "
        f"written by assessor {__version__}.\n# Only {sheet.member} writes this file; the campaign file holds everything else.\n"
    )


def sheet_data(sheet: ScoreSheet) -> dict[str, Any]:
    """The sheet as the plain data its file holds."""
    data = sheet.model_dump(mode="python", by_alias=True, exclude_none=True)
    return {key: value for key, value in data.items() if value != []}


def save_sheet(sheet: ScoreSheet, path: Path, *, like: Path, expected: Fingerprint | None = None) -> Fingerprint:
    """Write `sheet` to `path` atomically, creating the sheets folder as private as the campaign
    file `like`; with `expected`, refuse if the sheet changed on disk since it was read."""
    make_sheets_folder(path.parent, like)
    return write_data(path, _sheet_header(sheet), sheet_data(sheet), expected=expected, what="score sheet", like=like)


def make_sheets_folder(folder: Path, like: Path) -> None:
    """Create the sheets folder if it is missing: readable by those who may read the campaign file
    `like`, and writable by its group too where the campaign file is (a panel's shared folder,
    where each member makes their own sheet). Never writable by others: anyone could replace a sheet."""
    if folder.is_dir():
        return
    try:
        mode = like.stat().st_mode & 0o777
    except OSError:
        mode = 0o600
    group = (0o050 if mode & 0o040 else 0) | (0o020 if mode & 0o020 else 0)
    folder_mode = 0o700 | group | (0o005 if mode & 0o004 else 0)
    try:
        folder.mkdir(mode=folder_mode, exist_ok=True)
        os.chmod(folder, folder_mode)  # mkdir's mode is narrowed by the umask
    except OSError as exc:
        raise CampaignError.single(folder, f"cannot make the folder of score sheets: {exc.strerror or exc}") from None


def sweep_sheets_folder(path: Path, members: list[str]) -> None:
    """Remove the temporary files and locks that saves of these members' sheets on this host left when they died."""
    folder = sheets_folder(path)
    if folder.is_dir():
        for member in members:
            sweep_dead_temps(folder, f".{member}.toml.")
            sweep_dead_temps(folder, f".{member}.toml.lock.")
        sweep_stale_locks(folder)


def purge_sheets_folder(path: Path) -> list[Path]:
    """Remove every file left in the sheets folder of the campaign at `path` (after retention), hidden
    or not, the temporary files of saves included, but the locks, which hold no scores; return
    those that may hold personal data (not macOS's own `.DS_Store` and `._NAME`)."""
    files = [entry for entry in all_entries(sheets_folder(path)) if not is_lock_file(entry.name) and entry.is_file()]
    told = [file for file in files if not is_system_file(file)]
    remove_sheets(files)
    return told


def leftovers(folder: Path, system: list[Path]) -> list[Path]:
    """What finalising removes with the members' sheets, holding every sheet's lock: macOS's own
    files (`system`), and the temporary files of saves that stopped (none can be under way while
    each sheet's lock is held), but any of this process's own."""
    return system + [entry for entry in all_entries(folder) if is_save_temp(entry.name) and not is_this_process(entry.name)]


def remove_sheets(files: list[Path]) -> None:
    """Remove sheets whose rows are in the campaign file now, then their folder if nothing else is in it."""
    folders = set()
    for file in files:
        file.unlink(missing_ok=True)
        folders.add(file.parent)
    for folder in folders:
        remove_if_empty(folder)


def remove_if_empty(folder: Path) -> None:
    """Remove the folder if nothing is in it (a lock, a stray or a member's new sheet keeps it)."""
    try:
        folder.rmdir()
    except OSError:
        pass
