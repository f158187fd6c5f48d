"""The session: the one typed boundary between the screens and the campaign.

Every change goes through one call; what the screens show is worked out once per state
of the campaign and dropped when a change makes it stale; refusals reach the listener.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessor.changes.setup import set_detail
from assessor.changes.setup_people import add_candidate
from assessor.rules.scoring import stopped_before, summarise
from assessor.rules.stages import decided_stages
from assessor.session import CampaignSession
from assessor.storage.campaign_file import load_campaign, open_campaign
from tests.conftest import EXAMPLE
from tests.unit.test_scoring_fast import patterns, plain


class Heard:
    """A listener that writes down what the session told it."""

    def __init__(self) -> None:
        self.changed = 0
        self.refused: list[tuple[str, str]] = []
        self.asked: list[tuple[str, object]] = []

    def campaign_changed(self) -> None:
        self.changed += 1

    def change_refused(self, message: str, severity: str) -> None:
        self.refused.append((message, severity))

    def reason_needed(self, message: str, give) -> None:
        self.asked.append((message, give))


@pytest.fixture
def session(tmp_path: Path) -> tuple[CampaignSession, Heard]:
    path = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, path)
    heard = Heard()
    return CampaignSession(open_campaign(path), "okafor", listener=heard), heard


def test_the_summary_is_worked_out_once_per_state(session) -> None:
    session, heard = session
    first = session.summary()
    assert session.summary() is first  # every screen asking gets the same one
    assert session.summary("sift") is not first and session.summary("sift") is session.summary("sift")
    assert session.setup(set_detail, "vacancies", 2, reason="A second post was funded.")
    assert heard.changed == 1
    again = session.summary()
    assert again is not first and again.vacancies == 2
    assert plain(again) == plain(summarise(session.campaign))


def test_a_recorded_score_carries_the_grouped_scores_over(session) -> None:
    session, heard = session
    session.summary()  # groups the scores
    grouped = session._grouped
    assert grouped is not None and grouped.describes(session.campaign)
    assert session.record_score(candidate="C04", criterion="leadership", stage="interview", score=6, evidence="Led well.")
    carried = session._grouped
    assert carried is not grouped and carried is not None and carried.describes(session.campaign)
    assert patterns(carried) == patterns(type(grouped)(session.campaign))  # as if grouped afresh
    assert plain(session.summary()) == plain(summarise(session.campaign))
    assert session.progress("interview")["C04"].scored == 1
    assert session.candidate_scores("C04", "interview")[("leadership", "okafor")].evidence == "Led well."


def test_a_set_up_change_drops_the_grouping_it_made_stale(session) -> None:
    session, _ = session
    session.summary()
    assert session.setup(add_candidate, name="Priya Shah", reason="Her application was misfiled.")  # validated anew: a new list of scores
    assert session._grouped is None
    assert [result.display_name for result in session.summary("sift").candidates if result.id == "C07"] == ["C07"]


def test_a_refused_change_changes_nothing_and_says_why(session) -> None:
    session, heard = session
    before = session.campaign
    assert not session.record_score(candidate="C99", criterion="leadership", stage="interview", score=5)
    assert not session.moderate(candidate="C01", criterion="leadership", stage="interview", score=3, rationale=" ")
    assert session.campaign is before and not session.unsaved and heard.changed == 0
    assert heard.refused == [
        ("unknown candidate 'C99'", "error"),
        ("a rationale is required: say why the panel agreed 3, which no panel member gave (6, 6, 5)", "error"),
    ]


def test_a_read_only_session_refuses_every_change_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, path)
    heard = Heard()
    session = CampaignSession(open_campaign(path), "okafor", read_only=True, listener=heard)
    assert not session.setup(set_detail, "vacancies", 3)
    assert not session.record_score(candidate="C04", criterion="leadership", stage="interview", score=6)
    assert heard.refused == [("Not changed: it is open read-only.", "warning")] * 2
    assert path.read_bytes() == EXAMPLE.read_bytes()


def test_saving_writes_the_newest_state_once(session) -> None:
    session, _ = session
    assert session.record_score(candidate="C04", criterion="leadership", stage="interview", score=6)
    assert session.record_score(candidate="C04", criterion="leadership", stage="interview", score=6, evidence="More.")
    assert session.unsaved_changes() == ["scored C04 on leadership at interview: 6", "edited evidence for C04 on leadership at interview"]
    assert session.save().wrote and not session.unsaved
    assert not session.save().wrote  # nothing new: nothing written
    saved = load_campaign(session.path)
    assert saved.scores[-1].evidence == "More." and saved == session.campaign


def test_an_export_goes_beside_the_campaign_file(session) -> None:
    session, _ = session
    target = session.export_summary("csv", "sift")
    assert target == session.path.with_name("head-of-digital-2026-sift.csv") == session.export_path("csv", "sift")
    assert target.read_bytes().startswith(b"\xef\xbb\xbfrank,candidate,name,outcome,reasons,total")  # a file: with the byte order mark
    assert session.export_path("html", None).name == "head-of-digital-2026-merit-list.html"
    assert session.export_path("text", "interview").name == "head-of-digital-2026-merit-list.txt"  # the counted stage is the merit list


def test_a_members_export_before_moderation_is_their_view(tmp_path: Path) -> None:
    path = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, path)
    session = CampaignSession(open_campaign(path), "raman", listener=Heard())
    target = session.export_summary("json", None)
    assert target.name == "head-of-digital-2026-merit-list-as-raman.json"
    import json

    data = json.loads(target.read_text())
    assert data["seen_by"] == "raman" and {row["rank"] for row in data["candidates"]} == {None}


def test_my_score_goes_to_my_sheet_and_a_set_up_change_to_the_campaign_file(session) -> None:
    from assessor.storage.sheets import sheet_path

    session, _ = session
    before = session.path.read_bytes()
    assert session.record_score(candidate="C04", criterion="leadership", stage="interview", score=6, evidence="Led well.")
    session.save()
    assert session.path.read_bytes() == before, "a member's score never touches the campaign file"
    mine = sheet_path(session.path, "okafor")
    sheet = mine.read_bytes()
    assert b'member = "okafor"' in sheet and b"Led well." in sheet
    assert session.setup(set_detail, "vacancies", 2, reason="A second post.")
    session.save()
    assert mine.read_bytes() == sheet, "a set-up change never touches a sheet"
    assert load_campaign(session.path).campaign.vacancies == 2
    assert "set vacancies: 1 -> 2" in session.path.read_text()
    assert "scored C04 on leadership" not in session.path.read_text()


def test_a_change_not_saved_when_someone_else_changed_the_file_is_refused_and_named(session) -> None:
    from assessor.core.errors import FileChangedError

    session, _ = session
    assert session.setup(set_detail, "vacancies", 2, reason="A second post.")
    session.path.write_text(session.path.read_text().replace("Jordan Ellis", "Jordan Ellis-Brown"))
    with pytest.raises(FileChangedError):
        session.save()
    assert session.unsaved_changes() == ["set vacancies: 1 -> 2; reason: A second post."]


def test_what_another_member_saves_is_taken_in_and_my_unsaved_score_stays(session) -> None:
    from assessor.changes.scores import record
    from assessor.storage.locked_changes import change_score_sheet

    session, _ = session
    assert session.read_changes() is None, "nothing changed on disk"
    assert session.record_score(candidate="C04", criterion="leadership", stage="interview", score=6)
    change_score_sheet(
        session.path,
        "whitfield",
        lambda campaign: record(campaign, assessor="whitfield", candidate="C04", criterion="leadership", stage="interview", score=3),
        who="whitfield",
    )
    found = session.read_changes()
    assert found is not None
    session.take_changes(found)
    scores = session.candidate_scores("C04", "interview")
    assert (scores[("leadership", "okafor")].score, scores[("leadership", "whitfield")].score) == (6, 3)
    assert session.unsaved and session.save().wrote
    assert session.read_changes() is None, "my own save is not a change by someone else"
    assert load_campaign(session.path) == session.campaign


def test_only_the_sheet_that_changed_is_read_again(session) -> None:
    from assessor.changes.scores import record
    from assessor.storage.locked_changes import change_score_sheet

    session, _ = session

    def scores(member: str, value: int) -> None:
        change_score_sheet(
            session.path,
            member,
            lambda campaign: record(campaign, assessor=member, candidate="C04", criterion="leadership", stage="interview", score=value),
            who=member,
        )

    scores("whitfield", 3)
    scores("raman", 4)
    found = session.read_changes()
    assert found is not None
    session.take_changes(found)
    raman_before = session.files.files.sheets["raman"]
    scores("whitfield", 5)
    found = session.read_changes()
    assert found is not None and found.sheets["raman"] is raman_before, "raman's sheet did not change: not read again"
    assert found.sheets["whitfield"].sheet.scores[-1].score == 5
    session.take_changes(found)
    assert session.campaign == load_campaign(session.path)


def test_who_went_on_is_kept_over_scores_at_the_stage_being_scored_and_worked_out_again_after_a_decided_one(session) -> None:
    session, heard = session  # the example is at the interview: the sift is decided, C05 did not pass it
    found = session.went_no_further("interview")
    assert set(found) == {"C05"}
    assert session.record_score(candidate="C04", criterion="leadership", stage="interview", score=5, evidence="Led well.")
    assert session.went_no_further("interview") is found  # a score at the interview cannot change the sift
    assert not session.record_score(candidate="C05", criterion="leadership", stage="interview", score=5, evidence="x")
    assert heard.refused[-1] == ("C05 did not pass the Sift stage: they are not scored at interview", "error")
    # A score changed at the sift, which is decided, is worked out again: C05 now passes it.
    sift = [s for s in session.campaign.scores if s.candidate == "C05" and s.stage == "sift" and s.assessor == "okafor"]
    for row in sift:
        assert session.record_score(candidate="C05", criterion=row.criterion, stage="sift", score=7)
    again = session.went_no_further("interview")
    assert again is not found
    assert again == stopped_before(session.campaign, ("interview",), among=decided_stages(session.campaign))


def test_my_own_save_read_back_mid_way_is_never_taken_for_someone_elses(session, monkeypatch) -> None:
    """The watcher reads the campaign file just after my save wrote it and before my app noted it;
    a second save goes in; the first read then arrives. It is older than what I wrote: mine stays,
    and the next save finds no one else's change."""
    from assessor.storage import working_files

    session, heard = session
    read: list[object] = []
    write = working_files.save_campaign

    def write_then_watch(*args, **kwargs):
        written = write(*args, **kwargs)
        if not read:
            read.append(session.read_changes())  # the watcher, between the rename and my noting it
        return written

    monkeypatch.setattr(working_files, "save_campaign", write_then_watch)
    assert session.setup(set_detail, "vacancies", 2, reason="A second post.")
    session.save()
    assert read and read[0] is not None
    assert session.setup(set_detail, "vacancies", 3, reason="A third post.")
    session.save()
    session.take_changes(read[0])  # what the watcher read arrives now
    assert session.campaign.campaign.vacancies == 3
    assert session.setup(set_detail, "vacancies", 4, reason="A fourth post.")
    session.save()  # no FileChangedError: nobody else wrote the file
    assert load_campaign(session.path).campaign.vacancies == 4
    assert heard.refused == []


def test_a_correction_at_a_decided_stage_asks_why_once_and_says_whom_it_would_now_put_through(session) -> None:
    from assessor.changes.setup import advance_status

    session, heard = session
    assert session.setup(advance_status)  # interview -> moderation: the sift is recorded as decided
    criteria = ("leadership", "seeing-the-big-picture", "working-together", "digital-leadership-experience")
    session.moderate(candidate="C05", criterion=criteria[0], stage="sift", score=6, rationale="read again")
    assert len(heard.asked) == 1 and "correcting its agreed scores needs a reason" in heard.asked[0][0]
    heard.asked[0][1]("The form was mis-keyed.")  # the reason, given once
    for criterion in criteria[1:]:
        assert session.moderate(candidate="C05", criterion=criterion, stage="sift", score=6, rationale="read again")
    assert len(heard.asked) == 1  # not asked again in this sitting
    told = [message for message, severity in heard.refused if severity == "warning"]
    assert any("C05 would go on from it, but it was decided that they did not" in message for message in told)
    assert session.campaign.audit[-1].what.endswith("; reason: The form was mis-keyed.")
