"""Who may upload, read and delete the files of each owner type.

- ``avatar``: its user uploads and deletes; the user and admins read it (admins moderate
  profiles). An admin may also delete an avatar.
- ``organizer_logo``, ``team_photo``, ``event_image``: whoever manages the organizer (its
  owner while they hold the ORGANIZER role, as in the catalog) and admins upload and
  delete; anyone reads them.
- ``payment_proof``: only the booking's payer uploads, while the booking is PENDING (the
  payments domain trusts ``uploaded_by`` to be the payer); the payer and admins delete; the
  payer, the owner of the event's organizer and admins read.
A booking the caller does not own is "not found" to them, as everywhere else; so is a
private file the caller may not read.

The owners' domains answer on connections of their own: they are asked while no media
transaction is open (one holding SQLite's write lock must not wait for another connection).
"""

from __future__ import annotations

import uuid

from aquastream.domain.media.errors import BookingNotPending, MediaForbidden, MediaNotFound, OwnerNotFound
from aquastream.domain.media.model import FileStatus, MediaFile, OwnerType
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.media import OwnerDirectory, OwnerFacts


def _manages_organizer(principal: Principal, facts: OwnerFacts) -> bool:
    return principal.role is Role.ORGANIZER and principal.user_id == facts.organizer_owner_id


def _may_manage(principal: Principal, owner_type: OwnerType, facts: OwnerFacts) -> bool:
    if principal.is_admin:
        return True
    if owner_type in (OwnerType.AVATAR, OwnerType.PAYMENT_PROOF):
        return principal.user_id == facts.user_id
    return _manages_organizer(principal, facts)


def may_read(principal: Principal | None, file: MediaFile, facts: OwnerFacts | None) -> bool:
    """``facts`` are those of the file's owner (None when the owner is gone)."""
    if file.is_public:
        return True
    if principal is None:
        return False
    if principal.is_admin:
        return True
    if facts is None:
        return False
    if principal.user_id == facts.user_id:
        return True
    return file.owner_type is OwnerType.PAYMENT_PROOF and _manages_organizer(principal, facts)


async def authorize_upload(
    owners: OwnerDirectory, principal: Principal, owner_type: OwnerType, owner_id: uuid.UUID
) -> None:
    """Raise unless ``principal`` may add a file of ``owner_type`` to ``owner_id`` now."""
    facts = await owners.facts(owner_type, owner_id)
    if owner_type is OwnerType.PAYMENT_PROOF:
        if facts is None or facts.user_id != principal.user_id:
            raise OwnerNotFound()
        if not facts.booking_pending:
            raise BookingNotPending()
        return
    if facts is None:
        raise OwnerNotFound()
    if not _may_manage(principal, owner_type, facts):
        raise MediaForbidden()


async def visible_file(
    owners: OwnerDirectory, principal: Principal | None, file: MediaFile | None
) -> MediaFile:
    """The file when it is READY and the caller may read it; anything else is "not found"."""
    if file is None or file.status is not FileStatus.READY:
        raise MediaNotFound()
    facts = None if file.is_public else await owners.facts(file.owner_type, file.owner_id)
    if not may_read(principal, file, facts):
        raise MediaNotFound()
    return file


async def authorize_delete(owners: OwnerDirectory, principal: Principal, file: MediaFile) -> None:
    """Admins, and whoever manages the owner (see the module's rules); the uploader also when
    the owner is gone. A PENDING upload is seen by its uploader alone; someone who may not
    read a file is told it does not exist."""
    if principal.is_admin:
        return
    facts = await owners.facts(file.owner_type, file.owner_id)
    if facts is None:
        if principal.user_id == file.uploaded_by:
            return
    elif _may_manage(principal, file.owner_type, facts):
        return
    if file.status is FileStatus.PENDING or not may_read(principal, file, facts):
        raise MediaNotFound()
    raise MediaForbidden()
