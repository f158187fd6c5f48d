"""Start an app headless, exit as soon as its first screen is painted: timed from outside.

`python start_app.py bare` is the floor: a bare Textual app with one line of text.
`python start_app.py widgets` is the floor for this screen: a bare app with the scoring
list's widgets (header, search box, a table of 20 rows, footer) that also imports pydantic
and validates one model, as any app built on the two must before its first screen.
`python start_app.py FILE` starts the assessor app on FILE and exits once the candidate
list (a DataTable with id `candidates`, wherever it sits on the first screen) has been
painted with its rows. Both run the real `App.run` with the headless driver.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argument: str) -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input, Static

    original = DataTable.render_lines

    def render_lines(table, crop):
        lines = original(table, crop)
        if table.id == "candidates" and table.row_count:
            table.app.exit(0)
        return lines

    if argument == "bare":

        class Ready(Static):
            def render_lines(self, crop):
                lines = super().render_lines(crop)
                self.app.exit(0)
                return lines

        class Bare(App[int]):
            def compose(self) -> ComposeResult:
                yield Ready("ready")

        app: App = Bare()
    elif argument == "widgets":
        from pydantic import BaseModel

        class Row(BaseModel):
            id: str
            name: str

        class Widgets(App[int]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("Interview · scoring as P1")
                yield Input(placeholder="search")
                yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
                yield Static("")
                yield Footer()

            def on_mount(self) -> None:
                table = self.query_one(DataTable)
                table.add_columns("ID", "Candidate", "My scores", "No evidence", "Adjustments")
                for index in range(1, 21):
                    row = Row.model_validate({"id": f"C{index:03}", "name": f"Candidate {index}"})
                    table.add_row(row.id, row.name, "0/6", "", "", key=row.id)

        DataTable.render_lines = render_lines  # type: ignore[method-assign]
        app = Widgets()
    else:
        from assessor.app import AssessorApp

        DataTable.render_lines = render_lines  # type: ignore[method-assign]
        app = AssessorApp(Path(argument), as_member="P1")  # the generated panel's chair: no who-are-you dialog

    def give_up() -> None:
        app.exit(3)

    app.call_later(lambda: app.set_timer(60, give_up))
    return app.run(headless=True, size=(120, 40)) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
