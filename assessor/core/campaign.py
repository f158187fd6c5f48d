"""The campaign file as pydantic models, with its cross-references checked on validation.

No I/O here: `storage` reads and writes files, `rules` works out the summary. Checks that
need the framework (levels, behaviour ids, methods) run when a framework is passed in
the validation context: `Campaign.model_validate(data, context={"framework": fw})`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from assessor.core.checks import reference_problems
from assessor.core.decisions import Decision, Declaration
from assessor.core.errors import ReferenceProblems
from assessor.core.fields import SCORE_MAX as SCORE_MAX
from assessor.core.fields import SCORE_MIN as SCORE_MIN
from assessor.core.fields import Id, Name, Record, ScoreValue, Text, Timestamp

SCHEMA_VERSION = 1
"""The newest campaign file format this version reads and writes."""

STATUSES = ("setup", "sift", "interview", "moderation", "final")
PANEL_ROLES = ("chair", "member", "independent")
WEIGHT_MAX = 100
"""The largest weight of a criterion: a total stays a finite number however large the campaign."""

Item = tuple[str, str, str]
"""What a score is about: (candidate, criterion, stage)."""


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
    min_assessors: Annotated[int, Field(ge=1)] | None = None
    """The fewest panel members (everyone on it scores) with which it leaves set-up; absent: 2, not written (`rules.readiness`)."""
    count_stages: list[Id] = []
    tie_break: list[Id] = []
    overall_pass_mark: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    anonymise_sift: bool = False
    agreed_scores: Literal["consensus", "mean"] = "mean"
    """A counted item's agreed score: only the one the chair records at the wash-up ("consensus",
    new campaigns), or that where recorded, else the panel's mean ("mean", files without the key)."""
    chair_sees_scores: Literal["after-own", "always"] = "always"
    """When the chair sees another member's score on an item before moderation: once they
    have scored it themselves ("after-own", new campaigns), or at any time ("always")."""
    scoring_stage: Id | None = None
    """From the sift on, the stage being scored now where the status alone does not say it (a
    pre-sift before the sift): written by `advance`, absent otherwise (`rules.stages`)."""
    created: Timestamp
    feedback_scores: Literal["exact", "bands"] | None = None
    """What a candidate's letter shows of each agreed score: the number with the scale's label
    ("exact"; absent, not written), or the scale's label alone ("bands")."""
    reserve_until: date | None = None
    """The last day an offer may be made from the reserve list (finalise sets it)."""
    retain_until: date | None = None
    role: Role = Field(default_factory=Role)


class Stage(Record):
    """A step of the campaign (sift, interview) and the selection methods it uses."""

    id: Id
    name: Name
    methods: list[Id] = []
    shortlist: Annotated[int, Field(ge=0)] | None = None
    """At most this many candidates go on from this stage, in its merit order (absent or 0: no cut)."""
    shortlist_mark: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    """The stage total a candidate needs to go on (absent or 0: none)."""

    @property
    def has_cut(self) -> bool:
        """A shortlist cut is set: a number to take, or a total to reach."""
        return bool(self.shortlist) or bool(self.shortlist_mark)


class Criterion(Record):
    """One thing the panel scores: a behaviour from the framework, or experience, technical..."""

    id: Id
    element: Id
    name: Name
    description: Text = ""
    stages: Annotated[list[Id], Field(min_length=1)]
    pass_mark: ScoreValue = 4
    weight: Annotated[float, Field(gt=0, le=WEIGHT_MAX, allow_inf_nan=False)] = 1.0
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
    guaranteed_interview: Id | None = None
    """The guaranteed interview scheme the candidate applied under (a scheme of the framework's)."""
    withdrawn: bool = False
    language: Literal["en", "cy"] | None = None
    """The language of their letter: Welsh ("cy") or English ("en"); absent: English, not written."""


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
    def item(self) -> Item:
        """The (candidate, criterion, stage) this score is about."""
        return (self.candidate, self.criterion, self.stage)

    @property
    def has_evidence(self) -> bool:
        """Some evidence is written: not empty, not only spaces (found without copying it)."""
        return bool(self.evidence) and not self.evidence.isspace()


class Note(Record):
    """A panel member's overall note on one candidate at one stage (questions asked, general
    impressions), beside the evidence of each criterion; blind like a score."""

    candidate: Id
    stage: Id
    assessor: Id
    text: Text
    at: Timestamp


class Moderation(Record):
    """The chair's agreed score for one item, with the reason. Independent scores stay."""

    candidate: Id
    criterion: Id
    stage: Id
    score: ScoreValue
    rationale: Text = ""
    """Why: required where the agreed score differs from every panel member's score."""
    by: Id
    at: Timestamp

    @property
    def item(self) -> Item:
        """The (candidate, criterion, stage) this agreed score is about."""
        return (self.candidate, self.criterion, self.stage)


class Allocation(Record):
    """One allocated reading: `assessor` reads `candidate` at `stage` (`assessor allocate`)."""

    stage: Id
    candidate: Id
    assessor: Id
    second_marks: Id | None = None
    """For a second-marking reading, the sifter whose reading it checks; absent for a first reading."""


class Order(Record):
    """The chair's order of candidates tied across the appointable line, with the reason."""

    candidates: Annotated[list[Id], Field(min_length=2)]
    """Highest first."""
    rationale: Name
    by: Id
    at: Timestamp


class Feedback(Record):
    """The chair's feedback to one candidate, sent with their letter (`assessor feedback`)."""

    candidate: Id
    text: Text
    by: Id
    at: Timestamp


class AuditEntry(Record):
    """One change to the campaign: when, by whom, what."""

    at: Timestamp
    who: str
    what: Text


Digest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


SEAL_VERSION = 2
"""The newest rule a seal's digest is made by (`Seal.version`)."""


class Seal(Record):
    """Written by `finalise`: the SHA-256 of the campaign's canonical content.

    `tables` holds a digest per top-level key as well, so `verify` can say which part
    of a file changed after sealing; `note` says why a campaign was sealed again.
    """

    sha256: Digest
    version: Annotated[int, Field(ge=1, le=SEAL_VERSION)] | None = None
    """The rule of the digest: absent (or 1) in seals made before version 2, whose digest covers
    the content only; 2 covers every field of the seal but `sha256` too (`changes.seal`)."""
    by: Id
    at: Timestamp
    note: str | None = None
    tables: dict[str, Digest] | None = None


OfferResult = Literal["offered", "accepted", "declined", "withdrawn"]


class Offer(Record):
    """What happened to an offer, recorded after the seal; rows chained by their digests."""

    candidate: Id
    result: OfferResult
    note: Text = ""
    by: Id
    at: Timestamp
    sealed: Digest
    """The seal's digest: the sealed content this row follows."""
    previous: Digest | None = None
    """The digest of the row before (absent for the first)."""
    sha256: Digest
    """SHA-256 of this row's other fields (`changes.offers.offer_digest`)."""


class Campaign(Record):
    """A whole campaign file."""

    format_version: Annotated[int, Field(ge=1, le=SCHEMA_VERSION)] = Field(SCHEMA_VERSION, alias="schema")
    campaign: CampaignInfo
    stages: list[Stage] = []
    criteria: list[Criterion] = []
    panel: list[PanelMember] = []
    candidates: list[Candidate] = []
    scores: list[Score] = []
    notes: list[Note] = []
    allocation: list[Allocation] = []
    moderation: list[Moderation] = []
    order: list[Order] = []
    feedback: list[Feedback] = []
    decisions: list[Decision] = []
    """The result of each stage that decided who went on, recorded when the chair closed it."""
    declarations: list[Declaration] = []
    """Panel members' declared conflicts of interest with candidates, standing or taken back."""
    audit: list[AuditEntry] = []
    seal: Seal | None = None
    offers: list[Offer] = []
    """After the seal, outside what it covers: each row chained to the seal and the row before."""

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Campaign:
        framework = (info.context or {}).get("framework")
        problems = reference_problems(self, framework)
        if problems:
            raise ReferenceProblems(problems)
        return self

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
    def name_blind_stages(self) -> list[str]:
        """The stages a name-blind campaign hides names at: the sift stage and any before it (a pre-sift)."""
        ids = [stage.id for stage in self.stages]
        sift = self.sift_stage
        return ids[: ids.index(sift) + 1] if sift is not None else []

    @property
    def lead_criterion(self) -> Criterion | None:
        """The criterion that breaks ties first, if one is marked."""
        return next((criterion for criterion in self.criteria if criterion.lead), None)

    def decision_at(self, stage: str) -> Decision | None:
        """The recorded result of `stage`, once the chair has closed it."""
        return next((decision for decision in self.decisions if decision.stage == stage), None)

    def declared(self, member: str, candidate: str) -> Declaration | None:
        """`member`'s standing declaration of a conflict of interest with `candidate`, if any."""
        return next((row for row in self.declarations if row.stands and row.member == member and row.candidate == candidate), None)

    def is_chair(self, member_id: str) -> bool:
        """True when `member_id` sits on the panel as its chair."""
        return any(member.id == member_id and member.role == "chair" for member in self.panel)

    def chairs(self) -> list[PanelMember]:
        """Panel members who may moderate and sign off."""
        return [member for member in self.panel if member.role == "chair"]
