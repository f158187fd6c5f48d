"""New campaigns: from a role template, or blank. Pure functions; the caller writes the file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assessor.core.campaign import SCHEMA_VERSION, Campaign
from assessor.core.clock import now
from assessor.core.framework import Framework
from assessor.core.template import RoleTemplate, campaign_data_from


def _creation_audit(who: str | None, source: str, level: int, at: datetime) -> list[dict[str, Any]]:
    return [{"at": at, "who": who, "what": f"created from {source} at level {level}"}] if who else []


def campaign_from_template(
    template: RoleTemplate,
    framework: Framework,
    *,
    campaign_id: str,
    title: str | None = None,
    level: int | None = None,
    vacancies: int = 1,
    created: datetime | None = None,
    who: str | None = None,
) -> Campaign:
    """A new campaign in set-up, with the template's role, stages and criteria; name-blind at the
    sift (`anonymise_sift`), as every new campaign is.

    With `who`, the campaign's audit trail starts with a row saying where it came from.
    """
    level = level if level is not None else template.level
    created = created or now()
    data = campaign_data_from(template, campaign_id=campaign_id, title=title or template.role.title or template.id, level=level, created=created)
    data["campaign"]["vacancies"] = vacancies
    data["audit"] = _creation_audit(who, f"role template {template.id}", level, created)
    return Campaign.model_validate(data, context={"framework": framework})


def blank_campaign(
    framework: Framework, *, campaign_id: str, title: str, level: int, vacancies: int = 1, created: datetime | None = None, who: str | None = None
) -> Campaign:
    """A new campaign with no criteria yet: a sift and an interview stage to start from, name-blind at the sift."""
    created = created or now()
    data = {
        "schema": SCHEMA_VERSION,
        "audit": _creation_audit(who, f"a blank {framework.name} campaign", level, created),
        "campaign": {
            "id": campaign_id,
            "title": title,
            "framework": framework.id,
            "level": level,
            "vacancies": vacancies,
            "anonymise_sift": True,
            "chair_sees_scores": "after-own",
            "agreed_scores": "consensus",
            "created": created,
        },
        "stages": [
            {"id": "sift", "name": "Sift", "methods": ["application-form"] if "application-form" in framework.method_ids else []},
            {"id": "interview", "name": "Interview", "methods": ["interview"] if "interview" in framework.method_ids else []},
        ],
    }
    return Campaign.model_validate(data, context={"framework": framework})
