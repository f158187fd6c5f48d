"""The files of a campaign open in an app: what of them is mine to save, saving it, and what others saved.

My scores go to my own score sheet, which only this app writes while it holds the
sheet's lock; set-up, agreed scores and the status go to the campaign file, under its
lock for the moment of each save. Others' sheets and the campaign file are read again
when they change (`read_changes`, then `take_changes`), so a chair sees scores arrive.
Thread-safe: saves and reads run in worker threads while changes are made on the app's.
"""

from __future__ import annotations

import threading

from assessor.changes.notes import WrittenNote
from assessor.changes.scores import ClearedScore, RecordedScore
from assessor.changes.sheets import clear_on_sheet, combine, file_part, note_key, note_on_sheet, record_on_sheet, score_key
from assessor.core.campaign import Campaign
from assessor.core.sheet import ScoreSheet
from assessor.storage.campaign_file import CampaignFile, refresh_campaign, save_campaign
from assessor.storage.lock import CampaignLock, acquire_lock
from assessor.storage.sheets import SheetFile, remove_if_empty, save_sheet, sheet_path, sheets_folder


class WorkingFiles:
    """A campaign's files as one member works on them: the last read of each, and my changes not saved yet."""

    def __init__(self, opened: CampaignFile, who: str, sheet_lock: CampaignLock | None = None) -> None:
        self.who = who
        self.sheet_lock = sheet_lock
        """This app's lock on my own sheet, held while the campaign is open."""
        self._lock = threading.Lock()
        """Guards the state below for a moment at a time: changes never wait for a save."""
        self._saving = threading.Lock()
        """One save at a time."""
        self.files = opened
        self._base = opened.base
        self._sheet = opened.sheet(who)
        self._base_version = self._base_saved = 0
        self._sheet_version = self._sheet_saved = 0
        self._pending: list[str] = []
        self._saved_when_read = 0
        """Which of my saves of the campaign file was the last when `read_changes` began to read."""

    def reset(self, opened: CampaignFile) -> None:
        """Start again from the files as `opened` read them, dropping what was not saved."""
        with self._lock:
            self.files = opened
            self._base = opened.base
            self._sheet = opened.sheet(self.who)
            self._base_version = self._base_saved = self._sheet_version = self._sheet_saved = 0
            self._pending = []

    @property
    def unsaved(self) -> bool:
        """True while a change has not reached the disk."""
        return self._base_version != self._base_saved or self._sheet_version != self._sheet_saved

    def unsaved_changes(self) -> list[str]:
        """The audit lines of the changes not on disk yet, in words."""
        return list(self._pending)

    def sheets(self) -> dict[str, ScoreSheet]:
        """Every member's sheet as it now is: the others' as last read, mine with my changes."""
        sheets = {member: found.sheet for member, found in self.files.sheets.items()}
        if self._sheet is not None:
            sheets[self.who] = self._sheet
        return sheets

    # --- my changes ----------------------------------------------------------------------

    def record(self, result: RecordedScore) -> None:
        """My score (`changes.scores.record` on the campaign as shown) goes onto my sheet."""
        with self._lock:
            self._sheet = record_on_sheet(self._sheet, self._base, result)
            self._sheet_version += 1
            self._note(result.campaign)

    def note(self, result: WrittenNote, before: Campaign) -> None:
        """My note goes onto my sheet (and one taken back leaves the campaign file too, if it held it)."""
        with self._lock:
            self._sheet = note_on_sheet(self._sheet, self._base, result)
            self._sheet_version += 1
            if not result.note.text and any(note_key(note) == note_key(result.note) for note in self._base.notes):
                self._base = file_part(result.campaign, base=self._base, combined=before, sheets=self.sheets())
                self._base_version += 1
            self._note(result.campaign)

    def clear(self, result: ClearedScore, before: Campaign) -> None:
        """My score taken back (`changes.scores.clear_score` on `before`, the campaign as shown):
        off my sheet, and out of the campaign file too if it held it (scored before sheets)."""
        key = score_key(result.score)
        with self._lock:
            if self._sheet is not None and any(score_key(score) == key for score in self._sheet.scores):
                self._sheet = clear_on_sheet(self._sheet, result)
                self._sheet_version += 1
            if any(score_key(score) == key for score in self._base.scores):
                self._base = file_part(result.campaign, base=self._base, combined=before, sheets=self.sheets())
                self._base_version += 1
            self._note(result.campaign)

    def change(self, changed: Campaign, before: Campaign) -> None:
        """Any other change (`before` -> `changed`, the campaign as shown) goes into the campaign file."""
        with self._lock:
            self._base = file_part(changed, base=self._base, combined=before, sheets=self.sheets())
            self._base_version += 1
            self._note(changed)

    def _note(self, changed: Campaign) -> None:
        what = changed.audit[-1].what
        if not self._pending or self._pending[-1] != what:  # evidence typed key by key is one change
            self._pending.append(what)

    # --- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Write what is not on disk yet; False if there was nothing. Raise CampaignError if refused."""
        with self._saving:
            with self._lock:
                sheet, sheet_version = self._sheet, self._sheet_version
                base, base_version = self._base, self._base_version
                files, wrote_sheet, wrote_base = self.files, sheet_version != self._sheet_saved, base_version != self._base_saved
            if not (wrote_sheet or wrote_base):
                return False
            if sheet is not None and wrote_sheet:
                target = sheet_path(files.path, self.who)
                before = files.sheets.get(self.who)
                fingerprint = save_sheet(sheet, target, like=files.path, expected=before.fingerprint if before else None)
                with self._lock:  # into the files as now held: others' changes may have been taken in meanwhile
                    self.files.sheets[self.who] = SheetFile(target, sheet, fingerprint)
                    self._sheet_saved = sheet_version
            if wrote_base:
                with acquire_lock(files.path, who=self.who):
                    fingerprint = save_campaign(base, files.path, expected=files.fingerprint)
                with self._lock:
                    self.files.base, self.files.fingerprint = base, fingerprint
                    self._base_saved = base_version
            with self._lock:
                if not self.unsaved:
                    self._pending = []
            return True

    def close(self) -> None:
        """Let go of my sheet's lock (and of the sheets folder, if nothing is left in it)."""
        if self.sheet_lock is not None:
            self.sheet_lock.release()
            self.sheet_lock = None
            remove_if_empty(sheets_folder(self.files.path))

    # --- what others saved ---------------------------------------------------------------

    def read_changes(self) -> CampaignFile | None:
        """The files as they now are, if someone else changed one; None if nobody did. Only reads."""
        with self._lock:
            files = self.files
            self._saved_when_read = self._base_saved
        return refresh_campaign(files)

    def take_changes(self, found: CampaignFile) -> Campaign:
        """Take in what others saved (`read_changes`) and return the campaign as it now is.

        My own sheet is mine alone to write, so mine stays as I have it; a change of mine to
        the campaign file not saved yet stays too (its save then finds the file changed, and says so);
        and where I saved the campaign file after the read began, what was read of it is older than
        what I wrote (anyone else's save in between would have refused mine): mine stays.
        """
        with self._lock:
            if self._base_version != self._base_saved or self._base_saved != self._saved_when_read:
                found.base, found.fingerprint = self.files.base, self.files.fingerprint
            mine = self.files.sheets.get(self.who)
            if mine is not None:
                found.sheets[self.who] = mine
            else:
                found.sheets.pop(self.who, None)
            self.files = found
            if self._base_version == self._base_saved:
                self._base = found.base
            return combine(self._base, list(self.sheets().values()))
