"""`assessor serve`: the same app in a browser, for the whole panel, through textual-serve.

Each panel member opens their own private link (`storage.links`); the key in it says who
they are, and the app process started for their tab runs as that member (`assessor FILE
--as MEMBER`): nothing in the browser chooses another identity. A page without a valid
key, and a WebSocket without this server's own Origin or one-time ticket, are refused (403)
and logged on stderr in one line; the page asks why and shows it. One app per member at
any time: a member's sessions start one after another (a lock each), the newest taking
over, so any number of tabs or sockets for one link make one app. A session ends, after
its app's last save, when it is left idle, when new links replace its link, and when the
server stops; however the server ends, even killed, its apps quit (`served_app`). Where
it listens and the address members use are `serve_address`'s. This module never imports
Textual: the app runs in those processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.server import Server, to_int
from watchfiles import awatch

from assessor.core.errors import CampaignError
from assessor.serve_address import Address, base_url, is_loopback, link_url
from assessor.serve_session import (
    APP_CLOSED,
    BROKEN,
    FAILED,
    LEFT,
    REPLACED,
    STOPPED,
    TAKEN_OVER,
    Ending,
    MemberApp,
    OneLine,
    Session,
    app_command,
    app_words,
    idle,
    read_message,
    say,
    terminal_size,
)
from assessor.storage.links import PanelLinks, read_links

__all__ = ["AssessorServer", "Panel", "app_command", "base_url", "is_loopback", "link_url", "serve"]

PAGE_FOLDER = Path(__file__).resolve().parent / "web"
TICKET_SECONDS = 60.0
"""How long the page's one-time ticket for its WebSocket stays good."""
REFUSALS_KEPT = 256
"""Why a page's socket was refused is kept for the page to ask, for this many tickets at the most."""
LARGEST_MESSAGE = 1 << 20
"""The most a tab may send in one message (a paste of evidence fits): more ends the session."""
NO_TICKET = "Not opened: this page's one-time ticket was used already or is more than a minute old. Open the link again."
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#5e0ba7"/>'
    '<path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>'
)


@dataclass(frozen=True)
class Panel:
    """Whom the server serves: the campaign file, its members by id with their names, and their links."""

    file: Path
    names: dict[str, str]
    links: PanelLinks


class AssessorServer(Server):
    """textual-serve's server with a private link per member, one app each, and sessions that end with a reason."""

    def __init__(self, panel: Panel, *, address: Address, idle_minutes: float) -> None:
        super().__init__(
            app_command(panel.file, None), host=address.host, port=address.port, title=f"assessor: {panel.file.name}", public_url=address.url
        )
        self.templates_path = PAGE_FOLDER
        self.panel = panel
        self.address = address
        self.idle_seconds = idle_minutes * 60
        self.idle_minutes = idle_minutes
        self.allowed_origins = address.origins()
        self.tickets: dict[str, tuple[str, str, float]] = {}
        """ticket: (member, the digest of their link, when it stops being good)"""
        self.refusals: dict[str, str] = {}
        self._links = panel.links
        self._links_stamp = panel.links.path.stat().st_mtime_ns if panel.links.path.exists() else 0
        self.sessions: dict[str, Session] = {}
        self.newest: dict[str, Session] = {}
        self.starting: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        """A lock per member around ending their earlier session and starting the new one."""
        self.stopping = False
        self._background: set[asyncio.Future[None]] = set()
        self.lifeline, self._lifeline_held = os.pipe()  # the apps read; the server holds the other end till it ends

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
        """Warnings and errors only, one line each: no line per request, no traceback."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLine())
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    def refuse(self, request: web.Request, reason: str) -> web.HTTPForbidden:
        """One line on stderr (never the key itself), and 403 for the browser."""
        say(f"refused {request.method} {request.path[:80]} from {request.remote}: {reason}")
        return web.HTTPForbidden(text=f"Not allowed: {reason}. Open the private link the chair sent you.\n")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._check_origin)
        app.router.add_get("/ws/{ticket}", self.handle_websocket, name="member-websocket")
        app.router.add_get("/refused/{ticket}", self.handle_refused, name="refused")
        app.router.add_get("/favicon.ico", self.handle_favicon)
        app.on_startup.append(self._start_watches)
        app.on_cleanup.append(self._stop_watches)
        return app

    def _origin_refusal(self, request: web.Request) -> str | None:
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.allowed_origins:
            return f"a page of another site ({origin[:100]})"
        return None

    @web.middleware
    async def _check_origin(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        refusal = self._origin_refusal(request)
        if refusal is not None and request.match_info.route.name != "refused":
            ticket = request.match_info.get("ticket", "")
            if request.match_info.route.name == "member-websocket" and self.tickets.pop(ticket, None) is not None:
                as_sent = f"Open the link exactly as the chair sent it: {self.address.url}/?key=…"
                self._keep_refusal(ticket, f"Not opened: {refusal} cannot open a session. {as_sent}")
            raise self.refuse(request, refusal)
        return await handler(request)

    def _keep_refusal(self, ticket: str, why: str) -> None:
        self.refusals[ticket] = why
        while len(self.refusals) > REFUSALS_KEPT:
            del self.refusals[next(iter(self.refusals))]

    async def handle_refused(self, request: web.Request) -> web.Response:
        """Why this page's socket was refused, for the page to show: it holds the ticket, so nobody else asks."""
        return web.Response(text=self.refusals.get(request.match_info["ticket"], NO_TICKET), headers={"Cache-Control": "no-store"})

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(text=FAVICON, content_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page for the member whose key the link carries, with a one-time ticket for its WebSocket."""
        key = request.query.get("key", "")
        links = self.links()
        member = links.member_of(key) if key else None
        if member is None:
            raise self.refuse(request, "no key in the link" if not key else "a key that is not a current link's")
        now = time.monotonic()
        self.tickets = {ticket: held for ticket, held in self.tickets.items() if held[2] > now}
        ticket = secrets.token_urlsafe(16)
        self.tickets[ticket] = (member, links.digests[member], now + TICKET_SECONDS)
        path = request.app.router["member-websocket"].url_for(ticket=ticket)
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{self.address.websocket_scheme}:{self.address.url.split(':', 1)[1]}{path}",
            "config": {"static": {"url": f"{self.address.url}/static/"}},
            "favicon": f"{self.address.url}/favicon.ico",
            "application": {"name": self.title},
            "member_name": self.panel.names.get(member, member),
        }

    def _ticket_holder(self, request: web.Request) -> tuple[str, str]:
        """The member and link digest of the socket's one-time ticket, or a 403 saying why not."""
        if request.headers.get("Origin") is None:
            raise self.refuse(request, "a WebSocket without an Origin (not this server's page)")
        held = self.tickets.pop(request.match_info.get("ticket", ""), None)
        if held is None or held[2] < time.monotonic():
            raise self.refuse(request, "a WebSocket without a current ticket (open the link again)")
        member, digest, _ = held
        if self.links().digests.get(member) != digest:
            self._keep_refusal(request.match_info["ticket"], REPLACED.reason.replace("Session ended", "Not opened"))
            raise self.refuse(request, "a WebSocket from a link replaced by new links")
        return member, digest

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The member's tab: its own app process, run as the member the ticket was issued to; the newest
        of their tabs takes over, after the earlier one's app has quit."""
        member, digest = self._ticket_holder(request)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=LARGEST_MESSAGE)
        await websocket.prepare(request)
        session = self.newest[member] = Session(member, websocket, digest)
        async with self.starting[member]:
            if self.stopping or self.newest.get(member) is not session:  # the server stops, or a newer tab came meanwhile
                await self._close(session, STOPPED if self.stopping else TAKEN_OVER)
                return websocket
            earlier = self.sessions.get(member)
            if earlier is not None:
                await self._end(earlier, TAKEN_OVER)
            self.sessions[member] = session
            if not await self._start_app(session, request):
                await self._end(session, FAILED)
                return websocket
        try:
            await self._relay(session)
        finally:
            await self._end(session, LEFT)
        return websocket

    async def _start_app(self, session: Session, request: web.Request) -> bool:
        websocket = session.websocket

        async def send_bytes(data: bytes) -> None:
            if not websocket.closed:
                with contextlib.suppress(ConnectionError):
                    await websocket.send_bytes(data)

        async def send_str(data: str) -> None:
            if not websocket.closed:
                with contextlib.suppress(ConnectionError):
                    await websocket.send_str(data)

        async def closed() -> None:  # the app quit by itself (ctrl+q): the page says so
            if session.ending is None:
                await self._close(session, APP_CLOSED)

        def first_screen() -> None:
            session.ready = True

        session.service = MemberApp(
            app_words(self.panel.file, session.member),
            lifeline=self.lifeline,
            first_screen=first_screen,
            write_bytes=send_bytes,
            write_str=send_str,
            close=closed,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        try:
            await session.service.start(*terminal_size(request.query.get("width", "80"), request.query.get("height", "24")))
        except OSError as exc:
            say(f"cannot start the app for {session.member}: {exc.strerror or exc}")
            return False
        return True

    async def _relay(self, session: Session) -> None:
        """The browser's keys and sizes to the app; keys before the app's first screen are dropped;
        anything else a tab sends is named in one line and left, or ends the session when it cannot be read."""
        async for message in session.websocket:
            service = session.service
            if service is None:
                break
            if message.type == WSMsgType.ERROR:
                say(f"{session.member}'s tab: {type(message.data).__name__}: {message.data}: session ended")
                await self._end(session, BROKEN)
                break
            if message.type != WSMsgType.TEXT:
                say(f"{session.member}'s tab sent a message that is not text: ignored")
                continue
            read = read_message(message.data)
            if isinstance(read, str):
                say(f"{session.member}'s tab sent {read}: ignored")
                continue
            kind, data = read
            if kind == "stdin":
                session.active = time.monotonic()
                if session.ready:
                    await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize":
                await service.set_terminal_size(*terminal_size(data["width"], data["height"]))
            elif kind == "ping":
                await session.websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _end(self, session: Session, why: Ending) -> None:
        """Quit the session's app (which saves first), then close its page saying why; once, however often asked."""
        if session.ending is None:
            session.ending = asyncio.ensure_future(self._ending(session, why))
        await asyncio.shield(session.ending)

    async def _ending(self, session: Session, why: Ending) -> None:
        if self.sessions.get(session.member) is session:
            del self.sessions[session.member]
        service, session.service = session.service, None
        if service is not None:
            await service.stop()
        await self._close(session, why)

    async def _close(self, session: Session, why: Ending) -> None:
        with contextlib.suppress(ConnectionError):
            await session.websocket.close(code=why.code, message=why.reason.encode("utf-8"))

    async def on_shutdown(self, app: web.Application) -> None:
        """The server stops (ctrl+c, SIGTERM): every session ends, after its app's last save, before it exits."""
        self.stopping = True

        async def stop(member: str) -> None:
            async with self.starting[member]:
                if (session := self.sessions.get(member)) is not None:
                    await self._end(session, STOPPED)

        await asyncio.gather(*(stop(member) for member in list(self.starting)))

    async def _start_watches(self, app: web.Application) -> None:
        app["watches"] = [asyncio.create_task(self._watch_idle()), asyncio.create_task(self._watch_links())]

    async def _stop_watches(self, app: web.Application) -> None:
        for task in app["watches"]:
            task.cancel()
        await asyncio.gather(*app["watches"], return_exceptions=True)

    async def _watch_idle(self) -> None:
        """End each session left idle for the timeout (and, should watching the links fail, those of replaced links)."""
        step = max(0.5, min(30.0, self.idle_seconds / 4))
        while True:
            await asyncio.sleep(step)
            self._end_replaced()
            now = time.monotonic()
            for session in list(self.sessions.values()):
                if now - session.active >= self.idle_seconds:
                    await self._end(session, idle(self.idle_minutes))

    async def _watch_links(self) -> None:
        """New links (`--new-links`, from another process) end the sessions of the old ones at once."""
        path = self.panel.links.path.resolve()
        try:
            async for _ in awatch(path.parent, watch_filter=lambda _change, changed: Path(changed) == path, debounce=200, recursive=False):
                self._end_replaced()
        except (OSError, RuntimeError) as exc:
            say(f"cannot watch the links for changes ({exc}): new links end open sessions within {self.idle_seconds / 4:g} s")

    def _end_replaced(self) -> None:
        digests = self.links().digests
        for session in list(self.sessions.values()):
            if digests.get(session.member) != session.digest and session.ending is None:
                say(f"{session.member}'s link was replaced by new links: their session ended")
                ending = asyncio.ensure_future(self._end(session, REPLACED))
                self._background.add(ending)
                ending.add_done_callback(self._background.discard)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the address is printed once the port is really open (`_announce`)."""

    def _announce(self, _message: str) -> None:
        print(f"assessor: serving {self.panel.file} at {self.address.url}", flush=True)
        print("Each panel member opens their own private link; ctrl+c stops the server.", flush=True)

    def serve(self, debug: bool = False, sockets: list[socket.socket] | None = None) -> None:
        """As textual-serve's, on SOCKETS already listening, over TLS when given, saying where once open."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers in the loop
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(), sock=sockets, handle_signals=False, loop=loop, print=self._announce, ssl_context=self.address.tls, access_log=None
        )


def serve(panel: Panel, *, address: Address, idle_minutes: float, sockets: list[socket.socket]) -> None:
    """Run the server on SOCKETS (bound by `serve_address.listen`) until ctrl+c or SIGTERM."""
    AssessorServer(panel, address=address, idle_minutes=idle_minutes).serve(sockets=sockets)
