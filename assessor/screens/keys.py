"""The help page's key tables, read from the screens' own bindings so they cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding, BindingType

KeyTable = tuple[str, list[Binding]]
"""A heading and the keys under it."""


def key_tables(app_bindings: Sequence[BindingType]) -> list[KeyTable]:
    """Every screen's keys, the app's own first; the screens are imported only when help is asked for."""
    from assessor.screens.moderation import ModerationScreen
    from assessor.screens.picker import PickerScreen
    from assessor.screens.queue import QueueScreen
    from assessor.screens.score import ScoreScreen
    from assessor.screens.scoring_list import ScoringListScreen
    from assessor.screens.setup import SetupScreen
    from assessor.screens.setup_criteria import CriteriaPane
    from assessor.screens.setup_matrix import MatrixPane
    from assessor.screens.setup_people import CandidatesPane, PanelPane
    from assessor.screens.summary import SummaryScreen

    sections: list[tuple[str, Sequence[BindingType]]] = [
        ("Everywhere", [*app_bindings, Binding("ctrl+p", "", "Command palette: every action, and go to a candidate")]),
        ("Choosing a campaign", PickerScreen.BINDINGS),
        ("Set-up", SetupScreen.BINDINGS),
        ("Set-up: criteria", CriteriaPane.BINDINGS),
        ("Set-up: matrix", MatrixPane.BINDINGS),
        ("Set-up: panel", PanelPane.BINDINGS),
        ("Set-up: candidates", CandidatesPane.BINDINGS),
        ("Scoring: the list", ScoringListScreen.BINDINGS),
        ("Scoring a candidate", ScoreScreen.BINDINGS),
        ("Summary", SummaryScreen.BINDINGS),
        ("Moderation", ModerationScreen.BINDINGS),
        ("Moderation queue", QueueScreen.BINDINGS),
    ]
    return [(title, [binding for binding in bindings if isinstance(binding, Binding)]) for title, bindings in sections]
