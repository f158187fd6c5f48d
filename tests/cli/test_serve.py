"""`assessor serve`: the app in a real browser, and the server's own refusals.

The browser test runs Debian's Chromium (`/usr/bin/chromium`, installed by `make test`
when it can) driven by Playwright's Python client; Playwright's own browser download is
never used. It is skipped only when no Chromium is on the machine.
"""

from __future__ import annotations

import http.client
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchfiles import watch

from assessor.serve import app_command, base_url, is_loopback
from assessor.storage.campaign_file import load_campaign
from assessor.storage.lock import lock_path
from assessor.storage.sheets import sheet_path
from tests.conftest import ROOT, run_cli

TIMEOUT = 60  # seconds: the most any one wait in these tests may take
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def changes_in(folder: Path) -> Callable[[], object]:
    """A pause that ends when something in FOLDER changes (watchfiles), or after half a second
    with nothing, so the check is made again on an event, not on a clock."""
    events = watch(folder, rust_timeout=500, yield_on_timeout=True, debounce=0)
    return lambda: next(events)


def wait_until(check: Callable[[], bool], what: str, pause: Callable[[], object], timeout: float = TIMEOUT) -> None:
    """Try CHECK until true; PAUSE between tries: until a file changes, or the page's own wait, so its events arrive."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        pause()


class Served:
    """An `assessor serve` process in its own process group, and where it said it listens."""

    def __init__(self, process: subprocess.Popen[bytes], output: Path, url: str) -> None:
        self.process, self.output, self.url = process, output, url

    def text(self) -> str:
        return self.output.read_text(errors="replace")


@pytest.fixture
def served(example: Path, tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    output = tmp_path / "serve.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "assessor", "serve", str(example), "--as", "raman", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            start_new_session=True,
        )
    served = Served(process, output, f"http://127.0.0.1:{port}")
    try:

        def listening() -> bool:
            return f"at {served.url}" in served.text() or process.poll() is not None

        wait_until(listening, "the server to listen", changes_in(tmp_path), timeout=30)
        assert process.poll() is None, served.text()
        yield served
    finally:
        # The server ends the app processes it started; anything left in the group goes too.
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=15)


def test_a_panel_member_scores_in_a_browser(served: Served, example: Path, tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; `make test` does it as root)")
    from playwright.sync_api import sync_playwright

    def raman_scores() -> dict[tuple[str, str, str], int]:
        return {(s.candidate, s.criterion, s.stage): s.score for s in load_campaign(example).scores if s.assessor == "raman"}

    before = raman_scores()
    assert ("C04", "leadership", "interview") not in before  # the fourth candidate is not scored yet
    received: list[str] = []  # what the app has sent to the terminal in the page

    def seen(*words: str) -> Callable[[], bool]:
        return lambda: all(word in "".join(received) for word in words)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=TIMEOUT * 1000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(TIMEOUT * 1000)
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived", lambda frame: received.append(frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame)
                ),
            )
            page.goto(served.url)

            def pause() -> None:  # Playwright delivers the page's frames only while it waits
                page.wait_for_timeout(100)

            wait_until(seen("Jordan Ellis", "Hannah Brierley"), "the scoring list in the browser", pause)
            page.locator(".xterm-helper-textarea").focus()  # the terminal's keyboard input
            for key in ("ArrowDown", "ArrowDown", "ArrowDown"):
                page.keyboard.press(key)
            received.clear()
            page.keyboard.press("Enter")
            wait_until(seen("Hannah Brierley", "Seeing the Big Picture"), "the score screen for C04", pause)
            page.keyboard.press("6")
            wait_until(lambda: raman_scores() != before, "the score to reach raman's sheet", pause)
            assert lock_path(sheet_path(example, "raman")).exists()  # the tab's app holds raman's sheet like any other
        finally:
            browser.close()
    sheet_lock = lock_path(sheet_path(example, "raman"))
    wait_until(lambda: not sheet_lock.exists(), "the tab's app to quit and let go of raman's sheet", changes_in(sheet_lock.parent))
    after = raman_scores()
    assert {key: score for key, score in after.items() if before.get(key) != score} == {("C04", "leadership", "interview"): 6}
    assert load_campaign(example).audit[-1].who == "raman"
    assert "Traceback" not in served.text()


def test_the_server_refuses_websockets_opened_by_other_sites(served: Served) -> None:
    """A page elsewhere must not type into the app: its WebSocket handshake is refused.

    (The browser test shows the server's own page is let through.)
    """
    connection = http.client.HTTPConnection(served.url.removeprefix("http://"), timeout=10)
    try:
        connection.request(
            "GET",
            "/ws",
            headers={
                "Origin": "https://example.com",
                "Upgrade": "websocket",
                "Connection": "Upgrade",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version": "13",
            },
        )
        assert connection.getresponse().status == 403
    finally:
        connection.close()
    with urllib.request.urlopen(served.url, timeout=10) as response:
        assert b"xterm" in response.read()


def test_serve_refuses_a_broken_file_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = 1\n[campaign\n")
    result = run_cli("serve", str(broken), "--port", str(free_port()))
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(str(broken))
    assert result.stdout == ""


def test_serve_refuses_a_port_in_use_and_a_bad_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, f"127.0.0.1:{port}: cannot serve there: address already in use\n")
    assert run_cli("serve", "--port", "0").returncode == 2


def test_the_app_command_quotes_paths_and_ids(tmp_path: Path) -> None:
    awkward = tmp_path / "it's a campaign; $(rm -rf x).toml"
    assert shlex.split(app_command(awkward, "-raman")) == [sys.executable, "-m", "assessor", str(awkward.resolve()), "--as=-raman"]
    assert shlex.split(app_command(None, None)) == [sys.executable, "-m", "assessor"]


def test_loopback_and_urls() -> None:
    assert all(is_loopback(host) for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "192.168.1.4", "example.com"))
    assert base_url("::1", 8000) == "http://[::1]:8000"


def test_the_server_itself_never_imports_textual() -> None:
    code = "import sys\nimport assessor.cli, assessor.serve\nassert 'textual' not in sys.modules\nprint('clean')\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT)
    assert result.stdout.strip() == "clean", result.stderr
