"""Who is running the program, for the audit trail and for locks."""

from __future__ import annotations

import getpass


def current_user() -> str:
    """The system's user name, or "unknown" where the system cannot say."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
