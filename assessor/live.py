"""What the rest of the panel saves, shown as they save it: the app's watcher of a campaign's files.

A thread of its own, not a Textual worker: it may sit in the file system's wait when the
app quits, and must never hold the quit up. It reads the changed files off the event
loop (`CampaignSession.read_changes`) and hands them to the app's thread to show.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from assessor.core.errors import CampaignError
from assessor.messages import CampaignChanged

if TYPE_CHECKING:
    from textual.app import App

    from assessor.session import CampaignSession
    from assessor.storage.campaign_file import CampaignFile


class LiveChanges:
    """Watches the files of `session`'s campaign for `app` until stopped."""

    def __init__(self, app: App[object], session: CampaignSession) -> None:
        self.app = app
        self.session = session
        self._stop = threading.Event()
        threading.Thread(target=self._watch, name="assessor-watch", daemon=True).start()

    def stop(self) -> None:
        """Stop watching (the app quits, or opens another campaign)."""
        self._stop.set()

    def _watch(self) -> None:
        from assessor.storage.watching import watch_campaign  # watchfiles is loaded off the event loop

        for _ in watch_campaign(self.session.path, self._stop):
            try:
                found = self.session.read_changes()
                if found is not None and not self._stop.is_set():
                    self.app.call_from_thread(self._show, found)
            except CampaignError as exc:  # a file half way through a sync, or broken by hand
                self.app.call_from_thread(self.app.notify, exc.first_line, title="Cannot read a change", severity="warning", timeout=12)
            except RuntimeError:
                return  # the app stopped running in between

    def _show(self, found: CampaignFile) -> None:
        if self._stop.is_set():
            return
        known = set(self.session.strays)
        self.session.take_changes(found)
        for line in self.session.strays:
            if line not in known:  # a sync service's copy that just arrived
                self.app.notify(line, title="Not counted", severity="warning", timeout=30)
        self.app.screen.post_message(CampaignChanged())
