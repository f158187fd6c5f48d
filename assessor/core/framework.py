"""An assessment framework as pydantic models: elements, levels, behaviours, methods, the scale.

Frameworks are data, not code: the Civil Service Success Profiles and the policing
Competency and Values Framework are two files of this shape in `reference/`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from assessor.core.campaign import SCHEMA_VERSION
from assessor.core.errors import Location, ReferenceProblems
from assessor.core.fields import Id, Name, Record, ScoreValue


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
    pairing_note: str = ""
    """Where the elements a method suits are our choice rather than the source's, why."""


class InterviewScheme(Record):
    """A guaranteed interview scheme: a candidate under it who meets every minimum is
    interviewed even below a shortlist cut."""

    id: Id
    name: Name
    description: str = ""


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
    cumulative_levels: bool = False
    """A higher level includes the indicators of the levels below it."""
    scale_note: str = ""
    """Where the 1-7 scale comes from when the framework sets none of its own."""
    source_note: str = ""
    """What the file holds beyond its source documents, and where that comes from (the scale
    and method pairings have their own notes)."""
    elements: Annotated[list[Element], Field(min_length=1)]
    levels: Annotated[list[Level], Field(min_length=1)]
    behaviours: list[FrameworkItem] = []
    methods: list[Method] = []
    guaranteed_interviews: list[InterviewScheme] = []
    scale: Annotated[list[ScalePoint], Field(min_length=7, max_length=7)]

    @model_validator(mode="after")
    def _check_references(self) -> Framework:
        problems: list[tuple[Location, str]] = []
        for table in ("elements", "behaviours", "methods", "guaranteed_interviews"):
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
                    problems.append((("behaviours", index, "indicators", key), f'{key!r} is not a level (use a level number or "all")'))
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

    @property
    def scheme_names(self) -> dict[str, str]:
        """Names of the guaranteed interview schemes, by id."""
        return {scheme.id: scheme.name for scheme in self.guaranteed_interviews}

    def item(self, item_id: str) -> FrameworkItem | None:
        """The behaviour (competency, value) with this id, if any."""
        return next((item for item in self.behaviours if item.id == item_id), None)

    def level(self, number: int) -> Level | None:
        """The level with this number, if any."""
        return next((level for level in self.levels if level.number == number), None)

    def indicators(self, item_id: str, level: int) -> list[str]:
        """What effective behaviour looks like for `item_id` at `level` (empty if none).

        In a framework with cumulative levels, the indicators of levels 1 to `level` in
        order, level 1 first.
        """
        item = self.item(item_id)
        if item is None:
            return []
        common = item.indicators.get("all", [])
        if not self.cumulative_levels:
            return item.indicators.get(str(level), common)
        result: list[str] = []
        common_shown = False
        for number in range(1, level + 1):
            own = item.indicators.get(str(number))
            if own is not None:
                result += own
            elif not common_shown:
                # Levels without their own list share the "all" list: shown once, not once per level.
                result += common
                common_shown = True
        return result

    def scale_point(self, score: int) -> ScalePoint:
        """The label and meaning of a score on the 1-7 scale."""
        return next(point for point in self.scale if point.score == score)
