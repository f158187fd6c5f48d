"""A panel member's overall note on a candidate at a stage: written, blind, kept on their
sheet, shown to the chair at moderation, in the archive and in the subject access export."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assessor.changes.notes import write_note
from assessor.changes.sheets import combine, new_sheet, note_on_sheet
from assessor.changes.subject_access import candidate_record
from assessor.core.errors import ChangeRefused
from assessor.report.as_html import render_html
from assessor.report.candidate_record import render_candidate
from assessor.rules.scoring import summarise
from assessor.rules.visibility import as_seen_by, notes_seen
from assessor.storage.campaign_file import load_campaign
from assessor.storage.reference import load_framework
from tests.conftest import DATA

CAMPAIGN = load_campaign(DATA / "snapshot-campaign.toml")
AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def with_note(campaign, member: str, text: str, candidate: str = "C03"):
    return write_note(campaign, assessor=member, candidate=candidate, stage="interview", text=text, at=AT)


def test_a_note_is_written_rewritten_and_taken_back_and_its_audit_row_never_quotes_it() -> None:
    first = with_note(CAMPAIGN, "raman", "Asked about the budget cut; calm, specific.")
    assert [note.text for note in first.campaign.notes] == ["Asked about the budget cut; calm, specific."]
    assert first.campaign.audit[-1].what == "wrote a note on C03 at interview"
    again = with_note(first.campaign, "raman", "Asked about the budget cut; calm, specific.")
    assert not again.changed and again.campaign is first.campaign
    rewritten = with_note(first.campaign, "raman", "Asked about the budget cut.")
    assert rewritten.campaign.audit[-1].what == "rewrote a note on C03 at interview" and len(rewritten.campaign.notes) == 1
    gone = with_note(rewritten.campaign, "raman", "   ")
    assert gone.campaign.notes == [] and gone.campaign.audit[-1].what == "took back the note on C03 at interview"
    with pytest.raises(ChangeRefused):
        with_note(CAMPAIGN, "nobody", "x")


def test_notes_are_blind_like_scores_until_moderation() -> None:
    noted = with_note(with_note(CAMPAIGN, "raman", "Raman's note").campaign, "whitfield", "Whitfield's note").campaign
    assert [n.text for n in notes_seen(noted, "raman", "C03", ["interview"])] == ["Raman's note"]
    assert len(notes_seen(noted, "okafor", "C03", ["interview"])) == 2  # a chair who sees scores "always" sees notes too
    after_own = noted.model_copy(update={"campaign": noted.campaign.model_copy(update={"chair_sees_scores": "after-own"})})
    assert notes_seen(after_own, "okafor", "C03", ["interview"]) == []  # the others' notes wait for moderation
    at_moderation = noted.model_copy(update={"campaign": noted.campaign.model_copy(update={"status": "moderation"})})
    assert {n.text for n in notes_seen(at_moderation, "okafor", "C03", ["interview"])} == {"Raman's note", "Whitfield's note"}


def test_a_note_lives_on_its_members_sheet_and_the_campaign_is_the_file_with_the_sheets() -> None:
    written = with_note(CAMPAIGN, "raman", "On the sheet")
    sheet = note_on_sheet(None, CAMPAIGN, written)
    assert [n.text for n in sheet.notes] == ["On the sheet"] and sheet.audit[-1].what == "wrote a note on C03 at interview"
    assert [n.text for n in combine(CAMPAIGN, [sheet]).notes] == ["On the sheet"]
    taken_back = note_on_sheet(sheet, CAMPAIGN, with_note(written.campaign, "raman", ""))
    assert taken_back.notes == [] and combine(CAMPAIGN, [taken_back, new_sheet(CAMPAIGN, "whitfield")]).notes == []


def test_the_archive_and_the_subject_access_export_carry_the_notes() -> None:
    noted = with_note(CAMPAIGN, "raman", "Compared well with Sofia Marchetti on delivery.").campaign
    noted = noted.model_copy(update={"campaign": noted.campaign.model_copy(update={"status": "moderation"})})
    framework = load_framework("success-profiles")
    summary = summarise(noted)
    html = render_html(summary, noted, framework)
    assert "Compared well with Sofia Marchetti on delivery." in html
    before = with_note(with_note(CAMPAIGN, "whitfield", "Whitfield wrote this").campaign, "raman", "Raman wrote this").campaign
    view = render_html(as_seen_by(summarise(before), before, "raman"), before, framework)
    assert "Raman wrote this" in view and "Whitfield wrote this" not in view  # a member's view: their own notes only
    record = candidate_record(noted, "C03")
    assert [row["text"] for row in record["notes"]] == ["Compared well with [another candidate] on delivery."]
    assert record["notes"][0]["assessor_name"] == "Priya Raman"
    assert "| interview | Priya Raman | Compared well with [another candidate] on delivery. |" in render_candidate(record, "md")
    assert candidate_record(noted, "C01")["notes"] == []  # nobody else's notes
