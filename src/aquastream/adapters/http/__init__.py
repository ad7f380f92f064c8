"""The HTTP edge (what the Gateway did) and the pieces controllers are written with.

A controller, in short::

    from dishka.integrations.litestar import FromDishka, inject
    from litestar import Controller, get, post
    from litestar.params import FromPath, JSONBody

    from aquastream.adapters.http.auth import public, requires_role
    from aquastream.adapters.http.structs import CamelStruct

    class EventController(Controller):
        path = "/events"
        tags = ["events"]

        @public                                   # anyone; every other route needs a token
        @get("/{event_id:uuid}")
        @inject                                   # under @get: dishka fills FromDishka[...]
        async def show(self, event_id: FromPath[UUID], show_event: FromDishka[ShowEvent]) -> EventOut: ...

        @post("", guards=[requires_role(Role.ORGANIZER)])   # admins always pass role guards
        @inject
        async def create(self, data: JSONBody[EventIn], caller: FromDishka[Principal],
                         create_event: FromDishka[CreateEvent]) -> EventOut: ...

- Bodies subclass ``CamelStruct`` (snake_case in Python, camelCase on the wire).
- Errors: raise the domain's errors; ``problems.STATUS_BY_ERROR_KIND`` makes them
  problem+json. Never return error responses by hand.
- The caller: ``FromDishka[Principal]`` (REQUEST scope; 401 when anonymous), or
  ``auth.principal_of(request)`` / ``auth.optional_principal(request)``; ``request.user``
  holds ``Principal | None``. ``FromDishka[RequestContext]`` carries the client IP.
- Rate limits: routes fall in a category by path (``rate_limit.PATH_CATEGORIES``) or by
  ``opt={"rate_limit": "booking"}``; new categories are a line in
  ``rate_limit.category_limits``. ``opt={"rate_limit": None}`` exempts a route.
- Registration: add the controller to ``aquastream.app.api_v1_route_handlers``.
"""
