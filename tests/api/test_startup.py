"""A misconfigured edge stops the application at start with a message naming the setting.

(Litestar runs start-up hooks in a task group, hence the exception group around the error.)
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from litestar import Litestar

from aquastream.settings import SettingsError


async def test_unreadable_rate_limit_stops_the_start(make_app: Callable[..., Litestar]) -> None:
    app = make_app(rate_limit_auth="ten per fortnight")

    with pytest.RaisesGroup(pytest.RaisesExc(SettingsError, match="'auth'"), flatten_subgroups=True):
        async with app.lifespan():
            pass


async def test_trusted_proxy_that_is_no_address_stops_the_start(make_app: Callable[..., Litestar]) -> None:
    app = make_app(trusted_proxies=["10.0.0.0/8", "the-load-balancer"])

    with pytest.RaisesGroup(
        pytest.RaisesExc(SettingsError, match="AQUASTREAM_TRUSTED_PROXIES"), flatten_subgroups=True
    ):
        async with app.lifespan():
            pass
