"""Every key goes where it was typed for, in the order typed, however fast it comes.

Textual hands a key to the widget that has the focus at the moment the key is read, and goes
on to the next at once; the first key's binding runs only once it has come back up the DOM.
In a burst (a fast typist, a busy machine, a browser tab) the next keys could so reach the
widget the first key was about to leave: `tab` into the evidence box, then the evidence's
letters taken as the criteria list's commands and its digits as scores. Here the app lets
one key go at a time: the next is handed out only once the one before has been dealt with
wherever it went (a marker message sent after it has followed it up to the app), and only
once the screen on top has mounted and taken its focus, so a screen or dialog opened by a
key gets the keys typed after it.

A terminal sends alt and a letter as escape then the letter; read in one go, an escape typed
just before a letter (escape out of the evidence, `j` to the next criterion) comes as alt and
that letter. The app binds no alt key, so such a key is taken as what was typed: the escape,
then the letter.
"""

from __future__ import annotations

from collections import deque
from weakref import WeakSet

from textual import events
from textual.app import App, ScreenStackError
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

SETTLING_SECONDS = 1.0
"""A key whose marker has not come back by then (its widget went away on the way) lets the next go."""


class KeyDealtWith(Message, bubble=True):
    """Sent after a key to the widget the key went to: it reaches the app once the key has been dealt with."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


def as_typed(key: events.Key) -> list[events.Key]:
    """The keys typed: `alt+j` read from a terminal is the escape then `j` (see the module's docstring)."""
    character = key.character
    if not key.key.startswith("alt+") or character is None or len(character) != 1 or not character.isprintable():
        return [key]
    name = key.key.removeprefix("alt+")
    return [events.Key("escape", "\x1b"), events.Key(character if name.startswith("shift+") else name, character)]


class KeysInOrder(App[None]):
    """An app that deals with one key at a time, in order (see the module's docstring)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._waiting_keys: deque[events.Key] = deque()
        self._key_in_hand: int | None = None
        self._keys_given = 0
        self._screens_settled: WeakSet[Screen[object]] = WeakSet()
        """Screens already given their one refresh to take the focus."""

    async def on_event(self, event: events.Event) -> None:
        """A key read from the terminal joins the line; the rest as Textual deals with it."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._waiting_keys.extend(as_typed(event))
            await self._give_next_key()
            return
        await super().on_event(event)

    def on_key_dealt_with(self, message: KeyDealtWith) -> None:
        """The key in hand has been dealt with: the next may go."""
        message.stop()
        self._let_go(message.number)

    def _settled(self, screen: Screen[object]) -> bool:
        """The screen on top has mounted and, if it takes the focus, has taken it (a focus asked for
        on mounting arrives a moment later: one refresh is waited for once per screen)."""
        if not screen.is_mounted:
            return False
        if screen.focused is None and screen not in self._screens_settled and screen.focus_chain:
            self._screens_settled.add(screen)
            return False
        return True

    async def _give_next_key(self) -> None:
        if self._key_in_hand is not None or not self._waiting_keys:
            return
        try:
            screen = self.screen
        except ScreenStackError:  # no screen yet, or the app is closing: nothing to give the key to
            self._waiting_keys.clear()
            return
        if not self._settled(screen):
            self.call_after_refresh(self._give_next_key)
            return
        key = self._waiting_keys.popleft()
        target: Widget = self.focused or screen
        self._keys_given += 1
        number = self._key_in_hand = self._keys_given
        await super().on_event(key)
        if not target.is_attached:  # the key closed what had the focus (escape on a dialog): it is dealt with
            self._let_go(number)
            return
        target.post_message(KeyDealtWith(number))
        self.call_after_refresh(lambda: self._let_go(number) if not target.is_attached else None)
        self.set_timer(SETTLING_SECONDS, lambda: self._let_go(number))

    def _let_go(self, number: int) -> None:
        """Let the next key go after key `number`, if it is still the one in hand."""
        if self._key_in_hand == number:
            self._key_in_hand = None
            self.call_later(self._give_next_key)
