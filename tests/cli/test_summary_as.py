"""`assessor summary --as ID`: exactly what one panel member may see, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from assessor.core.campaign import PanelMember
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.conftest import run_cli
from tests.unit.test_shortlist import SIFT, campaign_of

OTHERS_EVIDENCE_SAMPLE = 3


def colleagues_evidence(example: Path) -> list[str]:
    """Evidence only raman's colleagues wrote: none of it may reach raman's view."""
    campaign = load_campaign(example)
    mine = {score.evidence for score in campaign.scores if score.assessor == "raman"}
    return [s.evidence for s in campaign.scores if s.assessor != "raman" and s.evidence.strip() and s.evidence not in mine]


def test_json_holds_only_the_members_own_scores(example: Path) -> None:
    result = run_cli("summary", str(example), "--as", "raman", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["seen_by"] == "raman" and data["calibration"] == []
    assert [row["id"] for row in data["candidates"]] == ["C01", "C02", "C03", "C04", "C05", "C06"]  # the campaign's order
    for row in data["candidates"]:
        assert row["rank"] is None and row["total"] is None and row["flags"] == [] and row["notes"] == [] and row["missing"] == []
        assert row["outcome"] in (None, "fail")
        for item in row["scores"].values():
            assert set(item["panel"]) <= {"raman"} and item["score"] is None and item["spread"] is None and not item["moderated"]
    assert data["candidates"][4]["outcome"] == "fail" and data["candidates"][4]["failed"] == ["did not pass the Sift stage"]
    assert data["candidates"][4]["reason"] == "did not pass the Sift stage"
    assert {row["reason"] for row in data["candidates"][:4]} == {""} and {len(row["unagreed"]) for row in data["candidates"]} == {0}
    full = json.loads(run_cli("summary", str(example), "--format", "json").stdout)
    assert full["seen_by"] is None and full["candidates"][0]["rank"] == 1


def test_csv_text_markdown_and_html_hide_what_depends_on_others(example: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("summary", str(example), "--as", "raman", "--format", "csv").stdout)))
    assert {(row["rank"], row["total"], row["flags"]) for row in rows} == {("", "", "")}
    own = {
        s.candidate: str(s.score) for s in load_campaign(example).scores if (s.assessor, s.criterion, s.stage) == ("raman", "leadership", "interview")
    }
    assert {row["candidate"]: row["leadership"] for row in rows} == {row["candidate"]: own.get(row["candidate"], "") for row in rows}  # raman's own
    assert own and set(own.values()) != {""}
    text = run_cli("summary", str(example), "--as", "raman").stdout
    assert text.splitlines()[0].endswith("as raman sees it before moderation") and "raman's own scores" in text
    assert "appointable" not in text and "reserve" not in text and "42.33" not in text
    for fmt in ("md", "html"):
        shown = run_cli("summary", str(example), "--as", "raman", "--format", fmt).stdout
        assert "as raman sees it before moderation" in shown
        assert "appointable" not in shown and "42.33" not in shown
        for evidence in colleagues_evidence(example)[:OTHERS_EVIDENCE_SAMPLE]:
            assert evidence not in shown
    html = run_cli("summary", str(example), "--as", "raman", "--format", "html").stdout
    audit = html.split("<h2>Audit trail</h2>")[1]
    assert "Amara Okafor" not in audit and "Tom Whitfield" not in audit  # no colleague's audit row


def test_the_workbook_holds_the_members_scores_only(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "raman.xlsx"
    result = run_cli("summary", str(example), "--as", "raman", "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    members = {row[4] for row in book["Scores"].iter_rows(min_row=2, values_only=True)}
    assert members == {"Priya Raman"}
    merit = list(book["Merit list"].iter_rows(min_row=2, max_row=7, values_only=True))
    assert {(row[0], row[4]) for row in merit} == {(None, None)}
    assert list(book["Moderation"].iter_rows(min_row=2, values_only=True)) == []


def test_from_moderation_on_a_members_summary_is_the_whole_one(example: Path) -> None:
    example.write_text(example.read_text().replace('status = "interview"', 'status = "moderation"'))
    seen = json.loads(run_cli("summary", str(example), "--as", "raman", "--format", "json").stdout)
    whole = json.loads(run_cli("summary", str(example), "--format", "json").stdout)
    assert seen == whole


def test_someone_not_on_the_panel_is_refused(example: Path) -> None:
    result = run_cli("summary", str(example), "--as", "nobody")
    assert result.returncode == 1 and result.stderr.splitlines() == [f"{example}: --as: 'nobody' is not on the panel"]


def test_no_format_of_a_members_view_names_a_scheme_before_moderation(tmp_path: Path) -> None:
    campaign = campaign_of(SIFT, shortlist=2, schemes={"E": "disability-confident"}, status="interview")
    campaign = campaign.model_copy(update={"panel": [*campaign.panel, PanelMember(id="m1", name="Member One", role="member")]})
    path = tmp_path / "sift.toml"
    save_campaign(campaign, path)
    words = "guaranteed interview (Disability Confident)"
    for stage in (["--stage", "sift"], []):
        for fmt in ("text", "md", "csv", "json", "html"):
            seen = run_cli("summary", str(path), *stage, "--as", "m1", "--format", fmt)
            assert seen.returncode == 0, seen.stderr
            assert "guaranteed" not in seen.stdout and "Disability Confident" not in seen.stdout, (stage, fmt)
    assert words in run_cli("summary", str(path), "--stage", "sift", "--as", "chair").stdout  # the chair sees it, as before
    path.write_text(path.read_text().replace('status = "interview"', 'status = "moderation"'))
    assert words in run_cli("summary", str(path), "--stage", "sift", "--as", "m1").stdout  # from moderation on, everyone


def test_a_members_text_puts_each_column_number_over_its_scores(example: Path) -> None:
    lines = run_cli("summary", str(example), "--as", "raman").stdout.splitlines()
    header = lines[lines.index("raman's own scores (- where not scored)") + 1]
    row = next(line for line in lines if line.startswith("C02 "))
    for number in ("1", "2", "3"):
        at = header.index(f" {number} ") + 1
        assert row[at] != " ", (header, row)  # a score (or -) stands right under its column's number


def test_a_text_summary_marks_what_a_candidate_never_took_as_not_taken(example: Path) -> None:
    text = run_cli("summary", str(example)).stdout
    row = next(line for line in text.splitlines() if line.startswith("C05 "))  # failed the sift: never interviewed
    assert "?" not in row and "-" in row
