"""Set-up tab: the criteria, with the framework's summary and the level's indicators beside them."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.validation import Integer, Number
from textual.widgets import DataTable, Static

from assessor.changes.setup_criteria import (
    add_behaviour,
    add_other_criterion,
    remove_criterion,
    set_lead,
    toggle_tie_break,
    update_criterion,
)
from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.screens.base import CampaignWidget
from assessor.screens.columns import Column, fitted_table, room_of
from assessor.screens.dialogs import ChooseDialog, ConfirmDialog, FormDialog, FormField, values_as


def describe_item(framework: Framework, item_id: str, level: int) -> str:
    """A framework item's summary and its indicators at `level`, as text for a side panel."""
    item = framework.item(item_id)
    if item is None:
        return ""
    indicators = framework.indicators(item_id, level)
    lines = [item.name, "", item.summary, "", f"At {framework.level_name.lower()} {level}:"]
    lines += [f"• {sentence}" for sentence in indicators] or ["(no indicators for this level)"]
    return "\n".join(lines)


class CriteriaPane(CampaignWidget, Vertical):
    """The criteria the panel scores, their pass marks, weights, lead and tie-break order."""

    BINDINGS = [
        Binding("a", "add_behaviour", "Add behaviour", id="criteria-add-behaviour"),
        Binding("o", "add_other", "Add other", id="criteria-add-other"),
        Binding("e", "edit", "Edit", id="criteria-edit"),
        Binding("l", "lead", "Lead", id="criteria-lead"),
        Binding("t", "tie_break", "Tie-break", id="criteria-tie-break"),
        Binding("delete", "remove", "Remove", id="criteria-remove"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            "a add a behaviour · o add a strength, ability, experience or technical criterion · e edit pass mark and weight · "
            "l make lead · t add to / take out of the tie-break order · del remove",
            classes="pane-help",
        )
        with Horizontal(classes="pane-body"):
            yield DataTable(id="criteria-table", cursor_type="row", classes="pane-table")
            with VerticalScroll(classes="pane-side"):
                yield Static("", id="criterion-detail", markup=False)

    COLUMNS = (
        Column("Criterion", least=20),
        Column("Element", least=6, gives=2),
        Column("Stages", least=8, gives=2),
        Column("Pass"),
        Column("Weight"),
        Column("Ties", least=5, gives=2),
    )
    """A long name gives way first, down to 20; then the element, the stages and the tie-break words."""

    def on_resize(self) -> None:
        self.show(self.session.campaign, self.session.framework)

    def show(self, campaign: Campaign, framework: Framework) -> None:
        """List the criteria, keeping the cursor where it was."""
        table = self.query_one("#criteria-table", DataTable)
        row = table.cursor_row
        tie_break = campaign.campaign.tie_break
        rows = []
        for criterion in campaign.criteria:
            ties = "lead" if criterion.lead else (f"tie-break {tie_break.index(criterion.id) + 1}" if criterion.id in tie_break else "")
            cells = [criterion.name, criterion.element, ", ".join(criterion.stages), str(criterion.pass_mark), f"{criterion.weight:g}", ties]
            rows.append((criterion.id, cells))
        fitted_table(table, self.COLUMNS, rows, room_of(table))
        if campaign.criteria:
            table.move_cursor(row=min(row, len(campaign.criteria) - 1))
        self._show_detail()

    def _current(self) -> str | None:
        table = self.query_one("#criteria-table", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#criterion-detail", Static)
        criterion_id = self._current()
        campaign, framework = self.session.campaign, self.session.framework
        criterion = next((c for c in campaign.criteria if c.id == criterion_id), None)
        if criterion is None:
            detail.update("No criteria yet: press a to add a behaviour from the framework.")
        elif framework.item(criterion.id) is not None:
            detail.update(describe_item(framework, criterion.id, campaign.campaign.level))
        else:
            detail.update(f"{criterion.name} ({criterion.element})\n\n{criterion.description or 'No description.'}")

    def action_add_behaviour(self) -> None:
        """Choose a behaviour from the framework, reading its indicators at the level."""
        campaign, framework = self.session.campaign, self.session.framework
        chosen = {c.id for c in campaign.criteria}
        options = [
            (f"{item.name}  [{item.cluster}]" if item.cluster else item.name, item.id) for item in framework.behaviours if item.id not in chosen
        ]
        if not options:
            self.notify("Every behaviour of the framework is already a criterion.")
            return
        level = campaign.campaign.level

        def picked(item_id: str | None) -> None:
            if item_id:
                self._add(lambda: self.session.setup(add_behaviour, item_id))

        self.app.push_screen(
            ChooseDialog(f"Add a behaviour (indicators at level {level})", options, lambda i: describe_item(framework, i, level)), picked
        )

    def action_add_other(self) -> None:
        """Add a criterion of another element by name (strength, ability, experience, technical: the framework's order)."""
        framework = self.session.framework
        elements = [(e.name, e.id) for e in framework.elements if e.id not in framework.item_elements]
        fields = [
            FormField("element", "Element", elements[0][1] if elements else "", "select", elements, required=True),
            FormField("name", "Name", required=True, placeholder="e.g. Experience of leading digital services"),
            FormField("description", "What the panel looks for", kind="multiline"),
        ]

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self._add(
                    lambda: self.session.setup(add_other_criterion, element=values["element"], name=values["name"], description=values["description"])
                )

        self.app.push_screen(FormDialog("Add a criterion", fields), filled)

    def _add(self, change: Callable[[], bool]) -> None:
        """Make an adding change; the criterion added is then the highlighted row, in view, and the table keeps the keys."""
        before = {criterion.id for criterion in self.session.campaign.criteria}
        table = self.query_one("#criteria-table", DataTable)
        if change():
            self.show(self.session.campaign, self.session.framework)
            added = next((c.id for c in self.session.campaign.criteria if c.id not in before), None)
            if added is not None:
                table.move_cursor(row=table.get_row_index(added))
        table.focus()

    def action_edit(self) -> None:
        """Change the highlighted criterion's pass mark and weight (and text, if not a behaviour)."""
        criterion_id = self._current()
        campaign, framework = self.session.campaign, self.session.framework
        criterion = next((c for c in campaign.criteria if c.id == criterion_id), None)
        if criterion is None:
            return
        fields = [
            FormField(
                "pass_mark",
                "Pass mark (1-7)",
                str(criterion.pass_mark),
                "integer",
                required=True,
                validators=[Integer(minimum=1, maximum=7, failure_description="1 to 7")],
            ),
            FormField(
                "weight",
                "Weight (multiplies the agreed score in the total)",
                f"{criterion.weight:g}",
                "number",
                required=True,
                validators=[Number(minimum=0.01, failure_description="more than 0")],
            ),
        ]
        own = framework.item(criterion.id) is None
        if own:
            fields += [
                FormField("name", "Name", criterion.name, required=True),
                FormField("description", "What the panel looks for", criterion.description, "multiline"),
            ]

        def filled(values: dict[str, str] | None) -> None:
            if values:
                changes = {"pass_mark": values_as(values, "pass_mark", int), "weight": values_as(values, "weight", float)}
                if own:
                    changes |= {"name": values["name"], "description": values["description"]}
                self.session.setup(update_criterion, criterion.id, **changes)

        self.app.push_screen(FormDialog(f"Edit {criterion.name}", fields), filled)

    def action_lead(self) -> None:
        """Make the highlighted criterion the lead criterion."""
        if (criterion_id := self._current()) is not None:
            self.session.setup(set_lead, criterion_id)

    def action_tie_break(self) -> None:
        """Add the highlighted criterion to the end of the tie-break order, or take it out."""
        if (criterion_id := self._current()) is not None:
            self.session.setup(toggle_tie_break, criterion_id)

    def action_remove(self) -> None:
        """Remove the highlighted criterion, after asking."""
        criterion_id = self._current()
        if criterion_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.session.setup(remove_criterion, criterion_id)

        name = next((c.name for c in self.session.campaign.criteria if c.id == criterion_id), criterion_id)
        self.app.push_screen(ConfirmDialog(f"Remove the criterion {name}?", yes="Remove"), answered)
