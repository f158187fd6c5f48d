"""The user's own preferences (the theme), kept in their config folder, never in a campaign.

`ASSESSOR_CONFIG_DIR` points elsewhere (tests, a shared machine's profile).
"""

from __future__ import annotations

import os
from pathlib import Path

import tomli

from assessor.core.errors import CampaignError
from assessor.storage.atomic import write_atomic
from assessor.storage.toml_write import toml_text

CONFIG_ENV = "ASSESSOR_CONFIG_DIR"


def config_dir() -> Path:
    """The user's own assessor folder (platformdirs' user config folder, or `ASSESSOR_CONFIG_DIR`)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("assessor"))


def settings_path() -> Path:
    """Where the settings file lives, in the user's config folder."""
    return config_dir() / "settings.toml"


def load_settings() -> dict[str, object]:
    """The saved settings, or none if the file is missing or unreadable (never an error)."""
    try:
        return tomli.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return {}


def saved_theme() -> str | None:
    """The theme the user last chose, if any."""
    theme = load_settings().get("theme")
    return theme if isinstance(theme, str) else None


def save_theme(theme: str) -> str | None:
    """Remember the theme; returns a problem in words if it could not be written."""
    path = settings_path()
    settings = {**load_settings(), "theme": theme}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, toml_text(settings).encode("utf-8"))
    except (OSError, CampaignError) as exc:
        return str(exc)
    return None
