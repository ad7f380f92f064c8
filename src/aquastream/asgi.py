"""The ASGI application built from the environment, for the server's factory mode.

Importing this module turns the garbage collector off until the application has started
(``heap``): the server process imports it first, and the modules it loads make objects that
live as long as the process, which no collection could free.
"""

from __future__ import annotations

from aquastream import heap

heap.starting()

from litestar import Litestar  # noqa: E402

from aquastream.app import create_app  # noqa: E402
from aquastream.settings import load_settings  # noqa: E402


def application() -> Litestar:
    app = create_app(load_settings())
    app.on_startup.append(_settle)
    return app


def _settle(_app: Litestar) -> None:
    # After the application's own start: its pools, caches and listeners are made.
    heap.settle()
