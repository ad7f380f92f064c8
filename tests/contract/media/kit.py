"""The media unit of work on one backend, and a way to make the owners it asks about: rows
in the identity, catalog and booking tables on SQL, known facts in memory."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.media import MemoryMediaUnitOfWork, MemoryOwnerDirectory
from aquastream.adapters.sql.booking.served import BookingProofOwners
from aquastream.adapters.sql.catalog.served import CatalogMediaOwners
from aquastream.adapters.sql.identity.served import IdentityAvatarOwners
from aquastream.adapters.sql.media import SqlMediaUnitOfWork
from aquastream.adapters.sql.tables.booking import bookings
from aquastream.adapters.sql.tables.catalog import events, organizers, team_members
from aquastream.adapters.sql.tables.identity import users
from aquastream.domain.media.model import OwnerType
from aquastream.domain.media.owners import OwnersOfTheirDomains
from aquastream.domain.shared.ids import new_id
from aquastream.ports.media import MediaUnitOfWork, OwnerFacts
from tests.contract.factories import NOW


@dataclass
class MediaKit:
    name: str
    new_uow: Callable[[], MediaUnitOfWork]
    engine: AsyncEngine | None = None
    owners: MemoryOwnerDirectory | None = None

    async def _insert(self, table: object, **values: object) -> None:
        assert self.engine is not None
        async with self.engine.begin() as connection:
            await connection.execute(insert(table).values(**values))  # type: ignore[arg-type]

    def _know(self, owner_type: OwnerType, owner_id: uuid.UUID, facts: OwnerFacts) -> None:
        assert self.owners is not None
        self.owners.add(owner_type, owner_id, facts)

    async def a_user(self, *, deleted: bool = False) -> uuid.UUID:
        user_id = new_id()
        if self.engine is None:
            if not deleted:
                self._know(OwnerType.AVATAR, user_id, OwnerFacts(user_id=user_id))
            return user_id
        await self._insert(
            users,
            id=user_id,
            email=f"{user_id.hex}@example.com",
            password_hash="not-used",
            role="USER",
            is_active=True,
            created_at=NOW,
            updated_at=NOW,
            deleted_at=NOW if deleted else None,
        )
        return user_id

    async def an_organizer(self, owner_user_id: uuid.UUID) -> uuid.UUID:
        organizer_id = new_id()
        if self.engine is None:
            self._know(OwnerType.ORGANIZER_LOGO, organizer_id, OwnerFacts(organizer_owner_id=owner_user_id))
            return organizer_id
        await self._insert(
            organizers,
            id=organizer_id,
            slug=f"org-{organizer_id.hex[:12]}",
            name="River Rats",
            owner_user_id=owner_user_id,
            search_text="river rats",
            created_at=NOW,
            updated_at=NOW,
        )
        return organizer_id

    async def a_team_member(self, organizer_id: uuid.UUID, owner_user_id: uuid.UUID) -> uuid.UUID:
        member_id = new_id()
        if self.engine is None:
            self._know(OwnerType.TEAM_PHOTO, member_id, OwnerFacts(organizer_owner_id=owner_user_id))
            return member_id
        await self._insert(team_members, id=member_id, organizer_id=organizer_id, name="Guide", sort_order=1)
        return member_id

    async def an_event(self, organizer_id: uuid.UUID, owner_user_id: uuid.UUID) -> uuid.UUID:
        event_id = new_id()
        if self.engine is None:
            self._know(OwnerType.EVENT_IMAGE, event_id, OwnerFacts(organizer_owner_id=owner_user_id))
            return event_id
        await self._insert(
            events,
            id=event_id,
            organizer_id=organizer_id,
            type="RAFTING",
            title="Rafting",
            date_start=NOW + timedelta(days=30),
            date_end=NOW + timedelta(days=31),
            price=Decimal("1500.00"),
            currency="RUB",
            capacity=10,
            status="PUBLISHED",
            tags=[],
            search_text="rafting",
            created_at=NOW,
            updated_at=NOW,
        )
        return event_id

    async def a_booking(
        self,
        event_id: uuid.UUID,
        user_id: uuid.UUID,
        organizer_owner_id: uuid.UUID,
        *,
        status: str = "PENDING",
    ) -> uuid.UUID:
        booking_id = new_id()
        if self.engine is None:
            facts = OwnerFacts(
                user_id=user_id, organizer_owner_id=organizer_owner_id, booking_pending=status == "PENDING"
            )
            self._know(OwnerType.PAYMENT_PROOF, booking_id, facts)
            return booking_id
        await self._insert(
            bookings,
            id=booking_id,
            event_id=event_id,
            user_id=user_id,
            status=status,
            payment_status="PENDING" if status == "PENDING" else "PAID",
            amount=Decimal("1500.00"),
            currency="RUB",
            created_at=NOW,
            updated_at=NOW,
        )
        return booking_id


def memory_kit(database: MemoryDatabase) -> MediaKit:
    owners = MemoryOwnerDirectory()
    return MediaKit("memory", lambda: MemoryMediaUnitOfWork(database, owners), owners=owners)


def sql_kit(name: str, engine: AsyncEngine) -> MediaKit:
    # The owners as the application asks them: each domain answers on its own connections.
    owners = OwnersOfTheirDomains(
        IdentityAvatarOwners(engine), CatalogMediaOwners(engine), BookingProofOwners(engine)
    )
    return MediaKit(name, lambda: SqlMediaUnitOfWork(engine, owners), engine=engine)
