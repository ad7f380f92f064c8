"""``/admin/outbox``: an operator's view of the event spine's dead letters, and retrying one.

A dead letter is one delivery of one fact to one subscriber that failed on every attempt; the
other subscribers of the fact got theirs. Retrying puts it back in line with fresh attempts
(after the cause is fixed: a subscriber is idempotent, so a repeat does no harm).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from aquastream.adapters.http.auth import requires_role
from aquastream.adapters.http.route_options import RAISES
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.shared.dispatch import DeadLetter, Spine
from aquastream.domain.shared.errors import NotFound
from aquastream.domain.shared.principal import Role

DEAD_LETTERS_SHOWN = 100

Limit = Annotated[
    int, QueryParameter(name="limit", ge=1, le=DEAD_LETTERS_SHOWN, description="How many, most recent first.")
]


class DeadLetterNotFound(NotFound):
    code = "outbox.dead_letter_not_found"
    default_message = "No dead letter has this id (it may have been retried already)."


class DeadLetterOut(CamelStruct):
    """``subscriber`` is ``<domain>.<UseCase>``; ``occurredAt`` is when the fact happened."""

    id: uuid.UUID
    message_id: uuid.UUID
    domain: str
    subscriber: str
    event: str
    attempts: int
    occurred_at: datetime
    last_error: str | None

    @classmethod
    def of(cls, letter: DeadLetter) -> DeadLetterOut:
        delivery = letter.delivery
        return cls(
            id=delivery.id,
            message_id=delivery.message_id,
            domain=letter.domain,
            subscriber=delivery.subscriber,
            event=delivery.event_name,
            attempts=delivery.attempts,
            occurred_at=delivery.created_at,
            last_error=delivery.last_error,
        )


class RetriedOut(CamelStruct):
    id: uuid.UUID
    retried: bool


class OutboxAdminController(Controller):
    path = "/admin/outbox"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]

    @get("/dead", summary="Deliveries given up after their last attempt")
    @inject
    async def dead_letters(
        self, spine: FromDishka[Spine], limit: Limit = DEAD_LETTERS_SHOWN
    ) -> list[DeadLetterOut]:
        """Of every domain's inbox, most recent fact first, with the last error."""
        return [DeadLetterOut.of(letter) for letter in await spine.dead_letters(limit=limit)]

    @post(
        "/dead/{delivery_id:uuid}/retry",
        status_code=HTTP_200_OK,
        summary="Put a dead letter back in line",
        opt={RAISES: (DeadLetterNotFound,)},
    )
    @inject
    async def retry(self, delivery_id: FromPath[uuid.UUID], spine: FromDishka[Spine]) -> RetriedOut:
        """The delivery is attempted again with fresh attempts, by the next worker pass; 404
        ``outbox.dead_letter_not_found`` when no dead letter has this id."""
        if not await spine.retry(delivery_id):
            raise DeadLetterNotFound()
        return RetriedOut(id=delivery_id, retried=True)
