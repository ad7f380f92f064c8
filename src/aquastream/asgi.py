"""The ASGI application built from the environment, for the server's factory mode."""

from __future__ import annotations

from litestar import Litestar

from aquastream import heap
from aquastream.app import create_app
from aquastream.settings import load_settings


def application() -> Litestar:
    app = create_app(load_settings())
    app.on_startup.append(_settle)
    return app


def _settle(_app: Litestar) -> None:
    # After the application's own start: its pools, caches and listeners are made.
    heap.settle()
