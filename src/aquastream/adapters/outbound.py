"""An HTTP client to call out with (payment providers, Telegram), made when first asked for.

httpx weighs ~11 MB in a server process, and a client with its TLS context ~3 MB more; most
processes never call out: a server without a bot token and without a provider's credentials
(the sandbox calls nobody) or a worker of other domains. So the composition root hands
adapters' builders an ``OutboundHttp``; the client, traced when tracing is on, is made the
first time one of them needs it, and closed with the container. Adapters keep the
``OutboundHttp`` and ask it for its client when they call out, not when they are built: a
server that only verifies a provider's webhooks (an HMAC over the body) never makes one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from aquastream.adapters.http.tracing import Tracing


class OutboundHttp:
    def __init__(
        self, timeout_seconds: float, tracing: Tracing, *, client: httpx.AsyncClient | None = None
    ) -> None:
        """``client``: one made already (a test's, say), handed out as it is."""
        self._timeout_seconds = timeout_seconds
        self._tracing = tracing
        self._client = client

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(timeout=self._timeout_seconds)
            self._tracing.instrument_client(self._client)
        return self._client

    @property
    def made(self) -> bool:
        """The client was asked for (and httpx imported)."""
        return self._client is not None

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class PaymentsHttp(OutboundHttp):
    """Payments' client (its own timeout, ``payments_provider_timeout_seconds``)."""


class NotificationsHttp(OutboundHttp):
    """Notifications' and recovery's client (Telegram's Bot API, webhooks of channels)."""
