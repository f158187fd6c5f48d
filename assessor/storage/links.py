"""The private links `assessor serve` gives each panel member: made, kept and checked.

A link carries a key of 128 random bits that says who the browser is. The keys are never
written anywhere: the chair's own config folder holds, per campaign, a secret they are
made from (so the chair can be shown them again) and each key's SHA-256, which is what a
presented key is checked against. The file is readable by its owner only, lives outside
the campaign file and so never reaches the archive; new links replace the secret, and
every old link stops working.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomli

from assessor.core.errors import CampaignError
from assessor.storage.atomic import write_atomic
from assessor.storage.settings import config_dir
from assessor.storage.toml_write import toml_text

KEY_BYTES = 16
"""128 bits a key."""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PanelLinks:
    """One campaign's links: the secret they are made from, and each member's key digest."""

    path: Path
    secret: bytes
    digests: dict[str, str]

    def key_for(self, member: str) -> str:
        """The key in `member`'s link."""
        made = hmac.new(self.secret, f"assessor link|{member}".encode(), hashlib.sha256).digest()[:KEY_BYTES]
        return urlsafe_b64encode(made).decode("ascii").rstrip("=")

    def member_of(self, key: str) -> str | None:
        """Whose link carries `key`, or None (a wrong, old or mistyped key). Every digest is compared, in constant time."""
        presented = _digest(key)
        found = None
        for member, digest in self.digests.items():
            if hmac.compare_digest(presented, digest):
                found = member
        return found


def links_path(campaign: Path) -> Path:
    """Where the links of the campaign at `campaign` are kept: the user's config folder, one file per campaign file."""
    where = str(campaign.resolve())
    return config_dir() / "links" / f"{campaign.stem}-{hashlib.sha256(where.encode('utf-8')).hexdigest()[:12]}.toml"


def read_links(campaign: Path, members: Iterable[str]) -> tuple[PanelLinks, list[str]] | None:
    """The campaign's links, or None before any were made; a member added since gets theirs (returned
    as new), and one no longer on the panel loses theirs."""
    path = links_path(campaign)
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
        secret = bytes.fromhex(str(data["secret"]))
        known = {str(member): str(digest) for member, digest in dict(data.get("digests", {})).items()}
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
        raise CampaignError.single(path, f"cannot read the private links ({exc}): `assessor serve --new-links` makes new ones") from None
    links = PanelLinks(path, secret, {})
    wanted = list(members)
    digests = {member: known.get(member) or _digest(links.key_for(member)) for member in wanted}
    added = [member for member in wanted if member not in known]
    links = PanelLinks(path, secret, digests)
    if digests != known:
        _write(links, campaign)
    return links, added


def make_links(campaign: Path, members: Iterable[str]) -> PanelLinks:
    """New links for every member: a new secret, so every link made before stops working."""
    path = links_path(campaign)
    secret = secrets.token_bytes(32)
    made = PanelLinks(path, secret, {})
    links = PanelLinks(path, secret, {member: _digest(made.key_for(member)) for member in members})
    _write(links, campaign)
    return links


def _write(links: PanelLinks, campaign: Path) -> None:
    data = {"campaign_file": str(campaign.resolve()), "secret": links.secret.hex(), "digests": links.digests}
    try:
        links.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise CampaignError.single(links.path.parent, f"cannot keep the private links here: {exc.strerror or exc}") from None
    text = "# assessor: private links for `assessor serve`; keep this file to yourself.\n" + toml_text(data)
    write_atomic(links.path, text.encode("utf-8"))  # a new file is its owner's only
