"""Where `assessor serve` listens and the address members use: `--host`, `--port`, `--url`, TLS.

The address in the links is the one the browser uses for everything: the page, its script
and font, its WebSocket, and the `Origin` the server accepts. It is `--url` when given
(a department's server name, or a TLS-terminating proxy in front of a plain listener on
loopback), else the `--host` and `--port` listened on. A wildcard host (0.0.0.0, ::) is
no address a browser can open, so it needs `--url`. The sockets are bound here, before any
link is made or printed, so a port in use refuses to start having said nothing else.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from assessor.core.errors import CampaignError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
DEFAULT_PORTS = {"http": 80, "https": 443}
BACKLOG = 128


def is_loopback(host: str) -> bool:
    """Whether HOST only reaches this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """Whether HOST means every address of the machine (0.0.0.0, ::): no address a browser can open."""
    if host.strip("[]") == "":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def base_url(host: str, port: int, scheme: str = "http") -> str:
    """`http://HOST:PORT`, with an IPv6 address in brackets and the scheme's own port left out."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{scheme}://{host}" if DEFAULT_PORTS.get(scheme) == port else f"{scheme}://{host}:{port}"


def link_url(url: str, key: str) -> str:
    """A member's private link: the page's address with their key."""
    return f"{url}/?key={key}"


def parse_url(text: str) -> str:
    """`--url`: the address members use, as `scheme://host[:port]` the way a browser writes it as an
    `Origin` (lower case, the scheme's own port left out). Raises ValueError saying what is wrong."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"not an address ({exc})") from None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("give the address members open, such as https://assess.example.gov.uk:8443")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("give only the scheme, the host and the port, with no path, query or user")
    scheme = parts.scheme.lower()
    return base_url(parts.hostname.lower(), port if port is not None else DEFAULT_PORTS[scheme], scheme)


@dataclass(frozen=True)
class Address:
    """Where the server listens, and the address members' browsers use."""

    host: str
    port: int
    url: str
    """What the links, the page's script, font and socket, and the accepted Origin all name."""
    tls: ssl.SSLContext | None
    """The listener's own TLS; None for plain HTTP (on loopback, perhaps behind a TLS proxy)."""
    named: bool
    """The url was given with --url (so loopback names are not taken as other names for it)."""

    @property
    def websocket_scheme(self) -> str:
        """wss: when the browser's address is https, whatever the listener is."""
        return "wss" if self.url.startswith("https:") else "ws"

    def origins(self) -> frozenset[str]:
        """The `Origin`s of this server's own page."""
        found = {self.url}
        if not self.named and is_loopback(self.host):
            scheme = self.url.split(":", 1)[0]
            found.update(base_url(name, self.port, scheme) for name in LOOPBACK_NAMES)
        return frozenset(found)


def address(host: str, port: int, url: str | None, certfile: str | None, keyfile: str | None) -> Address:
    """The serving address from the options, or a CampaignError in one line saying what to give."""
    where = f"{host}:{port}"
    if url is not None:
        try:
            url = parse_url(url)
        except ValueError as exc:
            raise CampaignError.single(url, str(exc), path="--url") from None
    elif is_wildcard(host):
        raise CampaignError.single(
            where,
            f"{host} is every address of this machine, not one a browser can open: give --url with the address members use "
            f"(such as --url https://assess.example.gov.uk:{port}): not served",
            path="--host",
        )
    tls = None
    if not is_loopback(host) or certfile or keyfile:
        if not (certfile and keyfile):
            raise CampaignError.single(where, "listening beyond this machine needs --certfile and --keyfile (TLS): not served", path="--host")
        try:
            tls = tls_context(Path(certfile), Path(keyfile))
        except (OSError, ValueError) as exc:
            raise CampaignError.single(certfile, f"cannot use this certificate and key: {exc}") from None
    if url is None:
        return Address(host, port, base_url(host, port, "https" if tls else "http"), tls, named=False)
    if tls is not None and not url.startswith("https:"):
        raise CampaignError.single(url, "the server listens with TLS (--certfile): the address members use starts https://", path="--url")
    return Address(host, port, url, tls, named=True)


def tls_context(certfile: Path, keyfile: Path) -> ssl.SSLContext:
    """A server TLS context from a certificate and its key (PEM). Raises OSError or ssl.SSLError when they cannot be used."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    return context


def listen(host: str, port: int) -> list[socket.socket]:
    """Sockets bound and listening on every address HOST names (as aiohttp would bind them).
    Raises OSError (a port in use, an address not this machine's, a name that does not resolve)."""
    found = socket.getaddrinfo(host.strip("[]") or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    made: list[socket.socket] = []
    try:
        for family, kind, proto, where in dict.fromkeys((f, k, p, a) for f, k, p, _name, a in found):
            made.append(bound := socket.socket(family, kind, proto))
            bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                bound.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            bound.bind(where)
            bound.listen(BACKLOG)
            bound.setblocking(False)
    except OSError:
        for made_one in made:
            made_one.close()
        raise
    return made
