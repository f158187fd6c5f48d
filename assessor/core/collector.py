"""Pausing Python's cyclic garbage collector while a big structure is built or read.

Loading or summarising a big campaign makes hundreds of thousands of small containers
(models, dicts, tuples) that are all kept or all dropped by reference counting, and none
in a cycle. Each few hundred of them wake the cyclic collector, which then walks every
object the campaign already holds, for nothing: about a third of a summary's time at
5,000 candidates, and a few per cent of a load. The pause ends with the work; nothing is
left uncollected for longer.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, then restore it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
