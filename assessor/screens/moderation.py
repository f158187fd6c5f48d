"""The chair's screen of one candidate: every member's score per criterion, the spread, the agreed score."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.validation import Integer
from textual.widgets import DataTable, Header, Static

from assessor.changes.decisions import write_feedback
from assessor.core.campaign import Moderation, Score
from assessor.messages import CampaignChanged
from assessor.report.wording import FLAG_LETTERS
from assessor.rules.mentions import ANOTHER, others_named
from assessor.rules.summary_types import format_score
from assessor.rules.visibility import notes_seen, shown_name
from assessor.screens.base import CampaignScreen
from assessor.screens.columns import Column, fitted_table, room_of
from assessor.screens.dialogs import ConfirmDialog, FormDialog, FormField
from assessor.screens.widgets import PANE_SCROLL_BINDINGS, KeyFooter, RowTable, SaveStatus, ScrollsPane

ITEM_FLAG_WORDS = {"unmoderated-disagreement": "disagreement", "spread": "spread", "no-evidence": "no evidence"}
"""An item's flags on the moderation grid, in words (their letters are the summary's)."""


class ModerationScreen(ScrollsPane, CampaignScreen[None]):
    """Criteria x panel for one candidate: scores, spread, agreed score; `a` records one."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("a", "agree", "Agree a score", id="moderation-agree"),
        Binding("f", "feedback", "Feedback", id="moderation-feedback"),
        Binding("delete", "withdraw", "Withdraw the agreed score", show=False, id="moderation-withdraw"),
        Binding("ctrl+z", "undo", "Undo my last agreed score", show=False, id="moderation-undo"),
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
        self._undo: list[tuple[str, str, Moderation | None]] = []
        """(criterion, stage, the agreed score before) for each agreed score recorded or withdrawn here, the last last."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary-heading", markup=False)
        yield RowTable(id="moderation-grid", cursor_type="row", zebra_stripes=True)
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
        if candidate.adjustments and self.session.sees_adjustments(*self.stages):
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

        # Too narrow for the flags in words: their letters, and the legend below.
        self._letters = fitted_table(table, columns, rows(letters=False), room_of(table), shorter=lambda: rows(letters=True))
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
        notes = notes_seen(campaign, self.session.who, self.candidate_id, (stage,))
        lines += [f"Note by {names.get(note.assessor, note.assessor)} at this stage: {note.text.strip()}" for note in notes]
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
                named = others_named(self.session.campaign, self.candidate_id, values["text"])
                if named:  # the letter will not show them; the chair should know what it will read
                    self.notify(
                        f"The feedback names another candidate ({', '.join(named)}): the letter reads {ANOTHER} in their place.", severity="warning"
                    )

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
            FormField("rationale", "Rationale (needed where no panel member gave this score)", kind="multiline"),
        ]

        before = self._agreed(criterion, stage)
        given = sorted({score.score for (item, _), score in self.session.candidate_scores(self.candidate_id, stage).items() if item == criterion})

        def check(values: dict[str, str]) -> str | None:
            """A score nobody gave needs its reason: asked here, so nothing typed is lost to a refusal."""
            score = int(values["score"])
            if score not in given and not values["rationale"].strip():
                return f"Nobody on the panel gave {score} ({', '.join(map(str, given)) or 'no scores'}): write why the panel agreed it."
            return None

        def filled(values: dict[str, str] | None) -> None:
            if values and self.session.moderate(
                candidate=self.candidate_id, criterion=criterion, stage=stage, score=int(values["score"]), rationale=values["rationale"]
            ):
                self._undo.append((criterion, stage, before))

        self.app.push_screen(FormDialog(f"Agree a score: {self._item_words(criterion, stage)}", fields, check), filled)

    def _agreed(self, criterion: str, stage: str) -> Moderation | None:
        return next((m for m in self.session.campaign.moderation if m.item == (self.candidate_id, criterion, stage)), None)

    def action_withdraw(self) -> None:
        """The chair takes back the agreed score on the highlighted item, once confirmed."""
        current = self._current()
        agreed = self._agreed(*current) if current is not None else None
        if current is None or agreed is None:
            self.notify("There is no agreed score here to withdraw.")
            return
        if not self.session.is_chair:
            self.notify("Only the chair withdraws agreed scores.", severity="warning")
            return
        criterion, stage = current

        def answered(yes: bool | None) -> None:
            if yes and self.session.withdraw_agreed(candidate=self.candidate_id, criterion=criterion, stage=stage):
                self._undo.append((criterion, stage, agreed))
                self.notify(f"Withdrew the agreed score of {agreed.score}: ctrl+z brings it back.")

        detail = "The panel's own scores stay as they are; the audit keeps a row saying what it was."
        question = f"Withdraw the agreed score of {agreed.score} on {self._item_words(criterion, stage)}?"
        self.app.push_screen(ConfirmDialog(question, detail, yes="Withdraw"), answered)

    def action_undo(self) -> None:
        """Put back the agreed score as it was before my last change to one here."""
        if not self._undo:
            self.notify("No agreed score of yours to undo on this screen.")
            return
        criterion, stage, before = self._undo.pop()
        item = {"candidate": self.candidate_id, "criterion": criterion, "stage": stage}
        if before is None:
            done = self.session.withdraw_agreed(**item)
        else:
            done = self.session.moderate(**item, score=before.score, rationale=before.rationale)
        if done:
            self.notify("Undone: " + ("no agreed score" if before is None else f"the agreed score is {before.score} again") + ".")

    def _item_words(self, criterion: str, stage: str) -> str:
        """`Leadership at Interview`: a criterion and stage by name, as a dialog names them."""
        campaign = self.session.campaign
        criterion_name = next((c.name for c in campaign.criteria if c.id == criterion), criterion)
        return f"{criterion_name} at {next((s.name for s in campaign.stages if s.id == stage), stage)}"
