"""Refunds on guest cancellation (SPEC §4): the seed example exactly, and properties of the math.

Tiers are "at least N days before arrival -> R % of the total refundable"; the penalty is the
rest of the total; the refund is the prepayment minus the penalty (never below 0), less the
platform's transfer fee. Everything is rounded to the currency's minor unit, half up.
"""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from staydesk.bookings.actors import Actor
from staydesk.bookings.services import booking_cancel_by_guest, booking_confirm
from staydesk.bookings.services.actions import refund_quote_for
from staydesk.bookings.states import Status
from staydesk.core.models import PlatformSettings
from staydesk.core.money import minor_unit_digits, percent_of, quantum, round_money
from staydesk.payments.ledger import paid_amount
from staydesk.payments.services import payment_record
from staydesk.pricing.refunds import Tier, full_refund, quote_refund, refundable_percent
from tests.factories import book_room, ledger_of, room_offer

D = Decimal
SEED_TIERS = [Tier(30, D(100)), Tier(7, D(80))]


def test_the_seed_example_gives_exactly_285():
    quote = quote_refund(
        total=D(1000),
        paid=D(500),
        currency="EUR",
        tiers=SEED_TIERS,
        days_before_arrival=10,
        transfer_fee_percent=D(5),
    )
    assert quote.refundable_percent == D(80)
    assert quote.penalty == D("200.00")
    assert quote.refund_before_fee == D("300.00")
    assert quote.transfer_fee == D("15.00")
    assert quote.refund == D("285.00")
    assert quote.retained == D("200.00")
    assert str(quote.refund) == "285.00"


def test_the_seed_example_end_to_end(db, clock, provider):
    # 2 nights x 500 = 1000; a 50 % prepayment = 500; tiers 30 d -> 100 %, 7 d -> 80 %.
    offer = room_offer(price="500.00", prepayment_percent="50", tiers=((30, "100"), (7, "80")))
    assert PlatformSettings.load().transfer_fee_percent == D(5)
    booking = book_room(offer, arrival_in_days=10, nights=2)
    assert (booking.total, booking.min_prepayment) == (D("1000.00"), D("500.00"))
    booking = booking_confirm(booking=booking, actor=provider)
    booking = payment_record(booking=booking, amount="500.00", actor=Actor.guest(), reference="c1")
    assert booking.status == Status.PARTIALLY_PAID

    # What the guest sees before confirming the cancellation...
    shown = refund_quote_for(booking, clock.now)
    assert (shown.refund, shown.transfer_fee, shown.penalty) == (D(285), D(15), D(200))

    # ...is what happens.
    cancelled = booking_cancel_by_guest(booking=booking, actor=Actor.guest("Anna Nowak"))
    assert cancelled.status == Status.CANCELLED_BY_GUEST
    assert ledger_of(booking) == [
        ("payment", D("500.00")),
        ("refund", D("285.00")),
        ("transfer_fee", D("15.00")),
        ("payout", D("200.00")),  # the penalty stays with the provider (commission 0 %)
    ]
    assert paid_amount(booking=booking) == D("215.00")
    event = cancelled.events.last()
    assert event.data == {
        "paid": "500.00",
        "penalty": "200.00",
        "refund": "285.00",
        "transfer_fee": "15.00",
        "retained": "200.00",
        "payout": "200.00",
        "commission": "0.00",
    }


def test_cancelling_within_the_first_tier_refunds_everything_but_the_fee(db, clock, provider):
    offer = room_offer(price="500.00", prepayment_percent="50")
    booking = booking_confirm(booking=book_room(offer, arrival_in_days=40), actor=provider)
    booking = payment_record(booking=booking, amount="500.00", actor=Actor.guest(), reference="a")
    booking_cancel_by_guest(booking=booking, actor=Actor.guest())
    assert ledger_of(booking)[1:] == [("refund", D("475.00")), ("transfer_fee", D("25.00"))]


@pytest.mark.parametrize(
    ("days", "percent"),
    [(365, 100), (30, 100), (29, 80), (7, 80), (6, 0), (0, 0), (-3, 0)],
)
def test_tier_boundaries(days, percent):
    assert refundable_percent(SEED_TIERS, days) == D(percent)


def test_past_the_last_tier_nothing_is_refunded():
    quote = quote_refund(
        total=D(1000),
        paid=D(500),
        currency="EUR",
        tiers=SEED_TIERS,
        days_before_arrival=6,
        transfer_fee_percent=D(5),
    )
    assert (quote.penalty, quote.refund_before_fee, quote.refund, quote.transfer_fee) == (
        D(1000),
        D(0),
        D(0),
        D(0),
    )
    assert quote.retained == D(500)


def test_tiers_in_any_order_give_the_same_refund():
    shuffled = [Tier(7, D(80)), Tier(30, D(100))]
    for days in range(-2, 40):
        assert refundable_percent(shuffled, days) == refundable_percent(SEED_TIERS, days)


def test_provider_cancellation_is_a_full_refund_without_fee():
    quote = full_refund(total=D(1000), paid=D("500.004"), currency="EUR")
    assert (quote.refund, quote.transfer_fee, quote.penalty, quote.retained) == (
        D("500.00"),
        D(0),
        D(0),
        D(0),
    )


# --- rounding to the minor unit, half up --------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "digits"), [("JPY", 0), ("EUR", 2), ("PLN", 2), ("BHD", 3), ("KWD", 3)]
)
def test_minor_units(currency, digits):
    assert minor_unit_digits(currency) == digits
    assert quantum(currency) == D(1).scaleb(-digits)


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        ("2.5", "JPY", "3"),
        ("3.5", "JPY", "4"),  # half up, not half even
        ("-2.5", "JPY", "-3"),
        ("2.345", "EUR", "2.35"),
        ("2.325", "EUR", "2.33"),
        ("2.3449", "EUR", "2.34"),
        ("0.0005", "BHD", "0.001"),
        ("1.2345", "KWD", "1.235"),
        ("1.2344", "KWD", "1.234"),
    ],
)
def test_round_money_is_half_up(amount, currency, rounded):
    result = round_money(D(amount), currency)
    assert result == D(rounded)
    assert result.as_tuple().exponent == -minor_unit_digits(currency)


@pytest.mark.parametrize(
    ("currency", "total", "paid", "fee_percent", "expected"),
    [
        # JPY: penalty 50 % of 1001 = 500.5 -> 501; 1001 - 501 = 500; fee 5.1 % = 25.5 -> 26.
        ("JPY", "1001", "1001", "5.1", {"penalty": "501", "transfer_fee": "26", "refund": "474"}),
        # EUR: penalty 50 % of 10.05 = 5.025 -> 5.03; 10.05 - 5.03 = 5.02; fee 2.5 % = 0.1255.
        (
            "EUR",
            "10.05",
            "10.05",
            "2.5",
            {"penalty": "5.03", "transfer_fee": "0.13", "refund": "4.89"},
        ),
        # BHD: penalty 50 % of 1.001 = 0.5005 -> 0.501; refund 0.500; fee 5 % = 0.025.
        (
            "BHD",
            "1.001",
            "1.001",
            "5",
            {"penalty": "0.501", "transfer_fee": "0.025", "refund": "0.475"},
        ),
        # KWD: penalty 50 % of 0.003 = 0.0015 -> 0.002; 0.001 left; fee 50 % = 0.0005 -> 0.001.
        (
            "KWD",
            "0.003",
            "0.003",
            "50",
            {"penalty": "0.002", "transfer_fee": "0.001", "refund": "0.000"},
        ),
    ],
)
def test_refund_rounds_half_up_to_the_minor_unit(currency, total, paid, fee_percent, expected):
    quote = quote_refund(
        total=D(total),
        paid=D(paid),
        currency=currency,
        tiers=[Tier(0, D(50))],
        days_before_arrival=10,
        transfer_fee_percent=D(fee_percent),
    )
    got = {k: getattr(quote, k) for k in expected}
    assert got == {k: D(v) for k, v in expected.items()}
    for value in (quote.penalty, quote.transfer_fee, quote.refund, quote.retained):
        assert value.as_tuple().exponent == -minor_unit_digits(currency)


def test_percent_of_rounds_half_up():
    assert percent_of(D("0.05"), D(50), "EUR") == D("0.03")
    assert percent_of(D("15"), D("10"), "JPY") == D("2")  # 1.5 -> 2
    assert percent_of(D("0.01"), D(50), "BHD") == D("0.005")


# --- properties, for any tiers, totals, prepayments and fees ----------------------------------

CURRENCIES = st.sampled_from(["JPY", "EUR", "PLN", "BHD", "KWD"])
PERCENTS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
TIERS = st.lists(
    st.builds(Tier, days_before=st.integers(0, 400), refund_percent=PERCENTS), max_size=6
)


@st.composite
def cancellations(draw):
    currency = draw(CURRENCIES)
    places = minor_unit_digits(currency)
    total = draw(st.decimals(min_value=0, max_value=10_000_000, places=places, allow_nan=False))
    paid = draw(st.decimals(min_value=0, max_value=total, places=places, allow_nan=False))
    return {
        "currency": currency,
        "total": total,
        "paid": paid,
        "tiers": draw(TIERS),
        "transfer_fee_percent": draw(PERCENTS),
    }


DAYS = st.integers(min_value=-30, max_value=500)


@given(case=cancellations(), days=DAYS)
def test_refund_is_never_negative_nor_more_than_paid(case, days):
    quote = quote_refund(days_before_arrival=days, **case)
    assert D(0) <= quote.refund <= case["paid"]
    assert D(0) <= quote.transfer_fee <= quote.refund_before_fee <= case["paid"]
    assert quote.refund + quote.transfer_fee + quote.retained == case["paid"]
    assert quote.retained >= 0
    q = quantum(case["currency"])
    for value in (quote.refund, quote.transfer_fee, quote.penalty, quote.retained):
        assert value == value.quantize(q)


@given(case=cancellations(), far=DAYS, near=DAYS)
def test_refund_never_grows_as_arrival_comes_closer(case, far, near):
    assume(near < far)
    early = quote_refund(days_before_arrival=far, **case)
    late = quote_refund(days_before_arrival=near, **case)
    assert late.refund <= early.refund
    assert late.refundable_percent <= early.refundable_percent
    assert late.penalty >= early.penalty


@given(case=cancellations(), days=DAYS)
def test_refund_matches_the_rule_as_written(case, days):
    """refund = max(0, paid - (100 - R) % of total) less the fee, R the best qualifying tier."""
    quote = quote_refund(days_before_arrival=days, **case)
    cur = case["currency"]
    qualifying = [t.refund_percent for t in case["tiers"] if days >= t.days_before]
    percent = max(qualifying, default=D(0))
    penalty = round_money(case["total"] * (100 - percent) / 100, cur)
    before_fee = max(D(0), case["paid"] - penalty)
    fee = round_money(before_fee * case["transfer_fee_percent"] / 100, cur)
    assert (quote.penalty, quote.refund_before_fee, quote.transfer_fee, quote.refund) == (
        penalty,
        before_fee,
        fee,
        before_fee - fee,
    )


@given(case=cancellations())
def test_full_refund_returns_everything_paid(case):
    quote = full_refund(total=case["total"], paid=case["paid"], currency=case["currency"])
    assert quote.refund == case["paid"]
    assert quote.transfer_fee == quote.retained == D(0)


def test_arrival_date_counts_in_the_propertys_timezone(db, clock, provider):
    # 24 Nov 11:00 UTC is 25 Nov in Auckland: a stay from 2 Dec is 7 days away there (80 %),
    # though it is 8 days away in UTC.
    offer = room_offer(
        price="500.00", tiers=((30, "100"), (8, "90"), (7, "80")), timezone="Pacific/Auckland"
    )
    booking = book_room(offer, arrival_in_days=7, nights=2)
    assert booking.arrival == dt.date(2026, 12, 2)
    booking = booking_confirm(booking=booking, actor=provider)
    booking = payment_record(booking=booking, amount="500.00", actor=Actor.guest(), reference="x")
    assert refund_quote_for(booking, clock.now).refundable_percent == D(80)
