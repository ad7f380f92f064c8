"""Who is on the other end: the peer address, or ``X-Forwarded-For`` when the peer is a trusted proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from litestar.types import Scope

from aquastream.settings import SettingsError

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_MAX_ADDRESS_LENGTH = 64


class TrustedProxies:
    """The proxies whose ``X-Forwarded-For`` is believed (``settings.trusted_proxies``).

    Walking the header from the right, each hop a trusted proxy added is skipped; the
    first address no trusted proxy vouches for is the client. Entries further left were
    written by the client itself and prove nothing.
    """

    def __init__(self, networks: Iterable[_Network]) -> None:
        self._networks = tuple(networks)

    @classmethod
    def parse(cls, entries: Iterable[str]) -> TrustedProxies:
        """IPs or CIDRs (``10.0.0.0/8``, ``::1``); a bad entry raises ``SettingsError``."""
        networks = []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise SettingsError(
                    f"AQUASTREAM_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR."
                ) from None
        return cls(networks)

    def is_trusted(self, address: str) -> bool:
        if not self._networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def client_ip(self, scope: Scope) -> str:
        """The caller's address as far as it can be trusted ("unknown" without a peer)."""
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if not self.is_trusted(peer):
            return peer
        hops = [hop.strip() for hop in _forwarded_for(scope).split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.is_trusted(hop):
                return hop[:_MAX_ADDRESS_LENGTH]
        # Every hop is one of ours (or there is no header): the leftmost is the best we know.
        return hops[0][:_MAX_ADDRESS_LENGTH] if hops else peer


def _forwarded_for(scope: Scope) -> str:
    values = [value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"]
    return ",".join(values)
