"""Demo data: a brand page with its team and FAQ, six published events and six people at
every step of the journey, so that a newcomer sees a living service after
``aquastream demo-data``.

What the demo participant (``demo-participant@example.com``) finds:

- a CONFIRMED seat on the free rafting trip, with a boat and a tent (crews with their
  assignments), and the organizer's news about it;
- a CONFIRMED seat, paid in cash, on a trip that started two hours ago: the organizer may
  record no-shows there;
- first place in the queue of a full workshop (two seats, both taken);
- a booking of the hike awaiting payment (PENDING: the hold lasts ``booking_hold_seconds``,
  30 minutes by default, and then lapses like any other);
- a QR payment of the kayak trip whose receipt awaits the organizer's review (the seat is
  held meanwhile, 48 hours by default);
- the messages all this sent: booking created and confirmed, crew assignments, the news.

Everything is made through the use cases (the same rules as the API), and the event spine
is drained after each step, running every subscriber as a worker would, so that the booking
domain knows the published events, crews know the confirmed participants and notifications
has written each message. What happened "before today" (the trip under way was booked
before it started) is played on a clock set three days back, which then returns to now:
time only moves forward, as in a real run.

Loading twice changes nothing: the organizer's slug tells the data is there. Refused in
production: the demo accounts share one known password.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dishka import AsyncContainer, Provider, Scope, provide

from aquastream.demo_content import (
    BRAND,
    CREWS,
    EVENTS,
    FAQ,
    HIKE,
    KAYAK,
    NEWS,
    ORGANIZER_SLUG,
    OTHERS,
    PARTICIPANT,
    RAFTING,
    RECEIPT_PDF,
    TEAM,
    UNDER_WAY,
    WORKSHOP,
    DemoEvent,
    DemoPerson,
)
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.manage import ConfirmBooking
from aquastream.domain.booking.waitlist import JoinWaitlist
from aquastream.domain.catalog.authoring import CreateEvent
from aquastream.domain.catalog.errors import OrganizerNotFound
from aquastream.domain.catalog.event_rules import EventInput
from aquastream.domain.catalog.faq import AddFaqItem
from aquastream.domain.catalog.lifecycle import PublishEvent
from aquastream.domain.catalog.organizers import CreateOrganizer, GetOrganizer
from aquastream.domain.catalog.team import AddTeamMember
from aquastream.domain.crews.assign import AssignParticipant
from aquastream.domain.crews.crews import CreateCrew
from aquastream.domain.identity.admin import ChangeUserRole
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.identity.profile import ProfileChanges, UpdateMyProfile
from aquastream.domain.identity.registration import RegisterUser, Registration
from aquastream.domain.media.model import OwnerType
from aquastream.domain.media.uploads import UploadFile
from aquastream.domain.notifications.events import PostEventNews
from aquastream.domain.payments.init import InitPayment
from aquastream.domain.payments.manage import SubmitProof
from aquastream.domain.payments.model import PaymentMethod
from aquastream.domain.shared.dispatch import OutboxDispatcher, Spine
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.clock import Clock

ADMIN_EMAIL = "demo-admin@example.com"
ORGANIZER_EMAIL = "demo-organizer@example.com"
PARTICIPANT_EMAIL = PARTICIPANT.email
CONTEXT = RequestContext(ip=None)
# How far back the clock goes to play what happened before today.
PAST = timedelta(days=3)
# How long the demo waits for deliveries another process holds (a served worker's lease).
SETTLE_SECONDS = 30.0
SETTLE_POLL_SECONDS = 0.05
# How long the trip under way has been running.
UNDER_WAY_SINCE = timedelta(hours=2)


class DemoClock:
    """The system clock, or the same moment ``behind`` ago while the demo plays the past."""

    def __init__(self) -> None:
        self.behind = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) - self.behind


class DemoClockProvider(Provider):
    """Gives the use cases the demo's clock in place of the system one."""

    def __init__(self, clock: DemoClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock


@dataclass(frozen=True, slots=True)
class DemoSummary:
    loaded: bool
    events: int
    accounts: tuple[str, ...]


ACCOUNTS = (ADMIN_EMAIL, ORGANIZER_EMAIL, PARTICIPANT_EMAIL, *(person.email for person in OTHERS))


async def load_demo_data(container: AsyncContainer, clock: DemoClock, password: str) -> DemoSummary:
    """Load the demo once into ``container``, whose clock is ``clock`` (``DemoClockProvider``);
    ``loaded`` is False when it was there already."""
    if await _already_loaded(container):
        return DemoSummary(loaded=False, events=0, accounts=ACCOUNTS)
    now = clock.now()
    clock.behind = PAST
    try:
        demo = await _Demo.open(Caller(container), password, now)
        await demo.play_the_past(now)
    finally:
        clock.behind = timedelta(0)
    await demo.play_today()
    return DemoSummary(loaded=True, events=len(EVENTS), accounts=ACCOUNTS)


class Caller:
    """Runs a use case in a request scope of its own, as one HTTP request would; ``drain``
    runs the event spine's relays and subscribers until nothing is left, as a worker would."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def __call__(self, use_case: type[Any], *args: Any, **kwargs: Any) -> Any:
        async with self._container() as request:
            return await (await request.get(use_case))(*args, **kwargs)

    async def drain(self) -> None:
        """Every fact delivered, including those a served worker on the same database has
        claimed and is still handling (``demo-data`` may run beside ``serve``): until the
        spine's backlog is empty, or ``SETTLE_SECONDS`` have passed (a delivery that keeps
        failing would wait for its retries; the step that needs it then fails clearly)."""
        dispatcher = await self._container.get(OutboxDispatcher)
        spine = await self._container.get(Spine)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_SECONDS
        while True:
            await dispatcher.drain()
            if not any((await spine.backlog()).values()) or loop.time() >= deadline:
                return
            await asyncio.sleep(SETTLE_POLL_SECONDS)


class _Demo:
    def __init__(self, call: Caller, organizer: Principal, people: list[Principal]) -> None:
        self.call = call
        self.organizer = organizer
        self.participant, *self.others = people
        self.events: dict[DemoEvent, uuid.UUID] = {}

    @classmethod
    async def open(cls, call: Caller, password: str, now: datetime) -> _Demo:
        """The accounts, the brand page and the published events."""
        admin = await call(CreateAdmin, ADMIN_EMAIL, password)
        admin_principal = Principal(admin.user_id, Role.ADMIN, ADMIN_EMAIL)
        organizer_id, _ = await call(RegisterUser, Registration(ORGANIZER_EMAIL, password), CONTEXT)
        await call(ChangeUserRole, admin_principal, organizer_id, Role.ORGANIZER, CONTEXT)
        organizer = Principal(organizer_id, Role.ORGANIZER, ORGANIZER_EMAIL)
        people = [await _person(call, person, password) for person in (PARTICIPANT, *OTHERS)]
        demo = cls(call, organizer, people)
        await call(CreateOrganizer, organizer, BRAND)
        for member in TEAM:
            await call(AddTeamMember, organizer, ORGANIZER_SLUG, member)
        for item in FAQ:
            await call(AddFaqItem, organizer, ORGANIZER_SLUG, item)
        today = now.replace(hour=9, minute=0, second=0, microsecond=0)
        for event in EVENTS:
            start = now.replace(second=0, microsecond=0) - UNDER_WAY_SINCE if event is UNDER_WAY else None
            view = await call(CreateEvent, organizer, ORGANIZER_SLUG, _event_input(event, today, start))
            await call(PublishEvent, organizer, view.event.id)
            demo.events[event] = view.event.id
        await call.drain()  # booking opens the seats of each published event
        return demo

    async def play_the_past(self, now: datetime) -> None:
        """Days ago: the free trip booked by everyone, its crews and news; the trip now under
        way booked and paid in cash; the workshop filled, with a queue."""
        rafting, under_way, workshop = self.events[RAFTING], self.events[UNDER_WAY], self.events[WORKSHOP]
        for person in (self.participant, *self.others):
            await self.call(BookSeat, person, rafting)
        for person in (self.participant, *self.others[:2]):
            booking = await self.call(BookSeat, person, under_way)
            await self.call(ConfirmBooking, self.organizer, booking.id)
        for person in self.others[:2]:
            await self.call(BookSeat, person, workshop)
        await self.call(JoinWaitlist, self.participant, workshop)
        await self.call(JoinWaitlist, self.others[2], workshop)
        await self.call.drain()  # crews learn who is confirmed
        people = (self.participant, *self.others)
        for crew_type, details, seats in CREWS:
            crew = await self.call(CreateCrew, self.organizer, rafting, crew_type, details)
            for number, (who, position) in enumerate(seats, start=1):
                await self.call(
                    AssignParticipant,
                    self.organizer,
                    crew.id,
                    people[who].user_id,
                    seat_number=number,
                    position=position,
                )
        await self.call(PostEventNews, self.organizer, rafting, NEWS)
        await self.call.drain()

    async def play_today(self) -> None:
        """Now: a booking of the hike awaiting payment, and the kayak trip paid by bank
        transfer, its receipt waiting for the organizer."""
        await self.call(BookSeat, self.participant, self.events[HIKE])
        kayak = await self.call(BookSeat, self.participant, self.events[KAYAK])
        payment = await self.call(InitPayment, self.participant, kayak.id, PaymentMethod.QR_MANUAL)
        receipt = await self.call(
            UploadFile,
            self.participant,
            OwnerType.PAYMENT_PROOF,
            kayak.id,
            RECEIPT_PDF,
            file_name="receipt.pdf",
        )
        await self.call(SubmitProof, self.participant, payment.id, receipt.id)
        await self.call.drain()  # booking keeps the seat during the review; messages are written


async def _person(call: Caller, person: DemoPerson, password: str) -> Principal:
    user_id, _ = await call(RegisterUser, Registration(person.email, password, person.phone), CONTEXT)
    principal = Principal(user_id, Role.USER, person.email)
    changes = ProfileChanges(first_name=person.first_name, last_name=person.last_name)
    await call(UpdateMyProfile, principal, changes, CONTEXT)
    return principal


async def _already_loaded(container: AsyncContainer) -> bool:
    async with container() as request:
        get_organizer = await request.get(GetOrganizer)
        try:
            await get_organizer(ORGANIZER_SLUG)
        except OrganizerNotFound:
            return False
    return True


def _event_input(event: DemoEvent, today: datetime, start: datetime | None) -> EventInput:
    start = start or today + timedelta(days=event.days_from_now)
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
