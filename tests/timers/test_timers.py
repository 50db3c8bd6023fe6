"""Timers fire exactly once (SPEC §3): deferred tasks, sweeps, and both racing.

The racing tests run the sweeps and tasks in parallel threads, each with its own database
connection: on PostgreSQL they really run at once, on SQLite their write transactions queue.
The clock is frozen (time-machine), so every thread sees the same "now".
"""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from staydesk.bookings import tasks
from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import booking_confirm
from staydesk.bookings.states import Status
from staydesk.bookings.timers import remind_if_due, timers_sweep
from staydesk.core.errors import DomainError
from tests.conftest import NOW
from tests.factories import UserFactory, book_room, race, room_offer, stock_held

DISPATCH = "staydesk.bookings.tasks.dispatch_event"  # every event queues one

HOUR = dt.timedelta(hours=1)
SWEEPS = 8


@pytest.fixture
def live_db(transactional_db, clock):
    """Committed data, so every thread's own connection sees it; time frozen at NOW."""
    return clock


@pytest.fixture
def provider_actor(transactional_db):
    return Actor.provider(UserFactory())


def make_bookings(*, pending: int, awaiting_payment: int, provider_actor) -> list[Booking]:
    """Bookings made at NOW: requests (confirm by NOW + 24 h) and confirmed ones (pay by
    NOW + 48 h, the constructor's default payment limit)."""
    offer = room_offer(units=pending + awaiting_payment)
    made = [book_room(offer, nights=2) for _ in range(pending + awaiting_payment)]
    for booking in made[pending:]:
        booking_confirm(booking=booking, actor=provider_actor)
    return [Booking.objects.get(pk=b.pk) for b in made]


def events(action: str) -> dict[int, int]:
    """How many events of ``action`` each booking has."""
    counts: dict[int, int] = {}
    for pk in BookingEvent.objects.filter(action=action).values_list("booking_id", flat=True):
        counts[pk] = counts.get(pk, 0) + 1
    return counts


def no_errors(outcomes) -> list:
    errors = [o.error for o in outcomes if o.error is not None]
    assert errors == [], errors
    return [o.value for o in outcomes]


# --- Scheduling -------------------------------------------------------------------------------


def test_a_request_enqueues_its_deadline_and_both_reminders(db, clock):
    booking = book_room(room_offer(), nights=2)

    assert booking.confirm_by == NOW + 24 * HOUR
    scheduled = {
        (row.task_path, tuple(row.args_kwargs["args"])): row.run_after
        for row in DBTaskResult.objects.exclude(task_path=DISPATCH)
    }
    assert scheduled == {
        ("staydesk.bookings.tasks.expire_booking", (booking.pk,)): NOW + 24 * HOUR,
        ("staydesk.bookings.tasks.remind_booking", (booking.pk, "reminder_half")): NOW + 12 * HOUR,
        ("staydesk.bookings.tasks.remind_booking", (booking.pk, "reminder_final")): NOW + 22 * HOUR,
    }
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}


def test_confirming_enqueues_the_payment_deadline(db, clock, provider_actor):
    booking = book_room(room_offer(prepayment_percent="50"), nights=2)
    clock.shift(hours=3)
    confirmed = booking_confirm(booking=booking, actor=provider_actor)

    assert confirmed.status == Status.AWAITING_PAYMENT
    assert confirmed.pay_by == NOW + 3 * HOUR + 48 * HOUR
    expiries = DBTaskResult.objects.filter(task_path="staydesk.bookings.tasks.expire_booking")
    assert sorted(expiries.values_list("run_after", flat=True)) == [
        NOW + 24 * HOUR,
        confirmed.pay_by,
    ]


def test_an_instant_booking_enqueues_only_its_payment_deadline(db, clock):
    booking = book_room(room_offer(booking_mode="instant"), nights=2)

    assert booking.status == Status.AWAITING_PAYMENT
    assert list(
        DBTaskResult.objects.exclude(task_path=DISPATCH).values_list("task_path", "run_after")
    ) == [("staydesk.bookings.tasks.expire_booking", booking.pay_by)]


# --- The task bodies --------------------------------------------------------------------------


def test_the_expire_task_changes_the_status_once(db, clock):
    booking = book_room(room_offer(), nights=2)

    assert tasks.expire_booking.call(booking.pk) is False  # not due yet
    clock.shift(hours=24)
    assert tasks.expire_booking.call(booking.pk) is True
    assert tasks.expire_booking.call(booking.pk) is False
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED_UNCONFIRMED
    assert events("expire") == {booking.pk: 1}
    assert set(stock_held(booking.room_type).values()) == {0}


def test_the_tasks_of_a_booking_confirmed_meanwhile_do_nothing(db, clock, provider_actor):
    booking = book_room(room_offer(prepayment_percent="50"), nights=2)
    booking_confirm(booking=booking, actor=provider_actor)
    clock.shift(hours=25)  # past confirm_by: every task of the request is due

    assert tasks.remind_booking.call(booking.pk, "reminder_half") is False
    assert tasks.remind_booking.call(booking.pk, "reminder_final") is False
    assert tasks.expire_booking.call(booking.pk) is False
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_PAYMENT
    assert (
        BookingEvent.objects.filter(booking=booking)
        .exclude(action__in=["create", "confirm"])
        .count()
        == 0
    )

    clock.shift(hours=24)  # past pay_by
    assert tasks.expire_booking.call(booking.pk) is True
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED_UNPAID


def test_a_reminder_is_recorded_once_and_only_when_due(db, clock):
    booking = book_room(room_offer(), nights=2)

    assert remind_if_due(booking.pk, "reminder_half") is False
    clock.shift(hours=12)
    assert remind_if_due(booking.pk, "reminder_half") is True
    assert remind_if_due(booking.pk, "reminder_half") is False
    assert remind_if_due(booking.pk, "reminder_final") is False
    clock.shift(hours=10)
    assert remind_if_due(booking.pk, "reminder_final") is True
    assert events("reminder_half") == events("reminder_final") == {booking.pk: 1}


def test_a_reminder_that_comes_due_after_the_deadline_is_not_sent(db, clock):
    """A remind task that runs late (backlog, downtime) must not tell the provider that
    hours are left when the deadline has passed: the request expires instead."""
    booking = book_room(room_offer(), nights=2)
    clock.shift(hours=25)

    assert tasks.remind_booking.call(booking.pk, "reminder_half") is False
    assert tasks.remind_booking.call(booking.pk, "reminder_final") is False
    assert tasks.expire_booking.call(booking.pk) is True
    assert events("reminder_half") == events("reminder_final") == {}


def test_a_deleted_booking_is_no_error_for_its_tasks(db, clock):
    booking = book_room(room_offer(), nights=2)
    pk = booking.pk
    booking.delete()
    clock.shift(hours=25)

    assert tasks.expire_booking.call(pk) is False
    assert tasks.remind_booking.call(pk, "reminder_half") is False


# --- Sweeps, sequential -----------------------------------------------------------------------


def test_a_second_sweep_finds_nothing_to_do(db, clock, provider_actor):
    made = make_bookings(pending=3, awaiting_payment=2, provider_actor=provider_actor)
    clock.shift(hours=49)

    assert timers_sweep() == {"expired": 5, "reminded": 0}
    assert timers_sweep() == {"expired": 0, "reminded": 0}
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert [statuses[b.pk] for b in made] == [Status.EXPIRED_UNCONFIRMED] * 3 + [
        Status.EXPIRED_UNPAID
    ] * 2
    assert events("expire") == {b.pk: 1 for b in made}


def test_the_sweep_sends_each_reminder_once_then_expires(db, clock):
    booking = book_room(room_offer(), nights=2)

    assert timers_sweep() == {"expired": 0, "reminded": 0}
    clock.shift(hours=12)
    assert timers_sweep() == {"expired": 0, "reminded": 1}
    assert timers_sweep() == {"expired": 0, "reminded": 0}
    clock.shift(hours=10)
    assert timers_sweep() == {"expired": 0, "reminded": 1}
    assert timers_sweep() == {"expired": 0, "reminded": 0}
    clock.shift(hours=2)
    assert timers_sweep() == {"expired": 1, "reminded": 0}
    assert timers_sweep() == {"expired": 0, "reminded": 0}
    actions = list(booking.events.values_list("action", flat=True))
    assert actions == ["create", "reminder_half", "reminder_final", "expire"]


# --- Sweeps and tasks, racing ----------------------------------------------------------------


def test_parallel_sweeps_expire_each_overdue_booking_once(live_db, provider_actor):
    made = make_bookings(pending=6, awaiting_payment=4, provider_actor=provider_actor)
    live_db.shift(hours=49)

    results = no_errors(race([timers_sweep] * SWEEPS))

    assert sum(r["expired"] for r in results) == len(made)
    assert events("expire") == {b.pk: 1 for b in made}
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert [statuses[b.pk] for b in made] == [Status.EXPIRED_UNCONFIRMED] * 6 + [
        Status.EXPIRED_UNPAID
    ] * 4
    expired = BookingEvent.objects.filter(action="expire")
    assert set(expired.values_list("to_status", flat=True)) == {
        Status.EXPIRED_UNCONFIRMED,
        Status.EXPIRED_UNPAID,
    }
    assert set(stock_held(made[0].room_type).values()) == {0}


def test_sweeps_and_deferred_tasks_racing_expire_each_booking_once(live_db, provider_actor):
    made = make_bookings(pending=5, awaiting_payment=3, provider_actor=provider_actor)
    live_db.shift(hours=49)
    calls = [timers_sweep] * 4
    for booking in made:
        calls += [lambda pk=booking.pk: tasks.expire_booking.call(pk)] * 3

    results = no_errors(race(calls))

    swept = sum(r["expired"] for r in results[:4])
    by_tasks = sum(r is True for r in results[4:])
    assert swept + by_tasks == len(made)
    assert events("expire") == {b.pk: 1 for b in made}
    assert set(stock_held(made[0].room_type).values()) == {0}


def test_parallel_sweeps_and_tasks_record_each_reminder_once(live_db, provider_actor):
    made = make_bookings(pending=6, awaiting_payment=0, provider_actor=provider_actor)

    def racers(action: str) -> list:
        calls = [timers_sweep] * 4
        for booking in made:
            calls += [lambda pk=booking.pk: tasks.remind_booking.call(pk, action)] * 2
        return calls

    live_db.shift(hours=12, minutes=1)
    results = no_errors(race(racers("reminder_half")))
    assert sum(r["reminded"] for r in results[:4]) + sum(r is True for r in results[4:]) == 6
    assert events("reminder_half") == {b.pk: 1 for b in made}
    assert events("reminder_final") == {}

    live_db.shift(hours=10)
    results = no_errors(race(racers("reminder_final")))
    assert sum(r["reminded"] for r in results[:4]) + sum(r is True for r in results[4:]) == 6
    assert events("reminder_half") == events("reminder_final") == {b.pk: 1 for b in made}

    live_db.shift(hours=2)
    no_errors(race([timers_sweep] * SWEEPS))
    assert events("expire") == {b.pk: 1 for b in made}
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.EXPIRED_UNCONFIRMED}


def test_a_provider_confirming_at_the_deadline_races_the_sweeps(live_db, provider_actor):
    """At the deadline the provider's confirm and the sweeps race. The confirm is refused
    with a DomainError (the deadline has passed, or the booking is already expired: it
    depends on who locks the row first), never a crash, and the booking expires once."""
    (booking,) = make_bookings(pending=1, awaiting_payment=0, provider_actor=provider_actor)
    live_db.shift(hours=24)
    confirm = lambda: booking_confirm(booking=booking, actor=provider_actor)  # noqa: E731

    first, *sweeps = race([confirm, *[timers_sweep] * 4])

    assert isinstance(first.error, DomainError), first.error
    assert first.error.code in {"deadline_passed", "invalid_transition"}
    assert sum(r["expired"] for r in no_errors(sweeps)) == 1
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED_UNCONFIRMED
    assert events("expire") == {booking.pk: 1}
    assert events("confirm") == {}
