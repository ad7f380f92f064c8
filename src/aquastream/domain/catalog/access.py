"""Who may manage an organizer and its events, and who may see a draft."""

from __future__ import annotations

import uuid

from aquastream.domain.catalog.errors import EventNotFound, NotOrganizerManager, OrganizerNotFound
from aquastream.domain.catalog.model import Event, EventStatus, Organizer
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.catalog import CatalogUnitOfWork


def can_manage(principal: Principal | None, organizer: Organizer) -> bool:
    """Admins manage every organizer; an ORGANIZER user manages the ones they own. An
    owner demoted to USER loses the management (their pages stay)."""
    if principal is None:
        return False
    if principal.is_admin:
        return True
    return principal.role is Role.ORGANIZER and organizer.owner_user_id == principal.user_id


def require_manager(principal: Principal, organizer: Organizer) -> None:
    if not can_manage(principal, organizer):
        raise NotOrganizerManager()


async def managed_organizer(uow: CatalogUnitOfWork, slug: str, principal: Principal) -> Organizer:
    """The organizer with this slug (404) that the caller manages (403)."""
    organizer = await uow.organizers.get_by_slug(slug)
    if organizer is None:
        raise OrganizerNotFound()
    require_manager(principal, organizer)
    return organizer


async def visible_event(
    uow: CatalogUnitOfWork, event_id: uuid.UUID, principal: Principal | None
) -> tuple[Event, Organizer]:
    """The event and its organizer; a draft is 404 for anyone who does not manage it."""
    event = await uow.events.get(event_id)
    if event is None:
        raise EventNotFound()
    organizer = await uow.organizers.get(event.organizer_id)
    if organizer is None:
        raise EventNotFound()
    if event.status is EventStatus.DRAFT and not can_manage(principal, organizer):
        raise EventNotFound()
    return event, organizer


async def managed_event(
    uow: CatalogUnitOfWork, event_id: uuid.UUID, principal: Principal
) -> tuple[Event, Organizer]:
    """The event, locked for the transaction, when the caller manages its organizer.

    Someone who may not manage it gets 404 for a draft (they may not know it exists) and
    403 for a public event.
    """
    event = await uow.events.get(event_id, for_update=True)
    if event is None:
        raise EventNotFound()
    organizer = await uow.organizers.get(event.organizer_id)
    if organizer is None:
        raise EventNotFound()
    if not can_manage(principal, organizer):
        if event.status is EventStatus.DRAFT:
            raise EventNotFound()
        raise NotOrganizerManager()
    return event, organizer
