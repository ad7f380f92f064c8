"""The HTTPS transport of webhooks against a real local HTTPS server and a stub resolver: it
connects only to an address it checked (pinned, with the name kept for Host, SNI and the
certificate), refuses private answers at send time (DNS rebinding), verifies certificates,
never follows redirects and gives up on a slow endpoint at its timeout."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aquastream.adapters.webhooks.transport import HttpxWebhookTransport, webhook_client, webhook_ssl_context
from aquastream.domain.webhooks.errors import TargetRefused
from tests.webhook_receiver import Receiver


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    server = Receiver(tmp_path)
    server.start()
    yield server
    server.stop()


class Resolver:
    """Answers each name from a list of answers, one per question (the last one repeats)."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        queue = self.answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]


async def test_a_name_is_connected_to_at_the_checked_address_with_its_own_name_for_tls(
    receiver: Receiver,
) -> None:
    resolver = Resolver({"receiver.test": [["127.0.0.1"]]})
    context = webhook_ssl_context(str(receiver.ca_file))
    async with webhook_client(5, context) as client:
        transport = HttpxWebhookTransport(client, timeout_seconds=5, allow_private=True, resolver=resolver)
        outcome = await transport.post(f"https://receiver.test:{receiver.port}/named", b"{}", {"X-Test": "1"})

    assert outcome.status_code == 200, outcome.error
    [got] = receiver.received
    assert got.headers["Host"] == f"receiver.test:{receiver.port}"
    assert got.path == "/named"


async def test_an_untrusted_certificate_is_an_error_not_a_delivery(receiver: Receiver) -> None:
    async with webhook_client(5, ssl.create_default_context()) as client:
        transport = HttpxWebhookTransport(client, timeout_seconds=5, allow_private=True)
        outcome = await transport.post(receiver.url(), b"{}", {})
    assert outcome.status_code is None
    assert outcome.error is not None
    assert outcome.error.startswith("unreachable")
    assert receiver.received == []


async def test_dns_rebinding_to_a_private_address_is_refused_at_send_time() -> None:
    seen: list[httpx.Request] = []
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200)))
    # Public when registered, private a moment later.
    resolver = Resolver({"crm.example.com": [["93.184.216.34"], ["10.0.0.8"]]})
    transport = HttpxWebhookTransport(client, timeout_seconds=5, resolver=resolver)

    await transport.vet("https://crm.example.com/hook")
    outcome = await transport.post("https://crm.example.com/hook", b"{}", {})

    assert outcome.status_code is None
    assert outcome.error is not None
    assert outcome.error.startswith("refused")
    assert seen == []  # nothing was sent anywhere
    with pytest.raises(TargetRefused):
        await transport.vet("https://crm.example.com/hook")
    await client.aclose()


async def test_the_request_goes_to_the_vetted_address_with_the_name_in_host_and_sni() -> None:
    seen: list[httpx.Request] = []
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204)))
    resolver = Resolver({"crm.example.com": [["93.184.216.34"]]})
    transport = HttpxWebhookTransport(client, timeout_seconds=5, resolver=resolver)

    outcome = await transport.post("https://crm.example.com/in?token=abc", b"{}", {})

    assert outcome.status_code == 204
    [request] = seen
    assert request.url.host == "93.184.216.34"
    assert request.url.raw_path == b"/in?token=abc"
    assert request.headers["Host"] == "crm.example.com"
    assert request.extensions["sni_hostname"] == "crm.example.com"
    await client.aclose()


async def test_loopback_is_refused_without_the_development_setting(receiver: Receiver) -> None:
    async with webhook_client(5, webhook_ssl_context(str(receiver.ca_file))) as client:
        transport = HttpxWebhookTransport(client, timeout_seconds=5)
        with pytest.raises(TargetRefused):
            await transport.vet(receiver.url())
        outcome = await transport.post(receiver.url(), b"{}", {})
    assert outcome.error is not None
    assert outcome.error.startswith("refused")
    assert receiver.received == []


async def test_redirects_are_not_followed_and_a_slow_endpoint_times_out(receiver: Receiver) -> None:
    receiver.status = 302
    receiver.delays["/slow"] = 3
    async with webhook_client(1, webhook_ssl_context(str(receiver.ca_file))) as client:
        transport = HttpxWebhookTransport(client, timeout_seconds=1, allow_private=True)
        redirected = await transport.post(receiver.url("/moved"), b"{}", {})
        slow = await transport.post(receiver.url("/slow"), b"{}", {})
    assert redirected.status_code == 302
    assert slow.status_code is None
    assert slow.error is not None
    assert slow.error.startswith(("timeout", "unreachable"))
    assert slow.duration_ms < 2500
