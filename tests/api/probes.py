"""Test-only routes mounted under /api/v1 to drive the edge: they raise, echo and report the caller."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.types import ControllerRouterHandler

from aquastream.adapters.http.auth import optional_principal, public, requires_role
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.shared.errors import (
    Busy,
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    NotFound,
    RuleViolated,
    Unauthenticated,
    ValidationFailed,
)
from aquastream.domain.shared.principal import Principal, Role


class SeatAlreadyBooked(Conflict):
    code = "booking.duplicate"
    default_message = "You already booked this event."


class EventFull(RuleViolated):
    code = "event.full"
    default_message = "No seats left."


DOMAIN_ERRORS: dict[str, DomainError] = {
    "validation": ValidationFailed(errors=[FieldError("seatCount", "Must be at least 1.")]),
    "unauthenticated": Unauthenticated(),
    "forbidden": Forbidden(),
    "not-found": NotFound("Event not found."),
    "conflict": SeatAlreadyBooked(extra={"existingBookingId": "0190a1b2-0000-7000-8000-000000000001"}),
    "rule": EventFull(),
    "busy": Busy(),
    "kindless": DomainError("A domain error that picked no kind."),
}


class Address(CamelStruct):
    zip_code: int


class Participant(CamelStruct):
    first_name: str
    seat_count: int
    home_address: Address | None = None


class Caller(CamelStruct):
    user_id: str
    role: str
    email: str


@public
@get("/probe/errors/{kind:str}", sync_to_thread=False)
def raise_domain_error(kind: FromPath[str]) -> None:
    raise DOMAIN_ERRORS[kind]


@public
@get("/probe/crash", sync_to_thread=False)
def crash() -> None:
    raise RuntimeError("password=hunter2 at db.internal:5432")


@public
@post("/probe/echo", sync_to_thread=False)
def echo(data: JSONBody[Participant]) -> Participant:
    return data


@public
@get("/probe/public", sync_to_thread=False)
def public_probe(request: Request[Any, Any, Any]) -> dict[str, bool]:
    return {"anonymous": optional_principal(request) is None}


@get("/probe/me")
@inject
async def me(principal: FromDishka[Principal]) -> Caller:
    return Caller(user_id=str(principal.user_id), role=principal.role.value, email=principal.email)


@get("/probe/admin", guards=[requires_role(Role.ADMIN)], sync_to_thread=False)
def admin_only() -> dict[str, bool]:
    return {"ok": True}


@get("/probe/organizer", guards=[requires_role(Role.ORGANIZER)], sync_to_thread=False)
def organizer_only() -> dict[str, bool]:
    return {"ok": True}


@get("/probe/declared-public", opt={"public": True}, sync_to_thread=False)
def declared_public() -> dict[str, bool]:
    return {"ok": True}


@public
@get("/probe/context")
@inject
async def context(request_context: FromDishka[RequestContext]) -> dict[str, str | None]:
    return {"ip": request_context.ip}


@public
@get("/probe/unlimited", opt={"rate_limit": None}, sync_to_thread=False)
def unlimited() -> dict[str, bool]:
    return {"ok": True}


@public
@post("/auth/probe", sync_to_thread=False)
def auth_probe() -> dict[str, bool]:
    return {"ok": True}


@public
@post("/auth/recovery/probe", sync_to_thread=False)
def recovery_probe() -> dict[str, bool]:
    return {"ok": True}


class ProbeController(Controller):
    """The way domain controllers are written: methods, @public, guards and injection."""

    path = "/probe/controller"

    @public
    @get("/open", sync_to_thread=False)
    def open_to_all(self) -> dict[str, bool]:
        return {"ok": True}

    @get("/mine")
    @inject
    async def mine(self, principal: FromDishka[Principal]) -> dict[str, str]:
        return {"userId": str(principal.user_id)}

    @post("/organize", guards=[requires_role(Role.ORGANIZER)], sync_to_thread=False)
    def organize(self) -> dict[str, bool]:
        return {"ok": True}


PROBE_ROUTES: list[ControllerRouterHandler] = [
    ProbeController,
    raise_domain_error,
    crash,
    echo,
    public_probe,
    me,
    admin_only,
    organizer_only,
    declared_public,
    context,
    unlimited,
    auth_probe,
    recovery_probe,
]
