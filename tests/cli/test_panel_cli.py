"""`assessor panel` through the real command, and the panel `advance` asks for before the sift."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessor.core.identity import current_user
from assessor.storage.campaign_file import load_campaign
from tests.conftest import EXAMPLE, run_cli


@pytest.fixture
def new_campaign(tmp_path: Path) -> Path:
    """A campaign just made from a role template: in set-up, nobody on the panel, no candidates."""
    path = tmp_path / "hod-2027.toml"
    assert run_cli("new", str(path), "--role", "head-of-digital").returncode == 0
    return path


@pytest.fixture
def in_set_up(tmp_path: Path) -> Path:
    """The example as it was in set-up (with its scores): Okafor chairs, Whitfield, and Raman the independent."""
    path = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, path)
    path.write_text(path.read_text().replace('status = "interview"', 'status = "setup"'))
    return path


@pytest.fixture
def at_interview(tmp_path: Path) -> Path:
    path = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, path)
    return path


def applicants(tmp_path: Path) -> Path:
    source = tmp_path / "applicants.csv"
    source.write_text("name,reference\nGrace Hopper,R-1\nAda Lovelace,R-2\n", encoding="utf-8")
    return source


def test_hr_adds_the_panel_in_set_up_as_themselves(new_campaign: Path) -> None:
    added = run_cli("panel", str(new_campaign), "--add", "okafor", "--name", "Amara Okafor", "--role", "chair")
    assert (added.returncode, added.stdout, added.stderr) == (0, f"{new_campaign}: added chair Amara Okafor (okafor) to the panel\n", "")
    added = run_cli("panel", str(new_campaign), "--as", "hr-officer", "--add", "raman", "--name", "Priya Raman", "--role", "independent")
    assert added.stdout == f"{new_campaign}: added independent Priya Raman (raman) to the panel\n"
    campaign = load_campaign(new_campaign)
    assert [(m.id, m.name, m.role) for m in campaign.panel] == [("okafor", "Amara Okafor", "chair"), ("raman", "Priya Raman", "independent")]
    assert [(row.who, row.what) for row in campaign.audit[-2:]] == [
        (current_user(), "added chair Amara Okafor (okafor) to the panel"),
        ("hr-officer", "added independent Priya Raman (raman) to the panel"),
    ]


def test_in_set_up_a_member_is_edited_and_removed(in_set_up: Path) -> None:
    edited = run_cli("panel", str(in_set_up), "--as", "hr-officer", "--edit", "whitfield", "--name", "Tom Whitfield-Jones", "--role", "independent")
    assert (edited.returncode, edited.stdout) == (0, f"{in_set_up}: panel member whitfield: name 'Tom Whitfield-Jones', role 'independent'\n")
    assert [(m.name, m.role) for m in load_campaign(in_set_up).panel if m.id == "whitfield"] == [("Tom Whitfield-Jones", "independent")]
    added = run_cli("panel", str(in_set_up), "--as", "hr-officer", "--add", "lee", "--name", "Sam Lee", "--role", "member")
    assert added.returncode == 0
    removed = run_cli("panel", str(in_set_up), "--as", "hr-officer", "--remove", "lee")
    assert (removed.returncode, removed.stdout, removed.stderr) == (0, f"{in_set_up}: removed lee from the panel\n", "")
    campaign = load_campaign(in_set_up)
    assert [m.id for m in campaign.panel] == ["okafor", "whitfield", "raman"]
    assert (campaign.audit[-1].who, campaign.audit[-1].what) == ("hr-officer", "removed lee from the panel")


def test_someone_who_has_scored_is_not_removed(in_set_up: Path) -> None:
    before = in_set_up.read_bytes()
    refused = run_cli("panel", str(in_set_up), "--as", "okafor", "--remove", "raman")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [f"{in_set_up}: raman has scored; they stay on the panel so their scores keep their author"]
    assert in_set_up.read_bytes() == before


def test_a_value_the_file_refuses_is_named_by_its_option(new_campaign: Path) -> None:
    run_cli("panel", str(new_campaign), "--add", "okafor", "--name", "Amara Okafor", "--role", "chair")
    before = new_campaign.read_bytes()
    again = run_cli("panel", str(new_campaign), "--add", "okafor", "--name", "Another Okafor", "--role", "member")
    assert (again.returncode, again.stderr.splitlines()) == (1, [f"{new_campaign}: --add: duplicate id 'okafor'"])
    blank = run_cli("panel", str(new_campaign), "--edit", "okafor", "--name", " ")
    assert (blank.returncode, blank.stderr.splitlines()) == (1, [f"{new_campaign}: --name: must not be empty"])
    assert new_campaign.read_bytes() == before


def test_after_set_up_only_the_chair_with_a_reason(at_interview: Path) -> None:
    before = at_interview.read_bytes()
    adding = ("--add", "lee", "--name", "Sam Lee", "--role", "member")
    member = run_cli("panel", str(at_interview), "--as", "raman", *adding, "--reason", "Whitfield is ill.")
    only_the_chair = "from the sift on only the chair (Amara Okafor, okafor) may change the panel (adding a replacement member), with a reason"
    assert (member.returncode, member.stderr.splitlines()) == (1, [f"{at_interview}: --as: {only_the_chair}"])
    no_reason = run_cli("panel", str(at_interview), "--as", "okafor", *adding)
    assert (no_reason.returncode, no_reason.stderr.splitlines()) == (
        1,
        [f"{at_interview}: --reason: changing the panel (adding a replacement member) after set-up needs a reason, written to the audit"],
    )
    frozen = f"{at_interview}: the set-up is frozen from the sift on (status interview): nobody can change the panel's members and their roles now"
    for change in (("--edit", "raman", "--role", "member"), ("--remove", "whitfield")):
        refused = run_cli("panel", str(at_interview), "--as", "okafor", *change, "--reason", "x")
        assert (refused.returncode, refused.stderr.splitlines()) == (1, [frozen])
    assert at_interview.read_bytes() == before

    added = run_cli("panel", str(at_interview), "--as", "okafor", *adding, "--reason", "Whitfield is ill.")
    assert (added.returncode, added.stdout) == (0, f"{at_interview}: added member Sam Lee (lee) to the panel; reason: Whitfield is ill.\n")
    named = run_cli("panel", str(at_interview), "--as", "okafor", "--edit", "raman", "--name", "Priya Raman-Shah", "--reason", "Married.")
    assert named.stdout == f"{at_interview}: panel member raman: name 'Priya Raman-Shah'; reason: Married.\n"
    campaign = load_campaign(at_interview)
    assert [(row.who, row.what) for row in campaign.audit[-2:]] == [
        ("okafor", "added member Sam Lee (lee) to the panel; reason: Whitfield is ill."),
        ("okafor", "panel member raman: name 'Priya Raman-Shah'; reason: Married."),
    ]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ((), "one of the arguments --add --edit --remove is required"),
        (("--add", "lee", "--remove", "raman"), "argument --remove: not allowed with argument --add"),
        (("--add", "lee", "--name", "Sam Lee"), "--add needs --name and --role"),
        (("--edit", "raman"), "--edit needs --name, --role or both"),
        (("--remove", "raman", "--role", "member"), "--remove takes no --name or --role"),
        (("--add", "lee", "--name", "Sam Lee", "--role", "observer"), "argument --role: invalid choice: 'observer'"),
    ],
)
def test_wrong_usage_exits_2_and_changes_nothing(in_set_up: Path, options: tuple[str, ...], error: str) -> None:
    before = in_set_up.read_bytes()
    result = run_cli("panel", str(in_set_up), *options)
    assert (result.returncode, result.stdout) == (2, "")
    assert f"assessor panel: error: {error}" in result.stderr
    assert in_set_up.read_bytes() == before


def test_advance_refuses_a_panel_of_one_listing_the_gap(new_campaign: Path, tmp_path: Path) -> None:
    run_cli("panel", str(new_campaign), "--add", "okafor", "--name", "Amara Okafor", "--role", "chair")
    assert run_cli("import-candidates", str(new_campaign), str(applicants(tmp_path))).returncode == 0
    before = new_campaign.read_bytes()
    refused = run_cli("advance", str(new_campaign), "--as", "okafor")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [
        f"{new_campaign}: not moved on: the set-up is not complete (1 to do)",
        f"{new_campaign}: fewer than 2 panel members who score (min_assessors)",
    ]
    assert new_campaign.read_bytes() == before

    run_cli("panel", str(new_campaign), "--add", "raman", "--name", "Priya Raman", "--role", "independent")
    moved = run_cli("advance", str(new_campaign), "--as", "okafor")
    assert (moved.returncode, moved.stdout, moved.stderr) == (0, f"{new_campaign}: status setup -> sift\n", "")


def test_advance_out_of_set_up_without_an_independent_says_so(in_set_up: Path) -> None:
    assert run_cli("panel", str(in_set_up), "--as", "okafor", "--edit", "raman", "--role", "member").returncode == 0
    moved = run_cli("advance", str(in_set_up), "--as", "okafor")
    assert (moved.returncode, moved.stdout) == (0, f"{in_set_up}: status setup -> sift\n")
    assert moved.stderr == f"{in_set_up}: note: the panel has no independent member; Civil Service practice asks for one\n"
    assert load_campaign(in_set_up).campaign.status == "sift"
    # Said once, as the campaign leaves set-up: not at every later move.
    later = run_cli("advance", str(in_set_up), "--as", "okafor", "--force", "--reason", "the sift is not what this is about")
    assert later.returncode == 0 and later.stderr == ""
