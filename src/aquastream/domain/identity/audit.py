"""How use cases write the audit log: one entry per fact, with actor, target, payload and IP."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from aquastream.domain.identity.model import AuditAction, AuditEntry, RequestContext
from aquastream.domain.shared.ids import new_id


def audit_entry(
    action: AuditAction,
    *,
    at: datetime,
    actor_id: uuid.UUID | None = None,
    target_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
    ctx: RequestContext | None = None,
) -> AuditEntry:
    return AuditEntry(
        id=new_id(),
        action=action,
        created_at=at,
        actor_id=actor_id,
        target_id=target_id,
        payload=payload or {},
        ip=ctx.ip if ctx else None,
    )
