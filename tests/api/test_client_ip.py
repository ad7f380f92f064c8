"""The client address: X-Forwarded-For is believed only when it comes through a trusted proxy."""

from __future__ import annotations

from .conftest import ServeFrom

PROXY = "10.0.0.2"


async def test_forwarded_address_is_ignored_from_an_untrusted_peer(serve_from: ServeFrom) -> None:
    async with serve_from("198.51.100.9", trusted_proxies=[PROXY]) as client:
        response = await client.get("/api/v1/probe/context", headers={"X-Forwarded-For": "203.0.113.7"})

    assert response.json() == {"ip": "198.51.100.9"}


async def test_forwarded_address_is_believed_from_a_trusted_proxy(serve_from: ServeFrom) -> None:
    async with serve_from(PROXY, trusted_proxies=[PROXY]) as client:
        response = await client.get("/api/v1/probe/context", headers={"X-Forwarded-For": "203.0.113.7"})

    assert response.json() == {"ip": "203.0.113.7"}


async def test_trusted_proxies_may_be_given_as_networks(serve_from: ServeFrom) -> None:
    async with serve_from("10.1.2.3", trusted_proxies=["10.0.0.0/8"]) as client:
        response = await client.get("/api/v1/probe/context", headers={"X-Forwarded-For": "203.0.113.7"})

    assert response.json() == {"ip": "203.0.113.7"}


async def test_addresses_the_client_wrote_itself_are_not_believed(serve_from: ServeFrom) -> None:
    # The client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended the address it saw.
    async with serve_from(PROXY, trusted_proxies=[PROXY]) as client:
        response = await client.get(
            "/api/v1/probe/context", headers={"X-Forwarded-For": "1.2.3.4, 203.0.113.7"}
        )

    assert response.json() == {"ip": "203.0.113.7"}


async def test_chains_of_trusted_proxies_are_walked_back(serve_from: ServeFrom) -> None:
    async with serve_from(PROXY, trusted_proxies=["10.0.0.0/8"]) as client:
        response = await client.get(
            "/api/v1/probe/context", headers={"X-Forwarded-For": "203.0.113.7, 10.0.0.5"}
        )

    assert response.json() == {"ip": "203.0.113.7"}


async def test_without_trusted_proxies_the_peer_is_the_client(serve_from: ServeFrom) -> None:
    async with serve_from(PROXY) as client:
        response = await client.get("/api/v1/probe/context", headers={"X-Forwarded-For": "203.0.113.7"})

    assert response.json() == {"ip": PROXY}


async def test_anonymous_rate_limits_follow_the_forwarded_address(serve_from: ServeFrom) -> None:
    async with serve_from(PROXY, trusted_proxies=[PROXY], rate_limit_default="1/minute") as client:
        first = await client.get("/api/v1/probe/public", headers={"X-Forwarded-For": "203.0.113.7"})
        again = await client.get("/api/v1/probe/public", headers={"X-Forwarded-For": "203.0.113.7"})
        other = await client.get("/api/v1/probe/public", headers={"X-Forwarded-For": "203.0.113.8"})

    assert [first.status_code, again.status_code, other.status_code] == [200, 429, 200]


async def test_spoofed_forwarded_address_does_not_escape_the_limit(serve_from: ServeFrom) -> None:
    async with serve_from("198.51.100.9", trusted_proxies=[PROXY], rate_limit_default="1/minute") as client:
        first = await client.get("/api/v1/probe/public", headers={"X-Forwarded-For": "203.0.113.7"})
        spoofed = await client.get("/api/v1/probe/public", headers={"X-Forwarded-For": "203.0.113.8"})

    assert [first.status_code, spoofed.status_code] == [200, 429]
