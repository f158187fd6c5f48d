"""One member's browser tab under `assessor serve`: its app process, how it ends, and what the tab may send.

The app runs as `python -m assessor FILE --as MEMBER`, started directly (no shell), with the
read end of the server's lifeline pipe (`serve_protocol`), so it quits after its last save
however the server ends. A session ends with a WebSocket close code of 4000 and up and a
sentence the page shows as it is (`web/app_index.html`). Anything a tab sends that is not one
of textual-serve's messages is named in one line on stderr, never with a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shlex
import subprocess
import sys
import time
from asyncio.subprocess import PIPE, Process
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService

from assessor.serve_protocol import FIRST_SCREEN, LIFELINE_VARIABLE

QUIT_SECONDS = 20.0
"""How long an app asked to quit has to save and end before it is killed."""
LARGEST_TERMINAL = (1000, 500)
"""The most columns and rows a tab may ask for: more is taken as this."""
LONGEST_LINE = 240
KEY_IN_TEXT = re.compile(r"((?:key|ws)[=/])[\w-]+")
"""A key in a link, or a ticket in a socket's address: never written to the log."""


def say(line: str) -> None:
    """One line on the server's stderr."""
    print(f"assessor: {line}", file=sys.stderr, flush=True)


class OneLine(logging.Formatter):
    """Every log record on one line of at most LONGEST_LINE characters, an exception as its kind and
    message: never a traceback, and never a key, should a request that could not be read carry one."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.name}: {record.getMessage()}"
        if record.name == "aiohttp.server" and record.getMessage().startswith("Error handling request from "):
            text = f"refused a request from {record.getMessage().removeprefix('Error handling request from ')}"
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        text = KEY_IN_TEXT.sub(r"\1…", " ".join(text.split()))
        return "assessor: " + (text if len(text) <= LONGEST_LINE else text[: LONGEST_LINE - 1] + "…")


def app_words(file: Path | None, as_member: str | None) -> list[str]:
    """The command that opens the app for a tab: this interpreter, so the same installed `assessor`."""
    words = [sys.executable, "-m", "assessor"]
    if file is not None:
        words.append(str(file.resolve()))
    if as_member is not None:
        words.append(f"--as={as_member}")  # one word, even for an id starting with '-'
    return words


def app_command(file: Path | None, as_member: str | None) -> str:
    """`app_words` as one shell command, every word quoted (spaces and quotes in paths are harmless)."""
    words = app_words(file, as_member)
    return subprocess.list2cmdline(words) if os.name == "nt" else shlex.join(words)


@dataclass(frozen=True)
class Ending:
    """Why a session ended: the WebSocket close code and the sentence the page shows."""

    code: int
    reason: str


APP_CLOSED = Ending(4000, "Session ended: the app was closed.")
TAKEN_OVER = Ending(4001, "Session ended: another tab opened with this link took over.")
REPLACED = Ending(4003, "Session ended: the chair made new links, and this one no longer works. Ask the chair for yours.")
STOPPED = Ending(4004, "Session ended: the chair stopped the server.")
BROKEN = Ending(4005, "Session ended: the tab sent what the server cannot take. Open the link again.")
FAILED = Ending(4006, "Session ended: the app could not be started on the server.")
LEFT = Ending(4007, "Session ended: the tab was closed.")


def idle(minutes: float) -> Ending:
    return Ending(4002, f"Session ended: left idle for {minutes:g} minutes.")


@dataclass(eq=False)
class Session:
    """One member's live tab: its WebSocket, its app process, and when the member last did anything."""

    member: str
    websocket: web.WebSocketResponse
    digest: str
    """The key digest of the link the tab was opened with: new links end the session."""
    service: MemberApp | None = None
    active: float = field(default_factory=time.monotonic)
    ready: bool = False
    """The app has drawn its first screen: keys typed before are dropped, never sent to another screen."""
    ending: asyncio.Future[None] | None = None


class MemberApp(AppService):
    """textual-serve's app process for one tab, started without a shell, holding the server's lifeline,
    telling when its first screen is up, and made sure to end when stopped."""

    def __init__(self, words: list[str], *, lifeline: int, first_screen: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(shlex.join(words), **kwargs)
        self.words = words
        self.lifeline = lifeline
        self.first_screen = first_screen

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment[LIFELINE_VARIABLE] = str(self.lifeline)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.words, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=self._build_environment(width, height), pass_fds=(self.lifeline,)
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_meta(self, data: bytes) -> None:
        try:
            meta = json.loads(data)
        except ValueError:
            say("the app sent a message that is not JSON: ignored")
            return
        if isinstance(meta, dict) and meta.get("type") == FIRST_SCREEN:
            self.first_screen()
        elif isinstance(meta, dict) and isinstance(meta.get("type"), str):
            await super().on_meta(data)

    async def stop(self) -> None:
        """Ask the app to quit (it saves first) and wait for it to end; one that has not ended after
        QUIT_SECONDS is killed."""
        process = self._process
        try:
            await asyncio.wait_for(super().stop(), QUIT_SECONDS)
        except TimeoutError:
            pass
        except Exception as exc:  # the browser went while the app's last frames were on their way
            say(f"while ending an app: {type(exc).__name__}: {exc}")
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), QUIT_SECONDS)
        except TimeoutError:
            say(f"an app (process {process.pid}) did not quit within {QUIT_SECONDS:g} s of being asked: ended")
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """A size a tab asks for, as whole numbers within reason (80x24 for what is not a number)."""

    def whole(value: object, default: int, most: int) -> int:
        try:
            number = int(str(value))
        except ValueError:
            return default
        return max(1, min(most, number))

    return whole(width, 80, LARGEST_TERMINAL[0]), whole(height, 24, LARGEST_TERMINAL[1])


def read_message(text: str) -> tuple[str, Any] | str:
    """A message from a tab as (kind, data), or what is wrong with it (said without its content)."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return "a message that is not JSON"
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return "a message that is not a list starting with its kind"
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin" and not isinstance(data, str):
        return "keys that are not text"
    if kind == "resize" and not (isinstance(data, dict) and all(type(data.get(side)) is int for side in ("width", "height"))):
        return "a size that is not a width and a height in whole numbers"
    if kind == "ping" and not (isinstance(data, str | int | float) and len(str(data)) <= 100):
        return "a ping that is not a short text or number"
    if kind not in ("stdin", "resize", "ping", "blur", "focus"):
        return f"a message of an unknown kind ({kind[:20]!r})"
    return kind, data
