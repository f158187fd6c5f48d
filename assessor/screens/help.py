"""Help: every key by screen (the key tables it is given), the 1-7 scale and the rules."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Markdown

from assessor.core.framework import Framework
from assessor.screens.keys import KeyTable

RULES = """\
## The rules of the summary

- The **agreed score** of a criterion is the chair's moderated score, or else the mean
  of the panel's scores (unmoderated). Moderation never changes the panel's scores.
- **Total** = sum of weight × agreed score over the criteria of the counted stages.
- A candidate **passes** when every counted criterion reaches its pass mark and the total
  reaches the overall pass mark (if set); is **incomplete** while a score is missing.
- Passed candidates are **ranked** by total; ties go to the lead criterion, then the
  tie-break criteria in order; a tie left after that shares the rank and is flagged.
- The first *vacancies* ranks are **appointable**, the rest **reserve**.
- **Flags**: a panel spread of 2 or more, a score without evidence, a disagreement not
  moderated, a tie not broken.
"""


def key_name(key: str) -> str:
    """A key as people read it: `?` for question_mark, `/` for slash, `f1` as it is."""
    named = {"slash": "/", "space": "space", "delete": "del", "enter": "enter", "escape": "esc", "tab": "tab"}
    if key in named:
        return named[key]
    character = key_to_character(key)
    return character if character and character.isprintable() else key


def _keys_table(title: str, bindings: list[Binding]) -> str:
    rows = [f"| `{binding.key_display or key_name(binding.key)}` | {binding.description} |" for binding in bindings if binding.description]
    return f"### {title}\n\n| key | does |\n|---|---|\n" + "\n".join(rows) + "\n"


def help_text(tables: list[KeyTable], framework: Framework | None) -> str:
    """The help page in Markdown: the key tables given, the 1-7 scale, and the rules."""
    parts = ["# Help\n", "Press `escape` to close.\n", "## Keys\n"]
    parts += [_keys_table(title, bindings) for title, bindings in tables]
    if framework is not None:
        parts.append("## The 1–7 scale\n")
        parts += [f"- **{point.score} {point.label}**: {point.meaning}" for point in framework.scale]
        parts.append("")
    parts.append(RULES)
    return "\n".join(parts)


class HelpScreen(ModalScreen[None]):
    """The help page over whatever was on screen."""

    BINDINGS = [Binding("escape", "dismiss", "Close", id="help-close"), Binding("f1", "dismiss", "Close", show=False, id="help-close-f1")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen > VerticalScroll { width: 100; max-width: 100%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, tables: list[KeyTable], framework: Framework | None) -> None:
        super().__init__()
        self.tables = tables
        self.framework = framework

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(help_text(self.tables, self.framework), id="help-text")

    def action_dismiss(self) -> None:
        self.dismiss(None)
