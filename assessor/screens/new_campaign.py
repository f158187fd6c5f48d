"""The new-campaign dialog: a role template (or blank), framework, level, title, vacancies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Integer, Regex
from textual.widgets import Button, Input, Label, Select, Static

from assessor.changes.setup import slug
from assessor.screens.setup_details import level_options

if TYPE_CHECKING:
    from assessor.storage.reference import Catalogue

BLANK = "-blank-"


@dataclass(frozen=True)
class NewCampaign:
    """What the user asked for; the app makes the file."""

    template: str | None
    framework: str
    level: int
    title: str
    vacancies: int
    file_stem: str


class NewCampaignDialog(ModalScreen[NewCampaign | None]):
    """Choose a starting point for a campaign; the file goes in the campaigns folder."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new-cancel"),
        Binding("ctrl+s", "create", "Create", priority=True, id="new-create"),
    ]

    def __init__(self, folder: Path, catalogue: Catalogue) -> None:
        super().__init__()
        self.folder = folder
        self.catalogue = catalogue
        self.templates = {template.id: template for template in catalogue.templates}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New campaign", classes="dialog-title")
            with VerticalScroll(classes="dialog-fields"):
                yield from self._fields()
            yield Static("", classes="form-error", id="new-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create (ctrl+s)", variant="primary", id="create")
                yield Button("Cancel (esc)", id="cancel")

    def _fields(self) -> ComposeResult:
        templates = [(template.title, template.id) for template in self.catalogue.templates]
        frameworks = self.catalogue.frameworks
        yield Label("Start from")
        yield Select([*templates, ("Blank campaign", BLANK)], value=templates[0][1] if templates else BLANK, allow_blank=False, id="template")
        yield Label("Framework")
        first = "success-profiles" if "success-profiles" in frameworks else next(iter(frameworks))
        yield Select(
            [(framework.name, framework_id) for framework_id, framework in frameworks.items()], value=first, allow_blank=False, id="framework"
        )
        yield Label("Level")
        yield Select(level_options(frameworks[first]), allow_blank=False, id="level")
        yield Label("Title *")
        yield Input(id="title", placeholder="e.g. Head of Digital, Department for Education")
        yield Label("Vacancies")
        yield Input("1", restrict=r"[0-9]*", validators=[Integer(minimum=1, failure_description="at least 1")], id="vacancies")
        yield Label("File name (in the campaigns folder)")
        yield Input(id="file", validators=[Regex(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", failure_description="letters, digits, - _ . only")])

    def on_mount(self) -> None:
        self._follow_template()
        self.query_one("#template", Select).focus()

    def _follow_template(self) -> None:
        template = self.query_one("#template", Select).value
        framework_select = self.query_one("#framework", Select)
        if template != BLANK:
            chosen = self.templates[str(template)]
            framework_select.value = chosen.framework
            framework_select.disabled = True
            self.query_one("#title", Input).value = chosen.title
            self._fill_levels(chosen.framework, chosen.level)
        else:
            framework_select.disabled = False
            title = self.query_one("#title", Input)
            if title.value in {t.title for t in self.templates.values()}:  # a template's title is not a blank campaign's
                title.value = ""
            self._fill_levels(str(framework_select.value), None)

    def _fill_levels(self, framework_id: str, level: int | None) -> None:
        options = level_options(self.catalogue.frameworks[framework_id])
        select = self.query_one("#level", Select)
        select.set_options(options)
        select.value = level if level is not None else options[0][1]

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "template":
            self._follow_template()
        elif event.select.id == "framework" and self.query_one("#template", Select).value == BLANK:
            self._fill_levels(str(event.value), None)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#new-error", Static).update("")  # what was wrong is being put right: its message goes
        if event.input.id == "title":
            self.query_one("#file", Input).placeholder = f"{slug(event.value)}-{date.today().year}"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.dismiss(None)

    def action_create(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        vacancies = self.query_one("#vacancies", Input).value.strip() or "1"
        file_input = self.query_one("#file", Input)
        stem = file_input.value.strip().removesuffix(".toml") or file_input.placeholder
        error = self.query_one("#new-error", Static)
        if not title:
            error.update("A title is needed.")
            return
        if not vacancies.isdigit() or int(vacancies) < 1:
            error.update("Vacancies must be a whole number, 1 or more.")
            return
        if not stem or (self.folder / f"{stem}.toml").exists():
            error.update(f"{self.folder / (stem + '.toml')} already exists; choose another file name.")
            return
        template = self.query_one("#template", Select).value
        self.dismiss(
            NewCampaign(
                template=None if template == BLANK else str(template),
                framework=str(self.query_one("#framework", Select).value),
                level=int(self.query_one("#level", Select).value),  # type: ignore[arg-type]
                title=title,
                vacancies=int(vacancies),
                file_stem=stem,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
