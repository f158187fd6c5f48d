"""Start an app headless, exit as soon as its first screen is painted: timed from outside.

`python start_app.py bare` is the floor: a bare Textual app with one line of text.
`python start_app.py FILE` starts the assessor app on FILE and exits once the candidate
list (a DataTable with id `candidates`, wherever it sits on the first screen) has been
painted with its rows. Both run the real `App.run` with the headless driver.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argument: str) -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Static

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
    else:
        from assessor.app import AssessorApp

        original = DataTable.render_lines

        def render_lines(table, crop):
            lines = original(table, crop)
            if table.id == "candidates" and table.row_count:
                table.app.exit(0)
            return lines

        DataTable.render_lines = render_lines  # type: ignore[method-assign]
        app = AssessorApp(Path(argument), as_member="P1")  # the generated panel's chair: no who-are-you dialog

    def give_up() -> None:
        app.exit(3)

    app.call_later(lambda: app.set_timer(60, give_up))
    return app.run(headless=True, size=(120, 40)) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
