"""The guards of SPEC §3 beyond the status table, and what each action records.

Every refusal is a ``DomainError`` with a stable code, and a refused action writes nothing.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import (
    booking_cancel_by_guest,
    booking_cancel_by_provider,
    booking_check_in,
    booking_confirm,
    booking_expire,
    booking_mark_no_show,
    booking_mark_required_action_done,
    booking_reject,
    booking_remind,
)
from staydesk.bookings.states import Action, ActorKind, Status
from staydesk.core import clock as domain_clock
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.inventory.models import StockNight
from staydesk.payments.models import LedgerEntry
from staydesk.payments.services import payment_record
from tests.factories import (
    AgencyFactory,
    UserFactory,
    advance_to,
    arrival_morning,
    book_room,
    booking_in_status,
    held_units,
    ledger_of,
    room_offer,
)

S = Status


def _state(booking: Booking) -> dict:
    return {
        "row": Booking.objects.filter(pk=booking.pk).values().get(),
        "events": BookingEvent.objects.filter(booking=booking).count(),
        "ledger": ledger_of(booking),
        "stock": list(StockNight.objects.order_by("id").values_list("id", "held")),
        "tasks": DBTaskResult.objects.count(),
    }


def assert_refused(call, code: str, booking: Booking) -> DomainError:
    before = _state(booking)
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.code == code
    assert _state(booking) == before
    return refused.value


# --- who may act ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (S.PENDING_CONFIRMATION, lambda b, a: booking_confirm(booking=b, actor=a["guest"])),
        (S.PENDING_CONFIRMATION, lambda b, a: booking_confirm(booking=b, actor=a["agency"])),
        (S.PENDING_CONFIRMATION, lambda b, a: booking_confirm(booking=b, actor=a["system"])),
        (S.PENDING_CONFIRMATION, lambda b, a: booking_reject(booking=b, actor=a["guest"])),
        (S.PENDING_CONFIRMATION, lambda b, a: booking_expire(booking=b, actor=a["provider"])),
        (S.PAID, lambda b, a: booking_cancel_by_guest(booking=b, actor=a["provider"])),
        (S.PAID, lambda b, a: booking_cancel_by_guest(booking=b, actor=a["system"])),
        (
            S.PAID,
            lambda b, a: booking_cancel_by_provider(
                booking=b, actor=a["guest"], cancellation_type="other", reason="No"
            ),
        ),
        (S.PAID, lambda b, a: booking_check_in(booking=b, actor=a["guest"])),
        (S.PAID, lambda b, a: booking_mark_no_show(booking=b, actor=a["agency"])),
        (S.PAID, lambda b, a: booking_mark_required_action_done(booking=b, actor=a["guest"])),
    ],
)
def test_actor_not_allowed(status, call, clock, provider):
    actors = {
        "provider": provider,
        "guest": Actor.guest("Anna"),
        "agency": Actor.for_agency(AgencyFactory()),
        "system": Actor.system(),
    }
    booking = booking_in_status(status, frozen=clock, provider=provider, kind="package")
    advance_to(clock, arrival_morning(booking))  # no time guard stands in the way
    assert_refused(lambda: call(booking, actors), "actor_not_allowed", booking)


def test_operator_may_do_what_provider_and_guest_may(clock, provider):
    operator = Actor.operator(UserFactory(is_staff=True))
    booking = booking_in_status(S.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    booking = booking_confirm(booking=booking, actor=operator)
    assert booking.status == S.AWAITING_PAYMENT
    booking = booking_cancel_by_guest(booking=booking, actor=operator, reason="Asked by phone")
    assert booking.status == S.CANCELLED_BY_GUEST
    event = booking.events.last()
    assert (event.actor_kind, event.actor_user) == (ActorKind.OPERATOR, operator.user)


# --- check-in and no-show: on or after the arrival date, at the property ---------------------


@pytest.mark.parametrize("service", [booking_check_in, booking_mark_no_show])
def test_check_in_and_no_show_before_arrival_are_refused(service, clock, provider):
    booking = booking_in_status(S.PAID, frozen=clock, provider=provider)
    # The last minute of the day before arrival, at the property.
    eve = domain_clock.local_datetime(
        booking.property.timezone, booking.arrival, dt.time(0, 0)
    ) - dt.timedelta(minutes=1)
    advance_to(clock, eve)
    assert_refused(lambda: service(booking=booking, actor=provider), "before_arrival", booking)

    clock.shift(minutes=1)  # midnight: the arrival date has begun
    assert service(booking=booking, actor=provider).status in (S.COMPLETED, S.NO_SHOW)


def test_arrival_day_is_the_propertys_own_date(clock, provider):
    # 11:00 UTC on 24 Nov is already 25 Nov in Auckland (UTC+13): arrival "tomorrow" in UTC terms
    # is today at the property, so check-in is allowed there.
    offer = room_offer(prepayment_percent="0", timezone="Pacific/Auckland", country="NZ")
    booking = book_room(offer, arrival_in_days=0, nights=1)
    assert booking.arrival == dt.date(2026, 11, 25)
    booking = booking_confirm(booking=booking, actor=provider)
    assert booking_check_in(booking=booking, actor=provider).status == S.COMPLETED


def test_no_show_is_allowed_after_the_arrival_date(clock, provider):
    booking = booking_in_status(S.PARTIALLY_PAID, frozen=clock, provider=provider)
    advance_to(clock, arrival_morning(booking) + dt.timedelta(days=3))
    assert booking_mark_no_show(booking=booking, actor=provider).status == S.NO_SHOW


# --- cancellations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "actor", [Actor.guest("Anna"), Actor(kind=ActorKind.AGENCY, label="Agency")]
)
def test_guest_cannot_cancel_once_the_required_action_is_done(actor, clock, provider):
    booking = booking_in_status(S.PAID, frozen=clock, provider=provider, kind="package")
    booking = booking_mark_required_action_done(booking=booking, actor=provider)
    error = assert_refused(
        lambda: booking_cancel_by_guest(booking=booking, actor=actor),
        "required_action_done",
        booking,
    )
    assert "provider" in str(error.message)
    # The provider still can, with a full refund.
    cancelled = booking_cancel_by_provider(
        booking=booking, actor=provider, cancellation_type="guest_request", reason="Asked us"
    )
    assert cancelled.status == S.CANCELLED_BY_PROVIDER


def test_provider_cannot_cancel_when_the_policy_forbids_it(clock, provider):
    offer = room_offer(provider_may_cancel=False)
    booking = booking_in_status(S.PARTIALLY_PAID, frozen=clock, provider=provider, offer=offer)
    assert_refused(
        lambda: booking_cancel_by_provider(
            booking=booking, actor=provider, cancellation_type="overbooking", reason="Sorry"
        ),
        "policy_forbids_cancellation",
        booking,
    )
    # The policy was frozen on the booking: allowing it later changes nothing for this one.
    offer.constructor.provider_may_cancel = True
    offer.constructor.save()
    assert_refused(
        lambda: booking_cancel_by_provider(
            booking=booking, actor=provider, cancellation_type="overbooking", reason="Sorry"
        ),
        "policy_forbids_cancellation",
        booking,
    )
    # The guest still may cancel.
    assert booking_cancel_by_guest(booking=booking, actor=Actor.guest()).status == (
        S.CANCELLED_BY_GUEST
    )


@pytest.mark.parametrize("who", ["guest", "provider"])
def test_nobody_cancels_after_the_arrival_date(who, clock, provider):
    booking = booking_in_status(S.PAID, frozen=clock, provider=provider)
    advance_to(clock, arrival_morning(booking) + dt.timedelta(days=1))
    if who == "guest":

        def call():
            return booking_cancel_by_guest(booking=booking, actor=Actor.guest())
    else:

        def call():
            return booking_cancel_by_provider(
                booking=booking, actor=provider, cancellation_type="other", reason="Late"
            )

    assert_refused(call, "arrival_passed", booking)


def test_guest_may_cancel_on_the_arrival_day(clock, provider):
    booking = booking_in_status(S.PARTIALLY_PAID, frozen=clock, provider=provider)
    advance_to(clock, arrival_morning(booking))
    cancelled = booking_cancel_by_guest(booking=booking, actor=Actor.guest())
    assert cancelled.status == S.CANCELLED_BY_GUEST
    # Past every tier: nothing back, the whole prepayment stays with the provider.
    kinds = [kind for kind, _amount in ledger_of(booking)]
    assert LedgerEntry.Kind.REFUND not in kinds
    assert (LedgerEntry.Kind.PAYOUT, booking.min_prepayment) in ledger_of(booking)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"cancellation_type": " ", "reason": "Pipe burst"}, "cancellation_type_required"),
        ({"cancellation_type": "overbooking", "reason": "  "}, "cancellation_reason_required"),
    ],
)
def test_provider_cancellation_needs_a_type_and_a_reason(kwargs, code, clock, provider):
    booking = booking_in_status(S.PAID, frozen=clock, provider=provider)
    error = assert_refused(
        lambda: booking_cancel_by_provider(booking=booking, actor=provider, **kwargs),
        code,
        booking,
    )
    assert isinstance(error, InvalidInput)


def test_provider_cancellation_records_type_and_reason(clock, provider):
    booking = booking_in_status(S.AWAITING_PAYMENT, frozen=clock, provider=provider)
    cancelled = booking_cancel_by_provider(
        booking=booking, actor=provider, cancellation_type=" wrong_dates ", reason=" Typo "
    )
    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.cancellation_type, stored.cancellation_reason) == ("wrong_dates", "Typo")
    event = cancelled.events.last()
    assert (event.reason, event.data["type"]) == ("Typo", "wrong_dates")
    assert held_units(booking) == 0
    assert stored.closed_at == clock.now


def test_guest_cancels_a_request_without_money_moving(clock, provider):
    booking = booking_in_status(S.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    cancelled = booking_cancel_by_guest(booking=booking, actor=Actor.guest(), reason="Found other")
    assert cancelled.status == S.CANCELLED_BY_GUEST
    assert ledger_of(booking) == []
    assert held_units(booking) == 0
    assert cancelled.events.last().reason == "Found other"


# --- timers' guards ---------------------------------------------------------------------------


def test_expiring_a_request_before_its_deadline_is_refused(clock, provider):
    booking = booking_in_status(S.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    advance_to(clock, booking.confirm_by - dt.timedelta(seconds=1))
    assert_refused(lambda: booking_expire(booking=booking), "not_overdue", booking)

    clock.shift(seconds=1)  # exactly at the deadline
    expired = booking_expire(booking=booking)
    assert expired.status == S.EXPIRED_UNCONFIRMED
    assert held_units(booking) == 0


def test_expiring_an_unpaid_booking_before_its_payment_deadline_is_refused(clock, provider):
    booking = booking_in_status(S.AWAITING_PAYMENT, frozen=clock, provider=provider)
    assert booking.pay_by == clock.now + dt.timedelta(hours=48)
    # The confirmation deadline has passed, but it no longer counts.
    advance_to(clock, booking.pay_by - dt.timedelta(minutes=1))
    assert booking.confirm_by < domain_clock.now()
    assert_refused(lambda: booking_expire(booking=booking), "not_overdue", booking)

    clock.shift(minutes=1)
    assert booking_expire(booking=booking).status == S.EXPIRED_UNPAID


@pytest.mark.parametrize(
    ("action", "due_after"),
    [
        (Action.REMINDER_HALF, dt.timedelta(hours=12)),
        (Action.REMINDER_FINAL, dt.timedelta(hours=22)),
    ],
)
def test_reminders_are_refused_until_due(action, due_after, clock, provider):
    booking = booking_in_status(S.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    clock.shift(seconds=due_after.total_seconds() - 1)
    assert_refused(lambda: booking_remind(booking=booking, action=action), "not_due", booking)

    clock.shift(seconds=1)
    reminded = booking_remind(booking=booking, action=action)
    assert reminded.status == S.PENDING_CONFIRMATION
    event = reminded.events.last()
    assert (event.action, event.actor_kind) == (action, ActorKind.SYSTEM)


# --- required action ------------------------------------------------------------------------


def test_marking_the_required_action_done_records_who_and_when(clock, provider):
    booking = booking_in_status(S.PARTIALLY_PAID, frozen=clock, provider=provider, kind="package")
    assert booking.required_action_text == "Sign the travel contract."
    clock.shift(hours=3)
    done = booking_mark_required_action_done(booking=booking, actor=provider)
    stored = Booking.objects.get(pk=booking.pk)
    assert stored.required_action_done_at == clock.now + dt.timedelta(hours=3)
    assert stored.required_action_done_by == provider.user
    assert done.status == S.PARTIALLY_PAID
    assert done.events.last().action == Action.REQUIRED_ACTION_DONE

    assert_refused(
        lambda: booking_mark_required_action_done(booking=booking, actor=provider),
        "required_action_already_done",
        booking,
    )


def test_a_room_booking_has_no_required_action(clock, provider):
    booking = booking_in_status(S.PAID, frozen=clock, provider=provider)
    assert_refused(
        lambda: booking_mark_required_action_done(booking=booking, actor=provider),
        "no_required_action",
        booking,
    )


# --- what confirm, reject and payments record -------------------------------------------------


def test_confirm_sets_the_payment_deadline_and_schedules_its_timer(clock, provider):
    booking = booking_in_status(S.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    tasks_before = DBTaskResult.objects.count()
    clock.shift(hours=2)
    confirmed = booking_confirm(booking=booking, actor=provider)
    pay_by = clock.now + dt.timedelta(hours=2 + 48)
    assert confirmed.pay_by == pay_by
    assert confirmed.events.last().data == {"pay_by": pay_by.isoformat()}
    timers = DBTaskResult.objects.filter(task_path="staydesk.bookings.tasks.expire_booking")
    assert timers.count() == 2  # the request's deadline, now moot, and the payment deadline
    assert timers.order_by("-enqueued_at", "-id").first().run_after == pay_by
    assert DBTaskResult.objects.count() == tasks_before + 2  # and the event's fan-out


def test_payment_deadline_is_never_later_than_n_days_before_arrival(clock, provider):
    offer = room_offer()
    offer.constructor.payment_days_before_arrival = 5
    offer.constructor.save()
    booking = book_room(offer, arrival_in_days=6)
    confirmed = booking_confirm(booking=booking, actor=provider)
    arrival_start = domain_clock.local_datetime(
        booking.property.timezone, booking.arrival, booking.property.check_in_time
    )
    # 48 h would be 4 days before arrival; 5 days before comes first.
    assert confirmed.pay_by == arrival_start - dt.timedelta(days=5)


def test_reject_releases_the_units_and_keeps_the_reason(clock, provider):
    booking = booking_in_status(S.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    assert held_units(booking) == 2
    rejected = booking_reject(booking=booking, actor=provider, reason="Closed for renovation")
    assert rejected.status == S.REJECTED_BY_PROVIDER
    assert held_units(booking) == 0
    event = rejected.events.last()
    assert (event.reason, event.actor_user, event.actor_kind) == (
        "Closed for renovation",
        provider.user,
        ActorKind.PROVIDER,
    )


def test_a_refused_payment_leaves_an_expired_booking_alone(clock, provider):
    booking = booking_in_status(S.EXPIRED_UNPAID, frozen=clock, provider=provider)
    assert_refused(
        lambda: payment_record(
            booking=booking, amount=Decimal("100.00"), actor=Actor.guest(), reference="late"
        ),
        "invalid_transition",
        booking,
    )


def test_a_reminder_recorded_twice_is_refused_with_a_code(db, clock):
    from staydesk.bookings.services import booking_remind

    booking = book_room(room_offer())
    clock.shift(hours=13)
    booking_remind(booking=booking, action=Action.REMINDER_HALF)
    with pytest.raises(DomainError) as refused:
        booking_remind(booking=booking, action=Action.REMINDER_HALF)
    assert refused.value.code == "already_reminded"
    assert BookingEvent.objects.filter(booking=booking, action=Action.REMINDER_HALF).count() == 1


def test_check_in_keeps_the_rest_of_the_stay_sold(db, clock, provider):
    """A guest checked in on day 1 of 5 still occupies the room: nights 4-6 are not for sale."""
    from staydesk.bookings.services import booking_check_in, booking_confirm
    from tests.factories import advance_to, arrival_morning

    offer = room_offer(units=1, prepayment_percent="0")
    booking = booking_confirm(booking=book_room(offer, arrival_in_days=3, nights=5), actor=provider)
    advance_to(clock, arrival_morning(booking))
    booking_check_in(booking=booking, actor=provider)
    with pytest.raises(DomainError) as refused:
        book_room(offer, arrival_in_days=3, nights=3)  # from today (arrival day) + 3 = night 4
    assert refused.value.code == "sold_out"
