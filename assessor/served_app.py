"""The app as `assessor serve` runs it for a browser tab: it tells the server when its first
screen is up, and it never outlives the server.

The server starts each tab's app with the read end of a pipe it holds open and never writes
(`serve_protocol.LIFELINE_VARIABLE`). However the server ends (ctrl+c, SIGTERM, a crash, a
`kill -9`), the system closes its end, the read here sees end of file, and the app quits as
it does when the server asks: after its last save (the app saves on unmount). What the app
still writes then goes to /dev/null, since nobody reads its output any more.

Once the first screen (not Textual's empty default, not the loading screen) has mounted and
is being drawn, the app sends a meta packet saying so, just before that frame; the server drops the
keys the tab sent before it, so a key pressed while the page opens never lands on a later screen.
Keys sent after it wait in the app until that screen has its focus (`key_order`).
"""

from __future__ import annotations

import contextlib
import os
import threading

from textual.app import App, ScreenStackError
from textual.messages import ExitApp
from textual.pilot import Pilot

from assessor.screens.widgets import LoadingScreen
from assessor.serve_protocol import FIRST_SCREEN, LIFELINE_VARIABLE

LAST_SAVE_SECONDS = 60.0
"""How long an app whose server is gone has to save and quit before it is ended regardless."""


def run(app: App[object]) -> None:
    """Run APP; under `assessor serve`, watching the server and saying when the first screen is up."""
    lifeline = os.environ.pop(LIFELINE_VARIABLE, None)  # not handed on to anything the app starts
    if lifeline is None or not lifeline.isdigit():
        app.run()
        return
    started = threading.Event()

    async def first_screen(pilot: Pilot[object]) -> None:
        started.set()
        _tell_first_screen(pilot.app)

    threading.Thread(target=_watch_server, args=(app, int(lifeline), started), name="assessor-lifeline", daemon=True).start()
    app.run(auto_pilot=first_screen)


def _watch_server(app: App[object], lifeline: int, started: threading.Event) -> None:
    """Wait for the end of the server's pipe, then quit the app after its last save."""
    with contextlib.suppress(OSError):
        while os.read(lifeline, 64):
            pass  # the server never writes: only its end matters
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # the browser's frames and any message: nobody reads them any more
    os.dup2(quiet, 2)
    started.wait()  # the app's loop is running, so the message is taken
    app.post_message(ExitApp())
    deadline = threading.Timer(LAST_SAVE_SECONDS, os._exit, args=(1,))
    deadline.daemon = True  # an app that quits in time ends as usual
    deadline.start()


def _tell_first_screen(app: App[object]) -> None:
    """Send the server the meta packet saying the first screen is up, just before the first frame
    drawn once a real screen has mounted (or a refresh after it mounted, should nothing be drawn).
    Keys from then on wait in the app until that screen has its focus (`key_order`)."""
    driver = app._driver
    write_meta = getattr(driver, "write_meta", None)
    if driver is None or write_meta is None:
        return
    told = False

    def first_screen_up() -> bool:
        try:
            screen = app.screen
        except ScreenStackError:
            return False  # closing, or nothing yet
        return screen.id != "_default" and not isinstance(screen, LoadingScreen) and screen.is_mounted

    def tell() -> None:
        nonlocal told
        if not told and first_screen_up():
            told = True
            write_meta({"type": FIRST_SCREEN})

    def draw(data: str) -> None:
        if not told:
            tell()  # before the frame, so the server takes keys from the moment the tab can show it
        frame(data)

    frame = driver.write
    driver.write = draw  # type: ignore[method-assign]
    app.screen_change_signal.subscribe(app, lambda _screen: app.call_after_refresh(tell))
    app.call_after_refresh(tell)
