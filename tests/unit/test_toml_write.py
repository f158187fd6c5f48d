"""Writing TOML: tomli_w writes every file; what the file format adds to it is held here.

Times in UTC to the second with a `Z`, line breaks stored as `\\n`, keys in the format's
stable order, rows laid out as the file example of docs/file-format.md shows, and no save of a text
that does not read back as the data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.core.campaign import Campaign
from assessor.core.errors import CampaignError
from assessor.storage.campaign_file import dump_campaign, load_campaign, save_campaign
from assessor.storage.toml_write import as_written, toml_text
from tests.conftest import EXAMPLE

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
keys = st.one_of(st.sampled_from(["id", "name", "a-b_c", "with space", "", "dotted.key", 'quo"te', "line\nbreak"]), any_text)
scalars = st.one_of(
    any_text,
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))])),
)
rows = st.dictionaries(keys, st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=5)
documents = st.dictionaries(
    keys,
    st.one_of(scalars, st.lists(scalars, max_size=3), rows, st.lists(rows, min_size=1, max_size=4)),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_any_data_reads_back_as_written(data) -> None:
    assert tomli.loads(toml_text(data)) == as_written(data)


def test_times_are_written_in_utc_to_the_second() -> None:
    plus_one = timezone(timedelta(hours=1))
    text = toml_text({"at": datetime(2026, 11, 20, 10, 0, 5, 900_000, tzinfo=plus_one), "on": date(2027, 5, 22)})
    assert text == "at = 2026-11-20T09:00:05Z\non = 2027-05-22\n"


def test_line_breaks_are_stored_as_a_newline_alone() -> None:
    data = {"evidence": "pasted from Windows\r\nsecond line\r\n", "rows": [{"note": "a\r\nb", "lone": "a\rb"}]}
    text = toml_text(data)
    assert tomli.loads(text) == {"evidence": "pasted from Windows\nsecond line\n", "rows": [{"note": "a\nb", "lone": "a\rb"}]}
    assert 'evidence = """\npasted from Windows\nsecond line\n"""' in text


def test_free_text_with_windows_line_breaks_saves_and_reads_back(minimal: Path) -> None:
    campaign = load_campaign(minimal)
    moderated = campaign.moderation[0].model_copy(update={"rationale": "Agreed.\r\nSecond example was stronger."})
    changed = Campaign.model_validate({**campaign.model_dump(by_alias=True), "moderation": [moderated.model_dump()]})
    assert changed.moderation[0].rationale == "Agreed.\nSecond example was stronger.", "names and rationales keep \\n alone"
    save_campaign(changed, minimal)
    assert load_campaign(minimal).moderation[0].rationale == "Agreed.\nSecond example was stronger."
    assert b"\r" not in minimal.read_bytes()


def test_unknown_values_are_refused_with_their_type() -> None:
    with pytest.raises(TypeError, match="set"):
        toml_text({"bad": {1, 2}})


def test_the_file_is_laid_out_as_the_readme_shows() -> None:
    text = dump_campaign(load_campaign(EXAMPLE))
    lines = text.splitlines()
    assert lines[0].startswith("# assessor campaign file (format 1), written by assessor ")
    assert lines[1:3] == ["schema = 1", "panel = ["], "the short panel rows come first, one inline table a line"
    assert lines[3] == '    { id = "okafor", name = "Amara Okafor", role = "chair" },'
    tables = [line for line in lines if line.startswith("[")]
    order = list(dict.fromkeys(tables))
    assert order == [
        "[campaign]",
        "[campaign.role]",
        "[[stages]]",
        "[[criteria]]",
        "[[candidates]]",
        "[[scores]]",
        "[[moderation]]",
        "[[audit]]",
    ], "tables in the format's stable order"
    campaign_keys = [line.split(" = ")[0] for line in lines[lines.index("[campaign]") + 1 : lines.index("[campaign.role]")] if " = " in line]
    assert campaign_keys == [
        "id",
        "title",
        "framework",
        "level",
        "status",
        "vacancies",
        "count_stages",
        "tie_break",
        "overall_pass_mark",
        "anonymise_sift",
        "agreed_scores",
        "chair_sees_scores",
        "created",
    ]
    assert 'count_stages = [\n    "interview",\n]' in text, "a list is written one item a line"
    assert text.encode("utf-8") == EXAMPLE.read_bytes(), "the bundled example is as the writer writes it"


def test_a_save_that_would_not_read_back_the_same_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assessor.storage.toml_save as store

    target = tmp_path / "campaign.toml"
    target.write_bytes(EXAMPLE.read_bytes())
    campaign = load_campaign(target)
    monkeypatch.setattr(store, "dumps_written", lambda data: toml_text({**data, "schema": 2}))
    with pytest.raises(CampaignError, match="did not read back as the same data"):
        save_campaign(campaign, target)
    assert target.read_bytes() == EXAMPLE.read_bytes()
