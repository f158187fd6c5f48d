"""The shape of the code that a newcomer relies on: small modules, packages that say what
they hold, screens typed against the app, and no import cycles.

The layers themselves are held by the import-linter contracts in pyproject.toml, which
`make check` runs; these tests hold what a contract cannot say.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

from tests.conftest import ROOT

PACKAGE = ROOT / "assessor"
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_400_lines() -> None:
    long = {str(path.relative_to(ROOT)): count for path in modules() if (count := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_every_package_says_what_lives_there_and_what_it_may_import() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text()))
        assert docstring, f"{init.relative_to(ROOT)} has no docstring"
        if init.parent != PACKAGE:
            assert "import" in docstring.lower(), f"{init.relative_to(ROOT)} does not say what it may import"


def test_screens_reach_the_app_without_ignoring_its_type() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((PACKAGE / "screens").glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "type: ignore[attr-defined]" in line
    ]
    assert found == []


def test_no_import_cycles_between_modules() -> None:
    """Module by module, not only package by package: imports made only for type checking aside."""
    graph = grimp.build_graph("assessor", exclude_type_checking_imports=True)
    names = sorted(graph.modules)
    # Tarjan's strongly connected components: any component of more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in names:
        if name not in index:
            visit(name)
    assert cycles == []
