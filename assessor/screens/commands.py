"""Command palette provider: "Go to candidate …" over the open campaign's candidates."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from assessor.rules.visibility import default_stage, shown_name

if TYPE_CHECKING:
    from assessor.app import AssessorApp


class CandidateCommands(Provider):
    """Jump straight to scoring a candidate by typing part of their name, reference or id."""

    @property
    def _app(self) -> AssessorApp:
        return cast("AssessorApp", self.app)

    def _candidates(self) -> list[tuple[str, str, str]]:
        session = self._app.session
        if session is None:
            return []
        campaign = session.campaign
        stage = default_stage(campaign)
        if stage is None:
            return []
        # The palette reads labels as markup: a name is what its candidate typed, brackets and all.
        return [(c.id, f"Go to candidate {c.id} {escape(shown_name(campaign, c, stage))}", stage) for c in campaign.candidates if not c.withdrawn]

    async def discover(self) -> Hits:
        for candidate_id, label, stage in self._candidates()[:20]:
            yield DiscoveryHit(label, partial(self._app.go_to_candidate, candidate_id, stage), help="score this candidate")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for candidate_id, label, stage in self._candidates():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._app.go_to_candidate, candidate_id, stage), help="score this candidate")
