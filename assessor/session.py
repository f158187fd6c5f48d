"""The open campaign in the app: its state, every change to it, what the screens show of it, and saving.

No Textual here. A screen makes each change with one typed call (`setup`, `record_score`,
`moderate`); every one goes through `_apply`, which refuses a change to a campaign open
read-only or final, drops the derived state the change made stale, and tells the
listener (the app), which saves in a worker thread and redraws the screen. My scores are
saved to my own score sheet, everything else to the campaign file (`storage.working_files`);
`finalise` works on the files themselves, under every lock, as the command line does.

What other members save reaches the session through `read_changes` and `take_changes`,
called by the app when its watcher sees a file change.

Derived state (the summary, each member's progress, a candidate's scores) is worked out
once per state of the campaign and kept here, for every screen alike. Saves are
serialised and coalesced: a save writes the newest state, and a save that finds nothing
new returns at once, so a burst of keystrokes costs one or two writes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Concatenate, Literal, ParamSpec, Protocol, TypeVar, cast

from assessor.changes import scores as score_changes
from assessor.changes.notes import WrittenNote, write_note
from assessor.changes.scores import ClearedScore, RecordedScore
from assessor.core.campaign import Campaign, Score
from assessor.core.clock import now
from assessor.core.errors import CampaignError, ChangeRefused, ReasonNeeded
from assessor.core.framework import Framework
from assessor.rules.grouping import ScoresByItem, grouped_scores
from assessor.rules.readiness import OpenItem, deciding_stages, open_everywhere
from assessor.rules.scoring import Stopped, stopped_before, summarise
from assessor.rules.stages import decided_stages
from assessor.rules.summary_types import Summary
from assessor.rules.visibility import Progress, allocated_to_others, as_seen_by, candidate_scores, progress, sees_adjustments, sees_everything
from assessor.session_files import FilesBeside
from assessor.session_signoff import SignOff
from assessor.storage.campaign_file import CampaignFile
from assessor.storage.lock import CampaignLock
from assessor.storage.working_files import WorkingFiles

P = ParamSpec("P")
T = TypeVar("T")
SetupChange = Callable[Concatenate[Campaign, Framework, str, P], Campaign]
"""A set-up change from `changes.setup*`: (campaign, framework, who, ...) -> campaign."""


Change = Campaign | RecordedScore | ClearedScore | WrittenNote
"""What one change to the campaign returns: the campaign, or a score or note with it."""


class SessionListener(Protocol):
    """Who hears of the session's changes: the app, which saves, redraws and tells the user."""

    def campaign_changed(self) -> None:
        """The campaign changed: save it and show it again."""

    def change_refused(self, message: str, severity: Literal["warning", "error"]) -> None:
        """A change was not made; `message` says why."""

    def reason_needed(self, message: str, give: Callable[[str], object]) -> None:
        """A change needs a reason for the audit (`message` says which): ask for one, then `give(reason)`."""


@dataclass(frozen=True)
class SaveResult:
    """What a save did: wrote the file at `at`, or found nothing to write."""

    wrote: bool
    at: datetime | None


class CampaignSession(FilesBeside, SignOff):
    """The campaign being worked on, the file it came from, and who is working."""

    def __init__(
        self,
        opened: CampaignFile,
        who: str,
        *,
        read_only: bool = False,
        listener: SessionListener | None = None,
        sheet_lock: CampaignLock | None = None,
    ) -> None:
        self.path: Path = opened.path
        self.opened_read_only = read_only
        """Opened without the lock on my sheet (my other app holds it): nothing may be changed."""
        self.framework: Framework = opened.framework
        self.who = who
        self.listener = listener
        self.files = WorkingFiles(opened, who, sheet_lock)
        """The campaign file and the sheets, and what of my changes is not saved yet."""
        self.saved_at: datetime | None = None
        self._campaign = opened.campaign
        self._grouped: ScoresByItem | None = None
        self._derived: dict[tuple[object, ...], object] = {}
        self._corrections: dict[str, str] = {}
        """The chair's reason for correcting a decided stage, by stage: asked once a sitting."""
        """What screens read, worked out once per state of the campaign (`_once`)."""

    # --- the state -------------------------------------------------------------------

    @property
    def campaign(self) -> Campaign:
        """The current state, including changes not yet on disk."""
        return self._campaign

    @property
    def unsaved(self) -> bool:
        """True while a change has not reached the disk."""
        return self.files.unsaved

    @property
    def strays(self) -> list[str]:
        """What is said of each file in the sheets folder that is not a member's sheet (a sync service's copy)."""
        return self.files.files.stray_notes()

    @property
    def read_only(self) -> bool:
        """Opened without the lock, or final: then it is never changed."""
        return self.opened_read_only or self._campaign.campaign.status == "final" or self._campaign.seal is not None

    @property
    def is_chair(self) -> bool:
        """Who is working chairs the panel."""
        return self._campaign.is_chair(self.who)

    # --- derived state, worked out once per state of the campaign ---------------------

    def _grouping(self) -> ScoresByItem:
        self._grouped = grouped_scores(self._campaign, self._grouped)
        return self._grouped

    def _once(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """What `make` works out of the campaign as it is now, kept under `key` until it changes."""
        if key not in self._derived:
            self._derived[key] = make()
        return cast(T, self._derived[key])

    def summary(self, stage: str | None = None, *, show_names: bool | None = None) -> Summary:
        """The summary of the counted stages, or of one stage (as `rules.scoring.summarise`)."""
        schemes = self.framework.scheme_names
        return self._once(
            ("summary", stage, show_names), lambda: summarise(self._campaign, stage, show_names=show_names, grouped=self._grouping(), schemes=schemes)
        )

    @property
    def sees_everything(self) -> bool:
        """Who is working sees every score and the whole summary (`rules.visibility`)."""
        return sees_everything(self._campaign, self.who)

    def sees_adjustments(self, *stages: str) -> bool:
        """Who is working sees candidates' reasonable adjustments at `stages` (`rules.visibility`)."""
        return sees_adjustments(self._campaign, self.who, stages)

    def summary_view(self, stage: str | None = None, *, show_names: bool | None = None) -> Summary:
        """The summary as who is working may see it: the whole of it from moderation on, their
        own scores before (`rules.visibility.as_seen_by`). Every screen shows this one."""
        return self._once(("view", stage, show_names), lambda: as_seen_by(self.summary(stage, show_names=show_names), self._campaign, self.who))

    def progress(self, stage: str) -> dict[str, Progress]:
        """My scoring of every candidate at `stage`."""
        return self._once(("progress", stage), lambda: progress(self._campaign, self.who, stage))

    def went_no_further(self, stage: str) -> dict[str, Stopped]:
        """Candidates who did not go on from a stage before `stage` that is already decided, with
        that stage and why: they are not scored at `stage` (`rules.scoring.stopped_before`)."""
        decided = decided_stages(self._campaign)
        return self._once(("stopped", stage), lambda: stopped_before(self._campaign, (stage,), among=decided, grouped=self._grouping()))

    def not_mine(self, stage: str) -> set[str]:
        """At an allocated stage, the candidates allocated to others only: not on my list."""
        return self._once(("not mine", stage), lambda: allocated_to_others(self._campaign, self.who, stage))

    def scoring_order(self, stage: str) -> list[str]:
        """The candidates I score at `stage`, in the order the score screen's next and previous follow."""
        left_out = {*self.went_no_further(stage), *self.not_mine(stage)}
        return [candidate.id for candidate in self._campaign.candidates if not candidate.withdrawn and candidate.id not in left_out]

    def candidate_scores(self, candidate: str, stage: str) -> dict[tuple[str, str], Score]:
        """Every score of one candidate at one stage, by (criterion, assessor)."""
        return self._once(("scores", candidate, stage), lambda: candidate_scores(self._campaign, candidate, stage))

    def open_items(self) -> list[OpenItem]:
        """What the chair should settle before signing off: at the merit list, and at every stage
        before it whose result decided who went on."""
        earlier = [self.summary(stage, show_names=True) for stage in deciding_stages(self._campaign)]
        return open_everywhere(self.summary(show_names=True), earlier)

    def _changed(self, campaign: Campaign, grouped: ScoresByItem | None, *, scored_at: str | None = None) -> None:
        """Take the changed campaign: everything derived from the old state is dropped but
        the grouped scores, which the caller passes on only when they describe it. A score at
        a stage not yet decided (`scored_at`) leaves who went on from the decided ones as it was."""
        decided = decided_stages(self._campaign)
        kept = (
            {key: value for key, value in self._derived.items() if key[0] == "stopped"} if scored_at is not None and scored_at not in decided else {}
        )
        self._campaign = campaign
        self._grouped = grouped
        self._derived = kept

    # --- changes: one typed call each -------------------------------------------------

    def _apply(self, change: Callable[[Campaign], Change], again: Callable[[str], object] | None = None) -> bool:
        """Apply one change; True if the campaign changed. The listener hears either way.

        `again` makes the same change with a reason: asked for when the rules want one.
        """
        if self.read_only:
            reason = "it is open read-only" if self.opened_read_only else "it is final"
            self._tell_refused(f"Not changed: {reason}.", "warning")
            return False
        before = self._campaign
        try:
            result = change(before)
        except ReasonNeeded as exc:
            if again is not None and self.listener is not None:
                self.listener.reason_needed(exc.message, again)
            else:
                self._tell_refused(exc.message, "error")
            return False
        except ChangeRefused as exc:
            self._tell_refused(exc.message, "error")
            return False
        grouped = self._grouped if self._grouped is not None and self._grouped.describes(before) else None
        if isinstance(result, RecordedScore):
            if not result.changed:
                return False
            # My score goes to my sheet. The grouping is carried over the one score, not made
            # again: typing evidence records a score at every key.
            changed = result.campaign
            grouped = grouped.with_score(changed, result.score, result.replaced) if grouped is not None else None
            self.files.record(result)
            scored_at: str | None = result.score.stage
        elif isinstance(result, ClearedScore):
            changed, grouped, scored_at = result.campaign, None, result.score.stage
            self.files.clear(result, before)
        elif isinstance(result, WrittenNote):
            if not result.changed:
                return False
            changed, scored_at = result.campaign, result.note.stage  # notes leave the scores and their grouping as they were
            self.files.note(result, before)
        else:
            changed = result
            if changed is before:
                return False
            grouped = grouped if grouped is not None and grouped.describes(changed) else None
            self.files.change(changed, before)
            scored_at = None
        self._changed(changed, grouped, scored_at=scored_at)
        if self.listener is not None:
            self.listener.campaign_changed()
        return True

    def _tell_refused(self, message: str, severity: Literal["warning", "error"]) -> None:
        if self.listener is not None:
            self.listener.change_refused(message, severity)

    def setup(self, change: SetupChange[P], *args: P.args, **kwargs: P.kwargs) -> bool:
        """A set-up change (`changes.setup`, `setup_criteria`, `setup_people`) made by who is working.

        After set-up the chair's changes need a reason: the listener is asked for one, and
        the change is made again with it (`reason=`).
        """

        def again(reason: str) -> object:
            return self.setup(change, *args, **{**kwargs, "reason": reason})  # type: ignore[arg-type]  # the changes that need one take `reason`

        return self._apply(lambda campaign: change(campaign, self.framework, self.who, *args, **kwargs), again)

    def record_score(self, *, candidate: str, criterion: str, stage: str, score: int, evidence: str | None = None) -> bool:
        """My own score on an item; `evidence=None` keeps what I wrote before."""
        record = partial(score_changes.record, assessor=self.who, candidate=candidate, criterion=criterion, stage=stage)
        stopped = self.went_no_further(stage)  # worked out once per state, not at every first score
        return self._at_stage(
            stage,
            lambda why: lambda campaign: record(campaign, score=score, evidence=evidence, stopped=stopped, reason=why),
            lambda: self.record_score(candidate=candidate, criterion=criterion, stage=stage, score=score, evidence=evidence),
        )

    def clear_score(self, *, candidate: str, criterion: str, stage: str) -> bool:
        """Take back my own score on an item, and its evidence."""
        clear = partial(score_changes.clear_score, assessor=self.who, candidate=candidate, criterion=criterion, stage=stage)
        return self._at_stage(
            stage, lambda why: partial(clear, reason=why), lambda: self.clear_score(candidate=candidate, criterion=criterion, stage=stage)
        )

    def write_note(self, *, candidate: str, stage: str, text: str) -> bool:
        """My overall note on a candidate at a stage; an empty text takes it back."""
        note = partial(write_note, assessor=self.who, candidate=candidate, stage=stage, text=text)
        return self._at_stage(stage, lambda why: partial(note, reason=why), lambda: self.write_note(candidate=candidate, stage=stage, text=text))

    def declare(self, *, candidate: str, reason: str, withdraw: bool = False) -> bool:
        """My conflict of interest with a candidate, declared or taken back (`changes.declarations`)."""
        from assessor.changes.declarations import declare, withdraw_declaration

        change = withdraw_declaration if withdraw else declare
        return self._apply(partial(change, member=self.who, candidate=candidate, reason=reason))

    def withdraw_agreed(self, *, candidate: str, criterion: str, stage: str) -> bool:
        """The chair takes back the agreed score on an item."""
        withdraw = partial(score_changes.withdraw_moderation, chair=self.who, candidate=candidate, criterion=criterion, stage=stage)
        return self._at_stage(
            stage, lambda why: partial(withdraw, reason=why), lambda: self.withdraw_agreed(candidate=candidate, criterion=criterion, stage=stage)
        )

    def allocate(self, *, stage: str, readers: int, second_marking: float, reason: str = "") -> bool:
        """The chair allocates `stage` among the whole panel (`changes.allocation`); once scoring
        there has begun, the listener is asked for a reason (the app's way of forcing it)."""
        from assessor.changes.allocation import allocate_stage

        options = {"stage": stage, "readers": readers, "second_marking": second_marking}
        return self._apply(
            lambda campaign: allocate_stage(campaign, chair=self.who, **options, force=True, reason=reason).campaign,  # type: ignore[arg-type]
            lambda why: self.allocate(stage=stage, readers=readers, second_marking=second_marking, reason=why),
        )

    def decide(self, change: Callable[..., Campaign], **details: object) -> bool:
        """One of the chair's decisions (`changes.decisions`: `separate`, `write_feedback`), as who is working."""
        return self._apply(lambda campaign: change(campaign, chair=self.who, **details))

    def moderate(self, *, candidate: str, criterion: str, stage: str, score: int, rationale: str) -> bool:
        """The chair's agreed score on an item, with the reason."""
        agree = partial(score_changes.record_moderation, chair=self.who, candidate=candidate, criterion=criterion, stage=stage, score=score)
        return self._at_stage(
            stage,
            lambda why: partial(agree, rationale=rationale, reason=why),
            lambda: self.moderate(candidate=candidate, criterion=criterion, stage=stage, score=score, rationale=rationale),
        )

    def agree_unanimous(self, items: list[tuple[str, str, str, int]], *, undo: bool = False) -> bool:
        """The chair agrees (or, `undo`, takes back) in one change the items the panel scored alike."""
        change = score_changes.withdraw_unanimous if undo else score_changes.agree_unanimous
        return self._apply(partial(change, chair=self.who, items=items))

    def _at_stage(self, stage: str, change: Callable[[str], Callable[[Campaign], Change]], again: Callable[[], bool]) -> bool:
        """A change to a stage's scores, agreed scores or notes, made with `change(reason)`. At a stage
        already decided the chair is asked why (once a sitting, kept for the next corrections there)."""

        def with_reason(why: str) -> bool:
            self._corrections[stage] = why
            return again()

        done = self._apply(change(self._corrections.get(stage, "")), with_reason)
        if done and stage in self._corrections:  # a correction at a decided stage: told whom it would now put through
            from assessor.changes.closing import would_go_on_words

            for line in would_go_on_words(self._campaign, stage, self.framework.scheme_names, str(self.path), self.who):
                self._tell_refused(line, "warning")
        return done

    def close(self) -> None:
        """Write what is not on disk yet, then let go of my sheet's lock: the app is closing, or the campaign is final."""
        if self.unsaved:
            with contextlib.suppress(CampaignError):  # a refused save was told already; closing goes on
                self.save()
        self.files.close()

    # --- saving ------------------------------------------------------------------------

    def save(self) -> SaveResult:
        """Write the newest state if it is not on disk yet; raise CampaignError if refused.

        My scores go to my sheet, under the lock this app holds on it; anything else to the
        campaign file, under its lock, taken for the moment of the save (`storage.working_files`).
        """
        if not self.files.save():
            return SaveResult(False, self.saved_at)
        self.saved_at = now()
        return SaveResult(True, self.saved_at)

    def unsaved_changes(self) -> list[str]:
        """The audit lines of the changes not on disk yet, in words."""
        return self.files.unsaved_changes()

    def reload(self, opened: CampaignFile) -> None:
        """Take the files as they now are on disk, dropping changes that could not be saved."""
        self.files.reset(opened)
        self.framework = opened.framework
        self._changed(opened.campaign, None)

    # --- what others save: the files read again while the campaign is open -------------

    def read_changes(self) -> CampaignFile | None:
        """The files as they now are, if another member or the chair changed one; None if nobody
        did. Only reads: safe in a worker thread; `take_changes` then takes them in, on the app's."""
        return self.files.read_changes()

    def take_changes(self, found: CampaignFile) -> None:
        """Show what others saved (`read_changes`), keeping my own changes."""
        self.framework = found.framework
        self._changed(self.files.take_changes(found), None)
