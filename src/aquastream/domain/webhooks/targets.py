"""Where deliveries may go: HTTPS URLs whose host resolves to public addresses only.

A URL is refused when it is not ``https://``, has no host, carries credentials or a fragment,
or is too long. An address is refused when it is private, loopback, link-local, multicast,
reserved, unspecified, shared (CGNAT) or otherwise not globally routable, IPv4-mapped IPv6
forms included (``::ffff:127.0.0.1``). The check runs at registration (an early refusal)
and again at every send, on the addresses the name resolves to then, and the request goes to
the address that was checked (``adapters.webhooks.transport``): a name that answers a public
address first and a private one later (DNS rebinding) is caught at the send.

``allow_private`` (the development-only setting) lets loopback and private targets through:
a receiver on the developer's machine or a test's local server.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from aquastream.domain.webhooks.errors import TargetRefused

MAX_URL_LENGTH = 2000
HTTPS_PORT = 443

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Target:
    """An endpoint URL, taken apart: the name to resolve, the port, and what to request."""

    url: str
    host: str
    port: int
    path: str  # with its query

    @property
    def host_is_address(self) -> bool:
        return _address(self.host) is not None


def _address(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def parse_target(url: str) -> Target:
    """The URL as a target; ``TargetRefused`` names what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts: SplitResult = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("The URL cannot be read.") from None
    if parts.scheme.lower() != "https":
        raise TargetRefused("Only https:// URLs can receive webhooks.")
    if not parts.hostname:
        raise TargetRefused("The URL names no host.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("The URL must not carry credentials; authenticate with the signature.")
    if parts.fragment:
        raise TargetRefused("The URL must not carry a fragment.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(url=url, host=parts.hostname.lower(), port=port or HTTPS_PORT, path=path)


def is_public(address: IpAddress) -> bool:
    """Whether ``address`` is a globally routable unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_addresses(host: str, addresses: list[str], *, allow_private: bool) -> list[IpAddress]:
    """The addresses ``host`` resolved to, all of them allowed, or ``TargetRefused``: one bad
    address refuses the lot (the connection might otherwise land on it)."""
    parsed = [_address(a.split("%", 1)[0]) for a in addresses]
    found = [a for a in parsed if a is not None]
    if not found:
        raise TargetRefused(f"The host {host} does not resolve to any address.")
    if not allow_private and not all(is_public(a) for a in found):
        raise TargetRefused(
            f"The host {host} resolves to a private, loopback or link-local address; "
            "webhooks go to public addresses only."
        )
    return found
