"""A provider answering a request while guests try to book the same unit (SPEC §2-3).

Confirming keeps the unit held, so every racing guest is refused; rejecting gives it back,
so at most one racing guest gets it. Either way the counters end equal to the live bookings.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import booking_confirm, booking_reject
from staydesk.bookings.states import Status
from staydesk.inventory.models import StockNight
from staydesk.inventory.resources import room_resource
from tests.concurrency.test_last_unit import (
    ARRIVAL_IN_DAYS,
    attempt,
    night,
    release_earlier_booking,
    split,
)
from tests.factories import (
    UserFactory,
    assert_stock_consistent,
    book_room,
    race,
    room_offer,
    stock_held,
)

GUESTS = 20


@pytest.fixture
def live_db(transactional_db, clock):
    return clock


@pytest.fixture
def provider_actor(transactional_db):
    return Actor.provider(UserFactory())


def pending_last_unit(*, first: int = 0, nights: int = 3):
    offer = room_offer(units=1)
    booking = book_room(offer, arrival_in_days=ARRIVAL_IN_DAYS + first, nights=nights)
    assert booking.status == Status.PENDING_CONFIRMATION
    return offer, booking


def test_confirm_racing_twenty_guests_keeps_the_unit(live_db, provider_actor):
    offer, pending = pending_last_unit()
    confirm = lambda: booking_confirm(booking=pending, actor=provider_actor)  # noqa: E731
    guests = [attempt(offer, first=n % 3, nights=3 - n % 3, n=n) for n in range(GUESTS)]

    first, *rest = race([confirm, *guests])

    assert first.error is None, first.error
    assert first.value.status == Status.AWAITING_PAYMENT
    made, codes = split(rest)
    assert made == []
    assert codes == ["sold_out"] * GUESTS
    assert stock_held(offer.room_type) == {night(0): 1, night(1): 1, night(2): 1}
    assert Booking.objects.get().status == Status.AWAITING_PAYMENT
    assert BookingEvent.objects.filter(action="confirm").count() == 1


@pytest.mark.parametrize("rounds", [5])
def test_reject_racing_twenty_guests_gives_the_unit_to_at_most_one(live_db, provider_actor, rounds):
    winners = 0
    for _ in range(rounds):
        offer, pending = pending_last_unit()
        reject = lambda p=pending: booking_reject(booking=p, actor=provider_actor)  # noqa: E731
        guests = [attempt(offer, first=n % 3, nights=3 - n % 3, n=n) for n in range(GUESTS)]

        first, *rest = race([reject, *guests])

        assert first.error is None, first.error
        assert first.value.status == Status.REJECTED_BY_PROVIDER
        made, codes = split(rest)
        assert len(made) <= 1
        assert codes == ["sold_out"] * (GUESTS - len(made))
        assert_stock_consistent(offer.room_type)
        winners += len(made)
    assert Booking.objects.filter(status=Status.PENDING_CONFIRMATION).count() == winners


def test_reject_racing_guests_for_nights_stored_out_of_order(live_db, provider_actor):
    """The rejected booking's counter rows lie in the table out of date order (nights 4-7
    were counted before nights 0-3), and every racing stay crosses from night 3 to night 4."""
    for _ in range(3):
        offer = room_offer(units=1)
        release_earlier_booking(offer, first=4, nights=4)
        pending = book_room(offer, arrival_in_days=ARRIVAL_IN_DAYS, nights=8)
        reject = lambda p=pending: booking_reject(booking=p, actor=provider_actor)  # noqa: E731
        guests = [attempt(offer, first=n % 4, nights=5 - n % 4 + n % 3, n=n) for n in range(GUESTS)]

        first, *rest = race([reject, *guests])

        assert first.error is None, first.error
        made, codes = split(rest)
        assert len(made) <= 1
        assert codes == ["sold_out"] * (GUESTS - len(made))
        assert_stock_consistent(offer.room_type)


def test_release_and_hold_take_row_locks_in_the_same_order(postgres, clock, provider_actor):
    """Deterministic version of the race above, on PostgreSQL.

    A third transaction holds night 4's counter. The provider's reject (releasing nights
    0-7) and a guest's booking (holding nights 0-7) both run into it. If the release locked
    rows in table order (4-7 first, then 0-3) while the hold locks in date order, the guest
    would hold 0-3 and wait for 4, the release would get 4 and wait for 0: a deadlock, and
    PostgreSQL aborts one of them with an error that is no ``DomainError``. Locking in one
    order, the reject finishes first and the guest then gets the freed unit.
    """
    offer = room_offer(units=1)
    release_earlier_booking(offer, first=4, nights=4)
    pending = book_room(offer, arrival_in_days=ARRIVAL_IN_DAYS, nights=8)
    counters = StockNight.objects.filter(resource=room_resource(offer.room_type.pk))
    locked, release_lock = threading.Event(), threading.Event()

    def blocker() -> None:
        with transaction.atomic():
            counters.select_for_update().get(date=night(4))
            locked.set()
            assert release_lock.wait(30)

    def waiting_on_locks() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0]

    outcomes = []

    def run(call) -> None:
        outcomes.append(race([call])[0])

    holder = threading.Thread(target=race, args=([blocker],))
    holder.start()
    assert locked.wait(30)
    threads = [
        threading.Thread(
            target=run, args=(lambda: booking_reject(booking=pending, actor=provider_actor),)
        ),
        threading.Thread(target=run, args=(attempt(offer, first=0, nights=8, n=1),)),
    ]
    try:
        threads[0].start()
        _wait_until(lambda: waiting_on_locks() == 1)  # the reject, on night 4
        threads[1].start()
        _wait_until(lambda: waiting_on_locks() == 2)  # and the guest
    finally:
        release_lock.set()  # never leave a transaction open for the next test
        for thread in [holder, *threads]:
            if thread.ident is not None:  # started
                thread.join(30)

    errors = [o.error for o in outcomes if o.error is not None]
    assert errors == [], errors
    assert Booking.objects.get(pk=pending.pk).status == Status.REJECTED_BY_PROVIDER
    assert Booking.objects.filter(status=Status.PENDING_CONFIRMATION).count() == 1
    assert_stock_consistent(offer.room_type)


def _wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)
