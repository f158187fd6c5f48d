"""The bytes the app writes to a real terminal hold nothing of an applicant's hostile name but its
shown codes: no escape sequence, C1 control or bidirectional override from the name."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT

HOSTILE = r"Osc\u001b]52;c;aGVsbG8=\u001b\\ Clip \u001b]0;owned\u0007 \u009b2J \u202eEllis"
FORBIDDEN = (b"\x1b]52;c;aGVsbG8=", b"\x1b]0;owned", b"\xc2\x9b", "\u202e".encode())


def window(fd: int, rows: int, columns: int) -> None:
    """Give the pseudo-terminal a size, as a terminal window has."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    """What the terminal receives until `wanted` is among it (or the time is up)."""
    out = b""
    deadline = time.monotonic() + seconds
    while wanted not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


def read_to_the_end(fd: int, app: subprocess.Popen[bytes], seconds: float) -> bytes:
    """What the terminal receives until the app has ended and nothing is left to read."""
    out = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the app closed the terminal
                break
            out += chunk
        elif app.poll() is not None:
            break
    app.wait(timeout=5)
    return out


def test_a_hostile_name_sends_no_escape_sequence_to_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "hod.toml"
    shutil.copyfile(EXAMPLE, path)
    path.write_text(path.read_text().replace('name = "Jordan Ellis"', f'name = "{HOSTILE}"'))
    leader, follower = pty.openpty()
    window(follower, 40, 140)
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT), "ASSESSOR_CONFIG_DIR": str(tmp_path / "config")}
    app = subprocess.Popen(
        [sys.executable, "-m", "assessor", str(path), "--as", "raman"], stdin=follower, stdout=follower, stderr=follower, env=env, cwd=tmp_path
    )
    os.close(follower)
    try:
        out = read_until(leader, b"Clip", 60)
        assert b"Clip" in out, out[-2000:]
        os.write(leader, b"\x11")  # ctrl+q
        out += read_to_the_end(leader, app, 30)
    finally:
        if app.poll() is None:
            app.kill()
        os.close(leader)
    assert b"Osc\\x1b]52;c;aGVsbG8=" in out  # the name, shown as its codes
    assert [code for code in FORBIDDEN if code in out] == []
