"""The request's dishka container is opened on the first dependency asked for, once, and
closed with the error that ended the request."""

from __future__ import annotations

from collections.abc import Generator

from dishka import Provider, Scope, from_context, make_async_container, provide
from litestar import Request

from aquastream.adapters.http.request_container import LazyRequestContainer


class Visit:
    def __init__(self, request: Request) -> None:
        self.path = request.scope["path"]


class Recorded(Provider):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self._log = log

    @provide(scope=Scope.REQUEST)
    def visit(self, request: Request) -> Generator[Visit, BaseException | None, None]:
        self._log.append("opened")
        # dishka sends the error that ended the scope, if any, into the finalizer.
        error = yield Visit(request)
        self._log.append("closed" if error is None else f"closed by {type(error).__name__}")


class RequestContext(Provider):
    request = from_context(Request, scope=Scope.REQUEST)


def http_scope(path: str) -> dict[str, object]:
    return {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}


async def test_a_request_that_asks_for_nothing_opens_no_container() -> None:
    log: list[str] = []
    app_container = make_async_container(Recorded(log), RequestContext())
    lazy = LazyRequestContainer(app_container, http_scope("/nowhere"))  # type: ignore[arg-type]

    await lazy.close(None)

    assert not lazy.opened
    assert log == []
    await app_container.close()


async def test_the_first_dependency_opens_the_container_once_and_the_end_closes_it() -> None:
    log: list[str] = []
    app_container = make_async_container(Recorded(log), RequestContext())
    lazy = LazyRequestContainer(app_container, http_scope("/api/v1/events"))  # type: ignore[arg-type]

    first = await lazy.get(Visit)
    second = await lazy.get(Visit)
    await lazy.close(None)

    assert first is second
    assert first.path == "/api/v1/events"
    assert log == ["opened", "closed"]
    await app_container.close()


async def test_the_error_that_ended_the_request_reaches_the_dependencies() -> None:
    log: list[str] = []
    app_container = make_async_container(Recorded(log), RequestContext())
    lazy = LazyRequestContainer(app_container, http_scope("/api/v1/bookings"))  # type: ignore[arg-type]
    await lazy.get(Visit)

    await lazy.close(RuntimeError("the handler failed"))

    assert log == ["opened", "closed by RuntimeError"]
    await app_container.close()
