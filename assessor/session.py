"""An open campaign in the app: its current state, and saving it safely in the background.

No Textual here: the app calls `apply` for every change and `save` from a worker thread.
Saves are serialised and coalesced: a save writes the newest state, and a save that
finds nothing new returns at once, so a burst of keystrokes costs one or two writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from assessor.framework import Framework
from assessor.model import Campaign, now
from assessor.store import CampaignFile, save_campaign


@dataclass(frozen=True)
class SaveResult:
    """What a save did: wrote the file at `at`, or found nothing to write."""

    wrote: bool
    at: datetime | None


class CampaignSession:
    """The campaign being worked on, the file it came from and who is working."""

    def __init__(self, opened: CampaignFile, who: str, *, read_only: bool = False) -> None:
        self.path = opened.path
        self.opened_read_only = read_only
        """Opened without the lock (someone else holds it): nothing may be changed."""
        self.framework: Framework = opened.framework
        self.who = who
        self._campaign = opened.campaign
        self._fingerprint = opened.fingerprint
        self._version = 0
        self._saved_version = 0
        self._saved_audit = len(opened.campaign.audit)
        self._lock = threading.Lock()
        self.saved_at: datetime | None = None

    @property
    def campaign(self) -> Campaign:
        """The current state, including changes not yet on disk."""
        return self._campaign

    @property
    def unsaved(self) -> bool:
        """True while a change has not reached the disk."""
        return self._version != self._saved_version

    @property
    def read_only(self) -> bool:
        """Opened without the lock, or final: then it is never changed."""
        return self.opened_read_only or self._campaign.campaign.status == "final" or self._campaign.seal is not None

    def apply(self, change: Callable[[Campaign], Campaign]) -> bool:
        """Apply a change (a function from `changes` or `campaign_setup`); True if anything changed.

        Saving is separate (`save`), so the caller decides where it runs.
        """
        changed = change(self._campaign)
        if changed is self._campaign:
            return False
        self._campaign = changed
        self._version += 1
        return True

    def save(self) -> SaveResult:
        """Write the newest state if it is not on disk yet; raise CampaignError if refused."""
        with self._lock:
            version, campaign = self._version, self._campaign
            if version == self._saved_version:
                return SaveResult(False, self.saved_at)
            self._fingerprint = save_campaign(campaign, self.path, expected=self._fingerprint)
            self._saved_version = version
            self._saved_audit = len(campaign.audit)
            self.saved_at = now()
            return SaveResult(True, self.saved_at)

    def unsaved_changes(self) -> list[str]:
        """The audit lines of the changes not on disk yet, in words."""
        return [entry.what for entry in self._campaign.audit[self._saved_audit :]]

    def reload(self, opened: CampaignFile) -> None:
        """Take the file as it now is on disk, dropping changes that could not be saved."""
        with self._lock:
            self._campaign = opened.campaign
            self._fingerprint = opened.fingerprint
            self._version = self._saved_version = 0
            self._saved_audit = len(opened.campaign.audit)
