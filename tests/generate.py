"""Seeded campaigns of any size, built through the real models, for benchmarks and load tests.

`make_campaign(candidates, criteria, assessors, seed)` returns a valid `Campaign` shaped
like a real one: stages sift then interview, criteria taken from the Success Profiles
behaviours (then experience and technical criteria beyond the nine behaviours), a panel
with exactly one chair, candidates with names, references and a few reasonable
adjustments, and one score per (candidate, criterion, assessor) at `stage`, each with a
paragraph of evidence (about 400 characters, as a panel member writes at an interview).
Where the panel's scores spread by 2 or more, the chair has moderated about half of them.
The same arguments always give the same campaign.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from assessor.core.campaign import AuditEntry, Campaign, CampaignInfo, Candidate, Criterion, Moderation, PanelMember, Role, Score, Stage
from assessor.storage.reference import load_framework

FIRST_NAMES = (
    "Jordan",
    "Sofia",
    "Aisha",
    "Tom",
    "Priya",
    "Liam",
    "Chloe",
    "Mohammed",
    "Grace",
    "Oliver",
    "Amara",
    "Ewan",
    "Hannah",
    "Ravi",
    "Niamh",
    "Daniel",
    "Zara",
    "Callum",
    "Megan",
    "Tariq",
    "Eleanor",
    "Kwame",
    "Isla",
    "Rhys",
    "Fatima",
    "George",
    "Sian",
    "Arjun",
    "Lucy",
    "Dylan",
)
LAST_NAMES = (
    "Ellis",
    "Marchetti",
    "Okafor",
    "Whitfield",
    "Raman",
    "Campbell",
    "Hughes",
    "Begum",
    "Patel",
    "Murray",
    "Jones",
    "Evans",
    "Khan",
    "O'Neill",
    "Thompson",
    "Davies",
    "Ahmed",
    "Fraser",
    "Clarke",
    "Mensah",
    "Walsh",
    "Robertson",
    "Singh",
    "Lewis",
    "Morgan",
    "Nowak",
    "Reid",
)
ADJUSTMENTS = (
    "Large print papers.",
    "25% extra time for the written exercise.",
    "Step-free access to the interview room.",
    "Questions in writing at the start of the interview.",
    "A break between the presentation and the interview.",
)
EVIDENCE = (
    "Described leading a team of twelve through a restructure, setting a clear direction and explaining the reasons to staff.",
    "Gave a good example of using data from user research to change a service, though the outcome was not measured.",
    "Spoke about bringing two teams together after a merger and agreeing shared priorities with their managers.",
    "The example was mostly about their own tasks rather than how they influenced others or the wider organisation.",
    "Showed how they weighed the risks of two options, consulted legal and finance colleagues and recorded the decision.",
    "Described coaching a new manager over six months, with regular feedback and a plan agreed at the start.",
    "Answered the follow-up question well, explaining what they would do differently with hindsight.",
    "Gave limited evidence of working across departments; the example stayed within their own team.",
    "Explained how they kept a project to its deadline by cutting scope early and telling stakeholders why.",
    "Showed a clear understanding of the department's priorities and how the role would contribute to them.",
    "Talked about improving a complaints process, halving the time to respond, and how they checked it worked.",
    "The presentation was well structured and kept to time, with a realistic plan for the first hundred days.",
)


def _evidence(rng: random.Random) -> str:
    sentences = rng.sample(EVIDENCE, rng.randint(3, 4))
    return " ".join(sentences)


def _criteria(count: int) -> list[Criterion]:
    behaviours = load_framework("success-profiles").behaviours
    criteria = []
    for index in range(count):
        if index < len(behaviours):
            item = behaviours[index]
            criteria.append(Criterion(id=item.id, element="behaviours", name=item.name, stages=["sift", "interview"], lead=index == 0))
        else:
            extra = index - len(behaviours) + 1
            element = "experience" if extra % 2 else "technical"
            criteria.append(
                Criterion(
                    id=f"{element}-{extra}",
                    element=element,
                    name=f"{element.title()} {extra}",
                    description="Evidence of doing this kind of work before, in a role of similar size.",
                    stages=["sift", "interview"],
                )
            )
    return criteria


def make_campaign(candidates: int, criteria: int, assessors: int, seed: int = 0, stage: str = "interview") -> Campaign:
    """A valid campaign with `candidates` x `criteria` x `assessors` scores at `stage`.

    `stage` is "sift" or "interview"; the campaign's status is that stage, and the merit
    list counts the interview.
    """
    if stage not in {"sift", "interview"}:
        raise ValueError(f"stage must be 'sift' or 'interview', not {stage!r}")
    if criteria < 1 or assessors < 1 or candidates < 0:
        raise ValueError("need at least one criterion and one assessor")
    rng = random.Random(seed)
    start = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)

    panel = [
        PanelMember(
            id=f"P{number}",
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            role="chair" if number == 1 else ("independent" if number == assessors and assessors > 2 else "member"),
        )
        for number in range(1, assessors + 1)
    ]
    width = max(3, len(str(candidates)))
    people = [
        Candidate(
            id=f"C{number:0{width}d}",
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            reference=f"REF-{number:0{width}d}",
            adjustments=rng.choice(ADJUSTMENTS) if rng.random() < 0.05 else "",
        )
        for number in range(1, candidates + 1)
    ]
    matrix = _criteria(criteria)

    scores = []
    moderation = []
    bias = {member.id: rng.gauss(0, 0.4) for member in panel}
    for position, candidate in enumerate(people):
        ability = rng.gauss(4.4, 1.0)
        at = start + timedelta(days=14 if stage == "sift" else 30, minutes=position)
        for criterion in matrix:
            values = []
            for member in panel:
                value = min(7, max(1, round(ability + bias[member.id] + rng.gauss(0, 0.7))))
                values.append(value)
                scores.append(
                    Score(
                        candidate=candidate.id,
                        criterion=criterion.id,
                        stage=stage,
                        assessor=member.id,
                        score=value,
                        evidence=_evidence(rng),
                        at=at,
                    )
                )
            if max(values) - min(values) >= 2 and rng.random() < 0.5:
                moderation.append(
                    Moderation(
                        candidate=candidate.id,
                        criterion=criterion.id,
                        stage=stage,
                        score=round(sum(values) / len(values)),
                        rationale="Agreed at the wash-up after comparing the evidence each member recorded.",
                        by=panel[0].id,
                        at=at + timedelta(days=2),
                    )
                )

    audit = [AuditEntry(at=start, who=panel[0].id, what="created from role template head-of-digital at level 5")]
    audit += [AuditEntry(at=start + timedelta(days=31), who=member.id, what=f"scored {candidates} candidates at {stage}") for member in panel]
    return Campaign(
        campaign=CampaignInfo(
            id=f"generated-{candidates}x{criteria}x{assessors}-{seed}",
            title="Head of Digital, generated campaign",
            level=5,
            status=stage,
            vacancies=max(1, candidates // 50),
            count_stages=["interview"],
            tie_break=[criterion.id for criterion in matrix[1:3]],
            created=start,
            retain_until=date(2027, 10, 5),
            role=Role(
                title="Head of Digital",
                grade="Deputy Director (SCS1)",
                department="Department for Education (DfE)",
                summary="Leads digital delivery across the department.",
                responsibilities=["Lead long-lived, mission-led teams.", "Make services simpler for users."],
            ),
        ),
        stages=[
            Stage(id="sift", name="Sift", methods=["application-form", "cv"]),
            Stage(id="interview", name="Interview", methods=["interview", "presentation"]),
        ],
        criteria=matrix,
        panel=panel,
        candidates=people,
        scores=scores,
        moderation=moderation,
        audit=audit,
    )


START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
WORDS = "led delivered built agreed improved explained managed reduced coached tested a the team plan budget risk service users data board".split()


def make_light_campaign(candidates: int, criteria: int, assessors: int, seed: int, *, scored: float = 1.0) -> Campaign:
    """A small-evidence campaign scored at the sift only, for the crash and fuzz tests.

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
    panel = [
        {"id": f"P{index + 1}", "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "role": "chair" if index == 0 else "member"}
        for index in range(assessors)
    ]
    people = []
    for index in range(candidates):
        people.append(
            {
                "id": f"C{index + 1:05d}",
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "reference": f"R-{index + 1:05d}",
                "adjustments": "Extra time." if rng.random() < 0.05 else "",
            }
        )
    scores = []
    for person in people:
        for criterion in criteria_rows:
            for member in panel:
                if rng.random() < scored:
                    scores.append(
                        {
                            "candidate": person["id"],
                            "criterion": criterion["id"],
                            "stage": "sift",
                            "assessor": member["id"],
                            "score": rng.randint(2, 7),
                            "evidence": " ".join(rng.choices(WORDS, k=rng.randint(4, 14))).capitalize() + ".",
                            "at": START + timedelta(minutes=rng.randint(0, 60 * 24 * 14)),
                        }
                    )
    data = {
        "schema": 1,
        "campaign": {
            "id": f"generated-{seed}",
            "title": "Generated campaign",
            "framework": "success-profiles",
            "level": 4,
            "status": "sift",
            "vacancies": 3,
            "count_stages": ["interview"],
            "created": START,
        },
        "stages": [
            {"id": "sift", "name": "Sift", "methods": ["application-form"]},
            {"id": "interview", "name": "Interview", "methods": ["interview"]},
        ],
        "criteria": criteria_rows,
        "panel": panel,
        "candidates": people,
        "scores": scores,
        "audit": [{"at": START, "who": "P1", "what": "created"}],
    }
    return Campaign.model_validate(data, context={"framework": load_framework("success-profiles")})
