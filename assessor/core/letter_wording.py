"""The wording of a feedback letter in one language, as `reference/letters/LANG.toml` holds it.

Every key is required, so a wording file that misses one is refused naming the key, and an
unknown key is refused as a typing mistake: each language has every sentence of the letter.
Sentences take their values in braces (`{rank}`, `{stage}`), filled by `report.letters`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from assessor.core.fields import Name, Record

LANGUAGES = ("en", "cy")
"""The languages a letter is written in: English and Welsh."""


class Outcomes(Record):
    """The outcome in words, one sentence for each outcome."""

    appointable: Name
    reserve: Name
    reserve_until: Name
    fail: Name
    fail_why: Name
    not_shortlisted: Name
    not_shortlisted_why: Name
    withdrawn: Name
    guaranteed: Name
    went_on: Name
    incomplete: Name


class Reasons(Record):
    """Why a candidate stopped, as part of an outcome's sentence."""

    below_minimum: Name
    below_minimum_band: Name
    total_below: Name
    tie_at_cut: Name
    shortlist: Name
    shortlist_mark: Name


class LetterWording(Record):
    """Every sentence and heading of a letter in one language."""

    language: Name
    """The language's own name (English, Cymraeg)."""
    months: Annotated[list[Name], Field(min_length=12, max_length=12)]
    date: Name
    draft: Name
    title: Name
    campaign: Name
    greeting: Name
    opening: Name
    your_reference: Name
    scores_heading: Name
    criterion: Name
    score: Name
    band: Name
    meaning: Name
    not_agreed: Name
    outcome_heading: Name
    feedback_heading: Name
    sign_off: Name
    chair_role: Name
    outcomes: Outcomes
    reasons: Reasons
    labels: dict[str, str] = {}
    """The scale's labels in this language, by the framework's label (an English label not
    listed stays as it is)."""
