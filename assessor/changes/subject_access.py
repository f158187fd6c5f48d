"""Subject access: everything a campaign holds on one candidate, and nothing on anyone else."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessor.core.campaign import Campaign
from assessor.core.clock import stamp
from assessor.core.errors import ChangeRefused
from assessor.rules.scoring import summarise

ANOTHER = "[another candidate]"
"""What stands in a subject access export for any other candidate named in free text."""


_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
"""A word of free text: ids and references (`HOD-26-102`, `C.01`) and names (`O'Brien`) are one each."""


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    exact: bool  # an id, or a part of a name as written; else any case
    own: bool  # the candidate's own: kept as it is


def _stem(word: str) -> str:
    """The word without a possessive `'s` (`Sofia's` -> `Sofia`)."""
    return word[:-2] if word[-2:] in {"'s", "’s"} else word


def _same(word: str, expected: str, exact: bool) -> bool:
    return word == expected if exact else word.casefold() == expected.casefold()


class Others:
    """Finds every other candidate in free text: by id, reference, full name, and any part of
    their name of three letters or more (as written, capitalised) that is not part of the
    candidate's own name; replaces each with ANOTHER and counts the replacements.

    Whole words only, a possessive `'s` kept (`Sofia's` -> `[another candidate]'s`); the
    candidate's own name, reference and id are never replaced, even where another's is part of them.
    """

    def __init__(self, campaign: Campaign, candidate_id: str) -> None:
        own = next(c for c in campaign.candidates if c.id == candidate_id)
        own_terms = {own.id.casefold(), own.name.casefold(), own.reference.casefold()}
        own_parts = {part.casefold() for part in own.name.split()}
        found: dict[tuple[tuple[str, ...], bool], bool] = {}
        for person in campaign.candidates:
            is_own = person.id == own.id
            for text, exact in ((person.id, True), (person.reference, False), (person.name, False)):
                if text.split() and (is_own or text.casefold() not in own_terms):
                    found.setdefault((tuple(text.split()), exact), is_own)
            for part in person.name.split():
                if not is_own and len(part) >= 3 and part.casefold() not in own_parts:
                    found.setdefault(((part,), True), False)
        self._by_first: dict[str, list[_Term]] = {}
        # Longest first, so a full name is one replacement and the candidate's own name is kept whole.
        for (words, exact), is_own in sorted(found.items(), key=lambda item: -len(item[0][0])):
            self._by_first.setdefault(words[0].casefold(), []).append(_Term(words, exact, is_own))
        self.replaced = 0

    def _found(self, text: str) -> list[tuple[_Term, int, int]]:
        """Every mention in the text, in order, none overlapping: (term, start, end)."""
        words = list(_WORD.finditer(text))
        out: list[tuple[_Term, int, int]] = []
        index = 0
        while index < len(words):
            hit = self._at(text, words, index)
            if hit is None:
                index += 1
                continue
            term, end = hit
            out.append((term, words[index].start(), end))
            index += len(term.words)
        return out

    def _at(self, text: str, words: list[re.Match[str]], index: int) -> tuple[_Term, int] | None:
        """The longest term starting at word `index`, and where it ends; None if none does."""
        first = words[index].group()
        possessive = self._by_first.get(_stem(first).casefold(), []) if _stem(first) != first else []
        for term in self._by_first.get(first.casefold(), []) + possessive:
            span = words[index : index + len(term.words)]
            if len(span) < len(term.words) or any(text[a.end() : b.start()].strip() for a, b in zip(span, span[1:], strict=False)):
                continue  # too few words left, or something other than spaces between them
            *head, last = [word.group() for word in span]
            if not all(_same(word, expected, term.exact) for word, expected in zip(head, term.words, strict=False)):
                continue
            if _same(last, term.words[-1], term.exact):
                return term, span[-1].end()
            if _same(_stem(last), term.words[-1], term.exact):
                return term, span[-1].end() - 2  # the possessive 's stays
        return None

    def hide(self, text: str) -> str:
        """The text with every other candidate replaced by ANOTHER (counted in `replaced`)."""
        out, at = [], 0
        for term, start, end in self._found(text):
            if not term.own:
                out += [text[at:start], ANOTHER]
                at = end
                self.replaced += 1
        return "".join(out) + text[at:] if out else text

    def names_own(self, text: str) -> bool:
        """Whether the text names the candidate: by id, reference or name."""
        return any(term.own for term, _, _ in self._found(text))


TIE_AT_CUT = "tied with others at the shortlist's cut: all of them go on"


def candidate_record(campaign: Campaign, candidate_id: str, schemes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything the campaign holds on one candidate, and nothing on anyone else.

    Their details and adjustments; every score and agreed score about them with the
    panel member's name and the evidence; their rank and outcome at each stage and on
    the merit list; the audit rows that name them (by id, reference or name). Notes
    comparing them with other candidates are left out, and any other candidate named in
    free text is replaced by ANOTHER: `others_replaced` counts the replacements.
    """
    person = next((c for c in campaign.candidates if c.id == candidate_id), None)
    if person is None:
        raise ChangeRefused(f"unknown candidate {candidate_id!r}")
    others = Others(campaign, candidate_id)
    hide = others.hide
    panel = {member.id: member.name for member in campaign.panel}
    criteria = {criterion.id: criterion.name for criterion in campaign.criteria}
    stage_names = {stage.id: stage.name for stage in campaign.stages}
    summaries = [summarise(campaign, stage.id, show_names=True, schemes=schemes) for stage in campaign.stages]
    if len(campaign.counted_stages) > 1:
        summaries.append(summarise(campaign, show_names=True, schemes=schemes))
    results = []
    for summary in summaries:
        mine = summary.candidate(candidate_id)
        results.append(
            {
                "stages": [stage_names.get(stage, stage) for stage in summary.stages],
                "merit_list": summary.counted,
                "rank": mine.rank,
                "outcome": mine.outcome,
                "total": None if mine.total is None else round(mine.total, 2),
                "agreed": {f"{item.criterion}@{item.stage}": (round(item.agreed, 2) if item.agreed is not None else None) for item in mine.items},
                "failed": list(mine.failed),
                "missing": list(mine.missing),
                # Why they went on or not at a shortlist cut, naming nobody else.
                "reason": TIE_AT_CUT if "tie-at-cut" in mine.flags else hide(mine.reason),
                "flags": list(mine.flags),
            }
        )
    record = {
        "campaign": {"id": campaign.campaign.id, "title": campaign.campaign.title, "status": campaign.campaign.status},
        "candidate": {
            "id": person.id,
            "name": person.name,
            "reference": person.reference,
            "adjustments": hide(person.adjustments),
            "withdrawn": person.withdrawn,
        },
        "scores": [
            {
                "stage": row.stage,
                "criterion": row.criterion,
                "criterion_name": criteria.get(row.criterion, row.criterion),
                "assessor": row.assessor,
                "assessor_name": panel.get(row.assessor, row.assessor),
                "score": row.score,
                "evidence": hide(row.evidence),
                "at": stamp(row.at),
            }
            for row in campaign.scores
            if row.candidate == candidate_id
        ],
        "notes": [
            {
                "stage": row.stage,
                "assessor": row.assessor,
                "assessor_name": panel.get(row.assessor, row.assessor),
                "text": hide(row.text),
                "at": stamp(row.at),
            }
            for row in campaign.notes
            if row.candidate == candidate_id
        ],
        "moderation": [
            {
                "stage": row.stage,
                "criterion": row.criterion,
                "criterion_name": criteria.get(row.criterion, row.criterion),
                "score": row.score,
                "rationale": hide(row.rationale),
                "by": row.by,
                "by_name": panel.get(row.by, row.by),
                "at": stamp(row.at),
            }
            for row in campaign.moderation
            if row.candidate == candidate_id
        ],
        "feedback": hide(next((note.text for note in campaign.feedback if note.candidate == candidate_id), "")),
        "conflicts_of_interest": [
            {
                "member": row.member,
                "member_name": panel.get(row.member, row.member),
                "reason": hide(row.reason),
                "at": stamp(row.at),
                "withdrawn": stamp(row.withdrawn) if row.withdrawn is not None else None,
                "withdrawn_reason": hide(row.withdrawn_reason or ""),
            }
            for row in campaign.declarations
            if row.candidate == candidate_id
        ],
        "results": results,
        "audit": [{"at": stamp(row.at), "who": row.who, "what": hide(row.what)} for row in campaign.audit if others.names_own(row.what)],
    }
    record["others_replaced"] = others.replaced
    return record
