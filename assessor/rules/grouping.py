"""A campaign's scores grouped by item, and what each distinct pattern of scores says.

Every summary starts from each item's scores: at 5,000 candidates that is 90,000 rows to
read, most of a summary's time. So the scores are grouped once, and the panel of each
distinct pattern of scores (who gave what, with or without evidence) is worked out
once: 30,000 items show a few hundred patterns. The grouping is derived state: it holds
while the campaign's list of scores and panel are the ones it was made from
(`describes`), and its holder makes a new one, or carries it over a recorded score
(`with_score`), when they change.
"""

from __future__ import annotations

from typing import NamedTuple

from assessor.core.campaign import Campaign, Item, Score
from assessor.rules.agreed import panel_mean
from assessor.rules.summary_types import SPREAD_FLAG, FrozenScores


class PanelScore(NamedTuple):
    """One member's score on an item, as the summary reads it."""

    assessor: str
    score: int
    blank: bool
    """No evidence written."""


Pattern = tuple[PanelScore, ...]
"""An item's scores in the order of the campaign's list of scores."""


class Panel:
    """What one pattern of independent scores says: the scores in panel order, mean, spread,
    who wrote no evidence, and how each member sits against the others (calibration)."""

    __slots__ = ("pattern", "scores", "mean", "spread", "wide", "without_evidence", "assessors", "differences", "outlier", "compared")

    def __init__(self, pattern: Pattern, panel_order: dict[str, int]) -> None:
        last = len(panel_order)
        rows = sorted(pattern, key=lambda row: panel_order.get(row.assessor, last))  # stable: file order among equals
        values = [row.score for row in rows]
        self.pattern = pattern
        self.scores = FrozenScores({row.assessor: row.score for row in rows})
        """Independent scores by member id, in panel order."""
        self.mean = panel_mean(values)
        self.spread: int | None = max(values) - min(values) if values else None
        self.wide = self.spread is not None and self.spread >= SPREAD_FLAG
        self.without_evidence = tuple(row.assessor for row in rows if row.blank)
        # Calibration: each member against the mean of the members who scored the item.
        self.assessors = tuple(self.scores)
        self.differences: tuple[float, ...] = ()
        self.outlier: str | None = None
        if len(self.scores) >= 2:
            mean = sum(self.scores.values()) / len(self.scores)  # of the members, one score each
            self.differences = tuple(value - mean for value in self.scores.values())
            furthest = max(abs(difference) for difference in self.differences)
            alone = [who for who, difference in zip(self.assessors, self.differences, strict=True) if abs(difference) == furthest]
            if len(self.scores) >= 3 and furthest >= 1 and len(alone) == 1:
                self.outlier = alone[0]
        self.compared = self.assessors if self.differences else ()
        """Members who could be compared with someone else on this item."""


NOBODY = Panel((), {})
"""The panel of an item nobody has scored."""


def panel_score(score: Score) -> PanelScore:
    """A score as its item's pattern holds it."""
    return PanelScore(score.assessor, score.score, not score.has_evidence)


class ScoresByItem:
    """Each scored item's Panel, grouped from one list of scores for one panel order."""

    def __init__(self, campaign: Campaign) -> None:
        patterns: dict[Item, Pattern] = {}
        for score in campaign.scores:
            item = (score.candidate, score.criterion, score.stage)
            patterns[item] = patterns.get(item, ()) + (panel_score(score),)
        self._order = {member.id: index for index, member in enumerate(campaign.panel)}
        self._known: dict[Pattern, Panel] = {}
        self.panels: dict[Item, Panel] = {item: self._panel(pattern) for item, pattern in patterns.items()}
        """(candidate, criterion, stage) -> what the panel's scores on that item say."""
        self._scores = campaign.scores
        self._count = len(campaign.scores)

    def _panel(self, pattern: Pattern) -> Panel:
        found = self._known.get(pattern)
        if found is None:
            found = self._known[pattern] = Panel(pattern, self._order)
        return found

    def describes(self, campaign: Campaign) -> bool:
        """True while `campaign` holds the very list of scores this was grouped from, not
        added to since, and the same panel in the same order."""
        if campaign.scores is not self._scores or len(campaign.scores) != self._count:
            return False
        return len(campaign.panel) == len(self._order) and all(self._order.get(m.id) == i for i, m in enumerate(campaign.panel))

    def with_score(self, campaign: Campaign, score: Score, replaced: bool) -> ScoresByItem:
        """The grouping of `campaign`, whose scores are this grouping's with `score` added at the
        end, or put in place of its assessor's score on the item (`replaced`). A copy of the
        index, not a pass over every score: typing evidence changes a score at every key."""
        item = score.item
        rows: list[PanelScore] = list(self.panels.get(item, NOBODY).pattern)
        if replaced:
            mine = max(index for index, row in enumerate(rows) if row.assessor == score.assessor)
            rows[mine] = panel_score(score)
        else:
            rows.append(panel_score(score))
        changed = object.__new__(ScoresByItem)
        changed._order = self._order
        changed._known = self._known
        changed.panels = {**self.panels, item: self._panel(tuple(rows))}
        changed._scores = campaign.scores
        changed._count = len(campaign.scores)
        return changed


def grouped_scores(campaign: Campaign, known: ScoresByItem | None = None) -> ScoresByItem:
    """`known` while it still describes `campaign`, else the campaign's scores grouped anew."""
    return known if known is not None and known.describes(campaign) else ScoresByItem(campaign)
