"""One database URL per domain: each defaults to ``AQUASTREAM_DATABASE_URL``, and the
service opens one engine per distinct URL."""

from __future__ import annotations

from aquastream.adapters.sql.engine import DomainEngines, create_engine
from aquastream.settings import DOMAINS, load_settings

SHARED = "postgresql+asyncpg://aquastream@db/aquastream"
BOOKING = "postgresql+asyncpg://aquastream_booking@db/aquastream"


def test_every_domain_uses_the_shared_url_unless_given_its_own() -> None:
    settings = load_settings(
        {"AQUASTREAM_DATABASE_URL": SHARED, "AQUASTREAM_DATABASE_URL_BOOKING": BOOKING}, env_file=None
    )
    assert settings.database_url_of("booking") == BOOKING
    assert {settings.database_url_of(domain) for domain in DOMAINS - {"booking"}} == {SHARED}


def test_an_empty_domain_url_means_the_shared_one() -> None:
    settings = load_settings(
        {"AQUASTREAM_DATABASE_URL": SHARED, "AQUASTREAM_DATABASE_URL_MEDIA": ""}, env_file=None
    )
    assert settings.database_url_of("media") == SHARED


def test_an_unknown_domain_url_is_a_warning_by_name_and_is_not_used() -> None:
    warnings: list[str] = []
    settings = load_settings(
        {"AQUASTREAM_DATABASE_URL_WEATHER": BOOKING}, env_file=None, warn=warnings.append
    )
    [warning] = warnings
    assert warning.startswith("AQUASTREAM_DATABASE_URL_WEATHER is not a known setting and is ignored")
    assert {settings.database_url_of(domain) for domain in DOMAINS} == {settings.database_url}


async def test_domains_on_one_url_share_one_engine_and_a_url_of_its_own_gets_its_own() -> None:
    default = create_engine(SHARED)
    urls = {domain: SHARED for domain in DOMAINS} | {"booking": BOOKING, "payments": BOOKING}
    engines = DomainEngines(default, urls, SHARED)
    try:
        assert engines.of("catalog") is default
        assert engines.of("booking") is engines.of("payments") is not default
        assert str(engines.of("booking").url) == BOOKING
        assert engines.distinct == [default, engines.of("booking")]
    finally:
        await engines.dispose()
        await default.dispose()
