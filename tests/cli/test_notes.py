"""The panel's notes through the real CLI: folded into the campaign file at finalise, in the
candidate's subject access export, and gone at purge."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import finalise_long_ago
from tests.cli.test_finalise_verify_purge import set_retention
from tests.conftest import run_cli

NOTE = """
[[notes]]
candidate = "C03"
stage = "interview"
assessor = "raman"
text = "Asked about the legacy estate; answered with a costed plan."
at = 2026-11-18T11:00:00Z
"""


def test_a_note_reaches_the_candidates_export_and_is_purged_with_the_rest(example: Path) -> None:
    example.write_text(example.read_text() + NOTE)
    assert run_cli("validate", str(example)).returncode == 0
    record = json.loads(run_cli("export-candidate", str(example), "C03").stdout)
    assert record["notes"] == [
        {
            "stage": "interview",
            "assessor": "raman",
            "assessor_name": "Priya Raman",
            "text": "Asked about the legacy estate; answered with a costed plan.",
            "at": "2026-11-18T11:00:00Z",
        }
    ]
    assert json.loads(run_cli("export-candidate", str(example), "C01").stdout)["notes"] == []
    set_retention(example, "2026-01-31")
    finalise_long_ago(example, "okafor", "Closing.")
    result = run_cli("purge", str(example), "--as", "hr-records")
    assert result.returncode == 0, result.stderr
    text = example.read_text()
    assert "legacy estate" not in text and 'text = "[purged]"' in text
    assert run_cli("verify", str(example)).returncode == 0
