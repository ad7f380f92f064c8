"""Payments' ``OrganizerDirectory`` on every backend: who manages an organizer, read from the
catalog's table on the catalog's own connections (SQL: the catalog serves it) or set by hand
(memory)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import insert

from aquastream.adapters.memory.payments import MemoryOrganizerDirectory
from aquastream.adapters.sql.catalog.organizers import CatalogOrganizerDirectory
from aquastream.adapters.sql.tables.catalog import organizers
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.payments import OrganizerDirectory

from .kit import PaymentsKit


@asynccontextmanager
async def _directory(
    kit: PaymentsKit, owner: uuid.UUID, organizer_id: uuid.UUID
) -> AsyncIterator[OrganizerDirectory]:
    engine = kit.booking.engine
    if engine is None:
        yield MemoryOrganizerDirectory({organizer_id: {owner}}, {f"org-{organizer_id.hex[:8]}": organizer_id})
        return
    now = kit.clock.now()
    async with engine.begin() as connection:
        await connection.execute(
            insert(organizers).values(
                id=organizer_id,
                slug=f"org-{organizer_id.hex[:8]}",
                name="River Rats",
                owner_user_id=owner,
                search_text="river rats",
                created_at=now,
                updated_at=now,
            )
        )
    yield CatalogOrganizerDirectory(engine)


async def test_owners_who_are_organizers_and_admins_manage_an_organizer(kit: PaymentsKit) -> None:
    owner, organizer_id = new_id(), new_id()

    async with _directory(kit, owner, organizer_id) as directory:
        assert await directory.can_manage(Principal(owner, Role.ORGANIZER), organizer_id)
        assert await directory.can_manage(Principal(new_id(), Role.ADMIN), organizer_id)
        # An owner demoted to USER no longer manages; strangers never do.
        assert not await directory.can_manage(Principal(owner, Role.USER), organizer_id)
        assert not await directory.can_manage(Principal(new_id(), Role.ORGANIZER), organizer_id)
        assert set(await directory.managed_by(Principal(owner, Role.ORGANIZER))) == {organizer_id}
        assert set(await directory.managed_by(Principal(owner, Role.USER))) == set()
        assert await directory.id_of(f"org-{organizer_id.hex[:8]}") == organizer_id
        assert await directory.id_of("no-such-organizer") is None
