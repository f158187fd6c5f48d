"""The Textual app: wiring only. Screens live in `assessor/screens/`.

Three modes, each a screen stack of its own: set-up, scoring and summary. The app opens a
campaign (choosing who you are, taking the lock on your own score sheet), makes the session
the screens work through, and listens to it: every change is saved in a worker thread, so
no keystroke waits for the disk, and the screen shown is told to redraw. A second worker
shows what the rest of the panel saves, as they save it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme

from assessor.core.errors import CampaignError, FileChangedError
from assessor.core.identity import current_user
from assessor.key_order import KeysInOrder
from assessor.live import LiveChanges
from assessor.messages import CampaignChanged, CampaignChosen, NewCampaignRequested
from assessor.report.safe_text import visible
from assessor.screens.commands import CandidateCommands
from assessor.screens.dialogs import ConfirmDialog
from assessor.screens.picker import PickerScreen
from assessor.screens.scoring_list import ScoringListScreen
from assessor.screens.who import WhoDialog
from assessor.screens.widgets import CONTROLS_LEFT_OUT, LoadingScreen, as_sentence
from assessor.session import CampaignSession
from assessor.session_files import new_campaign_file
from assessor.storage.campaign_file import CampaignFile, open_campaign
from assessor.storage.lock import CampaignLock
from assessor.storage.locked_changes import hold_sheet
from assessor.storage.reference import catalogue
from assessor.storage.settings import save_theme, saved_theme

if TYPE_CHECKING:
    from assessor.screens.new_campaign import NewCampaign


# Screens the first screen does not need are imported when first shown: the app starts without set-up's or the summary's widgets.
def _setup_screen() -> Screen:
    from assessor.screens.setup import SetupScreen

    return SetupScreen()


def _summary_screen() -> Screen:
    from assessor.screens.summary import SummaryScreen

    return SummaryScreen()


OPEN_AT_ONCE_BYTES = 1_000_000
"""Campaign files up to this size open before the first paint. A panel's file is a few
hundred KB and loads in tens of milliseconds: a loading screen would only flash, and
painting it beside a worker's load costs the start more than the load itself."""


def _try_open(path: Path) -> CampaignFile | CampaignError:
    try:
        return open_campaign(path)
    except CampaignError as exc:
        return exc


class AssessorApp(KeysInOrder):
    """One campaign for one role: set-up, scoring, moderation and the summary."""

    TITLE = "assessor"
    MODES = {"setup": _setup_screen, "scoring": ScoringListScreen, "summary": _summary_screen}
    BINDINGS = [
        Binding("f2", "open_mode('setup')", "Set-up", id="mode-setup"),
        Binding("f3", "open_mode('scoring')", "Scoring", id="mode-scoring"),
        Binding("f4", "open_mode('summary')", "Summary", id="mode-summary"),
        Binding("f1", "help", "Help", id="help"),
        Binding("f5", "status_from_setup", "Next status", show=False, id="status-elsewhere"),
        Binding("question_mark", "help", "Help", show=False, id="help-question-mark"),
        Binding("ctrl+q", "quit", "Quit", id="quit-app", priority=True, show=False),
    ]
    COMMANDS = App.COMMANDS | {CandidateCommands}
    # Classes on every screen by its size, for the layouts that reflow: 80x24 is the smallest that works.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    save_note: reactive[str] = reactive("")
    """What the status line says about saving: "saved 10:42:13", "saving…", or a problem."""

    def __init__(
        self, path: Path | None = None, *, as_member: str | None = None, folder: Path = Path("campaigns"), opened: CampaignFile | None = None
    ) -> None:
        """The app on the campaign at `path` (or the picker over `folder`); `opened` is that file already read, so it is
        not read twice (the command line reads it to refuse a broken file before the screen opens)."""
        super().__init__()
        self.path = path
        self.as_member = as_member
        self.folder = folder
        self.opened = opened
        self.session: CampaignSession | None = None
        self.watcher: LiveChanges | None = None

    # --- opening --------------------------------------------------------------------

    def on_mount(self) -> None:
        theme = saved_theme()
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.path is None:
            self.show_picker(self.folder)
        elif self.opened is not None and self.opened.path == self.path:
            self._opened(self.path, self.opened)
        else:
            self.open_file(self.path)

    def show_picker(self, folder: Path) -> None:
        """The campaign files in `folder` to choose from."""
        from assessor.storage.register import peek_folder  # with the seal's rules: loaded for the chooser alone, not at every start

        self.push_screen(PickerScreen(folder, peek_folder(folder)))

    def on_campaign_chosen(self, message: CampaignChosen) -> None:
        self.open_file(message.path)

    def open_file(self, path: Path) -> None:
        """Open a campaign: a panel-sized file at once, a big one in a worker behind a loading screen."""
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # opening it says what is wrong
        if size <= OPEN_AT_ONCE_BYTES:
            self._opened(path, _try_open(path))
            return
        self.push_screen(LoadingScreen(f"Opening {path.name}…"))
        self._load(path)

    @work(thread=True, exclusive=True, group="open")
    def _load(self, path: Path) -> None:
        """Load a big campaign off the event loop, then show it (or say why not)."""
        self.call_from_thread(self._opened, path, _try_open(path))

    def _opened(self, path: Path, result: CampaignFile | CampaignError) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.pop_screen()
        if isinstance(result, CampaignFile):
            self._choose_who(result)
            return
        self.notify(result.first_line, title="Cannot open", severity="error", timeout=12)
        if not isinstance(self.screen, PickerScreen):
            self.show_picker(path.parent)

    def _choose_who(self, opened: CampaignFile) -> None:
        panel = {member.id for member in opened.campaign.panel}
        if self.as_member is not None and self.as_member in panel:
            self._start(opened, self.as_member)
            return
        if self.as_member is not None:
            self.notify(f"{self.as_member!r} is not on this campaign's panel; choose who you are", severity="error")
        if not panel:
            self._start(opened, current_user())
            return

        def chosen(who: str | None) -> None:
            if who is None:
                self.exit()
            else:
                self._start(opened, who)

        self.push_screen(WhoDialog(opened.campaign, current_user()), chosen)

    def _start(self, opened: CampaignFile, who: str) -> None:
        """Take the lock on my own score sheet (or offer to read only), then show the campaign.

        Only my sheet is held while I work: every member has their own, so the whole panel
        scores at once. Someone not on the panel (HR at set-up) holds nothing between saves.
        """
        lock = None
        if any(member.id == who for member in opened.campaign.panel):
            try:
                lock = hold_sheet(opened.path, who)
            except CampaignError as exc:
                message = exc.problems[0].message
                # "is locked by raman on ..."; a lock that is not one says what it is instead.
                question = f"Your score sheet of {opened.path.name} {'is ' if message.startswith('locked by') else 'cannot be held: '}{message}."
                offer = ConfirmDialog(question, "You can open it read-only: nothing you do will be saved.", yes="Open read-only")
                self.push_screen(offer, lambda read_only: self._show(opened, who, read_only=True) if read_only else self.exit())
                return
            if lock.notice:
                self.notify(lock.notice, title="Lock")
        self._show(opened, who, read_only=False, sheet_lock=lock)

    def _show(self, opened: CampaignFile, who: str, *, read_only: bool, sheet_lock: CampaignLock | None = None) -> None:
        self.session = CampaignSession(opened, who, read_only=read_only, listener=self, sheet_lock=sheet_lock)
        self.sub_title = f"{opened.path} · {who}"
        self.save_note = "read-only: you have this campaign open elsewhere" if read_only else f"opened {opened.path.name}"
        for line in opened.stray_notes():
            self.notify(line, title="Not counted", severity="warning", timeout=30)
        status = opened.campaign.campaign.status
        self.switch_mode("setup" if status == "setup" else "scoring")
        if self.watcher is not None:
            self.watcher.stop()  # the campaign opened before
        self.watcher = LiveChanges(self, self.session)

    def become(self, who: str) -> None:
        """Work on as `who` (a new chair who set the panel up): saved first, then shown as they see it."""
        if self.session is not None:
            self.session.close()
            if isinstance(opened := _try_open(self.session.path), CampaignFile):  # as saved, read again
                self._start(opened, who)
                self.screen.post_message(CampaignChanged())

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        if self.session is not None:
            self.session.close()  # however the app ends (a browser tab's session ending too), after the last save

    # --- creating -------------------------------------------------------------------

    def on_new_campaign_requested(self, message: NewCampaignRequested) -> None:
        def created(request: NewCampaign | None) -> None:
            if request is not None:
                self.create_campaign(request)

        from assessor.screens.new_campaign import NewCampaignDialog

        self.push_screen(NewCampaignDialog(self.folder, catalogue()), created)

    def create_campaign(self, request: NewCampaign) -> None:
        """Write the new campaign file and open it."""
        details = {"title": request.title, "level": request.level, "vacancies": request.vacancies}
        try:
            path = new_campaign_file(self.folder, request.file_stem, request.template, request.framework, details, who=current_user())
        except CampaignError as exc:
            self.notify(exc.first_line, title="Not created", severity="error", timeout=12)
            return
        self.notify(f"Created {path}", title="New campaign")
        self.open_file(path)

    # --- saving: the session's listener ---------------------------------------------

    def campaign_changed(self) -> None:
        """The session changed the campaign: save it in the background and redraw."""
        self.save_note = "saving…"
        self.save_in_background()
        self.screen.post_message(CampaignChanged())

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None, markup: bool = True
    ) -> None:
        """Every notification as plain text, never markup, control characters shown as codes (people typed them)."""
        super().notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then one that leaves out any control character that reached a widget (`ControlsLeftOut`)."""
        return [*super().get_line_filters(), CONTROLS_LEFT_OUT]

    def change_refused(self, message: str, severity: Literal["warning", "error"]) -> None:
        """The session did not make a change: say why."""
        sentence = as_sentence(message)
        if severity == "warning":
            self.notify(sentence, severity="warning")
        else:
            self.notify(sentence, title="Not changed", severity="error", timeout=8)

    def reason_needed(self, message: str, give: Callable[[str], object]) -> None:
        """The chair's change after set-up needs a reason for the audit: ask, then make it."""
        from assessor.screens.dialogs import FormDialog, FormField

        def filled(values: dict[str, str] | None) -> None:
            if values:
                give(values["reason"])

        field = FormField("reason", "Reason (written to the audit)", required=True, kind="multiline")
        self.push_screen(FormDialog(as_sentence(message) + ".", [field]), filled)

    @work(thread=True, group="save")
    def save_in_background(self) -> None:
        """Write the newest state; saves are serialised and coalesced by the session."""
        session = self.session
        if session is None:
            return
        try:
            result = session.save()
        except CampaignError as exc:
            self.call_from_thread(self._save_failed, exc)
            return
        if result.at is not None and not session.unsaved:
            self.call_from_thread(setattr, self, "save_note", f"saved {result.at.astimezone().strftime('%H:%M:%S')}")

    def _save_failed(self, exc: CampaignError) -> None:
        self.save_note = "NOT SAVED"
        if isinstance(exc, FileChangedError) and self.session is not None:
            lost = self.session.unsaved_changes()
            listed = "".join(f"\n• {what}" for what in lost[-6:])
            self.notify(
                f"Someone changed {self.session.path.name} outside the app. Reloading it; these changes of yours "
                f"were not saved and need doing again:{listed}",
                title="File changed on disk",
                severity="error",
                timeout=20,  # long enough to read the list, short enough not to cover what comes next
            )
            self._reload(self.session.path)
            return
        self.notify(exc.first_line, title="Not saved", severity="error", timeout=30)

    @work(thread=True, exclusive=True, group="open")
    def _reload(self, path: Path) -> None:
        """Read the file again after someone else changed it, and show it as it now is."""
        try:
            opened = open_campaign(path)
        except CampaignError as exc:
            self.call_from_thread(self.notify, exc.first_line, title="Cannot reload", severity="error", timeout=30)
            return
        self.call_from_thread(self._reloaded, opened)

    def _reloaded(self, opened: CampaignFile) -> None:
        assert self.session is not None
        self.session.reload(opened)
        self.save_note = f"reloaded {opened.path.name}"
        self.screen.post_message(CampaignChanged())

    async def action_quit(self) -> None:
        """Quit after any change still on its way to the disk is written."""
        await self.workers.wait_for_complete()
        if self.session is not None and self.session.unsaved:
            try:
                self.session.save()
            except CampaignError as exc:
                self._save_failed(exc)
                return
        self.exit()

    # --- modes, help, themes and the command palette ---------------------------------

    def _remember_theme(self, theme: Theme) -> None:
        problem = save_theme(theme.name)
        if problem:
            self.notify(f"The theme could not be remembered: {problem}", severity="warning")

    def action_help(self) -> None:
        """Every key by screen, the 1-7 scale and the rules of the summary."""
        from assessor.screens.help import HelpScreen  # Markdown is loaded when help is first asked for
        from assessor.screens.keys import key_tables

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_tables(self.BINDINGS), self.session.framework if self.session else None))

    def go_to_candidate(self, candidate_id: str, stage: str) -> None:
        """Open the scoring screen on one candidate (from the command palette)."""
        from assessor.screens.score import ScoreScreen

        if self.session is None:
            return
        self.switch_mode("scoring")
        self.push_screen(ScoreScreen(candidate_id, stage, self.session.scoring_order(stage)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Mode keys appear only once a campaign is open: with none, they are not offered at all."""
        if action in ("open_mode", "status_from_setup") and self.session is None:
            return False
        return True

    def action_status_from_setup(self) -> None:
        """`f5` where it does not move the status (outside set-up): say where it does."""
        self.notify("The chair moves the status on from the set-up: f2, then f5.", severity="warning")

    def action_open_mode(self, mode: str) -> None:
        """Switch to set-up, scoring or summary (once a campaign is open)."""
        if self.session is None:
            self.notify("Open or create a campaign first.", severity="warning")
            return
        self.switch_mode(mode)
        # A mode key shows the mode itself (the summary, the list), not a screen left open on top of it.
        for _ in range(len(self.screen_stack) - 1):
            self.pop_screen()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every key binding of the current screen as a command too."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            node = active.node
            yield SystemCommand(
                binding.description,
                f"key: {binding.key}",
                lambda node=node, action=binding.action: self.call_later(node.run_action, action),
            )
