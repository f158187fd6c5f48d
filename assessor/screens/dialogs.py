"""Typed dialogs shared by the screens: confirm, a small form, and a choice with a preview."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.validation import Validator
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question; `escape` means no."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="dialog-cancel"),
        Binding("y", "answer(True)", "Yes", id="dialog-yes"),
        Binding("n", "answer(False)", "No", show=False, id="dialog-no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, classes="dialog-detail", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button("Cancel (esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


@dataclass
class FormField:
    """One field of a `FormDialog`."""

    key: str
    label: str
    value: str = ""
    kind: str = "text"  # text | integer | number | select | multiline
    options: Sequence[tuple[str, str]] = ()
    required: bool = False
    validators: list[Validator] = field(default_factory=list)
    placeholder: str = ""


class FormDialog(ModalScreen[dict[str, str] | None]):
    """A few labelled fields; returns their values, or None when cancelled.

    Each field shows its problem under it as the user types; `check` may refuse the
    whole form with a message (e.g. a duplicate id) without closing it.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel"),
        Binding("ctrl+s", "submit", "Save", priority=True, id="dialog-save"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        check: Callable[[dict[str, str]], str | None] | None = None,
        *,
        save: str = "Save",
        detail: str = "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.detail = detail
        """Longer text under the fields (what finalising leaves open): it scrolls with them, so the buttons stay in view."""
        self.fields = fields
        self.check = check
        self.save_label = save
        """What the save button says it does ("Seal the campaign")."""

    def on_mount(self) -> None:
        # The first field takes the first key typed: no tab needed before typing.
        if self.fields:
            first = self.query_one(f"#field-{self.fields[0].key}")
            first.focus()
            if isinstance(first, TextArea):  # what is written goes on after what was there
                first.move_cursor(first.document.end)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.form_title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-fields"):
                for spec in self.fields:
                    yield Label(spec.label + (" *" if spec.required else ""), classes="field-label")
                    if spec.kind == "select":
                        yield Select(
                            [(label, value) for label, value in spec.options],
                            value=spec.value or Select.NULL,
                            allow_blank=not spec.required,
                            id=f"field-{spec.key}",
                        )
                    elif spec.kind == "multiline":
                        yield TextArea(spec.value, id=f"field-{spec.key}", classes="field-multiline")
                    else:
                        restrict = {"integer": r"[0-9]*", "number": r"[0-9.]*"}.get(spec.kind)
                        yield Input(spec.value, placeholder=spec.placeholder, restrict=restrict, validators=spec.validators, id=f"field-{spec.key}")
                    yield Static("", classes="field-error", id=f"error-{spec.key}", markup=False)
                if self.detail:  # after the fields: the first of them, where typing goes, is in view
                    yield Static(self.detail, classes="dialog-detail", markup=False)
            yield Static("", classes="form-error", id="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.save_label} (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_input_changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("field-")
        message = ""
        if event.validation_result is not None and not event.validation_result.is_valid:
            message = "; ".join(event.validation_result.failure_descriptions)
        self.query_one(f"#error-{key}", Static).update(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_submit()
        else:
            self.dismiss(None)

    def values(self) -> dict[str, str]:
        """The fields' current values as text."""
        out: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.key}")
            if isinstance(widget, Select):
                out[spec.key] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, TextArea):
                out[spec.key] = widget.text
            else:
                assert isinstance(widget, Input)
                out[spec.key] = widget.value.strip()
        return out

    def action_submit(self) -> None:
        values = self.values()
        problems = []
        for spec in self.fields:
            if spec.required and not values[spec.key].strip():
                problems.append((spec.key, "required"))
            widget = self.query_one(f"#field-{spec.key}")
            if isinstance(widget, Input) and values[spec.key]:
                result = widget.validate(widget.value)
                if result is not None and not result.is_valid:
                    problems.append((spec.key, "; ".join(result.failure_descriptions)))
        for spec in self.fields:
            self.query_one(f"#error-{spec.key}", Static).update(next((m for k, m in problems if k == spec.key), ""))
        if problems:
            self.query_one("#form-error", Static).update("Please correct the fields marked above.")
            return
        refusal = self.check(values) if self.check else None
        if refusal:
            self.query_one("#form-error", Static).update(refusal)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseDialog(ModalScreen[str | None]):
    """Choose one option from a list, with a preview of the highlighted one."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], preview: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.choose_title = title
        self.options = options
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide" if self.preview is not None else "dialog dialog-list"):
            yield Static(self.choose_title, classes="dialog-title", markup=False)
            with Horizontal(classes="choose-body"):
                yield OptionList(*(Option(Content(label), id=value) for label, value in self.options), id="choices")  # plain text, never markup
                if self.preview is not None:
                    with VerticalScroll(classes="choose-preview"):
                        yield Static("", id="preview", markup=False)
            yield Static("enter: choose · esc: cancel", classes="dialog-detail")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.preview is not None and event.option.id is not None:
            self.query_one("#preview", Static).update(self.preview(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TickList(SelectionList[str]):
    """A selection list whose ticked rows show a check mark, not only another colour."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER and index < self.option_count:
            ticked = self.get_option_at_index(index).value in self.selected
            segments[1] = Segment("✓" if ticked else " ", segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip


class PickManyDialog(ModalScreen[list[str] | None]):
    """Tick any number of options (space toggles); returns the ticked values."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel"),
        Binding("ctrl+s", "submit", "Save", priority=True, id="dialog-save"),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], chosen: Sequence[str]) -> None:
        super().__init__()
        self.pick_title = title
        self.options = options
        self.chosen = set(chosen)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.pick_title, classes="dialog-title", markup=False)
            yield TickList(*((label, value, value in self.chosen) for label, value in self.options), id="picks")
            yield Static("space: tick or untick · ctrl+s: save · esc: cancel", classes="dialog-detail")

    def action_submit(self) -> None:
        self.dismiss(list(self.query_one("#picks", SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)


def values_as(values: dict[str, str], key: str, kind: type, default: Any = None) -> Any:
    """A form value converted (int or float), or `default` when empty."""
    text = values.get(key, "").strip()
    return kind(text) if text else default
