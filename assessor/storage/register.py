"""Finding and reading every campaign file under HR's folders for the register, fast over years
of archives: each file's facts (`changes.register`) are kept in a cache in the user's cache
folder, keyed by path, size, modification time and inode, so a second run reads only what
changed. A changed file is always read again: a seal is never reported from a stale cache.

The cache holds no candidate's data: ids, titles, dates, counts and seal states only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from assessor import __version__
from assessor.changes.register import Beside, CampaignFacts, Due, campaign_facts, due
from assessor.core.clock import now
from assessor.core.errors import CampaignError
from assessor.storage.atomic import write_atomic
from assessor.storage.campaign_file import campaign_from_data
from assessor.storage.sheet_entries import folder_entries, is_system_file
from assessor.storage.sheets import sheets_folder
from assessor.storage.toml_read import parse_toml, read_bytes

CACHE_ENV = "ASSESSOR_CACHE_DIR"
"""Environment variable naming another cache folder (tests); else the user's (`XDG_CACHE_HOME`)."""
CACHE_FORMAT = 2


def cache_dir() -> Path:
    """The user's cache folder for assessor (`~/.cache/assessor`, `XDG_CACHE_HOME/assessor`, or `ASSESSOR_CACHE_DIR`)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("assessor"))


def campaign_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every `.toml` file under each path (a file itself, or a folder and its sub-folders), in
    order; sheets folders (`NAME.sheets`) and hidden folders are passed over."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for folder, folders, files in os.walk(path):
            folders[:] = sorted(name for name in folders if not name.startswith(".") and not name.endswith(".sheets"))
            for name in sorted(files):
                if name.endswith(".toml") and not name.startswith("."):
                    yield Path(folder) / name


def _key(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _problem(exc: CampaignError) -> str:
    """The first problem in one line, without the file's name (the row names it): `line 2: broken TOML: ...`."""
    first = exc.problems[0]
    where = f"line {first.line}: " if first.line else ""
    field = f"{first.path}: " if first.path else ""
    extra = len(exc.problems) - 1
    return f"{where}{field}{first.message}" + (f" (and {extra} more)" if extra else "")


def read_facts(path: Path) -> CampaignFacts | None:
    """The facts of the file at `path`; None when it is TOML but not a campaign (a score sheet, a
    framework, any other file). A campaign file that does not load has its problem in one line."""
    name = str(path)
    try:
        text, data = parse_toml(name, read_bytes(path))
    except CampaignError as exc:
        return CampaignFacts(file=name, problem=_problem(exc))
    if not isinstance(data.get("campaign"), dict):
        return None
    try:
        campaign, _ = campaign_from_data(name, text, data)
    except CampaignError as exc:
        return CampaignFacts(file=name, problem=_problem(exc))
    return campaign_facts(name, campaign, data)


@dataclass
class FactsCache:
    """Facts of files read before, by absolute path, with the key of the version they are of."""

    path: Path
    entries: dict[str, dict[str, Any]]
    changed: bool = False

    @classmethod
    def load(cls, path: Path) -> FactsCache:
        """The cache at `path`; empty when missing, broken or written by another version (rebuilt)."""
        try:
            data = json.loads(path.read_bytes())
            if data.get("format") == CACHE_FORMAT and data.get("version") == __version__ and isinstance(data.get("files"), dict):
                return cls(path, data["files"])
        except (OSError, ValueError, AttributeError):
            pass
        return cls(path, {}, changed=True)

    def facts(self, path: Path) -> tuple[bool, CampaignFacts | None]:
        """(is a campaign or unreadable, its facts): from the cache when the file is the same, else read and kept."""
        absolute = str(path.absolute())
        try:
            key = _key(path.stat())
        except OSError:
            return True, read_facts(path)  # missing or unreadable: say so, keep nothing
        entry = self.entries.get(absolute)
        if entry is not None and entry.get("key") == key:
            try:
                held = entry["facts"]
                return (held is not None), (None if held is None else CampaignFacts.from_data({**held, "file": str(path)}))
            except (KeyError, TypeError, ValueError):
                pass  # a broken entry: read the file again
        facts = read_facts(path)
        self.entries[absolute] = {"key": key, "facts": None if facts is None else facts.as_data()}
        self.changed = True
        return facts is not None, facts

    def save(self) -> None:
        """Write the cache back if anything changed; a cache that cannot be written is simply not kept."""
        if not self.changed:
            return
        data = {"format": CACHE_FORMAT, "version": __version__, "files": self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(data, separators=(",", ":")).encode())
        except (OSError, CampaignError):
            pass


def register_facts(paths: Iterable[Path], *, use_cache: bool = True) -> list[CampaignFacts]:
    """The facts of every campaign file under `paths`, in path order."""
    cache = FactsCache.load(cache_dir() / "register.json") if use_cache else FactsCache(Path(), {})
    out = []
    for path in campaign_files(paths):
        is_campaign, facts = cache.facts(path)
        if is_campaign and facts is not None:
            out.append(facts)
    if use_cache:
        cache.save()
    return out


def beside(facts: CampaignFacts, digests: dict[str, str] | None) -> Beside:
    """What lies beside the file now: its sheets folder's files, and HR's recorded digest."""
    path = Path(facts.file)
    try:
        entries = [entry for entry in folder_entries(sheets_folder(path)) if not is_system_file(entry)]
    except CampaignError:
        entries = []
    own = {f"{member}.toml" for member in facts.members}
    recorded = None
    if digests is not None:
        recorded = digests.get(str(path.resolve())) or digests.get(path.name)
    return Beside(
        sheets=tuple(entry.name for entry in entries if entry.name in own),
        strays=tuple(entry.name for entry in entries if entry.name not in own),
        recorded_digest=recorded,
        digests_given=digests is not None,
    )


def read_digests(path: Path) -> dict[str, str]:
    """HR's record of digests: a CSV of `file,digest` (a header row naming them, any case; `sha256`
    for digest), by the file's resolved path (relative to the CSV's folder) and by its name."""
    from assessor.storage.importing import csv_rows, csv_text

    name = str(path)
    rows = csv_rows(name, csv_text(path), ("file",))  # as an import reads a spreadsheet's CSV: BOM, separator, quotes
    header = [cell.strip().lower() for cell in rows[0][1]] if rows else []
    if "file" not in header or not ({"digest", "sha256"} & set(header)):
        raise CampaignError.single(name, "the header must name the columns file and digest (or sha256)", line=rows[0][0] if rows else 1)
    file_at, digest_at = header.index("file"), header.index("digest" if "digest" in header else "sha256")
    by_path: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    for line, row in rows[1:]:
        if len(row) <= max(file_at, digest_at):
            raise CampaignError.single(name, f"{len(row)} values where the header has {len(header)}", line=line)
        file, digest = row[file_at].strip(), row[digest_at].strip().lower()
        by_path[str((path.parent / file).resolve())] = digest
        by_name.setdefault(Path(file).name, set()).add(digest)
    # A file name stands for its digest only where the record names one file so (archives moved since).
    return {**{file: next(iter(found)) for file, found in by_name.items() if len(found) == 1}, **by_path}


@dataclass(frozen=True)
class CampaignPeek:
    """A campaign file as the app's chooser shows it: its facts and what is due."""

    path: Path
    facts: CampaignFacts
    due: tuple[Due, ...] = ()

    @property
    def problem(self) -> str:
        return self.facts.problem


def peek_folder(folder: Path, today: date | None = None) -> list[CampaignPeek]:
    """Each campaign file in `folder` (not its sub-folders), what is due first (soonest first), then by name."""
    if not folder.is_dir():
        return []
    today = today or now().date()
    peeks = []
    for facts in register_facts(sorted(path for path in folder.glob("*.toml") if not path.name.startswith("."))):
        peeks.append(CampaignPeek(Path(facts.file), facts, tuple(due(facts, beside(facts, None), today))))
    return sorted(peeks, key=lambda peek: (not peek.due, min((item.on for item in peek.due), default=date.max), peek.path.name))
