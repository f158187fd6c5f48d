"""What happens to a campaign after the scoring: merge, seal, verify, subject access, purge.

Pure functions, no I/O: each takes campaigns (and, for seals, the plain TOML data a
file holds) and returns a new campaign or plain data, raising `ChangeRefused` with one
detail line per item when the rules say no. The seal covers the file's data as any
TOML reader returns it, so a function giving that data is passed in (`file_data`,
`store.written_data` in practice): the digest is then of exactly what is written.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from assessor.changes import ChangeRefused, check_open, require_chair
from assessor.model import AuditEntry, Campaign, Seal, reference_problems
from assessor.scoring import Summary, summarise

RETENTION_MONTHS = 6
"""Personal data is kept this long after finalising unless `retain_until` says otherwise."""

PURGED = "[purged]"
"""What replaces purged text; empty text stays empty, so flags read the same."""

PURGE_NOTE = "re-sealed after purging personal data"

FileData = Callable[[Campaign], dict[str, Any]]


# The canonical content and its digest.


def _json_value(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not TOML data: {type(value).__name__}")


def canonical_bytes(value: Any) -> bytes:
    """TOML data as canonical JSON: keys sorted, no spaces, UTF-8, dates and times in ISO 8601.

    Anyone can recompute it: `json.dumps(data, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False, default=lambda v: v.isoformat()).encode()`.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_value).encode("utf-8")


def content_digest(data: dict[str, Any]) -> str:
    """SHA-256 (hex) of a campaign file's data without its `seal` table."""
    return hashlib.sha256(canonical_bytes({key: value for key, value in data.items() if key != "seal"})).hexdigest()


def table_digests(data: dict[str, Any]) -> dict[str, str]:
    """SHA-256 of each top-level key's value but the seal: where a later change was made."""
    return {key: hashlib.sha256(canonical_bytes(value)).hexdigest() for key, value in sorted(data.items()) if key != "seal"}


def seal(campaign: Campaign, *, by: str, at: datetime, file_data: FileData, note: str | None = None) -> Campaign:
    """The campaign with a `[seal]` of its content as it will be written."""
    data = file_data(campaign.model_copy(update={"seal": None}))
    try:
        stamp = Seal(sha256=content_digest(data), by=by, at=at, note=note, tables=table_digests(data))
    except ValidationError:
        raise ChangeRefused(f"{by!r} cannot sign a seal: a seal is signed with an id (letters, digits, '-', '_', '.')", "as") from None
    return campaign.model_copy(update={"seal": stamp})


def seal_problems(campaign: Campaign, data: dict[str, Any]) -> list[str]:
    """Why the seal of a file (its campaign and its plain TOML data) does not hold; [] when it does."""
    stamp = campaign.seal
    if stamp is None:
        return [f"not sealed: the campaign is at {campaign.campaign.status}; `assessor finalise` seals it"]
    if content_digest(data) == stamp.sha256:
        return []
    problems = ["seal mismatch: the content changed after sealing"]
    if stamp.tables is not None:
        now = table_digests(data)
        changed = [key for key in sorted(set(stamp.tables) | set(now)) if stamp.tables.get(key) != now.get(key)]
        words = []
        for key in changed:
            if key not in now:
                words.append(f"{key} (removed)")
            elif key not in stamp.tables:
                words.append(f"{key} (added)")
            else:
                words.append(key)
        if words:
            problems.append(f"changed since sealing: {', '.join(words)}")
    later = [row for row in campaign.audit if row.at > stamp.at]
    if later:
        last = later[-1]
        rows = "row is" if len(later) == 1 else "rows are"
        problems.append(f"{len(later)} audit {rows} dated after the seal; the last: {_stamp(last.at)} {last.who}: {last.what}")
    return problems


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def seal_words(campaign: Campaign) -> str:
    """`sealed by CHAIR on TIME` (and why it was sealed again, if it was)."""
    assert campaign.seal is not None
    note = f" ({campaign.seal.note})" if campaign.seal.note else ""
    return f"sealed by {campaign.seal.by} on {_stamp(campaign.seal.at)}{note}"


# Finalising.


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def open_items(campaign: Campaign, summary: Summary | None = None) -> list[str]:
    """What the chair should settle before signing off, one line per item, from the summary.

    Counted scores still missing, panel disagreements without an agreed score, scores
    without evidence and ties the tie-break criteria did not settle.
    """
    summary = summary or summarise(campaign, show_names=True)
    items = []
    for result in summary.candidates:
        if result.outcome == "withdrawn":
            continue
        for item in result.items:
            where = f"{item.criterion} at {item.stage}"
            # Missing scores matter for candidates still in the running; "fail" with a
            # missing item means they failed an earlier stage and were never interviewed.
            if item.missing and result.outcome != "fail":
                items.append(f"{result.id}: no score yet for {where}")
            elif item.disagreement:
                items.append(f"{result.id}: panel spread of {item.spread} on {where} and no agreed score")
            if item.without_evidence:
                items.append(f"{result.id}: no evidence from {', '.join(item.without_evidence)} on {where}")
        if "unresolved-tie" in result.flags:
            items.append(f"{result.id}: rank {result.rank} is shared: the tie-break criteria did not separate it")
    return items


def finalise(
    campaign: Campaign, *, chair: str, at: datetime, file_data: FileData, force: bool = False, rationale: str = ""
) -> Campaign:
    """Sign off: status final, a retention date, an audit row, and the seal.

    Refused while items are open (missing counted scores, unresolved flags) unless
    `force` with a rationale, which records every open item in the audit.
    """
    check_open(campaign)
    require_chair(campaign, chair, "finalises")
    items = open_items(campaign)
    if items and not force:
        count = f"{len(items)} item{'s' if len(items) != 1 else ''}"
        raise ChangeRefused(f"not finalised: {count} still open (settle them, or --force --rationale TEXT to record them)", details=tuple(items))
    if force and not rationale.strip():
        raise ChangeRefused("--force needs a rationale: say why the campaign is signed off with items open", "rationale")
    info = campaign.campaign
    retain = info.retain_until or add_months(at.date(), RETENTION_MONTHS)
    audit = list(campaign.audit)
    if items:
        audit.append(AuditEntry(at=at, who=chair, what=f"finalised with {len(items)} open items; rationale: {rationale.strip()}"))
        audit.extend(AuditEntry(at=at, who=chair, what=f"open at finalising: {item}") for item in items)
    audit.append(AuditEntry(at=at, who=chair, what=f"finalised and sealed; personal data kept until {retain.isoformat()}"))
    final = campaign.model_copy(
        update={"campaign": info.model_copy(update={"status": "final", "retain_until": retain}), "audit": audit}
    )
    return seal(final, by=chair, at=at, file_data=file_data)


# Retention.


def retention_date(campaign: Campaign) -> date | None:
    """Until when personal data is kept: `retain_until`, else six months after the seal."""
    if campaign.campaign.retain_until is not None:
        return campaign.campaign.retain_until
    if campaign.seal is not None:
        return add_months(campaign.seal.at.date(), RETENTION_MONTHS)
    return None


def purged_on(campaign: Campaign) -> datetime | None:
    """When personal data was purged, if it was."""
    if campaign.seal is not None and campaign.seal.note and campaign.seal.note.startswith(PURGE_NOTE):
        return next((row.at for row in reversed(campaign.audit) if row.what.startswith("purged personal data")), campaign.seal.at)
    return None


_RATIONALE = re.compile(r"(; rationale: ).*\Z", re.DOTALL)


def purge(campaign: Campaign, *, on_disk: dict[str, Any], who: str, at: datetime, file_data: FileData) -> Campaign:
    """Replace personal data with placeholders after the retention date; keep ids, scores, ranking.

    Names become the candidate's id; references are emptied; adjustments, evidence and
    rationales become "[purged]" (empty text stays empty); rationales quoted in the audit
    and any candidate's name or reference written there are replaced too. Panel names
    stay: they record who decided. The campaign is sealed again with a note. `on_disk`
    is the plain data of the file as read, which the old seal must match.
    """
    if campaign.seal is None or campaign.campaign.status != "final":
        raise ChangeRefused("purge comes after finalise: `assessor finalise` first (it sets the retention date)")
    member = next((m for m in campaign.panel if m.id == who), None)
    if member is not None and member.role != "chair":
        raise ChangeRefused(f"{who!r} is on the panel as {member.role}: the seal is signed by a chair or by someone off the panel (HR)", "as")
    # Checked against the file as it is (`on_disk`, its plain TOML data), as verify does:
    # a file sealed by another version may be laid out differently from our own dump.
    if content_digest(on_disk) != campaign.seal.sha256:
        raise ChangeRefused("not purged: the seal does not match (run `assessor verify`); purging would hide that")
    retain = retention_date(campaign)
    assert retain is not None  # sealed, so there is a date
    if at.date() <= retain:
        raise ChangeRefused(f"personal data is kept until {retain.isoformat()} (retain_until): purge is possible from {(retain + timedelta(days=1)).isoformat()}")
    first = seal_words(campaign)

    replacements = {}
    for candidate in campaign.candidates:
        for text in (candidate.name, candidate.reference):
            if len(text.strip()) >= 2 and text != candidate.id:
                replacements[text] = candidate.id
    # Longest first, so "Ann Lee-Smith" is not half replaced by "Ann Lee".
    words = "|".join(re.escape(text) for text in sorted(replacements, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)") if replacements else None

    def scrub(text: str) -> str:
        text = _RATIONALE.sub(lambda match: match.group(1) + PURGED, text)
        return pattern.sub(lambda match: replacements[match.group(0)], text) if pattern else text

    def blank(text: str) -> str:
        return PURGED if text.strip() else text

    candidates = [c.model_copy(update={"name": c.id, "reference": "", "adjustments": blank(c.adjustments)}) for c in campaign.candidates]
    scores = [s.model_copy(update={"evidence": blank(s.evidence)}) for s in campaign.scores]
    moderation = [m.model_copy(update={"rationale": PURGED}) for m in campaign.moderation]
    audit = [row.model_copy(update={"what": scrub(row.what)}) for row in campaign.audit]
    audit.append(AuditEntry(at=at, who=who, what=(
        f"purged personal data (kept until {retain.isoformat()}): names, references, adjustments, evidence and "
        "rationales replaced; ids, scores and ranking kept"
    )))
    purged = campaign.model_copy(update={"candidates": candidates, "scores": scores, "moderation": moderation, "audit": audit})
    return seal(purged, by=who, at=at, file_data=file_data, note=f"{PURGE_NOTE}; first {first}")


# Merging panel members' copies.


@dataclass
class MergeResult:
    """The merged campaign and how many rows each source brought."""

    campaign: Campaign
    added: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per source name: {"scores": n, "moderation": n, "audit": n}."""

    @property
    def changed(self) -> bool:
        """Whether anything new came in."""
        return any(any(counts.values()) for counts in self.added.values())


def _setup_problems(target: Campaign, name: str, source: Campaign) -> list[str]:
    problems = []
    for table in ("stages", "criteria", "panel", "candidates"):
        ours = {row.id for row in getattr(target, table)}
        extra = [row.id for row in getattr(source, table) if row.id not in ours]
        if extra:
            problems.append(f"{name}: {table} not in the target: {', '.join(extra)} (the set-up must match; add them to the target first)")
    return problems


def merge(target: Campaign, sources: Sequence[tuple[str, Campaign]], *, target_name: str, who: str, at: datetime) -> MergeResult:
    """Bring scores, agreed scores and audit rows from copies of the same campaign into `target`.

    Identical rows are kept once (merging twice changes nothing); new rows are added;
    a different score or evidence for the same (candidate, criterion, stage, assessor),
    or a different agreed score or rationale for the same item, is a conflict. Any
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
    new_scores, new_moderation, new_audit = [], [], []
    result = MergeResult(target)
    conflicts: list[str] = []
    for name, source in sources:
        counts = {"scores": 0, "moderation": 0, "audit": 0}
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
        for row in source.moderation:
            where = f"agreed score for {row.candidate} on {row.criterion} at {row.stage}"
            if row.item not in moderation:
                moderation[row.item] = (row, name)
                new_moderation.append(row)
                counts["moderation"] += 1
                continue
            have, held_in = moderation[row.item]
            if have.score != row.score:
                conflicts.append(f"conflict: {where}: {have.score} in {held_in}, {row.score} in {name}")
            elif (have.rationale, have.by) != (row.rationale, row.by):
                conflicts.append(f"conflict: {where}: different rationale in {held_in} and {name}")
        for row in source.audit:
            key = (row.at, row.who, row.what)
            if key not in audit_seen:
                audit_seen.add(key)
                new_audit.append(row)
                counts["audit"] += 1
        result.added[name] = counts
    if conflicts:
        count = f"{len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}"
        raise ChangeRefused(f"not merged: {count}; nothing was changed", details=tuple(conflicts))
    if not result.changed:
        return result

    # The audit stays a chronological log; sorting is stable, so equal times keep their order.
    audit = sorted([*target.audit, *new_audit], key=lambda row: row.at)
    brought = "; ".join(
        f"{name}: {counts['scores']} scores, {counts['moderation']} agreed scores, {counts['audit']} audit rows"
        for name, counts in result.added.items()
    )
    audit.append(AuditEntry(at=at, who=who, what=f"merged {brought}"))
    merged = target.model_copy(update={"scores": [*target.scores, *new_scores], "moderation": [*target.moderation, *new_moderation], "audit": audit})
    found = reference_problems(merged)  # the set-up matched by id; the assessment matrix must too
    if found:
        raise ChangeRefused("not merged: rows from the sources do not fit the target's set-up", details=tuple(message for _, message in found))
    result.campaign = merged
    return result


# Subject access.


def _mentions(text: str, candidate_id: str) -> bool:
    return re.search(rf"(?<![\w.-]){re.escape(candidate_id)}(?![\w.-])", text) is not None


def candidate_record(campaign: Campaign, candidate_id: str) -> dict[str, Any]:
    """Everything the campaign holds on one candidate, and nothing on anyone else.

    Their details and adjustments; every score and agreed score about them with the
    panel member's name and the evidence; their rank and outcome at each stage and on
    the merit list; the audit rows that name them. Notes comparing them with other
    candidates are left out.
    """
    person = next((c for c in campaign.candidates if c.id == candidate_id), None)
    if person is None:
        raise ChangeRefused(f"unknown candidate {candidate_id!r}")
    panel = {member.id: member.name for member in campaign.panel}
    criteria = {criterion.id: criterion.name for criterion in campaign.criteria}
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    summaries = [summarise(campaign, stage.id, show_names=True) for stage in campaign.stages]
    if len(campaign.counted_stages) > 1:
        summaries.append(summarise(campaign, show_names=True))
    results = []
    for summary in summaries:
        mine = summary.candidate(candidate_id)
        results.append({
            "stages": [stage_names.get(stage, stage) for stage in summary.stages],
            "merit_list": summary.counted,
            "rank": mine.rank,
            "outcome": mine.outcome,
            "total": round(mine.total, 2),
            "agreed": {f"{item.criterion}@{item.stage}": (round(item.agreed, 2) if item.agreed is not None else None) for item in mine.items},
            "failed": list(mine.failed),
            "missing": list(mine.missing),
            "flags": list(mine.flags),
        })
    return {
        "campaign": {"id": campaign.campaign.id, "title": campaign.campaign.title, "status": campaign.campaign.status},
        "candidate": {
            "id": person.id, "name": person.name, "reference": person.reference,
            "adjustments": person.adjustments, "withdrawn": person.withdrawn,
        },
        "scores": [
            {
                "stage": row.stage, "criterion": row.criterion, "criterion_name": criteria.get(row.criterion, row.criterion),
                "assessor": row.assessor, "assessor_name": panel.get(row.assessor, row.assessor),
                "score": row.score, "evidence": row.evidence, "at": _stamp(row.at),
            }
            for row in campaign.scores if row.candidate == candidate_id
        ],
        "moderation": [
            {
                "stage": row.stage, "criterion": row.criterion, "criterion_name": criteria.get(row.criterion, row.criterion),
                "score": row.score, "rationale": row.rationale, "by": row.by, "by_name": panel.get(row.by, row.by), "at": _stamp(row.at),
            }
            for row in campaign.moderation if row.candidate == candidate_id
        ],
        "results": results,
        "audit": [{"at": _stamp(row.at), "who": row.who, "what": row.what} for row in campaign.audit if _mentions(row.what, candidate_id)],
    }

