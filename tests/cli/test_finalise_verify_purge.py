"""finalise, verify, export-candidate and purge through the real CLI and real files."""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assessor.changes.retention import retention_date
from assessor.changes.seal import add_months
from assessor.changes.subject_access import candidate_record
from assessor.storage.campaign_file import load_campaign
from assessor.storage.lock import acquire_lock
from tests.cli.conftest import finalise_long_ago
from tests.conftest import run_cli


def hr_digest(path: Path) -> str:
    """The seal as docs/file-format.md tells HR to recompute it, with nothing but the standard library."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    data.pop("offers", None)
    data["seal"].pop("sha256")
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=lambda v: v.isoformat())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_finalise_seals_sets_final_and_retention_and_hr_can_recompute_it(clean: Path) -> None:
    clean.write_text(clean.read_text().replace("retain_until = 2027-11-22", "retain_until = 2030-01-31"))  # later than the default
    result = run_cli("finalise", str(clean), "--as", "P1")
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(clean.read_text())
    assert data["campaign"]["status"] == "final"
    sealed_on = data["seal"]["at"].date()
    assert data["campaign"]["retain_until"] == date(2030, 1, 31)  # already set in the file, later: kept
    reserve = add_months(sealed_on, 12)
    assert data["campaign"]["reserve_until"] == reserve
    assert data["seal"]["by"] == "P1"
    assert data["seal"]["sha256"] == hr_digest(clean)
    assert data["audit"][-1]["what"] == f"finalised and sealed; reserve list open until {reserve.isoformat()}; personal data kept until 2030-01-31"
    sealed = data["seal"]["at"].strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = data["seal"]["sha256"]
    assert result.stdout.splitlines() == [
        f"{clean}: final; sealed by P1 on {sealed}; reserve list open until {reserve}; personal data kept until 2030-01-31",
        f"{clean}: seal sha256 {digest}: record it apart from the file; `assessor verify {clean} --digest {digest}` checks the file against it",
    ]
    assert sealed_on == datetime.now(UTC).date()

    verify = run_cli("verify", str(clean))
    assert (verify.returncode, verify.stderr) == (0, "")
    assert verify.stdout == (
        f"{clean}: sealed by P1 on {sealed}; seal matches; sha256 {digest}: "
        "this shows the file unchanged since sealing only if it is the digest recorded then (check with --digest)\n"
    )


def test_finalise_refuses_a_campaign_with_no_candidates(minimal: Path) -> None:
    text = minimal.read_text()
    minimal.write_text(text[: text.index("[[candidates]]")] + text[text.index("[[audit]]") :])  # no candidates, scores or moderation
    assert run_cli("validate", str(minimal)).returncode == 0
    before = minimal.read_bytes()
    result = run_cli("finalise", str(minimal), "--as", "P1")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{minimal}: not finalised: the set-up is not complete (1 to do)", f"{minimal}: no candidates"]
    assert minimal.read_bytes() == before


def test_finalise_sets_retention_six_months_after_the_reserve_list_when_unset(clean: Path) -> None:
    clean.write_text(clean.read_text().replace("retain_until = 2027-11-22\n", ""))
    assert run_cli("finalise", str(clean), "--as", "P1").returncode == 0
    data = tomllib.loads(clean.read_text())
    assert data["campaign"]["retain_until"] == add_months(add_months(data["seal"]["at"].date(), 12), 6)


def test_add_months_keeps_to_the_end_of_short_months() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 22), 6) == date(2027, 5, 22)


def test_finalise_lists_every_open_item_and_changes_nothing(example: Path) -> None:
    before = example.read_bytes()
    result = run_cli("finalise", str(example), "--as", "okafor")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{example}: not finalised: {len(lines) - 1} items still open (settle them, or --force --rationale TEXT to record them)"
    assert f"{example}: C02: panel spread of 2 on changing-and-improving at interview and no agreed score" in lines
    assert f"{example}: C06: no evidence from raman on changing-and-improving at interview" in lines
    assert f"{example}: C06: no score yet for working-together at interview" in lines
    assert f"{example}: C04: no score yet for leadership at interview" in lines
    assert not any(": C05:" in line for line in lines), "a candidate out at the sift needs no interview scores"
    assert "Traceback" not in result.stderr
    assert example.read_bytes() == before


def test_only_a_chair_finalises_and_force_needs_a_rationale(example: Path) -> None:
    before = example.read_bytes()
    member = run_cli("finalise", str(example), "--as", "raman")
    assert member.stderr.splitlines() == [f"{example}: --as: 'raman' is on the panel as independent, not chair; only a chair finalises"]
    bare = run_cli("finalise", str(example), "--as", "okafor", "--force")
    assert bare.returncode == 1 and "--force needs a rationale" in bare.stderr
    assert example.read_bytes() == before


def test_forced_finalise_records_the_open_items_in_the_audit(example: Path) -> None:
    result = run_cli("finalise", str(example), "--as", "okafor", "--force", "--rationale", "C04 and C05 withdrew from interview.")
    assert result.returncode == 0, result.stderr
    audit = [row["what"] for row in tomllib.loads(example.read_text())["audit"]]
    assert any(what.startswith("finalised with ") and what.endswith("rationale: C04 and C05 withdrew from interview.") for what in audit)
    assert "open at finalising: C06: no score yet for working-together at interview" in audit
    assert run_cli("verify", str(example)).returncode == 0


def test_a_final_campaign_refuses_every_change(clean: Path, tmp_path: Path) -> None:
    assert run_cli("finalise", str(clean), "--as", "P1").returncode == 0
    before = clean.read_bytes()
    copy = tmp_path / "copy.toml"
    copy.write_bytes(before)
    attempts = [
        ("score", str(clean), "--as", "P2", "--candidate", "C01", "--criterion", "leadership", "--stage", "interview", "--score", "7"),
        (
            "moderate",
            str(clean),
            "--as",
            "P1",
            "--candidate",
            "C01",
            "--criterion",
            "leadership",
            "--stage",
            "interview",
            "--score",
            "7",
            "--rationale",
            "x",
        ),
        ("merge", str(clean), str(copy)),
        ("finalise", str(clean), "--as", "P1"),
        ("advance", str(clean), "--as", "P1"),
    ]
    for args in attempts:
        result = run_cli(*args)
        assert result.returncode == 1, args
        assert result.stderr.splitlines() == [f"{clean}: the campaign is final and sealed: it can no longer be changed"]
    assert clean.read_bytes() == before


def test_verify_names_what_changed_after_sealing(clean: Path) -> None:
    assert run_cli("finalise", str(clean), "--as", "P1").returncode == 0
    text = clean.read_text()
    clean.write_text("# a comment changes no content\n" + text.replace("\n", "\n\n", 3))
    assert run_cli("verify", str(clean)).returncode == 0

    tampered = text.replace('evidence = "Led a reorganisation with a clear vision."', 'evidence = "Led a reorganisation."')
    tampered = tampered.replace("[seal]", '[[audit]]\nat = 2099-01-01T00:00:00Z\nwho = "someone"\nwhat = "edited by hand"\n\n[seal]')
    clean.write_text(tampered)
    result = run_cli("verify", str(clean))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{clean}: seal mismatch: the content changed after sealing",
        f"{clean}: changed since sealing: audit, scores",
        f"{clean}: 1 audit row is dated after the seal; the last: 2099-01-01T00:00:00Z someone: edited by hand",
    ]
    assert result.stdout == ""


def test_verify_of_an_unsealed_file_says_so(minimal: Path) -> None:
    result = run_cli("verify", str(minimal))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{minimal}: not sealed: the campaign is at interview; `assessor finalise` seals it"]


def test_export_candidate_holds_them_and_nobody_else(example: Path) -> None:
    campaign = load_campaign(example)
    result = run_cli("export-candidate", str(example), "C03")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["candidate"] == {
        "id": "C03",
        "name": "Daniel Osei",
        "reference": "HOD-26-103",
        "adjustments": "Extra 15 minutes to prepare the presentation; step-free interview room.",
        "withdrawn": False,
    }
    theirs = [s for s in campaign.scores if s.candidate == "C03"]
    assert len(record["scores"]) == len(theirs) > 0
    assert {row["assessor_name"] for row in record["scores"]} <= {m.name for m in campaign.panel}
    assert {row["evidence"] for row in record["scores"]} == {s.evidence for s in theirs}
    assert [r["outcome"] for r in record["results"]] == ["pass", "reserve"] or record["results"][-1]["merit_list"]
    assert record["moderation"] and all(row["rationale"] for row in record["moderation"])

    own_evidence = {s.evidence for s in theirs}
    for text in (result.stdout, run_cli("export-candidate", str(example), "C03", "--format", "md").stdout):
        assert "Daniel Osei" in text
        for other in campaign.candidates:
            if other.id != "C03":
                assert other.name not in text and other.reference not in text and f'"{other.id}"' not in text
        for score in campaign.scores:
            if score.candidate != "C03" and score.evidence and score.evidence not in own_evidence:
                assert json.dumps(score.evidence)[1:-1] not in text and score.evidence not in text


def test_export_candidate_refuses_an_unknown_id(example: Path) -> None:
    result = run_cli("export-candidate", str(example), "C99")
    assert (result.returncode, result.stderr.strip(), result.stdout) == (1, f"{example}: unknown candidate 'C99'", "")


def set_retention(path: Path, day: str) -> None:
    """Give an unsealed campaign a retention date (the example has none)."""
    lines = [line for line in path.read_text().splitlines() if not line.startswith("retain_until =")]
    at = next(index for index, line in enumerate(lines) if line.startswith("created ="))
    path.write_text("\n".join([*lines[: at + 1], f"retain_until = {day}", *lines[at + 1 :]]) + "\n")


def merit(path: Path) -> list[tuple]:
    data = json.loads(run_cli("summary", str(path), "--format", "json").stdout)
    return [(c["id"], c["rank"], c["outcome"], c["total"], json.dumps(c["scores"], sort_keys=True)) for c in data["candidates"]]


def test_purge_is_refused_before_the_retention_date(clean: Path) -> None:
    assert run_cli("finalise", str(clean), "--as", "P1", "--reserve-months", "0").returncode == 0
    before = clean.read_bytes()
    result = run_cli("purge", str(clean))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{clean}: personal data is kept until 2027-11-22 (retain_until): purge is possible from 2027-11-23"]
    assert clean.read_bytes() == before


def test_purge_needs_a_sealed_campaign(minimal: Path) -> None:
    result = run_cli("purge", str(minimal))
    assert result.returncode == 1 and "purge comes after finalise" in result.stderr


def test_purge_removes_personal_data_keeps_the_ranking_and_reseals(example: Path) -> None:
    set_retention(example, "2026-01-31")
    finalise_long_ago(example, "okafor", "Closing; Daniel Osei withdrew.")
    original = load_campaign(example)
    ranking = merit(example)

    result = run_cli("purge", str(example), "--as", "hr-records")
    assert result.returncode == 0, result.stderr
    assert "personal data purged; sealed by hr-records on " in result.stdout
    text = example.read_text()
    for candidate in original.candidates:
        assert candidate.name not in text and candidate.reference not in text
        if candidate.adjustments:
            assert candidate.adjustments not in text
    for score in original.scores:
        if score.evidence:
            assert score.evidence not in text
    for agreed in original.moderation:
        assert agreed.rationale not in text
    assert "Daniel Osei withdrew" not in text
    purged = load_campaign(example)
    assert result.stdout.splitlines()[1].startswith(f"{example}: seal sha256 {purged.seal.sha256}: record it apart from the file")  # a new digest
    assert [c.name for c in purged.candidates] == [c.id for c in purged.candidates]
    assert [(s.candidate, s.criterion, s.stage, s.assessor, s.score) for s in purged.scores] == [
        (s.candidate, s.criterion, s.stage, s.assessor, s.score) for s in original.scores
    ]
    assert merit(example) == ranking
    assert purged.audit[-1].what.startswith("purged personal data (kept until 2026-01-31)")
    assert {m.name for m in purged.panel} == {m.name for m in original.panel}

    verify = run_cli("verify", str(example))
    assert verify.returncode == 0, verify.stderr
    assert "re-sealed after purging personal data; first sealed by okafor" in verify.stdout

    before = example.read_bytes()
    again = run_cli("purge", str(example))
    assert (again.returncode, again.stdout.strip()) == (0, f"{example}: already purged on {purged.audit[-1].at:%Y-%m-%d}; nothing to do")
    assert example.read_bytes() == before


def test_purge_checks_the_seal_against_the_file_as_written(example: Path) -> None:
    """A file sealed by another version (a version 1 seal, of the content alone), laid out
    differently from today's dump, still verifies and purges, and is sealed again by today's rule."""
    set_retention(example, "2026-01-31")
    finalise_long_ago(example, "okafor", "Closing.")
    text = example.read_text().replace("withdrawn = false\n", "")  # an older writer left defaults out
    head, _, _ = text.partition("[seal]")
    example.write_text(head)
    digest = hr_digest_of(head)
    example.write_text(head + f'[seal]\nsha256 = "{digest}"\nby = "okafor"\nat = 2026-02-01T00:00:00Z\n')
    assert run_cli("verify", str(example)).returncode == 0
    result = run_cli("purge", str(example))
    assert result.returncode == 0, result.stderr
    assert run_cli("verify", str(example)).returncode == 0
    assert tomllib.loads(example.read_text())["seal"]["version"] == 2


def hr_digest_of(text: str) -> str:
    data = tomllib.loads(text)
    data.pop("seal", None)
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=lambda v: v.isoformat())
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def test_purge_refuses_a_file_whose_seal_does_not_match(example: Path) -> None:
    set_retention(example, "2026-01-31")
    finalise_long_ago(example, "okafor", "Closing.")
    example.write_text(example.read_text().replace('name = "Jordan Ellis"', 'name = "Jordan Ellis-Smith"'))
    before = example.read_bytes()
    result = run_cli("purge", str(example))
    assert result.returncode == 1 and "the seal does not match" in result.stderr
    assert example.read_bytes() == before


def test_retention_falls_back_to_six_months_after_the_seal(clean: Path) -> None:
    assert run_cli("finalise", str(clean), "--as", "P1", "--reserve-months", "0").returncode == 0
    campaign = load_campaign(clean)
    unset = campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"retain_until": None})})
    assert retention_date(unset) == add_months(campaign.seal.at.date(), 6)


def test_candidate_record_leaves_out_notes_that_compare_with_others() -> None:
    from tests.scoring_cases import hand_worked

    record = candidate_record(hand_worked(), "A")
    assert "B" not in json.dumps(record["results"])  # "ranked above B on Leadership" stays out


@pytest.mark.parametrize("command", [("finalise", "--as", "P1"), ("purge",), ("merge", "MINIMAL")])
def test_every_writing_command_waits_for_the_lock(clean: Path, command: tuple[str, ...]) -> None:
    before = clean.read_bytes()
    args = [part.replace("MINIMAL", str(clean)) for part in command[1:]]
    with acquire_lock(clean, who="okafor"):  # waited for a moment (not the default ten seconds), then refused
        result = run_cli(command[0], str(clean), *args, "--wait", "0.3")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"{clean}: locked by okafor on ")
    assert clean.read_bytes() == before
