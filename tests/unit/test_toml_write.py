"""The TOML writer: the same text as tomli_w for anything a campaign holds, and refusals.

tomli_w is the reference here: the writer exists only to be faster, so any text it
writes must be the text tomli_w would have written, byte for byte.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.core.errors import CampaignError
from assessor.storage.campaign_file import dump_campaign, load_campaign, save_campaign
from assessor.storage.toml_write import toml_string, toml_text
from tests.conftest import EXAMPLE
from tests.generate import make_campaign


def _reference(data: dict) -> str:
    """tomli_w's text for `data`, with times given to it the way the file format writes them."""

    class Utc(datetime):
        def __str__(self) -> str:
            return self.isoformat()[:-6] + "Z"

    def convert(value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return Utc.fromtimestamp(value.timestamp(), UTC)
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    return tomli_w.dumps(convert(data), multiline_strings=True)


any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
keys = st.one_of(st.sampled_from(["id", "name", "a-b_c", "with space", "", "dotted.key", 'quo"te', "line\nbreak"]), any_text)
scalars = st.one_of(
    any_text,
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.dates(),
    st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.replace(microsecond=0)),
)
rows = st.dictionaries(keys, st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=5)
documents = st.dictionaries(
    keys,
    st.one_of(scalars, st.lists(scalars, max_size=3), rows, st.lists(rows, min_size=1, max_size=4)),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_text_is_tomli_ws_text_and_reads_back_as_the_data(data) -> None:
    text = toml_text(data)
    if not _has_crlf(data):  # the one place the texts differ on purpose
        assert text == _reference(data)
    assert tomli.loads(text) == data


def _has_crlf(value) -> bool:
    if isinstance(value, str):
        return "\r\n" in value
    if isinstance(value, dict):
        return any(_has_crlf(key) or _has_crlf(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_crlf(item) for item in value)
    return False


def test_a_carriage_return_before_a_line_break_is_kept() -> None:
    data = {"evidence": "pasted from Windows\r\nsecond line\r\n", "rows": [{"note": "a\r\nb"}]}
    text = toml_text(data)
    assert tomli.loads(text) == data
    assert "pasted from Windows\\r\nsecond line" in text


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "",
        'say "hi"',
        "back\\slash",
        "tab\there",
        "two\nlines",
        'ends with quote\n"',
        "lone\rreturn",
        "bell\x07 esc\x1b del\x7f",
        "form\x0cfeed\x08",
        "é ünïcode ✓ 🙂",
        '"""\nin a block',
    ],
)
def test_awkward_strings_match_tomli_w(value: str) -> None:
    assert toml_string(value) == tomli_w.dumps({"v": value}, multiline_strings=True)[len("v = ") : -1]


def test_times_are_written_in_utc_to_the_second() -> None:
    plus_one = timezone(timedelta(hours=1))
    text = toml_text({"at": datetime(2026, 11, 20, 10, 0, 5, 900_000, tzinfo=plus_one), "on": date(2027, 5, 22)})
    assert text == "at = 2026-11-20T09:00:05Z\non = 2027-05-22\n"


def test_unknown_values_are_refused_with_their_type() -> None:
    with pytest.raises(TypeError, match="set"):
        toml_text({"bad": {1, 2}})


def test_campaign_files_are_what_tomli_w_writes() -> None:
    for campaign in (load_campaign(EXAMPLE), make_campaign(40, 6, 3, seed=2, stage="interview")):
        text = dump_campaign(campaign)
        header, body = text.split("\n", 1)
        assert header.startswith("# assessor campaign file")
        assert body == _reference(tomli.loads(body))


def test_a_save_that_would_not_read_back_the_same_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assessor.storage.toml_save as store

    target = tmp_path / "campaign.toml"
    target.write_bytes(EXAMPLE.read_bytes())
    campaign = load_campaign(target)
    monkeypatch.setattr(store, "toml_text", lambda data: toml_text({**data, "schema": 2}))
    with pytest.raises(CampaignError, match="did not read back as the same data"):
        save_campaign(campaign, target)
    assert target.read_bytes() == EXAMPLE.read_bytes()
