"""What every screen of the open campaign shares: the app and the session, typed.

Screens and widgets reach the open campaign only through `session`: every change is one
typed call on it, and what they show (the summary, progress) is worked out once there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from textual.dom import DOMNode
from textual.screen import Screen

if TYPE_CHECKING:
    from assessor.app import AssessorApp
    from assessor.session import CampaignSession

ResultType = TypeVar("ResultType")


class _HasSession(Protocol):
    session: CampaignSession | None


def session_of(node: DOMNode) -> CampaignSession:
    """The open campaign's session, from any screen or widget of the app."""
    session = cast(_HasSession, node.app).session
    if session is None:
        raise RuntimeError("no campaign is open")  # a screen of the campaign is shown only once one is
    return session


class CampaignScreen(Screen[ResultType]):
    """A screen that shows the open campaign."""

    @property
    def app(self) -> AssessorApp:  # type: ignore[override]  # these screens only ever run in AssessorApp
        return cast("AssessorApp", super().app)

    @property
    def session(self) -> CampaignSession:
        """The open campaign: its state, its derived state, and every change to it."""
        return session_of(self)


class CampaignWidget:
    """For widgets that show the open campaign (the set-up tabs): the session, typed."""

    @property
    def session(self) -> CampaignSession:
        """The open campaign: its state, its derived state, and every change to it."""
        return session_of(cast(DOMNode, self))
