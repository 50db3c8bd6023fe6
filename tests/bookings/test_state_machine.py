"""The state machine of SPEC §3, cell by cell.

Every (status, action) pair of ``Status`` x ``Action`` is tried through the service that does
the action. Bookings reach their status through the services and the clock, never by writing
the status. An allowed pair (in ``TRANSITIONS``, done by an allowed actor, with the clock moved
so the guards hold) reaches the right status and writes exactly one event; any other pair is
refused with a stable code and changes nothing: not the booking row, its events, its ledger,
the held stock, nor the task queue.
"""

import datetime as dt

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.actors import Actor
from staydesk.bookings.deadlines import reminder_times
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.rules import OFFERED_ACTIONS, allowed_actions
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
    booking_resend_confirmation,
    booking_update_guest,
)
from staydesk.bookings.services.transition import run_transition
from staydesk.bookings.states import ACTORS, HOLDING, TRANSITIONS, Action, ActorKind, Status
from staydesk.core.errors import DomainError
from staydesk.inventory.models import StockNight
from staydesk.payments.ledger import paid_amount
from staydesk.payments.models import LedgerEntry
from staydesk.payments.services import payment_record
from tests.factories import (
    AgencyFactory,
    UserFactory,
    advance_to,
    arrival_morning,
    booking_in_status,
    guest,
    held_units,
)

S, A = Status, Action


def _amount_to_pay(booking: Booking):
    """PAY pays what is still due (the full amount); a fully paid booking is offered its total."""
    due = booking.total - paid_amount(booking=booking)
    return due if due > 0 else booking.total


# The service behind each action, called with the action's natural actor.
SERVICES = {
    A.CREATE: lambda b, who: run_transition(booking=b, action=A.CREATE, actor=who["guest"]),
    A.CONFIRM: lambda b, who: booking_confirm(booking=b, actor=who["provider"]),
    A.REJECT: lambda b, who: booking_reject(booking=b, actor=who["provider"], reason="Full"),
    A.EXPIRE: lambda b, who: booking_expire(booking=b),
    A.PAY: lambda b, who: payment_record(
        booking=b, amount=_amount_to_pay(b), actor=who["guest"], reference="matrix-payment"
    ),
    A.CANCEL_BY_GUEST: lambda b, who: booking_cancel_by_guest(
        booking=b, actor=who["guest"], reason="Plans changed"
    ),
    A.CANCEL_BY_PROVIDER: lambda b, who: booking_cancel_by_provider(
        booking=b, actor=who["provider"], cancellation_type="overbooking", reason="Pipe burst"
    ),
    A.CHECK_IN: lambda b, who: booking_check_in(booking=b, actor=who["provider"]),
    A.NO_SHOW: lambda b, who: booking_mark_no_show(booking=b, actor=who["provider"]),
    A.REQUIRED_ACTION_DONE: lambda b, who: booking_mark_required_action_done(
        booking=b, actor=who["provider"]
    ),
    A.RESEND_CONFIRMATION: lambda b, who: booking_resend_confirmation(
        booking=b, actor=who["provider"]
    ),
    A.REMINDER_HALF: lambda b, who: booking_remind(booking=b, action=A.REMINDER_HALF),
    A.REMINDER_FINAL: lambda b, who: booking_remind(booking=b, action=A.REMINDER_FINAL),
    A.UPDATE_GUEST: lambda b, who: booking_update_guest(
        booking=b, actor=who["provider"], guest=guest(last_name="Nowak-Kowalska")
    ),
}

# Where the table lists several targets, the one this matrix's call must reach: confirming a
# booking with a 50 % prepayment waits for payment; paying the full amount pays it.
CHOSEN_TARGET = {A.CONFIRM: S.AWAITING_PAYMENT, A.PAY: S.PAID}

ALL_PAIRS = [(status, action) for status in Status for action in Action]

# SPEC §3 written out by hand, independently of ``TRANSITIONS``: the edges each action may
# take. The matrix below runs on this table, and ``TRANSITIONS`` must equal it.
_STAY = (S.CONFIRMED, S.PARTIALLY_PAID, S.PAID)
SPEC_EDGES = {
    A.CONFIRM: {S.PENDING_CONFIRMATION: {S.AWAITING_PAYMENT, S.CONFIRMED}},
    A.REJECT: {S.PENDING_CONFIRMATION: {S.REJECTED_BY_PROVIDER}},
    A.EXPIRE: {
        S.PENDING_CONFIRMATION: {S.EXPIRED_UNCONFIRMED},
        S.AWAITING_PAYMENT: {S.EXPIRED_UNPAID},
    },
    A.PAY: {
        S.AWAITING_PAYMENT: {S.AWAITING_PAYMENT, S.PARTIALLY_PAID, S.PAID},
        S.CONFIRMED: {S.CONFIRMED, S.PARTIALLY_PAID, S.PAID},
        S.PARTIALLY_PAID: {S.PARTIALLY_PAID, S.PAID},
    },
    A.CANCEL_BY_GUEST: {
        s: {S.CANCELLED_BY_GUEST} for s in (S.PENDING_CONFIRMATION, S.AWAITING_PAYMENT, *_STAY)
    },
    A.CANCEL_BY_PROVIDER: {s: {S.CANCELLED_BY_PROVIDER} for s in (S.AWAITING_PAYMENT, *_STAY)},
    A.CHECK_IN: {s: {S.COMPLETED} for s in _STAY},
    A.NO_SHOW: {s: {S.NO_SHOW} for s in _STAY},
    A.REQUIRED_ACTION_DONE: {s: {s} for s in (*_STAY, S.COMPLETED)},
    A.RESEND_CONFIRMATION: {s: {s} for s in (S.AWAITING_PAYMENT, *_STAY)},
    A.REMINDER_HALF: {S.PENDING_CONFIRMATION: {S.PENDING_CONFIRMATION}},
    A.REMINDER_FINAL: {S.PENDING_CONFIRMATION: {S.PENDING_CONFIRMATION}},
    A.UPDATE_GUEST: {s: {s} for s in S},
}

# Who may ask for what (SPEC §1, §3): the operator may do what a provider or a guest may.
K = ActorKind
_PROVIDER = {K.PROVIDER, K.OPERATOR}
SPEC_ACTORS = {
    A.CONFIRM: _PROVIDER,
    A.REJECT: _PROVIDER,
    A.EXPIRE: {K.SYSTEM},
    A.PAY: {K.GUEST, K.AGENCY, K.PROVIDER, K.OPERATOR, K.SYSTEM},
    A.CANCEL_BY_GUEST: {K.GUEST, K.AGENCY, K.OPERATOR},
    A.CANCEL_BY_PROVIDER: _PROVIDER,
    A.CHECK_IN: _PROVIDER,
    A.NO_SHOW: _PROVIDER,
    A.REQUIRED_ACTION_DONE: _PROVIDER,
    A.RESEND_CONFIRMATION: _PROVIDER,
    A.REMINDER_HALF: {K.SYSTEM},
    A.REMINDER_FINAL: {K.SYSTEM},
    A.UPDATE_GUEST: _PROVIDER,
}


def test_the_matrix_covers_every_action_and_every_status():
    assert set(SERVICES) == set(Action)
    assert len(ALL_PAIRS) == len(Status) * len(Action) == 168


def test_transitions_are_the_specs():
    code = {
        action: {status: set(targets) for status, targets in edges.items()}
        for action, edges in TRANSITIONS.items()
    }
    assert code == SPEC_EDGES
    # ``create`` is no transition: a booking is born in its first status.
    assert A.CREATE not in TRANSITIONS


def test_actors_are_the_specs():
    assert {action: set(kinds) for action, kinds in ACTORS.items()} == SPEC_ACTORS


def test_a_booking_holds_its_units_while_alive_and_after_check_in():
    # A checked-in guest occupies the room until departure: completing must not free it.
    alive = {
        S.PENDING_CONFIRMATION,
        S.AWAITING_PAYMENT,
        S.PARTIALLY_PAID,
        S.PAID,
        S.CONFIRMED,
        S.COMPLETED,
    }
    assert set(HOLDING) == alive


def _prepare_guards(booking: Booking, action: Action, clock) -> None:
    """Move the clock so the action's time guards hold (a deadline passed, arrival reached)."""
    if action == A.EXPIRE:
        deadlines = [d for d in (booking.confirm_by, booking.pay_by) if d is not None]
        if deadlines:
            advance_to(clock, max(deadlines) + dt.timedelta(minutes=1))
    elif action in (A.REMINDER_HALF, A.REMINDER_FINAL) and booking.confirm_by:
        due = reminder_times(booked_at=booking.booked_at, confirm_by=booking.confirm_by)
        advance_to(clock, due[action])
    elif action in (A.CHECK_IN, A.NO_SHOW):
        advance_to(clock, arrival_morning(booking))


def _snapshot(booking: Booking) -> dict:
    return {
        "row": Booking.objects.filter(pk=booking.pk).values().get(),
        "events": list(
            BookingEvent.objects.filter(booking=booking).order_by("id").values_list("id", flat=True)
        ),
        "ledger": list(
            LedgerEntry.objects.filter(booking=booking).order_by("id").values_list("kind", "amount")
        ),
        "stock": list(
            StockNight.objects.order_by("resource", "date").values_list("resource", "date", "held")
        ),
        "tasks": DBTaskResult.objects.count(),
    }


@pytest.fixture
def who(db):
    user = UserFactory()
    return {"provider": Actor.provider(user), "guest": Actor.guest("Anna Nowak")}


def _units(booking: Booking) -> int:
    return booking.nights if booking.kind == "room" else 1


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=[f"{s}-{a}" for s, a in ALL_PAIRS])
def test_every_status_and_action(status, action, clock, who):
    # Only packages carry a required action; every other action is tried on a room booking.
    kind = "package" if action == A.REQUIRED_ACTION_DONE else "room"
    booking = booking_in_status(status, frozen=clock, provider=who["provider"], kind=kind)
    assert held_units(booking) == (_units(booking) if status in HOLDING else 0)
    _prepare_guards(booking, action, clock)
    before = _snapshot(booking)

    if status in SPEC_EDGES.get(action, {}):
        targets = SPEC_EDGES[action][status]
        expected = CHOSEN_TARGET.get(action) or next(iter(targets))
        assert expected in targets
        result = SERVICES[action](booking, who)

        assert result.status == expected
        stored = Booking.objects.get(pk=booking.pk)
        assert stored.status == expected
        new_events = BookingEvent.objects.filter(booking=booking).exclude(id__in=before["events"])
        assert new_events.count() == 1
        event = new_events.get()
        assert (event.action, event.from_status, event.to_status) == (action, status, expected)
        assert event.actor_kind in SPEC_ACTORS[action]
        # Units are held exactly while the booking is alive.
        assert held_units(booking) == (_units(booking) if expected in HOLDING else 0)
        if status in HOLDING and expected not in HOLDING:
            assert stored.closed_at is not None
        else:
            assert stored.closed_at == before["row"]["closed_at"]
    else:
        code = "actor_not_allowed" if action == A.CREATE else "invalid_transition"
        with pytest.raises(DomainError) as refused:
            SERVICES[action](booking, who)
        assert refused.value.code == code
        assert _snapshot(booking) == before


def test_confirming_without_prepayment_leaves_the_booking_confirmed(clock, who):
    from tests.factories import book_room, room_offer

    booking = book_room(room_offer(prepayment_percent="0"), arrival_in_days=10)
    confirmed = booking_confirm(booking=booking, actor=who["provider"])
    assert confirmed.status == S.CONFIRMED
    assert confirmed.pay_by is None
    assert confirmed.confirmed_at == clock.now
    assert confirmed.events.last().to_status == S.CONFIRMED


# --- allowed_actions: what is offered is exactly what would succeed ---------------------------


class _Undo(Exception):
    pass


def _would_succeed(call) -> bool:
    """Run ``call`` in a savepoint that is always rolled back; True if it was not refused."""
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except DomainError:
        return False


def _offered_call(action: Action, booking: Booking, actor: Actor):
    calls = {
        A.CONFIRM: lambda: booking_confirm(booking=booking, actor=actor),
        A.REJECT: lambda: booking_reject(booking=booking, actor=actor),
        A.CANCEL_BY_GUEST: lambda: booking_cancel_by_guest(booking=booking, actor=actor),
        A.CANCEL_BY_PROVIDER: lambda: booking_cancel_by_provider(
            booking=booking, actor=actor, cancellation_type="other", reason="Closed for works"
        ),
        A.CHECK_IN: lambda: booking_check_in(booking=booking, actor=actor),
        A.NO_SHOW: lambda: booking_mark_no_show(booking=booking, actor=actor),
        A.REQUIRED_ACTION_DONE: lambda: booking_mark_required_action_done(
            booking=booking, actor=actor
        ),
        A.RESEND_CONFIRMATION: lambda: booking_resend_confirmation(booking=booking, actor=actor),
    }
    return calls[action]


def _actors() -> dict[ActorKind, Actor]:
    return {
        ActorKind.PROVIDER: Actor.provider(UserFactory()),
        ActorKind.OPERATOR: Actor.operator(UserFactory(is_staff=True)),
        ActorKind.GUEST: Actor.guest("Anna Nowak"),
        ActorKind.AGENCY: Actor.for_agency(AgencyFactory()),
        ActorKind.SYSTEM: Actor.system(),
    }


MOMENTS = ("booked", "arrival_day", "after_arrival")


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("kind", ["room", "package"])
@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_lists_exactly_what_would_succeed(status, kind, moment, clock, who):
    booking = booking_in_status(status, frozen=clock, provider=who["provider"], kind=kind)
    if moment == "arrival_day":
        advance_to(clock, arrival_morning(booking))
    elif moment == "after_arrival":
        advance_to(clock, arrival_morning(booking) + dt.timedelta(days=1))
    booking.refresh_from_db()

    for actor_kind, actor in _actors().items():
        offered = allowed_actions(booking=booking, actor_kind=actor_kind)
        assert set(offered) <= set(OFFERED_ACTIONS)
        succeeded = [
            action
            for action in OFFERED_ACTIONS
            if _would_succeed(_offered_call(action, booking, actor))
        ]
        assert offered == succeeded, (actor_kind, offered, succeeded)
        if actor_kind == ActorKind.SYSTEM:
            assert offered == []  # the system only runs timers and records payments


def test_allowed_actions_after_the_required_action_is_done(clock, who):
    booking = booking_in_status(S.PAID, frozen=clock, provider=who["provider"], kind="package")
    before = allowed_actions(booking=booking, actor_kind=ActorKind.GUEST)
    assert A.CANCEL_BY_GUEST in before

    booking = booking_mark_required_action_done(booking=booking, actor=who["provider"])
    assert allowed_actions(booking=booking, actor_kind=ActorKind.GUEST) == []
    provider_offer = allowed_actions(booking=booking, actor_kind=ActorKind.PROVIDER)
    assert A.REQUIRED_ACTION_DONE not in provider_offer
    assert A.CANCEL_BY_PROVIDER in provider_offer
    assert not _would_succeed(_offered_call(A.CANCEL_BY_GUEST, booking, Actor.guest()))


def test_provider_is_offered_confirm_and_reject_on_a_new_request(clock, who):
    booking = booking_in_status(S.PENDING_CONFIRMATION, frozen=clock, provider=who["provider"])
    assert allowed_actions(booking=booking, actor_kind=ActorKind.PROVIDER) == [
        A.CONFIRM,
        A.REJECT,
    ]
    assert allowed_actions(booking=booking, actor_kind=ActorKind.GUEST) == [A.CANCEL_BY_GUEST]


def test_paid_booking_offers_check_in_only_from_the_arrival_day(clock, who):
    booking = booking_in_status(S.PAID, frozen=clock, provider=who["provider"])
    offered = allowed_actions(booking=booking, actor_kind=ActorKind.PROVIDER)
    assert offered == [A.CANCEL_BY_PROVIDER, A.RESEND_CONFIRMATION]

    advance_to(clock, arrival_morning(booking))
    offered = allowed_actions(booking=booking, actor_kind=ActorKind.PROVIDER)
    assert offered == [A.CANCEL_BY_PROVIDER, A.CHECK_IN, A.NO_SHOW, A.RESEND_CONFIRMATION]
