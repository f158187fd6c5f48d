"""`assessor summary`, `score` and `moderate` through the real CLI and real files."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assessor.core.campaign import Campaign
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.conftest import EXAMPLE, run_cli
from tests.scoring_cases import hand_worked


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    path = tmp_path / "worked.toml"
    save_campaign(hand_worked(), path)
    return path


def test_json_has_the_documented_shape(worked: Path) -> None:
    result = run_cli("summary", str(worked), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["campaign"] == "hand-worked" and data["stages"] == ["interview"]
    first = data["candidates"][0]
    assert {"id", "name", "rank", "outcome", "total", "scores", "flags"} <= set(first)
    assert (first["id"], first["rank"], first["outcome"], first["total"]) == ("A", 1, "appointable", 23.0)
    assert first["scores"]["leadership"] == {
        "score": 6.0,
        "moderated": False,
        "spread": 0,
        "panel": {"P1": 6, "P2": 6, "P3": 6},
        "without_evidence": [],
    }
    by_id = {c["id"]: c for c in data["candidates"]}
    assert by_id["D"]["scores"]["leadership"]["moderated"] is True
    assert by_id["F"]["rank"] is None and by_id["F"]["scores"]["experience"]["score"] is None
    assert by_id["C"]["rank"] == 2 and "unresolved-tie" in by_id["C"]["flags"]
    assert "ranked above B on Leadership, 6 v 5" in by_id["A"]["notes"]
    assert [c["id"] for c in data["candidates"]] == ["A", "B", "C", "D", "F", "E", "H", "G"]


def test_text_reads_at_80_columns(worked: Path) -> None:
    result = run_cli("summary", str(worked))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.split()[:4] == ["1", "Candidate", "A", "appointable"] for line in lines)
    assert "  A: ranked above B on Leadership, 6 v 5" in lines
    assert "  E: fail: Delivery 3.33 < 4" in lines


def test_csv_opens_with_the_csv_module(worked: Path) -> None:
    result = run_cli("summary", str(worked), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["rank", "candidate", "name", "outcome", "reasons", "total", "leadership", "delivery", "experience", "flags"]
    assert {row["reasons"] for row in rows if row["outcome"] in ("appointable", "reserve")} == {""}
    assert all(row["reasons"] for row in rows if row["outcome"] in ("fail", "incomplete"))
    assert [(r["candidate"], r["rank"], r["outcome"]) for r in rows[:4]] == [
        ("A", "1", "appointable"),
        ("B", "2", "reserve"),  # tied across the line of two vacancies
        ("C", "2", "reserve"),
        ("D", "4", "reserve"),
    ]
    assert rows[3]["leadership"] == "5.0"


def test_a_csv_file_starts_with_a_byte_order_mark_so_spreadsheets_read_its_accents(worked: Path, tmp_path: Path) -> None:
    data = hand_worked().model_dump(by_alias=True)
    data["candidates"][0]["name"] = "Ünïcödé Ćandidate"
    path = tmp_path / "accents.toml"
    save_campaign(Campaign.model_validate(data), path)
    out = tmp_path / "merit.csv"
    assert run_cli("summary", str(path), "--format", "csv", "-o", str(out)).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrank,candidate,name,")  # the mark, once, then the header
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))  # as Excel reads a file with the mark
    assert next(row["name"] for row in rows if row["candidate"] == "A") == "Ünïcödé Ćandidate"
    assert "ÃœnÃ¯" not in raw.decode("utf-8-sig") and raw.count(b"\xef\xbb\xbf") == 1
    # Printed, the CSV goes to a pipe or a script: no mark to stick to the first header.
    printed = run_cli("summary", str(path), "--format", "csv")
    assert printed.stdout.startswith("rank,candidate,name,") and "Ünïcödé Ćandidate" in printed.stdout
    # What the summary wrote, an import reads back: the mark is not part of the first column's name.
    setup = tmp_path / "setup.toml"
    save_campaign(hand_worked(status="setup"), setup)
    imported = run_cli("import-candidates", str(setup), str(out), "--as", "P1")
    assert imported.returncode == 0, imported.stderr
    assert "Ünïcödé Ćandidate" in [row["name"] for row in tomllib.loads(setup.read_text())["candidates"]]


def test_markdown(worked: Path) -> None:
    result = run_cli("summary", str(worked), "--format", "md")
    assert result.stdout.startswith("# DRAFT: Hand-worked ranking: merit list (Interview)")  # not final yet
    assert "| 1 | Candidate A | appointable | 23 | 6 | 5 | 4 | no-evidence |" in result.stdout


class _Balanced(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_one_escaped_self_contained_page(tmp_path: Path) -> None:
    data = hand_worked().model_dump(by_alias=True)
    data["candidates"][0]["name"] = "<script>alert('x')</script> & Co"
    data["scores"][0]["evidence"] = "<b>bold</b> claim"
    path = tmp_path / "html.toml"
    from assessor.core.campaign import Campaign

    save_campaign(Campaign.model_validate(data), path)
    result = run_cli("summary", str(path), "--format", "html")
    page = result.stdout
    parser = _Balanced()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;bold" in page
    assert not any(tag in parser.tags for tag in ("script", "link", "img"))
    assert "http" not in page.replace("http-equiv", "")
    text = " ".join(parser.text)
    for heading in ("Campaign", "Panel", "Assessment matrix", "Merit list", "Candidates: scores and evidence", "Moderation", "Panel calibration"):
        assert heading in text
    assert "agreed at wash-up" in text


def test_sift_summary_is_name_blind_unless_names_asked(worked: Path) -> None:
    blind = json.loads(run_cli("summary", str(worked), "--stage", "sift", "--format", "json").stdout)
    assert blind["names_shown"] is False
    assert {c["name"] for c in blind["candidates"]} == {f"REF-{c}" for c in "ABCDEFGH"}
    assert {c["id"]: c["outcome"] for c in blind["candidates"]}["H"] == "fail"
    assert {c["outcome"] for c in blind["candidates"]} == {"pass", "fail", "withdrawn"}
    named = json.loads(run_cli("summary", str(worked), "--stage", "sift", "--names", "--format", "json").stdout)
    assert "Candidate A" in {c["name"] for c in named["candidates"]}
    assert "Candidate A" not in run_cli("summary", str(worked), "--stage", "sift").stdout


def test_unknown_stage(worked: Path) -> None:
    result = run_cli("summary", str(worked), "--stage", "final")
    assert result.returncode == 1
    assert result.stderr == f"{worked}: --stage: unknown stage 'final' (one of: sift, interview)\n"


def test_output_file_is_written_and_only_replaced_with_force(worked: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.html"
    assert run_cli("summary", str(worked), "--format", "html", "-o", str(out)).returncode == 0
    first = out.read_text()
    assert first.startswith("<!DOCTYPE html>")
    out.write_text("keep me")
    refused = run_cli("summary", str(worked), "-o", str(out))
    assert refused.returncode == 1 and "already exists; add --force" in refused.stderr
    assert out.read_text() == "keep me"
    assert run_cli("summary", str(worked), "-o", str(out), "--force").returncode == 0
    assert out.read_text().startswith("DRAFT: Hand-worked ranking: merit list")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.html", "worked.toml"]


def test_summary_refuses_to_write_over_the_campaign(worked: Path) -> None:
    before = worked.read_bytes()
    result = run_cli("summary", str(worked), "-o", str(worked), "--force")
    assert result.returncode == 1
    assert worked.read_bytes() == before


def test_score_adds_replaces_and_audits(worked: Path) -> None:
    args = ["score", str(worked), "--as", "P2", "--candidate", "F", "--criterion", "experience", "--stage", "interview"]
    added = run_cli(*args, "--score", "5", "--evidence", "Ran a 30-person unit.\nGood outcomes.")
    assert added.returncode == 0, added.stderr
    assert added.stdout == f"{worked}: scored F on experience at interview: 5\n"
    before = worked.read_bytes()
    changed = run_cli(*args, "--score", "6")
    assert changed.returncode == 0
    assert worked.read_bytes() == before, "a member's score goes to their own sheet, never to the campaign file"
    data = tomllib.loads((worked.parent / "worked.sheets" / "P2.toml").read_text())
    assert (data["schema"], data["campaign"], data["member"]) == (1, load_campaign(worked).campaign.id, "P2")
    rows = [r for r in data["scores"] if (r["candidate"], r["criterion"], r["assessor"]) == ("F", "experience", "P2")]
    assert len(rows) == 1 and rows[0]["score"] == 6 and rows[0]["evidence"] == "Ran a 30-person unit.\nGood outcomes."
    assert [a["what"] for a in data["audit"][-2:]] == [
        "scored F on experience at interview: 5",
        "changed score for F on experience at interview: 5 -> 6",
    ]
    assert data["audit"][-1]["who"] == "P2"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--as", "P9"], "--as: 'P9' is not on the panel"),
        (["--candidate", "Z"], "--candidate: unknown candidate 'Z'"),
        (["--candidate", "G"], "--candidate: candidate 'G' has withdrawn"),
        (["--criterion", "charm"], "--criterion: unknown criterion 'charm'"),
        (["--stage", "final"], "--stage: unknown stage 'final'"),
        (["--criterion", "delivery", "--stage", "sift"], "--stage: criterion 'delivery' is not assessed at stage 'sift'"),
        (["--score", "8"], "--score: score must be 1 to 7, not 8"),
    ],
)
def test_score_refusals_leave_the_file_alone(worked: Path, change: list[str], message: str) -> None:
    request = {"--as": "P1", "--candidate": "F", "--criterion": "experience", "--stage": "interview", "--score": "5"}
    for flag, value in zip(change[::2], change[1::2], strict=True):
        request[flag] = value
    before = worked.read_bytes()
    result = run_cli("score", str(worked), *[part for pair in request.items() for part in pair])
    assert result.returncode == 1
    assert result.stderr.startswith(f"{worked}: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert worked.read_bytes() == before


def test_a_stage_without_selection_methods_is_not_scored_nor_moderated(tmp_path: Path) -> None:
    campaign = hand_worked()
    stages = [stage.model_copy(update={"methods": []}) if stage.id == "interview" else stage for stage in campaign.stages]
    path = tmp_path / "no-methods.toml"
    save_campaign(campaign.model_copy(update={"stages": stages}), path)
    before = path.read_bytes()
    item = ["--candidate", "F", "--criterion", "experience", "--stage", "interview", "--score", "5"]
    for command in (["score", str(path), "--as", "P2", *item], ["moderate", str(path), "--as", "P1", *item, "--rationale", "Agreed."]):
        result = run_cli(*command)
        assert result.returncode == 1, result.stdout
        assert result.stderr == f"{path}: --stage: stage 'interview' has no selection methods: the set-up names them before the stage is scored\n"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-methods.toml"]


def test_score_on_a_final_campaign_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "final.toml"
    save_campaign(hand_worked(status="final"), path)
    before = path.read_bytes()
    result = run_cli("score", str(path), "--as", "P1", "--candidate", "F", "--criterion", "experience", "--stage", "interview", "--score", "5")
    assert result.returncode == 1 and "final" in result.stderr
    assert path.read_bytes() == before


def test_score_with_wrong_usage_exits_2(worked: Path) -> None:
    result = run_cli("score", str(worked), "--as", "P1", "--candidate", "F", "--criterion", "experience", "--stage", "interview", "--score", "five")
    assert result.returncode == 2


def test_moderate_records_agreed_score_and_keeps_originals(worked: Path) -> None:
    before = tomllib.loads(worked.read_text())
    result = run_cli(
        "moderate",
        str(worked),
        "--as",
        "P1",
        "--candidate",
        "C",
        "--criterion",
        "delivery",
        "--stage",
        "interview",
        "--score",
        "6",
        "--rationale",
        "Agreed: strong delivery evidence, P2 had missed the second example.",
    )
    assert result.returncode == 0, result.stderr
    after = tomllib.loads(worked.read_text())
    assert after["scores"] == before["scores"]
    agreed = [m for m in after["moderation"] if (m["candidate"], m["criterion"]) == ("C", "delivery")]
    assert len(agreed) == 1 and agreed[0]["score"] == 6 and agreed[0]["by"] == "P1"
    assert after["audit"][-1]["what"].startswith("moderated C on delivery at interview: 6 -> 6; rationale: Agreed")
    summary = json.loads(run_cli("summary", str(worked), "--format", "json").stdout)
    c = next(x for x in summary["candidates"] if x["id"] == "C")
    assert c["scores"]["delivery"]["moderated"] is True and "unmoderated-disagreement" not in c["flags"]
    # The same agreed score for the same reason again: nothing changed, and the file says so byte for byte.
    written = worked.read_bytes()
    again = run_cli("moderate", str(worked), "--as", "P1", "--candidate", "C", "--criterion", "delivery", "--stage", "interview", "--score", "6",
                    "--rationale", "Agreed: strong delivery evidence, P2 had missed the second example.")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"{worked}: nothing changed: the agreed score for C on delivery at interview is already 6, with this rationale"
    assert worked.read_bytes() == written


@pytest.mark.parametrize(
    ("who", "rationale", "message"),
    [
        ("P2", "because", "--as: 'P2' is on the panel as member, not chair; only a chair records agreed scores"),
        ("P1", "  ", "--rationale: a rationale is required: say why the panel agreed 2, which no panel member gave (7, 5, 6)"),
        ("P7", "because", "--as: 'P7' is not on the panel"),
    ],
)
def test_moderate_refusals(worked: Path, who: str, rationale: str, message: str) -> None:
    before = worked.read_bytes()
    result = run_cli(
        "moderate",
        str(worked),
        "--as",
        who,
        "--candidate",
        "C",
        "--criterion",
        "delivery",
        "--stage",
        "interview",
        "--score",
        "2",  # no panel member gave it: a rationale is needed
        "--rationale",
        rationale,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"{worked}: {message}")
    assert worked.read_bytes() == before


def test_moderate_needs_independent_scores(worked: Path) -> None:
    result = run_cli(
        "moderate",
        str(worked),
        "--as",
        "P1",
        "--candidate",
        "F",
        "--criterion",
        "experience",
        "--stage",
        "interview",
        "--score",
        "4",
        "--rationale",
        "x",
    )
    assert result.returncode == 1 and "nothing to moderate" in result.stderr


def test_cli_formats_match_the_renderers() -> None:
    from assessor import cli
    from assessor.report import formats as report

    assert cli.FORMATS == report.FORMATS


def test_html_summary_lists_the_audit_trail(tmp_path: Path) -> None:
    out = tmp_path / "summary.html"
    assert run_cli("summary", str(EXAMPLE), "--format", "html", "-o", str(out)).returncode == 0
    page = out.read_text()
    assert "<h2>Audit trail</h2>" in page
    for row in load_campaign(EXAMPLE).audit:
        assert row.what.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;") in page
