"""``POST /admin/notifications/test``: an admin checks that a user's channel delivers."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from aquastream.adapters.http.auth import requires_role
from aquastream.adapters.http.notifications.dto import MessageOut, TestMessageIn
from aquastream.domain.notifications.admin import SendTestMessage
from aquastream.domain.shared.principal import Role


class AdminNotificationController(Controller):
    path = "/admin/notifications"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]

    @post("/test", status_code=HTTP_202_ACCEPTED, summary="Send a test message to a user")
    @inject
    async def send_test(
        self, data: JSONBody[TestMessageIn], send_test: FromDishka[SendTestMessage]
    ) -> MessageOut:
        """Through the channel the user's messages take (Telegram, else email, else SMS); 404
        ``notifications.recipient_not_found`` for an unknown, blocked or deleted user."""
        return MessageOut.of(await send_test(data.user_id, data.text))
