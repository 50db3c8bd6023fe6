"""Bookings made for a browser test in the demo's Hotel Motława (Baltic Stays), through the
services, so each test has the exact booking it needs beside the demo's 200."""

import datetime as dt
from decimal import Decimal

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.services import GuestDetails, booking_confirm, booking_create
from staydesk.catalog.models import Package, Property, RatePlan, RoomType
from staydesk.core import clock
from staydesk.payments.services import payment_record

HOTEL = "Hotel Motława Gdańsk"


def _provider() -> Actor:
    from django.contrib.auth import get_user_model

    return Actor.provider(get_user_model().objects.get(username="provider"))


def hotel() -> Property:
    return Property.objects.get(name=HOTEL)


def room_request(*, last_name: str, arrival_in_days: int = 20, nights: int = 2) -> Booking:
    prop = hotel()
    arrival = clock.local_date(prop.timezone) + dt.timedelta(days=arrival_in_days)
    return booking_create(
        property=prop,
        room_type=RoomType.objects.get(property=prop, name="Double room"),
        rate_plan=RatePlan.objects.get(property=prop, name="Standard"),
        arrival=arrival,
        departure=arrival + dt.timedelta(days=nights),
        adults=2,
        guest=GuestDetails(
            first_name="Ewa", last_name=last_name, email="ewa@example.com", language="pl"
        ),
        actor=Actor.guest(),
    )


def paid_room(*, last_name: str, arrival_in_days: int = 20) -> Booking:
    booking = booking_confirm(
        booking=room_request(last_name=last_name, arrival_in_days=arrival_in_days),
        actor=_provider(),
    )
    return payment_record(
        booking=booking, amount=booking.total, actor=Actor.guest(), reference=f"card-{last_name}"
    )


def paid_package(*, last_name: str) -> Booking:
    """A paid package booking of the demo with its required action still to do."""
    package = Package.objects.exclude(required_action_text="").exclude(price=None).first()
    prop = package.property
    arrival = clock.local_date(prop.timezone) + dt.timedelta(days=25)
    booking = booking_create(
        property=prop,
        package=package,
        arrival=arrival,
        adults=2,
        guest=GuestDetails(first_name="Jón", last_name=last_name, email="jon@example.com"),
        actor=Actor.guest(),
    )
    if booking.status == "pending_confirmation":
        from django.contrib.auth import get_user_model

        owner = get_user_model().objects.get(username="nordic")
        booking = booking_confirm(booking=booking, actor=Actor.provider(owner))
    paid = booking.total if booking.min_prepayment else Decimal(0)
    if paid:
        booking = payment_record(
            booking=booking, amount=paid, actor=Actor.guest(), reference=f"card-{last_name}"
        )
    return booking
