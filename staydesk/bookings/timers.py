"""Timers: a deadline column, a deferred task at the deadline, and an idempotent sweep.

The deferred tasks make deadlines fire on time; the sweep, run by the worker at start and
every minute, catches whatever the tasks missed (downtime, a lost task). Both call the same
transition services, whose status guard and row lock make a timer fire exactly once however
many tasks and sweeps race.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from staydesk.bookings.deadlines import reminder_times
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.states import Action, Status
from staydesk.core import clock
from staydesk.core.errors import DomainError

logger = logging.getLogger(__name__)

REMINDERS = (Action.REMINDER_HALF, Action.REMINDER_FINAL)


def timers_schedule(booking: Booking) -> None:
    """Enqueue the deferred tasks for the booking's current deadline (inside its transaction)."""
    from staydesk.bookings import tasks  # tasks import the services that call this

    if booking.status == Status.PENDING_CONFIRMATION and booking.confirm_by:
        tasks.expire_booking.using(run_after=booking.confirm_by).enqueue(booking.pk)
        due = reminder_times(booked_at=booking.booked_at, confirm_by=booking.confirm_by)
        for action, at in due.items():
            tasks.remind_booking.using(run_after=at).enqueue(booking.pk, action)
    elif booking.status == Status.AWAITING_PAYMENT and booking.pay_by:
        tasks.expire_booking.using(run_after=booking.pay_by).enqueue(booking.pk)


def expire_if_overdue(booking_id: int) -> bool:
    """Expire the booking if its deadline has passed. True if this call expired it."""
    from staydesk.bookings.services import booking_expire

    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        return False
    try:
        booking_expire(booking=booking)
    except DomainError:
        return False  # answered, paid, not yet due, or another worker was first
    return True


def remind_if_due(booking_id: int, action: Action) -> bool:
    from staydesk.bookings.services import booking_remind

    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        return False
    if BookingEvent.objects.filter(booking_id=booking_id, action=action).exists():
        return False
    try:
        with transaction.atomic():
            booking_remind(booking=booking, action=action)
    except (DomainError, IntegrityError):
        return False  # not due, no longer pending, or already recorded by a racing sweep
    return True


def timers_sweep() -> dict[str, int]:
    """Fire every overdue timer. Safe to run any number of times, in any number of workers."""
    now = clock.now()
    overdue = Booking.objects.filter(
        Q(status=Status.PENDING_CONFIRMATION, confirm_by__lte=now)
        | Q(status=Status.AWAITING_PAYMENT, pay_by__lte=now)
    ).values_list("pk", flat=True)
    expired = sum(expire_if_overdue(pk) for pk in list(overdue))

    pending = Booking.objects.filter(status=Status.PENDING_CONFIRMATION, confirm_by__gt=now)
    sent = set(
        BookingEvent.objects.filter(booking__in=pending, action__in=REMINDERS).values_list(
            "booking_id", "action"
        )
    )
    reminded = 0
    for pk, booked_at, confirm_by in pending.values_list("pk", "booked_at", "confirm_by"):
        for action, at in reminder_times(booked_at=booked_at, confirm_by=confirm_by).items():
            if at <= now and (pk, action) not in sent:
                reminded += remind_if_due(pk, action)
    if expired or reminded:
        logger.info("Timer sweep: %s expired, %s reminders", expired, reminded)
    return {"expired": expired, "reminded": reminded}
