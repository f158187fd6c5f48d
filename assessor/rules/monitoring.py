"""Diversity monitoring, the counting: who reached each step of one or more campaigns, by group.

The steps are `applied`; then, for each stage that decides who goes on (a pre-sift, the sift), those
who went on from it as its recorded decision says (pass or guaranteed, a late invitation
included), never worked out again from the scores; then, once a campaign is sealed,
`appointable` (on its merit list: appointable or reserve), `offered` and `accepted` (its offers).
A step is known when every campaign has reached it: a stage step when every campaign holding the
stage has decided it, the last three when every campaign is sealed. A campaign without a stage
another has (a pre-sift) lets everyone through it, and the report says so.

Pure: the answers arrive as plain data (`storage.monitoring_data` reads them), keyed by the
candidates' references or ids; what is shown of the counts is decided in `suppression`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessor.core.campaign import Campaign
from assessor.core.monitoring import NOT_GIVEN, TOTAL, MonitoringQuestions
from assessor.rules.decided import goes_on, results_by_candidate
from assessor.rules.readiness import deciding_stages
from assessor.rules.scoring import summarise

APPLIED, APPOINTABLE, OFFERED, ACCEPTED = "applied", "appointable", "offered", "accepted"
FINAL_STEPS = (APPOINTABLE, OFFERED, ACCEPTED)
WENT_ON_UNDER = "went-on-under"
"""The schemes' own step: went on from a stage under the scheme (guaranteed), not on the scores."""


@dataclass(frozen=True)
class CampaignIn:
    """One campaign file the report covers."""

    label: str
    """The file as named on the command line."""
    campaign: Campaign
    schemes: Mapping[str, str]
    """The guaranteed interview schemes of its framework: names by id."""

    @property
    def sealed(self) -> bool:
        """Final and sealed: its merit list and offers are known."""
        return self.campaign.campaign.status == "final" and self.campaign.seal is not None


@dataclass(frozen=True)
class Step:
    """A step of the report, across every campaign it covers."""

    id: str
    name: str
    known: bool
    waiting: tuple[str, ...] = ()
    """The files that have not reached it yet (not decided, not sealed)."""
    held_by: tuple[str, ...] = ()
    """For a stage step: the files whose campaigns have the stage (the others let everyone through)."""
    heading: str = ""
    """The step in a table's heading: the stage's name for a stage step, else the name."""

    @property
    def short(self) -> str:
        """The heading of its column."""
        return self.heading or self.name


@dataclass(frozen=True)
class Counts:
    """How many reached each known step, by characteristic and group, and under each scheme."""

    steps: tuple[Step, ...]
    characteristics: tuple[str, ...]
    table: dict[str, dict[str, dict[str, int]]]
    """characteristic -> group (the questions' groups, then `not-given`, then `total`) -> known step -> count."""
    schemes: dict[str, dict[str, int]]
    """scheme id -> `applied`, `went-on-under` (once a stage is known), and the final steps known -> count."""
    scheme_names: dict[str, str]
    unmatched: tuple[int, ...]
    """Lines of the export whose row is for nobody in the campaigns."""

    @property
    def known(self) -> tuple[str, ...]:
        """The ids of the steps known, in order."""
        return tuple(step.id for step in self.steps if step.known)

    @property
    def applied(self) -> int:
        """How many applied, in every campaign together."""
        first = next(iter(self.table.values()), {})
        return first.get(TOTAL, {}).get(APPLIED, 0)


def stage_step_id(stage: str) -> str:
    """A stage's step id: the stage id, unless it is one of the report's own steps."""
    return f"stage-{stage}" if stage in (APPLIED, *FINAL_STEPS) else stage


def report_steps(campaigns: Sequence[CampaignIn]) -> tuple[Step, ...]:
    """Every step, in order: applied, each stage that decides who goes on in any campaign (merged in
    their order), then the final steps; each known or waiting for the files named."""
    order: list[str] = []
    names: dict[str, str] = {}
    for entry in campaigns:
        place = 0
        for stage in deciding_stages(entry.campaign):
            if stage not in order:
                order.insert(place, stage)
                names[stage] = next(found.name for found in entry.campaign.stages if found.id == stage)
            place = order.index(stage) + 1
    steps = [Step(APPLIED, "Applied", True)]
    for stage in order:
        holders = [entry for entry in campaigns if stage in deciding_stages(entry.campaign)]
        waiting = tuple(entry.label for entry in holders if entry.campaign.decision_at(stage) is None)
        held_by = tuple(entry.label for entry in holders)
        steps.append(Step(stage_step_id(stage), f"Went on from {names[stage]}", not waiting, waiting, held_by, names[stage]))
    unsealed = tuple(entry.label for entry in campaigns if not entry.sealed)
    words = {APPOINTABLE: "Appointable", OFFERED: "Offered", ACCEPTED: "Accepted"}
    steps += [Step(step, words[step], not unsealed, unsealed) for step in FINAL_STEPS]
    known = True  # a step after one not known is not known either
    for index, step in enumerate(steps):
        known = known and step.known
        if step.known != known:
            steps[index] = Step(step.id, step.name, False, step.waiting or steps[index - 1].waiting, step.held_by, step.heading)
    return tuple(steps)


@dataclass(frozen=True)
class Journey:
    """One candidate: the known steps they reached, and whether they went on under their scheme."""

    reached: frozenset[str]
    scheme: str | None
    under_scheme: bool


def journeys(entry: CampaignIn, steps: Sequence[Step]) -> dict[str, Journey]:
    """Each candidate of one campaign, by id: the known steps they reached, in order, each only
    after the one before (a campaign without a stage lets everyone through it)."""
    campaign = entry.campaign
    own = deciding_stages(campaign)
    went_on: dict[str, set[str]] = {}
    guaranteed: set[str] = set()
    for stage in own:
        decision = campaign.decision_at(stage)
        results = results_by_candidate(decision) if decision is not None else {}
        went_on[stage_step_id(stage)] = {candidate for candidate, result in results.items() if goes_on(result)}
        guaranteed |= {candidate for candidate, result in results.items() if result.outcome == "guaranteed"}
    if entry.sealed:
        merit = summarise(campaign, schemes=entry.schemes).candidates
        went_on[APPOINTABLE] = {line.id for line in merit if line.outcome in ("appointable", "reserve")}
        went_on[OFFERED] = {row.candidate for row in campaign.offers if row.result == "offered"}
        latest = {row.candidate: row.result for row in campaign.offers}
        went_on[ACCEPTED] = {candidate for candidate, result in latest.items() if result == "accepted"}
    found: dict[str, Journey] = {}
    for candidate in campaign.candidates:
        reached = {APPLIED}
        for step in steps[1:]:
            if not step.known:
                break
            passed = went_on.get(step.id)
            if passed is not None and candidate.id not in passed:
                break
            reached.add(step.id)  # a stage this campaign does not have lets everyone through
        found[candidate.id] = Journey(frozenset(reached), candidate.guaranteed_interview, candidate.id in guaranteed)
    return found


def count(
    campaigns: Sequence[CampaignIn],
    questions: MonitoringQuestions,
    characteristics: Sequence[str],
    answers: Mapping[str, Mapping[str, str | None]],
    key_column: str,
    lines: Mapping[str, int],
) -> Counts:
    """The counts of every campaign together: `answers` are the export's rows by reference (or id,
    as `key_column` says), each characteristic's group or None; `lines` their lines, by the same key."""
    steps = report_steps(campaigns)
    known = [step.id for step in steps if step.known]
    table = {
        characteristic: {group: dict.fromkeys(known, 0) for group in [*questions.characteristic(characteristic).group_names, NOT_GIVEN, TOTAL]}
        for characteristic in characteristics
    }
    scheme_names: dict[str, str] = {}
    for entry in campaigns:
        scheme_names.update({key: value for key, value in entry.schemes.items() if key not in scheme_names})
    stage_known = any(step.known and step.held_by for step in steps)
    scheme_steps = [APPLIED, *([WENT_ON_UNDER] if stage_known else []), *[step for step in known if step in FINAL_STEPS]]
    schemes = {scheme: dict.fromkeys(scheme_steps, 0) for scheme in scheme_names}
    matched: set[str] = set()
    for entry in campaigns:
        travelled = journeys(entry, steps)
        for candidate in entry.campaign.candidates:
            key = candidate.reference if key_column == "reference" else candidate.id
            row = answers.get(key) if key else None
            if row is not None:
                matched.add(key)
            journey = travelled[candidate.id]
            for characteristic in characteristics:
                group = (row or {}).get(characteristic) or NOT_GIVEN
                for step in journey.reached:
                    table[characteristic][group][step] += 1
                    table[characteristic][TOTAL][step] += 1
            if journey.scheme in schemes:
                tally = schemes[journey.scheme]
                for step in journey.reached & set(tally):
                    tally[step] += 1
                if journey.under_scheme and WENT_ON_UNDER in tally:
                    tally[WENT_ON_UNDER] += 1
    unmatched = tuple(sorted(line for key, line in lines.items() if key not in matched))
    return Counts(steps, tuple(characteristics), table, schemes, scheme_names, unmatched)
