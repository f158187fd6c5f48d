"""A campaign put together from its campaign file and its members' score sheets, and split again. No I/O.

The campaign file holds the set-up, the chair's agreed scores and decisions and their
audit rows (and, in files from before score sheets, scores too); each sheet holds one
member's scores and audit rows. Everything else sees one `Campaign`: `combine` makes it,
and `file_part` says what of a changed campaign goes back into the campaign file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assessor.changes.guards import with_audit
from assessor.changes.notes import WrittenNote
from assessor.changes.scores import ClearedScore, RecordedScore
from assessor.core.campaign import AuditEntry, Campaign, Note, Score
from assessor.core.sheet import ScoreSheet

ScoreKey = tuple[str, str, str, str]
"""(candidate, criterion, stage, assessor): one member's score on one item."""


def score_key(score: Score) -> ScoreKey:
    """What a score is about, and whose it is."""
    return (score.candidate, score.criterion, score.stage, score.assessor)


def new_sheet(campaign: Campaign, member: str) -> ScoreSheet:
    """An empty sheet of `member` for `campaign`."""
    return ScoreSheet.model_validate({"campaign": campaign.campaign.id, "member": member})


def record_on_sheet(sheet: ScoreSheet | None, base: Campaign, result: RecordedScore) -> ScoreSheet:
    """The member's sheet (a new one of campaign `base` for their first score) with `result`'s
    score in place of their earlier score on the item (or added), and its audit row (a repeat of
    the sheet's last row updates that row, as in the campaign)."""
    if sheet is None:
        sheet = new_sheet(base, result.score.assessor)
    score, entry = result.score, result.campaign.audit[-1]
    key = score_key(score)
    scores = list(sheet.scores)
    for index in range(len(scores) - 1, -1, -1):  # from the newest: the score being edited is most often the last
        if score_key(scores[index]) == key:
            scores[index] = score
            break
    else:
        scores.append(score)
    return sheet.model_copy(update={"scores": scores, "audit": with_audit(sheet.audit, entry)})


def clear_on_sheet(sheet: ScoreSheet, result: ClearedScore) -> ScoreSheet:
    """The member's sheet without the score `result` took back, and with its audit row."""
    key = score_key(result.score)
    scores = [score for score in sheet.scores if score_key(score) != key]
    return sheet.model_copy(update={"scores": scores, "audit": with_audit(sheet.audit, result.campaign.audit[-1])})


def note_key(note: Note) -> tuple[str, str, str]:
    """What a note is about, and whose it is: (candidate, stage, assessor)."""
    return (note.candidate, note.stage, note.assessor)


def note_on_sheet(sheet: ScoreSheet | None, base: Campaign, result: WrittenNote) -> ScoreSheet:
    """The member's sheet with `result`'s note in place of their earlier note on the candidate
    at the stage (or added; taken off when its text is empty), and its audit row."""
    if sheet is None:
        sheet = new_sheet(base, result.note.assessor)
    key = note_key(result.note)
    notes = [note for note in sheet.notes if note_key(note) != key]
    if result.note.text:
        notes.append(result.note)
    return sheet.model_copy(update={"notes": notes, "audit": with_audit(sheet.audit, result.campaign.audit[-1])})


def combine(base: Campaign, sheets: Iterable[ScoreSheet]) -> Campaign:
    """The campaign as its file and its sheets hold it together.

    A member's score on their sheet takes the place of their score on the same item in the
    campaign file (a file from before sheets, scored again); the audit is one log in time order.
    """
    order = {member.id: index for index, member in enumerate(base.panel)}
    ordered = sorted(sheets, key=lambda sheet: order.get(sheet.member, len(order)))
    if not ordered:
        return base
    on_sheets = {score_key(score) for sheet in ordered for score in sheet.scores}
    scores = [score for score in base.scores if score_key(score) not in on_sheets] if on_sheets else list(base.scores)
    noted = {note_key(note) for sheet in ordered for note in sheet.notes}
    notes = [note for note in base.notes if note_key(note) not in noted]
    audit = list(base.audit)
    for sheet in ordered:
        scores += sheet.scores
        notes += sheet.notes
        audit += sheet.audit
    audit.sort(key=lambda entry: entry.at)  # stable: rows of one time keep the file's order, then the sheets'
    return base.model_copy(update={"scores": scores, "notes": notes, "audit": audit})


def file_part(changed: Campaign, *, base: Campaign, combined: Campaign, sheets: Mapping[str, ScoreSheet]) -> Campaign:
    """What of `changed` (made from `combined`, the campaign file `base` with `sheets`) the
    campaign file holds.

    The set-up, agreed scores, status and seal are the file's; so are audit rows that are
    not on a sheet. Scores stay where they are: the file keeps its own, and gains only those
    on items nobody had scored before the change (a merge brings them). Finalising folds
    everything into the file, so a final campaign is the whole of `changed`. A score taken
    back (`changes.scores.clear_score`) leaves the file too, if it was there.
    """
    if not sheets or changed.campaign.status == "final":
        return changed
    on_sheets = {_entry_key(entry) for sheet in sheets.values() for entry in sheet.audit}
    audit = [entry for entry in changed.audit if _entry_key(entry) not in on_sheets]
    if changed.scores is combined.scores:
        scores = base.scores
    else:
        known = {score_key(score) for score in combined.scores}
        gone = known - {score_key(score) for score in changed.scores}  # a score taken back that the file held
        scores = [
            *(score for score in base.scores if score_key(score) not in gone),
            *(score for score in changed.scores if score_key(score) not in known),
        ]
    notes = base.notes
    if changed.notes is not combined.notes:  # as the scores: one taken back leaves the file, one merged in joins it
        had = {note_key(note) for note in combined.notes}
        now_noted = {note_key(note) for note in changed.notes}
        notes = [*(note for note in base.notes if note_key(note) in now_noted), *(note for note in changed.notes if note_key(note) not in had)]
    return changed.model_copy(update={"scores": scores, "notes": notes, "audit": audit})


def _entry_key(entry: AuditEntry) -> tuple[object, str, str]:
    return (entry.at, entry.who, entry.what)


def folded_already(base: Campaign, sheet: ScoreSheet) -> bool:
    """Every row of `sheet` is in the campaign file `base`: what a fold leaves if it stops
    between writing the file and removing the sheets."""
    held = {score_key(score): score for score in base.scores}
    if any(held.get(score_key(score)) != score for score in sheet.scores):
        return False
    if any(note not in base.notes for note in sheet.notes):
        return False
    logged = {_entry_key(entry) for entry in base.audit}
    return all(_entry_key(entry) in logged for entry in sheet.audit)
