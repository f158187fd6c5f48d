"""Seeded generator of large, valid campaigns for the crash and fuzz tests and the benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from assessor.framework import load_framework
from assessor.model import Campaign

START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
FIRST = ["Jordan", "Sofia", "Amir", "Bethan", "Chen", "Deborah", "Eoin", "Farah", "Grace", "Hamza", "Isla", "Kwame"]
LAST = ["Ellis", "Marchetti", "Khan", "Jones", "Wei", "Okafor", "Murphy", "Ahmed", "Taylor", "Begum", "Reid", "Mensah"]
WORDS = "led delivered built agreed improved explained managed reduced coached tested a the team plan budget risk service users data board".split()


def make_campaign(candidates: int, criteria: int, assessors: int, seed: int, *, scored: float = 1.0) -> Campaign:
    """A valid Success Profiles campaign with sift and interview stages.

    Criteria are framework behaviours first (up to nine), then experience criteria.
    Every assessor scores every candidate on every criterion at the sift with
    probability `scored`; the interview stage is left unscored, so callers have items
    to record. Names, evidence and scores come from `random.Random(seed)`: the same
    arguments give the same campaign.
    """
    rng = random.Random(seed)
    behaviours = sorted(load_framework("success-profiles").item_ids)
    criteria_rows = []
    for index in range(criteria):
        if index < len(behaviours):
            row = {"id": behaviours[index], "element": "behaviours", "name": behaviours[index].replace("-", " ").capitalize()}
        else:
            row = {"id": f"experience-{index}", "element": "experience", "name": f"Experience {index}"}
        criteria_rows.append({**row, "stages": ["sift", "interview"], "lead": index == 0})
    panel = [{"id": f"P{index + 1}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "role": "chair" if index == 0 else "member"} for index in range(assessors)]
    people = []
    for index in range(candidates):
        people.append({
            "id": f"C{index + 1:05d}",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "reference": f"R-{index + 1:05d}",
            "adjustments": "Extra time." if rng.random() < 0.05 else "",
        })
    scores = []
    for person in people:
        for criterion in criteria_rows:
            for member in panel:
                if rng.random() < scored:
                    scores.append({
                        "candidate": person["id"], "criterion": criterion["id"], "stage": "sift", "assessor": member["id"],
                        "score": rng.randint(2, 7), "evidence": " ".join(rng.choices(WORDS, k=rng.randint(4, 14))).capitalize() + ".",
                        "at": START + timedelta(minutes=rng.randint(0, 60 * 24 * 14)),
                    })
    data = {
        "schema": 1,
        "campaign": {
            "id": f"generated-{seed}", "title": "Generated campaign", "framework": "success-profiles", "level": 4,
            "status": "sift", "vacancies": 3, "count_stages": ["interview"], "created": START,
        },
        "stages": [{"id": "sift", "name": "Sift", "methods": ["application-form"]}, {"id": "interview", "name": "Interview", "methods": ["interview"]}],
        "criteria": criteria_rows,
        "panel": panel,
        "candidates": people,
        "scores": scores,
        "audit": [{"at": START, "who": "P1", "what": "created"}],
    }
    return Campaign.model_validate(data, context={"framework": load_framework("success-profiles")})
