"""`assessor register` and `assessor purge --due` over a folder of campaigns built in the test:
sealed with retention passed, sealed with a reserve list about to end, tampered, in interview,
broken, with files left in a sheets folder; every format; the cache in the user's cache folder."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from assessor.changes.seal import finalise
from assessor.storage.campaign_file import load_campaign, save_campaign, written_data
from tests.cli.conftest import finalise_long_ago
from tests.conftest import MINIMAL, run_cli

TODAY = datetime.now(UTC).date()


def sealed_at(source: Path, path: Path, at: datetime) -> None:
    campaign = load_campaign(source)
    save_campaign(finalise(campaign, chair="P1", at=at, file_data=written_data, force=True, rationale="Signed off for the register."), path)


@pytest.fixture
def archive(tmp_path: Path, clean: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A department's folder: six campaign files, a framework file and a score sheet that are not campaigns."""
    monkeypatch.setenv("ASSESSOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "archive"
    (folder / "2025").mkdir(parents=True)
    base = load_campaign(clean)
    save_campaign(base.model_copy(update={"campaign": base.campaign.model_copy(update={"retain_until": None})}), folder / "2025" / "old.toml")
    finalise_long_ago(folder / "2025" / "old.toml", "P1")  # reserve list and retention long past
    ends = TODAY + timedelta(days=12)  # finalised a year before the reserve list's end: it ends in 12 days
    sealed_at(clean, folder / "ending.toml", datetime(ends.year - 1, ends.month, min(ends.day, 28), 9, 0, tzinfo=UTC))
    sealed_at(clean, folder / "tampered.toml", datetime.now(UTC).replace(microsecond=0) - timedelta(days=1))
    tampered = folder / "tampered.toml"
    tampered.write_text(tampered.read_text().replace('name = "Jordan Ellis"', 'name = "Jordan Ellys"'))
    shutil.copyfile(MINIMAL, folder / "interview.toml")
    (folder / "interview.sheets").mkdir()
    (folder / "interview.sheets" / ".P2.toml.swp").write_bytes(b"an editor's copy of a sheet")
    (folder / "broken.toml").write_text("[campaign\n")
    (folder / "ending.sheets").mkdir()
    (folder / "ending.sheets" / "P2.toml").write_text("left behind")
    shutil.copyfile(Path(__file__).resolve().parents[2] / "reference" / "success-profiles.toml", folder / "framework.toml")
    return folder


def register(*args: str) -> tuple[int, str, str]:
    result = run_cli("register", *args)
    return result.returncode, result.stdout, result.stderr


def test_every_campaign_is_a_row_with_what_is_due(archive: Path) -> None:
    code, out, err = register(str(archive), "--format", "json")
    assert code == 1
    rows = {Path(row["file"]).name: row for row in json.loads(out)["campaigns"]}
    assert sorted(rows) == ["broken.toml", "ending.toml", "interview.toml", "old.toml", "tampered.toml"]
    old = rows["old.toml"]
    purge_from = load_campaign(archive / "2025" / "old.toml").campaign.retain_until + timedelta(days=1)  # type: ignore[operator]
    assert old["due"] == [f"purge due since {purge_from.isoformat()}"] and old["seal"] == "matches" and old["status"] == "final"
    assert (old["id"], old["title"], old["candidates"], old["vacancies"], old["level"]) == ("minimal-2026", "Head of Profession, Digital", 2, 1, 4)
    assert rows["ending.toml"]["due"] == ["score sheets left after the seal", "reserve list ends in 12 days"]
    assert rows["ending.toml"]["reserve_until"] == (TODAY + timedelta(days=12)).isoformat()
    assert rows["tampered.toml"]["seal"] == "broken" and rows["tampered.toml"]["due"] == ["seal broken"]
    assert rows["interview.toml"]["due"] == ["files in the sheets folder not counted"]
    assert (rows["interview.toml"]["stage"], rows["interview.toml"]["seal"]) == ("Interview", "none")
    assert rows["broken.toml"]["problem"].startswith("line 1: broken TOML") and rows["broken.toml"]["due"] == ["file does not load"]
    assert err.splitlines() == [
        f"{archive / 'broken.toml'}: does not load: {rows['broken.toml']['problem']}",
        f"{archive / 'tampered.toml'}: seal broken: {'seal mismatch: the content changed after sealing; changed since sealing: candidates'}",
    ]
    assert set(old) == {
        "file", "id", "title", "role", "level", "status", "stage", "candidates", "vacancies", "offered", "accepted", "declined",
        "withdrawn", "seal", "reserve_until", "retain_until", "due", "problem",
    }  # fmt: skip


def test_due_keeps_what_needs_hr_soonest_first_in_every_format(archive: Path, tmp_path: Path) -> None:
    code, out, _ = register(str(archive), "--due", "--format", "csv")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [Path(row["file"]).name for row in rows] == ["broken.toml", "tampered.toml", "old.toml", "ending.toml", "interview.toml"]
    assert rows[3]["due"] == "score sheets left after the seal; reserve list ends in 12 days"
    text = register(str(archive), "--due")[1]
    assert "  due: seal broken\n" in text and text.rstrip().endswith("5 campaigns, 5 with something due.")
    assert all(len(line) <= 80 for line in text.splitlines() if not line.startswith(str(archive)))
    written = tmp_path / "register.csv"
    assert run_cli("register", str(archive), "--format", "csv", "-o", str(written)).returncode == 1
    assert written.read_bytes().startswith(b"\xef\xbb\xbffile,id,title")  # opens in a spreadsheet with its accents
    book = tmp_path / "register.xlsx"
    assert run_cli("register", str(archive), "--format", "xlsx", "-o", str(book)).returncode == 1
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None and [cell.value for cell in sheet[1]][:3] == ["File", "Id", "Title"] and sheet.max_row == 6
    page = register(str(archive), "--format", "html")[1]
    assert "<thead><tr><th>File</th>" in page and page.count('<tr class="due">') == 5
    usage = run_cli("register", str(archive), "--format", "xlsx")
    assert (usage.returncode, usage.stderr) == (2, "assessor register: error: --format xlsx needs -o OUT.xlsx (a workbook cannot be printed)\n")


def test_recorded_digests_are_checked(archive: Path, tmp_path: Path) -> None:
    recorded = tomllib.loads((archive / "2025" / "old.toml").read_text())["seal"]["sha256"]
    digests = tmp_path / "digests.csv"
    digests.write_text(f"file,digest\narchive/2025/old.toml,{recorded}\nending.toml,{'0' * 64}\n")
    code, out, err = register(str(archive / "2025" / "old.toml"), str(archive / "ending.toml"), str(archive / "interview.toml"),
                              "--digests", str(digests), "--format", "json")  # fmt: skip
    assert code == 1
    states = {Path(row["file"]).name: row["digest"] for row in json.loads(out)["campaigns"]}
    assert states == {"old.toml": "matches", "ending.toml": "differs", "interview.toml": "not recorded"}
    assert err == f"{archive / 'ending.toml'}: the seal is not the digest recorded in {digests}\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,hash\n")
    refused = run_cli("register", str(archive), "--digests", str(bad))
    assert (refused.returncode, refused.stderr) == (1, f"{bad}:1: the header must name the columns file and digest (or sha256)\n")
    missing = run_cli("register", str(tmp_path / "nowhere"))
    assert (missing.returncode, missing.stderr) == (1, f"{tmp_path / 'nowhere'}: no such file or folder\n")


def test_purge_due_purges_each_campaign_past_retention_after_one_question(archive: Path) -> None:
    declined = run_cli("purge", "--due", str(archive), "--as", "P1")
    assert declined.returncode == 0 and declined.stdout.endswith("nothing purged\n")
    assert "Purge personal data from 1 campaign file? [y/N]" in declined.stdout
    assert load_campaign(archive / "2025" / "old.toml").candidates[0].name == "Jordan Ellis"
    done = run_cli("purge", "--due", str(archive), "--as", "P1", "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(f"{archive / '2025' / 'old.toml'}: purge due since ")
    assert f"{archive / '2025' / 'old.toml'}: personal data purged;" in done.stdout
    assert load_campaign(archive / "2025" / "old.toml").candidates[0].name == "C01"
    again = run_cli("purge", "--due", str(archive), "--as", "P1", "--yes")
    assert (again.returncode, again.stdout) == (0, "nothing to purge: no campaign under those paths is past its retention date\n")
    usage = run_cli("purge", str(archive / "ending.toml"), str(archive / "interview.toml"))
    assert usage.returncode == 2 and "--due purges every campaign due" in usage.stderr


def test_the_cache_is_used_until_a_file_changes_and_a_broken_cache_is_rebuilt(archive: Path, tmp_path: Path) -> None:
    assert register(str(archive), "--format", "json")[0] == 1
    cache = tmp_path / "cache" / "register.json"
    held = json.loads(cache.read_text())
    key = str((archive / "interview.toml").absolute())
    assert "Jordan" not in cache.read_text()  # no candidate's data in the cache
    held["files"][key]["facts"]["title"] = "From the cache"
    cache.write_text(json.dumps(held))
    titles = {Path(row["file"]).name: row["title"] for row in json.loads(register(str(archive), "--format", "json")[1])["campaigns"]}
    assert titles["interview.toml"] == "From the cache"  # the same file: not read again
    text = (archive / "interview.toml").read_text()
    (archive / "interview.toml").write_text(text.replace("Head of Profession, Digital", "Head of Profession, Data"))
    titles = {Path(row["file"]).name: row["title"] for row in json.loads(register(str(archive), "--format", "json")[1])["campaigns"]}
    assert titles["interview.toml"] == "Head of Profession, Data"  # changed: read again
    for broken in ("not json", json.dumps({"format": 1, "version": "0.0.0-other", "files": held["files"]})):
        cache.write_text(broken)
        titles = {Path(row["file"]).name: row["title"] for row in json.loads(register(str(archive), "--format", "json")[1])["campaigns"]}
        assert titles["interview.toml"] == "Head of Profession, Data"
        assert json.loads(cache.read_text())["files"][key]["facts"]["title"] == "Head of Profession, Data"  # rebuilt


def test_a_tampered_seal_is_never_reported_from_the_cache(archive: Path) -> None:
    path = archive / "ending.toml"
    assert json.loads(register(str(path), "--format", "json")[1])["campaigns"][0]["seal"] == "matches"
    stat = path.stat()
    path.write_text(path.read_text().replace('name = "Sofia Marchetti"', 'name = "Sofia Marchetto"'))
    assert path.stat().st_size == stat.st_size  # same size: only the time and the content tell
    assert json.loads(register(str(path), "--format", "json")[1])["campaigns"][0]["seal"] == "broken"


def test_every_format_says_the_same_of_each_campaign(archive: Path, tmp_path: Path) -> None:
    expected = {Path(row["file"]).name: "; ".join(row["due"]) for row in json.loads(register(str(archive), "--format", "json")[1])["campaigns"]}
    assert len(expected) == 5 and all(expected.values())
    from_csv = {Path(row["file"]).name: row["due"] for row in csv.DictReader(io.StringIO(register(str(archive), "--format", "csv")[1]))}
    book = tmp_path / "register.xlsx"
    run_cli("register", str(archive), "--format", "xlsx", "-o", str(book))
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None
    heads = [cell.value for cell in sheet[1]]
    from_xlsx = {Path(str(row[heads.index("File")])).name: row[heads.index("Due")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    page = register(str(archive), "--format", "html")[1]
    text = register(str(archive))[1]
    assert from_csv == from_xlsx == expected
    for name, due in expected.items():
        assert f"{name}</td>" in page and f"<td>{due}</td>" in page
        block = text.split(str(archive / name) if name != "old.toml" else str(archive / "2025" / name))[1].split(str(archive))[0]
        assert due in " ".join(block.split()) or (name == "broken.toml" and "does not load" in block)
