"""Deadlines never fall after the guest's check-in time (except the minimum time to act), and
an agency on account books without prepayment (SPEC §3 "agent on account")."""

import datetime as dt
from decimal import Decimal

import pytest

from staydesk.bookings.actors import Actor
from staydesk.bookings.deadlines import (
    MIN_TIME_TO_ANSWER,
    MIN_TIME_TO_PAY,
    confirmation_deadline,
    payment_deadline,
)
from staydesk.bookings.services import booking_confirm
from staydesk.bookings.states import Status
from tests.factories import AgencyFactory, book_room, room_offer

T0 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def test_the_confirmation_window_is_cut_at_check_in():
    assert confirmation_deadline(booked_at=T0, window_hours=24, arrival_start=T0 + 100 * H) == (
        T0 + 24 * H
    )
    assert confirmation_deadline(booked_at=T0, window_hours=24, arrival_start=T0 + 5 * H) == (
        T0 + 5 * H
    )
    # Already past check-in: the provider still gets the minimum time to answer.
    assert confirmation_deadline(booked_at=T0, window_hours=24, arrival_start=T0 - H) == (
        T0 + MIN_TIME_TO_ANSWER
    )


@pytest.mark.parametrize(
    ("limit", "days_before", "arrival_in", "expected"),
    [
        (48, None, 100, 48),  # the limit
        (48, None, 10, 10),  # cut at check-in even without an N-days rule
        (48, 1, 60, 36),  # N days before arrival comes first
        (48, 7, 100, 1),  # the rule is already past: the minimum time to pay
    ],
)
def test_the_payment_deadline(limit, days_before, arrival_in, expected):
    deadline = payment_deadline(
        confirmed_at=T0,
        limit_hours=limit,
        days_before_arrival=days_before,
        arrival_start=T0 + arrival_in * H,
    )
    assert deadline == T0 + expected * H
    assert deadline >= T0 + MIN_TIME_TO_PAY


def test_a_request_for_tomorrow_must_be_answered_before_check_in(db, clock, provider):
    from staydesk.core import clock as domain_clock

    offer = room_offer()
    booking = book_room(offer, arrival_in_days=1)
    prop = offer.property
    check_in = domain_clock.local_datetime(prop.timezone, booking.arrival, prop.check_in_time)
    assert booking.confirm_by == min(booking.booked_at + dt.timedelta(hours=24), check_in)
    confirmed = booking_confirm(booking=booking, actor=provider)
    assert confirmed.pay_by <= max(check_in, confirmed.confirmed_at + MIN_TIME_TO_PAY)


def test_an_agency_on_account_books_without_prepayment(db, clock, provider):
    offer = room_offer(prepayment_percent="50")
    agency = AgencyFactory(pays_on_account=True)
    booking = book_room(offer, agency=agency, actor=Actor.for_agency(agency))
    assert booking.prepayment_percent == Decimal(0)
    assert booking.min_prepayment == Decimal(0)
    assert booking_confirm(booking=booking, actor=provider).status == Status.CONFIRMED


def test_an_agency_not_on_account_follows_the_constructor(db, clock, provider):
    offer = room_offer(prepayment_percent="50")
    agency = AgencyFactory()
    booking = book_room(offer, agency=agency, actor=Actor.for_agency(agency))
    assert booking.min_prepayment == booking.total / 2
    assert booking_confirm(booking=booking, actor=provider).status == Status.AWAITING_PAYMENT
