"""The summary rules transcribed plainly, one object per item: the oracle the fast `assessor.scoring` is compared with.

Kept as it was before `scoring.summarise` was restructured for speed; tests only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from statistics import fmean
from typing import Literal

from assessor.core.campaign import Campaign, Candidate, Criterion, Moderation, Score

# The rules' parameters and the plain result types are shared with the code under test;
# what this module checks is the arithmetic, written out one item at a time.
from assessor.rules.summary_types import (
    LENIENCY_CANDIDATES,
    LENIENCY_DIFFERENCE,
    PRECISION,
    SPREAD_FLAG,
    Column,
    MemberCalibration,
    Outcome,
    SecondMarking,
    Summary,
    format_score,
)


@dataclass(frozen=True)
class ItemResult:
    """The panel's view of one candidate on one criterion at one stage."""

    criterion: str
    stage: str
    scores: dict[str, int]
    """Independent scores by panel member id, in panel order."""
    agreed: float | None
    """Moderated score, else the mean of `scores`; None while nobody has scored."""
    moderated: bool
    spread: int | None
    rationale: str = ""
    without_evidence: tuple[str, ...] = ()
    """Panel members whose score has no evidence."""
    awaiting: tuple[str, ...] = ()
    """At an allocated stage, the allocated readers who have not scored the item (then no agreed score)."""
    unagreed: bool = False
    """A consensus campaign's counted item the panel scored and the chair has not agreed."""

    @property
    def missing(self) -> bool:
        """No score yet, and no agreed score."""
        return self.agreed is None

    @property
    def wide_spread(self) -> bool:
        """The panel's scores are far enough apart to need the chair."""
        return (self.spread or 0) >= SPREAD_FLAG

    @property
    def disagreement(self) -> bool:
        """A wide spread and no agreed score recorded."""
        return self.wide_spread and not self.moderated


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's line in the merit list."""

    id: str
    display_name: str
    """The name, or the reference in a name-blind sift summary."""
    reference: str
    items: tuple[ItemResult, ...]
    """In column order."""
    total: float
    outcome: Outcome
    rank: int | None
    failed: tuple[str, ...] = ()
    """Why a candidate failed, in words: criteria below their pass mark, the overall mark."""
    missing: tuple[str, ...] = ()
    """Counted items with no score yet, as `criterion@stage`."""
    flags: tuple[str, ...] = ()
    """Codes from FLAG_WORDS."""
    notes: tuple[str, ...] = ()
    """Words for the chair: how ties fell, which items are flagged."""
    unagreed: tuple[str, ...] = ()
    reason: str = ""
    adjustments: str = ""

    def item(self, criterion: str, stage: str) -> ItemResult | None:
        """This candidate's result on one criterion at one stage."""
        return next((item for item in self.items if item.criterion == criterion and item.stage == stage), None)


def agreed_score(scores: list[int], moderation: Moderation | None) -> float | None:
    """Rule 2: the moderated score where recorded, else the panel's mean."""
    if moderation is not None:
        return float(moderation.score)
    # Whole numbers: the sum is exact, so one division gives the same float as fmean.
    return sum(scores) / len(scores) if scores else None


def is_name_blind(campaign: Campaign, stages: tuple[str, ...]) -> bool:
    """A name-blind sift: its summary shows references unless names are asked for."""
    return campaign.campaign.anonymise_sift and stages == (campaign.sift_stage,)


ScoresByItem = dict[tuple[str, str, str], list[Score]]


def scores_by_item(campaign: Campaign) -> ScoresByItem:
    """Every score grouped by (candidate, criterion, stage), each group in panel order."""
    by_item: ScoresByItem = defaultdict(list)
    for score in campaign.scores:
        by_item[(score.candidate, score.criterion, score.stage)].append(score)
    panel_order = {member.id: index for index, member in enumerate(campaign.panel)}
    last = len(panel_order)

    def position(row: Score) -> int:
        return panel_order.get(row.assessor, last)

    for rows in by_item.values():
        if len(rows) > 1:
            rows.sort(key=position)
    return by_item


def summarise(campaign: Campaign, stage: str | None = None, *, show_names: bool | None = None, schemes: dict[str, str] | None = None) -> Summary:
    """The summary of the campaign's counted stages, or of one `stage`.

    `show_names=None` follows the campaign: names are hidden in a name-blind sift.
    """
    stages = (stage,) if stage is not None else tuple(campaign.counted_stages)
    counted = stage is None or stages == tuple(campaign.counted_stages)
    names_shown = show_names if show_names is not None else not is_name_blind(campaign, stages)
    columns = tuple(Column(criterion, stage_id) for stage_id in stages for criterion in campaign.criteria if stage_id in criterion.stages)

    # One pass over the scores serves every stage's arithmetic and the calibration.
    by_item = scores_by_item(campaign)
    moderated = {agreed.item: agreed for agreed in campaign.moderation}

    out_earlier = _stopped_earlier_stage(campaign, stages, by_item, moderated, schemes or {})
    results = []
    for candidate in campaign.candidates:
        result = _result_at(campaign, candidate, columns, by_item, moderated, names_shown, counted)
        if candidate.id in out_earlier and not candidate.withdrawn:
            outcome, words = out_earlier[candidate.id]
            flags = result.flags + (("scored-after-stopping",) if any(item.scores for item in result.items) else ())
            if outcome == "fail":
                result = replace(result, outcome="fail", failed=(words, *result.failed), flags=flags)
            else:
                result = replace(result, outcome="not-shortlisted", reason=words, flags=flags)
        results.append(result)

    ordered = _rank(campaign, columns, results, counted)
    if len(stages) == 1 and not counted:
        cut_stage = next(s for s in campaign.stages if s.id == stages[0])
        under_scheme = {c.id: c.guaranteed_interview for c in campaign.candidates if c.guaranteed_interview is not None}
        ordered = _apply_cut(cut_stage, ordered, under_scheme, schemes or {})
    return Summary(
        campaign_id=campaign.campaign.id,
        title=campaign.campaign.title,
        stages=stages,
        counted=counted,
        columns=columns,
        candidates=tuple(ordered),
        calibration=_calibrate(campaign, stages, by_item),
        vacancies=campaign.campaign.vacancies,
        names_shown=names_shown,
        second_marking=_second_marking(campaign, stages),
    )


def _second_marking(campaign: Campaign, stages: tuple[str, ...]) -> tuple[SecondMarking, ...]:
    """Per sifter whose candidates were second-marked at each stage: their score and the second
    marker's on every criterion both scored, compared."""
    given = {(row.candidate, row.criterion, row.stage, row.assessor): row.score for row in campaign.scores}
    out = []
    for stage in stages:
        checks = [row for row in campaign.allocation if row.stage == stage and row.second_marks]
        differences: dict[str, list[int]] = {}
        for row in checks:
            found = differences.setdefault(row.second_marks, [])
            for criterion in campaign.criteria:
                own = given.get((row.candidate, criterion.id, stage, row.second_marks))
                other = given.get((row.candidate, criterion.id, stage, row.assessor))
                if stage in criterion.stages and own is not None and other is not None:
                    found.append(abs(own - other))
        for member in campaign.panel:
            if member.id in differences:
                found = differences[member.id]
                mean = sum(found) / len(found) if found else None
                out.append(SecondMarking(stage, member.id, member.name, len(found), found.count(0), mean, sum(1 for d in found if d >= 2)))
    return tuple(out)


def _readers(campaign: Campaign, candidate: str, stage: str, *, second: bool = False) -> set[str]:
    """The first readers allocated to `candidate` at `stage` (empty: not allocated), or with
    `second` their second markers."""
    rows = campaign.allocation
    return {row.assessor for row in rows if row.stage == stage and row.candidate == candidate and (row.second_marks is not None) == second}


def _result_at(campaign, candidate, columns, by_item, moderated, names_shown, counted) -> CandidateResult:
    """One candidate's items at these columns, judged (rules 2, 4, 5, 8). At an allocated stage an
    item has no agreed score until every reader allocated to it has scored it (or the chair agrees one)."""
    no_rows: list[Score] = []
    items = []
    for column in columns:
        key = (candidate.id, column.criterion.id, column.stage)
        rows = by_item.get(key, no_rows)
        values = [row.score for row in rows]
        agreed = moderated.get(key)
        first = _readers(campaign, candidate.id, column.stage)
        waiting = tuple(sorted(first - {row.assessor for row in rows})) if agreed is None else ()
        # A second marker's score is a check: once they have scored, the first readers' scores alone make the item's.
        checked = first and any(row.assessor in _readers(campaign, candidate.id, column.stage, second=True) for row in rows)
        counted_values = [row.score for row in rows if row.assessor in first] if checked else values
        # A consensus campaign's counted items take the chair's agreed score and nothing else.
        consensus = campaign.campaign.agreed_scores == "consensus" and column.stage in campaign.counted_stages
        items.append(
            ItemResult(
                criterion=column.criterion.id,
                stage=column.stage,
                scores={row.assessor: row.score for row in rows},
                agreed=agreed_score(counted_values, agreed) if not waiting and (agreed is not None or not consensus) else None,
                moderated=agreed is not None,
                spread=max(values) - min(values) if values else None,
                rationale=agreed.rationale if agreed else "",
                # isspace() stops at the first letter; strip() would copy the whole text.
                without_evidence=tuple([row.assessor for row in rows if not row.evidence or row.evidence.isspace()]),
                awaiting=waiting,
                unagreed=consensus and agreed is None and not waiting and bool(rows),
            )
        )
    return _judge(campaign, candidate, columns, tuple(items), names_shown, counted)


def _apply_cut(stage, ordered: list[CandidateResult], under_scheme: dict[str, str], schemes: dict[str, str]) -> list[CandidateResult]:
    """Rule 4's shortlist cut over a stage's ranked results: pass, guaranteed or not-shortlisted.
    `under_scheme` holds each candidate's guaranteed interview scheme, where they have one."""
    places = stage.shortlist or 0
    mark = stage.shortlist_mark or 0
    if not places and not mark:
        return ordered

    def below_mark(result: CandidateResult) -> bool:
        return bool(mark) and round(result.total, PRECISION) < mark

    inside = [r for r in ordered if r.rank is not None and (not places or r.rank <= places) and not below_mark(r)]
    inside_ids = {r.id for r in inside}
    last_total = inside[-1].total if inside else None
    out = []
    for result in ordered:
        if result.rank is None:
            out.append(result)
            continue
        if result.id in inside_ids:
            same = [r.id for r in inside if r.rank == result.rank]
            if places and result.rank + len(same) - 1 > places:
                others = ", ".join(other for other in same if other != result.id)
                words = f"tied at the shortlist of {places} with {others}: all of them go on"
                result = replace(result, reason=words, flags=result.flags + ("tie-at-cut",))
            out.append(result)
            continue
        if below_mark(result) and (not places or result.rank <= places):
            below = f"below the shortlist mark of {format_score(mark)}: total {format_score(result.total)}"
        else:
            against = f" against {format_score(last_total)}" if last_total is not None else ""
            also = f" and the shortlist mark of {format_score(mark)}" if below_mark(result) else ""
            below = f"below the shortlist of {places}{also}: rank {result.rank}, total {format_score(result.total)}{against}"
        scheme = under_scheme.get(result.id)
        if scheme is not None:
            out.append(
                replace(result, outcome="guaranteed", reason=f"guaranteed interview ({schemes.get(scheme, scheme)}): meets every minimum; {below}")
            )
        else:
            out.append(replace(result, outcome="not-shortlisted", reason=below))
    return out


def _stopped_earlier_stage(
    campaign: Campaign, stages: tuple[str, ...], by_item: ScoresByItem, moderated: dict[tuple[str, str, str], Moderation], schemes: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Candidates who did not go on from a stage before these ones: failed it, or below its cut.

    Each stage is judged among the candidates still in the running there, and the first stage
    a candidate stopped at is where they stopped, whatever the later stages say.
    """
    order = [stage.id for stage in campaign.stages]
    first = min(order.index(stage) for stage in stages) if stages else 0
    under_scheme = {c.id: c.guaranteed_interview for c in campaign.candidates if c.guaranteed_interview is not None}
    out: dict[str, tuple[str, str]] = {}
    for earlier in campaign.stages[:first]:
        columns = tuple(Column(criterion, earlier.id) for criterion in campaign.criteria if earlier.id in criterion.stages)
        # The overall pass mark is for the merit list's total, not for one earlier stage's.
        counted_alone = (earlier.id,) == tuple(campaign.counted_stages)
        in_running = [c for c in campaign.candidates if not c.withdrawn and c.id not in out]
        results = [_result_at(campaign, c, columns, by_item, moderated, True, counted_alone) for c in in_running]
        ranked = _apply_cut(earlier, _rank(campaign, columns, results, False), under_scheme, schemes)
        for result in ranked:
            if result.outcome == "fail":
                out[result.id] = ("fail", f"did not pass the {earlier.name} stage")
            elif result.outcome == "not-shortlisted":
                out[result.id] = ("not-shortlisted", f"not shortlisted at the {earlier.name} stage: {result.reason}")
    return out


def _shortfalls(columns: tuple[Column, ...], agreed: list[float | None], overall: float) -> tuple[float, list[str]]:
    """Rules 4 and 5: the total, and why the agreed scores fall short (empty: they do not)."""
    total = sum(column.criterion.weight * value for column, value in zip(columns, agreed, strict=True) if value is not None)
    failed = [
        f"{column.criterion.name} {format_score(value)} < {column.criterion.pass_mark}"
        for column, value in zip(columns, agreed, strict=True)
        if value is not None and round(value, PRECISION) < column.criterion.pass_mark
    ]
    if overall and None not in agreed and round(total, PRECISION) < overall:
        failed.append(f"total {format_score(total)} < overall pass mark {format_score(overall)}")
    return total, failed


def _outcome(candidate: Candidate, missing: bool, failed: list[str]) -> Outcome:
    """Rule 4: withdrawn, incomplete, fail or pass (made appointable or reserve by _rank)."""
    if candidate.withdrawn:
        return "withdrawn"
    if missing:
        return "incomplete"
    if failed:
        return "fail"
    return "pass"


def _judge(campaign, candidate, columns, items, names_shown, counted) -> CandidateResult:
    """Rules 4 and 5 for one candidate: total, pass or fail or incomplete, flags."""
    # The overall pass mark is for the merit list's total, not for one earlier stage's.
    overall = campaign.campaign.overall_pass_mark if counted else 0
    total, failed = _shortfalls(columns, [item.agreed for item in items], overall)
    missing = tuple(f"{item.criterion}@{item.stage}" for item in items if item.agreed is None)
    unagreed = tuple(f"{item.criterion}@{item.stage}" for item in items if item.unagreed)
    outcome = _outcome(candidate, bool(missing), failed)

    flags = []
    notes = []
    # An item still waiting for an allocated reader is flagged once it is complete.
    spread = [item for item in items if item.spread is not None and item.spread >= SPREAD_FLAG and item.agreed is not None]
    if spread:
        flags.append("spread")
    if any(item.without_evidence and item.agreed is not None for item in items):
        flags.append("no-evidence")
        for item in items:
            if item.without_evidence and item.agreed is not None:
                notes.append(f"no evidence from {', '.join(item.without_evidence)} on {item.criterion}@{item.stage}")
    if any(not item.moderated for item in spread):
        flags.append("unmoderated-disagreement")
    for item in spread:
        state = f"agreed {format_score(item.agreed)}" if item.moderated else "not moderated"
        notes.append(f"spread {item.spread} on {item.criterion}@{item.stage} ({state})")
    return CandidateResult(
        id=candidate.id,
        display_name=candidate.name if names_shown else (candidate.reference or candidate.id),
        reference=candidate.reference,
        items=items,
        total=total,
        outcome=outcome,
        rank=None,
        failed=tuple(failed),
        missing=missing,
        flags=tuple(flags),
        notes=tuple(notes),
        unagreed=unagreed,
        adjustments=candidate.adjustments,
    )


def _tie_criteria(campaign: Campaign) -> list[Criterion]:
    """The lead criterion, then the tie-break criteria in the campaign's order."""
    order: list[Criterion] = []
    lead = campaign.lead_criterion
    if lead is not None:
        order.append(lead)
    by_id = {criterion.id: criterion for criterion in campaign.criteria}
    for criterion_id in campaign.campaign.tie_break:
        criterion = by_id[criterion_id]
        if criterion not in order:
            order.append(criterion)
    return order


def _criterion_score(result: CandidateResult, criterion: Criterion) -> float:
    """A candidate's agreed score on one criterion, summed over the counted stages."""
    return round(sum(item.agreed or 0.0 for item in result.items if item.criterion == criterion.id), PRECISION)


def _rank(campaign: Campaign, columns, results: list[CandidateResult], counted: bool) -> list[CandidateResult]:
    """Rules 6 and 7: order, ranks shared by true ties, appointable and reserve."""
    tie_criteria = [criterion for criterion in _tie_criteria(campaign) if any(c.criterion.id == criterion.id for c in columns)]

    keys: dict[int, tuple[float, ...]] = {}  # each key once: thousands of candidates pass a big sift

    def order_key(result: CandidateResult) -> tuple[float, ...]:
        key = keys.get(id(result))
        if key is None:
            key = keys[id(result)] = (round(result.total, PRECISION), *(_criterion_score(result, criterion) for criterion in tie_criteria))
        return key

    passed = sorted((r for r in results if r.outcome == "pass"), key=lambda r: (tuple(-v for v in order_key(r)), r.id))
    notes: dict[str, list[str]] = defaultdict(list)
    tied: set[str] = set()
    ranks: dict[str, int] = {}
    for position, result in enumerate(passed):
        previous = passed[position - 1] if position else None
        if previous is not None and order_key(previous) == order_key(result):
            ranks[result.id] = ranks[previous.id]
            tied.update({previous.id, result.id})
        else:
            ranks[result.id] = position + 1
        if previous is not None and round(previous.total, PRECISION) == round(result.total, PRECISION):
            reason = _tie_reason(previous, result, tie_criteria)
            if reason:
                above, below = reason
                notes[previous.id].append(f"ranked above {result.id} on {above}")
                notes[result.id].append(f"ranked below {previous.id} on {below}")
            else:
                notes[result.id].append(f"tied with {previous.id} after every tie-break criterion")

    vacancies = campaign.campaign.vacancies
    open_at_line: dict[str, list[str]] = {}
    if counted:  # a shared rank across the vacancies line: the chair's order, or an open tie
        for rank in sorted(set(ranks.values())):
            group = [r for r in passed if ranks[r.id] == rank]
            if len(group) < 2 or not (rank <= vacancies < rank + len(group) - 1):
                continue
            ids = [r.id for r in group]
            chosen = [row for row in campaign.order if set(row.candidates) == set(ids)]
            if not chosen:
                for this in ids:
                    open_at_line[this] = [other for other in ids if other != this]
                continue
            placed = chosen[-1]
            at = passed.index(group[0])
            passed[at : at + len(group)] = [next(r for r in group if r.id == this) for this in placed.candidates]
            for position, this in enumerate(placed.candidates):
                ranks[this] = rank + position
                tied.discard(this)
                if position > 0:
                    notes[this].append(f"placed below {placed.candidates[position - 1]} by the chair: {placed.rationale}")
                if position < len(placed.candidates) - 1:
                    notes[this].append(f"placed above {placed.candidates[position + 1]} by the chair: {placed.rationale}")
    ordered = []
    for result in passed:
        rank = ranks[result.id]
        outcome: Outcome = "pass" if not counted else ("appointable" if rank <= vacancies else "reserve")
        flags = result.flags + (("unresolved-tie",) if result.id in tied else ())
        extra: tuple[str, ...] = ()
        if result.id in open_at_line:
            outcome, flags = "reserve", flags + ("tie-at-line",)
            others = ", ".join(open_at_line[result.id])
            extra = (f"tied across the appointable line with {others}: the chair records their order",)
        ordered.append(replace(result, rank=rank, outcome=outcome, flags=flags, notes=tuple(notes[result.id]) + result.notes + extra))
    rest_order: dict[str, int] = {"incomplete": 0, "not-shortlisted": 1, "fail": 2, "withdrawn": 3}
    rest = sorted((r for r in results if r.outcome != "pass"), key=lambda r: (rest_order[r.outcome], -round(r.total, PRECISION), r.id))
    return ordered + rest


def _tie_reason(above: CandidateResult, below: CandidateResult, tie_criteria: list[Criterion]) -> tuple[str, str] | None:
    """Words for the first criterion that separated two candidates with equal totals."""
    for criterion in tie_criteria:
        high, low = _criterion_score(above, criterion), _criterion_score(below, criterion)
        if high != low:
            return (
                f"{criterion.name}, {format_score(high)} v {format_score(low)}",
                f"{criterion.name}, {format_score(low)} v {format_score(high)}",
            )
    return None


def calibrate(campaign: Campaign, stages: tuple[str, ...]) -> tuple[MemberCalibration, ...]:
    """Rule 8's third flag: each member's scores against the panel's mean on the same items."""
    return _calibrate(campaign, stages, scores_by_item(campaign))


def _calibrate(campaign: Campaign, stages: tuple[str, ...], by_item: ScoresByItem) -> tuple[MemberCalibration, ...]:
    differences: dict[str, list[float]] = defaultdict(list)
    per_candidate: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    outliers: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for (candidate, _, stage), rows in by_item.items():
        if stage not in stages:
            continue
        scores = {row.assessor: row.score for row in rows}
        for assessor in scores:
            counts[assessor] += 1
        if len(scores) < 2:
            continue
        # Whole numbers: an exact sum and one division, the same float as fmean.
        mean = sum(scores.values()) / len(scores)
        distance = {assessor: value - mean for assessor, value in scores.items()}
        for assessor, difference in distance.items():
            differences[assessor].append(difference)
            per_candidate[assessor][candidate].append(difference)
        if len(scores) >= 3:
            furthest = max(map(abs, distance.values()))
            if furthest >= 1:
                alone = [assessor for assessor, value in distance.items() if abs(value) == furthest]
                if len(alone) == 1:
                    outliers[alone[0]] += 1

    calibration = []
    for member in campaign.panel:
        mean_difference = fmean(differences[member.id]) if differences[member.id] else None
        by_candidate = [fmean(values) for values in per_candidate[member.id].values()]
        tendency: Literal["lenient", "severe"] | None = None
        if mean_difference is not None and len(by_candidate) >= LENIENCY_CANDIDATES:
            high = sum(1 for value in by_candidate if value >= LENIENCY_DIFFERENCE)
            low = sum(1 for value in by_candidate if value <= -LENIENCY_DIFFERENCE)
            if high >= LENIENCY_CANDIDATES and mean_difference >= LENIENCY_DIFFERENCE:
                tendency = "lenient"
            elif low >= LENIENCY_CANDIDATES and mean_difference <= -LENIENCY_DIFFERENCE:
                tendency = "severe"
        calibration.append(
            MemberCalibration(
                id=member.id,
                name=member.name,
                role=member.role,
                scores=counts[member.id],
                compared=len(differences[member.id]),
                mean_difference=mean_difference,
                outlier=outliers[member.id],
                candidates=len(by_candidate),
                tendency=tendency,
            )
        )
    return tuple(calibration)
