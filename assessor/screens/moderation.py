"""The chair's screens: one candidate's panel scores, the queue, and calibration."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.validation import Integer
from textual.widgets import DataTable, Header, Static

from assessor.changes.decisions import write_feedback
from assessor.core.campaign import Score
from assessor.messages import CampaignChanged
from assessor.report.wording import FLAG_LETTERS, SECOND_MARKING_HEADINGS, SECOND_MARKING_TITLE, second_marking_rows
from assessor.rules.readiness import URGENCY, deciding_stages, open_items
from assessor.rules.summary_types import format_score
from assessor.rules.visibility import behind_allocation, shown_name
from assessor.screens.base import CampaignScreen
from assessor.screens.columns import Column, fitted_table, room_of
from assessor.screens.dialogs import FormDialog, FormField
from assessor.screens.widgets import PANE_SCROLL_BINDINGS, KeyFooter, SaveStatus, ScrollsPane

ITEM_FLAG_WORDS = {"unmoderated-disagreement": "disagreement", "spread": "spread", "no-evidence": "no evidence"}
"""An item's flags on the moderation grid, in words (their letters are the summary's)."""


class ModerationScreen(ScrollsPane, CampaignScreen[None]):
    """Criteria x panel for one candidate: scores, spread, agreed score; `a` records one."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("a", "agree", "Agree a score", id="moderation-agree"),
        Binding("f", "feedback", "Feedback", id="moderation-feedback"),
        Binding("escape", "app.pop_screen", "Back", id="moderation-back"),
        *PANE_SCROLL_BINDINGS,
    ]
    PANE = "#evidence-view"

    def __init__(self, candidate_id: str, stages: tuple[str, ...], item: str | None = None) -> None:
        super().__init__()
        self.candidate_id = candidate_id
        self.stages = stages
        self.opened_on = item
        """`criterion@stage` to put the cursor on first: the item the chair's queue flagged."""
        self._scores: dict[str, dict[tuple[str, str], Score]] = {}
        self._visible: dict[tuple[str, str], set[str]] = {}
        self._letters = False
        """The flags are shown as letters (a narrow terminal), with their legend under the evidence."""
        self._flags: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary-heading")
        yield DataTable(id="moderation-grid", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="evidence-view"):
            yield Static("", id="evidence-text", markup=False)
        yield SaveStatus()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show()
        grid = self.query_one("#moderation-grid", DataTable)
        if self.opened_on is not None and self.opened_on in grid.rows:
            grid.move_cursor(row=grid.get_row_index(self.opened_on))
        grid.focus()

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        self.show()

    def on_resize(self) -> None:
        self.show()

    def show(self) -> None:
        """The grid from the summary: every member's score, the spread and the agreed score."""
        campaign = self.session.campaign
        # As the chair may see it: before moderation, colleagues' scores on the items the chair has scored.
        summaries = [self.session.summary_view(stage, show_names=True) for stage in self.stages]
        self._visible = {
            (item.criterion, item.stage): set(item.scores) for summary in summaries for item in summary.candidate(self.candidate_id).items
        }
        self._scores = {stage: self.session.candidate_scores(self.candidate_id, stage) for stage in self.stages}
        candidate = next(c for c in campaign.candidates if c.id == self.candidate_id)
        self.title = f"{candidate.id} {shown_name(campaign, candidate, self.stages[0])}"
        self.sub_title = "moderation"
        result = summaries[0].candidate(self.candidate_id)
        if summaries[0].seen_by is None:
            heading = f"Outcome {result.outcome} · total {format_score(result.total)} · flags: {', '.join(result.flags) or 'none'}"
        else:
            heading = "Before moderation: a colleague's score on an item shows once you have scored it yourself"
        if candidate.adjustments:
            heading += f" · adjustments: {candidate.adjustments.strip()}"
        self.query_one("#summary-heading", Static).update(heading + ("" if self.session.is_chair else " · only the chair records agreed scores"))
        table = self.query_one("#moderation-grid", DataTable)
        keep = table.cursor_row
        names = {c.id: c.name for c in campaign.criteria}
        stage_names = {s.id: s.name for s in campaign.stages}
        items = [item for summary in summaries for item in summary.candidate(self.candidate_id).items]
        self._flags = flags = {
            f"{item.criterion}@{item.stage}": [
                code
                for code, on in (
                    ("unmoderated-disagreement", item.disagreement),
                    ("spread", item.wide_spread and not item.disagreement),
                    ("no-evidence", item.without_evidence),
                )
                if on
            ]
            for item in items
        }
        columns = [
            Column("Criterion", least=14, gives=2),
            Column("Stage", least=6, gives=2),
            *[Column(m.name, least=1, short=m.name.split()[-1]) for m in campaign.panel],
            Column("Spread"),
            Column("Agreed"),
            Column("Flag", least=1),
        ]

        def rows(letters: bool) -> list[tuple[str, list[str]]]:
            return [
                (
                    f"{item.criterion}@{item.stage}",
                    [
                        names[item.criterion],
                        stage_names.get(item.stage, item.stage),
                        *[str(item.scores.get(m.id, "-")) for m in campaign.panel],
                        "-" if item.spread is None else str(item.spread),
                        format_score(item.agreed) + ("*" if item.moderated else ""),
                        (" " if letters else ", ").join(
                            FLAG_LETTERS[code] if letters else ITEM_FLAG_WORDS[code] for code in flags[f"{item.criterion}@{item.stage}"]
                        ),
                    ],
                )
                for item in items
            ]

        in_words = rows(letters=False)
        widths = fitted_table(table, columns, in_words, room_of(table))
        self._letters = widths[-1] < max((len(cells[-1]) for _, cells in in_words), default=0)
        if self._letters:  # too narrow for the flags in words: their letters, and the legend below
            fitted_table(table, columns, rows(letters=True), room_of(table))
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._show_evidence()

    def _current(self) -> tuple[str, str] | None:
        table = self.query_one("#moderation-grid", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        criterion, stage = key.split("@")
        return criterion, stage

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_evidence()

    def _show_evidence(self) -> None:
        current = self._current()
        view = self.query_one("#evidence-text", Static)
        if current is None:
            view.update("")
            return
        campaign = self.session.campaign
        criterion, stage = current
        names = {m.id: m.name for m in campaign.panel}
        visible = self._visible.get((criterion, stage), set())
        lines = [
            f"{names.get(s.assessor, s.assessor)} ({s.score}): {s.evidence.strip() or '— no evidence —'}"
            for (item, _), s in self._scores.get(stage, {}).items()
            if item == criterion and s.assessor in visible
        ]
        agreed = next((m for m in campaign.moderation if m.item == (self.candidate_id, criterion, stage)), None)
        if agreed is not None:
            lines.append(f"Agreed {agreed.score} by {names.get(agreed.by, agreed.by)}" + (f": {agreed.rationale}" if agreed.rationale else ""))
        hidden = not self.session.sees_everything and self.session.who not in visible
        if self._letters:
            shown = {code for codes in self._flags.values() for code in codes}
            lines.append("Flags: " + "; ".join(f"{FLAG_LETTERS[code]} {words}" for code, words in ITEM_FLAG_WORDS.items() if code in shown))
        view.update("\n".join(lines) or ("Score it yourself to see the panel's scores on it." if hidden else "Nobody has scored this yet."))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_agree()

    def action_feedback(self) -> None:
        """Write the chair's feedback to this candidate, which their letter carries."""
        if not self.session.is_chair:
            self.notify("Only the chair writes feedback to candidates.", severity="warning")
            return
        written = next((note.text for note in self.session.campaign.feedback if note.candidate == self.candidate_id), "")
        field = FormField("text", "Feedback for the candidate's letter (empty: none)", written, kind="multiline")

        def filled(values: dict[str, str] | None) -> None:
            if values is not None and self.session.decide(write_feedback, candidate=self.candidate_id, text=values["text"]):
                self.notify(self.session.campaign.audit[-1].what)

        candidate = next(c for c in self.session.campaign.candidates if c.id == self.candidate_id)
        self.app.push_screen(FormDialog(f"Feedback to {candidate.id} {candidate.name}", [field]), filled)

    def action_agree(self) -> None:
        """Record the agreed score for the highlighted criterion, with a rationale."""
        if not self.session.is_chair:
            self.notify("Only the chair records agreed scores.", severity="warning")
            return
        current = self._current()
        if current is None:
            return
        criterion, stage = current
        fields = [
            FormField(
                "score", "Agreed score (1-7)", kind="integer", required=True, validators=[Integer(minimum=1, maximum=7, failure_description="1 to 7")]
            ),
            FormField("rationale", "Rationale: why the panel agreed this score (required where no panel member gave it)", kind="multiline"),
        ]

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.moderate(
                    candidate=self.candidate_id, criterion=criterion, stage=stage, score=int(values["score"]), rationale=values["rationale"]
                )

        self.app.push_screen(FormDialog(f"Agree a score: {self._item_words(criterion, stage)}", fields), filled)

    def _item_words(self, criterion: str, stage: str) -> str:
        """`Leadership at Interview`: a criterion and stage by name, as a dialog names them."""
        campaign = self.session.campaign
        criterion_name = next((c.name for c in campaign.criteria if c.id == criterion), criterion)
        return f"{criterion_name} at {next((s.name for s in campaign.stages if s.id == stage), stage)}"


class QueueScreen(CampaignScreen[None]):
    """Everything that needs the chair, disagreements first; enter opens the candidate."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="queue-back")]

    def __init__(self, stage: str | None) -> None:
        super().__init__()
        self.stage = stage

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Needs the chair: disagreements without an agreed score, then scores without evidence, then missing scores.", id="summary-heading"
        )
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
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
        if key == "none" or key.startswith("behind:"):
            return
        _, candidate, stage, criterion = key.split(":")
        self.app.push_screen(ModerationScreen(candidate, (stage,), f"{criterion}@{stage}" if criterion else None))


class CalibrationScreen(CampaignScreen[None]):
    """Each member's mean difference from the panel, outliers, and leniency or severity."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="calibration-back")]

    def __init__(self, stage: str | None) -> None:
        super().__init__()
        self.stage = stage

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Difference from the panel's mean on the same items; a tendency is flagged when it is 1 or more, one way, on at least five candidates.",
            id="summary-heading",
        )
        yield DataTable(id="calibration", cursor_type="row", zebra_stripes=True)
        yield Static(SECOND_MARKING_TITLE, id="second-marking-heading")
        yield DataTable(id="second-marking", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        summary = self.session.summary(self.stage)
        self.title, self.sub_title = summary.title, "calibration"
        table = self.query_one("#calibration", DataTable)
        table.add_columns("Member", "Role", "Scores", "Compared", "Mean difference", "Outlier", "Candidates", "Tendency")
        for member in summary.calibration:
            difference = "-" if member.mean_difference is None else f"{member.mean_difference:+.2f}"
            table.add_row(
                member.name,
                member.role,
                str(member.scores),
                str(member.compared),
                difference,
                str(member.outlier),
                str(member.candidates),
                member.tendency or "",
                key=member.id,
            )
        second = self.query_one("#second-marking", DataTable)
        rows = second_marking_rows(self.session.campaign, summary)
        # Shown where the summarised stages were allocated with a second-marking sample.
        self.query_one("#second-marking-heading", Static).display = second.display = bool(rows)
        second.add_columns(*SECOND_MARKING_HEADINGS)
        for row in rows:
            second.add_row(*row)
        table.focus()
