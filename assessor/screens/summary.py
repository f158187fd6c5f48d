"""The summary mode: the merit list exactly as `scoring.summarise` computed it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from assessor.messages import CampaignChanged
from assessor.scoring import format_score, summarise
from assessor.screens.widgets import SaveStatus


class SummaryScreen(Screen[None]):
    """Rank, candidate, outcome, total, each counted criterion's agreed score and flags."""

    CSS_PATH = "summary.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary-heading")
        yield DataTable(id="merit-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="summary-notes")
        yield SaveStatus()
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def on_screen_resume(self) -> None:
        self.show()

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        self.show()

    def show(self) -> None:
        """Draw the merit list of the counted stages."""
        session = self.app.session  # type: ignore[attr-defined]
        summary = summarise(session.campaign)
        self.title = summary.title
        self.sub_title = "summary"
        self.query_one("#summary-heading", Static).update(f"Merit list · stages counted: {', '.join(summary.stages)} · vacancies {summary.vacancies}")
        table = self.query_one("#merit-list", DataTable)
        table.clear(columns=True)
        table.add_columns("Rank", "Candidate", "Outcome", "Total", *[column.criterion.name for column in summary.columns], "Flags")
        for result in summary.candidates:
            table.add_row(
                "-" if result.rank is None else str(result.rank),
                result.display_name,
                result.outcome,
                format_score(result.total),
                *[format_score(item.agreed) + ("*" if item.moderated else "") for item in result.items],
                ", ".join(result.flags),
                key=result.id,
            )
        notes = [f"{result.id}: {note}" for result in summary.candidates for note in result.notes if note.startswith(("ranked", "tied"))]
        self.query_one("#summary-notes", Static).update("\n".join(notes))
