"""Who may act: the caller's own live account, or an administrator's."""

from __future__ import annotations

from aquastream.domain.identity.errors import NotAllowed, UserBlocked, UserNotFound
from aquastream.domain.identity.model import Principal, Role, User
from aquastream.ports.identity import IdentityUnitOfWork


async def load_me(uow: IdentityUnitOfWork, principal: Principal, *, must_be_active: bool = True) -> User:
    """The caller's account. The edge refuses the tokens of a deleted or blocked account
    within seconds of the change (as soon as it has read it), so the stored account, not
    the token, decides."""
    user = await uow.users.get(principal.user_id)
    if user is None or user.is_deleted:
        raise UserNotFound()
    if must_be_active and not user.is_active:
        raise UserBlocked()
    return user


async def require_admin(uow: IdentityUnitOfWork, principal: Principal) -> User:
    """The token must say ADMIN and the stored account must still be an active admin:
    the edge lets a demoted or blocked admin's token through for seconds after the change."""
    if not principal.is_admin:
        raise NotAllowed()
    admin = await uow.users.get(principal.user_id)
    if admin is None or admin.is_deleted or not admin.is_active or admin.role != Role.ADMIN:
        raise NotAllowed()
    return admin
