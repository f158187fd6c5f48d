"""Merging panel members' copies of one campaign into the target file's campaign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from assessor.changes.guards import check_open
from assessor.core.campaign import AuditEntry, Campaign, Moderation, Note, Score
from assessor.core.checks import reference_problems
from assessor.core.errors import ChangeRefused
from assessor.core.sheet import ScoreSheet


@dataclass
class MergeResult:
    """The merged campaign and how many rows each source brought."""

    campaign: Campaign
    added: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per source name: {"scores": n, "moderation": n, "notes": n, "audit": n}."""

    @property
    def changed(self) -> bool:
        """Whether anything new came in."""
        return any(any(counts.values()) for counts in self.added.values())


def brought_words(counts: dict[str, int]) -> str:
    """What one source brought, in words: `3 scores, 1 agreed scores, 4 audit rows` (and its notes, if any)."""
    notes = f", {counts['notes']} notes" if counts.get("notes") else ""
    return f"{counts['scores']} scores, {counts['moderation']} agreed scores{notes}, {counts['audit']} audit rows"


def _setup_problems(target: Campaign, name: str, source: Campaign) -> list[str]:
    problems = []
    for table in ("stages", "criteria", "panel", "candidates"):
        ours = {row.id for row in getattr(target, table)}
        extra = [row.id for row in getattr(source, table) if row.id not in ours]
        if extra:
            problems.append(f"{name}: {table} not in the target: {', '.join(extra)} (the set-up must match; add them to the target first)")
    return problems


def sheet_as_copy(target: Campaign, sheet: ScoreSheet) -> Campaign:
    """A member's score sheet as a copy of `target` holding only that member's scores, notes and audit
    rows, for `merge` (the sheet has been checked against `target`)."""
    return target.model_copy(update={"scores": sheet.scores, "notes": sheet.notes, "moderation": [], "audit": sheet.audit})


def merge(target: Campaign, sources: Sequence[tuple[str, Campaign]], *, target_name: str, who: str, at: datetime) -> MergeResult:
    """Bring scores, agreed scores, notes and audit rows from copies of the same campaign into `target`.

    Identical rows are kept once (merging twice changes nothing); new rows are added;
    a different score or evidence for the same (candidate, criterion, stage, assessor),
    or a different agreed score or rationale for the same item, or a different note by the
    same member on the same candidate and stage, is a conflict. Any
    conflict refuses the whole merge, listing every one: nothing is guessed.
    """
    check_open(target)
    problems: list[str] = []
    for name, source in sources:
        if source.campaign.id != target.campaign.id:
            problems.append(f"{name}: campaign {source.campaign.id!r} is not the target's {target.campaign.id!r}: only copies of one campaign merge")
        else:
            problems.extend(_setup_problems(target, name, source))
    if problems:
        raise ChangeRefused("not merged: the files do not hold the same campaign", details=tuple(problems))

    scores = {(*row.item, row.assessor): (row, target_name) for row in target.scores}
    moderation = {row.item: (row, target_name) for row in target.moderation}
    audit_seen = {(row.at, row.who, row.what) for row in target.audit}
    new_scores: list[Score] = []
    new_moderation: list[Moderation] = []
    notes = {(row.candidate, row.stage, row.assessor): (row, target_name) for row in target.notes}
    new_notes: list[Note] = []
    new_audit: list[AuditEntry] = []
    result = MergeResult(target)
    conflicts: list[str] = []
    for name, source in sources:
        counts = {"scores": 0, "moderation": 0, "notes": 0, "audit": 0}
        for row in source.scores:
            key = (*row.item, row.assessor)
            where = f"{row.candidate} on {row.criterion} at {row.stage} by {row.assessor}"
            if key not in scores:
                scores[key] = (row, name)
                new_scores.append(row)
                counts["scores"] += 1
                continue
            have, held_in = scores[key]
            if have.score != row.score:
                conflicts.append(f"conflict: {where}: score {have.score} in {held_in}, {row.score} in {name}")
            elif have.evidence != row.evidence:
                conflicts.append(f"conflict: {where}: different evidence in {held_in} and {name}")
        for agreed in source.moderation:
            where = f"agreed score for {agreed.candidate} on {agreed.criterion} at {agreed.stage}"
            if agreed.item not in moderation:
                moderation[agreed.item] = (agreed, name)
                new_moderation.append(agreed)
                counts["moderation"] += 1
                continue
            held, held_in = moderation[agreed.item]
            if held.score != agreed.score:
                conflicts.append(f"conflict: {where}: {held.score} in {held_in}, {agreed.score} in {name}")
            elif (held.rationale, held.by) != (agreed.rationale, agreed.by):
                conflicts.append(f"conflict: {where}: different rationale in {held_in} and {name}")
        for note in source.notes:
            key_of_note = (note.candidate, note.stage, note.assessor)
            if key_of_note not in notes:
                notes[key_of_note] = (note, name)
                new_notes.append(note)
                counts["notes"] += 1
            elif notes[key_of_note][0].text != note.text:
                conflicts.append(
                    f"conflict: note on {note.candidate} at {note.stage} by {note.assessor}: different text in {notes[key_of_note][1]} and {name}"
                )
        for entry in source.audit:
            seen = (entry.at, entry.who, entry.what)
            if seen not in audit_seen:
                audit_seen.add(seen)
                new_audit.append(entry)
                counts["audit"] += 1
        result.added[name] = counts
    if conflicts:
        count = f"{len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}"
        raise ChangeRefused(f"not merged: {count}; nothing was changed", details=tuple(conflicts))
    if not result.changed:
        return result

    # The audit stays a chronological log; sorting is stable, so equal times keep their order.
    audit = sorted([*target.audit, *new_audit], key=lambda row: row.at)
    brought = "; ".join(f"{name}: {brought_words(counts)}" for name, counts in result.added.items())
    audit.append(AuditEntry(at=at, who=who, what=f"merged {brought}"))
    rows = {"scores": [*target.scores, *new_scores], "moderation": [*target.moderation, *new_moderation], "notes": [*target.notes, *new_notes]}
    merged = target.model_copy(update={**rows, "audit": audit})
    found = reference_problems(merged)  # the set-up matched by id; the assessment matrix must too
    if found:
        raise ChangeRefused("not merged: rows from the sources do not fit the target's set-up", details=tuple(message for _, message in found))
    result.campaign = merged
    return result
