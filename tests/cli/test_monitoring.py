"""`assessor monitoring` through the real command line, on campaigns and exports written as files:
hand-worked counts, a flagged group, a group under five with its neighbour withheld, the guaranteed
interview schemes, several campaigns added together, and every format saying the same."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.monitoring_cases import Person, seal, write_campaign, write_export
from tests.conftest import run_cli

BLACK, ASIAN = {1, 2, 16}, {3, 4, 5, 17, 18, 19, 20}
DISABILITY_CONFIDENT, VETERANS = {7, 8, 9, 10, 11, 12}, {22, 23}
INTERVIEW = {1: 7, 2: 6, 11: 3, 12: 3, 21: 2}
"""Interview scores where not 5 (pass mark 4): C011, C012 and C021 fail the interview."""


def sift(number: int) -> str:
    """Women C001-C015 (twelve go on), men C016-C030 (six go on); five of the women under Disability Confident only under it."""
    if number in range(8, 13):
        return "guaranteed"
    return "pass" if number <= 12 or 16 <= number <= 21 else "fail"


def hod_people() -> list[Person]:
    people = []
    for number in range(1, 31):
        goes_on = sift(number) in ("pass", "guaranteed")
        scheme = "disability-confident" if number in DISABILITY_CONFIDENT else "veterans" if number in VETERANS else None
        people.append(Person(f"HOD-{number:03d}", sift(number), INTERVIEW.get(number, 5) if goes_on else None, scheme))
    return people


def hod_rows() -> list[list[object]]:
    """The export: reference, sex, ethnicity in the applicant system's own words, a name (not read)."""
    rows: list[list[object]] = []
    for number in range(1, 31):
        ethnicity = "Black, Black British, Caribbean or African" if number in BLACK else "asian" if number in ASIAN else "WHITE"
        rows.append([f"HOD-{number:03d}", "Female" if number <= 15 else "male", ethnicity, f"Applicant Number{number}"])
    return rows


@pytest.fixture
def hod(tmp_path: Path) -> tuple[Path, Path]:
    """A sealed campaign of thirty (C001 offered and accepted, C002 offered), and HR's export with a
    row for someone in no campaign."""
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "hr").mkdir()
    campaign = write_campaign(tmp_path / "campaigns" / "hod.toml", hod_people())
    seal(campaign, [(1, "offered"), (1, "accepted"), (2, "offered")])
    rows = [*hod_rows(), ["XYZ-1", "Female", "White", "Someone Else"]]
    data = write_export(tmp_path / "hr" / "monitoring.csv", ["Reference", "Sex", "Ethnicity", "Name"], rows)
    return campaign, data


SEX = """\
Sex
---
How many                  Applied  Sift  Appointable  Offered  Accepted
  Female                       15    12           10       <5        <5
  Male                         15     6            5       <5        <5
  Prefer not to say             0     0            0        0         0
  Not given                     0     0            0        0         0
  Total                        30    18           15       <5        <5

Rate, ratio                    Sift  Appointable  Offered  Accepted
  Female                   80% 1.00     83% 1.00        -         -
  Male                    40% 0.50!     83% 1.00        -         -
  Prefer not to say               -            -        -         -
  Not given                       -            -        -         -
  Total                         60%          83%        -         -
"""

ETHNICITY_COUNTS = """\
How many                  Applied  Sift  Appointable  Offered  Accepted
  Asian or Asian British      [c]   [c]            7       <5        <5
  Black, Black British,        <5    <5           <5       <5        <5
    Caribbean or African
  Mixed or multiple             0     0            0        0         0
    ethnic groups
  White                        20     8          [c]       <5        <5
  Other ethnic group            0     0            0        0         0
  Prefer not to say             0     0            0        0         0
  Not given                     0     0            0        0         0
  Total                        30    18           15       <5        <5
"""


def test_a_group_below_four_fifths_of_the_best_rate_is_flagged_and_a_small_group_takes_its_neighbour_with_it(hod: tuple[Path, Path]) -> None:
    campaign, data = hod
    done = run_cli("monitoring", str(campaign), "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"{data}: note: column not read: 'Name'\n"
        f"{data}: note: 1 row for nobody in these campaigns, not counted (line 32)\n"  # named by its line, never its reference
    )
    out = done.stdout
    assert out.startswith(f"Diversity monitoring: 30 candidates in 1 campaign\n  {campaign}: Campaign hod (hod; final, sealed)\n")
    assert SEX in out
    assert ETHNICITY_COUNTS in out
    assert "Flagged (four-fifths rule)\n  ! Sex: Male at Went on from Sift: 0.50 of the highest rate\n" in out
    assert "1 row of the monitoring data for nobody in these campaigns, not counted" in out
    assert max(len(line) for line in out.splitlines() if not line.startswith(f"  {campaign}")) <= 80

    report = json.loads(run_cli("monitoring", str(campaign), "--data", str(data), "--format", "json").stdout)
    assert report["files"] == [str(campaign)] and report["steps"] == ["applied", "sift", "appointable", "offered", "accepted"]
    assert report["counts"]["sex"]["male"] == {"applied": 15, "sift": 6, "appointable": 5, "offered": None, "accepted": None}
    assert report["counts"]["ethnicity"]["black"] == dict.fromkeys(report["steps"])  # under five: null at every step
    assert report["counts"]["ethnicity"]["asian"]["applied"] is None  # its neighbour, withheld with it
    assert report["withheld"]["ethnicity"]["asian"] == {"applied": "secondary", "sift": "secondary", "offered": "small", "accepted": "small"}
    assert report["counts"]["ethnicity"]["white"]["appointable"] is None  # then the smallest shown beside Black
    assert report["counts"]["ethnicity"]["total"]["applied"] == 30
    assert report["ratio"]["sex"]["male"]["sift"] == 0.5 and report["ratio"]["sex"]["female"]["appointable"] == 1.0
    assert report["ratio"]["ethnicity"]["white"]["sift"] is None  # no other group's rate is shown to set it beside
    assert report["flags"] == [{"characteristic": "sex", "group": "male", "step": "sift", "ratio": 0.5}]
    assert report["unmatched_rows"] == 1


def test_the_guaranteed_interview_schemes_are_shown_apart(hod: tuple[Path, Path]) -> None:
    campaign, data = hod
    out = run_cli("monitoring", str(campaign), "--data", str(data), "--by", "sex").stdout
    assert (
        "Scheme                    Applied  Guaranteed  Appointable  Offered  Accepted\n"
        "  Disability Confident          6           5           <5       <5        <5\n"
        "  Veterans                     <5          <5           <5       <5        <5\n"
    ) in out
    assert "\nEthnicity\n" not in out  # --by sex: sex alone
    schemes = json.loads(run_cli("monitoring", str(campaign), "--data", str(data), "--format", "json").stdout)["schemes"]
    assert schemes == {
        "disability-confident": {
            "name": "Disability Confident",
            "counts": {"applied": 6, "went-on-under": 5, "appointable": None, "offered": None, "accepted": None},
        },
        "veterans": {"name": "Veterans", "counts": dict.fromkeys(["applied", "went-on-under", "appointable", "offered", "accepted"])},
    }


def test_several_campaigns_are_added_together_and_a_step_one_has_not_reached_is_not_shown(hod: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, data = hod
    hop_people = [Person(f"HOP-{n:03d}", "pass" if n in (1, 2, 3, 6) else "fail", 5 if n in (1, 2, 3, 6) else None) for n in range(1, 11)]
    hop = write_campaign(tmp_path / "campaigns" / "hop.toml", hop_people)  # the sift decided, the interview under way
    rows = [*hod_rows(), *[[f"HOP-{n:03d}", "female" if n <= 5 else "male", "white", ""] for n in range(1, 10)]]  # HOP-010: no row
    data = write_export(data.with_suffix(".xlsx"), ["reference", "sex", "ethnicity", "name"], rows)
    done = run_cli("monitoring", str(campaign), str(hop), "--data", str(data), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["files"] == [str(campaign), str(hop)]
    assert report["steps"] == ["applied", "sift"]
    assert report["not_decided"] == [{"step": step, "waiting": [str(hop)]} for step in ("appointable", "offered", "accepted")]
    sex = report["counts"]["sex"]
    assert sex["total"] == {"applied": 40, "sift": 22}
    assert sex["not-given"] == {"applied": None, "sift": None}  # HOP-010, under five
    assert (sex["female"], sex["male"]) == ({"applied": 20, "sift": 15}, {"applied": None, "sift": None})  # male withheld with it
    assert report["counts"]["ethnicity"]["white"] == {"applied": 29, "sift": 12}
    text = run_cli("monitoring", str(campaign), str(hop), "--data", str(data)).stdout
    assert text.startswith(
        f"Diversity monitoring: 40 candidates in 2 campaigns\n  {campaign}: Campaign hod (hod; final, sealed)\n"
        f"  {hop}: Campaign hop (hop; interview)\nNot known yet: Appointable (waiting for {hop})\n"
    )
    assert "How many                  Applied  Sift\n" in text


def test_a_stage_not_decided_yet_leaves_only_who_applied(tmp_path: Path) -> None:
    people = [Person(f"R-{n}", "pass") for n in range(12)]
    campaign = write_campaign(tmp_path / "open.toml", people, decided=False)
    data = write_export(tmp_path / "data.csv", ["id", "sex"], [[f"C{n:03d}", "female" if n % 2 else "male"] for n in range(1, 13)])
    report = json.loads(run_cli("monitoring", str(campaign), "--data", str(data), "--format", "json").stdout)
    assert report["steps"] == ["applied"]
    assert report["counts"]["sex"]["female"] == {"applied": 6}
    assert [row["step"] for row in report["not_decided"]] == ["sift", "appointable", "offered", "accepted"]


def every_format(campaign: Path, data: Path, folder: Path) -> dict[str, str]:
    """The report in each format, written with -o; the workbook's text as its cells hold it."""
    found = {}
    for fmt in ("text", "csv", "json", "html", "xlsx"):
        out = folder / f"monitoring.{fmt}"
        done = run_cli("monitoring", str(campaign), "--data", str(data), "--format", fmt, "-o", str(out))
        assert (done.returncode, done.stdout) == (0, ""), done.stderr
        if fmt == "xlsx":
            with zipfile.ZipFile(out) as archive:
                found[fmt] = "\n".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
        else:
            found[fmt] = out.read_text(encoding="utf-8-sig")
    return found


def test_no_candidate_is_named_in_any_format_and_each_says_the_same(hod: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, data = hod
    found = every_format(campaign, data, tmp_path)
    for fmt, text in found.items():
        for number in range(1, 31):
            for trace in (f"C{number:03d}", f"HOD-{number:03d}", f"Number{number}"):
                assert trace not in text, (fmt, trace)
        assert "XYZ-1" not in text and "Someone Else" not in text and "Amara Okafor" not in text
    assert "group,Sex,Male,Went on from Sift,6,6,0.4,0.5,yes" in found["csv"].splitlines()
    assert "group,Ethnicity,Asian or Asian British,Applied,[c],,,," in found["csv"].splitlines()
    page = found["html"]
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "") and "https://" not in page
    assert page.count("<svg") == 2 and "@page { size: A4" in page
    assert '<td class="flag" title="flagged">40% 0.50!</td>' in page and ">40% 0.50 !</text>" in page
    sheet = load_workbook(tmp_path / "monitoring.xlsx")["By group"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Sex" and rows[1][:6] == ["Group", "Applied", "Went on from Sift", "Appointable", "Offered", "Accepted"]
    assert rows[3][:6] == ["Male", 15, 6, 5, "<5", "<5"] and rows[3][7] == 0.5
    assert sheet.cell(4, 8).font.bold  # the flagged ratio
    assert ["Asian or Asian British", "[c]", "[c]", 7, "<5", "<5"] in [row[:6] for row in rows]
    flags = load_workbook(tmp_path / "monitoring.xlsx")["Flags"]
    assert list(flags.iter_rows(min_row=2, values_only=True)) == [("Sex", "Male", "Went on from Sift", 0.5)]


def test_text_from_people_is_shown_harmless(tmp_path: Path) -> None:
    people = [Person(f"R-{n}", "pass") for n in range(6)]
    campaign = write_campaign(tmp_path / "c.toml", people)
    text = (
        campaign.read_text()
        .replace('title = "Campaign c"', 'title = "=HYPERLINK(\\"x\\") \\u001b[2J"')
        .replace('name = "Sift"', 'name = "Sift\\u202e"')
    )
    campaign.write_text(text)
    data = write_export(tmp_path / "data.csv", ["reference", "sex"], [[f"R-{n}", "female"] for n in range(6)])
    for fmt in ("text", "csv", "json", "html"):
        out = run_cli("monitoring", str(campaign), "--data", str(data), "--format", fmt).stdout
        assert "\x1b" not in out and "\u202e" not in out, fmt
    cells = [
        cell for row in csv.reader(io.StringIO(run_cli("monitoring", str(campaign), "--data", str(data), "--format", "csv").stdout)) for cell in row
    ]
    assert '\'=HYPERLINK("x") \\x1b[2J' in cells and not any(cell.startswith("=") for cell in cells)


def test_candidates_without_a_reference_count_as_not_given_and_a_note_says_so(tmp_path: Path) -> None:
    campaign = write_campaign(tmp_path / "c.toml", [Person(f"R-{n}" if n < 6 else "") for n in range(9)])
    data = write_export(tmp_path / "data.csv", ["reference", "sex"], [[f"R-{n}", "female"] for n in range(6)])
    done = run_cli("monitoring", str(campaign), "--data", str(data), "--format", "json")
    assert (done.returncode, done.stderr) == (0, f"{campaign}: note: 3 candidates without a reference, counted as not given\n")
    sex = json.loads(done.stdout)["counts"]["sex"]
    assert (sex["total"]["applied"], sex["not-given"]["applied"], sex["female"]["applied"]) == (9, None, None)  # 3 and 6: both withheld
