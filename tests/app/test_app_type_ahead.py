"""Type-ahead: a burst of keys, sent without waiting between them as a fast typist on a busy
machine sends them, lands where each was meant: no letter of the evidence becomes a command,
no digit of it a score, and a screen opened by a key gets the keys typed after it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual import events

from assessor.app import AssessorApp
from assessor.screens.score import ScoreScreen
from assessor.screens.scoring_list import ScoringListScreen
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import settle, wait_for
from tests.conftest import EXAMPLE

EVIDENCE = "Led 3 teams; 4 of 7 goals met. e u ] [ j k n 5"
"""Digits, and letters that are the criteria list's and the score screen's keys."""

NAMED = {" ": "space", ";": "semicolon", ".": "full_stop", "]": "right_square_bracket", "[": "left_square_bracket"}


ALT = {"alt+j": "j"}
"""Keys as a terminal reads escape and a letter that come in one go: as alt and the letter."""


def burst(app: AssessorApp, keys: list[str]) -> None:
    """Send every key at once through the driver, as a terminal delivers a burst: none waits for
    the one before to be dealt with (Pilot's `press` waits for the app to be idle after each)."""
    assert app._driver is not None
    for key in keys:
        if len(key) == 1:
            event = events.Key(NAMED.get(key, key), key)
        else:
            event = events.Key(key, ALT.get(key, "\t" if key == "tab" else None))
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.fixture
def unscored(tmp_path: Path) -> Path:
    """The example with whitfield's interview scores taken out: they score the interview from the start."""
    path = tmp_path / "hod.toml"
    shutil.copyfile(EXAMPLE, path)
    campaign = load_campaign(path)
    kept = [s for s in campaign.scores if not (s.assessor == "whitfield" and s.stage == "interview")]
    save_campaign(campaign.model_copy(update={"scores": kept}), path)
    return path


def whitfields(path_or_app: object) -> dict[tuple[str, str, str], tuple[int, str]]:
    campaign = load_campaign(path_or_app) if isinstance(path_or_app, Path) else path_or_app.session.campaign  # type: ignore[attr-defined]
    return {(s.candidate, s.criterion, s.stage): (s.score, s.evidence) for s in campaign.scores if s.assessor == "whitfield"}


@pytest.mark.parametrize("size", [(80, 24), (140, 45)], ids=["80x24", "140x45"])
async def test_a_burst_of_open_score_evidence_next_and_score_lands_where_it_was_typed(unscored: Path, size: tuple[int, int]) -> None:
    app = AssessorApp(unscored, as_member="whitfield")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ScoringListScreen)
        before = whitfields(unscored)
        burst(app, ["enter", "5", "tab", *EVIDENCE, "escape", "j", "6", "escape"])
        await wait_for(pilot, lambda: len(whitfields(app)) == len(before) + 2 and isinstance(app.screen, ScoringListScreen), tries=600)
        await settle(app, pilot)
        await pilot.press("ctrl+q")
    after = whitfields(unscored)
    new = sorted(after.keys() - before.keys())
    criteria = [c.id for c in load_campaign(unscored).criteria if "interview" in c.stages]
    first_candidate = load_campaign(unscored).candidates[0].id
    assert new == sorted([(first_candidate, criteria[0], "interview"), (first_candidate, criteria[1], "interview")])
    assert after[(first_candidate, criteria[0], "interview")] == (5, EVIDENCE)
    assert after[(first_candidate, criteria[1], "interview")] == (6, "")
    assert {key: after[key] for key in before} == before  # nobody's other score changed


async def test_escape_and_a_letter_read_as_one_alt_key_leave_the_evidence_and_act(unscored: Path) -> None:
    app = AssessorApp(unscored, as_member="whitfield")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        before = whitfields(unscored)
        burst(app, ["enter", "5", "tab", *EVIDENCE, "alt+j", "6", "escape"])  # escape then j, read as alt+j
        await wait_for(pilot, lambda: len(whitfields(app)) == len(before) + 2 and isinstance(app.screen, ScoringListScreen), tries=600)
        await settle(app, pilot)
        await pilot.press("ctrl+q")
    after = whitfields(unscored)
    criteria = [c.id for c in load_campaign(unscored).criteria if "interview" in c.stages]
    first_candidate = load_campaign(unscored).candidates[0].id
    assert after[(first_candidate, criteria[0], "interview")] == (5, EVIDENCE)  # no j typed into the evidence
    assert after[(first_candidate, criteria[1], "interview")] == (6, "")


def test_no_key_of_the_app_is_alt_and_a_letter() -> None:
    """alt and a letter (or another printable key) are taken as escape then the letter (`key_order`): so none is bound."""
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.keys import key_to_character

    import assessor.screens

    modules = [importlib.import_module(f"assessor.screens.{found.name}") for found in pkgutil.iter_modules(assessor.screens.__path__)]
    nodes = [AssessorApp, *(node for module in modules for node in vars(module).values() if isinstance(node, type) and issubclass(node, DOMNode))]
    keys = [
        key.strip() for node in nodes for binding in node.BINDINGS for key in (binding.key if isinstance(binding, Binding) else binding[0]).split(",")
    ]
    assert len(keys) > 50 and "escape" in keys
    typed_with_alt = [key for key in keys if key.startswith("alt+") and ((c := key_to_character(key[4:])) is None or c.isprintable())]
    assert typed_with_alt == []  # the text boxes' alt+backspace and alt+delete still reach them


async def test_keys_typed_as_a_dialog_opens_go_into_it(unscored: Path) -> None:
    from assessor.screens.dialogs import FormDialog

    app = AssessorApp(unscored, as_member="whitfield")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, ["enter", "5", "n", *"Asked about 3 teams", "ctrl+s"])
        await wait_for(pilot, lambda: any(note.assessor == "whitfield" for note in app.session.campaign.notes), tries=600)  # type: ignore[union-attr]
        await settle(app, pilot)
        assert not isinstance(app.screen, FormDialog)
        (note,) = [note for note in app.session.campaign.notes if note.assessor == "whitfield"]  # type: ignore[union-attr]
        assert note.text == "Asked about 3 teams"
        assert isinstance(app.screen, ScoreScreen)
        await pilot.press("ctrl+q")
