"""``Idempotency-Key`` on state-changing POSTs that create bookings or payments (SPEC §1): the
same key from the same user within 24 h answers with the first response instead of acting
twice.

How a keyed request is answered:

- the key (1 to 255 characters, else 400) goes to the use case with a fingerprint of the
  request (method, path and the validated body, so that spacing and key order of the JSON do
  not matter) and the way its answer is written down;
- the use case claims the key first thing in the transaction that creates the resource, and
  writes the answer down before that transaction commits (``domain.shared.requests``). So a
  request cut off after its commit (a crash, a lost connection) leaves its answer behind;
- the key answered before with the same fingerprint: that answer again, status and body byte
  for byte, with ``Idempotent-Replayed: true``. Where the answer was not written down (a card
  payment cut off between storing the payment and hearing the provider) the resource is
  answered as it is now, its opening at the provider resumed;
- the key was used for a different request: 422 ``idempotency.key_reused``;
- a repeat that arrives while the first request with the key is still running waits for it
  (the database holds the key for the first transaction) and is then answered as above;
- a request that fails (``event.full``, say) changed nothing and keeps no key: its
  transaction rolled back, so a retry with the same key acts afresh and sees the state of
  that moment (a freed seat, a completed profile) instead of an outdated refusal.

A request without the header is served as it is, with no protection against repeats.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, Response
from litestar.params import HeaderParameter

from aquastream.domain.shared.errors import FieldError, Raises, RuleViolated, ValidationFailed
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.requests import KeyedRequest, RequestAlreadyHandled
from aquastream.ports.idempotency import StoredResponse

R = TypeVar("R")

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
JSON_MEDIA_TYPE = "application/json"

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=IDEMPOTENCY_KEY_HEADER,
        description=(
            "Any unique string of up to 255 characters (a UUID, say). Repeating the request "
            "with the same key within 24 h answers with the first response instead of acting "
            "twice; the replay carries `Idempotent-Replayed: true`."
        ),
        required=False,
    ),
]


class IdempotencyKeyReused(RuleViolated):
    code = "idempotency.key_reused"
    default_message = "This Idempotency-Key was already used for a different request."


# What ``answer_keyed`` raises, for the routes that call it to declare (``opt["raises"]``).
KEYED_REQUEST_ERRORS: Raises = (IdempotencyKeyReused, ValidationFailed)


def request_fingerprint(method: str, path: str, body: msgspec.Struct) -> str:
    """What makes two requests "the same": method, path and the body as validated."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), msgspec.json.encode(body, order="sorted")):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def answer_keyed(
    caller: Principal,
    key: str | None,
    *,
    request: Request[Any, Any, Any],
    body: msgspec.Struct,
    status_code: int,
    act: Callable[[KeyedRequest[R] | None], Awaitable[R]],
    render: Callable[[R], msgspec.Struct],
    replay: Callable[[uuid.UUID], Awaitable[msgspec.Struct]],
) -> Response[bytes]:
    """Run a POST's use case at most once per (caller, key); see the module's docstring.

    ``act`` calls the use case with the keyed request (None without a key); ``render`` turns
    its result into the response body; ``replay`` renders a resource whose first answer was
    not written down."""
    if key is None:
        return _json(status_code, msgspec.json.encode(render(await act(None))))
    _check(key)
    written: dict[str, bytes] = {}

    def write_down(result: R) -> StoredResponse:
        written["body"] = msgspec.json.encode(render(result))
        return StoredResponse(status_code, written["body"])

    keyed = KeyedRequest(
        caller.user_id, key, request_fingerprint(request.method, request.url.path, body), write_down
    )
    try:
        result = await act(keyed)
    except RequestAlreadyHandled as handled:
        if not handled.same_request:
            raise IdempotencyKeyReused() from None
        stored = handled.record.response
        if stored is not None:
            response = _json(stored.status_code, stored.body)
        else:
            response = _json(status_code, msgspec.json.encode(await replay(handled.record.resource_id)))
        response.headers[REPLAYED_HEADER] = "true"
        return response
    return _json(status_code, written.get("body") or msgspec.json.encode(render(result)))


def _check(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise ValidationFailed(
            "Invalid Idempotency-Key.",
            errors=[FieldError(IDEMPOTENCY_KEY_HEADER, f"must be 1 to {MAX_KEY_LENGTH} characters long")],
        )


def _json(status_code: int, content: bytes) -> Response[bytes]:
    return Response(content, status_code=status_code, media_type=JSON_MEDIA_TYPE)
