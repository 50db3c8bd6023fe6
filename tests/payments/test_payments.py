"""Payments and the money that moves on cancellation, no-show and check-in (SPEC §4).

Payments, refunds and payouts are ledger rows; a booking's paid amount is derived from them.
A refused payment writes nothing: no ledger row, no event, no status change.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import (
    booking_cancel_by_provider,
    booking_check_in,
    booking_confirm,
    booking_mark_no_show,
)
from staydesk.bookings.states import Action, Status
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.core.models import PlatformSettings
from staydesk.payments.ledger import paid_amount
from staydesk.payments.services import payment_record, status_after_payment
from tests.factories import (
    advance_to,
    arrival_morning,
    book_promotion,
    book_room,
    booking_in_status,
    held_units,
    ledger_of,
    room_offer,
)

D = Decimal
GUEST = Actor.guest("Anna Nowak")


@pytest.fixture
def awaiting(db, clock, provider):
    """Total 200.00 PLN (2 nights x 100), minimum prepayment 100.00, awaiting payment."""
    booking = book_room(room_offer(price="100.00", prepayment_percent="50"), arrival_in_days=20)
    booking = booking_confirm(booking=booking, actor=provider)
    assert (booking.total, booking.min_prepayment) == (D("200.00"), D("100.00"))
    assert booking.status == Status.AWAITING_PAYMENT
    return booking


def pay(booking: Booking, amount, reference: str = "") -> Booking:
    return payment_record(booking=booking, amount=amount, actor=GUEST, reference=reference)


def _state(booking: Booking) -> dict:
    return {
        "row": Booking.objects.filter(pk=booking.pk).values().get(),
        "events": BookingEvent.objects.filter(booking=booking).count(),
        "ledger": ledger_of(booking),
        "tasks": DBTaskResult.objects.count(),
    }


def assert_refused(booking: Booking, amount, code: str, reference: str = "") -> DomainError:
    before = _state(booking)
    with pytest.raises(DomainError) as refused:
        pay(booking, amount, reference)
    assert refused.value.code == code
    assert _state(booking) == before
    return refused.value


def test_below_the_minimum_stays_awaiting_payment(awaiting):
    booking = pay(awaiting, "99.99", "p1")
    assert booking.status == Status.AWAITING_PAYMENT
    stored = Booking.objects.get(pk=awaiting.pk)
    assert stored.voucher_issued_at is None
    assert ledger_of(awaiting) == [("payment", D("99.99"))]
    assert paid_amount(booking=awaiting) == D("99.99")
    event = booking.events.last()
    assert (event.action, event.from_status, event.to_status) == (
        Action.PAY,
        Status.AWAITING_PAYMENT,
        Status.AWAITING_PAYMENT,
    )
    assert event.data == {"amount": "99.99", "reference": "p1", "paid": "99.99"}


def test_the_minimum_makes_it_partially_paid_and_issues_the_voucher(awaiting, clock):
    clock.shift(hours=1)
    booking = pay(awaiting, "100.00", "p1")
    assert booking.status == Status.PARTIALLY_PAID
    stored = Booking.objects.get(pk=awaiting.pk)
    assert stored.voucher_issued_at == clock.now + dt.timedelta(hours=1)
    assert paid_amount(booking=awaiting) == D("100.00")


def test_several_small_payments_reach_the_minimum(awaiting):
    assert pay(awaiting, "60", "a").status == Status.AWAITING_PAYMENT
    assert pay(awaiting, "40", "b").status == Status.PARTIALLY_PAID
    assert ledger_of(awaiting) == [("payment", D(60)), ("payment", D(40))]


def test_amounts_in_events_and_messages_have_the_currencys_decimals(awaiting):
    # The same strings on every database: they reach emails, the chat and webhooks.
    pay(awaiting, "60", "a")
    booking = pay(awaiting, "40.5", "b")
    assert booking.events.last().data == {
        "amount": "40.50",
        "reference": "b",
        "paid": "100.50",
        "contact_details_released": True,  # it just became partially paid
    }
    assert str(paid_amount(booking=awaiting)) == "100.50"
    error = assert_refused(awaiting, "100", "overpayment")
    assert "99.50 PLN" in str(error.message)


def test_the_full_amount_pays_it(awaiting, clock):
    assert pay(awaiting, "200.00", "all").status == Status.PAID
    stored = Booking.objects.get(pk=awaiting.pk)
    assert stored.voucher_issued_at == clock.now
    assert held_units(stored) == 2  # a paid booking keeps its rooms


def test_the_rest_pays_it_and_the_voucher_keeps_its_first_date(awaiting, clock):
    pay(awaiting, "100.00", "first")
    issued = Booking.objects.get(pk=awaiting.pk).voucher_issued_at
    clock.shift(days=2)
    booking = pay(awaiting, "100.00", "second")
    assert booking.status == Status.PAID
    assert Booking.objects.get(pk=awaiting.pk).voucher_issued_at == issued
    assert paid_amount(booking=awaiting) == D("200.00")


@pytest.mark.parametrize(("first", "second"), [(None, "200.01"), ("100.00", "100.01")])
def test_overpayment_is_refused(awaiting, first, second):
    if first:
        pay(awaiting, first, "first")
    error = assert_refused(awaiting, second, "overpayment")
    assert error.field == "amount"
    assert str(D("200.00") - D(first or 0)) in str(error.message)


def test_the_same_reference_twice_is_refused(awaiting):
    pay(awaiting, "50.00", "PSP-123")
    error = assert_refused(awaiting, "50.00", "duplicate_payment", reference="PSP-123")
    assert error.field == "reference"
    assert ledger_of(awaiting) == [("payment", D("50.00"))]
    # ...also with surrounding spaces, and when it would have changed the status.
    assert_refused(awaiting, "150.00", "duplicate_payment", reference="  PSP-123 ")


def test_payments_without_a_reference_are_not_duplicates(awaiting):
    pay(awaiting, "50.00")
    pay(awaiting, "50.00")
    assert paid_amount(booking=awaiting) == D("100.00")


def test_a_reference_is_unique_per_booking_only(awaiting, provider):
    other = booking_confirm(booking=book_room(room_offer(), arrival_in_days=20), actor=provider)
    pay(awaiting, "50.00", "PSP-1")
    pay(other, "50.00", "PSP-1")
    assert paid_amount(booking=other) == D("50.00")


@pytest.mark.parametrize(
    "amount",
    ["0", "0.00", "-10", D("-0.01"), "10.001", "1e-3", "abc", "", "NaN", "Infinity", None],
)
def test_non_positive_or_over_precise_amounts_are_refused(awaiting, amount):
    error = assert_refused(awaiting, amount, "invalid_amount")
    assert isinstance(error, InvalidInput)
    assert error.field == "amount"


def test_amount_decimals_follow_the_currency(db, clock, provider):
    yen = room_offer(price="10000", currency="JPY", prepayment_percent="50")
    booking = booking_confirm(booking=book_room(yen, arrival_in_days=20), actor=provider)
    assert_refused(booking, "100.5", "invalid_amount")
    assert pay(booking, "10000", "y1").status == Status.PARTIALLY_PAID
    dinar = room_offer(price="10.000", currency="BHD", prepayment_percent="50")
    booking = booking_confirm(booking=book_room(dinar, arrival_in_days=20), actor=provider)
    assert_refused(booking, "1.0001", "invalid_amount")
    assert pay(booking, "20.000", "b1").status == Status.PAID


def test_a_confirmed_booking_without_prepayment_can_still_be_paid(db, clock, provider):
    booking = booking_in_status(Status.CONFIRMED, frozen=clock, provider=provider)
    assert booking.min_prepayment == D(0)
    assert pay(booking, "50.00", "c1").status == Status.PARTIALLY_PAID
    assert pay(booking, "150.00", "c2").status == Status.PAID


def test_a_promotion_voucher_is_paid_in_full_at_purchase(db, clock):
    booking = book_promotion(room_offer())
    assert pay(booking, "100.00", "v1").status == Status.AWAITING_PAYMENT  # below 100 %
    assert pay(booking, "399.00", "v2").status == Status.PAID


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        ("0", "awaiting_payment"),
        ("99.99", "awaiting_payment"),
        ("100", "partially_paid"),
        ("199.99", "partially_paid"),
        ("200", "paid"),
    ],
)
def test_status_after_payment(paid, expected):
    assert (
        status_after_payment(
            paid=D(paid), total=D(200), min_prepayment=D(100), current=Status.AWAITING_PAYMENT
        )
        == expected
    )


# --- money on cancellation, no-show and check-in ------------------------------------------


@pytest.mark.parametrize("status", [Status.PARTIALLY_PAID, Status.PAID])
def test_provider_cancellation_refunds_everything_paid(status, clock, provider):
    booking = booking_in_status(status, frozen=clock, provider=provider)
    paid = paid_amount(booking=booking)
    assert paid > 0
    cancelled = booking_cancel_by_provider(
        booking=booking, actor=provider, cancellation_type="overbooking", reason="Sorry"
    )
    assert cancelled.status == Status.CANCELLED_BY_PROVIDER
    kinds = [kind for kind, _ in ledger_of(booking)]
    assert ledger_of(booking)[-1] == ("refund", paid)
    assert "transfer_fee" not in kinds and "payout" not in kinds
    assert paid_amount(booking=booking) == D(0)
    assert D(cancelled.events.last().data["refund"]) == paid


def test_provider_cancellation_of_an_unpaid_booking_moves_no_money(clock, provider):
    booking = booking_in_status(Status.AWAITING_PAYMENT, frozen=clock, provider=provider)
    booking_cancel_by_provider(
        booking=booking, actor=provider, cancellation_type="overbooking", reason="Sorry"
    )
    assert ledger_of(booking) == []


@pytest.mark.parametrize("commission", ["0", "10"])
def test_no_show_refunds_nothing_and_pays_the_provider(commission, clock, provider):
    settings = PlatformSettings.load()
    settings.commission_percent = D(commission)
    settings.save()
    booking = booking_in_status(Status.PARTIALLY_PAID, frozen=clock, provider=provider)
    advance_to(clock, arrival_morning(booking))
    marked = booking_mark_no_show(booking=booking, actor=provider)
    assert marked.status == Status.NO_SHOW
    cut = D("100.00") * D(commission) / 100
    expected = [("payment", D("100.00"))]
    if cut:
        expected.append(("commission", cut))
    expected.append(("payout", D("100.00") - cut))
    assert ledger_of(booking) == expected
    assert paid_amount(booking=booking) == D("100.00")  # nothing went back to the guest
    assert held_units(booking) == 0


def test_check_in_pays_out_what_was_paid_minus_the_commission(clock, provider):
    settings = PlatformSettings.load()
    settings.commission_percent = D("12.5")
    settings.save()
    booking = booking_in_status(Status.PAID, frozen=clock, provider=provider)
    advance_to(clock, arrival_morning(booking))
    completed = booking_check_in(booking=booking, actor=provider)
    assert completed.status == Status.COMPLETED
    # Paid 200.00; 12.5 % commission = 25.00; 175.00 to the provider.
    assert ledger_of(booking) == [
        ("payment", D("200.00")),
        ("commission", D("25.00")),
        ("payout", D("175.00")),
    ]
    assert completed.events.last().data == {"payout": "175.00", "commission": "25.00"}
    assert held_units(booking) == booking.nights  # the guest is in: the room stays sold


def test_commission_rounds_half_up(clock, provider):
    settings = PlatformSettings.load()
    settings.commission_percent = D("2.5")
    settings.save()
    offer = room_offer(price="100.10", prepayment_percent="50")
    booking = booking_confirm(booking=book_room(offer, arrival_in_days=5), actor=provider)
    booking = pay(booking, "200.20", "full")
    advance_to(clock, arrival_morning(booking))
    booking_check_in(booking=booking, actor=provider)
    # 2.5 % of 200.20 = 5.005 -> 5.01 (half up); 195.19 paid out.
    assert ledger_of(booking)[-2:] == [("commission", D("5.01")), ("payout", D("195.19"))]


def test_check_in_of_a_booking_paid_at_the_property_pays_out_nothing(clock, provider):
    booking = booking_in_status(Status.CONFIRMED, frozen=clock, provider=provider)
    advance_to(clock, arrival_morning(booking))
    completed = booking_check_in(booking=booking, actor=provider)
    assert completed.status == Status.COMPLETED
    assert ledger_of(booking) == []


def test_expiry_refunds_a_payment_below_the_minimum_in_full(awaiting, clock):
    from staydesk.bookings.services import booking_expire

    pay(awaiting, "40.00", "p1")
    advance_to(clock, Booking.objects.get(pk=awaiting.pk).pay_by)
    expired = booking_expire(booking=awaiting)
    assert expired.status == Status.EXPIRED_UNPAID
    assert ledger_of(awaiting) == [("payment", D("40.00")), ("refund", D("40.00"))]
    assert paid_amount(booking=awaiting) == D("0.00")
    assert expired.events.last().data == {"refund": "40.00"}


def test_expiry_without_payment_moves_no_money(awaiting, clock):
    from staydesk.bookings.services import booking_expire

    advance_to(clock, Booking.objects.get(pk=awaiting.pk).pay_by)
    booking_expire(booking=awaiting)
    assert ledger_of(awaiting) == []


def test_contact_details_are_released_once_when_enough_is_paid(awaiting):
    pay(awaiting, "100", "a")  # the minimum: partially paid
    pay(awaiting, "100", "b")  # the rest: paid
    released = [
        e.data.get("contact_details_released", False)
        for e in awaiting.events.filter(action=Action.PAY).order_by("id")
    ]
    assert released == [True, False]
