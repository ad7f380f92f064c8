"""POSTs deliveries to organizers' HTTPS endpoints, at addresses checked when resolving.

Each request resolves the URL's host, refuses it unless every address it resolves to is
allowed (``domain.webhooks.targets``), and connects to the first checked address itself: the
URL's host is replaced by that address while the ``Host`` header and the TLS server name (SNI,
and the certificate's check) stay the name. So a name that resolves to a public address when
checked and to a private one a moment later (DNS rebinding) cannot redirect the connection.

Redirects are not followed (a 3xx is a failed attempt: the next location could be anything),
proxies from the environment are not used, and the response body is never read. Errors carry
the kind of failure, never the URL (its query may hold the receiver's own token) or a header.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from aquastream.domain.webhooks.errors import TargetRefused
from aquastream.domain.webhooks.targets import Target, check_addresses, parse_target
from aquastream.ports.webhooks import PostOutcome

if TYPE_CHECKING:
    import httpx

Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host``."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def webhook_ssl_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The system's trusted certificates, plus ``ca_file``'s (a development receiver's)."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


class HttpxWebhookTransport:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        timeout_seconds: float,
        allow_private: bool = False,
        resolver: Resolver = system_resolver,
    ) -> None:
        """``client``: made with ``webhook_client`` (its own TLS trust, no redirects, no proxies)."""
        self._client = client
        self._timeout = timeout_seconds
        self._allow_private = allow_private
        self._resolve = resolver

    async def _pinned(self, target: Target) -> str:
        """The address to connect to, once every address of the host is allowed."""
        if target.host_is_address:
            addresses = [target.host]
        else:
            try:
                async with asyncio.timeout(self._timeout):
                    addresses = await self._resolve(target.host, target.port)
            except (OSError, TimeoutError):
                raise TargetRefused(f"The host {target.host} cannot be resolved.") from None
        return str(check_addresses(target.host, addresses, allow_private=self._allow_private)[0])

    async def vet(self, url: str) -> None:
        await self._pinned(parse_target(url))

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> PostOutcome:
        import httpx  # loaded with the client

        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            target = parse_target(url)
            address = await self._pinned(target)
        except TargetRefused as refused:
            return PostOutcome(took(), error=f"refused: {refused.message}")
        host = f"[{address}]" if isinstance(ipaddress.ip_address(address), ipaddress.IPv6Address) else address
        pinned_url = f"https://{host}:{target.port}{target.path}"
        name = target.host if target.port == 443 else f"{target.host}:{target.port}"
        request = self._client.build_request(
            "POST",
            pinned_url,
            content=body,
            headers={**headers, "Host": name},
            extensions={"sni_hostname": target.host},
        )
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._client.send(request, stream=True)
                await response.aclose()
        except TimeoutError:
            return PostOutcome(took(), error="timeout: no answer in time")
        except httpx.HTTPError as error:
            return PostOutcome(took(), error=f"unreachable: {type(error).__name__}")
        return PostOutcome(took(), status_code=response.status_code)


def webhook_client(timeout_seconds: float, ssl_context: ssl.SSLContext) -> httpx.AsyncClient:
    import httpx

    return httpx.AsyncClient(
        verify=ssl_context,
        timeout=httpx.Timeout(timeout_seconds),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=0),
    )
