"""iCalendar feeds of occupied dates (SPEC §7): exactly the bookings that hold units, no
personal data, at a secret URL that one new property secret revokes."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.services import (
    booking_cancel_by_guest,
    booking_cancel_by_provider,
    booking_confirm,
    booking_expire,
    booking_reject,
)
from staydesk.bookings.states import HOLDING, Status
from staydesk.catalog.models import RatePrice
from staydesk.inventory.calendar_feed import feed_token, property_calendar_secret_renew
from staydesk.payments.services import payment_record
from tests.factories import (
    RoomTypeFactory,
    UserFactory,
    book_package,
    book_promotion,
    book_room,
    booking_in_status,
    guest,
    room_offer,
)
from tests.feeds.conftest import feed_path, fetch, stays


def span(booking: Booking) -> tuple[dt.date, dt.date]:
    return (booking.arrival, booking.departure)


@pytest.fixture
def lifecycle(offer, clock):
    """Room bookings of one room type in every status, each on its own dates."""
    provider = Actor.provider(UserFactory())
    payer = Actor.guest("Anna Nowak")
    made: list[Booking] = []
    # These two move the clock to their arrival morning, so they come first.
    for status in (Status.COMPLETED, Status.NO_SHOW):
        made.append(
            booking_in_status(
                status, frozen=clock, provider=provider, offer=offer, arrival_in_days=2
            )
        )
    expired = book_room(offer, arrival_in_days=60, nights=1)
    clock.shift(hours=25)
    made.append(booking_expire(booking=expired))

    def room(days: int, nights: int) -> Booking:
        return book_room(offer, arrival_in_days=days, nights=nights)

    made.append(room(10, 2))  # pending
    made.append(booking_confirm(booking=room(14, 3), actor=provider))  # awaiting payment
    paid = booking_confirm(booking=room(20, 4), actor=provider)
    made.append(payment_record(booking=paid, amount=paid.total, actor=payer, reference="p1"))
    partly = booking_confirm(booking=room(26, 1), actor=provider)
    made.append(
        payment_record(booking=partly, amount=partly.min_prepayment, actor=payer, reference="p2")
    )
    made.append(booking_reject(booking=room(30, 2), actor=provider))
    cancelled = booking_confirm(booking=room(35, 2), actor=provider)
    made.append(booking_cancel_by_guest(booking=cancelled, actor=payer))
    by_provider = booking_confirm(booking=room(40, 2), actor=provider)
    made.append(
        booking_cancel_by_provider(
            booking=by_provider, actor=provider, cancellation_type="overbooking", reason="Sorry"
        )
    )
    return [Booking.objects.get(pk=b.pk) for b in made]


def test_a_room_type_feed_shows_exactly_the_bookings_that_hold_units(offer, lifecycle):
    statuses = {b.status for b in lifecycle}
    assert statuses == set(Status) - {Status.CONFIRMED, Status.EXPIRED_UNPAID}
    holding = [b for b in lifecycle if b.status in HOLDING]
    assert len(holding) == 5

    calendar = fetch(feed_path(property=offer.property, room_type=offer.room_type))

    assert stays(calendar) == sorted(span(b) for b in holding)
    for event in calendar.walk("VEVENT"):
        assert str(event["summary"]) == "Occupied"
        assert not isinstance(event.decoded("dtstart"), dt.datetime)  # all-day
        assert event.decoded("dtstamp").tzinfo is not None
    pending = next(b for b in holding if b.status == Status.PENDING_CONFIRMATION)
    tentative = [e for e in calendar.walk("VEVENT") if str(e["status"]) == "TENTATIVE"]
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in tentative] == [span(pending)]


def test_expired_unpaid_and_confirmed_without_prepayment(clock, owner):
    provider = Actor.provider(UserFactory())
    free = room_offer(organization=owner.organization, prepayment_percent="0")
    confirmed = booking_in_status(
        Status.CONFIRMED, frozen=clock, provider=provider, offer=free, arrival_in_days=20
    )
    unpaid = booking_in_status(
        Status.EXPIRED_UNPAID, frozen=clock, provider=provider, arrival_in_days=20
    )

    assert stays(fetch(feed_path(property=free.property, room_type=free.room_type))) == [
        span(confirmed)
    ]
    assert stays(fetch(feed_path(property=unpaid.property))) == []


def test_the_property_feed_holds_every_room_type_and_the_offers(offer, clock):
    second = RoomTypeFactory(property=offer.property, name="Family suite", units=2)
    RatePrice.objects.create(rate_plan=offer.rate_plan, room_type=second, price="300.00")
    first_room = book_room(offer, arrival_in_days=5, nights=2)
    suite = Booking.objects.get(
        pk=book_room(
            type(offer)(offer.property, second, offer.rate_plan, offer.constructor),
            arrival_in_days=7,
            nights=3,
        ).pk
    )
    package = book_package(offer, arrival_in_days=9)
    voucher = book_promotion(offer, arrival_in_days=12)
    assert {b.status for b in (first_room, suite, package)} == {Status.PENDING_CONFIRMATION}
    assert voucher.status in HOLDING

    whole = fetch(feed_path(property=offer.property))
    rooms = fetch(feed_path(property=offer.property, room_type=offer.room_type))
    suites = fetch(feed_path(property=offer.property, room_type=second))

    assert stays(whole) == sorted(span(b) for b in (first_room, suite, package, voucher))
    assert stays(rooms) == [span(first_room)]
    assert stays(suites) == [span(suite)]
    summaries = sorted(str(e["summary"]) for e in whole.walk("VEVENT"))
    assert summaries == sorted(
        f"Occupied · {name}"
        for name in (offer.room_type.name, "Family suite", package.offer_name, voucher.offer_name)
    )


def test_other_organizations_bookings_never_appear(offer, clock):
    mine = book_room(offer, arrival_in_days=5)
    other = room_offer(name="Hotel Beryl")
    theirs = book_room(other, arrival_in_days=8, nights=4)

    assert stays(fetch(feed_path(property=offer.property))) == [span(mine)]
    assert stays(fetch(feed_path(property=other.property))) == [span(theirs)]
    # The other property's room type, signed with this property's token shape, is refused.
    forged = feed_token(property=offer.property, room_type=other.room_type)
    assert Client().get(f"/calendars/{forged}.ics").status_code == 404


def test_no_personal_data_in_the_feed(offer, clock):
    booking = book_room(
        offer,
        arrival_in_days=5,
        guest=guest(
            first_name="Zofia",
            last_name="Brzęczyszczykiewicz",
            email="zofia.b@example.org",
            phone="+48 602 111 222",
        ),
    )

    for path in (
        feed_path(property=offer.property),
        feed_path(property=offer.property, room_type=offer.room_type),
    ):
        body = Client().get(path).content.decode()
        for secret in (
            "Zofia",
            "Brzęczyszczykiewicz",
            "zofia.b",
            "602111222",
            "602 111 222",
            booking.code,
        ):
            assert secret not in body, (secret, path)
        uids = [str(e["uid"]) for e in Calendar.from_ical(body).walk("VEVENT")]
        assert len(uids) == 1 and re.fullmatch(r"[0-9a-f]{32}@staydesk", uids[0]), uids


def test_the_document_is_a_proper_calendar(offer, clock):
    book_room(offer, arrival_in_days=5)

    response = Client().get(feed_path(property=offer.property, room_type=offer.room_type))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "max-age=300" in response["Cache-Control"]
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    assert "Staydesk" in str(calendar["prodid"])
    assert str(calendar["x-wr-calname"]) == (
        f"Hotel Amber · {offer.room_type.name}: occupied dates"
    )
    event = calendar.walk("VEVENT")[0]
    assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event.keys())
    assert b"DTSTART;VALUE=DATE:" in response.content
    # The UID stays the same from one fetch to the next, so clients update, not duplicate.
    again = Calendar.from_ical(Client().get(feed_path(property=offer.property)).content)
    assert str(again.walk("VEVENT")[0]["uid"]) == str(event["uid"])
    assert Client().head(feed_path(property=offer.property)).status_code == 200


def test_the_feed_covers_a_bounded_window(offer, clock):
    early = book_room(offer, arrival_in_days=1, nights=1)
    late = book_room(offer, arrival_in_days=300, nights=2)
    assert early.status == late.status == Status.PENDING_CONFIRMATION
    clock.shift(days=40)  # ``early`` left 39 days ago (no sweep ran: still "holding")

    calendar = fetch(feed_path(property=offer.property))

    assert stays(calendar) == [span(late)]


def test_the_query_count_does_not_grow_with_the_bookings(offer, clock, django_assert_num_queries):
    path = feed_path(property=offer.property)
    room_path = feed_path(property=offer.property, room_type=offer.room_type)
    book_room(offer, arrival_in_days=3)
    with django_assert_num_queries(2):  # the feed's property, its bookings
        assert len(fetch(path).walk("VEVENT")) == 1
    for days in range(5, 30, 3):
        book_room(offer, arrival_in_days=days)
        book_package(offer, arrival_in_days=days)

    with django_assert_num_queries(2):
        assert len(fetch(path).walk("VEVENT")) == 19
    with django_assert_num_queries(2):
        assert len(fetch(room_path).walk("VEVENT")) == 10


def test_wrong_and_revoked_tokens_are_404(offer, clock):
    prop_path = feed_path(property=offer.property)
    room_path = feed_path(property=offer.property, room_type=offer.room_type)
    token = feed_token(property=offer.property)
    kind_id, signature = token.split("-")
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    bad = [
        f"{kind_id}-{flipped}",
        f"r{offer.room_type.pk}-{signature}",  # the property's signature on its room type
        f"p999999-{signature}",
        "p0-" + "0" * 40,
        token[:-1],
        "nonsense",
    ]
    for wrong in bad:
        assert Client().get(f"/calendars/{wrong}.ics").status_code == 404, wrong

    property_calendar_secret_renew(property=offer.property)

    assert Client().get(prop_path).status_code == 404
    assert Client().get(room_path).status_code == 404
    offer.property.refresh_from_db()
    assert fetch(feed_path(property=offer.property)) is not None
    assert reverse("web:calendar_feed", args=[token]) == prop_path
