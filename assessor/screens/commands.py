"""Command palette provider: "Go to candidate …" over the open campaign's candidates."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from assessor.panel_view import default_stage, shown_name


class CandidateCommands(Provider):
    """Jump straight to scoring a candidate by typing part of their name, reference or id."""

    def _candidates(self):
        session = getattr(self.app, "session", None)
        if session is None:
            return []
        campaign = session.campaign
        stage = default_stage(campaign)
        if stage is None:
            return []
        return [(c.id, f"Go to candidate {c.id} {shown_name(campaign, c, stage)}", stage) for c in campaign.candidates if not c.withdrawn]

    async def discover(self) -> Hits:
        for candidate_id, label, stage in self._candidates()[:20]:
            yield DiscoveryHit(label, partial(self.app.go_to_candidate, candidate_id, stage), help="score this candidate")  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for candidate_id, label, stage in self._candidates():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.app.go_to_candidate, candidate_id, stage), help="score this candidate")  # type: ignore[attr-defined]
