"""The chair's lists: the queue of what needs them, and the panel's calibration."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from assessor.report.wording import SECOND_MARKING_HEADINGS, SECOND_MARKING_TITLE, second_marking_rows
from assessor.rules.readiness import URGENCY, deciding_stages, open_items
from assessor.rules.visibility import behind_allocation
from assessor.screens.base import CampaignScreen
from assessor.screens.columns import Column, fitted_table, plain_row, room_of
from assessor.screens.moderation import ModerationScreen
from assessor.screens.widgets import KeyFooter, RowTable, SaveStatus


class ChairsList(CampaignScreen[None]):
    """A list the chair reads from the summary, for the stage shown there (None: the merit list)."""

    CSS_PATH = "summary.tcss"

    def __init__(self, stage: str | None) -> None:
        super().__init__()
        self.stage = stage


class QueueScreen(ChairsList):
    """Everything that needs the chair, disagreements first; enter opens the candidate."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="queue-back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Needs the chair: disagreements without an agreed score, then scores without evidence, then missing scores.", id="summary-heading"
        )
        yield RowTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield SaveStatus()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show()
        self.query_one("#queue", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show()

    def show(self) -> None:
        """List the flagged items of the summary, most urgent first."""
        summary = self.session.summary(self.stage)
        self.title, self.sub_title = summary.title, "moderation queue"
        # The merit list's queue holds every stage that decided who went on too; a stage's, its own.
        found = self.session.open_items() if self.stage is None else open_items(summary)
        rows = sorted(found, key=lambda row: URGENCY[row.kind])  # stable: merit order within a kind
        campaign = self.session.campaign
        names = {stage.id: stage.name for stage in campaign.stages}
        criteria = {criterion.id: criterion.name for criterion in campaign.criteria}
        lines: list[tuple[str, tuple[str, str, str, str, str]]] = []
        for index, row in enumerate(rows):
            result, item = row.candidate, row.item
            stage = item.stage if item is not None else summary.stages[0]
            criterion = criteria.get(item.criterion, item.criterion) if item else ""
            key = f"{index}:{result.id}:{stage}:{item.criterion if item else ''}"
            lines.append((key, (row.kind, f"{result.id} {result.display_name}", criterion, names.get(stage, stage), row.detail)))
        stages = [*summary.stages, *(deciding_stages(campaign) if self.stage is None else ())]
        behind = behind_allocation(campaign, stages)
        for stage, sifter in behind:  # who is behind their allocation, least done first
            detail = f"{sifter.scored} of {sifter.allocated} allocated items scored"
            lines.append(
                (f"behind:{sifter.member.id}:{stage}", ("behind", f"{sifter.member.id} {sifter.member.name}", "", names.get(stage, stage), detail))
            )
        members = {member.id: member.name for member in campaign.panel}
        shown = {result.id: result.display_name for result in summary.candidates}
        for conflict in campaign.declarations:  # each standing conflict of interest, for the chair to see
            if conflict.stands:
                who = f"{conflict.candidate} {shown.get(conflict.candidate, '')}".strip()
                detail = f"{members.get(conflict.member, conflict.member)} knows them: {conflict.reason}"
                lines.append((f"conflict:{conflict.member}:{conflict.candidate}", ("conflict", who, "", "", detail)))
        if not lines:
            lines.append(("none", ("nothing", "", "", "", "every item is settled")))
        table = self.query_one("#queue", DataTable)
        # Each column as wide as its widest cell from the first paint on (names, not ids), names giving way when narrow.
        columns = [
            Column("Needs"),
            Column("Candidate", least=12),
            Column("Criterion", least=12),
            Column("Stage", least=6),
            Column("Detail", least=10),
        ]
        fitted_table(table, columns, lines, room_of(table))

    def on_resize(self) -> None:
        self.show()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key == "none" or key.startswith(("behind:", "conflict:")):
            return
        _, candidate, stage, criterion = key.split(":")
        self.app.push_screen(ModerationScreen(candidate, (stage,), f"{criterion}@{stage}" if criterion else None))


class CalibrationScreen(ChairsList):
    """Each member's mean difference from the panel, outliers, and leniency or severity."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="calibration-back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Difference from the panel's mean on the same items; a tendency is flagged when it is 1 or more, one way, on at least five candidates.",
            id="summary-heading",
        )
        yield RowTable(id="calibration", cursor_type="row", zebra_stripes=True)
        yield Static(SECOND_MARKING_TITLE, id="second-marking-heading")
        yield RowTable(id="second-marking", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        summary = self.session.summary(self.stage)
        self.title, self.sub_title = summary.title, "calibration"
        table = self.query_one("#calibration", DataTable)
        table.add_columns("Member", "Role", "Scores", "Compared", "Mean difference", "Outlier", "Candidates", "Tendency")
        for member in summary.calibration:
            difference = "-" if member.mean_difference is None else f"{member.mean_difference:+.2f}"
            cells = [member.name, member.role, str(member.scores), str(member.compared), difference, str(member.outlier), str(member.candidates)]
            table.add_row(*plain_row([*cells, member.tendency or ""]), key=member.id)
        second = self.query_one("#second-marking", DataTable)
        rows = second_marking_rows(self.session.campaign, summary)
        # Shown where the summarised stages were allocated with a second-marking sample.
        self.query_one("#second-marking-heading", Static).display = second.display = bool(rows)
        second.add_columns(*SECOND_MARKING_HEADINGS)
        for row in rows:
            second.add_row(*plain_row(row))
        table.focus()
