"""``Idempotency-Key`` on state-changing POSTs (SPEC §1): the same key from the same user
within 24 h answers with the first response instead of acting twice.

How a keyed request is answered:

- the key (1 to 255 characters, else 400) is reserved for the caller together with a
  fingerprint of the request (method, path and the validated body, so that spacing and
  key order of the JSON do not matter);
- the key answered before with the same fingerprint: that answer again, status and body
  byte for byte, with ``Idempotent-Replayed: true``;
- the key was used for a different request: 422 ``idempotency.key_reused``;
- the first request with the key is still being handled: 409 ``idempotency.in_progress``
  (retry a little later);
- only successful answers are kept. A request that fails (a domain error such as
  ``event.full``, or anything unexpected) has changed nothing, since the use case's
  transaction rolled back, so its key is released: a retry with the same key acts afresh
  and sees the state of that moment (a freed seat, a completed profile) instead of an
  outdated refusal.

A request without the header is served as it is, with no protection against repeats.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated

import msgspec
from litestar import Response
from litestar.params import HeaderParameter

from aquastream.domain.shared.errors import Conflict, FieldError, RuleViolated, ValidationFailed
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.idempotency import IdempotencyRecord, IdempotencyStore, StoredResponse

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_RETENTION = timedelta(hours=24)
# A booking answers in milliseconds; a reservation unanswered this long belongs to a
# request that died, and the next retry takes the key over instead of hearing "in progress".
ABANDONED_AFTER = timedelta(minutes=2)
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


class IdempotencyInProgress(Conflict):
    code = "idempotency.in_progress"
    default_message = "A request with this Idempotency-Key is still being handled; retry shortly."


def request_fingerprint(method: str, path: str, body: msgspec.Struct) -> str:
    """What makes two requests "the same": method, path and the body as validated."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), msgspec.json.encode(body, order="sorted")):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotentPost:
    """Runs a POST handler at most once per (caller, key); see the module's docstring."""

    def __init__(self, store: IdempotencyStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def answer(
        self,
        caller: Principal,
        key: str | None,
        *,
        method: str,
        path: str,
        body: msgspec.Struct,
        status_code: int,
        act: Callable[[], Awaitable[msgspec.Struct]],
    ) -> Response[bytes]:
        """``act`` does the work and returns the response body, sent with ``status_code``."""
        if key is None:
            return _json(status_code, msgspec.json.encode(await act()))
        _check(key)
        fingerprint = request_fingerprint(method, path, body)
        held = await self._store.reserve(
            caller.user_id,
            key,
            request_hash=fingerprint,
            now=self._clock.now(),
            ttl=KEY_RETENTION,
            abandoned_after=ABANDONED_AFTER,
        )
        if held is not None:
            return _replay(held, fingerprint)
        try:
            content = msgspec.json.encode(await act())
        except BaseException:
            # Cancellation too: whatever the request did rolled back with its transaction (and
            # were it cut off after the commit, a retry meets the domain's own duplicate rule).
            await self._store.release(caller.user_id, key)
            raise
        await self._store.complete(caller.user_id, key, StoredResponse(status_code, content))
        return _json(status_code, content)


def _check(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise ValidationFailed(
            "Invalid Idempotency-Key.",
            errors=[FieldError(IDEMPOTENCY_KEY_HEADER, f"must be 1 to {MAX_KEY_LENGTH} characters long")],
        )


def _replay(held: IdempotencyRecord, fingerprint: str) -> Response[bytes]:
    if held.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    if held.response is None:
        raise IdempotencyInProgress()
    response = _json(held.response.status_code, held.response.body)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _json(status_code: int, content: bytes) -> Response[bytes]:
    return Response(content, status_code=status_code, media_type=JSON_MEDIA_TYPE)
