"""Media's ``OwnerDirectory``, composed of the questions each owner's domain serves: identity
for avatars, the catalog for logos, team photos and event images, booking (and the catalog,
for the event's organizer) for payment proofs."""

from __future__ import annotations

import uuid

from aquastream.domain.media.model import OwnerType
from aquastream.ports.media import AvatarOwners, CatalogOwners, OwnerFacts, ProofOwners


class OwnersOfTheirDomains:
    def __init__(self, avatars: AvatarOwners, catalog: CatalogOwners, proofs: ProofOwners) -> None:
        self._avatars = avatars
        self._catalog = catalog
        self._proofs = proofs

    async def facts(self, owner_type: OwnerType, owner_id: uuid.UUID) -> OwnerFacts | None:
        match owner_type:
            case OwnerType.AVATAR:
                exists = await self._avatars.account_exists(owner_id)
                return OwnerFacts(user_id=owner_id) if exists else None
            case OwnerType.PAYMENT_PROOF:
                booking = await self._proofs.booking(owner_id)
                if booking is None:
                    return None
                event = await self._catalog.organizer_owner(OwnerType.EVENT_IMAGE, booking.event_id)
                return OwnerFacts(
                    user_id=booking.user_id,
                    organizer_owner_id=event.organizer_owner_id if event else None,
                    booking_pending=booking.pending,
                )
            case _:
                return await self._catalog.organizer_owner(owner_type, owner_id)
