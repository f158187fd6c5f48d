"""`assessor monitoring` refuses bad input in one line each, changes nothing on disk, and never keeps
HR's monitoring data: not beside the campaign, not in its file or its sheets, not in the config folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.cli.monitoring_cases import Person, write_campaign, write_export
from tests.conftest import run_cli

GROUPS = "asian, black, mixed, white, other, prefer-not-to-say"


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file under the folders, hidden ones too, with a digest of its bytes."""
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path]:
    """A campaign at interview (the sift decided) with a panel member's score sheet, and an export in another folder."""
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "hr").mkdir()
    people = [Person(f"REF-{n:02d}", "pass" if n % 3 else "fail") for n in range(1, 13)]
    campaign = write_campaign(tmp_path / "campaigns" / "hop.toml", people)
    scored = run_cli("score", str(campaign), "--as", "P2", "--candidate", "C001", "--criterion", "leadership", "--stage", "interview", "--score", "5")
    assert scored.returncode == 0, scored.stderr
    assert (tmp_path / "campaigns" / "hop.sheets" / "P2.toml").is_file()
    rows = [[f"REF-{n:02d}", "Female" if n <= 6 else "Male", "White" if n % 2 else "Asian or Asian British"] for n in range(1, 13)]
    data = write_export(tmp_path / "hr" / "monitoring.csv", ["reference", "sex", "ethnicity"], [*rows, ["GHOST-77", "Female", "White"]])
    return campaign, data


def test_the_monitoring_data_is_never_stored(case: tuple[Path, Path], tmp_path: Path, private_config: Path) -> None:
    campaign, data = case
    before = snapshot(tmp_path / "campaigns", tmp_path / "hr", private_config)
    (tmp_path / "out").mkdir()
    for fmt in ("text", "json", "csv", "html", "xlsx"):
        done = run_cli("monitoring", str(campaign), "--data", str(data), "--format", fmt, "-o", str(tmp_path / "out" / f"report.{fmt}"))
        assert done.returncode == 0, done.stderr
    printed = run_cli("monitoring", str(campaign), "--data", str(data))
    assert printed.returncode == 0 and "Female" in printed.stdout
    assert (
        snapshot(tmp_path / "campaigns", tmp_path / "hr", private_config) == before
    )  # nothing beside the campaign, in it, its sheets, or the config
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [f"report.{fmt}" for fmt in ("csv", "html", "json", "text", "xlsx")]
    everything = b"".join((tmp_path / "out" / name).read_bytes() for name in sorted(path.name for path in (tmp_path / "out").iterdir()))
    assert b"GHOST-77" not in everything and b"REF-0" not in everything
    assert "GHOST-77" not in printed.stderr  # a row for nobody is named by its line
    assert printed.stderr == f"{data}: note: 1 row for nobody in these campaigns, not counted (line 14)\n"


def refused(result: object) -> tuple[int, list[str], str]:
    return result.returncode, result.stderr.splitlines(), result.stdout  # type: ignore[attr-defined]


def test_a_value_that_is_no_group_is_refused_a_line_each_unless_counted_as_not_given(case: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, data = case
    rows = [["REF-01", "female", "Martian"], ["REF-02", "female", "White"], ["REF-03", "Robot", "Venusian"]]
    bad = write_export(data.with_name("bad.csv"), ["reference", "sex", "ethnicity"], rows)
    before = snapshot(tmp_path)
    assert refused(run_cli("monitoring", str(campaign), "--data", str(bad))) == (
        1,
        [
            f"{bad}:2: ethnicity 'Martian' is not a group of ethnicity (one of: {GROUPS})",
            f"{bad}:4: sex 'Robot' is not a group of sex (one of: female, male, prefer-not-to-say)",
            f"{bad}:4: ethnicity 'Venusian' is not a group of ethnicity (one of: {GROUPS})",
        ],
        "",
    )
    assert snapshot(tmp_path) == before
    lenient = run_cli("monitoring", str(campaign), "--data", str(bad), "--unknown", "as-not-given", "--min-group", "3")
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.splitlines() == [
        f"{bad}: note: 1 value of sex matched no group, counted as not given (line 4)",
        f"{bad}: note: 2 values of ethnicity matched no group, counted as not given (lines 2, 4)",
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["name", "sex"], "1: the header must name a reference (or id) column and a column per characteristic"),
        (["reference", "colour"], "1: the header names no characteristic (one of: sex, ethnicity,"),
        (["reference", "sex", "Sex"], "1: the header names the column 'sex' twice"),
    ],
)
def test_an_export_without_its_columns_is_refused_in_one_line(case: tuple[Path, Path], tmp_path: Path, header: list[str], message: str) -> None:
    campaign, data = case
    bad = write_export(data.with_name("bad.xlsx"), header, [["REF-01", "female", "female"][: len(header)]])
    before = snapshot(tmp_path)
    code, lines, out = refused(run_cli("monitoring", str(campaign), "--data", str(bad)))
    assert (code, len(lines), out) == (1, 1, "")
    assert lines[0].startswith(f"{bad}:{message}")
    assert snapshot(tmp_path) == before


def test_wrong_usage_is_refused_before_anything_is_read(case: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, data = case
    before = snapshot(tmp_path)
    too_small = run_cli("monitoring", str(campaign), "--data", str(data), "--min-group", "2")
    assert (too_small.returncode, too_small.stdout) == (2, "")
    assert too_small.stderr.splitlines()[-1] == "assessor monitoring: error: argument --min-group: must be 3 to 100000, not 2"
    workbook = run_cli("monitoring", str(campaign), "--data", str(data), "--format", "xlsx")
    assert (workbook.returncode, workbook.stderr) == (
        2,
        "assessor monitoring: error: --format xlsx needs -o OUT.xlsx (a workbook cannot be printed)\n",
    )
    colour = run_cli("monitoring", str(campaign), "--data", str(data), "--by", "sex,colour")
    assert colour.returncode == 2 and colour.stderr.startswith("assessor monitoring: error: --by: 'colour' is not a characteristic (one of: sex,")
    assert len(colour.stderr.splitlines()) == 1
    assert run_cli("monitoring", str(campaign)).returncode == 2  # --data is required
    assert snapshot(tmp_path) == before


def test_bad_input_is_one_line_and_exit_1(case: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, data = case
    before = snapshot(tmp_path)
    missing = tmp_path / "hr" / "nowhere.csv"
    assert refused(run_cli("monitoring", str(campaign), "--data", str(missing)))[:2] == (1, [f"{missing}: no such file"])
    religion = refused(run_cli("monitoring", str(campaign), "--data", str(data), "--by", "religion-or-belief"))
    assert religion[:2] == (1, [f"{data}:1: no column for Religion or belief (--by)"])
    few = write_campaign(tmp_path / "few.toml", [Person(f"REF-{n:02d}") for n in range(1, 5)])
    assert refused(run_cli("monitoring", str(few), "--data", str(data)))[:2] == (
        1,
        [f"{few}: 4 candidates in all, fewer than --min-group 5: any report would identify them"],
    )
    by_id = write_export(data.with_name("ids.csv"), ["id", "sex"], [["C001", "female"]])
    two = refused(run_cli("monitoring", str(campaign), str(few), "--data", str(by_id)))
    assert two[0] == 1 and two[1] == [
        f"{by_id}:1: an id column names candidates of one campaign only (every campaign has a C001): give a reference column"
    ]
    out = tmp_path / "out.json"
    out.write_text("{}")
    taken = refused(run_cli("monitoring", str(campaign), "--data", str(data), "-o", str(out)))
    assert taken[:2] == (1, [f"{out}: already exists; add --force to replace it"])
    assert run_cli("monitoring", str(campaign), "--data", str(data), "-o", str(out), "--force").returncode == 0
    assert out.read_text().startswith("Diversity monitoring")
    out.unlink()
    snapshot_now = snapshot(tmp_path)
    snapshot_now.pop(str(few))
    snapshot_now.pop(str(by_id))
    assert snapshot_now == before
