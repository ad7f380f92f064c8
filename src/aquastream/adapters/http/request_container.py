"""dishka's request scope, opened only when a request asks for a dependency.

``dishka.integrations.litestar.setup_dishka`` opens a request container (and builds a
Litestar ``Request`` for its context) for every request, before anything else runs. Many
answers need neither: an anonymous catalog read served from memory, a 401, a 429, a 404, a
preflight. Here the request's state holds a ``LazyRequestContainer`` instead: the first
``get`` (a handler's ``FromDishka`` parameter, or a guard asking for a policy) opens the
real one; when the request ends it is closed with the error that ended it, if any, as
dishka's own middleware does. Handlers and guards see no difference: dishka's ``inject``
only ever calls ``get`` on the container it finds in the request's state.
"""

from __future__ import annotations

from typing import Any, TypeVar

from dishka import DEFAULT_COMPONENT, AsyncContainer
from dishka import Scope as DIScope
from dishka.entities.component import Component
from dishka.integrations.litestar import make_add_request_container_middleware
from litestar import Litestar, Request
from litestar.enums import ScopeType
from litestar.types import Receive, Scope, Send

T = TypeVar("T")


class LazyRequestContainer:
    """The request's container, made on the first dependency asked for."""

    __slots__ = ("_app_container", "_container", "_scope")

    def __init__(self, app_container: AsyncContainer, scope: Scope) -> None:
        self._app_container = app_container
        self._scope = scope
        self._container: AsyncContainer | None = None

    @property
    def opened(self) -> bool:
        return self._container is not None

    async def get(self, dependency_type: type[T], component: Component | None = DEFAULT_COMPONENT) -> T:
        if self._container is None:
            # Synchronous: two ``get``s of one request cannot both open one.
            self._container = self._app_container({Request: Request(self._scope)}, scope=DIScope.REQUEST)
        return await self._container.get(dependency_type, component)

    async def close(self, exception: BaseException | None) -> None:
        container, self._container = self._container, None
        if container is not None:
            await container.close(exception)


def setup_lazy_dishka(container: AsyncContainer, app: Litestar) -> None:
    """``setup_dishka``, with the request scope opened on demand for HTTP requests (other
    connections keep dishka's own middleware)."""
    inner = app.asgi_handler
    eager = make_add_request_container_middleware(inner)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await eager(scope, receive, send)
            return
        lazy = LazyRequestContainer(container, scope)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["dishka_container"] = lazy
        try:
            await inner(scope, receive, send)
        except BaseException as error:
            await lazy.close(error)
            raise
        else:
            await lazy.close(None)
        finally:
            # The scope holds the container and the container the scope: undone here, the
            # request's objects go when it ends instead of waiting for the cycle collector.
            state.pop("dishka_container", None)

    app.asgi_handler = middleware
    app.state.dishka_container = container
