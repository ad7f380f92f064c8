"""The ASGI application built from the environment, for the server's factory mode."""

from __future__ import annotations

from litestar import Litestar

from aquastream.app import create_app
from aquastream.settings import load_settings


def application() -> Litestar:
    return create_app(load_settings())
