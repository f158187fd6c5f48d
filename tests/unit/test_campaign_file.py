"""Loading and saving campaign files: round trips, atomic saves, no silent overwrite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.core.campaign import Campaign, Candidate, Score
from assessor.core.errors import CampaignError
from assessor.rules.grouping import PanelScore, ScoresByItem, grouped_scores
from assessor.storage.atomic import sweep_stale_temp_files
from assessor.storage.campaign_file import dump_campaign, load_campaign, open_campaign, save_campaign
from assessor.storage.reference import load_framework
from assessor.storage.rows import ROW_BATCH
from tests.conftest import EXAMPLE, ROOT
from tests.generate import make_light_campaign
from tests.unit.test_scoring_fast import patterns


def test_example_round_trips_exactly(tmp_path: Path) -> None:
    campaign = load_campaign(EXAMPLE)
    target = tmp_path / "copy.toml"
    save_campaign(campaign, target)
    assert load_campaign(target) == campaign
    # Saving what was loaded writes the same bytes: files stay diffable.
    assert target.read_text() == EXAMPLE.read_text()


def test_saved_file_reads_with_the_standard_library(example: Path) -> None:
    import tomllib

    data = tomllib.loads(example.read_text())
    assert data["campaign"]["created"] == datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    assert "created = 2026-10-05T09:00:00Z" in example.read_text()


def test_evidence_line_endings_are_normalised(minimal: Path) -> None:
    campaign = load_campaign(minimal)
    campaign.scores[0] = campaign.scores[0].model_copy(update={"evidence": "first\r\nsecond\rthird"})
    save_campaign(Campaign.model_validate(campaign.model_dump(by_alias=True)), minimal)
    assert load_campaign(minimal).scores[0].evidence == "first\nsecond\nthird"
    assert b"\r" not in minimal.read_bytes()


def test_new_files_are_owner_only_and_modes_are_kept(tmp_path: Path, minimal: Path) -> None:
    campaign = load_campaign(minimal)
    fresh = tmp_path / "fresh.toml"
    save_campaign(campaign, fresh)
    assert fresh.stat().st_mode & 0o777 == 0o600
    minimal.chmod(0o640)
    save_campaign(campaign, minimal)
    assert minimal.stat().st_mode & 0o777 == 0o640


def test_save_refuses_when_the_file_changed_on_disk(minimal: Path) -> None:
    opened = open_campaign(minimal)
    someone_else = minimal.read_text().replace("Jordan Ellis", "Jordan Ellis-Smith")
    minimal.write_text(someone_else)
    os.utime(minimal, ns=(time.time_ns(), time.time_ns() + 10_000_000))

    with pytest.raises(CampaignError, match="changed by someone else"):
        save_campaign(opened.campaign, minimal, expected=opened.fingerprint)
    assert minimal.read_text() == someone_else


def test_save_accepts_a_touched_but_unchanged_file(minimal: Path) -> None:
    opened = open_campaign(minimal)
    os.utime(minimal, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    new = save_campaign(opened.campaign, minimal, expected=opened.fingerprint)
    assert new == open_campaign(minimal).fingerprint


def test_save_refuses_when_the_file_was_deleted(minimal: Path) -> None:
    opened = open_campaign(minimal)
    minimal.unlink()
    with pytest.raises(CampaignError, match="moved or deleted"):
        save_campaign(opened.campaign, minimal, expected=opened.fingerprint)
    assert not minimal.exists()


def test_save_into_a_read_only_folder_is_a_clear_error(tmp_path: Path, minimal: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    campaign = load_campaign(minimal)
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(CampaignError, match="not saved"):
        save_campaign(campaign, folder / "c.toml")


def test_opening_sweeps_temp_files_of_dead_saves_only(minimal: Path) -> None:
    import socket

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    host = socket.gethostname()
    stale = minimal.with_name(f".{minimal.name}.{host}.{dead.stdout.strip()}.tmp")
    live = minimal.with_name(f".{minimal.name}.{host}.{os.getppid()}.tmp")
    elsewhere = minimal.with_name(f".{minimal.name}.other-host.{dead.stdout.strip()}.tmp")
    for temp in (stale, live, elsewhere):
        temp.write_text("half a file")

    load_campaign(minimal)  # reading only: nothing is removed
    assert stale.exists()
    open_campaign(minimal)
    assert not stale.exists()
    assert live.exists() and elsewhere.exists()
    assert sweep_stale_temp_files(minimal) == []


def test_a_failed_save_leaves_the_old_file_and_no_temp(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = load_campaign(minimal)
    before = minimal.read_bytes()

    def full_disk(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(CampaignError, match="not saved: No space left on device"):
        save_campaign(campaign, minimal)
    monkeypatch.undo()
    assert minimal.read_bytes() == before
    assert [p.name for p in minimal.parent.iterdir()] == [minimal.name]


SAVER = """
import sys
from pathlib import Path
from assessor.storage.campaign_file import load_campaign, save_campaign
path = Path(sys.argv[1])
campaign = load_campaign(path)
print("ready", flush=True)
n = 0
while True:
    n += 1
    campaign.campaign.title = f"Version {n} " + "x" * (n % 5000)
    save_campaign(campaign, path)
    print("saved", flush=True)
"""


def test_killing_a_process_mid_save_never_tears_the_file(example: Path) -> None:
    """SIGKILL a process that saves in a loop, many times: the file always loads whole."""
    titles = set()
    for attempt in range(8):
        saver = subprocess.Popen([sys.executable, "-c", SAVER, str(example)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert saver.stdout is not None and saver.stdout.readline().strip() == "ready"
        for _ in range(attempt + 1):  # once it has saved: the kill falls in one of the saves that follow
            assert saver.stdout.readline().strip() == "saved"
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        campaign = load_campaign(example)  # raises if the file were torn
        assert campaign.campaign.title.startswith(("Version", "Head of Digital"))
        titles.add(campaign.campaign.title)
        open_campaign(example)  # sweeps the dead saver's temp file
        assert [p.name for p in example.parent.iterdir()] == [example.name]
    assert len(titles) > 1, "the saver never got a save in: the test proved nothing"


# Property: load(save(c)) == c for any valid campaign.
names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=30).filter(str.strip)
evidence = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    candidate_names=st.lists(names, min_size=1, max_size=5),
    adjustments=evidence,
    scores=st.lists(st.tuples(st.integers(1, 7), evidence, moments), min_size=0, max_size=2),
    title=names,
)
def test_load_of_save_is_identity(tmp_path: Path, candidate_names, adjustments, scores, title) -> None:
    base = load_campaign(ROOT / "tests" / "data" / "minimal.toml")
    data = base.model_dump(by_alias=True)
    data["campaign"]["title"] = title
    data["candidates"] = [
        Candidate(id=f"C{index}", name=name, reference=f"R{index}", adjustments=adjustments).model_dump()
        for index, name in enumerate(candidate_names)
    ]
    data["scores"] = [
        Score(candidate="C0", criterion="leadership", stage="interview", assessor=assessor, score=value, evidence=text, at=at).model_dump()
        for assessor, (value, text, at) in zip(["P1", "P2"], scores, strict=False)  # at most one score each
    ]
    data["moderation"] = []
    campaign = Campaign.model_validate(data)
    target = tmp_path / "round.toml"
    save_campaign(campaign, target)
    assert load_campaign(target) == campaign
    tomli.loads(dump_campaign(campaign))


def test_times_are_stored_to_the_second_in_utc(minimal: Path) -> None:
    campaign = load_campaign(minimal)
    local = datetime(2026, 11, 20, 10, 0, 0, 123456, tzinfo=UTC).astimezone(__import__("datetime").timezone(timedelta(hours=1)))
    score = campaign.scores[0].model_copy(update={"at": local})
    revalidated = Score.model_validate(score.model_dump())
    assert revalidated.at == datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC)
    assert revalidated.at.utcoffset() == timedelta(0)


# Big files: tables of rows are validated in batches and their plain data let go.
def _big_file(tmp_path: Path) -> tuple[Path, Campaign]:
    campaign = make_light_campaign(900, 3, 2, seed=3)  # 5,400 scores: three batches and more
    assert len(campaign.scores) > 2 * ROW_BATCH
    path = tmp_path / "big.toml"
    save_campaign(campaign, path)
    return path, campaign


def test_a_big_file_loads_as_the_same_campaign_as_validated_whole(tmp_path: Path) -> None:
    path, campaign = _big_file(tmp_path)
    loaded = load_campaign(path)
    assert loaded == campaign
    assert loaded == Campaign.model_validate(tomli.loads(path.read_text()), context={"framework": load_framework("success-profiles")})
    assert loaded.scores[0].__pydantic_fields_set__ is loaded.scores[-1].__pydantic_fields_set__  # one set, not 5,400
    # Each id is one string, the one its candidate, criterion, stage or member holds.
    first, last = loaded.scores[0], loaded.scores[-1]
    by_id = {row.id: row for table in (loaded.candidates, loaded.criteria, loaded.stages, loaded.panel) for row in table}
    for score in (first, last):
        for field in ("candidate", "criterion", "stage", "assessor"):
            assert getattr(score, field) is by_id[getattr(score, field)].id


def test_a_loaded_campaign_groups_its_scores_by_item_as_the_campaign_saved(tmp_path: Path) -> None:
    path, campaign = _big_file(tmp_path)
    loaded = load_campaign(path)
    grouped = ScoresByItem(loaded)  # derived state: the session keeps it, the model does not
    assert grouped.describes(loaded)
    assert grouped_scores(loaded, grouped) is grouped  # kept while it describes the campaign
    assert patterns(grouped) == patterns(ScoresByItem(campaign))  # as the campaign saved groups them
    first = loaded.scores[0]
    rows = grouped.panels[first.item].pattern
    assert rows[0] == PanelScore(first.assessor, first.score, not first.has_evidence)
    assert len(rows) == sum(1 for score in loaded.scores if score.item == first.item)


def test_a_bad_row_deep_in_a_big_file_is_reported_at_its_line(tmp_path: Path) -> None:
    path, _ = _big_file(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    score_lines = [index for index, line in enumerate(lines) if line.startswith("score = ")]
    wrong = score_lines[ROW_BATCH * 2 + 17]  # in the third batch
    lines[wrong] = "score = 9\n"
    path.write_text("".join(lines))
    before = path.read_bytes()
    with pytest.raises(CampaignError) as raised:
        open_campaign(path)
    [problem] = raised.value.problems
    assert (problem.line, problem.path) == (wrong + 1, f"scores[{ROW_BATCH * 2 + 17}].score")
    assert "at most 7" in problem.message
    assert path.read_bytes() == before


def test_rows_sharing_their_field_set_still_copy_and_change_alone(tmp_path: Path) -> None:
    path, _ = _big_file(tmp_path)
    scores = load_campaign(path).scores
    first, second = scores[0], scores[1]
    changed = first.model_copy(update={"evidence": "rewritten"})
    changed.score = 1  # an assignment records a field that was already given
    assert changed.model_fields_set == set(Score.model_fields)
    assert second.model_fields_set == set(Score.model_fields)
    assert first.evidence != "rewritten" and second.evidence != "rewritten"


def test_a_reference_that_does_not_hold_deep_in_a_big_file_is_reported_at_its_line(tmp_path: Path) -> None:
    path, _ = _big_file(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    candidate_lines = [index for index, line in enumerate(lines) if line.startswith('candidate = "')]
    index = ROW_BATCH + 5  # in the second batch: the batches pass, the cross-check does not
    lines[candidate_lines[index]] = 'candidate = "C99999"\n'
    path.write_text("".join(lines))
    with pytest.raises(CampaignError) as raised:
        load_campaign(path)
    [problem] = raised.value.problems
    assert (problem.line, problem.path) == (candidate_lines[index] + 1, f"scores[{index}].candidate")
    assert problem.message == "unknown candidate 'C99999'"
