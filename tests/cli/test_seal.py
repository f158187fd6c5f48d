"""The seal's promise, and no more: its digest covers every field of the file but itself, and
only a digest kept apart from the file (`verify --digest`) shows the file unchanged."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.cli.test_finalise_verify_purge import hr_digest
from tests.conftest import ROOT, run_cli


def finalised(clean: Path) -> str:
    """Finalise the campaign; the digest finalise printed for HR to record."""
    result = run_cli("finalise", str(clean), "--as", "P1")
    assert result.returncode == 0, result.stderr
    digest = tomllib.loads(clean.read_text())["seal"]["sha256"]
    assert f"{clean}: seal sha256 {digest}: record it apart from the file" in result.stdout
    return digest


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('by = "P1"\nat = ', 'by = "hr-records"\nat = '),  # who sealed it
        ("\n[seal.tables]\n", '\nnote = "sealed again by hand"\n\n[seal.tables]\n'),  # why
        ("version = 2\n", "version = 1\n"),  # by which rule
    ],
)
def test_every_field_of_the_seal_is_covered(clean: Path, before: str, after: str) -> None:
    finalised(clean)
    content, _, fields = clean.read_text().partition("[seal]")
    assert before in fields
    clean.write_text(content + "[seal]" + fields.replace(before, after, 1))
    result = run_cli("verify", str(clean))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"{clean}: seal mismatch: ")


def test_the_time_and_the_tables_of_the_seal_are_covered(clean: Path) -> None:
    finalised(clean)
    text = clean.read_text()
    data = tomllib.loads(text)
    at = data["seal"]["at"].strftime("%Y-%m-%dT%H:%M:%SZ")
    clean.write_text(text.replace(f"at = {at}\n\n[seal.tables]", "at = 2020-01-01T00:00:00Z\n\n[seal.tables]"))
    result = run_cli("verify", str(clean))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"{clean}: seal mismatch: the seal's own fields (by, at, note, tables or version) changed after sealing"
    scores = data["seal"]["tables"]["scores"]
    clean.write_text(text.replace(f'scores = "{scores}"', f'scores = "{"0" * 64}"'))
    assert run_cli("verify", str(clean)).returncode == 1


def test_a_seal_made_again_by_the_recipe_matches_but_not_the_digest_recorded(clean: Path) -> None:
    recorded = finalised(clean)
    assert run_cli("verify", str(clean), "--digest", recorded.upper()).stdout.endswith(
        f"; sha256 {recorded}: the digest recorded: the file is unchanged since it was sealed\n"
    )
    # Anyone who can edit the file can change a score and seal it again with the recipe in docs/file-format.md.
    text = clean.read_text().replace("score = 6", "score = 7", 1)
    clean.write_text(text)
    forged = hr_digest(clean)
    clean.write_text(text.replace(recorded, forged))
    assert run_cli("verify", str(clean)).returncode == 0  # the file agrees with itself: all a seal can show alone
    result = run_cli("verify", str(clean), "--digest", recorded)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"{clean}: --digest: the seal is {forged}, not the recorded {recorded}: this is not the file as sealed then, "
        f"or it was sealed again (sealed by P1 on {tomllib.loads(text)['seal']['at']:%Y-%m-%dT%H:%M:%SZ})\n"
    )


def test_verify_digest_usage(clean: Path) -> None:
    recorded = finalised(clean)
    for args in ((str(clean), "--digest", "abc"), (str(clean), "--digest", "g" * 64), (str(clean), str(clean), "--digest", recorded)):
        result = run_cli("verify", *args)
        assert result.returncode == 2 and result.stdout == ""
    assert run_cli("verify", str(clean), str(clean), "--digest", recorded).stderr.endswith("--digest checks one FILE against its record, not 2\n")


def test_an_old_seal_of_the_content_alone_still_verifies_and_says_what_it_covers(clean: Path) -> None:
    finalised(clean)
    text = clean.read_text()
    head = text[: text.index("[seal]")]
    data = tomllib.loads(head)
    content = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=lambda v: v.isoformat())
    old = hashlib.sha256(content.encode("utf-8")).hexdigest()
    clean.write_text(head + f'[seal]\nsha256 = "{old}"\nby = "P1"\nat = 2026-11-25T12:00:00Z\n')
    result = run_cli("verify", str(clean), "--digest", old)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"{clean}: sealed by P1 on 2026-11-25T12:00:00Z; seal matches; a version 1 seal: it does not cover who sealed it, "
        f"when, or its note; sha256 {old}: the digest recorded: the file is unchanged since it was sealed\n"
    )
    clean.write_text(clean.read_text().replace("score = 6", "score = 7", 1))
    changed = run_cli("verify", str(clean))
    assert changed.returncode == 1
    assert changed.stderr.splitlines()[0] == f"{clean}: seal mismatch: the content changed after sealing"


def test_a_seal_from_a_newer_version_is_refused_in_one_line(clean: Path) -> None:
    finalised(clean)
    clean.write_text(clean.read_text().replace("version = 2\n", "version = 3\n"))
    result = run_cli("verify", str(clean))
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1 and "seal.version" in result.stderr


def test_the_documented_recipe_recomputes_the_seal(clean: Path) -> None:
    finalised(clean)
    page = (ROOT / "docs" / "file-format.md").read_text()
    recipe = next(block for block in page.split("```python\n")[1:] if 'data["seal"].pop("sha256")' in block).split("```")[0]
    assert '"campaigns/hod-2026.toml"' in recipe
    result = subprocess.run([sys.executable, "-c", recipe.replace('"campaigns/hod-2026.toml"', repr(str(clean)))], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "True\n"), result.stderr
