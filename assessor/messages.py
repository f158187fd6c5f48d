"""Messages screens and widgets post to each other: small and typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message


@dataclass
class CampaignChosen(Message):
    """A campaign file was picked to open."""

    path: Path


@dataclass
class NewCampaignRequested(Message):
    """The user asked to create a new campaign."""


@dataclass
class CampaignChanged(Message):
    """The open campaign changed: screens showing it refresh."""
