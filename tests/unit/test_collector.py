"""The cyclic collector's pause: it always ends, and never turns on a collector that was off."""

from __future__ import annotations

import gc

import pytest

from assessor.core.collector import collector_paused


def test_the_pause_ends_with_the_block_even_when_it_fails() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the work failed")
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
