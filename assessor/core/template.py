"""A role template as a pydantic model: the role, its stages and suggested criteria.

A template is valid exactly when the campaign made from it is, so it is checked by
validating that campaign: one set of rules for both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, model_validator

from assessor.core.campaign import SCHEMA_VERSION, Campaign, Criterion, Role, Stage
from assessor.core.clock import now
from assessor.core.errors import Location, ReferenceProblems
from assessor.core.fields import Id, Record


class RoleTemplate(Record):
    """A starting point for a campaign: the role, its stages and suggested criteria."""

    format_version: Annotated[int, Field(ge=1, le=SCHEMA_VERSION)] = Field(SCHEMA_VERSION, alias="schema")
    id: Id
    framework: Id
    level: Annotated[int, Field(ge=1)]
    tie_break: list[Id] = []
    source_note: str = ""
    """What the template holds beyond its role profile (suggested stages and criteria, defaults)."""
    role: Role
    stages: Annotated[list[Stage], Field(min_length=1)]
    criteria: Annotated[list[Criterion], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_as_campaign(self, info: ValidationInfo) -> RoleTemplate:
        data = campaign_data_from(self, campaign_id="template", title=self.role.title or self.id, level=self.level, created=now())
        try:
            Campaign.model_validate(data, context=info.context)
        except ReferenceProblems as exc:
            raise ReferenceProblems([(_template_loc(loc), message) for loc, message in exc.problems]) from None
        return self


def _template_loc(loc: Location) -> Location:
    # Campaign keys under [campaign] sit at the top of a template file.
    return loc[1:] if loc[:1] == ("campaign",) else loc


def campaign_data_from(template: RoleTemplate, *, campaign_id: str, title: str, level: int, created: datetime) -> dict[str, Any]:
    """The plain data of a new campaign in set-up made from `template` (not yet validated)."""
    return {
        "schema": SCHEMA_VERSION,
        "campaign": {
            "id": campaign_id,
            "title": title,
            "framework": template.framework,
            "level": level,
            "status": "setup",
            "vacancies": 1,
            "count_stages": [template.stages[-1].id],
            "tie_break": list(template.tie_break),
            "anonymise_sift": True,
            "chair_sees_scores": "after-own",
            "agreed_scores": "consensus",
            "created": created,
            "role": template.role.model_dump(),
        },
        "stages": [stage.model_dump() for stage in template.stages],
        "criteria": [criterion.model_dump() for criterion in template.criteria],
    }
