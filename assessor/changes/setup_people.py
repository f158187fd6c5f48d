"""Set-up changes to who takes part: the panel, and the candidates (one by one or imported)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assessor.changes.setup import Data, NextIds, edit_campaign, next_id, row_of, slug
from assessor.core.campaign import Campaign
from assessor.core.errors import ChangeRefused
from assessor.core.framework import Framework
from assessor.rules.roles import (
    CANDIDATE_DETAILS,
    MEMBER_NAME,
    NEW_CANDIDATES,
    PANEL,
    REPLACEMENT_MEMBER,
    WITHDRAWAL,
    check_set_up_change,
)


def add_member(
    campaign: Campaign, framework: Framework, who: str, *, name: str, role: str, member_id: str | None = None, reason: str = ""
) -> Campaign:
    """Add a panel member (chair, member or independent)."""
    chosen_id = member_id or slug(name.split()[-1] if name.split() else name)
    if member_id is None and chosen_id in {m.id for m in campaign.panel}:
        chosen_id = next_id([m.id for m in campaign.panel], chosen_id)

    def mutate(data: Data) -> None:
        data["panel"].append({"id": chosen_id, "name": name, "role": role})

    return edit_campaign(campaign, framework, who, f"added {role} {name} ({chosen_id}) to the panel", mutate, part=REPLACEMENT_MEMBER, reason=reason)


def update_member(campaign: Campaign, framework: Framework, who: str, member_id: str, *, reason: str = "", **fields: Any) -> Campaign:
    """Change a panel member's name or role."""
    if not set(fields) <= {"name", "role"}:
        raise ChangeRefused("only a member's name and role can change")

    def mutate(data: Data) -> None:
        row_of(data, "panel", member_id).update(fields)

    current = next((member for member in campaign.panel if member.id == member_id), None)
    # A name corrected is the chair's to do with a reason; a role changed is the panel itself.
    part = MEMBER_NAME if current is not None and fields.get("role", current.role) == current.role else PANEL
    what = f"panel member {member_id}: " + ", ".join(f"{k} {v!r}" for k, v in fields.items())
    return edit_campaign(campaign, framework, who, what, mutate, part=part, reason=reason)


def remove_member(campaign: Campaign, framework: Framework, who: str, member_id: str, *, reason: str = "") -> Campaign:
    """Remove a panel member who has not scored or moderated."""
    check_set_up_change(campaign, who, PANEL, reason)  # before its own refusal: a frozen set-up is the reason
    if any(score.assessor == member_id for score in campaign.scores) or any(m.by == member_id for m in campaign.moderation):
        raise ChangeRefused(f"{member_id} has scored; they stay on the panel so their scores keep their author")

    def mutate(data: Data) -> None:
        row_of(data, "panel", member_id)
        data["panel"] = [row for row in data["panel"] if row["id"] != member_id]

    return edit_campaign(campaign, framework, who, f"removed {member_id} from the panel", mutate, part=PANEL, reason=reason)


def add_candidate(
    campaign: Campaign,
    framework: Framework,
    who: str,
    *,
    name: str,
    reference: str = "",
    adjustments: str = "",
    guaranteed_interview: str = "",
    candidate_id: str | None = None,
    reason: str = "",
) -> Campaign:
    """Add a candidate; the id defaults to the next C number. `guaranteed_interview` names the
    framework's guaranteed interview scheme they applied under ("" for none)."""
    chosen_id = candidate_id or next_id([c.id for c in campaign.candidates], "C")
    row = {"id": chosen_id, "name": name, "reference": reference, "adjustments": adjustments, "guaranteed_interview": guaranteed_interview or None}

    def mutate(data: Data) -> None:
        data["candidates"].append(row)

    return edit_campaign(campaign, framework, who, f"added candidate {chosen_id}", mutate, part=NEW_CANDIDATES, reason=reason)


def update_candidate(campaign: Campaign, framework: Framework, who: str, candidate_id: str, *, reason: str = "", **fields: Any) -> Campaign:
    """Change a candidate's name, reference, adjustments or guaranteed interview scheme ("" for none)."""
    if not set(fields) <= {"name", "reference", "adjustments", "guaranteed_interview"}:
        raise ChangeRefused("only a candidate's name, reference, adjustments and guaranteed interview scheme can change")

    values = {key: (value or None) if key == "guaranteed_interview" else value for key, value in fields.items()}
    current = next((c for c in campaign.candidates if c.id == candidate_id), None)
    changed = {key: value for key, value in values.items() if current is None or getattr(current, key) != value}
    if current is not None and not changed:
        return campaign  # the form saved as it was: nothing to record

    def mutate(data: Data) -> None:
        row_of(data, "candidates", candidate_id).update(changed)

    return edit_campaign(
        campaign, framework, who, f"edited candidate {candidate_id}: {', '.join(changed)}", mutate, part=CANDIDATE_DETAILS, reason=reason
    )


def set_withdrawn(campaign: Campaign, framework: Framework, who: str, candidate_id: str, withdrawn: bool, *, reason: str = "") -> Campaign:
    """Withdraw a candidate (kept, out of the ranking) or reinstate them."""

    def mutate(data: Data) -> None:
        row_of(data, "candidates", candidate_id)["withdrawn"] = withdrawn

    what = f"{'withdrew' if withdrawn else 'reinstated'} candidate {candidate_id}"
    return edit_campaign(campaign, framework, who, what, mutate, part=WITHDRAWAL, reason=reason)


class CandidateRows(list[dict[str, Any]]):
    """The candidates read from a source, one dict of their details each, and the columns of
    the source that were not read because they are not a candidate's detail, in words
    (`'Date applied'`, `column 4 without a name`)."""

    def __init__(self, rows: list[dict[str, Any]], ignored: tuple[str, ...] = ()) -> None:
        super().__init__(rows)
        self.ignored = ignored


def import_candidates(
    campaign: Campaign, framework: Framework, who: str, rows: list[Data], source: str, *, ignored: Sequence[str] = (), reason: str = ""
) -> Campaign:
    """Add many candidates at once: all of them, or none if any is refused. `ignored` names, in
    words, the source's columns that were not read (not a candidate's detail), for the audit row."""
    ids = NextIds((c.id for c in campaign.candidates), "C")
    added = []
    for row in rows:
        if row.get("id"):
            candidate_id = row["id"]
            ids.note(candidate_id)
        else:
            candidate_id = ids.take()
        scheme = row.get("guaranteed_interview") or None
        added.append(
            {
                "id": candidate_id,
                "name": row["name"],
                "reference": row.get("reference", ""),
                "adjustments": row.get("adjustments", ""),
                "guaranteed_interview": scheme,
                "language": row.get("language") or None,
            }
        )

    def mutate(data: Data) -> None:
        data["candidates"].extend(added)

    what = f"imported {len(added)} candidate{'' if len(added) == 1 else 's'} from {source}"
    if ignored:
        what += f" (column{'' if len(ignored) == 1 else 's'} not imported: {', '.join(ignored)})"
    return edit_campaign(campaign, framework, who, what, mutate, part=NEW_CANDIDATES, reason=reason)
