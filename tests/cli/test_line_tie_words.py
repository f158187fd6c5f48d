"""A tie across the appointable line at the command line: the rules say the chair records
their order, and the command line names the command that does it where it says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessor.storage.campaign_file import save_campaign
from tests.conftest import run_cli
from tests.scoring_cases import hand_worked

SAID = "the chair records their order"


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    """Two vacancies, B and C tied at rank 2: the tie crosses the line."""
    path = tmp_path / "worked.toml"
    save_campaign(hand_worked(), path)
    return path


def test_the_text_summary_and_finalise_name_the_command_and_the_json_keeps_the_words_alone(worked: Path) -> None:
    text = run_cli("summary", str(worked))
    assert text.returncode == 0, text.stderr
    assert f"B: tied across the appointable line with C: {SAID} (assessor separate)" in " ".join(text.stdout.split())

    data = json.loads(run_cli("summary", str(worked), "--format", "json").stdout)
    notes = {row["id"]: row["notes"] for row in data["candidates"]}
    assert f"tied across the appointable line with C: {SAID}" in notes["B"]  # for tools: the words, no command
    assert "assessor separate" not in json.dumps(data)

    before = worked.read_bytes()
    refused = run_cli("finalise", str(worked), "--as", "P1")
    assert refused.returncode == 1
    assert f"{worked}: B: rank 2 is shared across the appointable line: {SAID} (assessor separate)" in refused.stderr.splitlines()
    assert worked.read_bytes() == before

    ordered = run_cli("separate", str(worked), "--as", "P1", "--order", "C,B", "--rationale", "C's evidence on the lead criterion was deeper.")
    assert ordered.returncode == 0, ordered.stderr
    assert SAID not in run_cli("summary", str(worked)).stdout  # ordered: nothing left for the chair to record
