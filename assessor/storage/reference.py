"""Reading the reference folder: framework files and role templates (`reference/`).

`ASSESSOR_REFERENCE` points at another folder (tests, a department's own frameworks).
A broken reference file is reported like a broken campaign: file, line, field.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assessor.core.errors import CampaignError
from assessor.core.framework import Framework
from assessor.core.letter_wording import LANGUAGES, LetterWording
from assessor.core.monitoring import MonitoringQuestions
from assessor.core.template import RoleTemplate
from assessor.storage.toml_read import read_toml, validate_data

REFERENCE_ENV = "ASSESSOR_REFERENCE"
"""Environment variable naming another reference folder (tests, a department's own)."""

BUNDLED_REFERENCE = Path(__file__).resolve().parent.parent.parent / "reference"
"""The reference folder that comes with the program."""


def reference_dir() -> Path:
    """The folder holding framework files and `roles/` templates."""
    override = os.environ.get(REFERENCE_ENV)
    if override:
        return Path(override)
    return BUNDLED_REFERENCE


@cache
def _load_framework_cached(path: Path) -> Framework:
    text, data = read_toml(path)
    return validate_data(str(path), text, data, Framework)


def framework_path(framework_id: str) -> Path:
    """Where the framework with this id lives."""
    return reference_dir() / f"{framework_id}.toml"


MONITORING = "monitoring"
"""The stem of the monitoring questions' file beside the frameworks (`monitoring.toml`), not a framework."""


def available_frameworks() -> list[str]:
    """Ids of the framework files in the reference folder."""
    return sorted(path.stem for path in reference_dir().glob("*.toml") if path.stem != MONITORING)


def load_framework(framework_id: str) -> Framework:
    """Load and validate a framework by id; raise `CampaignError` if missing or broken."""
    path = framework_path(framework_id)
    # Only a plain name in the reference folder: "../x" must not reach another folder's
    # files, and a name too long for the file system is simply unknown.
    if framework_id not in available_frameworks():
        known = ", ".join(available_frameworks()) or "none"
        shown = framework_id if len(framework_id) <= 60 else framework_id[:57] + "..."
        where = framework_path("".join(c if c.isalnum() or c in "-_." else "_" for c in shown))  # never another folder
        raise CampaignError.single(where, f"unknown framework {shown!r} (known: {known})")
    framework = _load_framework_cached(path)
    if framework.id != framework_id:
        raise CampaignError.single(path, f"file declares id {framework.id!r}; expected {framework_id!r}", path="id")
    return framework


def letters_path(language: str) -> Path:
    """The wording file of letters in `language` (`reference/letters/LANG.toml`); the bundled
    one where another reference folder has no letters of its own."""
    for folder in (reference_dir(), BUNDLED_REFERENCE):
        if (path := folder / "letters" / f"{language}.toml").is_file():
            return path
    return BUNDLED_REFERENCE / "letters" / f"{language}.toml"


@cache
def _load_wording_cached(path: Path) -> LetterWording:
    text, data = read_toml(path)
    return validate_data(str(path), text, data, LetterWording)


def load_letter_wording(language: str) -> LetterWording:
    """The wording of letters in `language` (one of LANGUAGES), validated: every key present."""
    if language not in LANGUAGES:
        raise CampaignError.single(letters_path("en").parent, f"no letters in {language!r} (known: {', '.join(LANGUAGES)})")
    path = letters_path(language)
    if not path.is_file():
        raise CampaignError.single(path, "no such file: the wording of letters in this language")
    return _load_wording_cached(path)


def monitoring_path() -> Path:
    """The diversity monitoring questions (`reference/monitoring.toml`): the reference folder's own,
    else the bundled one."""
    own = reference_dir() / f"{MONITORING}.toml"
    return own if own.is_file() else BUNDLED_REFERENCE / f"{MONITORING}.toml"


def load_monitoring() -> MonitoringQuestions:
    """The characteristics the monitoring report counts by, and their groups, validated."""
    path = monitoring_path()
    text, data = read_toml(path)
    return validate_data(str(path), text, data, MonitoringQuestions)


def role_templates() -> list[str]:
    """Ids of the role templates in `reference/roles/`."""
    return sorted(path.stem for path in (reference_dir() / "roles").glob("*.toml"))


def load_role_template(name: str) -> tuple[RoleTemplate, Framework]:
    """Load a role template by id (or path) with its framework, both validated."""
    path = Path(name)
    if not (name.endswith(".toml") or os.sep in name):
        path = reference_dir() / "roles" / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(role_templates()) or "none"
        raise CampaignError.single(path, f"no such role template (known: {known})")
    text, data = read_toml(path)
    framework_id = data.get("framework") if isinstance(data.get("framework"), str) else None
    framework = load_framework(framework_id) if framework_id else None
    template = validate_data(str(path), text, data, RoleTemplate, context={"framework": framework})
    assert framework is not None  # validation refuses a template without a framework
    return template, framework


@dataclass(frozen=True)
class TemplateChoice:
    """A role template as the new-campaign dialog offers it."""

    id: str
    title: str
    framework: str
    level: int


@dataclass(frozen=True)
class Catalogue:
    """Everything a new campaign can start from: the frameworks and the role templates."""

    frameworks: dict[str, Framework]
    templates: list[TemplateChoice]


def catalogue() -> Catalogue:
    """The frameworks and role templates of the reference folder, all loaded and checked."""
    frameworks = {framework_id: load_framework(framework_id) for framework_id in available_frameworks()}
    templates = []
    for name in role_templates():
        template, _ = load_role_template(name)
        templates.append(TemplateChoice(name, template.role.title or name, template.framework, template.level))
    return Catalogue(frameworks, templates)
