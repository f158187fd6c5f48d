"""Signing off: finalising a campaign and its seal, and checking a seal later.

Pure functions, no I/O. The seal covers the file's data as any TOML reader returns it,
so a function giving that data is passed in (`file_data`, `campaign_file.written_data`
in practice): the digest is then of exactly what is written.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from assessor.changes.guards import check_open, require_chair
from assessor.core.campaign import SEAL_VERSION, AuditEntry, Campaign, Seal
from assessor.core.clock import stamp
from assessor.core.errors import ChangeRefused
from assessor.rules.readiness import deciding_stages, open_everywhere, setup_gaps
from assessor.rules.scoring import summarise

RETENTION_MONTHS = 6
"""Personal data is kept this long after finalising (and after the reserve list closes) unless `retain_until` says later."""

RESERVE_MONTHS = 12
"""The reserve list stays open this long after finalising unless the chair says otherwise."""

FileData = Callable[[Campaign], dict[str, Any]]
"""The plain TOML data the file of a campaign holds once written."""


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


AFTER_THE_SEAL = frozenset({"seal", "offers"})
"""Top-level keys a seal's tables do not cover: the seal itself, and the offers recorded after it (chained instead)."""


def content_digest(data: dict[str, Any]) -> str:
    """SHA-256 (hex) of a campaign file's data without its `seal` table and `[[offers]]`: the
    digest of a version 1 seal, which covers the content and not the seal's own fields."""
    return hashlib.sha256(canonical_bytes({key: value for key, value in data.items() if key not in AFTER_THE_SEAL})).hexdigest()


def sealed_digest(data: dict[str, Any]) -> str:
    """SHA-256 (hex) of a campaign file's data without `[[offers]]` and the seal's own `sha256`:
    the digest of a version 2 seal, which covers its `version`, `by`, `at`, `note` and `tables` too."""
    seal_fields = {key: value for key, value in data.get("seal", {}).items() if key != "sha256"}
    return hashlib.sha256(canonical_bytes({**{key: value for key, value in data.items() if key != "offers"}, "seal": seal_fields})).hexdigest()


def digest_by_its_rule(sealed: Seal, data: dict[str, Any]) -> str:
    """The digest of the file's data by the rule of its seal's version (absent: 1)."""
    return content_digest(data) if (sealed.version or 1) == 1 else sealed_digest(data)


def table_digests(data: dict[str, Any]) -> dict[str, str]:
    """SHA-256 of each top-level key's value the seal covers: where a later change was made."""
    return {key: hashlib.sha256(canonical_bytes(value)).hexdigest() for key, value in sorted(data.items()) if key not in AFTER_THE_SEAL}


def seal(campaign: Campaign, *, by: str, at: datetime, file_data: FileData, note: str | None = None) -> Campaign:
    """The campaign with a `[seal]` (version SEAL_VERSION) of its content and of the seal's
    own fields, as they will be written."""
    try:
        draft = Seal(sha256="0" * 64, version=SEAL_VERSION, by=by, at=at, note=note, tables={})
    except ValidationError:
        raise ChangeRefused(f"{by!r} cannot sign a seal: a seal is signed with an id (letters, digits, '-', '_', '.')", "as") from None
    # One reading of the file as written gives both: the tables are of the content, which the seal does not change.
    data = file_data(campaign.model_copy(update={"seal": draft}))
    tables = table_digests(data)
    data["seal"]["tables"] = tables
    sealed = draft.model_copy(update={"sha256": sealed_digest(data), "tables": tables})
    return campaign.model_copy(update={"seal": sealed})


def seal_problems(campaign: Campaign, data: dict[str, Any]) -> list[str]:
    """Why the seal of a file (its campaign and its plain TOML data) does not hold; [] when it does."""
    sealed = campaign.seal
    if sealed is None:
        return [f"not sealed: the campaign is at {campaign.campaign.status}; `assessor finalise` seals it"]
    if digest_by_its_rule(sealed, data) == sealed.sha256:
        return []
    problems = ["seal mismatch: the content changed after sealing"]
    words = []
    if sealed.tables is not None:
        now = table_digests(data)
        for key in sorted(set(sealed.tables) | set(now)):
            if sealed.tables.get(key) == now.get(key):
                continue
            words.append(f"{key} (removed)" if key not in now else f"{key} (added)" if key not in sealed.tables else key)
    if words:
        problems.append(f"changed since sealing: {', '.join(words)}")
    elif sealed.version is not None and sealed.version > 1:
        problems[0] = "seal mismatch: the seal's own fields (by, at, note, tables or version) changed after sealing"
    later = [row for row in campaign.audit if row.at > sealed.at]
    if later:
        last = later[-1]
        rows = "row is" if len(later) == 1 else "rows are"
        problems.append(f"{len(later)} audit {rows} dated after the seal; the last: {stamp(last.at)} {last.who}: {last.what}")
    return problems


def seal_words(campaign: Campaign) -> str:
    """`sealed by CHAIR on TIME` (and why it was sealed again, if it was)."""
    assert campaign.seal is not None
    note = f" ({campaign.seal.note})" if campaign.seal.note else ""
    return f"sealed by {campaign.seal.by} on {stamp(campaign.seal.at)}{note}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_FORCED = re.compile(r"finalised with (\d+) open items; rationale: (.*)\Z", re.DOTALL)
"""The audit row of a sign-off forced over open items (`forced_words`), read back by `forced_sign_off`."""


def forced_words(count: int, rationale: str) -> str:
    """The audit row of a sign-off forced over `count` open items, with the chair's rationale."""
    return f"finalised with {count} open items; rationale: {rationale}"


def forced_sign_off(campaign: Campaign) -> tuple[int, str] | None:
    """How many items were open when the chair signed the campaign off regardless, and the rationale
    given (after a purge, `[purged]`); None when the sign-off was not forced."""
    for row in reversed(campaign.audit):
        if found := _FORCED.match(row.what):
            return int(found.group(1)), found.group(2)
    return None


UNFORCEABLE = frozenset({"agreement", "line tie"})
"""Open items `finalise --force` never signs off: an agreed score only the panel can give (whether
listed as awaiting agreement or, with a spread, as a disagreement), and who is appointable when a
tie crosses the line, which only the chair can say."""


def finalise(
    campaign: Campaign,
    *,
    chair: str,
    at: datetime,
    file_data: FileData,
    force: bool = False,
    rationale: str = "",
    reserve_months: int = RESERVE_MONTHS,
) -> Campaign:
    """Sign off: status final, a retention date, an audit row, and the seal.

    Refused while items are open (missing counted scores, unresolved flags) unless
    `force` with a rationale, which records every open item in the audit.
    """
    check_open(campaign)
    require_chair(campaign, chair, "finalises")
    gaps = setup_gaps(campaign)  # a merit list needs candidates, criteria and stages to be one
    if gaps:
        raise ChangeRefused(f"not finalised: the set-up is not complete ({len(gaps)} to do)", details=tuple(gaps))
    earlier = [summarise(campaign, stage, show_names=True) for stage in deciding_stages(campaign)]
    found = open_everywhere(summarise(campaign, show_names=True), earlier)
    # The panel's own decisions are never forced past: the merit list would not be theirs.
    undecided = [item.line for item in found if item.kind in UNFORCEABLE or (item.item is not None and item.item.unagreed)]
    if undecided:
        count = f"{len(undecided)} item{'s' if len(undecided) != 1 else ''}"
        raise ChangeRefused(f"not finalised: {count} need the panel's decision, which --force does not replace", details=tuple(undecided))
    items = [item.line for item in found]
    if items and not force:
        count = f"{len(items)} item{'s' if len(items) != 1 else ''}"
        raise ChangeRefused(f"not finalised: {count} still open (settle them, or --force --rationale TEXT to record them)", details=tuple(items))
    if force and not rationale.strip():
        raise ChangeRefused("--force needs a rationale: say why the campaign is signed off with items open", "rationale")
    info = campaign.campaign
    reserve = add_months(at.date(), reserve_months)
    # Kept at least as long as offers may still be made from the reserve list, and six months more.
    retain = max(info.retain_until or add_months(at.date(), RETENTION_MONTHS), add_months(reserve, RETENTION_MONTHS))
    audit = list(campaign.audit)
    if items:
        audit.append(AuditEntry(at=at, who=chair, what=forced_words(len(items), rationale.strip())))
        audit.extend(AuditEntry(at=at, who=chair, what=f"open at finalising: {item}") for item in items)
    what = f"finalised and sealed; reserve list open until {reserve.isoformat()}; personal data kept until {retain.isoformat()}"
    audit.append(AuditEntry(at=at, who=chair, what=what))
    final_info = info.model_copy(update={"status": "final", "retain_until": retain, "reserve_until": reserve})
    final = campaign.model_copy(update={"campaign": final_info, "audit": audit})
    return seal(final, by=chair, at=at, file_data=file_data)
