"""`import-candidates` through the real CLI, from CSV files and workbooks made in the test."""

from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
import pytest

from assessor.storage.campaign_file import save_campaign
from assessor.storage.lock import acquire_lock
from tests.conftest import run_cli
from tests.scoring_cases import hand_worked


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    """The worked campaign, still in set-up: anyone may import candidates."""
    path = tmp_path / "worked.toml"
    save_campaign(hand_worked(status="setup"), path)
    return path


def write_source(path: Path, rows: list[list[object]]) -> Path:
    """The same rows as a CSV file or the first sheet of a workbook, by the path's suffix."""
    if path.suffix == ".csv":
        path.write_text("".join(",".join("" if v is None else str(v) for v in row) + "\n" for row in rows), encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        book.create_sheet("Ignored").append(["name"])  # only the first sheet is read
        book.save(path)
    return path


def candidates_in(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text())["candidates"]


def test_import_from_csv(worked: Path, tmp_path: Path) -> None:
    source = write_source(
        tmp_path / "new.csv", [["name", "reference", "adjustments"], ["Ada Lovelace", "REF-X", "Large print"], ["Bob Dylan", None, None]]
    )
    result = run_cli("import-candidates", str(worked), str(source), "--as", "P1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{worked}: imported 2 candidates from new.csv\n"
    assert candidates_in(worked)[-2:] == [
        {"id": "C01", "name": "Ada Lovelace", "reference": "REF-X", "adjustments": "Large print", "withdrawn": False},
        {"id": "C02", "name": "Bob Dylan", "reference": "", "adjustments": "", "withdrawn": False},
    ]
    audit = tomllib.loads(worked.read_text())["audit"][-1]
    assert (audit["who"], audit["what"]) == ("P1", "imported 2 candidates from new.csv")


def test_import_from_xlsx(worked: Path, tmp_path: Path) -> None:
    source = write_source(
        tmp_path / "new.xlsx",
        [["Name", "REFERENCE", "Id"], ["Ada Lovelace", 1001, "N1"], [None, None, None], ["  Bob Dylan  ", "REF-Y"]],
    )
    result = run_cli("import-candidates", str(worked), str(source), "--as", "P1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{worked}: imported 2 candidates from new.xlsx\n"
    added = [(c["id"], c["name"], c.get("reference", "")) for c in candidates_in(worked)[-2:]]
    assert added == [("N1", "Ada Lovelace", "1001"), ("C01", "Bob Dylan", "REF-Y")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_bad_rows_are_listed_and_nothing_is_imported(worked: Path, tmp_path: Path, suffix: str) -> None:
    source = write_source(
        tmp_path / f"bad{suffix}",
        [["name", "reference"], ["Ada Lovelace", "REF-X"], [None, "REF-Y"], ["Bob Dylan", "REF-A"], ["Cy Twombly", "REF-X"]],
    )
    before = worked.read_bytes()
    result = run_cli("import-candidates", str(worked), str(source))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{source}:3: name is empty\n{source}:4: reference 'REF-A' is already used\n{source}:5: reference 'REF-X' is already used\n"
    )
    assert worked.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_missing_name_column_is_refused(worked: Path, tmp_path: Path, suffix: str) -> None:
    source = write_source(tmp_path / f"bad{suffix}", [["full name", "reference"], ["Ada Lovelace", "REF-X"]])
    before = worked.read_bytes()
    result = run_cli("import-candidates", str(worked), str(source))
    assert result.returncode == 1
    columns = "name (required), reference, adjustments, guaranteed_interview, language, id"
    assert result.stderr == f"{source}:1: the header must name the columns: {columns}; found full name, reference\n"
    assert worked.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.txt", b"name\nAda\n", "cannot import a '.txt': use a .csv or .xlsx file"),
        ("broken.xlsx", b"not a workbook", "not a readable .xlsx workbook (BadZipFile: File is not a zip file)"),
    ],
)
def test_unreadable_sources_are_refused(worked: Path, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    before = worked.read_bytes()
    result = run_cli("import-candidates", str(worked), str(source))
    assert (result.returncode, result.stderr) == (1, f"{source}: {message}\n")
    assert worked.read_bytes() == before


def test_import_into_a_locked_campaign_is_refused(worked: Path, tmp_path: Path) -> None:
    source = write_source(tmp_path / "new.csv", [["name"], ["Ada Lovelace"]])
    before = worked.read_bytes()
    with acquire_lock(worked, who="okafor"):
        result = run_cli("import-candidates", str(worked), str(source), "--wait", "0.3")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{worked}: locked by okafor on ") and len(result.stderr.splitlines()) == 1
    assert worked.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,reference,Name\nAda,R1,Ada\n", "{source}:1: the header names the column 'name' twice"),
        ("name,reference\n\n", "{source}:1: no candidates: the header is the only row"),
        (
            "Ada,R1\n",
            "{source}:1: the header must name the columns: name (required), reference, adjustments, guaranteed_interview, language, id; "
            "found ada, r1",
        ),
        ("name,id\nAda,C 1\n", "{source}:2: id 'C 1' is not a valid id (letters, digits, '-', '_' or '.', no spaces, at most 80)"),
    ],
)
def test_header_and_id_problems(worked: Path, tmp_path: Path, text: str, message: str) -> None:
    source = tmp_path / "new.csv"
    source.write_text(text)
    result = run_cli("import-candidates", str(worked), str(source))
    assert (result.returncode, result.stderr) == (1, message.format(source=source) + "\n")


def test_blank_lines_before_the_header_are_skipped(worked: Path, tmp_path: Path) -> None:
    source = tmp_path / "new.csv"
    source.write_text("\n\nname\nAda Lovelace\n")
    assert run_cli("import-candidates", str(worked), str(source)).returncode == 0
    assert [c["name"] for c in candidates_in(worked)[-2:]] == ["Candidate H", "Ada Lovelace"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_that_is_not_a_candidates_detail_is_left_out_and_named(worked: Path, tmp_path: Path, suffix: str) -> None:
    source = write_source(tmp_path / f"new{suffix}", [["Name", "Date applied", "reference"], ["Ada Lovelace", "2026-10-01", "REF-X"]])
    result = run_cli("import-candidates", str(worked), str(source), "--as", "P1")
    assert result.returncode == 0, result.stderr
    said = f"imported 1 candidate from new{suffix} (column not imported: 'Date applied')"
    assert (result.stdout, result.stderr) == (f"{worked}: {said}\n", "")
    assert candidates_in(worked)[-1] == {"id": "C01", "name": "Ada Lovelace", "reference": "REF-X", "adjustments": "", "withdrawn": False}
    assert tomllib.loads(worked.read_text())["audit"][-1]["what"] == said


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_columns_separated_by_semicolons_or_tabs_are_read_as_columns(worked: Path, tmp_path: Path, delimiter: str) -> None:
    source = tmp_path / "new.csv"  # as a spreadsheet saves CSV where the comma is the decimal point
    source.write_text(delimiter.join(["name", "reference", "adjustments"]) + "\n" + delimiter.join(["Ada, Countess", "REF-X", "Large print"]) + "\n")
    result = run_cli("import-candidates", str(worked), str(source))
    assert (result.returncode, result.stderr) == (0, "")
    assert [(c["name"], c["reference"], c["adjustments"]) for c in candidates_in(worked)[-1:]] == [("Ada, Countess", "REF-X", "Large print")]


def test_a_quote_never_closed_is_refused_at_the_row_it_opens(worked: Path, tmp_path: Path) -> None:
    source = tmp_path / "new.csv"
    source.write_text('name,reference\nAda Lovelace,REF-X\n"Bob Dylan,REF-Y\nCy Twombly,REF-Z\n')
    before = worked.read_bytes()
    result = run_cli("import-candidates", str(worked), str(source))
    assert (result.returncode, result.stderr) == (1, f"{source}:3: a quote opened in this row is never closed\n")
    assert worked.read_bytes() == before


def test_ids_made_for_rows_without_one_follow_the_ids_given(worked: Path, tmp_path: Path) -> None:
    source = write_source(tmp_path / "new.csv", [["name", "id"], ["Ada", None], ["Bob", "C05"], ["Cy", None], ["Di", "X1"], ["Ed", None]])
    result = run_cli("import-candidates", str(worked), str(source))
    assert result.stdout == f"{worked}: imported 5 candidates from new.csv\n", result.stderr
    assert [(c["name"], c["id"]) for c in candidates_in(worked)[-5:]] == [("Ada", "C01"), ("Bob", "C05"), ("Cy", "C06"), ("Di", "X1"), ("Ed", "C07")]


def test_a_language_column_says_whose_letter_is_in_welsh(worked: Path, tmp_path: Path) -> None:
    before = worked.read_bytes()
    bad = write_source(tmp_path / "bad.csv", [["name", "language"], ["Ada", "fr"], ["Bryn", "cy"]])
    refused = run_cli("import-candidates", str(worked), str(bad))
    assert (refused.returncode, refused.stderr) == (1, f"{bad}:2: language 'fr' is not one of: en, cy\n")
    assert worked.read_bytes() == before
    source = write_source(tmp_path / "people.csv", [["name", "language"], ["Ada", "en"], ["Bryn", "CY"], ["Cai", ""]])
    assert run_cli("import-candidates", str(worked), str(source)).returncode == 0
    languages = {row["name"]: row.get("language") for row in candidates_in(worked)}
    assert (languages["Ada"], languages["Bryn"], languages["Cai"]) == ("en", "cy", None)
