"""What the demo shows: the brand page, its team and FAQ, the events, the people and the
crews (``demo`` loads them through the use cases)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aquastream.domain.catalog.faq import FaqItemInput
from aquastream.domain.catalog.organizers import OrganizerInput
from aquastream.domain.catalog.team import TeamMemberInput
from aquastream.domain.crews.model import CrewDetails, CrewType

ORGANIZER_SLUG = "belaya-voda"


@dataclass(frozen=True, slots=True)
class DemoEvent:
    type: str
    title: str
    days_from_now: int  # at 09:00 UTC; the trip under way starts two hours before the load
    nights: int
    capacity: int
    price: Decimal | None
    city: str
    address: str
    description: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoPerson:
    email: str
    phone: str
    first_name: str
    last_name: str


RAFTING = DemoEvent(
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
)
KAYAK = DemoEvent(
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
)
HIKE = DemoEvent(
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
)
CAMP = DemoEvent(
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
)
# Two seats, both taken: the demo participant waits first in line.
WORKSHOP = DemoEvent(
    "KAYAK",
    "Мастер-класс: эскимосский переворот",
    10,
    0,
    2,
    None,
    "Санкт-Петербург",
    "Бассейн «Волна», ул. Гребецкая, 7",
    "Три часа в бассейне с инструктором: учимся переворачиваться в каяке и вставать обратно.",
    ("каяки", "мастер-класс"),
)
# Under way since two hours ago (the organizer may record no-shows), paid in cash at the start.
UNDER_WAY = DemoEvent(
    "RAFTING",
    "Трёхдневный сплав по Шуе",
    0,
    2,
    8,
    Decimal("9000.00"),
    "Петрозаводск",
    "Турбаза «Шуя», пос. Шуя",
    "Три дня по карельской Шуе: пороги Бесовец и Падун, ночёвки на островах.",
    ("сплав", "Карелия"),
)
EVENTS = (RAFTING, KAYAK, HIKE, CAMP, WORKSHOP, UNDER_WAY)

PARTICIPANT = DemoPerson("demo-participant@example.com", "+79990000000", "Мария", "Волкова")
OTHERS = (
    DemoPerson("demo-ivan@example.com", "+79990000001", "Иван", "Петров"),
    DemoPerson("demo-olga@example.com", "+79990000002", "Ольга", "Кузнецова"),
    DemoPerson("demo-sergey@example.com", "+79990000003", "Сергей", "Николаев"),
)

# The rafting trip's crews, and who sits where: people are numbered as in (PARTICIPANT,
# *OTHERS). Everyone has a boat seat; the participant shares a tent with Olga.
CREWS = (
    (
        CrewType.CREW,
        CrewDetails("Рафт «Щука»", 4, boat_type="Рафт R-4", boat_number="1", boat_condition="отличное"),
        ((0, "загребной"), (1, "рулевой")),
    ),
    (
        CrewType.CREW,
        CrewDetails("Рафт «Таймень»", 4, boat_type="Рафт R-4", boat_number="2", boat_condition="хорошее"),
        ((2, "загребной"), (3, "рулевой")),
    ),
    (
        CrewType.TENT,
        CrewDetails("Палатка у костра", 3, tent_details="Normal Ладога 3"),
        ((0, None), (2, None)),
    ),
)

NEWS = "Сбор в 8:00 у базы «Мста». Возьмите сменную одежду в гермомешке и головной убор."
# A bank statement, as a payer hands one in: a PDF of a single blank page.
RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

BRAND = OrganizerInput(
    slug=ORGANIZER_SLUG,
    name="Белая вода",
    description="Сплавы, каякинг и походы по Северо-Западу с 2012 года.",
    email="hello@example.com",
    phone="+78120000000",
    telegram="@belaya_voda_demo",
    website="https://example.com",
)
TEAM = (
    TeamMemberInput(name="Анна Смирнова", role="Старший инструктор", bio="КМС по водному туризму."),
    TeamMemberInput(name="Пётр Иванов", role="Инструктор, медик"),
)
FAQ = (
    FaqItemInput(question="Нужен ли опыт?", answer="Нет: перед выходом на воду — инструктаж и тренировка."),
    FaqItemInput(question="Что взять с собой?", answer="Список вещей придёт в подтверждении бронирования."),
)
