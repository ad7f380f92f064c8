"""``/notifications`` (the list), ``/notifications/{id}/read`` and ``/notifications/read-all``:
the caller's in-app inbox. Only the caller's own messages are ever seen or marked; the paths
leave ``preferences`` and ``telegram`` under ``/notifications`` to their controllers (an id
is a UUID, and no route of this controller has one segment after the prefix)."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK

from aquastream.adapters.http.notifications.dto import AllReadOut, InboxOut, NotificationReadOut
from aquastream.adapters.http.paging import PageNumber, PageSize, page_request
from aquastream.domain.notifications.inbox import ListInbox, MarkAllRead, MarkRead
from aquastream.domain.shared.principal import Principal


class InboxController(Controller):
    path = "/notifications"
    tags = ["notifications"]

    @get("", summary="The caller's notifications, newest first, with the unread count")
    @inject
    async def list_mine(
        self,
        caller: FromDishka[Principal],
        list_inbox: FromDishka[ListInbox],
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> InboxOut:
        return InboxOut.of_inbox(await list_inbox(caller.user_id, page_request(page, size)))

    @post("/{notification_id:uuid}/read", status_code=HTTP_200_OK, summary="Mark one notification read")
    @inject
    async def mark_read(
        self,
        notification_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        mark_read: FromDishka[MarkRead],
    ) -> NotificationReadOut:
        return NotificationReadOut.of(await mark_read(caller.user_id, notification_id))

    @post("/read-all", status_code=HTTP_200_OK, summary="Mark every notification of the caller read")
    @inject
    async def mark_all_read(
        self, caller: FromDishka[Principal], mark_all_read: FromDishka[MarkAllRead]
    ) -> AllReadOut:
        return AllReadOut.of(await mark_all_read(caller.user_id))
