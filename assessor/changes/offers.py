"""Offers from the merit list after the seal: in strict merit order, within the reserve list's
dates, each row chained to the seal and to the row before it so a later edit shows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from assessor.changes.guards import require_chair
from assessor.changes.seal import canonical_bytes
from assessor.core.campaign import Campaign, Offer, OfferResult
from assessor.core.clock import now
from assessor.core.errors import ChangeRefused
from assessor.rules.scoring import summarise

SETTLED = ("accepted", "declined", "withdrawn")
"""Results after which the next candidate in merit order may be offered the post."""


def offer_digest(row: dict[str, Any]) -> str:
    """SHA-256 of an offer row's fields but its own digest, as canonical JSON (as the seal is)."""
    return hashlib.sha256(canonical_bytes({key: value for key, value in row.items() if key != "sha256"})).hexdigest()


def latest_results(campaign: Campaign) -> dict[str, OfferResult]:
    """Each candidate's latest offer result."""
    return {row.candidate: row.result for row in campaign.offers}


def record_offer(campaign: Campaign, *, chair: str, candidate: str, result: OfferResult, note: str = "", at: datetime | None = None) -> Campaign:
    """Record what happened to an offer to `candidate` on a sealed campaign's merit list.

    An offer goes to the next in merit order: refused while anyone ranked above has not
    accepted, declined or withdrawn, and after the reserve list's last day. Accepted and
    declined answer an offer made; withdrawn takes a candidate off the list at any time.
    """
    if campaign.seal is None or campaign.campaign.status != "final":
        raise ChangeRefused("offers are recorded once the campaign is finalised and sealed (assessor finalise)")
    require_chair(campaign, chair, "records offers")
    at = at or now()
    merit = [result for result in summarise(campaign).candidates if result.outcome in ("appointable", "reserve")]
    found = next((result for result in merit if result.id == candidate), None)
    if found is None:
        raise ChangeRefused(f"{candidate} is not on the merit list (appointable or reserve): no offer can be made", "candidate")
    latest = latest_results(campaign)
    mine = latest.get(candidate)
    if result == "offered":
        reserve_until = campaign.campaign.reserve_until
        if reserve_until is not None and at.date() > reserve_until:
            raise ChangeRefused(f"the reserve list closed on {reserve_until.isoformat()}: no offer can be made from it now")
        if mine is not None:
            raise ChangeRefused(f"{candidate} has {mine} already", "candidate")
        waiting = [result.id for result in merit if result.rank is not None and found.rank is not None and result.rank < found.rank]
        waiting = [above for above in waiting if latest.get(above) not in SETTLED]
        if waiting:
            raise ChangeRefused(
                f"offers go in merit order: {', '.join(waiting)} ranked above {candidate} "
                f"{'has' if len(waiting) == 1 else 'have'} not accepted, declined or withdrawn",
                "candidate",
            )
    elif result in ("accepted", "declined") and mine != "offered":
        raise ChangeRefused(f"{candidate} has no open offer to have {result}: record the offer first", "result")
    elif result == "withdrawn" and mine in SETTLED:
        raise ChangeRefused(f"{candidate} has {mine} already", "result")
    previous = campaign.offers[-1].sha256 if campaign.offers else None
    row: dict[str, Any] = {"candidate": candidate, "result": result, "note": note.strip(), "by": chair, "at": at, "sealed": campaign.seal.sha256}
    if previous is not None:
        row["previous"] = previous
    return campaign.model_copy(update={"offers": [*campaign.offers, _chained(row)]})


def _chained(row: dict[str, Any]) -> Offer:
    """An offer row with its own digest, over the fields as the row keeps them."""
    draft = Offer.model_validate({**row, "sha256": "0" * 64})
    return draft.model_copy(update={"sha256": offer_digest(draft.model_dump(exclude_none=True))})


def rechained(campaign: Campaign, *, note: Callable[[str], str]) -> Campaign:
    """The offers chained again after a new seal (a purge), each note passed through `note`."""
    if campaign.seal is None:
        return campaign
    offers: list[Offer] = []
    for old in campaign.offers:
        row = {**old.model_dump(exclude_none=True, exclude={"previous", "sha256"}), "note": note(old.note), "sealed": campaign.seal.sha256}
        if offers:
            row["previous"] = offers[-1].sha256
        offers.append(_chained(row))
    return campaign.model_copy(update={"offers": offers})


def chain_problems(campaign: Campaign) -> list[str]:
    """Where the offers after the seal no longer hold together: a row changed, removed or
    put out of order since it was written, or not following this seal; [] when intact."""
    if campaign.seal is None:
        return ["offers without a seal" for _ in campaign.offers[:1]]
    previous: str | None = None
    for index, row in enumerate(campaign.offers):
        where = f"offer record {index + 1} ({row.candidate}, {row.result})"
        if row.sealed != campaign.seal.sha256:
            return [f"{where} does not follow this seal"]
        if row.previous != previous:
            return [f"{where} does not follow the record before it: a record was removed, added or moved"]
        if row.sha256 != offer_digest(row.model_dump(exclude_none=True)):
            return [f"{where} was changed after it was written"]
        previous = row.sha256
    return []
