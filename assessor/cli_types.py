"""The command line's option types: numbers within bounds and digests, refused in one line each."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

Number = TypeVar("Number", int, float)


def bounded(kind: Callable[[str], Number], low: Number, high: Number, words: str, unit: str = "") -> Callable[[str], Number]:
    """An argparse type for a number from LOW to HIGH, refused in one line: `not WORDS: 'x'`,
    `must be LOW to HIGH UNIT, not x`."""

    def convert(text: str) -> Number:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {words}: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low:g} to {high:g}{unit}, not {text}")
        return value

    return convert


seconds = bounded(float, 0.0, 3600.0, "a number of seconds", " seconds")
"""A time to wait for --wait: 0 to 3600 seconds."""
reserve_months = bounded(int, 0, 12, "a whole number of months", " months")
"""Months the reserve list stays open for --reserve-months: 0 to 12 (the Recruitment Principles' most)."""
port_number = bounded(int, 1, 65535, "a port number")
"""A TCP port for --port: 1 to 65535."""
idle_minutes = bounded(float, 0.01, 1440.0, "a number of minutes", " minutes")
"""How long a browser session may sit idle for --idle-minutes: up to a day."""


def sha256_hex(text: str) -> str:
    """An argparse type for --digest: a SHA-256 in hex (64 digits, any case), in lower case."""
    digest = text.strip().lower()
    if len(digest) != 64 or any(char not in "0123456789abcdef" for char in digest):
        raise argparse.ArgumentTypeError(f"not a SHA-256 digest (64 hexadecimal digits): {text!r}")
    return digest
