"""The scoring mode's first screen: the campaign at a glance and its candidates."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from assessor.messages import CampaignChanged
from assessor.screens.widgets import SaveStatus


class CampaignScreen(Screen[None]):
    """Title, role and the list of candidates of the open campaign."""

    CSS_PATH = "campaign.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="campaign-heading"):
            yield Static("", id="campaign-title")
            yield Static("", id="campaign-facts")
        yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
        yield SaveStatus()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#candidates", DataTable).add_columns("ID", "Candidate", "Adjustments")
        self.show()
        self.query_one("#candidates", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show()

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        self.show()

    def show(self) -> None:
        """Show the session's campaign."""
        session = self.app.session  # type: ignore[attr-defined]
        campaign, framework = session.campaign, session.framework
        info = campaign.campaign
        level = framework.level(info.level)
        grades = f" ({', '.join(level.grades)})" if level and level.grades else ""
        self.title = info.title
        self.sub_title = f"scoring · {session.who}"
        self.query_one("#campaign-title", Static).update(info.title)
        self.query_one("#campaign-facts", Static).update(
            f"{framework.name}, {framework.level_name.lower()} {info.level}{grades} · status {info.status} · "
            f"{len(campaign.criteria)} criteria · stages: {', '.join(stage.name for stage in campaign.stages)}"
        )
        # Name-blind sift: at the sift stage the panel sees references only.
        blind = info.anonymise_sift and info.status == "sift"
        table = self.query_one("#candidates", DataTable)
        table.clear()
        for candidate in campaign.candidates:
            shown = (candidate.reference or candidate.id) if blind else candidate.name
            note = " (withdrawn)" if candidate.withdrawn else ""
            table.add_row(candidate.id, shown + note, candidate.adjustments or "—", key=candidate.id)
