"""The campaign at a glance: the role, the stages, the candidates."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from assessor.store import CampaignFile


class CampaignScreen(Screen[None]):
    """Title, role and the list of candidates of one campaign."""

    CSS_PATH = "campaign.tcss"
    BINDINGS = [Binding("q", "app.quit", "Quit", id="quit")]

    def __init__(self, opened: CampaignFile) -> None:
        super().__init__()
        self.opened = opened

    def compose(self) -> ComposeResult:
        campaign = self.opened.campaign
        info = campaign.campaign
        level = self.opened.framework.level(info.level)
        grades = f" ({', '.join(level.grades)})" if level and level.grades else ""
        yield Header()
        with Vertical(id="campaign-heading"):
            yield Static(info.title, id="campaign-title")
            yield Static(
                f"{self.opened.framework.name}, {self.opened.framework.level_name.lower()} {info.level}{grades} · "
                f"status {info.status} · {len(campaign.criteria)} criteria · "
                f"stages: {', '.join(stage.name for stage in campaign.stages)}",
                id="campaign-facts",
            )
        yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        campaign = self.opened.campaign
        self.title = campaign.campaign.title
        self.sub_title = str(self.opened.path)
        # Name-blind sift: at the sift stage the panel sees references only.
        blind = campaign.campaign.anonymise_sift and campaign.campaign.status == "sift"
        table = self.query_one("#candidates", DataTable)
        table.add_columns("ID", "Reference" if blind else "Name", "Adjustments")
        for candidate in campaign.candidates:
            shown = candidate.reference if blind else candidate.name
            note = " (withdrawn)" if candidate.withdrawn else ""
            table.add_row(candidate.id, shown + note, candidate.adjustments or "—", key=candidate.id)
        table.focus()
