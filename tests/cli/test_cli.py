"""The CLI contract: new, validate, --help, --version, exit codes, no Textual import."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from assessor import __version__
from assessor.storage.reference import role_templates
from tests.conftest import EXAMPLE, MINIMAL, ROOT, run_cli


def test_validate_prints_nothing_for_valid_files() -> None:
    result = run_cli("validate", str(EXAMPLE), str(MINIMAL))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_help_and_version() -> None:
    help_result = run_cli("--help")
    assert help_result.returncode == 0
    for command in ("new", "validate"):
        assert command in help_result.stdout
    version = run_cli("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"assessor {__version__}")
    assert run_cli("validate", "--help").returncode == 0


@pytest.mark.parametrize(
    "args",
    [("validate",), ("new", "x.toml"), ("new", "x.toml", "--role", "head-of-digital", "--level", "five"), ("validate", "--bogus", "f")],
)
def test_wrong_usage_exits_2(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("template", role_templates())
def test_new_writes_a_valid_campaign_from_each_template(template: str, tmp_path: Path) -> None:
    target = tmp_path / f"{template}-2027.toml"
    result = run_cli("new", str(target), "--role", template, "--title", "A test campaign")
    assert result.returncode == 0, result.stderr
    assert "A test campaign" in result.stdout

    data = tomllib.loads(target.read_text())
    assert data["schema"] == 1
    assert data["campaign"]["id"] == f"{template}-2027"
    assert data["campaign"]["title"] == "A test campaign"
    assert data["campaign"]["status"] == "setup"
    assert data["campaign"]["count_stages"] == [data["stages"][-1]["id"]]
    assert data["campaign"]["anonymise_sift"] is True  # new campaigns are name-blind at the sift
    assert "\nanonymise_sift = true\n" in target.read_text()
    assert sum(criterion["lead"] for criterion in data["criteria"]) == 1
    assert data["audit"][0]["what"].startswith(f"created from role template {template}")
    assert target.stat().st_mode & 0o777 == 0o600
    assert run_cli("validate", str(target)).returncode == 0


def test_new_uses_the_level_given(tmp_path: Path) -> None:
    target = tmp_path / "hod.toml"
    assert run_cli("new", str(target), "--role", "head-of-digital", "--level", "4").returncode == 0
    data = tomllib.loads(target.read_text())
    assert data["campaign"]["level"] == 4
    assert data["campaign"]["framework"] == "success-profiles"
    assert {"leadership", "digital-leadership-experience"} <= {criterion["id"] for criterion in data["criteria"]}


def test_new_never_overwrites(example: Path) -> None:
    before = example.read_bytes()
    result = run_cli("new", str(example), "--role", "head-of-digital", "--level", "5")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{example}: already exists; choose another file name (assessor never overwrites a campaign)"]
    assert example.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "head-of-nothing"), "no such role template (known: head-of-digital, head-of-learning-and-development, head-of-profession)"),
        (("--role", "head-of-digital", "--level", "9"), "--level 9: Civil Service Success Profiles has levels 1 to 6"),
        (
            ("--role", "head-of-learning-and-development", "--level", "4"),
            "--level 4: Policing Competency and Values Framework (2024) has levels 1 to 3",
        ),
        (("--role", "head-of-digital", "--id", "my campaign"), "c.toml: campaign.id: 'my campaign' is not a valid id"),
        (("--role", "head-of-digital", "--title", "   "), "c.toml: campaign.title: must not be empty"),
    ],
)
def test_new_refuses_bad_requests_in_one_line(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = run_cli("new", "c.toml", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_into_a_missing_folder(tmp_path: Path) -> None:
    result = run_cli("new", str(tmp_path / "nowhere" / "c.toml"), "--role", "head-of-digital")
    assert result.returncode == 1
    assert "does not exist" in result.stderr


def test_commands_never_import_textual() -> None:
    code = (
        "import sys\n"
        "import importlib, pkgutil\n"
        "import assessor.core, assessor.rules, assessor.changes, assessor.storage, assessor.report\n"
        "for package in (assessor.core, assessor.rules, assessor.changes, assessor.storage, assessor.report):\n"
        "    for module in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "from assessor import archive_commands, cli, commands, serve, session\n"
        f"code = cli.main(['validate', {str(EXAMPLE)!r}])\n"
        "assert code == 0, code\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "print('clean')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "clean", result.stderr


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "assessor"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == f"assessor {__version__}"


def test_every_subcommand_help_ends_with_an_example() -> None:
    from assessor.cli import EXAMPLES, SUBCOMMANDS

    assert set(EXAMPLES) == set(SUBCOMMANDS)
    for name in SUBCOMMANDS:
        result = run_cli(name, "--help")
        assert result.returncode == 0
        assert f"Example:\n  assessor {name} " in result.stdout


def test_a_big_file_is_announced_on_a_terminal_only(tmp_path: Path) -> None:
    import io

    from assessor.commands import PROGRESS_FROM_BYTES, ReadingNote

    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * PROGRESS_FROM_BYTES)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    with ReadingNote(big, terminal):
        pass
    with ReadingNote(big, pipe):
        pass
    with ReadingNote(EXAMPLE, Terminal()) as small:
        assert not small.shown
    assert terminal.getvalue() == f"reading {big} (2.0 MB)…\r\033[K"
    assert pipe.getvalue() == ""
