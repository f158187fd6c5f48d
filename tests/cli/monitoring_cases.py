"""Campaigns and monitoring exports for the tests of `assessor monitoring`, built in the test as
real files: each candidate's journey (what the sift decided, the interview's scores) given, and the
export's rows written as HR's applicant system would."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assessor.changes.offers import record_offer
from assessor.changes.seal import finalise
from assessor.storage.campaign_file import load_campaign, save_campaign, written_data

DECIDED_AT = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
SIFT_SCORE = {"pass": 5, "guaranteed": 4, "not-shortlisted": 4, "fail": 3}


@dataclass(frozen=True)
class Person:
    """A candidate: their reference, what the sift decided, their interview score (both panel
    members alike; None where they were not interviewed) and the scheme they applied under."""

    reference: str
    sift: str = "pass"
    interview: int | None = None
    scheme: str | None = None
    withdrawn: bool = False


def campaign_text(campaign_id: str, people: list[Person], *, decided: bool = True, status: str | None = None, vacancies: int = 2) -> str:
    """A campaign of `people` (ids C001, C002, ...) with a sift and an interview, the sift decided
    (or not: status sift), scores at the interview for those who went on."""
    status = status or ("interview" if decided else "sift")
    out = [
        f'schema = 1\n\n[campaign]\nid = "{campaign_id}"\ntitle = "Campaign {campaign_id}"\nlevel = 4\nstatus = "{status}"\n',
        f'vacancies = {vacancies}\ncount_stages = ["interview"]\ncreated = 2026-11-01T09:00:00Z\n\n',
        '[[stages]]\nid = "sift"\nname = "Sift"\nmethods = ["application-form"]\n\n',
        '[[stages]]\nid = "interview"\nname = "Interview"\nmethods = ["interview"]\n\n',
        '[[criteria]]\nid = "leadership"\nelement = "behaviours"\nname = "Leadership"\nstages = ["sift", "interview"]\nlead = true\n\n',
        '[[panel]]\nid = "P1"\nname = "Amara Okafor"\nrole = "chair"\n\n[[panel]]\nid = "P2"\nname = "Tom Whitfield"\n\n',
    ]
    for number, person in enumerate(people, start=1):
        extra = f'guaranteed_interview = "{person.scheme}"\n' if person.scheme else ""
        extra += "withdrawn = true\n" if person.withdrawn else ""
        out.append(f'[[candidates]]\nid = "C{number:03d}"\nname = "Applicant Number{number}"\nreference = "{person.reference}"\n{extra}\n')
    for number, person in enumerate(people, start=1):
        scores = [("sift", SIFT_SCORE[person.sift])] + ([("interview", person.interview)] if person.interview is not None and decided else [])
        for stage, score in scores:
            for member in ("P1", "P2"):
                out.append(
                    f'[[scores]]\ncandidate = "C{number:03d}"\ncriterion = "leadership"\nstage = "{stage}"\nassessor = "{member}"\n'
                    f'score = {score}\nevidence = "Seen."\nat = 2026-11-19T10:00:00Z\n\n'
                )
    if decided:
        results = ",\n".join(
            f'  {{candidate = "C{number:03d}", outcome = "{"withdrawn" if person.withdrawn else person.sift}"}}'
            for number, person in enumerate(people, start=1)
        )
        out.append(f'[[decisions]]\nstage = "sift"\nby = "P1"\nat = {DECIDED_AT.strftime("%Y-%m-%dT%H:%M:%SZ")}\nresults = [\n{results},\n]\n')
    return "".join(out)


def write_campaign(path: Path, people: list[Person], **kwargs: object) -> Path:
    path.write_text(campaign_text(path.stem, people, **kwargs))  # type: ignore[arg-type]
    return path


def seal(path: Path, offers: list[tuple[int, str]] = ()) -> None:
    """Finalise the campaign as its chair would, then record offers: (candidate number, result)."""
    campaign = load_campaign(path)
    campaign = finalise(campaign, chair="P1", at=datetime.now(UTC), file_data=written_data, force=True, rationale="Test campaign.")
    for number, result in offers:
        campaign = record_offer(campaign, chair="P1", candidate=f"C{number:03d}", result=result)  # type: ignore[arg-type]
    save_campaign(campaign, path)


def write_export(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """HR's monitoring export as a CSV file (UTF-8 with a byte order mark, as a spreadsheet saves it) or a workbook."""
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        for values in [header, *rows]:
            sheet.append(values)
        workbook.save(path)
        return path
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path
