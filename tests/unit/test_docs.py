"""The documentation keeps up with the code: every command and option is in docs/cli.md, every link lands."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from textual.binding import Binding

import assessor.screens
from assessor.cli import WRITING_COMMANDS, build_app_parser, build_parser
from tests.conftest import ROOT

DOCS = ROOT / "docs"
CLI_PAGE = DOCS / "cli.md"
PAGES = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]
README_MOST_LINES = 300


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's own parser, by name."""
    actions = [action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)]
    assert len(actions) == 1
    return dict(actions[0].choices)


def options(parser: argparse.ArgumentParser) -> list[str]:
    """The long options a parser takes, but help."""
    return [flag for action in parser._actions for flag in action.option_strings if flag.startswith("--") and flag != "--help"]


def rows_of(command: str, page: str) -> list[str]:
    """The lines of the command table that document `command`."""
    return [line for line in page.splitlines() if line.startswith(f"| `assessor {command} ")]


def test_every_command_has_a_row_in_the_command_table() -> None:
    page = CLI_PAGE.read_text()
    missing = [name for name in subcommands() if not rows_of(name, page)]
    assert missing == [], f"commands without a row in docs/cli.md: {missing}"


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_option_of_a_command_is_in_its_row(command: str) -> None:
    page = CLI_PAGE.read_text()
    row = "\n".join(rows_of(command, page))
    # --wait is documented once for every command that writes, in a paragraph naming them.
    wait_paragraph = next(block for block in page.split("\n\n") if "`--wait SECONDS`" in block)
    documented = [flag for flag in options(subcommands()[command]) if re.search(re.escape(flag) + r"(?![\w-])", row)]
    if command in WRITING_COMMANDS:
        assert f"`{command}" in wait_paragraph, f"the --wait paragraph does not name {command}"
        documented.append("--wait")
    missing = sorted(set(options(subcommands()[command])) - set(documented))
    assert missing == [], f"options of `assessor {command}` not in its row of docs/cli.md: {missing}"


def test_the_app_and_the_program_options_are_documented() -> None:
    page = CLI_PAGE.read_text()
    assert "`assessor [FILE] [--as PANEL_ID]`" in page
    for flag in [*options(build_app_parser()), "--version"]:
        assert flag in page, flag


def test_the_exit_codes_are_documented() -> None:
    page = CLI_PAGE.read_text()
    for code, meaning in ((0, "done"), (1, "bad input"), (2, "wrong usage")):
        assert f"{code} {meaning}" in page


KEY_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "slash": "/",
    "question_mark": "?",
    "less_than_sign": "<",
    "greater_than_sign": ">",
}
"""Textual's names of the keys the pages write as they are printed on the key."""


def screen_bindings() -> list[tuple[str, str, str]]:
    """(module, class, key) for every key binding of every screen, dialog and widget of the app."""
    found = []
    for info in pkgutil.iter_modules(assessor.screens.__path__):
        module = importlib.import_module(f"assessor.screens.{info.name}")
        for name, cls in vars(module).items():
            if isinstance(cls, type) and cls.__module__ == module.__name__ and "BINDINGS" in vars(cls):
                for binding in vars(cls)["BINDINGS"]:
                    if isinstance(binding, Binding):
                        found += [(info.name, name, key) for key in binding.key.split(",")]
    return found


def test_every_key_of_every_screen_is_in_the_readers_pages() -> None:
    pages = "\n".join((DOCS / name).read_text() for name in ("panel.md", "chair.md", "hr.md", "browser.md"))
    bindings = screen_bindings()
    assert len(bindings) > 50
    missing = []
    for module, cls, key in bindings:
        shown = KEY_NAMES.get(key, key)
        if key.isdigit() and 1 <= int(key) <= 7:
            shown = "1`…`7"  # the scale's keys are written as one range
        if f"`{shown}`" not in pages:
            missing.append(f"{module}.{cls}: {key}")
    assert missing == [], f"keys no page of docs/ names: {missing}"


def slug(heading: str) -> str:
    """The anchor a Markdown heading gets, as the common renderers make it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_link_between_the_pages_lands(page: Path) -> None:
    text = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", page.read_text(), flags=re.S))
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no such heading")
    assert broken == [], f"{page.name}: {broken}"


def test_the_readme_is_short_and_sends_each_reader_to_their_page() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= README_MOST_LINES
    for page in ("panel.md", "chair.md", "hr.md", "browser.md", "cli.md", "file-format.md", "performance.md", "design.md"):
        assert f"(docs/{page})" in readme, page
    for picture in re.findall(r"!\[[^]]*\]\(([^)]+)\)", readme):
        assert (ROOT / picture).exists(), picture
