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
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchfiles import watch

from assessor.serve import app_command, base_url, is_loopback
from assessor.storage.campaign_file import load_campaign
from assessor.storage.links import links_path
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
    """An `assessor serve` process in its own process group, where it listens, and the links it printed."""

    def __init__(self, process: subprocess.Popen[bytes], output: Path, url: str) -> None:
        self.process, self.output, self.url = process, output, url

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def links(self) -> dict[str, str]:
        """Each member's private link, as the server printed them when it made them."""
        found = {}
        for line in self.text().splitlines():
            who, _, link = line.partition(": ")
            if link.startswith(self.url + "/?key="):
                found[who.split(" ")[0]] = link
        return found


def start_server(
    example: Path, tmp_path: Path, *extra: str, scheme: str = "http", url: Callable[[int], str] | None = None, chair: str = "okafor"
) -> Served:
    """CHAIR's server on a free port; URL(port), when given, is its --url, the address the links name."""
    port = free_port()
    output = tmp_path / "serve.out"
    public = url(port) if url is not None else f"{scheme}://127.0.0.1:{port}"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "assessor", "serve", str(example), "--as", chair, "--port", str(port), *extra]
            + (["--url", public] if url is not None else []),
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            start_new_session=True,
        )
    served = Served(process, output, public)

    def listening() -> bool:
        return f"at {served.url}" in served.text() or process.poll() is not None

    wait_until(listening, "the server to listen", changes_in(tmp_path), timeout=30)
    assert process.poll() is None, served.text()
    return served


def stop_server(served: Served) -> None:
    # The server ends the app processes it started; anything left in the group goes too.
    process = served.process
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


@pytest.fixture
def served(example: Path, tmp_path: Path) -> Iterator[Served]:
    served = start_server(example, tmp_path, "--idle-minutes", "0.1")
    try:
        yield served
    finally:
        stop_server(served)


def scores_of(example: Path, member: str) -> dict[tuple[str, str, str], int]:
    return {(s.candidate, s.criterion, s.stage): s.score for s in load_campaign(example).scores if s.assessor == member}


class Tab:
    """A browser page on a member's link, with what the app has sent to its terminal."""

    def __init__(self, browser, link: str, requests: list[str]) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT * 1000)
        self.received: list[str] = []
        self.page.on("request", lambda request: requests.append(request.url))
        self.page.on("websocket", lambda ws: (requests.append(ws.url), ws.on("framereceived", self._frame)))
        self.page.goto(link)

    def _frame(self, frame: str | bytes) -> None:
        self.received.append(frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame)

    def pause(self) -> None:  # Playwright delivers the page's frames only while it waits
        self.page.wait_for_timeout(100)

    def wait_for(self, *words: str) -> None:
        wait_until(lambda: all(word in "".join(self.received) for word in words), f"{words} in the browser", self.pause)

    def closed(self) -> bool:
        return "-closed" in (self.page.evaluate("document.body.className") or "")


def browser_or_skip():
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; `make test` does it as root)")
    return chromium


def test_two_members_score_at_once_each_as_themselves_and_nothing_leaves_the_machine(served: Served, example: Path) -> None:
    chromium = browser_or_skip()
    from playwright.sync_api import sync_playwright

    links = served.links()
    assert set(links) == {"okafor", "whitfield", "raman"} and len(set(links.values())) == 3
    before = {member: scores_of(example, member) for member in ("raman", "whitfield")}
    assert all(("C04", "leadership", "interview") not in scores for scores in before.values())
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=TIMEOUT * 1000)
        try:
            tabs = {member: Tab(browser, links[member], requests) for member in ("raman", "whitfield")}
            for tab in tabs.values():
                tab.wait_for("Jordan Ellis", "Hannah Brierley")
                # The keyboard is the terminal's from the start: no click first.
                assert tab.page.evaluate("document.activeElement.className").startswith("xterm-helper-textarea")
                for key in ("ArrowDown", "ArrowDown", "ArrowDown"):
                    tab.page.keyboard.press(key)
                tab.received.clear()
                tab.page.keyboard.press("Enter")
                tab.wait_for("Hannah Brierley", "Seeing the Big Picture")
            tabs["raman"].page.keyboard.press("6")
            tabs["whitfield"].page.keyboard.press("3")
            wait_until(lambda: all(scores_of(example, m) != before[m] for m in tabs), "both scores on their sheets", tabs["raman"].pause)
            # An export in the browser arrives as a download, and is not written beside the campaign.
            raman = tabs["raman"]
            raman.page.keyboard.press("Escape")
            raman.page.keyboard.press("F4")
            raman.wait_for("Merit list")
            with raman.page.expect_download() as arrived:
                raman.page.keyboard.press("e")
                raman.wait_for("Export the summary as")
                raman.page.keyboard.press("Enter")
            download = arrived.value
            assert download.suggested_filename == "head-of-digital-2026-merit-list-as-raman.txt"
            assert "Jordan Ellis" in Path(download.path()).read_text()
            assert not (example.parent / download.suggested_filename).exists()
        finally:
            browser.close()
    for member, value in (("raman", 6), ("whitfield", 3)):
        assert {k: v for k, v in scores_of(example, member).items() if before[member].get(k) != v} == {("C04", "leadership", "interview"): value}
        sheet = sheet_path(example, member).read_text()
        assert f'who = "{member}"' in sheet and "scored C04 on leadership at interview" in sheet
    outside = [url for url in requests if not url.startswith((served.url, served.url.replace("http", "ws", 1), "data:", "blob:"))]
    assert outside == [], "the page asked something of another site"
    assert "Traceback" not in served.text()


def test_a_burst_typed_into_a_browser_tab_lands_where_it_was_typed(served: Served, example: Path) -> None:
    chromium = browser_or_skip()
    from playwright.sync_api import sync_playwright

    evidence = "Led 3 teams; 4 of 7 goals met e u j k n 6"
    before = scores_of(example, "raman")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=TIMEOUT * 1000)
        try:
            tab = Tab(browser, served.links()["raman"], [])
            tab.wait_for("Jordan Ellis", "Hannah Brierley")
            for key in ("ArrowDown", "ArrowDown", "ArrowDown"):
                tab.page.keyboard.press(key)
            tab.received.clear()
            # Enter, a score, tab and the evidence with no pause between the keys: the screen is still opening.
            tab.page.keyboard.press("Enter")
            tab.page.keyboard.press("5")
            tab.page.keyboard.press("Tab")
            tab.page.keyboard.type(evidence, delay=0)
            wait_until(lambda: evidence_of(example, "raman", "C04", "leadership") == evidence, "the evidence on raman's sheet", tab.pause)
        finally:
            browser.close()
    changed = {k: v for k, v in scores_of(example, "raman").items() if before.get(k) != v}
    assert changed == {("C04", "leadership", "interview"): 5}


def evidence_of(example: Path, member: str, candidate: str, criterion: str) -> str | None:
    rows = [
        s for s in load_campaign(example).scores if (s.assessor, s.candidate, s.criterion, s.stage) == (member, candidate, criterion, "interview")
    ]
    return rows[0].evidence if rows else None


def test_a_second_tab_takes_over_and_an_idle_session_ends_after_its_save(served: Served, example: Path) -> None:
    chromium = browser_or_skip()
    from playwright.sync_api import sync_playwright

    link = served.links()["raman"]
    sheet_lock = lock_path(sheet_path(example, "raman"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=TIMEOUT * 1000)
        try:
            first = Tab(browser, link, [])
            first.wait_for("Jordan Ellis")
            second = Tab(browser, link, [])
            second.wait_for("Jordan Ellis")
            wait_until(first.closed, "the first tab to say its session ended", first.pause)
            assert "another tab opened with this link took over" in first.page.inner_text("body")
            assert "read-only" not in "".join(second.received)  # the sheet was let go before the second app took it
            # Left alone, the session ends by itself (--idle-minutes 0.1 here) and lets go of the sheet.
            wait_until(second.closed, "the idle session to end", second.pause)
        finally:
            browser.close()
    wait_until(lambda: not sheet_lock.exists(), "the app to let go of raman's sheet", changes_in(sheet_lock.parent))


def handshake(served: Served, path: str, origin: str | None) -> int:
    """The status of a WebSocket handshake to PATH, sent with ORIGIN (or none), as a script could send it."""
    headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    if origin is not None:
        headers["Origin"] = origin
    connection = http.client.HTTPConnection(served.url.removeprefix("http://"), timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def page_status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def test_no_key_a_wrong_or_revoked_key_and_a_websocket_without_the_pages_origin_are_refused(served: Served, example: Path) -> None:
    before = example.read_bytes()
    links = served.links()
    assert page_status(served.url)[0] == 403
    assert page_status(served.url + "/?key=AAAAAAAAAAAAAAAAAAAAAA")[0] == 403
    status, page = page_status(links["raman"])
    assert status == 200 and "opening as Priya Raman" in page and "googleapis" not in page
    ticket = page.split('data-session-websocket-url="', 1)[1].split('"', 1)[0].split("/ws/", 1)[1]
    assert handshake(served, f"/ws/{ticket}", None) == 403  # a script, not the page: no Origin
    assert handshake(served, f"/ws/{ticket}", "https://example.com") == 403
    assert handshake(served, "/ws/not-a-ticket", served.url) == 403
    assert handshake(served, "/ws", served.url) == 403  # textual-serve's own socket: no one-time ticket
    # New links: every old one stops working, on the running server too.
    renewed = run_cli("serve", str(example), "--as", "okafor", "--port", served.url.rsplit(":", 1)[1], "--new-links", "--links")
    assert renewed.returncode == 0, renewed.stderr
    fresh = dict(line.split(" ", 1)[0:1] + [line.rsplit(": ", 1)[1]] for line in renewed.stdout.splitlines())
    assert page_status(links["raman"])[0] == 403 and page_status(fresh["raman"])[0] == 200
    refused = [line for line in served.text().splitlines() if line.startswith("assessor: refused")]
    assert len(refused) == 7 and "key=" not in served.text().split("Each panel member", 1)[1]  # one line each, never the key
    assert example.read_bytes() == before and not sheet_path(example, "raman").exists()


def test_serve_is_the_chairs_and_listening_beyond_this_machine_needs_tls(example: Path) -> None:
    member = run_cli("serve", str(example), "--as", "raman", "--port", str(free_port()))
    assert (member.returncode, member.stderr) == (1, f"{example}: --as: 'raman' is on the panel as independent: the chair serves the panel\n")
    port = free_port()
    wide = run_cli("serve", str(example), "--as", "okafor", "--host", "192.0.2.10", "--port", str(port))
    assert wide.returncode == 1 and wide.stdout == ""
    assert wide.stderr == f"192.0.2.10:{port}: --host: listening beyond this machine needs --certfile and --keyfile (TLS): not served\n"
    for wildcard in ("0.0.0.0", "::"):  # every address of the machine: the links need the one members open
        refused = run_cli(
            "serve", str(example), "--as", "okafor", "--host", wildcard, "--port", str(port), "--certfile", "c.pem", "--keyfile", "k.pem"
        )
        assert refused.returncode == 1 and refused.stdout == "" and len(refused.stderr.splitlines()) == 1
        assert refused.stderr.startswith(f"{wildcard}:{port}: --host: {wildcard} is every address of this machine") and "give --url" in refused.stderr
    shown = run_cli("serve", str(example), "--as", "okafor", "--links")
    again = run_cli("serve", str(example), "--as", "okafor", "--links")
    assert shown.returncode == 0 and shown.stdout == again.stdout and len(shown.stdout.splitlines()) == 3
    assert "key=" not in example.read_text()  # the links are never in the campaign file


def test_serve_refuses_a_broken_file_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = 1\n[campaign\n")
    result = run_cli("serve", str(broken), "--as", "okafor", "--port", str(free_port()))
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(str(broken))
    assert result.stdout == ""


def test_serve_refuses_a_port_in_use_and_a_bad_port(minimal: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", str(minimal), "--as", "P1", "--port", str(port))
    assert (result.returncode, result.stderr) == (1, f"127.0.0.1:{port}: cannot serve there: address already in use\n")
    assert result.stdout == "" and not links_path(minimal).exists()  # no links made, so the next start prints them
    assert run_cli("serve", str(minimal), "--as", "P1", "--port", "0").returncode == 2
    assert run_cli("serve", "--port", "8000").returncode == 2  # FILE and --as CHAIR are needed


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


def test_over_tls_the_links_and_the_page_are_https(example: Path, tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert made.returncode == 0, made.stderr
    served = start_server(example, tmp_path, "--certfile", str(cert), "--keyfile", str(key), scheme="https")
    try:
        link = served.links()["raman"]
        assert link.startswith("https://127.0.0.1:")
        trusting = ssl.create_default_context(cafile=str(cert))
        trusting.check_hostname = False  # the test certificate names the address, not a host name
        with urllib.request.urlopen(link, timeout=10, context=trusting) as response:
            page = response.read().decode()
        assert "opening as Priya Raman" in page and 'data-session-websocket-url="wss://127.0.0.1:' in page
    finally:
        stop_server(served)
