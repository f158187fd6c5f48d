"""Fuzzing the loader: any bytes load as a valid campaign or fail with CampaignError, quickly.

The normal suite runs a hundred cases; `make fuzz` runs the `slow` ones, a thousand
and more. Each case starts from a real campaign file (small, the example, a generated
one, a sealed one) and damages it the ways files get damaged: flipped bytes, a cut-off
end, lines lost or doubled, values moved to the wrong key, lines of plausible TOML
that say the wrong thing; or it is random bytes altogether.
"""

from __future__ import annotations

import copy
import re
import signal
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.changes.seal import finalise, seal_problems
from assessor.core.campaign import Campaign
from assessor.core.errors import CampaignError
from assessor.storage.campaign_file import dump_campaign, load_campaign, load_with_data, written_data
from tests.conftest import EXAMPLE, MINIMAL
from tests.generate import START, make_light_campaign

SECONDS_PER_CASE = 5  # far above a normal load (milliseconds): only a hang trips it


def _sealed() -> bytes:
    campaign = make_light_campaign(4, 3, 2, seed=3)
    campaign = finalise(campaign, chair="P1", at=START, file_data=written_data, force=True, rationale="fuzz base")
    return dump_campaign(campaign).encode()


BASES = [MINIMAL.read_bytes(), EXAMPLE.read_bytes(), dump_campaign(make_light_campaign(6, 4, 3, seed=1, scored=0.7)).encode(), _sealed()]

# Lines a person (or a bad merge) might leave: plausible keys with wrong or extreme values.
TRICKY_LINES = [
    b"created = 0001-01-01T00:00:00+01:00",
    b"created = 9999-12-31T23:59:59-01:00",
    b"at = 0001-01-01T00:30:00+14:00",
    b"retain_until = 0001-01-01",
    b"retain_until = 9999-12-31",
    b"level = 99999999999999999999",
    b"level = -1",
    b"score = 1e400",
    b"score = nan",
    b"weight = inf",
    b"weight = -0.0",
    b"pass_mark = 7.0",
    b"vacancies = 0",
    b'framework = "../../../etc/passwd"',
    b'framework = ""',
    b'framework = "success-profiles\\u0000"',
    b"[[scores]]",
    b"[[candidates]]",
    b"[seal]",
    b"[seal.tables]",
    b"[campaign.role]",
    b"[[audit]]",
    b'sha256 = "' + b"0" * 64 + b'"',
    b"tables = {}",
    b'tables = {x = "y"}',
    b"schema = 2",
    b"schema = 0",
    b'schema = "1"',
    b'id = ""',
    b'id = "C01"',
    b'name = " "',
    b"stages = []",
    b'count_stages = ["nowhere"]',
    b'tie_break = ["leadership", "leadership"]',
    b"lead = true",
    b'role = "chair"',
    b'by = "P9"',
    b'status = "final"',
    b"a = [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
    b'evidence = """\r\n"""',
    b"evidence = '''\x7f'''",
    b'what = "\\uD800"',
    b"x.y.z = 1",
]


def flip(data: bytes, position: int, value: int) -> bytes:
    if not data:
        return bytes([value])
    position %= len(data)
    return data[:position] + bytes([value]) + data[position + 1 :]


def truncate(data: bytes, position: int, _: int) -> bytes:
    return data[: position % (len(data) + 1)]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_line(data: bytes, index: int, _: int) -> bytes:
    lines = _lines(data)
    del lines[index % len(lines)]
    return b"\n".join(lines)


def duplicate_line(data: bytes, index: int, _: int) -> bytes:
    lines = _lines(data)
    index %= len(lines)
    return b"\n".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])


def swap_values(data: bytes, first: int, second: int) -> bytes:
    lines = _lines(data)
    pairs = [index for index, line in enumerate(lines) if re.match(rb"^\s*[\w.\"-]+\s*=", line)]
    if len(pairs) < 2:
        return data
    a, b = pairs[first % len(pairs)], pairs[second % len(pairs)]
    key_a, value_a = lines[a].split(b"=", 1)
    key_b, value_b = lines[b].split(b"=", 1)
    lines[a], lines[b] = key_a + b"=" + value_b, key_b + b"=" + value_a
    return b"\n".join(lines)


def _key(line: bytes) -> bytes | None:
    match = re.match(rb"^\s*([\w.\"-]+)\s*=", line)
    return match.group(1) if match else None


def insert_tricky(data: bytes, index: int, choice: int) -> bytes:
    """Put a tricky line in place of a line with the same key, else insert it."""
    lines = _lines(data)
    tricky = TRICKY_LINES[choice % len(TRICKY_LINES)]
    same = [position for position, line in enumerate(lines) if _key(tricky) is not None and _key(line) == _key(tricky)]
    if same:
        lines[same[index % len(same)]] = tricky
        return b"\n".join(lines)
    index %= len(lines) + 1
    return b"\n".join([*lines[:index], tricky, *lines[index:]])


MUTATIONS: list[Callable[[bytes, int, int], bytes]] = [flip, truncate, delete_line, duplicate_line, swap_values, insert_tricky]

mutated = st.builds(
    lambda base, steps: _apply(base, steps),
    st.sampled_from(BASES),
    st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4),
)
# Damage at the level of values: the TOML stays readable, so the checks behind it are reached.
_DATA_BASES = [tomli.loads(base.decode()) for base in BASES]
_ODD_VALUES = [
    0,
    -1,
    1,
    7,
    8,
    2**63 - 1,
    -(2**63),
    0.5,
    -0.0,
    float("inf"),
    float("nan"),
    1e308,
    True,
    False,
    "",
    " ",
    "C01",
    "P1",
    "leadership",
    "interview",
    "sift",
    "final",
    "chair",
    "success-profiles",
    "policing-cvf",
    "../x",
    "a" * 300,
    "\u00e9\u4e2d",
    "\r\n",
    date(1, 1, 1),
    date(9999, 12, 31),
    datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=14))),
    datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12))),
    datetime(2026, 1, 1, 9, 0),
    time(9, 0),
    [],
    [1, "a"],
    ["sift"],
    {},
    {"id": "x"},
    [{"id": "C01", "name": "x"}],
]


def _leaves(value: Any, path: tuple = ()) -> list[tuple]:
    """Every key or index path in parsed TOML data, containers included."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _leaves(item, (*path, index))
    return found


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def mutate_data(base: int, steps: list[tuple[int, int, int]]) -> bytes:
    data = copy.deepcopy(_DATA_BASES[base])
    for kind, where, what in steps:
        paths = _leaves(data)
        if not paths:
            break
        path = paths[where % len(paths)]
        parent = _parent(data, path)
        if kind == 0:  # a value of another kind, or out of range
            parent[path[-1]] = copy.deepcopy(_ODD_VALUES[what % len(_ODD_VALUES)])
        elif kind == 1:  # a key or a row lost
            del parent[path[-1]]
        elif kind == 2 and isinstance(parent, list):  # a row doubled
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
        else:  # two values swapped
            other = paths[what * 7919 % len(paths)]
            if other[: len(path)] != path and path[: len(other)] != other:
                other_parent = _parent(data, other)
                parent[path[-1]], other_parent[other[-1]] = other_parent[other[-1]], parent[path[-1]]
    try:
        return tomli_w.dumps(data).encode()
    except (TypeError, ValueError):
        return BASES[base]  # not writable as TOML (e.g. a list of mixed tables): nothing to test


data_mutated = st.builds(
    mutate_data,
    st.integers(0, len(BASES) - 1),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=4),
)
random_files = st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode))
files = st.one_of(mutated, data_mutated, data_mutated, random_files)


def _apply(base: bytes, steps: list[tuple[Callable[[bytes, int, int], bytes], int, int]]) -> bytes:
    for mutation, a, b in steps:
        base = mutation(base, a, b)
    return base


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"loading took more than {SECONDS_PER_CASE} s")


FOLDER = tempfile.TemporaryDirectory(prefix="assessor-fuzz-")


def check_file(raw: bytes) -> None:
    """Load `raw` as a campaign file: a valid campaign or a CampaignError, in one-line problems."""
    path = Path(FOLDER.name) / "fuzzed.toml"
    path.write_bytes(raw)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_CASE)
    try:
        try:
            campaign = load_campaign(path)
        except CampaignError as exc:
            for problem in exc.problems:
                assert "\n" not in str(problem), str(problem)
            return
        assert isinstance(campaign, Campaign)
        # A file that loads must also survive the seal check and a save's dump.
        campaign, data = load_with_data(path)
        seal_problems(campaign, data)
        dump_campaign(campaign)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=files)
def test_damaged_files_load_or_fail_cleanly(raw: bytes) -> None:
    check_file(raw)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=files)
def test_damaged_files_load_or_fail_cleanly_at_length(raw: bytes) -> None:
    check_file(raw)


@pytest.mark.parametrize("line", TRICKY_LINES, ids=lambda line: line.decode("utf-8", "replace")[:40])
@pytest.mark.parametrize("base", range(len(BASES)))
def test_every_tricky_line_where_hand_edits_go(base: int, line: bytes) -> None:
    """Each tricky line in place of its key's first lines, else after a spread of table headers."""
    for index in range(6):
        check_file(insert_tricky(BASES[base], index * 7, TRICKY_LINES.index(line)))
