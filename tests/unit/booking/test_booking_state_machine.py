"""Random sequences of booking and waitlist actions never break the seat invariant (SPEC §4).

After every step: seat-holding bookings + held seats + free seats == capacity, no counter is
negative, the waiting counter equals the WAITING entries, positions are strictly increasing,
each user has at most one active booking and one live entry and never both (nobody holds two
seats), a seat held for a notified user is taken by nobody else, and no seat stays free while
someone waits (except between a capacity increase and the hand-over its event triggers).
Payments arrive in time or late (after the hold expired or the booking was cancelled): a late
one re-takes a seat by the rules of a new booking or is refunded.

Group bookings and the group waitlist (SPEC §12): bookings and entries are parties of 1 to 3,
a companion's seat may be cancelled alone, and the counters count seats. Under the strict
FIFO of docs/waitlist-policy.md a seat may stay free while someone waits only when the first
entry's party does not fit yet, and a party is never served before an entry ahead of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta
from decimal import Decimal
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from aquastream.domain.booking.errors import EventFull, PartyExceedsOffer, WaitlistOfferExpired
from aquastream.domain.booking.model import (
    Booking,
    BookingStatus,
    PaymentStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from aquastream.domain.booking.party import CompanionRequest
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.shared.errors import DomainError
from aquastream.domain.shared.principal import Principal
from tests.unit.booking.booking_world import BookingWorld

T = TypeVar("T")
USERS = 5
users = st.integers(min_value=0, max_value=USERS - 1)
minutes = st.integers(min_value=1, max_value=45)
parties = st.integers(min_value=1, max_value=3)


def companions(size: int) -> list[CompanionRequest]:
    return [CompanionRequest(name=f"Companion {n}") for n in range(1, size)]


class BookingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        # Short hold and window against steps of up to 45 minutes: expiries and lapses are common.
        self.world = BookingWorld(
            BookingPolicy(hold=timedelta(minutes=10), waitlist_window=timedelta(minutes=10))
        )
        self.users = [self.world.new_user() for _ in range(USERS)]
        # Between a capacity increase and its hand-over, free seats and waiting users coexist.
        self.hand_over_due = False

    def run(self, coroutine: Awaitable[T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def attempt(self, coroutine: Awaitable[T]) -> T | DomainError:
        """A use case's refusal is a legal outcome; any other exception fails the test."""
        try:
            return self.run(coroutine)
        except DomainError as refused:
            return refused

    def teardown(self) -> None:
        self.loop.close()

    # Mostly paid events: only they have holds, payments and late payments.
    @initialize(
        capacity=st.integers(min_value=1, max_value=4), paid=st.sampled_from([True, True, True, False])
    )
    def publish(self, capacity: int, paid: bool) -> None:
        self.event_id = self.run(
            self.world.publish(capacity, price=Decimal(1500) if paid else None, starts_in=timedelta(days=365))
        )

    def active_booking(self, user: Principal) -> Booking | None:
        return next(
            (b for b in self.world.bookings(self.event_id) if b.user_id == user.user_id and b.is_active), None
        )

    def with_active_booking(self, status: BookingStatus | None = None) -> list[Principal]:
        return [
            u
            for u in self.users
            if (b := self.active_booking(u)) is not None and (status is None or b.status is status)
        ]

    def queued(self, status: WaitlistStatus | None = None) -> list[Principal]:
        entries = [e for e in self.world.entries(self.event_id) if e.is_live]
        return [
            u
            for u in self.users
            if any(e.user_id == u.user_id and (status is None or e.status is status) for e in entries)
        ]

    def first_waiting(self) -> WaitlistEntry | None:
        waiting = [e for e in self.world.entries(self.event_id) if e.status is WaitlistStatus.WAITING]
        return waiting[0] if waiting else None

    @rule(who=users, size=parties)
    def book(self, who: int, size: int) -> None:
        self.try_to_book(self.users[who], size)

    @rule(order=st.permutations(range(USERS)), sizes=st.lists(parties, min_size=USERS, max_size=USERS))
    def rush(self, order: list[int], sizes: list[int]) -> None:
        """Everyone tries to book, then whoever got no seat queues: the event fills up."""
        for who in order:
            self.try_to_book(self.users[who], sizes[who])
        for who in order:
            self.attempt(self.world.join(self.users[who], self.event_id, sizes[who]))

    # The rules below pick among the users for whom the action means something, so that
    # short random runs still reach the waitlist's hand-overs, conversions and lapses.

    @precondition(lambda self: self.queued(WaitlistStatus.NOTIFIED))
    @rule(data=st.data())
    def notified_user_books(self, data: st.DataObject) -> None:
        self.try_to_book(data.draw(st.sampled_from(self.queued(WaitlistStatus.NOTIFIED))), data.draw(parties))

    def try_to_book(self, user: Principal, size: int = 1) -> None:
        before = self.world.inventory(self.event_id)
        entry = next(
            (e for e in self.world.entries(self.event_id) if e.user_id == user.user_id and e.is_live), None
        )
        had_booking = self.active_booking(user) is not None
        offered = (
            entry is not None
            and entry.status is WaitlistStatus.NOTIFIED
            and entry.window_expires_at is not None
            and entry.window_expires_at > self.world.clock.now()
        )
        outcome = self.attempt(self.world.book(user, self.event_id, None, companions(size)))
        after = self.world.inventory(self.event_id)
        if isinstance(outcome, Booking):
            assert not had_booking
            assert outcome.party_size == size
            if not offered:
                # Only free seats while nobody waits; never seats held for someone else.
                assert before.available >= size, before
                assert before.waiting == 0, before
                assert after.reserved == before.reserved
        elif offered and not had_booking:
            assert entry is not None
            if not (isinstance(outcome, PartyExceedsOffer) and size > entry.party_size):
                raise AssertionError(f"a notified user was refused the seats held for them: {outcome!r}")
        elif isinstance(outcome, EventFull):
            assert before.bookable_seats < size
        else:
            assert isinstance(outcome, DomainError)
            assert had_booking or isinstance(outcome, WaitlistOfferExpired), outcome

    def with_companions(self) -> list[Principal]:
        return [u for u in self.with_active_booking() if (b := self.active_booking(u)) and b.party_size > 1]

    @precondition(lambda self: self.with_companions())
    @rule(data=st.data())
    def cancel_a_companion(self, data: st.DataObject) -> None:
        user = data.draw(st.sampled_from(self.with_companions()))
        booking = self.active_booking(user)
        assert booking is not None
        seat = data.draw(st.sampled_from([s.number for s in booking.seats[1:]]))
        before = self.world.inventory(self.event_id)
        shrunk = self.run(self.world.cancel_companion(user, booking.id, seat))
        assert (shrunk.party_size, shrunk.amount) == (
            booking.party_size - 1,
            booking.amount - booking.seat_price,
        )
        assert seat not in [s.number for s in shrunk.seats]
        after = self.world.inventory(self.event_id)
        assert after.available + after.reserved == before.available + before.reserved + 1

    @precondition(lambda self: self.with_active_booking())
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        user = data.draw(st.sampled_from(self.with_active_booking()))
        booking = self.active_booking(user)
        assert booking is not None
        self.run(self.world.cancel(user, booking.id))

    @precondition(lambda self: self.with_active_booking(BookingStatus.PENDING))
    @rule(data=st.data())
    def confirm(self, data: st.DataObject) -> None:
        owner = data.draw(st.sampled_from(self.with_active_booking(BookingStatus.PENDING)))
        booking = self.active_booking(owner)
        assert booking is not None
        self.run(self.world.confirm(self.world.organizer, booking.id))

    def unpaid_and_ended(self) -> list[Booking]:
        """Bookings whose hold ended (expired or cancelled) with their payment still to come."""
        return [
            b
            for b in self.world.bookings(self.event_id)
            if b.status in (BookingStatus.EXPIRED, BookingStatus.CANCELLED)
            and b.payment_status is PaymentStatus.PENDING
        ]

    @precondition(lambda self: self.with_active_booking(BookingStatus.PENDING))
    @rule(data=st.data())
    def payment_arrives(self, data: st.DataObject) -> None:
        owner = data.draw(st.sampled_from(self.with_active_booking(BookingStatus.PENDING)))
        booking = self.active_booking(owner)
        assert booking is not None
        settled = self.run(self.world.confirm_paid(booking.id))
        assert settled is not None
        assert (settled.status, settled.payment_status) == (BookingStatus.CONFIRMED, PaymentStatus.PAID)

    def offered_late_payers(self) -> list[Booking]:
        notified = {u.user_id for u in self.queued(WaitlistStatus.NOTIFIED)}
        return [b for b in self.unpaid_and_ended() if b.user_id in notified]

    @precondition(lambda self: self.unpaid_and_ended())
    @rule(data=st.data())
    def late_payment_arrives(self, data: st.DataObject) -> None:
        self.settle_late_payment(data.draw(st.sampled_from(self.unpaid_and_ended())))

    @precondition(lambda self: self.offered_late_payers())
    @rule(data=st.data())
    def late_payment_reaches_an_offered_payer(self, data: st.DataObject) -> None:
        """The case that once left a payer with a booking and a held seat."""
        self.settle_late_payment(data.draw(st.sampled_from(self.offered_late_payers())))

    def settle_late_payment(self, booking: Booking) -> None:
        before = self.world.inventory(self.event_id)
        payer = next(u for u in self.users if u.user_id == booking.user_id)
        had_other_booking = self.active_booking(payer) is not None
        offered = payer in self.queued(WaitlistStatus.NOTIFIED)
        settled = self.run(self.world.confirm_paid(booking.id))
        assert settled is not None
        if settled.status is BookingStatus.CONFIRMED:
            assert booking.status is BookingStatus.EXPIRED
            assert settled.payment_status is PaymentStatus.PAID
            assert not had_other_booking
            # The seats held for the payer, or free ones while nobody waits: never another's.
            assert offered or (before.available >= booking.party_size and before.waiting == 0), before
            assert payer not in self.queued()
        else:
            assert settled.status is booking.status
            assert settled.payment_status is PaymentStatus.REFUND_PENDING
            assert self.world.inventory(self.event_id) == before
        # A second delivery of the same payment changes nothing.
        assert self.run(self.world.confirm_paid(booking.id)) == settled

    @precondition(lambda self: self.unpaid_and_ended())
    @rule(data=st.data())
    def late_payer_queues(self, data: st.DataObject) -> None:
        """Whose hold ended may queue before their payment arrives and be offered a seat: the
        others take the free seats (so that there is a queue to join), then one of them may
        give theirs up (so that the queue moves)."""
        booking = data.draw(st.sampled_from(self.unpaid_and_ended()))
        payer = next(u for u in self.users if u.user_id == booking.user_id)
        for other in self.users:
            if other != payer:
                self.try_to_book(other)
        self.attempt(self.world.join(payer, self.event_id))
        holders = [u for u in self.with_active_booking() if u != payer]
        if holders and data.draw(st.booleans()):
            leaving = self.active_booking(data.draw(st.sampled_from(holders)))
            assert leaving is not None
            self.run(self.world.cancel(self.world.organizer, leaving.id))

    @rule(who=users, size=parties)
    def join(self, who: int, size: int) -> None:
        self.attempt(self.world.join(self.users[who], self.event_id, size))

    @precondition(lambda self: self.queued())
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        self.run(self.world.leave(data.draw(st.sampled_from(self.queued())), self.event_id))

    @rule(passing=minutes)
    def expire_holds(self, passing: int) -> None:
        self.world.clock.advance(minutes=passing)
        self.run(self.world.expire_holds())

    @rule(passing=minutes)
    def lapse_windows(self, passing: int) -> None:
        self.world.clock.advance(minutes=passing)
        self.run(self.world.lapse_windows())

    @rule(capacity=st.integers(min_value=1, max_value=4))
    def resize(self, capacity: int) -> None:
        before = self.world.inventory(self.event_id)
        resized = self.run(self.world.resize(self.event_id, capacity))
        waiting_parties = [
            e.party_size for e in self.world.entries(self.event_id) if e.status is WaitlistStatus.WAITING
        ]
        assert resized == (capacity >= max([before.capacity - before.available, *waiting_parties]))
        self.hand_over_due = self.hand_over_due or (resized and capacity > before.capacity)

    @rule()
    def hand_over(self) -> None:
        self.run(self.world.hand_over(self.event_id))
        after = self.world.inventory(self.event_id)
        head = self.first_waiting()
        assert (
            after.available == 0
            or after.waiting == 0
            or (head is not None and head.party_size > after.available)
        )

    @invariant()
    def seats_add_up(self) -> None:
        if hasattr(self, "event_id"):
            self.world.check_invariants(self.event_id)

    @invariant()
    def nobody_waits_while_a_seat_is_free(self) -> None:
        if not hasattr(self, "event_id"):
            return
        inventory = self.world.inventory(self.event_id)
        head = self.first_waiting()
        # Strict FIFO: free seats wait for the first entry only while its party does not fit.
        if inventory.available > 0 and inventory.waiting > 0 and head is not None:
            if head.party_size <= inventory.available:
                assert self.hand_over_due, (inventory, head)
        else:
            self.hand_over_due = False


BookingMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBookingStateMachine = BookingMachine.TestCase
