"""`assessor serve` beyond loopback and under load: --url, one app per member, apps that end with
the server, revoked links, what a tab may send, and keys before the first screen.

Each test runs a real server on loopback and talks to it as a browser's page does (aiohttp's
WebSocket client sending the page's Origin), or through Chromium. App processes are found in
/proc by their command line, and their end is waited for on a pidfd, not a clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from assessor.storage.lock import lock_path
from assessor.storage.sheets import sheet_path
from tests.cli.test_serve import CHROMIUM_FLAGS, TIMEOUT, Served, browser_or_skip, free_port, start_server, stop_server
from tests.cli.test_serve import Tab as BrowserTab
from tests.conftest import run_cli

NAME = "assess.example.test"
DOWN, ENTER = "\x1b[B", "\r"


def app_pids(example: Path, member: str | None = None) -> set[int]:
    """The app processes running on EXAMPLE (as MEMBER), whoever their parent is now."""
    wanted = str(example.resolve()).encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if wanted in words and b"serve" not in words and (member is None or f"--as={member}".encode() in words):
            found.add(int(entry.name))
    return found


def wait_gone(pids: set[int], timeout: float) -> set[int]:
    """Wait, on each process's pidfd, until every one of PIDS has ended or TIMEOUT passes; those left."""
    deadline = time.monotonic() + timeout
    left = set()
    for pid in pids:
        try:
            handle = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            if not select.select([handle], [], [], max(0.0, deadline - time.monotonic()))[0]:
                left.add(pid)
        finally:
            os.close(handle)
    return left


def make_certificate(folder: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", f"/CN={NAME}"]
        + ["-addext", f"subjectAltName=DNS:{NAME},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert made.returncode == 0, made.stderr
    return cert, key


class Tab:
    """A page load of a member's link and its WebSocket, as the browser's page opens them."""

    def __init__(self, http: aiohttp.ClientSession, served: Served, link: str, *, via: str | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.http, self.served, self.link, self.tls = http, served, link, tls
        self.via = via  # where the server really is, when the link names another address
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.text = ""
        self.closed: tuple[int, str] | None = None

    def real(self, url: str) -> str:
        return url if self.via is None else re.sub(r"^(\w+)://[^/]+", lambda m: f"{m.group(1)}://{self.via}", url)

    async def load(self) -> str:
        async with self.http.get(self.real(self.link), ssl=self.tls or False) as answer:
            assert answer.status == 200, await answer.text()
            page = await answer.text()
        return page.split('data-session-websocket-url="', 1)[1].split('"', 1)[0]

    async def connect(self, socket_url: str, origin: str | None = None) -> None:
        sized = f"{socket_url}?width=140&height=45"  # as the page asks, for its window
        self.socket = await self.http.ws_connect(self.real(sized), origin=origin or self.served.url, ssl=self.tls or False)

    async def receive_until(self, done) -> None:
        """Read what the app sends until DONE(self) or the socket closes."""
        assert self.socket is not None
        with contextlib.suppress(TimeoutError):  # the caller's check says what was missing
            async with asyncio.timeout(TIMEOUT):
                while not done(self) and self.closed is None:
                    message = await self.socket.receive()
                    if message.type == aiohttp.WSMsgType.BINARY:
                        self.text += message.data.decode("utf-8", "replace")
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        self.text += message.data
                    elif message.type == aiohttp.WSMsgType.CLOSE:
                        self.closed = (int(message.data), str(message.extra or ""))
                    elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
                        self.closed = (self.socket.close_code or 0, "")

    async def wait_for(self, *words: str) -> None:
        await self.receive_until(lambda tab: all(word in tab.text for word in words))
        assert all(word in self.text for word in words), f"{words} not shown; closed {self.closed}; {self.served.text()}"

    async def wait_closed(self) -> tuple[int, str]:
        await self.receive_until(lambda tab: False)
        assert self.closed is not None, f"not closed; {self.served.text()}"
        return self.closed

    async def send(self, *messages: object) -> None:
        assert self.socket is not None
        for message in messages:
            await (self.socket.send_bytes(message) if isinstance(message, bytes) else self.socket.send_str(str(message)))


def keys(typed: str) -> str:
    """The message a page sends for keys typed."""
    return json.dumps(["stdin", typed])


async def open_tab(http: aiohttp.ClientSession, served: Served, member: str) -> Tab:
    tab = Tab(http, served, served.links()[member])
    await tab.connect(await tab.load())
    return tab


@pytest.fixture
def served(example: Path, tmp_path: Path) -> Iterator[Served]:
    served = start_server(example, tmp_path)
    try:
        yield served
    finally:
        stop_server(served)


async def test_six_sockets_at_once_for_one_link_make_one_app_the_newest(served: Served, example: Path) -> None:
    async with aiohttp.ClientSession() as http:
        tabs = [Tab(http, served, served.links()["raman"]) for _ in range(6)]
        pages = await asyncio.gather(*(tab.load() for tab in tabs))
        await asyncio.gather(*(tab.connect(page) for tab, page in zip(tabs, pages, strict=True)))
        ended = await asyncio.gather(*(tab.wait_closed() for tab in tabs[:-1]))
        assert {code for code, _ in ended} == {4001} and "another tab opened with this link took over" in ended[0][1]
        await tabs[-1].wait_for("Jordan Ellis")
        assert len(app_pids(example, "raman")) == 1
        # A seventh page later takes over the same way: still one app.
        seventh = await open_tab(http, served, "raman")
        await seventh.wait_for("Jordan Ellis")
        assert (await tabs[-1].wait_closed())[0] == 4001
        assert len(app_pids(example, "raman")) == 1
    assert "Traceback" not in served.text()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
async def test_every_app_ends_with_the_server_after_its_last_save(served: Served, example: Path, how: signal.Signals) -> None:
    async with aiohttp.ClientSession() as http:
        tabs = {member: await open_tab(http, served, member) for member in ("raman", "whitfield")}
        for tab in tabs.values():
            await tab.wait_for("Jordan Ellis", "Hannah Brierley")
        # raman scores C04, and the server goes: the apps end, having let go of the sheets.
        await tabs["raman"].send(keys(DOWN * 3 + ENTER))
        await tabs["raman"].wait_for("Seeing the Big Picture")
        await tabs["raman"].send(keys("6"))
        await tabs["raman"].wait_for("saved ")
        apps = app_pids(example)
        assert len(apps) == 2
        served.process.send_signal(how)
        if how != signal.SIGKILL:  # the server ends each session, saying why, before it exits
            for tab in tabs.values():
                assert await tab.wait_closed() == (4004, "Session ended: the chair stopped the server.")
        assert served.process.wait(timeout=TIMEOUT) is not None
    assert wait_gone(apps, timeout=10) == set(), "an app outlived the server"
    assert not lock_path(sheet_path(example, "raman")).exists() and "score = 6" in sheet_path(example, "raman").read_text()
    assert "Traceback" not in served.text()


async def test_new_links_end_the_sessions_of_the_old_ones_at_once(served: Served, example: Path) -> None:
    async with aiohttp.ClientSession() as http:
        tab = await open_tab(http, served, "raman")
        await tab.wait_for("Jordan Ellis")
        apps = app_pids(example, "raman")
        unused = Tab(http, served, served.links()["whitfield"])
        ticket = await unused.load()  # a page loaded with the old link, its socket not yet open
        port = served.url.rsplit(":", 1)[1]
        renewed = await asyncio.to_thread(run_cli, "serve", str(example), "--as", "okafor", "--port", port, "--new-links", "--links")
        assert renewed.returncode == 0, renewed.stderr
        code, reason = await tab.wait_closed()
        assert code == 4003 and "the chair made new links" in reason
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await unused.connect(ticket)
        async with http.get(served.url + "/refused/" + ticket.rsplit("/", 1)[1]) as answer:
            assert "the chair made new links" in await answer.text()
    assert wait_gone(apps, timeout=10) == set()
    assert "Traceback" not in served.text()


async def test_what_a_tab_should_not_send_is_one_line_each_and_the_session_goes_on(served: Served) -> None:
    garbage = ["hello{", "5", '{"a":1}', "[]", "[5]", '["stdin", 5]', '["resize", {"width": "x"}]', '["resize", 7]', '["ping", {"a": 1}]']
    garbage += ['["what", 1]', b"\x00\x01"]
    async with aiohttp.ClientSession() as http:
        tab = await open_tab(http, served, "raman")
        await tab.wait_for("Jordan Ellis")
        await tab.send(*garbage, '["stdin", "\\ud800"]', '["resize", {"width": 99999999999, "height": -4}]', '["ping", "still-here"]')
        await tab.wait_for('["pong", "still-here"]')
        assert tab.closed is None
    lines = [line for line in served.text().splitlines() if "raman's tab sent" in line]
    assert len(lines) == len(garbage), served.text()
    # An over-long address (never its key in the log) and a header that is not one: a line each, and the server goes on.
    host, port = served.url.removeprefix("http://").split(":")
    key = served.links()["raman"].split("key=")[1].encode()
    for request in (b"GET /?key=" + key + b"A" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n"):
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            raw.sendall(request)
            assert raw.recv(100).split(b" ")[1] == b"400"
    connection = http_connection(served)
    connection.request("GET", "/favicon.ico")
    answer = connection.getresponse()
    assert answer.status == 200 and answer.getheader("Content-Type", "").startswith("image/svg+xml") and b"<svg" in answer.read()
    text = served.text()
    assert "Traceback" not in text and "  File " not in text
    assert sum(line.startswith("assessor: refused a request from 127.0.0.1: ") for line in text.splitlines()) == 2
    assert key.decode() not in text.split("Each panel member", 1)[1]


def http_connection(served: Served) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(served.url.removeprefix("http://"), timeout=10)


async def test_keys_before_the_first_screen_are_dropped_enter_too(served: Served) -> None:
    async with aiohttp.ClientSession() as http:
        tab = Tab(http, served, served.links()["raman"])
        await tab.connect(await tab.load())
        await tab.send(keys(ENTER))  # before the app has sent anything
        await tab.receive_until(lambda tab: tab.text != "")
        if "Jordan Ellis" not in tab.text:  # the app has begun, its first screen not up yet
            await tab.send(keys(DOWN + ENTER))
        await tab.wait_for("Jordan Ellis", "Hannah Brierley")
        tab.text = ""
        await tab.send(keys(DOWN * 3 + ENTER))  # the fourth candidate, from the top of the list
        await tab.wait_for("Hannah Brierley", "Seeing the Big Picture")


async def test_a_socket_from_another_site_is_told_why(served: Served) -> None:
    async with aiohttp.ClientSession() as http:
        tab = Tab(http, served, served.links()["raman"])
        ticket = await tab.load()
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await tab.connect(ticket, origin="https://192.0.2.10:8000")
        async with http.get(served.url + "/refused/" + ticket.rsplit("/", 1)[1]) as answer:
            why = await answer.text()
        assert "a page of another site (https://192.0.2.10:8000)" in why and served.url in why
        async with http.get(served.url + "/refused/not-a-ticket") as answer:
            assert "one-time ticket was used already" in await answer.text()


def test_a_departments_server_over_tls_by_its_name(example: Path, tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path)
    served = start_server(
        example, tmp_path, "--host", "0.0.0.0", "--certfile", str(cert), "--keyfile", str(key), url=lambda port: f"https://{NAME}:{port}"
    )
    try:
        port = served.url.rsplit(":", 1)[1]
        link = served.links()["raman"]
        assert link.startswith(f"https://{NAME}:{port}/?key=")
        again = run_cli("serve", str(example), "--as", "okafor", "--links", "--url", f"https://{NAME}:{port}")
        assert f"raman (Priya Raman): {link}\n" in again.stdout
        trusting = ssl.create_default_context(cafile=str(cert))

        async def by_name() -> None:
            async with aiohttp.ClientSession() as http:
                tab = Tab(http, served, link, via=f"127.0.0.1:{port}", tls=trusting)
                socket_url = await tab.load()
                assert socket_url.startswith(f"wss://{NAME}:{port}/ws/")
                with pytest.raises(aiohttp.WSServerHandshakeError):  # the address is not the name members use
                    await tab.connect(socket_url, origin=f"https://127.0.0.1:{port}")
                await tab.connect(await tab.load(), origin=f"https://{NAME}:{port}")
                await tab.wait_for("Jordan Ellis")

        asyncio.run(by_name())
    finally:
        stop_server(served)
    assert "Traceback" not in served.text()


class TlsProxy:
    """A TLS-terminating proxy on loopback, as a department's web server would be, in front of a plain listener."""

    def __init__(self, cert: Path, key: Path, port: int, target: int) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.port, self.target = port, target
        self.writers: list[asyncio.StreamWriter] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        listening = asyncio.start_server(self._handle, "127.0.0.1", port, ssl=self.context)
        self.server = asyncio.run_coroutine_threadsafe(listening, self.loop).result(TIMEOUT)

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.target)
        self.writers += [client_writer, writer]

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, ssl.SSLError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(client_reader, writer), pipe(reader, client_writer))

    def close(self) -> None:
        async def stop() -> None:
            self.server.close()
            for writer in self.writers:
                writer.close()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(TIMEOUT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(TIMEOUT)


def test_behind_a_tls_proxy_a_browser_opens_the_link_by_its_name(example: Path, tmp_path: Path) -> None:
    chromium = browser_or_skip()
    from playwright.sync_api import sync_playwright

    cert, key = make_certificate(tmp_path)
    public = free_port()
    served = start_server(example, tmp_path, url=lambda _listener: f"https://{NAME}:{public}")  # a plain listener on loopback
    listener = int(served.process.args[served.process.args.index("--port") + 1])
    proxy = TlsProxy(cert, key, public, listener)
    requests: list[str] = []
    try:
        link = served.links()["raman"]
        assert link.startswith(f"https://{NAME}:{public}/?key=")
        flags = [*CHROMIUM_FLAGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1", "--ignore-certificate-errors"]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=flags, timeout=TIMEOUT * 1000)
            try:
                tab = BrowserTab(browser, link, requests)
                tab.wait_for("Jordan Ellis", "Hannah Brierley")
            finally:
                browser.close()
    finally:
        proxy.close()
        stop_server(served)
    assert any(url.startswith(f"wss://{NAME}:{public}/ws/") for url in requests)
    assert [url for url in requests if not url.startswith((f"https://{NAME}:{public}/", f"wss://{NAME}:{public}/", "data:", "blob:"))] == []
    assert "Traceback" not in served.text()


def test_a_page_opened_by_another_name_says_why_it_did_not_open(example: Path, tmp_path: Path) -> None:
    chromium = browser_or_skip()
    from playwright.sync_api import sync_playwright

    served = start_server(example, tmp_path, url=lambda port: f"http://127.0.0.1:{port}")
    try:
        elsewhere = served.links()["raman"].replace("127.0.0.1", "localhost")  # the server's own, by a name the links do not use
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, timeout=TIMEOUT * 1000)
            try:
                tab = BrowserTab(browser, elsewhere, [])
                tab.page.wait_for_function("document.getElementById('why').textContent.startsWith('Not opened')", timeout=TIMEOUT * 1000)
                shown = tab.page.inner_text("body")
            finally:
                browser.close()
    finally:
        stop_server(served)
    assert "a page of another site (http://localhost:" in shown and "idle" not in shown
