"""The set-up screen: campaign details, criteria, assessment matrix, panel, candidates."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, TabbedContent, TabPane

from assessor.changes.setup import advance_status
from assessor.messages import CampaignChanged
from assessor.rules.readiness import next_status, setup_notes
from assessor.rules.stages import next_step, step_words
from assessor.screens.base import CampaignScreen
from assessor.screens.dialogs import ConfirmDialog
from assessor.screens.setup_criteria import CriteriaPane
from assessor.screens.setup_details import DetailsPane
from assessor.screens.setup_matrix import MatrixPane
from assessor.screens.setup_people import CandidatesPane, PanelPane
from assessor.screens.widgets import KeyFooter, SaveStatus, as_sentence


class SetupScreen(CampaignScreen[None]):
    """Everything about a campaign before scoring: five tabs, each saved as it changes."""

    CSS_PATH = "setup.tcss"
    BINDINGS = [
        Binding("f5", "advance_status", "Next status", id="setup-advance"),
        Binding("ctrl+left", "tab(-1)", "Previous tab", id="setup-tab-previous", priority=True),
        Binding("ctrl+right", "tab(1)", "Next tab", id="setup-tab-next", priority=True),
    ]
    PANES = ("tab-details", "tab-criteria", "tab-matrix", "tab-panel", "tab-candidates")

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="setup-tabs"):
            with TabPane("Campaign", id="tab-details"):
                yield DetailsPane(id="details")
            with TabPane("Criteria", id="tab-criteria"):
                yield CriteriaPane(id="criteria")
            with TabPane("Matrix", id="tab-matrix"):
                yield MatrixPane(id="matrix")
            with TabPane("Panel", id="tab-panel"):
                yield PanelPane(id="panel")
            with TabPane("Candidates", id="tab-candidates"):
                yield CandidatesPane(id="candidates-pane")
        yield SaveStatus(id="save-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.session.campaign.campaign.title
        self.sub_title = "set-up"
        self.refresh_all()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        self.refresh_all()

    def refresh_all(self) -> None:
        """Show the session's current campaign in every tab."""
        session = self.session
        for pane in (DetailsPane, CriteriaPane, MatrixPane, PanelPane, CandidatesPane):
            self.query_one(pane).show(session.campaign, session.framework)
        self.title = session.campaign.campaign.title
        self.query_one(SaveStatus).refresh_note()

    def action_tab(self, step: int) -> None:
        """Show the previous or next tab."""
        tabs = self.query_one("#setup-tabs", TabbedContent)
        index = self.PANES.index(tabs.active) if tabs.active in self.PANES else 0
        tabs.active = self.PANES[(index + step) % len(self.PANES)]
        self._focus_active_pane()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._focus_active_pane()

    def _focus_active_pane(self) -> None:
        """The tab shown takes the keys at once: its table or first field is focused as it is shown and the
        footer lists its keys. Focused only after a refresh, the widget left in the hidden tab would lose the
        focus to a neighbour there, which shows that tab again, and a key typed straight after would act on it."""
        pane = self.query_one("#setup-tabs", TabbedContent).active_pane
        if pane is not None and (self.focused is None or pane not in self.focused.ancestors):
            self.set_focus(pane.query("DataTable, Input, Select").first())
            self.refresh_bindings()

    def action_advance_status(self) -> None:
        """Move the campaign to its next status (the chair), after checking the set-up and asking."""
        campaign = self.session.campaign
        refusal, deciding = self.session.advance_preview()
        if refusal is not None:
            chairs = [member.id for member in campaign.panel if member.role == "chair"]
            if chairs and not any(member.id == self.session.who for member in campaign.panel):  # a new chair who opened it as themselves
                refusal += f"; reopen it as the chair to move it on: assessor {self.session.path} --as {chairs[0]}"
            self.notify(as_sentence(refusal) + ".", title="Cannot move on", severity="error", timeout=12)
            return
        target = next_status(campaign)
        assert target is not None  # advance_refusal says so at the end
        step = next_step(campaign, target)
        names = {stage.id: stage.name for stage in campaign.stages}
        leaving_set_up = campaign.campaign.status == "setup"

        def answered(yes: bool | None) -> None:
            if yes and self.session.setup(advance_status, force=True) and leaving_set_up:
                for note in setup_notes(self.session.campaign):  # moved on all the same: good practice, not a gap
                    self.notify(as_sentence(note) + ".", title="Moved on", severity="warning", timeout=12)

        self.app.push_screen(
            ConfirmDialog(
                f"Move {step_words(campaign, target)}?",
                "\n".join([*deciding, "Statuses only move forward; from the sift on the set-up is frozen."]),
                yes=f"Move to {names.get(step.scoring_stage or '') if step.status == campaign.campaign.status else step.status}",
            ),
            answered,
        )
