"""Demo data: a brand page with its team and FAQ, published events and two people, so that
a newcomer sees a living catalog after ``aquastream demo-data``.

Everything is made through the use cases (the same rules as the API), then the outbox is
drained so that the booking domain knows the events before the participant books one.
Loading twice changes nothing: the organizer's slug tells the data is there. Refused in
production: the demo accounts share one known password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from dishka import AsyncContainer

from aquastream.domain.booking.book import BookSeat
from aquastream.domain.catalog.authoring import CreateEvent
from aquastream.domain.catalog.errors import OrganizerNotFound
from aquastream.domain.catalog.event_rules import EventInput
from aquastream.domain.catalog.faq import AddFaqItem, FaqItemInput
from aquastream.domain.catalog.lifecycle import PublishEvent
from aquastream.domain.catalog.organizers import CreateOrganizer, GetOrganizer, OrganizerInput
from aquastream.domain.catalog.team import AddTeamMember, TeamMemberInput
from aquastream.domain.identity.admin import ChangeUserRole
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.identity.registration import RegisterUser, Registration
from aquastream.domain.shared.dispatch import OutboxDispatcher
from aquastream.domain.shared.principal import Principal, Role

ORGANIZER_SLUG = "belaya-voda"
ADMIN_EMAIL = "demo-admin@example.com"
ORGANIZER_EMAIL = "demo-organizer@example.com"
PARTICIPANT_EMAIL = "demo-participant@example.com"
CONTEXT = RequestContext(ip=None)


@dataclass(frozen=True, slots=True)
class DemoEvent:
    type: str
    title: str
    days_from_now: int
    nights: int
    capacity: int
    price: Decimal | None
    city: str
    address: str
    description: str
    tags: tuple[str, ...]


EVENTS = (
    DemoEvent(
        "RAFTING",
        "Сплав по Мсте выходного дня",
        14,
        1,
        24,
        None,
        "Великий Новгород",
        "База «Мста», д. Малая Вишера",
        "Два дня на воде: пороги Мсты для новичков, ночёвка в палатках, уха на костре.",
        ("сплав", "новичкам", "выходные"),
    ),
    DemoEvent(
        "KAYAK",
        "Каякинг по Ладожским шхерам",
        30,
        4,
        12,
        Decimal("24500.00"),
        "Сортавала",
        "Причал у гостиницы «Ладога», ул. Набережная, 1",
        "Пять дней между островами Ладоги на морских каяках, с инструктором на каждые четыре лодки.",
        ("каяки", "Карелия"),
    ),
    DemoEvent(
        "HIKE",
        "Поход к водопадам Рускеалы",
        21,
        0,
        30,
        Decimal("3500.00"),
        "Рускеала",
        "Парковка горного парка «Рускеала»",
        "Однодневный поход 14 км с обедом на привале и трансфером из Сортавалы.",
        ("поход", "однодневный"),
    ),
    DemoEvent(
        "CAMP",
        "Летний лагерь на Вуоксе",
        60,
        6,
        40,
        Decimal("38000.00"),
        "Лосево",
        "Лагерь «Вуокса», пос. Лосево",
        "Неделя в лагере: сплав, SUP, вечерние костры и обучение технике гребли.",
        ("лагерь", "SUP", "сплав"),
    ),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    loaded: bool
    events: int
    accounts: tuple[str, ...]


async def load_demo_data(container: AsyncContainer, password: str) -> DemoSummary:
    """Load the demo once; ``loaded`` is False when it was there already."""
    accounts = (ADMIN_EMAIL, ORGANIZER_EMAIL, PARTICIPANT_EMAIL)
    if await _already_loaded(container):
        return DemoSummary(loaded=False, events=0, accounts=accounts)

    call = _Caller(container)
    admin = await call(CreateAdmin, ADMIN_EMAIL, password)
    admin_principal = Principal(admin.user_id, Role.ADMIN, ADMIN_EMAIL)
    organizer_id, _ = await call(RegisterUser, Registration(ORGANIZER_EMAIL, password), CONTEXT)
    await call(ChangeUserRole, admin_principal, organizer_id, Role.ORGANIZER, CONTEXT)
    organizer = Principal(organizer_id, Role.ORGANIZER, ORGANIZER_EMAIL)
    participant_id, _ = await call(
        RegisterUser, Registration(PARTICIPANT_EMAIL, password, "+79990000000"), CONTEXT
    )

    await call(CreateOrganizer, organizer, _BRAND)
    for member in _TEAM:
        await call(AddTeamMember, organizer, ORGANIZER_SLUG, member)
    for item in _FAQ:
        await call(AddFaqItem, organizer, ORGANIZER_SLUG, item)
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    event_ids = []
    for event in EVENTS:
        view = await call(CreateEvent, organizer, ORGANIZER_SLUG, _event_input(event, today))
        await call(PublishEvent, organizer, view.event.id)
        event_ids.append(view.event.id)

    await _drain_outbox(container)
    participant = Principal(participant_id, Role.USER, PARTICIPANT_EMAIL)
    await call(BookSeat, participant, event_ids[0])
    await _drain_outbox(container)
    return DemoSummary(loaded=True, events=len(EVENTS), accounts=accounts)


class _Caller:
    """Runs a use case in a request scope of its own, as one HTTP request would."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def __call__(self, use_case: type[Any], *args: Any) -> Any:
        async with self._container() as request:
            return await (await request.get(use_case))(*args)


async def _already_loaded(container: AsyncContainer) -> bool:
    async with container() as request:
        get_organizer = await request.get(GetOrganizer)
        try:
            await get_organizer(ORGANIZER_SLUG)
        except OrganizerNotFound:
            return False
    return True


async def _drain_outbox(container: AsyncContainer) -> None:
    dispatcher = await container.get(OutboxDispatcher)
    await dispatcher.drain()


def _event_input(event: DemoEvent, today: datetime) -> EventInput:
    start = today + timedelta(days=event.days_from_now)
    end = start + timedelta(days=event.nights, hours=9)
    return EventInput(
        type=event.type,
        title=event.title,
        date_start=start,
        date_end=end,
        capacity=event.capacity,
        description=event.description,
        city=event.city,
        address=event.address,
        price=event.price,
        tags=event.tags,
    )


_BRAND = OrganizerInput(
    slug=ORGANIZER_SLUG,
    name="Белая вода",
    description="Сплавы, каякинг и походы по Северо-Западу с 2012 года.",
    email="hello@example.com",
    phone="+78120000000",
    telegram="@belaya_voda_demo",
    website="https://example.com",
)
_TEAM = (
    TeamMemberInput(name="Анна Смирнова", role="Старший инструктор", bio="КМС по водному туризму."),
    TeamMemberInput(name="Пётр Иванов", role="Инструктор, медик"),
)
_FAQ = (
    FaqItemInput(question="Нужен ли опыт?", answer="Нет: перед выходом на воду — инструктаж и тренировка."),
    FaqItemInput(question="Что взять с собой?", answer="Список вещей придёт в подтверждении бронирования."),
)
