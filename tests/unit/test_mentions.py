"""Another candidate named in free text is found however the name is written: cases, accents
composed or decomposed, curly apostrophes, soft hyphens and zero-width characters, joined by
`-`, `_`, `.` or `@`, one part of a double-barrelled name, ids and references inside words."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.core.campaign import Campaign
from assessor.rules.mentions import ANOTHER, Mentions, fold, others_named, words_of
from assessor.storage.campaign_file import load_campaign

EXAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "head-of-digital-2026.toml"
OTHERS = {"C02": "Sofia Marchetti", "C04": "Hannah Smith-Jones", "C05": "Zoë Núñez", "C06": "Siobhán O'Brien"}


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    base = load_campaign(EXAMPLE)
    people = [person.model_copy(update={"name": OTHERS[person.id]}) if person.id in OTHERS else person for person in base.candidates]
    return base.model_copy(update={"candidates": people})


def hidden(campaign: Campaign, text: str) -> tuple[str, Mentions]:
    mentions = Mentions(campaign, "C01")
    return mentions.hide(text), mentions


@pytest.mark.parametrize(
    "text",
    [
        "the Marchetti-led team",
        "C02-related delays",
        "Smith did well",
        "JONES again",
        "Zoe\u0308 Nu\u0301n\u0303ez presented",
        "Zoe Nunez presented",
        "O’Brien’s plan",
        "O'Brien's plan",
        "Mar\u00adchetti spoke",
        "Sofia\u200b Marchetti spoke",
        "mail Sofia.Marchetti@dfe.gov.uk today",
        "sofia.marchetti@dfe.gov.uk",
        "see Sofia_Marchetti",
        "hod-26-102's form",
        "HOD\u201126\u2011102",
        "Siobhán spoke",
        "SIOBHAN",
        "Hannah Smith\u2013Jones",
    ],
)
def test_each_way_of_writing_another_candidate_is_replaced(campaign: Campaign, text: str) -> None:
    out, mentions = hidden(campaign, text)
    assert ANOTHER in out and mentions.replaced >= 1
    survivors = set(words_of(out.replace(ANOTHER, " "))) & {
        "marchetti",
        "sofia",
        "smith",
        "jones",
        "zoe",
        "nunez",
        "o'brien",
        "siobhan",
        "c02",
        "102",
    }
    assert not survivors, out


def test_the_candidates_own_name_stays_and_the_kinds_are_counted(campaign: Campaign) -> None:
    own = next(person for person in campaign.candidates if person.id == "C01")
    text = f"{own.name} ({own.reference}, C01) led; C02 and Sofia Marchetti (HOD-26-102) helped; Smith too."
    out, mentions = hidden(campaign, text)
    assert out == f"{own.name} ({own.reference}, C01) led; {ANOTHER} and {ANOTHER} ({ANOTHER}) helped; {ANOTHER} too."
    assert mentions.kinds() == {"id": 1, "reference": 1, "full name": 1, "part of a name": 1}
    assert mentions.replaced == 4
    assert others_named(campaign, "C01", text) == ["Sofia Marchetti", "Hannah Smith-Jones"]


def test_words_that_only_contain_a_name_stay(campaign: Campaign) -> None:
    text = "Smithson and Marchettino; C020 and HOD-26-1020 are not anyone; a jonesing mood"
    out, mentions = hidden(campaign, text)
    assert (out, mentions.replaced) == (text, 0)


SEPARATORS = st.sampled_from([" ", ".", "_", "-", "@", " - ", "  "])
INVISIBLE = st.sampled_from(["", "\u00ad", "\u200b", "\u200d", "\ufeff"])


@st.composite
def written(draw: st.DrawFn) -> tuple[str, str]:
    """Another candidate's name, id or reference as someone might write it, and whose it is."""
    who = draw(st.sampled_from(sorted(OTHERS)))
    name = OTHERS[who]
    form = draw(st.sampled_from(["name", "part", "id", "reference"]))
    if form == "id":
        text = who
    elif form == "reference":
        text = draw(SEPARATORS.filter(lambda s: s.strip() in "-_.")).join(f"HOD-26-1{who[1:]}".split("-"))
    else:
        parts = [part for word in name.split() for part in word.split("-")]
        if form == "part":
            parts = [draw(st.sampled_from([part for part in parts if len(part) >= 3]))]
        text = draw(SEPARATORS).join(parts)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    text = text.replace("'", draw(st.sampled_from(["'", "\u2019", "\u02bc"])))
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
    text = case(text)
    cut = draw(st.integers(1, max(1, len(text) - 1)))
    text = text[:cut] + draw(INVISIBLE) + text[cut:]
    if draw(st.booleans()):
        text += draw(st.sampled_from(["'s", "’s", "-led", "-related", "@dfe.gov.uk"]))
    return text, who


@given(before=st.text(alphabet=" .,;:()abcdefgxyz", max_size=12), mention=written(), after=st.text(alphabet=" .,;:()abcdefgxyz", max_size=12))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_form_of_another_candidate_survives(campaign: Campaign, before: str, mention: tuple[str, str], after: str) -> None:
    text, who = mention
    out, _ = hidden(campaign, f"{before} {text} {after}")
    person = next(person for person in campaign.candidates if person.id == who)
    left = " " + " ".join(words_of(out.replace(ANOTHER, " | "))) + " "
    for part in [part for part in words_of(person.name) if len(part) >= 3] + [fold(person.id)]:
        assert f" {part} " not in left, (text, out)
    assert " ".join(words_of(person.reference)) not in left, (text, out)


@given(mention=written())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_form_of_another_candidate_survives_in_a_letter_or_an_export(campaign: Campaign, mention: tuple[str, str]) -> None:
    from datetime import UTC, date, datetime

    from assessor.changes.subject_access import candidate_record
    from assessor.core.campaign import Feedback
    from assessor.report.candidate_record import render_candidate
    from assessor.report.letters import feedback_letter, render_letter
    from assessor.storage.reference import load_framework, load_letter_wording

    text, who = mention
    note = Feedback(candidate="C01", text=f"Compared with {text}, stronger.", by="okafor", at=datetime(2026, 11, 30, tzinfo=UTC))
    changed = campaign.model_copy(update={"feedback": [note]})
    framework = load_framework(changed.campaign.framework)
    letter = render_letter(feedback_letter(changed, framework, "C01", load_letter_wording("en"), date(2026, 12, 7)), "md")
    export = render_candidate(candidate_record(changed, "C01", framework.scheme_names), "md")
    person = next(person for person in changed.candidates if person.id == who)
    for shown in (letter, export):
        left = " " + " ".join(words_of(shown.replace(ANOTHER, " | "))) + " "
        for part in [part for part in words_of(person.name) if len(part) >= 3] + [fold(person.id)]:
            assert f" {part} " not in left, (text, shown)
        assert " ".join(words_of(person.reference)) not in left
