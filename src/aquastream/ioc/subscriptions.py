"""Who reacts to which fact: each domain declares its reactions (event type → use case) in one
table of its own, typed so that mypy checks every reaction against the event it receives and
the use case it calls. The composition root only joins the tables.

A reaction is a subscriber with a stable name, ``<domain>.<UseCase>``: the event spine keeps
each subscriber's deliveries apart, so one reaction's failure never holds back another's.
A reaction made with ``call_many`` may be handed several facts at once (the spine falls back
to one at a time when such a batch fails).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aquastream.domain.shared.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Reaction(Generic[E, U]):
    """When a fact of ``event_type`` arrives, resolve ``use_case`` and ``call`` it; with
    ``call_many``, several facts may come at once, to be handled all or nothing."""

    event_type: type[E]
    use_case: type[U]
    call: Callable[[U, E], Awaitable[object]]
    subscriber: str = ""  # set by the domain's table
    call_many: Callable[[U, Sequence[E]], Awaitable[object]] | None = None


@dataclass(frozen=True, slots=True)
class _When(Generic[E, U]):
    event_type: type[E]
    use_case: type[U]

    def call(self, call: Callable[[U, E], Awaitable[object]]) -> Reaction[E, U]:
        return Reaction(self.event_type, self.use_case, call)

    def call_many(self, call_many: Callable[[U, Sequence[E]], Awaitable[object]]) -> Reaction[E, U]:
        """For a use case that handles several facts in one transaction, all or nothing (one
        fact alone is a batch of one)."""
        return Reaction(
            self.event_type,
            self.use_case,
            lambda use_case, event: call_many(use_case, [event]),
            call_many=call_many,
        )


def on(event_type: type[E], use_case: type[U]) -> _When[E, U]:
    """``on(PaymentSucceeded, ConfirmPaidBooking).call(lambda confirm, e: confirm(e.booking_id))``.

    Two steps, so that mypy knows the event and use case types before it reads the lambda
    and checks its body (in one call it would take the lambda's parameters as ``Any``)."""
    return _When(event_type, use_case)


class Reactions:
    """One domain's table of reactions; each becomes the subscriber ``<domain>.<UseCase>``."""

    def __init__(self, domain: str, *reactions: Reaction[Any, Any]) -> None:
        self.domain = domain
        self.reactions = tuple(
            dataclasses.replace(reaction, subscriber=f"{domain}.{reaction.use_case.__name__}")
            for reaction in reactions
        )
        seen = [(r.subscriber, r.event_type) for r in self.reactions]
        if len(seen) != len(set(seen)):
            raise ValueError(f"{domain} reacts twice with one use case to one event type")
