"""Roles on the command line: `advance`, `import-candidates` after set-up, and reasons in the audit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.cli.conftest import finalise_long_ago
from tests.conftest import EXAMPLE, run_cli


@pytest.fixture
def in_set_up(tmp_path: Path) -> Path:
    """The example as it was in set-up: complete, about to move on to the sift."""
    path = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, path)
    path.write_text(path.read_text().replace('status = "interview"', 'status = "setup"'))
    return path


def test_the_chair_advances_the_status_by_one(in_set_up: Path) -> None:
    result = run_cli("advance", str(in_set_up), "--as", "okafor")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{in_set_up}: status setup -> sift\n", "")
    campaign = load_campaign(in_set_up)
    assert campaign.campaign.status == "sift"
    assert (campaign.audit[-1].who, campaign.audit[-1].what) == ("okafor", "status setup -> sift")


def test_advance_refuses_a_member_and_changes_nothing(in_set_up: Path) -> None:
    before = in_set_up.read_bytes()
    result = run_cli("advance", str(in_set_up), "--as", "raman")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{in_set_up}: --as: only the chair (Amara Okafor, okafor) moves the campaign's status"]
    assert in_set_up.read_bytes() == before


def test_advance_lists_what_the_set_up_lacks(in_set_up: Path) -> None:
    campaign = load_campaign(in_set_up)
    stages = [stage.model_copy(update={"methods": []}) for stage in campaign.stages]
    save_campaign(campaign.model_copy(update={"stages": stages}), in_set_up)
    before = in_set_up.read_bytes()
    result = run_cli("advance", str(in_set_up), "--as", "okafor")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{in_set_up}: not moved on: the set-up is not complete (2 to do)",
        f"{in_set_up}: stage Sift has no selection methods",
        f"{in_set_up}: stage Interview has no selection methods",
    ]
    assert in_set_up.read_bytes() == before


def test_advance_stops_before_final(example: Path) -> None:
    lines = run_cli("advance", str(example), "--as", "okafor").stdout.splitlines()
    assert (
        lines[0] == f"{example}: status interview -> moderation; Sift decided (recorded late, as its scores stood then): 5 go on (5 pass), 1 do not"
    )
    assert lines[1:] == [
        f"{example}: Sift: C02 HOD-26-102: pass, rank 1, total 24",
        f"{example}: Sift: C06 HOD-26-106: pass, rank 2, total 21.33",
        f"{example}: Sift: C03 HOD-26-103: pass, rank 3, total 20.67",
        f"{example}: Sift: C01 HOD-26-101: pass, rank 4, total 19",
        f"{example}: Sift: C04 HOD-26-104: pass, rank 5, total 16.67",
        f"{example}: Sift: C05 HOD-26-105: fail, total 12.67, Leadership 3.33 < 4; Seeing the Big Picture 3 < 4; Working Together 3 < 4; "
        "Experience of leading digital services 3.33 < 4",
    ]
    result = run_cli("advance", str(example), "--as", "okafor")
    assert result.returncode == 1 and "finished by finalising it" in result.stderr


def test_advance_needs_the_chair_named(example: Path) -> None:
    result = run_cli("advance", str(example))
    assert result.returncode == 2 and "--as" in result.stderr


def late_applicants(tmp_path: Path) -> Path:
    source = tmp_path / "late.csv"
    source.write_text("name,reference\nPriya Shah,HOD-26-199\n", encoding="utf-8")
    return source


def test_after_set_up_a_member_may_not_import_candidates(example: Path, tmp_path: Path) -> None:
    before = example.read_bytes()
    result = run_cli("import-candidates", str(example), str(late_applicants(tmp_path)), "--as", "raman", "--reason", "late")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{example}: --as: from the sift on only the chair (Amara Okafor, okafor) may change the candidates (adding them), with a reason"
    ]
    assert example.read_bytes() == before


def test_after_set_up_the_chair_imports_with_a_reason(example: Path, tmp_path: Path) -> None:
    source = late_applicants(tmp_path)
    before = example.read_bytes()
    refused = run_cli("import-candidates", str(example), str(source), "--as", "okafor")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"{example}: --reason: changing the candidates (adding them) after set-up needs a reason, written to the audit"
    ]
    assert example.read_bytes() == before
    done = run_cli("import-candidates", str(example), str(source), "--as", "okafor", "--reason", "Misfiled by the recruitment team.")
    assert done.returncode == 0, done.stderr
    campaign = load_campaign(example)
    assert campaign.candidates[-1].name == "Priya Shah"
    assert campaign.audit[-1].what == "imported 1 candidate from late.csv; reason: Misfiled by the recruitment team."


def test_a_purge_removes_the_reasons_quoted_in_the_audit(example: Path, tmp_path: Path) -> None:
    reason = "Jordan Ellis asked for his married name"
    assert run_cli("import-candidates", str(example), str(late_applicants(tmp_path)), "--as", "okafor", "--reason", reason).returncode == 0
    text = example.read_text().replace("retain_until", "# retain_until")
    example.write_text(text.replace("[campaign.role]", "retain_until = 2026-01-31\n\n[campaign.role]", 1))
    finalise_long_ago(example, "okafor", "Closing.")
    assert run_cli("purge", str(example), "--as", "hr-records").returncode == 0
    purged = load_campaign(example)
    assert reason not in example.read_text()
    assert any(row.what.endswith("; reason: [purged]") for row in purged.audit)
