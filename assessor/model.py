"""The campaign file as pydantic models, with its cross-references checked.

No I/O and no UI here: `store` reads and writes files, `scoring` computes the summary.
Validation that needs the framework (levels, behaviour ids, methods) runs when a
framework is passed in the validation context: `Campaign.model_validate(data,
context={"framework": fw})`.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from operator import attrgetter, indexOf
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

if TYPE_CHECKING:
    from assessor.framework import Framework

SCHEMA_VERSION = 1
"""The newest campaign file format this version reads and writes."""

STATUSES = ("setup", "sift", "interview", "moderation", "final")
PANEL_ROLES = ("chair", "member", "independent")
SCORE_MIN, SCORE_MAX = 1, 7


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _utc_seconds(value: datetime) -> datetime:
    # Second resolution in UTC keeps files diffable and makes load(save(c)) == c exact.
    if value.tzinfo is UTC and not value.microsecond:
        return value  # what every file this program wrote holds: nothing to convert
    try:
        return value.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is a year before year 1 in UTC
        raise ValueError("is outside the years 1 to 9999 once converted to UTC") from None


def _unix_newlines(value: str) -> str:
    if "\r" not in value:
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
ID_MAX_LENGTH = 80
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]
Name = Annotated[str, AfterValidator(_not_blank)]
Text = Annotated[str, AfterValidator(_unix_newlines)]
Timestamp = Annotated[AwareDatetime, AfterValidator(_utc_seconds)]
ScoreValue = Annotated[int, Field(ge=SCORE_MIN, le=SCORE_MAX)]


def now() -> datetime:
    """The current time as stored in campaign files (UTC, whole seconds)."""
    return _utc_seconds(datetime.now(UTC))


class Record(BaseModel):
    """Base for every table: unknown keys are refused and types are not guessed."""

    # Validators are built on first use, not at import: commands start sooner.
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, defer_build=True)


class Role(Record):
    """What the job is: shown to the panel and printed on the summary."""

    title: str = ""
    grade: str = ""
    department: str = ""
    summary: Text = ""
    responsibilities: list[str] = []


class CampaignInfo(Record):
    """The `[campaign]` table."""

    id: Id
    title: Name
    framework: Id = "success-profiles"
    level: Annotated[int, Field(ge=1)]
    status: Literal["setup", "sift", "interview", "moderation", "final"] = "setup"
    vacancies: Annotated[int, Field(ge=1)] = 1
    count_stages: list[Id] = []
    tie_break: list[Id] = []
    overall_pass_mark: Annotated[float, Field(ge=0)] = 0.0
    anonymise_sift: bool = False
    created: Timestamp
    retain_until: date | None = None
    role: Role = Field(default_factory=Role)


class Stage(Record):
    """A step of the campaign (sift, interview) and the selection methods it uses."""

    id: Id
    name: Name
    methods: list[Id] = []


class Criterion(Record):
    """One thing the panel scores: a behaviour from the framework, or experience, technical..."""

    id: Id
    element: Id
    name: Name
    description: Text = ""
    stages: Annotated[list[Id], Field(min_length=1)]
    pass_mark: ScoreValue = 4
    weight: Annotated[float, Field(gt=0)] = 1.0
    lead: bool = False


class PanelMember(Record):
    """Someone who scores; the chair also moderates and signs off."""

    id: Id
    name: Name
    role: Literal["chair", "member", "independent"] = "member"


class Candidate(Record):
    """An applicant. `reference` is what the panel sees in a name-blind sift."""

    id: Id
    name: Name
    reference: str = ""
    adjustments: Text = ""
    withdrawn: bool = False


class Score(Record):
    """One panel member's independent score for one candidate, criterion and stage."""

    candidate: Id
    criterion: Id
    stage: Id
    assessor: Id
    score: ScoreValue
    evidence: Text = ""
    at: Timestamp

    @property
    def item(self) -> tuple[str, str, str]:
        """The (candidate, criterion, stage) this score is about."""
        return (self.candidate, self.criterion, self.stage)

    @property
    def has_evidence(self) -> bool:
        """Some evidence is written: not empty, not only spaces (found without copying it)."""
        return bool(self.evidence) and not self.evidence.isspace()


class Moderation(Record):
    """The chair's agreed score for one item, with the reason. Independent scores stay."""

    candidate: Id
    criterion: Id
    stage: Id
    score: ScoreValue
    rationale: Name
    by: Id
    at: Timestamp

    @property
    def item(self) -> tuple[str, str, str]:
        """The (candidate, criterion, stage) this agreed score is about."""
        return (self.candidate, self.criterion, self.stage)


class AuditEntry(Record):
    """One change to the campaign: when, by whom, what."""

    at: Timestamp
    who: str
    what: Text


Digest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class Seal(Record):
    """Written by `finalise`: the SHA-256 of the campaign's canonical content.

    `tables` holds a digest per top-level key as well, so `verify` can say which part
    of a file changed after sealing; `note` says why a campaign was sealed again.
    """

    sha256: Digest
    by: Id
    at: Timestamp
    note: str | None = None
    tables: dict[str, Digest] | None = None


class ReferenceProblems(Exception):
    """Cross-references that do not hold, as (field location, message) pairs.

    Deliberately not a ValueError, so pydantic passes it through with its locations
    intact instead of folding it into one error at the top of the file.
    """

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


PanelScores = tuple
"""One item's scores: (assessor, score, evidence is blank) for each, one after another, in
the order of the campaign's score list."""


class ScoresByItem:
    """A campaign's scores grouped by item (candidate, criterion, stage), made once and kept.

    Every summary starts from each item's scores; at 5,000 candidates that is 90,000 rows
    to read, most of a summary's time. A campaign groups them once (a load does it at
    once) and keeps the grouping for as long as its score list is the same list. A
    recorded score carries the grouping over (`Campaign.with_score`); other changes give
    the campaign a new list, which it groups again when asked. Every change in assessor
    replaces lists rather than editing them; a row appended in place is noticed by the
    length, a row replaced in place would not be.
    """

    __slots__ = ("groups", "_scores", "_count", "_one_copy")

    def __init__(self, scores: list[Score]) -> None:
        groups: dict[tuple[str, str, str], PanelScores] = {}
        get = groups.get
        for row in map(vars, scores):  # the fields, without pydantic's attribute hook
            key = (row["candidate"], row["criterion"], row["stage"])
            evidence = row["evidence"]
            # Score.has_evidence written out: this loop runs 90,000 times at 5,000×6×3.
            groups[key] = get(key, ()) + (row["assessor"], row["score"], not evidence or evidence.isspace())
        # Items scored alike share one tuple: 30,000 items show a few hundred patterns.
        self._one_copy: dict[PanelScores, PanelScores] = {}
        for key, found in groups.items():
            groups[key] = self._one_copy.setdefault(found, found)
        self.groups = groups
        """(candidate, criterion, stage) -> its PanelScores."""
        self._scores = scores
        self._count = len(scores)

    def describes(self, scores: list[Score]) -> bool:
        """True while `scores` is the very list this was grouped from, not added to since."""
        return scores is self._scores and len(scores) == self._count

    def with_score(self, scores: list[Score], score: Score, replaced: bool) -> ScoresByItem:
        """The grouping of `scores`: this one's list with `score` added at the end, or put
        in place of its assessor's score on the item (`replaced`). A copy of the index, not
        a pass over every score: typing evidence changes a score at every key."""
        changed = object.__new__(ScoresByItem)
        changed.groups = groups = dict(self.groups)
        key = score.item
        rows = groups.get(key, ())
        row = (score.assessor, score.score, not score.has_evidence)
        if replaced:  # the assessor's last score on the item, as Campaign.score_index finds it
            at = len(rows) - 3 - rows[::-1][2::3].index(score.assessor) * 3
            rows = rows[:at] + row + rows[at + 3 :]
        else:
            rows = rows + row
        groups[key] = self._one_copy.setdefault(rows, rows)
        changed._one_copy = self._one_copy
        changed._scores = scores
        changed._count = len(scores)
        return changed

    def __eq__(self, other: object) -> bool:
        # Derived from the scores, which the campaign compares itself: a campaign that has
        # grouped its scores equals one that has not yet.
        return other is None or isinstance(other, ScoresByItem)

    __hash__ = None  # type: ignore[assignment]


class Campaign(Record):
    """A whole campaign file."""

    format_version: Annotated[int, Field(ge=1, le=SCHEMA_VERSION)] = Field(SCHEMA_VERSION, alias="schema")
    campaign: CampaignInfo
    stages: list[Stage] = []
    criteria: list[Criterion] = []
    panel: list[PanelMember] = []
    candidates: list[Candidate] = []
    scores: list[Score] = []
    moderation: list[Moderation] = []
    audit: list[AuditEntry] = []
    seal: Seal | None = None
    _grouped_scores: ScoresByItem | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Campaign:
        framework = (info.context or {}).get("framework")
        problems = reference_problems(self, framework)
        if problems:
            raise ReferenceProblems(problems)
        return self

    def scores_by_item(self) -> dict[tuple[str, str, str], PanelScores]:
        """Each scored item's PanelScores, grouped on first use and kept while the scores stay."""
        grouped = self._grouped_scores
        if grouped is None or not grouped.describes(self.scores):
            grouped = self._grouped_scores = ScoresByItem(self.scores)
        return grouped.groups

    def score_index(self, candidate: str, criterion: str, stage: str, assessor: str) -> int | None:
        """Where `assessor`'s score on the item is in `scores`, or None if they have not scored it."""
        if assessor not in self.scores_by_item().get((candidate, criterion, stage), ())[::3]:
            return None
        # Searched from the end without a Python call per row: the score being edited is
        # most often the newest.
        scores = self.scores
        return len(scores) - 1 - indexOf(map(_SCORE_KEY, reversed(scores)), (candidate, criterion, stage, assessor))

    def with_score(self, score: Score, index: int | None, **update: Any) -> Campaign:
        """A copy with `score` at `index` of the scores (None: added at the end) and the
        other fields in `update`; the grouping of the scores is carried over, not redone."""
        scores = list(self.scores)
        if index is None:
            scores.append(score)
        else:
            scores[index] = score
        changed = self.model_copy(update={**update, "scores": scores})
        grouped = self._grouped_scores
        if grouped is not None and grouped.describes(self.scores):
            changed._grouped_scores = grouped.with_score(scores, score, replaced=index is not None)
        else:
            changed._grouped_scores = None  # not a stale grouping, which would keep the old list alive
        return changed

    @property
    def counted_stages(self) -> list[str]:
        """Stages whose scores make the merit list: `count_stages`, else the last stage."""
        if self.campaign.count_stages:
            return list(self.campaign.count_stages)
        return [self.stages[-1].id] if self.stages else []

    @property
    def sift_stage(self) -> str | None:
        """The stage a name-blind campaign hides names at: `sift` if there is one, else the first."""
        ids = [stage.id for stage in self.stages]
        return "sift" if "sift" in ids else (ids[0] if ids else None)

    @property
    def lead_criterion(self) -> Criterion | None:
        """The criterion that breaks ties first, if one is marked."""
        return next((criterion for criterion in self.criteria if criterion.lead), None)

    def is_chair(self, member_id: str) -> bool:
        """True when `member_id` sits on the panel as its chair."""
        return any(member.id == member_id and member.role == "chair" for member in self.panel)

    def chairs(self) -> list[PanelMember]:
        """Panel members who may moderate and sign off."""
        return [member for member in self.panel if member.role == "chair"]


_SCORE_KEY = attrgetter("candidate", "criterion", "stage", "assessor")


class RowCompactor:
    """Makes the rows of a big table smaller in memory and quicker to read, once validated.

    Two things are shared. Pydantic keeps on each model the set of fields given to it
    (about 700 bytes): rows given every field share one such set, which then never changes
    (assigning a field adds a name it already holds; a copy gets its own set), so 90,000
    scores do not carry 60 MB of identical sets. And the ids a row names (candidate,
    criterion, stage, panel member) become one shared string per id instead of a copy per
    row, the same string the candidate or criterion itself holds: 20 MB less at 90,000
    scores, and a lookup by id then matches by identity without reading the text.
    """

    ID_FIELDS: ClassVar[dict[type[Record], tuple[str, ...]]] = {
        Score: ("candidate", "criterion", "stage", "assessor"),
        AuditEntry: ("who",),
    }

    def __init__(self, known_ids: dict[str, str] | None = None) -> None:
        self.ids: dict[str, str] = known_ids if known_ids is not None else {}
        self._field_sets: dict[type[Record], set[str]] = {}

    def compact(self, rows: list[Record]) -> None:
        """Share field sets and ids among `rows` (valid models of one table), in place."""
        if not rows:
            return
        model = type(rows[0])
        fields = self.ID_FIELDS.get(model, ())
        complete = len(model.model_fields)
        shared = self._field_sets.get(model)
        one_copy = self.ids.setdefault
        for row in rows:
            values = row.__dict__
            for field in fields:
                text = values[field]
                values[field] = one_copy(text, text)
            given = row.__pydantic_fields_set__
            if type(given) is set and len(given) == complete and given is not shared:
                if shared is None:
                    shared = self._field_sets[model] = given
                else:
                    object.__setattr__(row, "__pydantic_fields_set__", shared)


def reference_problems(campaign: Campaign, framework: Framework | None = None) -> list[tuple[tuple[str | int, ...], str]]:
    """Every cross-reference in `campaign` that does not hold, as (location, message)."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    info = campaign.campaign

    for table in ("stages", "criteria", "panel", "candidates"):
        rows = getattr(campaign, table)
        ids = [row.id for row in rows]
        if len(set(ids)) == len(ids):
            continue  # the usual case, checked without a loop in Python
        seen: set[str] = set()
        for index, row_id in enumerate(ids):
            if row_id in seen:
                problems.append(((table, index, "id"), f"duplicate id {row_id!r}"))
            seen.add(row_id)
    given = [c.reference for c in campaign.candidates if c.reference]
    if len(set(given)) != len(given):
        references = Counter(given)
        for index, candidate in enumerate(campaign.candidates):
            if candidate.reference and references[candidate.reference] > 1:
                problems.append((("candidates", index, "reference"), f"reference {candidate.reference!r} is used by more than one candidate"))

    stages = {stage.id for stage in campaign.stages}
    criteria = {criterion.id: criterion for criterion in campaign.criteria}
    panel = {member.id: member for member in campaign.panel}
    candidates = {candidate.id for candidate in campaign.candidates}

    for index, criterion in enumerate(campaign.criteria):
        for position, stage in enumerate(criterion.stages):
            if stage not in stages:
                problems.append((("criteria", index, "stages", position), f"unknown stage {stage!r}"))
    leads = [index for index, criterion in enumerate(campaign.criteria) if criterion.lead]
    for index in leads[1:]:
        problems.append((("criteria", index, "lead"), "only one criterion can be the lead criterion"))
    for position, stage in enumerate(info.count_stages):
        if stage not in stages:
            problems.append((("campaign", "count_stages", position), f"unknown stage {stage!r}"))
    for position, criterion_id in enumerate(info.tie_break):
        if criterion_id not in criteria:
            problems.append((("campaign", "tie_break", position), f"unknown criterion {criterion_id!r}"))

    def check_item(table: str, index: int, row: Score | Moderation) -> None:
        if row.candidate not in candidates:
            problems.append(((table, index, "candidate"), f"unknown candidate {row.candidate!r}"))
        if row.stage not in stages:
            problems.append(((table, index, "stage"), f"unknown stage {row.stage!r}"))
        criterion = criteria.get(row.criterion)
        if criterion is None:
            problems.append(((table, index, "criterion"), f"unknown criterion {row.criterion!r}"))
        elif row.stage in stages and row.stage not in criterion.stages:
            problems.append(((table, index, "stage"), f"criterion {row.criterion!r} is not assessed at stage {row.stage!r}"))

    # (criterion, stage) pairs a score may name. A big sift has tens of thousands of
    # scores: they are checked as sets first, and row by row only if something is wrong.
    assessed = {(criterion.id, stage) for criterion in campaign.criteria for stage in criterion.stages if stage in stages}
    keys = list(map(_SCORE_KEY, campaign.scores))
    named = tuple(zip(*keys)) or ((), (), (), ())  # candidates, criteria, stages, assessors
    if not (
        len(set(keys)) == len(keys)
        and candidates.issuperset(named[0])
        and assessed.issuperset(zip(named[1], named[2]))
        and panel.keys() >= set(named[3])
    ):
        seen_scores: set[tuple[str, str, str, str]] = set()
        for index, score in enumerate(campaign.scores):
            key = keys[index]
            check_item("scores", index, score)
            if score.assessor not in panel:
                problems.append((("scores", index, "assessor"), f"unknown panel member {score.assessor!r}"))
            if key in seen_scores:
                problems.append((("scores", index), f"{score.assessor} already scored {score.candidate} on {score.criterion} at {score.stage}"))
            seen_scores.add(key)

    seen_moderation: set[tuple[str, str, str]] = set()
    for index, agreed in enumerate(campaign.moderation):
        check_item("moderation", index, agreed)
        member = panel.get(agreed.by)
        if member is None:
            problems.append((("moderation", index, "by"), f"unknown panel member {agreed.by!r}"))
        elif member.role != "chair":
            problems.append((("moderation", index, "by"), f"{agreed.by!r} is not a chair; only a chair records agreed scores"))
        if agreed.item in seen_moderation:
            problems.append((("moderation", index), f"{agreed.candidate} on {agreed.criterion} at {agreed.stage} is moderated twice"))
        seen_moderation.add(agreed.item)

    if campaign.seal is not None and campaign.seal.by in panel and panel[campaign.seal.by].role != "chair":
        problems.append((("seal", "by"), f"{campaign.seal.by!r} is not a chair"))

    if framework is not None:
        problems.extend(framework_problems(campaign, framework))
    return problems


def framework_problems(campaign: Campaign, framework: Framework) -> list[tuple[tuple[str | int, ...], str]]:
    """Where the campaign names levels, elements, behaviours or methods its framework lacks."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    if campaign.campaign.level not in framework.level_numbers:
        low, high = min(framework.level_numbers), max(framework.level_numbers)
        problems.append((("campaign", "level"), f"level {campaign.campaign.level} is not in {framework.name} (levels {low} to {high})"))
    for index, stage in enumerate(campaign.stages):
        for position, method in enumerate(stage.methods):
            if method not in framework.method_ids:
                problems.append((("stages", index, "methods", position), f"unknown selection method {method!r}"))
    for index, criterion in enumerate(campaign.criteria):
        if criterion.element not in framework.element_ids:
            known = ", ".join(sorted(framework.element_ids))
            problems.append((("criteria", index, "element"), f"unknown element {criterion.element!r} (one of: {known})"))
        elif criterion.element in framework.item_elements and criterion.id not in framework.item_ids:
            problems.append((("criteria", index, "id"), f"{criterion.id!r} is not one of the {criterion.element} in {framework.name}"))
    return problems
