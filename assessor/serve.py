"""`assessor serve`: the same app in a browser, for the whole panel, through textual-serve.

Each panel member opens their own private link (`storage.links`); the key in it says who
they are, and the app process started for their tab runs as that member (`assessor FILE
--as MEMBER`): nothing in the browser chooses another identity. A page without a valid
key, and a WebSocket without this server's own Origin, are refused (403) and logged on
stderr in one line. One live session per member (a second tab takes over from the first),
so never more app processes than the panel has members; a session left idle ends, after
its last save. This module never imports Textual: the app runs in those processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from assessor.core.errors import CampaignError
from assessor.storage.links import PanelLinks, read_links

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
PAGE_FOLDER = Path(__file__).resolve().parent / "web"
TICKET_SECONDS = 60.0
"""How long the page's one-time ticket for its WebSocket stays good."""


def app_command(file: Path | None, as_member: str | None) -> str:
    """The shell command that opens the app, as textual-serve runs it for each tab.

    The interpreter is this one, so the tab runs the same installed `assessor`; FILE is
    made absolute and every word is quoted, so spaces and quotes in paths are harmless.
    """
    words = [sys.executable, "-m", "assessor"]
    if file is not None:
        words.append(str(file.resolve()))
    if as_member is not None:
        words.append(f"--as={as_member}")  # one word, even for an id starting with '-'
    return subprocess.list2cmdline(words) if os.name == "nt" else shlex.join(words)


def is_loopback(host: str) -> bool:
    """Whether HOST only reaches this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url(host: str, port: int, scheme: str = "http") -> str:
    """`http://HOST:PORT`, with an IPv6 address in brackets."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def link_url(url: str, key: str) -> str:
    """A member's private link: the page's address with their key."""
    return f"{url}/?key={key}"


@dataclass
class Session:
    """One member's live tab: its WebSocket, its app process, and when the member last did anything."""

    websocket: web.WebSocketResponse
    service: AppService | None = None
    active: float = field(default_factory=time.monotonic)
    ready: bool = False
    """The app has drawn its first screen: keys typed before are dropped, never sent to another screen."""


@dataclass(frozen=True)
class Panel:
    """Whom the server serves: the campaign file, its members by id with their names, and their links."""

    file: Path
    names: dict[str, str]
    links: PanelLinks


class AssessorServer(Server):
    """textual-serve's server with a private link per member, one session each, and an idle timeout."""

    def __init__(self, panel: Panel, *, host: str, port: int, idle_minutes: float, tls: ssl.SSLContext | None) -> None:
        url = base_url(host, port, "https" if tls else "http")
        super().__init__(app_command(panel.file, None), host=host, port=port, title=f"assessor: {panel.file.name}", public_url=url)
        self.templates_path = PAGE_FOLDER
        self.panel = panel
        self.idle_seconds = idle_minutes * 60
        self.idle_minutes = idle_minutes
        self.tls = tls
        origins = {url}
        if is_loopback(host):
            origins.update(base_url(name, port, "https" if tls else "http") for name in LOOPBACK_NAMES)
        self.allowed_origins = frozenset(origins)
        self.tickets: dict[str, tuple[str, float]] = {}
        self._links = panel.links
        self._links_stamp = panel.links.path.stat().st_mtime_ns if panel.links.path.exists() else 0
        self.sessions: dict[str, Session] = {}

    def links(self) -> PanelLinks:
        """The links as the chair's file now holds them: `--new-links` takes effect at once, even on a running server."""
        try:
            stamp = self.panel.links.path.stat().st_mtime_ns
        except OSError:
            return self._links  # gone or unreadable: the links this server started with, no other
        if stamp != self._links_stamp:
            with contextlib.suppress(CampaignError):
                found = read_links(self.panel.file, self.panel.names)
                if found is not None:
                    self._links, self._links_stamp = found[0], stamp
        return self._links

    def initialize_logging(self) -> None:
        """Warnings and errors only: no line per request."""
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")

    def refuse(self, request: web.Request, reason: str) -> web.HTTPForbidden:
        """One line on stderr (never the key itself), and 403 for the browser."""
        print(f"assessor: refused {request.method} {request.path} from {request.remote}: {reason}", file=sys.stderr, flush=True)
        return web.HTTPForbidden(text=f"Not allowed: {reason}. Open the private link the chair sent you.\n")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._check_origin)
        app.router.add_get("/ws/{ticket}", self.handle_websocket, name="member-websocket")
        app.on_startup.append(self._start_watch)
        return app

    @web.middleware
    async def _check_origin(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.allowed_origins:
            raise self.refuse(request, f"a page of another site ({origin})")
        return await handler(request)

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page for the member whose key the link carries, with a one-time ticket for its WebSocket."""
        key = request.query.get("key", "")
        member = self.links().member_of(key) if key else None
        if member is None:
            raise self.refuse(request, "no key in the link" if not key else "a key that is not a current link's")
        now = time.monotonic()
        self.tickets = {ticket: held for ticket, held in self.tickets.items() if held[1] > now}
        ticket = secrets.token_urlsafe(16)
        self.tickets[ticket] = (member, now + TICKET_SECONDS)
        websocket = f"{self.public_url}{request.app.router['member-websocket'].url_for(ticket=ticket)}"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ("wss:" if self.tls else "ws:") + websocket.split(":", 1)[1],
            "config": {"static": {"url": f"{self.public_url}/static/"}},
            "application": {"name": self.title},
            "member_name": self.panel.names.get(member, member),
            "idle_minutes": f"{self.idle_minutes:g}",
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The member's tab: its own app process, run as the member the ticket was issued to."""
        if request.headers.get("Origin") is None:
            raise self.refuse(request, "a WebSocket without an Origin (not this server's page)")
        held = self.tickets.pop(request.match_info.get("ticket", ""), None)
        if held is None or held[1] < time.monotonic():
            raise self.refuse(request, "a WebSocket without a current ticket (open the link again)")
        member = held[0]
        earlier = self.sessions.get(member)
        if earlier is not None:  # a second tab of the member takes over: the first ends, after its last save
            await self._end(member, earlier)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        session = self.sessions[member] = Session(websocket)

        async def shown(data: bytes) -> None:
            session.ready = True
            await websocket.send_bytes(data)

        async def closed() -> None:
            await websocket.close()

        session.service = AppService(
            app_command(self.panel.file, member),
            write_bytes=shown,
            write_str=websocket.send_str,
            close=closed,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        try:
            await session.service.start(to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24))
            await self._relay(session)
        except asyncio.CancelledError:
            pass
        finally:
            await self._end(member, session)
        return websocket

    async def _relay(self, session: Session) -> None:
        """The browser's keys and sizes to the app; keys before the app's first screen are dropped."""
        assert session.service is not None
        async for message in session.websocket:
            if message.type != WSMsgType.TEXT:
                continue
            envelope = message.json()
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin":
                session.active = time.monotonic()
                if session.ready:
                    await session.service.send_bytes(str(data).encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await session.service.set_terminal_size(to_int(str(data.get("width")), 80), to_int(str(data.get("height")), 24))
            elif kind == "ping":
                await session.websocket.send_json(["pong", data])
            elif kind == "blur":
                await session.service.blur()
            elif kind == "focus":
                await session.service.focus()

    async def _end(self, member: str, session: Session) -> None:
        """Quit the session's app (which saves first) and close its page."""
        if self.sessions.get(member) is session:
            del self.sessions[member]
        if session.service is not None:
            service, session.service = session.service, None
            await service.stop()
        await session.websocket.close()

    async def _start_watch(self, app: web.Application) -> None:
        app["idle-watch"] = asyncio.create_task(self._watch_idle())

    async def _watch_idle(self) -> None:
        """End each session left idle for the timeout."""
        step = max(0.5, min(30.0, self.idle_seconds / 4))
        while True:
            await asyncio.sleep(step)
            now = time.monotonic()
            for member, session in list(self.sessions.items()):
                if now - session.active >= self.idle_seconds:
                    await self._end(member, session)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the address is printed once the port is really open (`_announce`)."""

    def _announce(self, _message: str) -> None:
        print(f"assessor: serving {self.panel.file} at {self.public_url}", flush=True)
        print("Each panel member opens their own private link; ctrl+c stops the server.", flush=True)

    def serve(self, debug: bool = False) -> None:
        """As textual-serve's, but saying where it listens only after the port is open, and over TLS when given."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers in the loop
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop, print=self._announce, ssl_context=self.tls)


def tls_context(certfile: Path, keyfile: Path) -> ssl.SSLContext:
    """A server TLS context from a certificate and its key (PEM). Raises OSError or ssl.SSLError when they cannot be used."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    return context


def serve(panel: Panel, *, host: str, port: int, idle_minutes: float, tls: ssl.SSLContext | None) -> None:
    """Run the server until ctrl+c (or SIGTERM). Raises OSError when HOST:PORT cannot be used."""
    AssessorServer(panel, host=host, port=port, idle_minutes=idle_minutes, tls=tls).serve()
