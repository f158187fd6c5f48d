"""`assessor serve`: the same app in a browser on this machine, through textual-serve.

textual-serve starts one `assessor` process per browser tab and relays its screen and
keys over a WebSocket. This module never imports Textual: the app runs in those
processes, not in the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


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


def base_url(host: str, port: int) -> str:
    """`http://HOST:PORT`, with an IPv6 address in brackets."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


class AssessorServer(Server):
    """textual-serve's server, quieter, and refusing WebSocket connections from other sites.

    A page on any web site the browser has open could otherwise open a WebSocket to
    this port and type into the app as the panel member: browsers send the page's
    Origin with a WebSocket request, and only this server's own page is let through.
    """

    def __init__(self, command: str, *, host: str, port: int, title: str, what: str) -> None:
        url = base_url(host, port)
        super().__init__(command, host=host, port=port, title=title, public_url=url)
        self.what = what
        origins = {url}
        if is_loopback(host):
            origins.update(base_url(name, port) for name in LOOPBACK_NAMES)
        self.allowed_origins = frozenset(origins)

    def initialize_logging(self) -> None:
        """Warnings and errors only: no line per request."""
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._check_origin)
        return app

    @web.middleware
    async def _check_origin(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.allowed_origins:
            raise web.HTTPForbidden(text=f"assessor serves only its own page, not {origin}\n")
        return await handler(request)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the address is printed once the port is really open (`_announce`)."""

    def _announce(self, _message: str) -> None:
        print(f"assessor: serving {self.what} at {self.public_url}", flush=True)
        print("Open that address in a browser on this machine; ctrl+c stops the server.", flush=True)

    def serve(self, debug: bool = False) -> None:
        """As textual-serve's, but saying where it listens only after the port is open."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers in the loop
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop, print=self._announce)


def serve(file: Path | None, *, as_member: str | None, host: str, port: int) -> None:
    """Run the server until ctrl+c (or SIGTERM). Raises OSError when HOST:PORT cannot be used."""
    what = str(file) if file is not None else "the campaigns in ./campaigns/"
    title = f"assessor: {file.name}" if file is not None else "assessor"
    AssessorServer(app_command(file, as_member), host=host, port=port, title=title, what=what).serve()
