"""The names assessor's own saves and locks give their files in a sheets folder are known, exactly;
every other name, hidden or not, is for the sheets folder's reader to judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessor.storage.atomic import temp_path
from assessor.storage.lock import lock_path
from assessor.storage.sheet_entries import folder_entries, is_lock_file, is_own_file, is_save_temp, is_system_file, is_this_process


@pytest.mark.parametrize("member", ["raman", "P2", "a.b-c_d"])
def test_the_files_a_save_and_a_lock_make_are_assessors_own(tmp_path: Path, member: str) -> None:
    sheet = tmp_path / f"{member}.toml"
    lock = lock_path(sheet)
    save = temp_path(sheet, f".{sheet.name}.")
    assert is_save_temp(save.name) and is_this_process(save.name) and not is_lock_file(save.name)
    for name in (lock.name, temp_path(lock, f"{lock.name}.").name, f"{lock.name}.break", f"{lock.name}.laptop-17.4242.tmp"):
        assert is_lock_file(name) and not is_save_temp(name), name
    assert is_own_file(f".{sheet.name}.laptop-17.4242.tmp") and not is_this_process(f".{sheet.name}.laptop-17.4242.tmp")


@pytest.mark.parametrize(
    "name",
    [
        ".raman.toml.swp",  # vim
        "._raman.toml",  # macOS on a shared drive
        ".raman.toml",
        ".#raman.toml",  # emacs
        ".raman.toml.lock.bak",
        ".raman.toml.host.tmp",  # no process id
        ".raman.toml.host.12a.tmp",
        ".syncthing.raman.toml.tmp",
        ".notes.lock",
        "raman (1).toml",
        ".DS_Store",
    ],
)
def test_any_other_name_is_not_assessors_own(name: str) -> None:
    assert not is_own_file(name)


def test_macos_files_are_known_by_their_first_bytes_too(tmp_path: Path) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(8))
    (tmp_path / "._raman.toml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00")
    (tmp_path / "._P2.toml").write_text('evidence = "Led two teams."\n')
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / ".DS_Store").mkdir()
    assert is_system_file(tmp_path / ".DS_Store") and is_system_file(tmp_path / "._raman.toml")
    assert not is_system_file(tmp_path / "._P2.toml") and not is_system_file(tmp_path / "x" / ".DS_Store")
    assert not is_system_file(tmp_path / ".missing")


def test_the_folder_is_listed_with_its_hidden_files_but_assessors_own(tmp_path: Path) -> None:
    for name in ("raman.toml", ".raman.toml.lock", ".raman.toml.swp", "._raman.toml", ".raman.toml.host.7.tmp"):
        (tmp_path / name).write_text("")
    assert [entry.name for entry in folder_entries(tmp_path)] == ["._raman.toml", ".raman.toml.swp", "raman.toml"]
    assert folder_entries(tmp_path / "none") == []
