"""The scoring mode's list: candidates at the current stage with my progress; enter scores one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from assessor.core.folding import folded
from assessor.messages import CampaignChanged
from assessor.rules.visibility import default_stage, panel_done, shown_name
from assessor.screens.base import CampaignScreen
from assessor.screens.columns import Column, fit_columns, plain, plain_row, room_of
from assessor.screens.widgets import DrawnFrom, KeyFooter, RowTable, SaveStatus


class ScoringListScreen(CampaignScreen[None]):
    """Candidates for one stage: progress for me, search, and the way into scoring."""

    CSS_PATH = "scoring.tcss"
    BINDINGS = [
        Binding("enter", "score", "Score", id="list-score", priority=False),
        Binding("j", "move(1)", "Down", show=False, id="list-down"),
        Binding("k", "move(-1)", "Up", show=False, id="list-up"),
        Binding("slash", "search", "Search", id="list-search"),
        Binding("s", "next_stage", "Stage", id="list-stage"),
        Binding("d", "declare", "Declare a conflict", show=False, id="list-declare"),
        Binding("escape", "leave_search", "Back to the list", show=False, id="list-leave-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stage: str | None = None
        self.stage_now: str | None = None
        """The stage being scored when the list was last drawn: the list follows it when the status moves on."""
        self.filter = ""
        self._generation = 0
        self._drawn = DrawnFrom()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="scoring-heading", markup=False)
        yield Input(placeholder="search by name, reference or id (/)", id="filter")
        yield RowTable(id="candidates", cursor_type="row", zebra_stripes=True)
        yield Static("", id="scoring-note", markup=False)
        yield SaveStatus()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.stage = self.stage_now = default_stage(self.session.campaign)
        self.show()
        self.query_one("#candidates", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show()

    def on_resize(self) -> None:
        self.show()

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        self.show()

    def show(self) -> None:
        """Fill the list for the stage and the search text, keeping the cursor's candidate."""
        session = self.session
        campaign, who = session.campaign, session.who
        now = default_stage(campaign)
        if now != self.stage_now:  # the chair moved the campaign on: so does a list that was on the stage scored then
            if self.stage == self.stage_now:
                self.stage = now
            self.stage_now = now
        if not self._drawn.changed(campaign, who, self.stage, self.filter, self.size.width):
            return  # resumed with nothing changed: 5,000 rows are not rebuilt for nothing
        self.title = campaign.campaign.title
        self.sub_title = f"scoring · {who}"
        table = self.query_one("#candidates", DataTable)
        if self.stage is None:
            self.query_one("#scoring-heading", Static).update("This campaign has no stages yet: add them in set-up (f2).")
            table.clear()
            return
        stage_name = next(s.name for s in campaign.stages if s.id == self.stage)
        member = next((m for m in campaign.panel if m.id == who), None)
        role = f" ({member.role})" if member else " (not on the panel: you can read, not score)"
        record = campaign.decision_at(self.stage)
        closed = ""
        if record is not None:  # a decided stage: its scores are closed, the chair's corrections asked why
            decider = next((m.name for m in campaign.panel if m.id == record.by), record.by)
            closed = f" · decided by {decider} on {record.at.date().isoformat()}: closed"
        self.query_one("#scoring-heading", Static).update(
            f"{stage_name}{closed} · scoring as {member.name if member else who}{role} · status {campaign.campaign.status}"
        )
        keep = self._current()
        counts = session.progress(self.stage)
        stopped = session.went_no_further(self.stage)
        not_mine = session.not_mine(self.stage)  # an allocated stage: my candidates only
        adjustments = session.sees_adjustments(self.stage)  # not a member's at a name-blind stage: no column at all
        panel = panel_done(campaign, self.stage) if session.is_chair else None  # the chair sees everyone's progress
        needle = folded(self.filter)
        rows: list[tuple[str | Text, ...]] = []
        for candidate in campaign.candidates:
            if candidate.id in not_mine:
                continue
            name = shown_name(campaign, candidate, self.stage)
            if needle and needle not in folded(f"{candidate.id} {name} {candidate.reference}"):
                continue
            done = counts[candidate.id]
            mark = "✓ " if done.done and done.total else ""
            went_no_further = stopped.get(candidate.id)
            conflict = campaign.declared(who, candidate.id) is not None
            cells = (
                candidate.id,
                name + (" (withdrawn)" if candidate.withdrawn else ""),
                "you declared a conflict" if conflict else went_no_further.words if went_no_further else f"{mark}{done.scored}/{done.total}",
                str(done.without_evidence or ""),
                *(
                    [f"{panel[candidate.id][0]}/{panel[candidate.id][1]}" if not (went_no_further or candidate.withdrawn) else ""]
                    if panel is not None
                    else []
                ),
                *([" ".join(candidate.adjustments.split())] if adjustments else []),
            )
            # Who is not scored here stays on the list, greyed, with the reason.
            rows.append(tuple(plain(cell, style="dim") for cell in cells) if went_no_further or candidate.withdrawn or conflict else cells)
        columns = [*self.COLUMNS[:4], *([self.PANEL] if panel is not None else []), *([self.COLUMNS[4]] if adjustments else [])]
        fit_columns(table, columns, [(str(row[0]), row) for row in rows], room_of(table))
        self._generation += 1
        self._add_rows(self._generation, rows, 0, keep)
        bare = sum(done.without_evidence for done in counts.values())
        note = f"{bare} of your scores at this stage have no evidence." if bare else ""
        if needle and not rows:
            note = f"No candidate matches {self.filter.strip()!r}: escape goes back to the list."
        self.query_one("#scoring-note", Static).update(note)

    COLUMNS = (
        Column("ID"),
        Column("Candidate", least=12, gives=3),
        Column("My scores", least=9, gives=2),
        Column("No evidence", short="No ev."),
        Column("Adjustments", least=11),
    )
    """Adjustments give way first, then the reason a candidate is not scored, then the name."""
    PANEL = Column("Panel done", short="Panel")
    """For the chair: how many of the candidate's readers have scored every criterion, of how many."""

    FIRST_ROWS = 120
    """Rows shown at once; the rest follow in batches, so 5,000 candidates never stall a key."""
    BATCH = 400

    def _add_rows(self, generation: int, rows: list[tuple[str | Text, ...]], start: int, keep: str | None) -> None:
        if generation != self._generation:
            return  # the list was redrawn (a search, a change) since this batch was planned
        table = self.query_one("#candidates", DataTable)
        size = self.FIRST_ROWS if start == 0 else self.BATCH
        for row in rows[start : start + size]:
            table.add_row(*plain_row(row), key=str(row[0]))
        if keep is not None and keep in table.rows and table.get_row_index(keep) >= start:
            table.move_cursor(row=table.get_row_index(keep))
        if start + size < len(rows):
            self.call_after_refresh(self._add_rows, generation, rows, start + size, keep)  # paint first, then more

    def _current(self) -> str | None:
        table = self.query_one("#candidates", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter = event.value
        self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#candidates", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_score()

    def action_move(self, step: int) -> None:
        """Move the cursor (j and k, as well as the arrows)."""
        table = self.query_one("#candidates", DataTable)
        table.move_cursor(row=table.cursor_row + step)

    def action_leave_search(self) -> None:
        """Leave the search box for the list, keeping what was typed."""
        if isinstance(self.focused, Input):
            self.query_one("#candidates", DataTable).focus()

    def action_search(self) -> None:
        """Type to narrow the list."""
        self.query_one("#filter", Input).focus()

    def action_next_stage(self) -> None:
        """Score another stage."""
        stages = [s.id for s in self.session.campaign.stages]
        if stages and self.stage in stages:
            self.stage = stages[(stages.index(self.stage) + 1) % len(stages)]
            self.show()

    def action_score(self) -> None:
        """Score the highlighted candidate."""
        from assessor.screens.score import ScoreScreen

        candidate_id = self._current()
        if candidate_id is None or self.stage is None:
            return
        candidate = next(c for c in self.session.campaign.candidates if c.id == candidate_id)
        if candidate.withdrawn:
            self.notify(f"{candidate_id} has withdrawn: there is nothing to score.", severity="warning")
            return
        if self.session.campaign.declared(self.session.who, candidate_id) is not None:
            self.notify(f"You declared a conflict of interest with {candidate_id}: you do not score them (d takes it back).", severity="warning")
            return
        stopped = self.session.went_no_further(self.stage)
        if candidate_id in stopped:
            self.notify(f"{candidate_id} {stopped[candidate_id].words}: they are not scored at this stage.", severity="warning")
            return
        self.app.push_screen(ScoreScreen(candidate_id, self.stage, self.session.scoring_order(self.stage)))

    def action_declare(self) -> None:
        """Declare a conflict of interest with the highlighted candidate (I know them), or take mine back."""
        from assessor.screens.dialogs import FormDialog, FormField

        candidate_id = self._current()
        if candidate_id is None:
            return
        withdraw = self.session.campaign.declared(self.session.who, candidate_id) is not None
        if withdraw:
            title, label = f"Take back your conflict of interest with {candidate_id}?", "Why it no longer stands"
        else:
            title, label = f"Declare a conflict of interest with {candidate_id}: you will not score them", "How you know them"

        def given(values: dict[str, str] | None) -> None:
            if values:
                self.session.declare(candidate=candidate_id, reason=values["reason"], withdraw=withdraw)

        self.app.push_screen(FormDialog(title, [FormField("reason", label, required=True, kind="multiline")]), given)
