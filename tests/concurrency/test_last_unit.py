"""No unit is ever sold twice (SPEC §2), shown with real parallel transactions.

Each racing guest runs in its own thread with its own database connection, and all are
released together by a barrier. On PostgreSQL they really run at once (row locks, the CHECK
``held <= capacity``); on SQLite the IMMEDIATE transactions queue, and the outcome must be
the same.
"""

import datetime as dt
import random

import pytest
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import booking_reject
from staydesk.core.errors import DomainError
from tests.conftest import NOW
from tests.factories import (
    UserFactory,
    assert_stock_consistent,
    book_room,
    guest,
    race,
    room_offer,
    stock_held,
)

GUESTS = 50
ARRIVAL_IN_DAYS = 30
TODAY = NOW.date()


def night(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=ARRIVAL_IN_DAYS + offset)


def attempt(offer, *, first: int, nights: int, n: int):
    """One guest's booking of ``nights`` nights from night ``first`` (0 = 30 days ahead)."""
    return lambda: book_room(
        offer,
        arrival_in_days=ARRIVAL_IN_DAYS + first,
        nights=nights,
        guest=guest(first_name=f"Guest{n}", email=f"guest{n}@example.com"),
    )


def split(outcomes):
    """Bookings made, and the DomainError codes of the refused; anything else fails the test."""
    others = [o.error for o in outcomes if o.error and not isinstance(o.error, DomainError)]
    assert not others, f"{len(others)} attempts failed with something else: {others[:3]!r}"
    made = [o.value for o in outcomes if o.error is None]
    codes = [o.error.code for o in outcomes if o.error is not None]
    return made, codes


def release_earlier_booking(offer, *, first: int, nights: int) -> None:
    """Leave counter rows at 0 on those nights: book them, then have the provider reject."""
    earlier = book_room(offer, arrival_in_days=ARRIVAL_IN_DAYS + first, nights=nights)
    booking_reject(booking=earlier, actor=Actor.provider(UserFactory()))
    earlier.delete()  # so the counts below are about the race alone
    DBTaskResult.objects.all().delete()
    assert set(stock_held(offer.room_type).values()) == {0}


@pytest.fixture
def live_db(transactional_db, clock):
    """Committed data, so every thread's own connection sees it; time frozen at NOW."""
    return clock


@pytest.mark.parametrize("counters", ["new", "existing"])
def test_fifty_guests_racing_for_the_last_unit_one_wins(live_db, counters):
    """``new``: the racing transactions create the nightly counters themselves (the INSERT
    queues them); ``existing``: the counters are there, so only the row locks and the CHECK
    stand between fifty simultaneous UPDATEs and an oversold night."""
    offer = room_offer(units=1)
    if counters == "existing":
        release_earlier_booking(offer, first=0, nights=3)
    outcomes = race([attempt(offer, first=0, nights=3, n=n) for n in range(GUESTS)])

    made, codes = split(outcomes)
    assert len(made) == 1
    assert codes == ["sold_out"] * (GUESTS - 1)
    assert stock_held(offer.room_type) == {night(0): 1, night(1): 1, night(2): 1}
    assert Booking.objects.get().pk == made[0].pk
    assert BookingEvent.objects.filter(action="create").count() == 1
    # The refused attempts rolled back their timers with everything else (tasks are an outbox).
    timers = DBTaskResult.objects.exclude(task_path="staydesk.bookings.tasks.dispatch_event")
    assert set(timers.values_list("args_kwargs__args__0", flat=True)) == {made[0].pk}
    dispatches = DBTaskResult.objects.filter(task_path="staydesk.bookings.tasks.dispatch_event")
    assert dispatches.count() == 1  # the winner's event; the losers' rolled back


def test_guests_racing_for_overlapping_stays_one_wins(live_db):
    """Every stay shares night 4 with every other, but each starts and ends elsewhere."""
    offer = room_offer(units=1)
    calls = [attempt(offer, first=n % 5, nights=5 - n % 5 + n // 5 % 4, n=n) for n in range(GUESTS)]
    outcomes = race(calls)

    made, codes = split(outcomes)
    assert len(made) == 1
    assert codes == ["sold_out"] * (GUESTS - 1)
    winner = made[0]
    assert {d: n for d, n in stock_held(offer.room_type).items() if n} == {
        winner.arrival + dt.timedelta(days=i): 1 for i in range(winner.nights)
    }
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("counters", ["new", "existing"])
def test_stays_locking_in_different_orders_do_not_deadlock(live_db, counters):
    """Half the guests want nights 1-5, half nights 3-8; nobody deadlocks or errors.

    ``new``: the nightly counter rows are created by the racing transactions themselves.
    ``existing``: they exist already, left by an earlier booking that was rejected.
    """
    offer = room_offer(units=1)
    if counters == "existing":
        release_earlier_booking(offer, first=0, nights=9)
    calls = [
        attempt(offer, first=1, nights=5, n=n) if n % 2 else attempt(offer, first=3, nights=6, n=n)
        for n in range(GUESTS)
    ]
    made, codes = split(race(calls))

    assert len(made) == 1
    assert codes == ["sold_out"] * (GUESTS - 1)
    assert_stock_consistent(offer.room_type)
    assert sum(stock_held(offer.room_type).values()) == made[0].nights


def test_random_stays_never_exceed_the_units(live_db):
    """Three units, fifty random stays over ten nights: every night ends with at most three
    held, the counters equal the live bookings, and a refusal is always ``sold_out``."""
    offer = room_offer(units=3)
    rng = random.Random(20261124)
    calls = []
    for n in range(GUESTS):
        first = rng.randrange(0, 9)
        calls.append(attempt(offer, first=first, nights=rng.randint(1, 10 - first), n=n))
    made, codes = split(race(calls))

    assert made, "someone must get a room"
    assert set(codes) <= {"sold_out"}
    assert Booking.objects.count() == len(made)
    assert_stock_consistent(offer.room_type)
    assert max(stock_held(offer.room_type).values()) <= 3


def test_as_many_win_as_there_are_units(live_db):
    offer = room_offer(units=5)
    made, codes = split(race([attempt(offer, first=0, nights=2, n=n) for n in range(GUESTS)]))

    assert len(made) == 5
    assert codes == ["sold_out"] * (GUESTS - 5)
    assert stock_held(offer.room_type) == {night(0): 5, night(1): 5}
