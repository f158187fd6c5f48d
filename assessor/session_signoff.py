"""The chair's moves that close something: moving a stage on (what it would decide), finalising
and the seal, done on the files themselves, and offers from the reserve list. Part of
`session.CampaignSession`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assessor.core.campaign import Campaign, OfferResult
from assessor.core.clock import now
from assessor.core.errors import CampaignError, ChangeRefused
from assessor.core.framework import Framework
from assessor.storage.campaign_file import CampaignFile, open_campaign, written_data
from assessor.storage.working_files import WorkingFiles

if TYPE_CHECKING:
    from assessor.session import SaveResult, SessionListener


class SignOff:
    """Changes made on the files as they are now, under every lock, as the command line makes them."""

    path: Path
    who: str
    files: WorkingFiles
    listener: SessionListener | None
    opened_read_only: bool

    if TYPE_CHECKING:  # the session's own, used here
        _campaign: Campaign
        framework: Framework

        @property
        def read_only(self) -> bool: ...
        def save(self) -> SaveResult: ...
        def close(self) -> None: ...
        def reload(self, opened: CampaignFile) -> None: ...
        def _tell_refused(self, message: str, severity: Literal["warning", "error"]) -> None: ...

    def advance_preview(self) -> tuple[str | None, list[str]]:
        """Why moving the status on would be refused now (who may, what the set-up lacks), or None
        with what it would decide: each stage's result and what is left open (`changes.closing`).
        What is left open is moved past with a reason, asked when the chair says yes."""
        from assessor.changes.closing import preview
        from assessor.changes.setup import advance_plan

        try:
            plan = advance_plan(self._campaign, self.framework, self.who)
        except ChangeRefused as exc:
            return "; ".join([exc.message, *exc.details]), []
        return None, preview(self._campaign, plan.leaving, plan.left_open, plan.records)

    def finalise(self, *, force: bool = False, rationale: str = "") -> bool:
        """The chair signs off: every sheet folded into the campaign file, which is sealed.

        Done on the files as they are now, under every lock (`storage.locked_changes`), not on
        this session's copy: a score another member saved a moment ago must be in the seal.
        """
        from assessor.changes.seal import finalise as finalise_campaign  # when first used: the app starts without it
        from assessor.storage.locked_changes import finalise_files

        if self.read_only:
            self._tell_refused("Not changed: " + ("it is open read-only." if self.opened_read_only else "it is final."), "warning")
            return False

        def sign_off() -> None:
            self.save()  # my own changes first: they are part of what is sealed
            change = partial(finalise_campaign, chair=self.who, at=now(), file_data=written_data, force=force, rationale=rationale)
            finalise_files(self.path, change, who=self.who, held=self.files.sheet_lock)
            self.close()  # final: my sheet is in the campaign file, and nobody writes any more

        return self._on_the_files(sign_off)

    def offer(self, *, candidate: str, result: OfferResult, note: str = "") -> bool:
        """After the seal, the chair records an offer's outcome (`changes.offers`), on the file itself under its lock."""
        from assessor.changes.offers import record_offer
        from assessor.storage.locked_changes import change_campaign_file

        if self.opened_read_only:
            self._tell_refused("Not changed: it is open read-only.", "warning")
            return False
        change = partial(record_offer, chair=self.who, candidate=candidate, result=result, note=note)
        return self._on_the_files(lambda: change_campaign_file(self.path, change, who=self.who))

    def _on_the_files(self, work: Callable[[], object]) -> bool:
        """Do `work` on the files as they are now, then read them again; a refusal reaches the listener."""
        try:
            work()
        except ChangeRefused as exc:
            self._tell_refused("; ".join([exc.message, *exc.details]), "error")
            return False
        except CampaignError as exc:
            self._tell_refused("; ".join(str(problem) for problem in exc.problems), "error")
            return False
        self.reload(open_campaign(self.path))
        if self.listener is not None:
            self.listener.campaign_changed()
        return True
