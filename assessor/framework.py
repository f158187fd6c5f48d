"""Reference data: assessment frameworks (elements, levels, behaviours, methods, the scale)
and role templates, read from the TOML files in `reference/`.

Frameworks are data, not code: the Civil Service Success Profiles and the policing
Competency and Values Framework are two files of the same shape.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, model_validator

from assessor.errors import CampaignError
from assessor.model import (
    SCHEMA_VERSION,
    Campaign,
    Criterion,
    Id,
    Name,
    Record,
    ReferenceProblems,
    Role,
    ScoreValue,
    Stage,
    now,
)
from assessor.tomlio import read_toml, validate_data

REFERENCE_ENV = "ASSESSOR_REFERENCE"
"""Environment variable naming another reference folder (tests, a department's own)."""


def reference_dir() -> Path:
    """The folder holding framework files and `roles/` templates."""
    override = os.environ.get(REFERENCE_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "reference"


class Element(Record):
    """A kind of evidence the framework assesses (behaviours, experience, ...)."""

    id: Id
    name: Name
    description: str = ""


class Level(Record):
    """A level of the framework: the panel scores against the role's level."""

    number: Annotated[int, Field(ge=1)]
    name: Name
    grades: list[str] = []
    description: str = ""


class FrameworkItem(Record):
    """A behaviour, competency or value with indicators per level (or `all` levels)."""

    id: Id
    name: Name
    element: Id
    cluster: str = ""
    summary: str = ""
    indicators: dict[str, list[str]]


class Method(Record):
    """A selection method (interview, presentation, ...) and the elements it suits."""

    id: Id
    name: Name
    description: str = ""
    elements: list[Id] = []


class ScalePoint(Record):
    """One point of the 1-7 scale: its label and what evidence earns it."""

    score: ScoreValue
    label: Name
    meaning: str = ""


class Framework(Record):
    """A whole framework file."""

    format_version: Annotated[int, Field(ge=1, le=SCHEMA_VERSION)] = Field(SCHEMA_VERSION, alias="schema")
    id: Id
    name: Name
    publisher: str = ""
    summary: str = ""
    level_name: str = "Level"
    elements: Annotated[list[Element], Field(min_length=1)]
    levels: Annotated[list[Level], Field(min_length=1)]
    behaviours: list[FrameworkItem] = []
    methods: list[Method] = []
    scale: Annotated[list[ScalePoint], Field(min_length=7, max_length=7)]

    @model_validator(mode="after")
    def _check_references(self) -> Framework:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for table in ("elements", "behaviours", "methods"):
            seen: set[str] = set()
            for index, row in enumerate(getattr(self, table)):
                if row.id in seen:
                    problems.append(((table, index, "id"), f"duplicate id {row.id!r}"))
                seen.add(row.id)
        levels = {str(level.number) for level in self.levels}
        for index, level in enumerate(self.levels):
            if level.number != index + 1:
                problems.append((("levels", index, "number"), f"levels must be numbered 1, 2, 3... in order; expected {index + 1}"))
        elements = {element.id for element in self.elements}
        for index, item in enumerate(self.behaviours):
            if item.element not in elements:
                problems.append((("behaviours", index, "element"), f"unknown element {item.element!r}"))
            for key in item.indicators:
                if key != "all" and key not in levels:
                    problems.append((("behaviours", index, "indicators", key), f"{key!r} is not a level (use a level number or \"all\")"))
        for index, method in enumerate(self.methods):
            for position, element in enumerate(method.elements):
                if element not in elements:
                    problems.append((("methods", index, "elements", position), f"unknown element {element!r}"))
        scores = sorted(point.score for point in self.scale)
        if scores != list(range(1, 8)):
            problems.append((("scale",), "the scale needs exactly one row for each score 1 to 7"))
        if problems:
            raise ReferenceProblems(problems)
        return self

    @property
    def level_numbers(self) -> set[int]:
        """Numbers of the framework's levels."""
        return {level.number for level in self.levels}

    @property
    def element_ids(self) -> set[str]:
        """Ids of the framework's elements."""
        return {element.id for element in self.elements}

    @property
    def item_ids(self) -> set[str]:
        """Ids of the framework's behaviours (competencies, values)."""
        return {item.id for item in self.behaviours}

    @property
    def item_elements(self) -> set[str]:
        """Elements whose criteria must be one of the framework's own items."""
        return {item.element for item in self.behaviours}

    @property
    def method_ids(self) -> set[str]:
        """Ids of the selection methods."""
        return {method.id for method in self.methods}

    def item(self, item_id: str) -> FrameworkItem | None:
        """The behaviour (competency, value) with this id, if any."""
        return next((item for item in self.behaviours if item.id == item_id), None)

    def level(self, number: int) -> Level | None:
        """The level with this number, if any."""
        return next((level for level in self.levels if level.number == number), None)

    def indicators(self, item_id: str, level: int) -> list[str]:
        """What effective behaviour looks like for `item_id` at `level` (empty if none)."""
        item = self.item(item_id)
        if item is None:
            return []
        return item.indicators.get(str(level), item.indicators.get("all", []))

    def scale_point(self, score: int) -> ScalePoint:
        """The label and meaning of a score on the 1-7 scale."""
        return next(point for point in self.scale if point.score == score)


class RoleTemplate(Record):
    """A starting point for a campaign: the role, its stages and suggested criteria."""

    format_version: Annotated[int, Field(ge=1, le=SCHEMA_VERSION)] = Field(SCHEMA_VERSION, alias="schema")
    id: Id
    framework: Id
    level: Annotated[int, Field(ge=1)]
    tie_break: list[Id] = []
    role: Role
    stages: Annotated[list[Stage], Field(min_length=1)]
    criteria: Annotated[list[Criterion], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_as_campaign(self, info: ValidationInfo) -> RoleTemplate:
        # A template is valid when the campaign made from it is: one set of rules.
        try:
            Campaign.model_validate(
                _campaign_data(self, campaign_id="template", title=self.role.title or self.id, level=self.level, created=now()),
                context=info.context,
            )
        except ReferenceProblems as exc:
            raise ReferenceProblems([(_template_loc(loc), message) for loc, message in exc.problems]) from None
        return self


def _template_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # Campaign keys under [campaign] sit at the top of a template file.
    return loc[1:] if loc[:1] == ("campaign",) else loc


def _campaign_data(template: RoleTemplate, *, campaign_id: str, title: str, level: int, created: datetime) -> dict[str, Any]:
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
            "created": created,
            "role": template.role.model_dump(),
        },
        "stages": [stage.model_dump() for stage in template.stages],
        "criteria": [criterion.model_dump() for criterion in template.criteria],
    }


@cache
def _load_framework_cached(path: Path) -> Framework:
    text, data = read_toml(path)
    return validate_data(str(path), text, data, Framework)


def framework_path(framework_id: str) -> Path:
    """Where the framework with this id lives."""
    return reference_dir() / f"{framework_id}.toml"


def available_frameworks() -> list[str]:
    """Ids of the framework files in the reference folder."""
    return sorted(path.stem for path in reference_dir().glob("*.toml"))


def load_framework(framework_id: str) -> Framework:
    """Load and validate a framework by id; raise `CampaignError` if missing or broken."""
    path = framework_path(framework_id)
    # Only a plain name in the reference folder: "../x" must not reach another folder's
    # files, and a name too long for the file system is simply unknown.
    if framework_id not in available_frameworks():
        known = ", ".join(available_frameworks()) or "none"
        shown = framework_id if len(framework_id) <= 60 else framework_id[:57] + "..."
        where = framework_path("".join(c if c.isalnum() or c in "-_." else "_" for c in shown))  # never another folder
        raise CampaignError.single(where, f"unknown framework {shown!r} (known: {known})")
    framework = _load_framework_cached(path)
    if framework.id != framework_id:
        raise CampaignError.single(path, f"file declares id {framework.id!r}; expected {framework_id!r}", path="id")
    return framework


def role_templates() -> list[str]:
    """Ids of the role templates in `reference/roles/`."""
    return sorted(path.stem for path in (reference_dir() / "roles").glob("*.toml"))


def load_role_template(name: str) -> tuple[RoleTemplate, Framework]:
    """Load a role template by id (or path) with its framework, both validated."""
    path = Path(name)
    if not (name.endswith(".toml") or os.sep in name):
        path = reference_dir() / "roles" / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(role_templates()) or "none"
        raise CampaignError.single(path, f"no such role template (known: {known})")
    text, data = read_toml(path)
    framework_id = data.get("framework") if isinstance(data.get("framework"), str) else None
    framework = load_framework(framework_id) if framework_id else None
    template = validate_data(str(path), text, data, RoleTemplate, context={"framework": framework})
    assert framework is not None  # validation refuses a template without a framework
    return template, framework


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
    """A new campaign in set-up, with the template's role, stages and criteria.

    With `who`, the campaign's audit trail starts with a row saying where it came from.
    """
    level = level if level is not None else template.level
    created = created or now()
    data = _campaign_data(template, campaign_id=campaign_id, title=title or template.role.title or template.id, level=level, created=created)
    data["campaign"]["vacancies"] = vacancies
    data["audit"] = _creation_audit(who, f"role template {template.id}", level, created)
    return Campaign.model_validate(data, context={"framework": framework})


def blank_campaign(
    framework: Framework, *, campaign_id: str, title: str, level: int, vacancies: int = 1, created: datetime | None = None, who: str | None = None
) -> Campaign:
    """A new campaign with no criteria yet: a sift and an interview stage to start from."""
    created = created or now()
    data = {
        "schema": SCHEMA_VERSION,
        "audit": _creation_audit(who, f"a blank {framework.name} campaign", level, created),
        "campaign": {"id": campaign_id, "title": title, "framework": framework.id, "level": level, "vacancies": vacancies, "created": created},
        "stages": [
            {"id": "sift", "name": "Sift", "methods": ["application-form"] if "application-form" in framework.method_ids else []},
            {"id": "interview", "name": "Interview", "methods": ["interview"] if "interview" in framework.method_ids else []},
        ],
    }
    return Campaign.model_validate(data, context={"framework": framework})
