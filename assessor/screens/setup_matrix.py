"""Set-up tab: the assessment matrix, criteria x stages, and each stage's methods."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.validation import Integer, Number
from textual.widgets import DataTable, Static

from assessor.changes.setup import toggle_counted_stage
from assessor.changes.setup_criteria import (
    add_pre_sift,
    add_stage,
    move_stage,
    remove_stage,
    rename_stage,
    set_shortlist,
    set_stage_methods,
    toggle_criterion_stage,
)
from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.rules.summary_types import format_score
from assessor.screens.base import CampaignWidget
from assessor.screens.columns import fit_widths, plain, room_of
from assessor.screens.dialogs import ConfirmDialog, FormDialog, FormField, PickManyDialog

ASSESSED = "✓"
WHOLE = Integer(minimum=0, failure_description="a whole number, 0 or more")
AMOUNT = Number(minimum=0, failure_description="a number, 0 or more")
READERS = Integer(minimum=1, failure_description="a whole number, 1 or more")
PERCENT = Number(minimum=0, maximum=100, failure_description="0 to 100")


class MatrixPane(CampaignWidget, Vertical):
    """Which criteria each stage assesses, by which methods, and which stages count."""

    BINDINGS = [
        Binding("space", "toggle", "Assess here", id="matrix-toggle"),
        Binding("m", "methods", "Methods", id="matrix-methods"),
        Binding("c", "counted", "Counts", id="matrix-counted"),
        Binding("n", "new_stage", "New stage", id="matrix-new-stage"),
        Binding("r", "rename_stage", "Rename", id="matrix-rename-stage"),
        Binding("less_than_sign", "move_stage(-1)", "Move left", id="matrix-move-left"),
        Binding("greater_than_sign", "move_stage(1)", "Move right", id="matrix-move-right"),
        Binding("x", "remove_stage", "Remove stage", id="matrix-remove-stage"),
        Binding("p", "pre_sift", "Pre-sift", id="matrix-pre-sift"),
        Binding("s", "shortlist", "Shortlist", id="matrix-shortlist"),
        Binding("a", "allocate", "Allocate", id="matrix-allocate"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            "space assess the criterion at the stage under the cursor · m the stage's selection methods · "
            "c count the stage for the merit list · n new stage · r rename · < > move · x remove stage · "
            "p add a pre-sift on the lead criterion · s the stage's shortlist cut · a allocate the stage among the panel (the chair)",
            classes="pane-help",
        )
        yield DataTable(id="matrix-table", cursor_type="cell", classes="pane-table")
        yield Static("", id="stage-methods", classes="pane-help")

    def on_resize(self) -> None:
        self.show(self.session.campaign, self.session.framework)

    def show(self, campaign: Campaign, framework: Framework) -> None:
        """Draw the grid, keeping the cursor on the same cell."""
        table = self.query_one("#matrix-table", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        counted = set(campaign.counted_stages)
        labels = [f"{stage.name}{' (counts)' if stage.id in counted else ''}" for stage in campaign.stages]
        # The criteria's names give way (down to 14) before a stage's column does.
        natural = max([len("Criterion"), *(len(criterion.name) for criterion in campaign.criteria)])
        width = fit_widths([natural, *map(len, labels)], [min(natural, 14), *map(len, labels)], room_of(table))[0]
        table.add_column("Criterion", key="criterion", width=width)
        for stage, label in zip(campaign.stages, labels, strict=True):
            table.add_column(label, key=stage.id)
        for criterion in campaign.criteria:
            cells = [ASSESSED if stage.id in criterion.stages else "" for stage in campaign.stages]
            table.add_row(plain(criterion.name), *cells, key=criterion.id)
        if campaign.criteria and campaign.stages:
            table.move_cursor(row=min(cursor.row, len(campaign.criteria) - 1), column=min(max(cursor.column, 1), len(campaign.stages)))
        names = {method.id: method.name for method in framework.methods}
        lines = []
        for stage in campaign.stages:
            methods = ", ".join(names.get(m, m) for m in stage.methods) or "no methods chosen"
            cut = []
            if stage.shortlist:
                cut.append(f"best {stage.shortlist} go on")
            if stage.shortlist_mark:
                cut.append(f"total of {format_score(stage.shortlist_mark)} to go on")
            readers = sum(1 for row in campaign.allocation if row.stage == stage.id)
            extra = [*cut, *([f"allocated: {readers} readings"] if readers else [])]
            counts = " — counts for the merit list" if stage.id in counted else ""
            lines.append(f"{stage.name}: {methods}{counts}{' · ' + ', '.join(extra) if extra else ''}")
        self.query_one("#stage-methods", Static).update("\n".join(lines) or "No stages: press n to add one.")

    def _cell(self) -> tuple[str | None, str | None]:
        """(criterion id, stage id) under the cursor; the stage is None on the name column."""
        table = self.query_one("#matrix-table", DataTable)
        if table.row_count == 0 and len(table.columns) <= 1:
            return None, None
        stages = self.session.campaign.stages
        column = table.cursor_coordinate.column
        stage = stages[column - 1].id if 1 <= column <= len(stages) else None
        criterion = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        return criterion, stage

    def _stage(self) -> str | None:
        stages = self.session.campaign.stages
        column = self.query_one("#matrix-table", DataTable).cursor_coordinate.column
        if not stages:
            return None
        return stages[min(max(column - 1, 0), len(stages) - 1)].id

    def action_toggle(self) -> None:
        """Assess the criterion at the stage under the cursor, or stop."""
        criterion, stage = self._cell()
        if criterion is None or stage is None:
            self.notify("Move to a stage's column to toggle it.")
            return
        self.session.setup(toggle_criterion_stage, criterion, stage)

    def action_methods(self) -> None:
        """Choose the selection methods of the stage under the cursor."""
        stage_id = self._stage()
        if stage_id is None:
            return
        campaign, framework = self.session.campaign, self.session.framework
        stage = next(s for s in campaign.stages if s.id == stage_id)
        options = [(f"{method.name} — suits {', '.join(method.elements)}", method.id) for method in framework.methods]

        def picked(methods: list[str] | None) -> None:
            if methods is not None:
                self.session.setup(set_stage_methods, stage_id, methods)

        self.app.push_screen(PickManyDialog(f"Selection methods at {stage.name}", options, stage.methods), picked)

    def action_counted(self) -> None:
        """Count the stage under the cursor for the merit list, or stop counting it."""
        if (stage := self._stage()) is not None:
            self.session.setup(toggle_counted_stage, stage)

    def action_new_stage(self) -> None:
        """Add a stage at the end."""

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.setup(add_stage, values["name"])

        self.app.push_screen(FormDialog("New stage", [FormField("name", "Name", required=True, placeholder="e.g. Assessment centre")]), filled)

    def action_rename_stage(self) -> None:
        """Rename the stage under the cursor (scores keep pointing at it)."""
        stage_id = self._stage()
        if stage_id is None:
            return
        stage = next(s for s in self.session.campaign.stages if s.id == stage_id)

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.setup(rename_stage, stage_id, values["name"])

        self.app.push_screen(FormDialog(f"Rename {stage.name}", [FormField("name", "Name", stage.name, required=True)]), filled)

    def action_move_stage(self, step: int) -> None:
        """Move the stage under the cursor earlier or later."""
        if (stage := self._stage()) is not None and self.session.setup(move_stage, stage, step):
            table = self.query_one("#matrix-table", DataTable)
            table.move_cursor(column=table.cursor_coordinate.column + step)

    def action_remove_stage(self) -> None:
        """Remove the stage under the cursor, after asking."""
        stage_id = self._stage()
        if stage_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.session.setup(remove_stage, stage_id)

        name = next((s.name for s in self.session.campaign.stages if s.id == stage_id), stage_id)
        self.app.push_screen(ConfirmDialog(f"Remove the stage {name}?", yes="Remove"), answered)

    def action_pre_sift(self) -> None:
        """Add a first stage that assesses the lead criterion alone."""
        self.session.setup(add_pre_sift)

    def action_shortlist(self) -> None:
        """Set the shortlist cut of the stage under the cursor: the best N, a total to reach, or both."""
        stage_id = self._stage()
        if stage_id is None:
            return
        stage = next(s for s in self.session.campaign.stages if s.id == stage_id)
        fields = [
            FormField("shortlist", "At most this many go on (0: no cut)", str(stage.shortlist or 0), kind="integer", validators=[WHOLE]),
            FormField("mark", "A stage total needed to go on (0: none)", format_score(stage.shortlist_mark or 0), kind="number", validators=[AMOUNT]),
        ]

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.setup(set_shortlist, stage_id, int(values["shortlist"] or 0), float(values["mark"] or 0))

        self.app.push_screen(FormDialog(f"Shortlist at {stage.name}", fields), filled)

    def action_allocate(self) -> None:
        """The chair allocates the stage under the cursor among the whole panel."""
        stage_id = self._stage()
        if stage_id is None:
            return
        stage = next(s for s in self.session.campaign.stages if s.id == stage_id)
        fields = [
            FormField("readers", "Sifters who read each application", "1", kind="integer", required=True, validators=[READERS]),
            FormField("second", "Second marking: percent of each sifter's also read by another", "10", kind="number", validators=[PERCENT]),
        ]

        def filled(values: dict[str, str] | None) -> None:
            if values:
                readers, second = int(values["readers"]), float(values["second"] or 0)
                if self.session.allocate(stage=stage_id, readers=readers, second_marking=second):
                    self.notify(self.session.campaign.audit[-1].what)

        self.app.push_screen(FormDialog(f"Allocate {stage.name} among the panel", fields), filled)
