"""The unit of work every domain's persistence port builds on."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from aquastream.domain.shared.events import DomainEvent


class ChangeCollided(Exception):
    """A row written with the change of an entry ``at_once`` collided with one that exists
    (a unique key): nothing of the entry stands."""


class UnitOfWork(Protocol):
    """One transaction. ``async with uow:`` begins it; leaving without ``commit`` rolls back.

    Events collected with ``collect`` are written to the outbox by ``commit``, in the same
    transaction as the state change that raised them. A unit of work may be entered again
    after it ends; each entry is a new transaction.
    """

    async def __aenter__(self) -> Self: ...

    def reading(self) -> Self:
        """This unit of work, for its next entry to only read: no write lock and, where the
        database allows it, no transaction at all (each statement sees what is committed when
        it runs). It must not write (on PostgreSQL a write would stand at once), and ``commit``
        refuses. For the pages read all the time."""
        ...

    def at_once(self) -> Self:
        """This unit of work, for its next entry to make one conditional change that stands
        by itself, with the rows written and the facts collected before it: a repository
        method built for it (such as ``TicketRepository.check_in``) makes the change and
        writes them with it in one statement, or writes nothing when it changes nothing.
        Where the database allows it (PostgreSQL) no transaction is begun: that statement is
        the transaction, and the reads around it see what is committed when each runs; a row
        that collides with one that exists (a unique key) undoes it all (``ChangeCollided``).
        Elsewhere the writes may be made as they come: an entry whose change changed nothing
        (or collided) is left without ``commit``, which undoes them. Nothing may be written
        after the change (``commit`` refuses)."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def write_events(self) -> None:
        """Write the events collected so far to the outbox now, inside the transaction.

        ``commit`` does it anyway; a hot path calls it before it takes a contended lock, so
        that the lock is held for fewer statements. Rolled back like everything else."""
        ...

    def collect(self, *events: DomainEvent) -> None: ...
