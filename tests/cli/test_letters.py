"""Letters a candidate can receive: one for each outcome, in English and in Welsh, DRAFT until
the seal and not after, labels that never claim more than the score reaches, exact scores or
bands, nobody else named, and every letter written to a folder in one go."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assessor.storage.campaign_file import load_campaign
from tests.conftest import run_cli

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "letters"
SIFT = {"C01": 6, "C02": 6, "C03": 3, "C04": 4, "C05": 4}
INTERVIEW = {"C01": (6, 6), "C02": (5, 5), "C05": (4, (3, 4))}
PEOPLE = [
    ("C01", "Jordan Ellis", ""),
    ("C02", "Sofia Marchetti", ""),
    ("C03", "Daniel Osei", ""),
    ("C04", "Hannah Brierley", ""),
    ("C05", "Marcus Lindqvist", 'guaranteed_interview = "disability-confident"\n'),
    ("C06", "Aisha Rahman", "withdrawn = true\n"),
]


def score_rows(candidate: str, criterion: str, stage: str, scores: tuple[int, int]) -> str:
    return "".join(
        f'[[scores]]\ncandidate = "{candidate}"\ncriterion = "{criterion}"\nstage = "{stage}"\nassessor = "{who}"\nscore = {score}\n'
        f'evidence = "{who} saw it."\nat = 2026-11-20T10:00:00Z\n\n'
        for who, score in zip(("P1", "P2"), scores, strict=True)
    )


def campaign_text(language: str, *, bands: bool = False) -> str:
    """Six candidates, one for each outcome: appointable, reserve, failed at the sift, not
    shortlisted, went on under a guaranteed interview scheme (and failed at interview on a
    mean of 3.5), withdrawn; every letter in `language`."""
    out = [
        'schema = 1\n\n[campaign]\nid = "hop-2027"\ntitle = "Head of Profession 2027"\nlevel = 4\nstatus = "interview"\n',
        'vacancies = 1\ncount_stages = ["interview"]\ncreated = 2026-11-01T09:00:00Z\n',
        'feedback_scores = "bands"\n' if bands else "",
        '\n[campaign.role]\ntitle = "Head of Profession"\ngrade = "Grade 6"\ndepartment = "Digital, Data and Technology"\n\n',
        '[[stages]]\nid = "sift"\nname = "Sift"\nmethods = ["application-form"]\nshortlist = 2\n\n',
        '[[stages]]\nid = "interview"\nname = "Interview"\nmethods = ["interview"]\n\n',
        '[[criteria]]\nid = "leadership"\nelement = "behaviours"\nname = "Leadership"\nstages = ["sift", "interview"]\nlead = true\n\n',
        '[[criteria]]\nid = "working-together"\nelement = "behaviours"\nname = "Working Together"\nstages = ["interview"]\n\n',
        '[[panel]]\nid = "P1"\nname = "Amara Okafor"\nrole = "chair"\n\n[[panel]]\nid = "P2"\nname = "Tom Whitfield"\n\n',
    ]
    for candidate, name, extra in PEOPLE:
        out.append(f'[[candidates]]\nid = "{candidate}"\nname = "{name}"\nreference = "HOP-{candidate[1:]}"\n{extra}language = "{language}"\n\n')
    for candidate, score in SIFT.items():
        out.append(score_rows(candidate, "leadership", "sift", (score, score)))
    for candidate, (leadership, together) in INTERVIEW.items():
        out.append(score_rows(candidate, "leadership", "interview", (leadership, leadership)))
        out.append(score_rows(candidate, "working-together", "interview", together if isinstance(together, tuple) else (together, together)))
    return "".join(out)


def wording(language: str) -> dict:
    return tomllib.loads((REFERENCE / f"{language}.toml").read_text())


def expected_outcomes(language: str) -> dict[str, str]:
    """Each candidate's outcome, in the wording of their language's file."""
    said, why = wording(language)["outcomes"], wording(language)["reasons"]
    labels = wording(language)["labels"]
    sift, interview = "Sift", "Interview"
    went_on = said["went_on"].format(stage=sift)
    return {
        "C01": went_on + " " + said["appointable"].format(rank=1),
        "C02": went_on + " " + said["reserve"].format(rank=2),
        "C03": said["fail_why"].format(stage=sift, why=why["below_minimum"].format(criterion="Leadership", score=3, minimum=4)),
        "C04": said["not_shortlisted_why"].format(stage=sift, why=why["shortlist"].format(shortlist=2, rank=3)),
        "C05": said["guaranteed"].format(stage=sift)
        + " "
        + said["fail_why"].format(stage=interview, why=why["below_minimum"].format(criterion="Working Together", score=3.5, minimum=4)),
        "C06": said["withdrawn"],
    } | {"labels": labels}  # type: ignore[dict-item]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_outcome_has_its_letter_in_the_candidates_language_draft_until_sealed(tmp_path: Path, language: str) -> None:
    path = tmp_path / "hop-2027.toml"
    path.write_text(campaign_text(language))
    folder = tmp_path / "letters"
    written = run_cli("feedback", str(path), "--all", "-o", str(folder))
    words = {"en": "English", "cy": "Welsh"}[language]
    assert (written.returncode, written.stdout) == (0, f"{path}: wrote 6 letters to {folder} (6 in {words}) (DRAFT: the campaign is not sealed)\n")
    assert sorted(item.name for item in folder.iterdir()) == [f"HOP-0{n}.md" for n in range(1, 7)]
    text = wording(language)
    expected = expected_outcomes(language)
    today = datetime.now(UTC).date()
    for number in range(1, 7):
        candidate = f"C0{number}"
        letter = (folder / f"HOP-0{number}.md").read_text()
        name = next(person_name for person, person_name, _ in PEOPLE if person == candidate)
        assert letter.startswith(f"**{text['draft']}**") and letter.rstrip().endswith(f"**{text['draft']}**"), candidate
        assert expected[candidate] in letter, (candidate, letter)
        assert text["greeting"].format(name=name) in letter
        assert text["date"].format(day=today.day, month=text["months"][today.month - 1], year=today.year) in letter
        assert f"HOP-0{number}" in letter and "hop-2027" in letter
        assert f"\n{text['sign_off']}\n\nAmara Okafor\n\n{text['chair_role']}\n" in letter
        assert text["feedback_heading"] not in letter  # none written: no heading, no "None written."
        others = [person_name for person, person_name, _ in PEOPLE if person != candidate]
        assert not any(other in letter for other in others)
    moderate = text["labels"].get("Moderate", "Moderate")
    assert f"| Working Together | 3.5 | {moderate} |" in (folder / "HOP-05.md").read_text()  # a mean of 3.5 is not yet Acceptable

    assert run_cli("finalise", str(path), "--as", "P1").returncode == 0
    sealed = run_cli("feedback", str(path), "--all", "-o", str(folder), "--format", "html")
    assert sealed.returncode == 0 and "DRAFT" not in sealed.stdout
    page = (folder / "HOP-01.html").read_text()
    assert f'<html lang="{language}">' in page and "@page { size: A4;" in page
    assert text["draft"] not in page and "watermark" not in page.split("<body>")[1]
    assert f"<title>{text['title']}</title>" in page and "C01" not in page
    until = load_campaign(path).campaign.reserve_until
    assert until is not None  # finalise sets how long the reserve list stands, and the letter says it
    day = text["date"].format(day=until.day, month=text["months"][until.month - 1], year=until.year)
    on_reserve = text["outcomes"]["reserve_until"].format(rank=2, until=day)
    assert run_cli("feedback", str(path), "--all", "-o", str(folder)).stdout == f"{path}: wrote 6 letters to {folder} (6 in {words})\n"
    for number in range(1, 7):
        letter = (folder / f"HOP-0{number}.md").read_text()
        sealed_outcome = expected[f"C0{number}"].replace(text["outcomes"]["reserve"].format(rank=2), on_reserve)
        assert text["draft"] not in letter and sealed_outcome in letter, (number, letter)


def test_feedback_naming_another_candidate_is_replaced_and_the_chair_warned(tmp_path: Path) -> None:
    path = tmp_path / "hop-2027.toml"
    path.write_text(campaign_text("en"))
    words = "Clearly stronger than Sofia Marchetti (HOP-02, C02) on stakeholder work; the Marchetti-led pilot was weaker."
    wrote = run_cli("feedback", str(path), "C01", "--as", "P1", "--write", words)
    assert wrote.returncode == 0
    assert wrote.stderr == (
        f"{path}: note: the feedback names another candidate (Sofia Marchetti): C01's letter reads [another candidate] in their place\n"
    )
    letter = run_cli("feedback", str(path), "C01").stdout
    assert (
        "## Feedback from the panel\n\nClearly stronger than [another candidate] ([another candidate], [another candidate]) on stakeholder work; "
        "the [another candidate]-led pilot was weaker." in letter
    )
    assert "Marchetti" not in letter and "C02" not in letter and "HOP-02" not in letter
    clean = run_cli("feedback", str(path), "C01", "--as", "P1", "--write", "Strong on leadership.")
    assert (clean.returncode, clean.stderr) == (0, "")


def test_a_campaign_that_gives_bands_shows_no_number(tmp_path: Path) -> None:
    path = tmp_path / "hop-2027.toml"
    path.write_text(campaign_text("en", bands=True))
    letter = run_cli("feedback", str(path), "C05").stdout
    assert "| Criterion | Band |" in letter and "| Working Together | Moderate |" in letter and "| Leadership | Acceptable |" in letter
    assert "Working Together Moderate, below the minimum standard of Acceptable" in letter
    assert "3.5" not in letter and load_campaign(path).campaign.feedback_scores == "bands"


def test_wrong_usage_and_bad_input_are_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "hop-2027.toml"
    path.write_text(campaign_text("en"))
    before = path.read_bytes()
    for args, line in [
        ((), "assessor feedback: error: name one candidate's ID, or --all for every candidate"),
        (("C01", "--all", "-o", "x"), "assessor feedback: error: name one candidate's ID, or --all for every candidate"),
        (("--all",), "assessor feedback: error: --all writes every letter to a folder: give -o FOLDER, and no --write"),
        (("C01", "-o", "x"), "assessor feedback: error: -o FOLDER goes with --all; one letter prints to standard output"),
    ]:
        result = run_cli("feedback", str(path), *args)
        assert (result.returncode, result.stderr, result.stdout) == (2, line + "\n", "")
    (tmp_path / "plain").write_text("")
    refused = run_cli("feedback", str(path), "--all", "-o", str(tmp_path / "plain"))
    assert (refused.returncode, refused.stderr) == (1, f"{tmp_path / 'plain'}: is not a folder: -o names the folder the letters are written to\n")
    assert path.read_bytes() == before


def test_the_wording_of_each_language_has_every_key() -> None:
    def keys(data: dict, prefix: str = "") -> set[str]:
        out = set()
        for key, value in data.items():
            if key == "labels":
                continue
            out |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return out

    english, welsh = wording("en"), wording("cy")
    assert keys(english) == keys(welsh) and len(keys(english)) > 30
    assert set(welsh["labels"]) == {"Outstanding", "Strong", "Good", "Acceptable", "Moderate", "Minimal", "Insufficient evidence"}
    for table in ("outcomes", "reasons"):
        for key, sentence in english[table].items():  # each sentence fills in the same values in both
            assert set(re.findall(r"{(\w+)}", sentence)) == set(re.findall(r"{(\w+)}", welsh[table][key])), key
