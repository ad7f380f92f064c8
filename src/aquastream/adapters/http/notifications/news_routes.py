"""``POST /events/{id}/news``: the organizer writes to every confirmed participant (EVENT_NEWS)."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from aquastream.adapters.http.auth import requires_role
from aquastream.adapters.http.notifications.dto import NewsIn, NewsOut
from aquastream.domain.notifications.events import PostEventNews
from aquastream.domain.shared.principal import Principal, Role


class EventNewsController(Controller):
    path = "/events"
    tags = ["notifications"]
    guards = [requires_role(Role.ORGANIZER)]

    @post("/{event_id:uuid}/news", status_code=HTTP_202_ACCEPTED, summary="Post news to the participants")
    @inject
    async def post_news(
        self,
        event_id: FromPath[uuid.UUID],
        data: JSONBody[NewsIn],
        caller: FromDishka[Principal],
        post_news: FromDishka[PostEventNews],
    ) -> NewsOut:
        """The event's organizer or an admin (other organizers get 404 ``event.not_found``).
        In every CONFIRMED participant's inbox, and queued through their channel;
        ``recipients`` counts those a channel carries it to (participants who switched
        EVENT_NEWS off everywhere they can be reached find it in the inbox only)."""
        posted = await post_news(caller, event_id, data.text)
        return NewsOut(news_id=posted.news_id, recipients=posted.recipients)
