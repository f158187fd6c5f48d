"""`summary --format xlsx` through the real CLI: the workbook opened with openpyxl and its cells checked."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from assessor.core.campaign import Campaign
from assessor.storage.campaign_file import save_campaign
from tests.conftest import EXAMPLE, ROOT, run_cli
from tests.generate import make_campaign
from tests.scoring_cases import hand_worked

A4_LANDSCAPE_POINTS = 297 / 25.4 * 72
POINTS_PER_WIDTH = 7 * 0.75
"""A unit of column width is a digit of the default font, Calibri 11: 7 pixels, at 0.75 points a pixel."""


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    path = tmp_path / "worked.toml"
    save_campaign(hand_worked(), path)
    return path


def workbook_of(campaign: Path, out: Path, *args: str) -> openpyxl.Workbook:
    result = run_cli("summary", str(campaign), "--format", "xlsx", "-o", str(out), *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    return openpyxl.load_workbook(out)


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def printed_size(sheet) -> float:
    """The font size the sheet prints at, fitted one page wide, worked out from the file as a spreadsheet
    does: the cells' font scaled by the page's printable width (A4 landscape less the side margins) over
    the width of the columns of the print area, in whole percent, never enlarged."""
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    printable = A4_LANDSCAPE_POINTS - 72 * (sheet.page_margins.left + sheet.page_margins.right)
    first, _, last, _ = range_boundaries(sheet.print_area.split("!")[-1].replace("$", ""))  # 'Merit list'!$A$1:$U$40
    columns = [get_column_letter(number) for number in range(first, last + 1)]
    width = sum(sheet.column_dimensions[letter].width for letter in columns) * POINTS_PER_WIDTH
    fonts = {cell.font.sz or 11 for row in sheet.iter_rows() for cell in row if cell.value is not None}  # no size: the default, 11
    assert len(fonts) == 1, fonts
    return fonts.pop() * min(100, math.floor(100 * printable / width)) / 100


def test_merit_list_sheet(worked: Path, tmp_path: Path) -> None:
    book = workbook_of(worked, tmp_path / "merit.xlsx")
    assert book.sheetnames == ["Merit list", "Scores", "Moderation", "Set-up"]
    sheet = book["Merit list"]
    assert rows_of(sheet)[0] == ("Rank", "Candidate", "Name", "Outcome", "Total", "Leadership", "Delivery", "Experience", "Flags", "Notes")
    assert sheet.freeze_panes == "A2"
    by_id = {row[1]: row for row in rows_of(sheet)[1:9]}
    assert [row[1] for row in rows_of(sheet)[1:9]] == ["A", "B", "C", "D", "F", "E", "H", "G"]
    assert by_id["A"][:5] == (1, "A", "Candidate A", "appointable", 23)
    assert by_id["C"][0] == 2 and "tie not broken by the tie-break criteria" in by_id["C"][8]
    e = by_id["E"]
    assert isinstance(e[4], float) and e[4] == 26.33  # 2 x 7 + 3.33 + 1.5 x 6, as the summary rounds it
    assert e[0] is None and e[6] == 3.33 and e[9] == "fail: Delivery 3.33 < 4"
    assert by_id["F"][7] is None  # no experience score yet: an empty cell, not a zero
    assert sheet["D2"].fill.fgColor.rgb == "FFC6EFCE"  # appointable: green
    fails = [row for row in sheet.iter_rows(min_row=2, max_row=9) if row[3].value == "fail"]
    assert {row[3].fill.fgColor.rgb for row in fails} == {"FFFFC7CE"}
    d_leadership = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "D")[5]
    assert d_leadership.value == 5 and d_leadership.font.b  # moderated: bold
    assert sheet.column_dimensions["J"].width > sheet.column_dimensions["A"].width  # fitted to the notes
    assert printed_size(sheet) >= 8  # three criteria: their names fit, and no key is needed
    assert "Code" not in [row[0] for row in rows_of(sheet)]


def test_scores_moderation_and_setup_sheets(worked: Path, tmp_path: Path) -> None:
    book = workbook_of(worked, tmp_path / "merit.xlsx")
    scores = rows_of(book["Scores"])
    assert scores[0] == ("Candidate", "Name", "Criterion", "Stage", "Panel member", "Score", "Evidence", "Time (UTC)")
    assert book["Scores"].freeze_panes == "A2"
    assert ("A", "Candidate A", "Leadership", "Interview", "Chair Person", 6, "P1 on A", datetime(2026, 11, 20, 10, 0)) in scores
    assert ("A", "Candidate A", "Delivery", "Interview", "Member Two", 5, None, datetime(2026, 11, 20, 10, 0)) in scores  # no evidence
    assert len(scores) - 1 == sum(1 for values in hand_worked().scores if values.stage == "interview")
    assert rows_of(book["Moderation"]) == [
        ("Candidate", "Name", "Criterion", "Stage", "Agreed score", "Rationale", "By", "Time (UTC)"),
        ("D", "Candidate D", "Leadership", "Interview", 5, "agreed at wash-up", "Chair Person", datetime(2026, 11, 20, 10, 0)),
    ]
    setup = rows_of(book["Set-up"])
    assert ("Title", "Hand-worked ranking") in [row[:2] for row in setup]
    assert ("Leadership", "leadership", "behaviours", "Sift, Interview", 4, 2, "lead", None) in setup
    assert ("Delivery", "delivery", "experience", "Interview", 4, 1, None, 1) in setup  # first tie-break
    assert ("Interview", "interview", "Interview", "yes") in [row[:4] for row in setup]
    assert ("Member Three", "P3", "independent") in [row[:3] for row in setup]


def test_name_blind_sift_hides_names_on_every_sheet(worked: Path, tmp_path: Path) -> None:
    def names_in(book: openpyxl.Workbook) -> set[str]:
        cells = {str(value) for sheet in book for row in rows_of(sheet) for value in row if value is not None}
        return {f"Candidate {c}" for c in "ABCDEFGH"} & cells

    blind = workbook_of(worked, tmp_path / "sift.xlsx", "--stage", "sift")
    assert names_in(blind) == set()
    assert rows_of(blind["Merit list"])[0][2] == "Reference"
    assert "REF-A" in {row[1] for row in rows_of(blind["Scores"])}
    named = workbook_of(worked, tmp_path / "named.xlsx", "--stage", "sift", "--names")
    assert names_in(named) == {f"Candidate {c}" for c in "ABCDEFGH"}


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    data = hand_worked().model_dump(by_alias=True)
    data["scores"][0]["evidence"] = '=HYPERLINK("http://example.org","x")\u0007'
    path = tmp_path / "formula.toml"
    save_campaign(Campaign.model_validate(data), path)
    book = workbook_of(path, tmp_path / "out.xlsx")
    cell = next(row[6] for row in book["Scores"].iter_rows(min_row=2) if row[6].value and row[6].value.startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.value.endswith('"x")\ufffd')


def test_xlsx_needs_an_output_file(worked: Path) -> None:
    result = run_cli("summary", str(worked), "--format", "xlsx")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "assessor summary: error: --format xlsx needs -o OUT.xlsx (a workbook cannot be printed)\n"


def test_xlsx_output_is_replaced_only_with_force(worked: Path, tmp_path: Path) -> None:
    out = tmp_path / "merit.xlsx"
    out.write_bytes(b"keep me")
    refused = run_cli("summary", str(worked), "--format", "xlsx", "-o", str(out))
    assert refused.returncode == 1 and out.read_bytes() == b"keep me"
    assert run_cli("summary", str(worked), "--format", "xlsx", "-o", str(out), "--force").returncode == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Merit list"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["merit.xlsx", "worked.toml"]  # no temporary file left


def test_text_formats_never_load_openpyxl() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from assessor import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = cli.main(['summary', {str(EXAMPLE)!r}, '--format', 'csv'])\n"
        "assert code == 0, code\n"
        "assert 'openpyxl' not in sys.modules, 'openpyxl was imported'\n"
        "print('clean')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "clean", result.stderr


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_row_and_rows_tall_enough(tmp_path: Path) -> None:
    example = tmp_path / "example.toml"
    example.write_bytes(EXAMPLE.read_bytes())
    book = workbook_of(example, tmp_path / "print.xlsx")
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_area and sheet.oddFooter.center.text == "Page &P of &N"
        assert sheet.oddHeader.center.text.startswith("DRAFT: Head of Digital")  # not final: said on every printed page
        if sheet.max_row > 1 and sheet.title != "Set-up":
            assert sheet.print_title_rows == "$1:$1"  # the header row on every printed page
    scores = book["Scores"]
    wrapped = [cell.row for row in scores.iter_rows(min_row=2) for cell in row if cell.alignment.wrap_text]
    assert wrapped and all((scores.row_dimensions[row].height or 0) > 15 for row in wrapped)  # wrapped evidence has room


@pytest.mark.parametrize("count", [7, 14])
def test_a_wide_merit_list_prints_legibly_with_coded_criteria_and_their_key(tmp_path: Path, count: int) -> None:
    campaign = make_campaign(30, count, 3, seed=5)
    path = tmp_path / "wide.toml"
    save_campaign(campaign, path)
    sheet = workbook_of(path, tmp_path / "wide.xlsx")["Merit list"]
    rows = rows_of(sheet)
    codes = [f"Cr{number}" for number in range(1, count + 1)]
    assert rows[0] == ("Rank", "Candidate", "Name", "Outcome", "Total", *codes, "Flags", "Notes")
    assert all(isinstance(row[5], (int, float)) for row in rows[1:31] if row[3] != "incomplete")  # scores under the codes
    # Their names would print at 4 points or less: coded, they print at 8 or more on one A4 landscape page.
    assert printed_size(sheet) >= 8
    # The key under the table: each code and the criterion it stands for, as the HTML archive words it.
    start = next(number for number, row in enumerate(rows) if row[0] == "Code")
    assert start > 31 and rows[start][:2] == ("Code", "Criterion (stage)") and sheet.cell(start + 1, 1).font.b
    key = [row[:2] for row in rows[start + 1 : start + 1 + count]]
    assert key == [(code, f"{criterion.name} (Interview)") for code, criterion in zip(codes, campaign.criteria, strict=True)]
    assert sheet.auto_filter.ref.endswith("31")  # sorting and filtering take the candidates' rows, not the key
    if count > 8:  # the HTML archive codes a list this wide too: the same codes for the same criteria
        html = run_cli("summary", str(path), "--format", "html").stdout
        assert all(f"<tr><td>{code}</td><td>{words}</td></tr>" in html for code, words in key)


def test_every_cell_sits_at_the_top_of_its_row(tmp_path: Path) -> None:
    example = tmp_path / "example.toml"
    example.write_bytes(EXAMPLE.read_bytes())
    book = workbook_of(example, tmp_path / "top.xlsx")
    for sheet in book.worksheets:
        placed = {cell.alignment.vertical for row in sheet.iter_rows() for cell in row if cell.value is not None}
        assert placed == {"top"}, sheet.title
    merit = book["Merit list"]
    noted = next(row for row in merit.iter_rows(min_row=2) if row[-1].value and row[-1].alignment.wrap_text)  # a note of several lines
    assert noted[0].alignment.vertical == noted[-1].alignment.vertical == "top"  # level with its own rank, not the next row's
