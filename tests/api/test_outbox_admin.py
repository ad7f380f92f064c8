"""The event spine through the real app: one subscriber's failures hold back no other, end in a
dead letter an admin sees and retries, and show in the metrics per subscriber."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from dishka import Provider, Scope, provide

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.identity.events import UserRegistered
from aquastream.ioc.subscriptions import Reactions, on
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, NOW
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, admin, assert_problem, register
from tests.api.worker import drain_outbox


class WelcomeGift:
    """A reaction of the notifications domain that fails while ``broken`` is set."""

    broken = True
    given: list[str] = []

    async def __call__(self, event: UserRegistered) -> None:
        if WelcomeGift.broken:
            raise ConnectionError("the gift shop is closed")
        WelcomeGift.given.append(event.email)


class CountRegistrations:
    counted: list[str] = []

    async def __call__(self, event: UserRegistered) -> None:
        CountRegistrations.counted.append(event.email)


class GiftShop(Provider):
    scope = Scope.REQUEST
    gift = provide(WelcomeGift)
    count = provide(CountRegistrations)

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return Reactions(
            "notifications",
            on(UserRegistered, WelcomeGift).call(lambda gift, e: gift(e)),
            on(UserRegistered, CountRegistrations).call(lambda count, e: count(e)),
        )


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock) -> AsyncIterator[Client]:
    WelcomeGift.broken, WelcomeGift.given, CountRegistrations.counted = True, [], []
    async with serve(FrozenClockProvider(clock), GiftShop(), rate_limit_enabled=False) as client:
        yield client


async def test_a_failing_subscriber_ends_as_a_dead_letter_that_an_admin_retries(
    api: Client, clock: FrozenClock
) -> None:
    root = await admin(api)
    await register(api, "anna@example.com")
    await drain_outbox(api)
    assert CountRegistrations.counted == ["root@example.com", "anna@example.com"]  # not held back
    for _ in range(12):  # every retry, each after its backoff
        clock.advance(hours=1)
        await drain_outbox(api)
    root = await admin(api, "root2@example.com")  # a fresh token after the hours passed

    dead = await api.get(f"{API}/admin/outbox/dead", headers=root.auth)
    assert dead.status_code == 200, dead.text
    letters = [letter for letter in dead.json() if letter["subscriber"] == "notifications.WelcomeGift"]
    assert {letter["event"] for letter in letters} == {"UserRegistered"}
    assert [letter["attempts"] for letter in letters] == [10, 10]
    assert letters[0]["lastError"] == "ConnectionError: the gift shop is closed"
    latest = await api.get(f"{API}/admin/outbox/dead", params={"limit": 1}, headers=root.auth)
    assert len(latest.json()) == 1 < len(dead.json())
    for limit in ("0", "many"):
        refused = await api.get(f"{API}/admin/outbox/dead", params={"limit": limit}, headers=root.auth)
        assert_problem(refused, 400, "validation.failed")
    assert CountRegistrations.counted.count("anna@example.com") == 1  # never re-run by the retries
    metrics = (await api.get("/metrics")).text
    assert 'aquastream_outbox_dead_letters{subscriber="notifications.WelcomeGift"} 2.0' in metrics
    assert 'aquastream_outbox_dead_total{subscriber="notifications.WelcomeGift"} 2.0' in metrics

    WelcomeGift.broken = False
    for letter in letters:
        retried = await api.post(f"{API}/admin/outbox/dead/{letter['id']}/retry", headers=root.auth)
        assert (retried.status_code, retried.json()["retried"]) == (200, True)
    assert_problem(
        await api.post(f"{API}/admin/outbox/dead/{letters[0]['id']}/retry", headers=root.auth),
        404,
        "outbox.dead_letter_not_found",
    )
    await drain_outbox(api)
    assert sorted(WelcomeGift.given) == ["anna@example.com", "root2@example.com", "root@example.com"]
    assert [
        x
        for x in (await api.get(f"{API}/admin/outbox/dead", headers=root.auth)).json()
        if x["subscriber"] == "notifications.WelcomeGift"
    ] == []


async def test_only_admins_see_dead_letters(api: Client) -> None:
    anna = await register(api, "anna@example.com")
    assert_problem(await api.get(f"{API}/admin/outbox/dead", headers=anna.auth), 403, "auth.forbidden")
    assert_problem(await api.get(f"{API}/admin/outbox/dead"), 401, "auth.unauthenticated")
