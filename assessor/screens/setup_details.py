"""Set-up tab: the campaign's own details and the role."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.validation import Integer, Number
from textual.widgets import Input, Label, Select, Static, Switch

from assessor.changes.setup import set_detail, set_role_detail
from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.screens.base import CampaignWidget

# (input id, label, which table, field, kind)
TEXT_FIELDS = [
    ("detail-title", "Campaign title", "campaign", "title", "text"),
    ("detail-vacancies", "Vacancies", "campaign", "vacancies", "integer"),
    ("detail-pass-mark", "Overall pass mark (total; 0 for none)", "campaign", "overall_pass_mark", "number"),
    ("role-title", "Role title", "role", "title", "text"),
    ("role-grade", "Grade", "role", "grade", "text"),
    ("role-department", "Department or sector", "role", "department", "text"),
]


SAVED_ON_ENTER = "Changes are saved when you press enter or leave a field."


class DetailsPane(CampaignWidget, VerticalScroll):
    """Title, level, vacancies, pass mark, name-blind sift and the role; saved on enter or leaving a field."""

    _levels_of = ""  # the framework whose levels the Select holds

    def compose(self) -> ComposeResult:
        yield Static(SAVED_ON_ENTER, classes="pane-help", id="details-help")
        yield Label("Level the panel scores against")
        session = self.session
        framework = session.framework
        yield Select(level_options(framework), value=session.campaign.campaign.level, allow_blank=False, id="detail-level")
        self._levels_of = framework.id
        for field_id, label, _, _, kind in TEXT_FIELDS:
            yield Label(label)
            validators = {
                "integer": [Integer(minimum=1, failure_description="a whole number, 1 or more")],
                "number": [Number(minimum=0, failure_description="a number, 0 or more")],
            }.get(kind, [])
            yield Input(id=field_id, restrict={"integer": r"[0-9]*", "number": r"[0-9.]*"}.get(kind), validators=validators)
            yield Static("", classes="details-error", id=f"{field_id}-error", markup=False)
        yield Label("Name-blind sift (the panel sees references, not names, at the sift)")
        yield Switch(id="detail-blind")

    def show(self, campaign: Campaign, framework: Framework) -> None:
        """Show the campaign's values, leaving alone the field being typed in."""
        info = campaign.campaign
        if info.status == "final" or campaign.seal is not None:
            help_text = "The campaign is final and sealed: its set-up is shown here, and nothing in it changes."
        elif info.status != "setup":
            help_text = f"From the sift on the set-up is frozen; the chair's corrections ask for a reason. {SAVED_ON_ENTER}"
        else:
            help_text = SAVED_ON_ENTER
        self.query_one("#details-help", Static).update(help_text)
        level = self.query_one("#detail-level", Select)
        if self._levels_of != framework.id:
            level.set_options(level_options(framework))
            self._levels_of = framework.id
        with level.prevent(Select.Changed):
            level.value = info.level
        for field_id, _, table, field, _ in TEXT_FIELDS:
            widget = self.query_one(f"#{field_id}", Input)
            if widget.has_focus:
                continue
            value = getattr(info if table == "campaign" else info.role, field)
            widget.value = _as_text(value)
        blind = self.query_one("#detail-blind", Switch)
        with blind.prevent(Switch.Changed):
            blind.value = info.anonymise_sift

    def _commit(self, widget: Input) -> None:
        spec = next((spec for spec in TEXT_FIELDS if spec[0] == widget.id), None)
        if spec is None:
            return
        field_id, _, table, field, kind = spec
        error = self.query_one(f"#{field_id}-error", Static)
        result = widget.validate(widget.value)
        if result is not None and not result.is_valid:
            error.update("; ".join(result.failure_descriptions))
            return
        error.update("")
        value: Any = widget.value.strip()
        if kind == "integer":
            value = int(value or 0)
        elif kind == "number":
            value = float(value or 0)
        if table == "campaign":
            self.session.setup(set_detail, field, value)
        else:
            self.session.setup(set_role_detail, field, value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._commit(event.input)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self._commit(event.input)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "detail-level" and isinstance(event.value, int) and event.value != self.session.campaign.campaign.level:
            self.session.setup(set_detail, "level", event.value)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.session.setup(set_detail, "anonymise_sift", event.value)


def level_options(framework: Framework) -> list[tuple[str, int]]:
    """Levels as Select options: number and grades (`5 — Deputy Director`)."""
    return [(f"{lv.number} — {', '.join(lv.grades) or lv.name}", lv.number) for lv in framework.levels]


def _as_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
