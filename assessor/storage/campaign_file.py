"""Campaign files on disk: load and validate, fingerprint, save atomically, peek.

Loading turns every kind of broken file into a `CampaignError` with file, line and
field. Saving writes text that has been parsed back and read as the same data, through
`atomic.write_atomic`, and only if the file is still the one that was read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

from assessor import __version__
from assessor.changes.sheets import combine
from assessor.core.campaign import SCHEMA_VERSION, Campaign
from assessor.core.collector import collector_paused
from assessor.core.errors import CampaignError, Location
from assessor.core.framework import Framework
from assessor.core.sheet import ScoreSheet
from assessor.storage.atomic import sweep_stale_temp_files
from assessor.storage.reference import load_framework
from assessor.storage.rows import validate_rows_in_batches
from assessor.storage.sheet_entries import folder_entries
from assessor.storage.sheets import SheetFile, read_sheets, remove_if_empty, remove_sheets, sheets_folder, stray_words, sweep_sheets_folder
from assessor.storage.toml_read import LineFinder, TextSource, decode_text, parse_text, parse_toml, read_bytes, text_of, validate_data
from assessor.storage.toml_save import Fingerprint, fingerprint_bytes, unchanged, write_data
from assessor.storage.toml_write import toml_text


@dataclass
class CampaignFile:
    """A campaign as loaded from disk: its campaign file and its members' score sheets, read as
    one campaign, with what is needed to save each of them back safely."""

    path: Path
    campaign: Campaign
    """The campaign as the file and the sheets hold it together: what everything works on."""
    framework: Framework
    fingerprint: Fingerprint
    """Of the campaign file."""
    base: Campaign
    """What the campaign file itself holds."""
    sheets: dict[str, SheetFile] = field(default_factory=dict)
    """Each panel member's score sheet, by member id."""
    strays: list[Path] = field(default_factory=list)
    """Files in the sheets folder, hidden or not, that are not a member's sheet: to be named, never counted."""
    not_sheets: dict[Path, str] = field(default_factory=dict)
    """Why each stray that `assessor merge` cannot take in is not a sheet (`sheets.not_a_sheet`)."""
    system: list[Path] = field(default_factory=list)
    """macOS's own files in the sheets folder (`.DS_Store`, `._NAME`): no scores, never named."""

    def sheet(self, member: str) -> ScoreSheet | None:
        """`member`'s sheet as read, or None if they have none yet."""
        found = self.sheets.get(member)
        return found.sheet if found is not None else None

    def stray_notes(self) -> list[str]:
        """One line per stray file, saying what it is and how to take it in."""
        return [stray_words(stray, self.path, self.not_sheets.get(stray)) for stray in self.strays]


def open_campaign(path: Path | str, *, for_writing: bool = True) -> CampaignFile:
    """Load, validate and fingerprint a campaign file and its score sheets; raise `CampaignError` if unusable.

    Opening for writing also sweeps temporary files left by saves that died, and removes
    the sheets of a final campaign whose rows its file already holds (a fold that stopped).
    """
    path = Path(path)
    if for_writing:
        sweep_stale_temp_files(path)
    base, framework, fingerprint = _read_campaign(path, fingerprint=True)
    assert fingerprint is not None
    return _with_sheets(path, base, framework, fingerprint, for_writing=for_writing)


def _with_sheets(
    path: Path, base: Campaign, framework: Framework, fingerprint: Fingerprint, *, for_writing: bool, known: dict[Path, SheetFile] | None = None
) -> CampaignFile:
    if for_writing:
        sweep_sheets_folder(path, [member.id for member in base.panel])
    found = read_sheets(path, base, known)
    if for_writing and found.folded:
        remove_sheets(found.folded)
    elif for_writing and base.seal is not None:
        remove_if_empty(sheets_folder(path))  # what a fold stopped after its last sheet leaves
    campaign = combine(base, [sheet.sheet for sheet in found.sheets.values()])
    return CampaignFile(path, campaign, framework, fingerprint, base, found.sheets, found.strays, found.not_sheets, found.system)


def refresh_campaign(opened: CampaignFile) -> CampaignFile | None:
    """The campaign as its files are now, reading again only the files that changed; None if none did.

    For an open app to show what other members save. Raise `CampaignError` if a changed file is unusable.
    """
    path = opened.path
    base, framework, fingerprint = opened.base, opened.framework, opened.fingerprint
    changed = not unchanged(path, fingerprint)
    if changed:
        base, framework, seen = _read_campaign(path, fingerprint=True)
        assert seen is not None
        fingerprint = seen
    folder = sheets_folder(path)
    on_disk = folder_entries(folder) if folder.is_dir() else []  # hidden names too, but assessor's own locks and temporary files
    known = sorted([sheet.path for sheet in opened.sheets.values()] + opened.strays + opened.system)
    if not changed and on_disk == known and all(unchanged(sheet.path, sheet.fingerprint) for sheet in opened.sheets.values()):
        return None
    # A sheet is checked against the campaign file: while that is unchanged, so are the sheets still as they were.
    still = None if changed else {sheet.path: sheet for sheet in opened.sheets.values()}
    return _with_sheets(path, base, framework, fingerprint, for_writing=False, known=still)


def load_campaign(path: Path | str) -> Campaign:
    """Load and validate a campaign file with its score sheets, read-only; raise `CampaignError` if unusable."""
    path = Path(path)
    # Without the campaign file's fingerprint: hashing megabytes is wasted on a read-only load.
    base, _, _ = _read_campaign(path, fingerprint=False)
    found = read_sheets(path, base)
    return combine(base, [sheet.sheet for sheet in found.sheets.values()])


def _read_campaign(path: Path, *, fingerprint: bool) -> tuple[Campaign, Framework, Fingerprint | None]:
    raw = read_bytes(path)
    seen = fingerprint_bytes(path, raw) if fingerprint else None
    # The bytes are let go as soon as there is text, and the text once there is data: a big
    # file's parsed data and models must not have its bytes and its text alive beside them.
    text = decode_text(str(path), raw)
    del raw
    with collector_paused():  # a big file is hundreds of thousands of new objects, no cycles
        data = parse_text(str(path), text)
        del text
        campaign, framework = campaign_from_data(str(path), _text_again(path), data, consume=True)
    return campaign, framework, seen


def _text_again(path: Path) -> Callable[[], str]:
    # The text is read again only to locate a problem: a big file's bytes and text must not
    # stay alive beside its parsed data and models. If the file changed in between, the
    # worst outcome is a line number that is off; the problem itself is still reported.
    return lambda: decode_text(str(path), read_bytes(path))


def campaign_from_data(name: str, text: TextSource, data: dict[str, Any], *, consume: bool = False) -> tuple[Campaign, Framework]:
    """Validate parsed TOML as a campaign against its framework.

    With `consume`, the big tables of `data` are taken apart as they are validated, for
    callers that want only the campaign: a big file then needs far less memory to load.
    """

    # Lines are looked up only to report a problem: indexing a big file's lines up front
    # would cost a fifth of its parse on every load of a good file.
    def line_of(loc: Location) -> int | None:
        return LineFinder(text_of(text)).line_of(loc)

    version = data.get("schema")
    if "schema" not in data:
        raise CampaignError.single(name, f"is missing (required; this format is {SCHEMA_VERSION})", path="schema")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise CampaignError.single(
            name,
            f"made by a newer assessor (format {version}; this version reads up to {SCHEMA_VERSION}): upgrade assessor to open it",
            line=line_of(("schema",)),
            path="schema",
        )
    info = data.get("campaign")
    framework_id = info.get("framework", "success-profiles") if isinstance(info, dict) else None
    framework = None
    if isinstance(framework_id, str):
        try:
            framework = load_framework(framework_id)
        except CampaignError as exc:
            if Path(exc.problems[0].file).exists():
                raise  # the framework file itself is broken: report it where it is
            raise CampaignError.single(
                name,
                exc.problems[0].message,
                line=line_of(("campaign", "framework")),
                path="campaign.framework",
            ) from None
    if consume and not validate_rows_in_batches(data):
        data = parse_text(name, text_of(text))  # a row is wrong: validate it all to say where
    campaign = validate_data(name, text, data, Campaign, context={"framework": framework})
    assert framework is not None  # a valid campaign has a framework that loaded
    return campaign, framework


def campaign_data(campaign: Campaign) -> dict[str, Any]:
    """The campaign as the plain data its file holds, in the format's stable key order."""
    data = campaign.model_dump(mode="python", by_alias=True, exclude_none=True)
    # Empty tables of rows are left out: shorter files, and loading restores them empty.
    return {key: value for key, value in data.items() if value != []}


def _file_header() -> str:
    return f"# assessor campaign file (format {SCHEMA_VERSION}), written by assessor {__version__}.\n"


def dump_campaign(campaign: Campaign) -> str:
    """The campaign as TOML text in the file format's stable key order."""
    return _file_header() + toml_text(campaign_data(campaign))


def save_campaign(campaign: Campaign, path: Path | str, *, expected: Fingerprint | None = None) -> Fingerprint:
    """Write `campaign` to `path` atomically; return the new file's fingerprint.

    With `expected`, refuse (CampaignError) if the file on disk is no longer the one
    that was read, so nobody's changes are silently overwritten.
    """
    return write_data(Path(path), _file_header(), campaign_data(campaign), expected=expected, what="campaign")


def check_new_file(path: Path) -> None:
    """Raise `CampaignError` unless a new campaign can be created at `path`."""
    if path.exists() or path.is_symlink():  # a link to nothing yet is a name taken too
        raise CampaignError.single(path, "already exists; choose another file name (assessor never overwrites a campaign)")
    if not path.parent.is_dir():
        raise CampaignError.single(path, f"folder {str(path.parent)!r} does not exist")


def create_campaign_file(campaign: Campaign, path: Path | str) -> Fingerprint:
    """Write a new campaign file; refuse if the file already exists (never overwrite)."""
    path = Path(path)
    check_new_file(path)
    return save_campaign(campaign, path)


def written_data(campaign: Campaign) -> dict[str, Any]:
    """The data any TOML reader gets from the file `campaign` saves as (what a seal covers)."""
    return tomli.loads(dump_campaign(campaign))


def load_with_data(path: Path | str) -> tuple[Campaign, dict[str, Any]]:
    """A valid campaign and the plain TOML data of the same bytes (to check a seal against)."""
    path = Path(path)
    text, data = parse_toml(str(path), read_bytes(path))
    campaign, _ = campaign_from_data(str(path), text, data)
    return campaign, data
