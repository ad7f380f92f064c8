"""``/organizers/{slug}/webhooks``: an organizer's owners (and admins) register, list, change,
pause, remove endpoints and rotate their secrets; nobody else sees them."""

from __future__ import annotations

import uuid

from dishka import Provider, Scope, provide

from aquastream.adapters.webhooks.transport import HttpxWebhookTransport, webhook_client, webhook_ssl_context
from aquastream.ports.webhooks import WebhookTransport
from tests.api.catalog.kit import API, Cast, open_page, organizer_account
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, admin, assert_problem
from tests.webhook_receiver import Receiver

from .conftest import register_endpoint

URL = f"{API}/organizers/river-rats/webhooks"


async def test_the_owner_registers_an_endpoint_and_sees_its_secret_only_then(
    api: Client, cast: Cast, receiver: Receiver
) -> None:
    created = await register_endpoint(
        api, cast.anna, receiver.url(), ["payment.received", "booking.created"], description="CRM"
    )
    assert created["secret"].startswith("whsec_")
    assert created["eventTypes"] == ["booking.created", "payment.received"]  # the table's order
    assert (created["active"], created["description"], created["eventIds"]) == (True, "CRM", [])

    listed = await api.get(URL, headers=cast.anna.auth)
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()] == [created["id"]]
    shown = await api.get(f"{URL}/{created['id']}", headers=cast.anna.auth)
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    assert "secret" not in listed.json()[0]
    assert (await api.get(f"{URL}/{created['id']}", headers=cast.root.auth)).status_code == 200


async def test_nobody_but_the_owner_and_admins_manages_the_webhooks(
    api: Client, cast: Cast, receiver: Receiver
) -> None:
    created = await register_endpoint(api, cast.anna, receiver.url(), ["booking.created"])
    body = {"url": receiver.url(), "eventTypes": ["booking.created"]}
    for account in (cast.boris, cast.vera):
        assert_problem(await api.post(URL, json=body, headers=account.auth), 403, "webhook.forbidden")
        assert_problem(await api.get(URL, headers=account.auth), 403, "webhook.forbidden")
    assert_problem(await api.get(URL), 401, "auth.unauthenticated")
    unknown = await api.get(f"{API}/organizers/nobody/webhooks", headers=cast.anna.auth)
    assert_problem(unknown, 404, "organizer.not_found")
    elsewhere = await api.get(
        f"{API}/organizers/forest-club/webhooks/{created['id']}", headers=cast.boris.auth
    )
    assert_problem(elsewhere, 404, "webhook.not_found")
    assert_problem(await api.get(f"{URL}/{uuid.uuid4()}", headers=cast.anna.auth), 404, "webhook.not_found")


async def test_only_https_urls_and_known_event_types_are_accepted(api: Client, cast: Cast) -> None:
    for url in ("http://crm.example.com/hook", "https://user:pw@crm.example.com/", "ftp://x"):
        refused = await api.post(
            URL, json={"url": url, "eventTypes": ["booking.created"]}, headers=cast.anna.auth
        )
        assert_problem(refused, 422, "webhook.target_refused")
    unknown = await api.post(
        URL, json={"url": "https://127.0.0.1/h", "eventTypes": ["booking.exploded"]}, headers=cast.anna.auth
    )
    body = assert_problem(unknown, 400, "validation.failed")
    assert body["errors"][0]["field"] == "eventTypes"
    assert "booking.created" in body["errors"][0]["message"]
    empty = await api.post(URL, json={"url": "https://127.0.0.1/h", "eventTypes": []}, headers=cast.anna.auth)
    assert_problem(empty, 400, "validation.failed")


class StubDns(Provider):
    """The real transport, on a resolver that answers from a table."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        super().__init__()
        self._answers = answers

    @provide(scope=Scope.APP)
    def transport(self) -> WebhookTransport:
        async def resolve(host: str, port: int) -> list[str]:
            return self._answers[host]

        client = webhook_client(5, webhook_ssl_context())
        return HttpxWebhookTransport(client, timeout_seconds=5, resolver=resolve)


async def test_private_and_loopback_targets_are_refused_at_registration_outside_development(
    serve: Serve,
) -> None:
    dns = StubDns(
        {"intranet.example.com": ["10.1.2.3"], "sneaky.example.com": ["93.184.216.34", "127.0.0.1"]}
    )
    async with serve(dns, rate_limit_enabled=False) as api:
        root = await admin(api)
        anna = await organizer_account(api, root, "anna@example.com")
        await open_page(api, anna, "river-rats", "River Rats")
        for url in (
            "https://intranet.example.com/hook",
            "https://sneaky.example.com/hook",
            "https://127.0.0.1/hook",
            "https://[::1]/hook",
            "https://169.254.169.254/latest/meta-data",
        ):
            response = await api.post(
                URL, json={"url": url, "eventTypes": ["booking.created"]}, headers=anna.auth
            )
            assert_problem(response, 422, "webhook.target_refused")


async def test_an_endpoint_is_changed_paused_and_removed(api: Client, cast: Cast, receiver: Receiver) -> None:
    created = await register_endpoint(api, cast.anna, receiver.url(), ["booking.created"], description="CRM")
    one = f"{URL}/{created['id']}"
    event_id = str(uuid.uuid4())

    changed = await api.patch(
        one,
        json={
            "eventTypes": ["booking.cancelled"],
            "eventIds": [event_id],
            "active": False,
            "description": None,
        },
        headers=cast.anna.auth,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["eventTypes"], body["eventIds"], body["active"], body["description"]) == (
        ["booking.cancelled"],
        [event_id],
        False,
        None,
    )
    assert body["url"] == receiver.url()
    bad = await api.patch(one, json={"url": "http://crm.example.com"}, headers=cast.anna.auth)
    assert_problem(bad, 422, "webhook.target_refused")
    assert_problem(
        await api.patch(one, json={"colour": "red"}, headers=cast.anna.auth), 400, "validation.failed"
    )

    removed = await api.delete(one, headers=cast.anna.auth)
    assert removed.status_code == 204
    assert_problem(await api.get(one, headers=cast.anna.auth), 404, "webhook.not_found")


async def test_rotating_shows_the_new_secret_and_how_long_the_old_one_still_signs(
    api: Client, cast: Cast, receiver: Receiver
) -> None:
    created = await register_endpoint(api, cast.anna, receiver.url(), ["booking.created"])
    rotated = await api.post(f"{URL}/{created['id']}/rotate-secret", headers=cast.anna.auth)
    assert rotated.status_code == 200, rotated.text
    body = rotated.json()
    assert body["secret"].startswith("whsec_")
    assert body["secret"] != created["secret"]
    assert body["previousSecretExpiresAt"] is not None
    assert body["secretRotatedAt"] is not None
    other = await api.post(f"{URL}/{created['id']}/rotate-secret", headers=cast.boris.auth)
    assert_problem(other, 403, "webhook.forbidden")


async def test_delivery_lists_refuse_bad_paging_and_unknown_deliveries(
    api: Client, cast: Cast, receiver: Receiver
) -> None:
    created = await register_endpoint(api, cast.anna, receiver.url(), ["booking.created"])
    deliveries = f"{URL}/{created['id']}/deliveries"
    empty = await api.get(deliveries, headers=cast.anna.auth)
    assert empty.status_code == 200
    assert (empty.json()["items"], empty.json()["total"]) == ([], 0)
    assert_problem(await api.get(f"{deliveries}?size=101", headers=cast.anna.auth), 400, "validation.failed")
    assert_problem(
        await api.get(f"{deliveries}?sort=createdAt", headers=cast.anna.auth),
        400,
        "request.unknown_parameter",
    )
    missing = await api.post(f"{deliveries}/{uuid.uuid4()}/resend", headers=cast.anna.auth)
    assert_problem(missing, 404, "webhook.delivery_not_found")
