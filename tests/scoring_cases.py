"""A hand-worked campaign for the scoring tests, built through the real models."""

from __future__ import annotations

from datetime import UTC, datetime

from assessor.core.campaign import Campaign

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

# candidate: {criterion: (P1, P2, P3)} at the interview; None = that member has not scored.
INTERVIEW = {
    # A: 2*6 + 5 + 1.5*4 = 23
    "A": {"leadership": (6, 6, 6), "delivery": (5, 5, 5), "experience": (4, 4, 4)},
    # B: 2*5 + 6 + 1.5*(14/3) = 23; ties with A on total, A is above on the lead criterion, 6 v 5
    "B": {"leadership": (5, 5, 5), "delivery": (6, 6, 6), "experience": (5, 5, 4)},
    # C: identical sums to B on every tie-break criterion: the tie stays, shared rank 2
    "C": {"leadership": (5, 5, 5), "delivery": (7, 5, 6), "experience": (4, 5, 5)},
    # D: leadership 3,5,6 (spread 3) moderated to 5: 2*5 + 4 + 1.5*4 = 20, rank 4, reserve
    "D": {"leadership": (3, 5, 6), "delivery": (4, 4, 4), "experience": (4, 4, 4)},
    # E: delivery 3,3,4 = 3.33 below its pass mark of 4: fail, though the total is high
    "E": {"leadership": (7, 7, 7), "delivery": (3, 3, 4), "experience": (6, 6, 6)},
    # F: no experience score yet: incomplete
    "F": {"leadership": (6, 6, 6), "delivery": (6, 6, 6), "experience": (None, None, None)},
    # G: withdrawn after scoring
    "G": {"leadership": (7, 7, 7), "delivery": (7, 7, 7), "experience": (7, 7, 7)},
    # H: failed the sift (below), so out of the merit list whatever the interview says
    "H": {"leadership": (None, None, None), "delivery": (None, None, None), "experience": (None, None, None)},
}
SIFT = {"A": (5, 5, 6), "B": (4, 4, 5), "C": (5, 4, 4), "D": (4, 5, 5), "E": (6, 6, 6), "F": (5, 5, 5), "G": (6, 6, 6), "H": (2, 3, 3)}
MODERATED = {("D", "leadership", "interview"): 5}
NO_EVIDENCE = {("A", "delivery", "interview", "P2")}


def hand_worked(**campaign_changes) -> Campaign:
    """The campaign above; keyword arguments replace keys of [campaign]."""
    scores = []
    for candidate, criteria in INTERVIEW.items():
        for criterion, values in criteria.items():
            for assessor, value in zip(("P1", "P2", "P3"), values, strict=True):
                if value is not None:
                    evidence = "" if (candidate, criterion, "interview", assessor) in NO_EVIDENCE else f"{assessor} on {candidate}"
                    scores.append(
                        {
                            "candidate": candidate,
                            "criterion": criterion,
                            "stage": "interview",
                            "assessor": assessor,
                            "score": value,
                            "evidence": evidence,
                            "at": AT,
                        }
                    )
    for candidate, values in SIFT.items():
        for assessor, value in zip(("P1", "P2", "P3"), values, strict=True):
            scores.append(
                {
                    "candidate": candidate,
                    "criterion": "leadership",
                    "stage": "sift",
                    "assessor": assessor,
                    "score": value,
                    "evidence": "application",
                    "at": AT,
                }
            )
    data = {
        "schema": 1,
        "campaign": {
            "id": "hand-worked",
            "title": "Hand-worked ranking",
            "framework": "success-profiles",
            "level": 4,
            "status": "moderation",
            "vacancies": 2,
            "count_stages": ["interview"],
            "tie_break": ["delivery"],
            "anonymise_sift": True,
            "created": AT,
            **campaign_changes,
        },
        "stages": [
            {"id": "sift", "name": "Sift", "methods": ["application-form"]},
            {"id": "interview", "name": "Interview", "methods": ["interview"]},
        ],
        "criteria": [
            {"id": "leadership", "element": "behaviours", "name": "Leadership", "stages": ["sift", "interview"], "weight": 2.0, "lead": True},
            {"id": "delivery", "element": "experience", "name": "Delivery", "stages": ["interview"]},
            {"id": "experience", "element": "experience", "name": "Experience", "stages": ["interview"], "weight": 1.5, "pass_mark": 3},
        ],
        "panel": [
            {"id": "P1", "name": "Chair Person", "role": "chair"},
            {"id": "P2", "name": "Member Two"},
            {"id": "P3", "name": "Member Three", "role": "independent"},
        ],
        "candidates": [{"id": c, "name": f"Candidate {c}", "reference": f"REF-{c}", "withdrawn": c == "G"} for c in INTERVIEW],
        "scores": scores,
        "moderation": [
            {"candidate": c, "criterion": k, "stage": s, "score": v, "rationale": "agreed at wash-up", "by": "P1", "at": AT}
            for (c, k, s), v in MODERATED.items()
        ],
    }
    return Campaign.model_validate(data)
