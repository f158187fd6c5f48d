"""The README's pictures: `docs/pictures.py` run into a temporary folder, each picture read
as a reader sees it (the SVG's text put back on the screen's rows and columns)."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import ModuleType

import pytest

from assessor.storage.campaign_file import load_campaign
from assessor.storage.reference import load_framework
from tests.conftest import EXAMPLE, ROOT

SVG = "{http://www.w3.org/2000/svg}"


def load_script() -> ModuleType:
    """docs/pictures.py as a module (the docs folder is not a package)."""
    spec = importlib.util.spec_from_file_location("pictures", ROOT / "docs" / "pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def screen_rows(path: Path) -> list[str]:
    """The terminal's rows as text: each piece of text put back at its column (blank cells are not text in the SVG)."""
    pieces: dict[int, dict[int, str]] = {}
    width = 0.0
    for element in ElementTree.parse(path).iter(f"{SVG}text"):
        row = re.search(r"line-(\d+)\)", element.get("clip-path", ""))
        text = (element.text or "").replace("\xa0", " ").rstrip("\n")
        if row is None or not text:
            continue
        width = width or float(element.get("textLength", "0")) / len(text)
        pieces.setdefault(int(row.group(1)), {})[round(float(element.get("x", "0")) / width)] = text
    rows = []
    for number in range(max(pieces) + 1):
        cells: list[str] = []
        for column, text in sorted(pieces.get(number, {}).items()):
            cells += [" "] * (column - len(cells))
            cells[column : column + len(text)] = text
        rows.append("".join(cells).rstrip())
    return rows


def block_from(rows: list[str], start: str) -> str:
    """The text of a box that begins with `start`: its first row and the rows under it, from the same column, as one line."""
    first = next(index for index, row in enumerate(rows) if start in row)
    column = rows[first].index(start)
    return " ".join(row[column:].strip(" ▎▊▌▐") for row in rows[first:] if row[column:].strip(" ▎▊▌▐"))


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    """The script, and the folder it wrote its pictures into (made once for the tests below)."""
    script = load_script()
    folder = tmp_path_factory.mktemp("pictures")
    assert script.main([str(folder)]) == 0
    assert sorted(path.name for path in folder.iterdir()) == ["moderation.svg", "scoring.svg"]
    return script, folder


def test_the_scoring_picture_shows_a_member_scoring_with_the_scale_and_the_evidence(pictures: tuple[ModuleType, Path]) -> None:
    script, folder = pictures
    rows = screen_rows(folder / "scoring.svg")
    (first, _), (second, evidence) = script.SCORES
    assert "C04 Hannah Brierley — Interview · scoring as raman" in rows[0]
    # The criteria with my scores beside them, the one scored last highlighted.
    assert any(re.search(rf"{first}\s+Leadership", row) for row in rows)
    assert any(re.search(rf"{second}\s+Seeing the Big Picture", row) for row in rows)
    # The whole 1-7 scale, my score marked on it.
    scale = load_framework("success-profiles").scale
    for point in scale:
        mark = "▶" if str(point.score) == second else " "
        assert any(f"{mark} {point.score} {point.label}:" in row for row in rows), f"{point.score} {point.label} is not shown"
    label = next(point.label for point in scale if str(point.score) == second)
    assert any(f"Your score: {second} {label}" in row for row in rows)
    assert block_from(rows, evidence[:30]).startswith(evidence)
    assert rows[-2].strip() == "status interview · saved 14:30:00"


def test_the_moderation_picture_shows_the_panels_scores_and_the_agreed_score(pictures: tuple[ModuleType, Path]) -> None:
    _, folder = pictures
    rows = screen_rows(folder / "moderation.svg")
    campaign = load_campaign(EXAMPLE)
    assert "C03 Daniel Osei — moderation" in rows[0]
    heading = next(row for row in rows if "Criterion" in row)
    assert re.search(
        r"Criterion\s+Stage\s+" + r"\s+".join(rf"(\w+ )?{member.name.split()[-1]}" for member in campaign.panel) + r"\s+Spread\s+Agreed", heading
    )
    # Each criterion's row: every member's score, in the panel's order, the spread and the agreed score.
    for criterion in (c for c in campaign.criteria if "interview" in c.stages):
        item = ("C03", criterion.id, "interview")
        given = {score.assessor: score.score for score in campaign.scores if (score.candidate, score.criterion, score.stage) == item}
        agreed = next((m.score for m in campaign.moderation if m.item == item), None)
        shown = f"{agreed}\\*" if agreed is not None else r"[\d.]+"
        scores = r"\s+".join(str(given[member.id]) for member in campaign.panel)
        spread = max(given.values()) - min(given.values())
        assert any(re.match(rf"\s*{criterion.name}\s+Interview\s+{scores}\s+{spread}\s+{shown}(\s|$)", row) for row in rows), criterion.name
    # The item the chair moderated is highlighted: its evidence, member by member, and the agreed score's rationale.
    moderated = next(m for m in campaign.moderation if m.candidate == "C03")
    names = {member.id: member.name for member in campaign.panel}
    for score in campaign.scores:
        if (score.candidate, score.criterion, score.stage) == moderated.item:
            assert any(row.strip().startswith(f"{names[score.assessor]} ({score.score}): ") for row in rows), score.assessor
    assert any(row.strip().startswith(f"Agreed {moderated.score} by {names[moderated.by]}: ") for row in rows)
    assert rows[-2].strip().startswith("status moderation")
