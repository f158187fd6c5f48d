"""`assessor export-candidate`: free text naming other candidates reaches nobody's subject
access export, and every audit row that names the candidate, by any name, is in theirs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from assessor.core.campaign import AuditEntry
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.conftest import run_cli

ANOTHER = "[another candidate]"
AT = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def with_free_text(path: Path) -> Path:
    """The example with C03's evidence, rationale and feedback comparing them with others, and
    C04 renamed to share Daniel Osei's given name."""
    campaign = load_campaign(path)
    people = [p.model_copy(update={"name": "Daniel Brierley"}) if p.id == "C04" else p for p in campaign.candidates]
    scores = list(campaign.scores)
    first = next(index for index, score in enumerate(scores) if score.candidate == "C03")
    evidence = "Daniel Osei was weaker than Sofia Marchetti (HOD-26-102) and C01. Sofia's plan was clearer; Daniel's less so than Brierley's."
    scores[first] = scores[first].model_copy(update={"evidence": evidence})
    moderation = list(campaign.moderation)
    agreed = next(index for index, row in enumerate(moderation) if row.candidate == "C03")
    moderation[agreed] = moderation[agreed].model_copy(update={"rationale": "Agreed 5: unlike C02, who had extra time, and DANIEL  BRIERLEY."})
    audit = [
        *campaign.audit,
        AuditEntry(at=AT, who="okafor", what="Daniel Osei asked for feedback by phone"),
        AuditEntry(at=AT, who="okafor", what="called hod-26-103 back; compared with Jordan Ellis"),
        AuditEntry(at=AT, who="okafor", what="Jordan Ellis asked for feedback by phone"),
        AuditEntry(at=AT, who="okafor", what="Daniel Brierley asked for feedback by phone"),
    ]
    changed = campaign.model_copy(update={"candidates": people, "scores": scores, "moderation": moderation, "audit": audit})
    save_campaign(changed, path)
    return path


def test_other_candidates_in_free_text_are_replaced_and_counted(example: Path) -> None:
    with_free_text(example)
    result = run_cli("export-candidate", str(example), "C03")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    evidence = {row["evidence"] for row in record["scores"]}
    assert (
        f"Daniel Osei was weaker than {ANOTHER} ({ANOTHER}) and {ANOTHER}. {ANOTHER}'s plan was clearer; Daniel's less so than {ANOTHER}'s."
    ) in evidence
    assert f"Agreed 5: unlike {ANOTHER}, who had extra time, and {ANOTHER}." in {row["rationale"] for row in record["moderation"]}
    audit = [row["what"] for row in record["audit"]]
    assert "Daniel Osei asked for feedback by phone" in audit  # named by name only: theirs
    assert f"called hod-26-103 back; compared with {ANOTHER}" in audit  # by reference only
    assert not any("asked for feedback" in what and "Osei" not in what for what in audit)  # others' rows stay out
    assert record["others_replaced"] == 8
    assert record["others_found"] == {"id": 2, "reference": 1, "full name": 3, "part of a name": 2}

    markdown = run_cli("export-candidate", str(example), "C03", "--format", "md").stdout
    assert (
        '- Other candidates named in the text below: 8 replaced with "[another candidate]" '
        "(2 by id, 1 by reference, 3 by full name, 2 by part of a name)"
    ) in markdown
    for text in (result.stdout, markdown):
        for name in ("Sofia", "Marchetti", "HOD-26-102", "Jordan Ellis", "Brierley", "C01", "C02"):
            assert name not in text


def test_an_export_naming_nobody_else_says_none_were_replaced(example: Path) -> None:
    record = json.loads(run_cli("export-candidate", str(example), "C05").stdout)
    assert record["others_replaced"] == 0
