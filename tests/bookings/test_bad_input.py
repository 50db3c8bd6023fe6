"""Bad input to ``booking_create`` is refused with a stable code, and nothing is written.

Nothing means: no booking, no event, no unit held, no timer task enqueued.
"""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import booking_create
from staydesk.bookings.services.create import MAX_NIGHTS
from staydesk.core import clock as domain_clock
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.inventory.models import StockNight
from tests.factories import (
    PackageFactory,
    PromotionFactory,
    PromotionVariantFactory,
    RatePlanFactory,
    RoomTypeFactory,
    guest,
    room_offer,
)


@pytest.fixture
def offer(db, clock):
    return room_offer()


def _today(offer) -> dt.date:
    return domain_clock.local_date(offer.property.timezone)


def _valid(offer, **changes) -> dict:
    arrival = _today(offer) + dt.timedelta(days=30)
    kwargs = {
        "property": offer.property,
        "room_type": offer.room_type,
        "rate_plan": offer.rate_plan,
        "arrival": arrival,
        "departure": arrival + dt.timedelta(days=2),
        "adults": 2,
        "children": 0,
        "guest": guest(),
        "actor": Actor.guest(),
    }
    return {**kwargs, **changes}


def _nothing_written() -> None:
    assert Booking.objects.count() == 0
    assert BookingEvent.objects.count() == 0
    assert StockNight.objects.filter(held__gt=0).count() == 0
    assert DBTaskResult.objects.count() == 0


def assert_refused(kwargs: dict, code: str, *, field: str | None = None, status: int = 422):
    with pytest.raises(DomainError) as refused:
        booking_create(**kwargs)
    assert refused.value.code == code
    assert refused.value.status == status
    if field is not None:
        assert refused.value.field == field
    _nothing_written()


def test_the_valid_request_is_accepted(offer):
    # The baseline every case below spoils in one way: it does book.
    booking = booking_create(**_valid(offer))
    assert Booking.objects.get() == booking
    assert BookingEvent.objects.count() == 1
    assert StockNight.objects.filter(held=1).count() == 2
    assert DBTaskResult.objects.count() == 4  # expiry, two reminders, the event's fan-out


@pytest.mark.parametrize("nights", [0, -1, -30])
def test_departure_not_after_arrival(offer, nights):
    kwargs = _valid(offer)
    kwargs["departure"] = kwargs["arrival"] + dt.timedelta(days=nights)
    assert_refused(kwargs, "invalid_dates", field="departure")


def test_missing_departure_for_a_room(offer):
    assert_refused(_valid(offer, departure=None), "invalid_dates", field="departure")


def test_arrival_in_the_past(offer):
    yesterday = _today(offer) - dt.timedelta(days=1)
    kwargs = _valid(offer, arrival=yesterday, departure=yesterday + dt.timedelta(days=3))
    assert_refused(kwargs, "arrival_in_past", field="arrival")


def test_arrival_today_is_fine(offer):
    today = _today(offer)
    booking_create(**_valid(offer, arrival=today, departure=today + dt.timedelta(days=1)))
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("adults", "children", "field"), [(3, 0, "adults"), (2, 3, "children"), (9, 9, "adults")]
)
def test_more_guests_than_the_room_holds(offer, adults, children, field):
    assert (offer.room_type.max_adults, offer.room_type.max_children) == (2, 2)
    assert_refused(_valid(offer, adults=adults, children=children), "too_many_guests", field=field)


@pytest.mark.parametrize(("adults", "children"), [(0, 0), (1, -1)])
def test_no_adult_or_negative_children(offer, adults, children):
    assert_refused(_valid(offer, adults=adults, children=children), "invalid_guests")


def test_unknown_rate_plan(offer):
    assert_refused(_valid(offer, rate_plan=987654), "unknown_rate_plan", field="rate_plan")


def test_rate_plan_of_another_property(offer):
    other = room_offer()
    assert_refused(_valid(offer, rate_plan=other.rate_plan), "unknown_rate_plan", field="rate_plan")
    assert_refused(
        _valid(offer, rate_plan=other.rate_plan.pk), "unknown_rate_plan", field="rate_plan"
    )


def test_inactive_or_missing_rate_plan(offer):
    retired = RatePlanFactory(property=offer.property, is_active=False)
    assert_refused(_valid(offer, rate_plan=retired), "unknown_rate_plan", field="rate_plan")
    assert_refused(_valid(offer, rate_plan=None), "unknown_rate_plan", field="rate_plan")


def test_room_type_of_another_property(offer):
    foreign = RoomTypeFactory()
    assert_refused(_valid(offer, room_type=foreign), "unknown_room_type", field="room_type")
    assert_refused(_valid(offer, room_type=987654), "unknown_room_type", field="room_type")


def test_package_or_variant_of_another_property(offer):
    foreign_package = PackageFactory()
    foreign_variant = PromotionVariantFactory()
    arrival = _today(offer) + dt.timedelta(days=30)
    base = _valid(offer, room_type=None, rate_plan=None, departure=None, arrival=arrival)
    assert_refused({**base, "package": foreign_package}, "unknown_package", field="package")
    assert_refused({**base, "variant": foreign_variant}, "unknown_variant", field="variant")


@pytest.mark.parametrize("currency", ["EUR", "pln", ""])
def test_currency_mismatch(offer, currency):
    assert offer.property.currency == "PLN"
    assert_refused(_valid(offer, currency=currency), "currency_mismatch", field="currency")


def test_matching_currency_is_accepted(offer):
    booking_create(**_valid(offer, currency="PLN"))
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "email", ["", "anna", "anna@", "@example.com", "anna nowak@example.com", "a@b@example.com"]
)
def test_bad_email(offer, email):
    assert_refused(_valid(offer, guest=guest(email=email)), "invalid_guest", field="guest.email")


@pytest.mark.parametrize("phone", ["12", "not a phone", "+48 123", "+999 601 234 567"])
def test_bad_phone(offer, phone):
    assert_refused(_valid(offer, guest=guest(phone=phone)), "invalid_phone", field="guest.phone")


@pytest.mark.parametrize("language", ["de", "", "EN", "english"])
def test_bad_language(offer, language):
    assert_refused(
        _valid(offer, guest=guest(language=language)), "invalid_language", field="guest.language"
    )


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_blank_guest_name(offer, field):
    assert_refused(
        _valid(offer, guest=guest(**{field: "   "})), "invalid_guest", field=f"guest.{field}"
    )


def test_guest_details_are_cleaned(offer):
    booking = booking_create(
        **_valid(offer, guest=guest(first_name=" Anna ", phone="601 234 567", language="cs"))
    )
    assert (booking.guest_first_name, booking.guest_phone, booking.guest_language) == (
        "Anna",
        "+48601234567",  # national number read in the property's country, stored as E.164
        "cs",
    )


def test_no_offer_chosen(offer):
    assert_refused(_valid(offer, room_type=None), "offer_required")


def test_two_offers_chosen(offer):
    package = PackageFactory(property=offer.property)
    variant = PromotionVariantFactory(promotion=PromotionFactory(property=offer.property))
    assert_refused(_valid(offer, package=package), "offer_required")
    assert_refused(
        _valid(offer, room_type=None, package=package, variant=variant), "offer_required"
    )


def test_a_promotion_without_its_variant(offer):
    promotion = PromotionFactory(property=offer.property)
    assert_refused(
        _valid(offer, room_type=None, promotion=promotion),
        "offer_required",
        field="variant",
        status=409,  # as the API has always answered it
    )


def test_stay_longer_than_ninety_nights(offer):
    kwargs = _valid(offer)
    kwargs["departure"] = kwargs["arrival"] + dt.timedelta(days=MAX_NIGHTS + 1)
    assert MAX_NIGHTS == 90
    assert_refused(kwargs, "stay_too_long", field="departure")


def test_a_ninety_night_stay_is_accepted(offer):
    kwargs = _valid(offer)
    kwargs["departure"] = kwargs["arrival"] + dt.timedelta(days=90)
    assert booking_create(**kwargs).nights == 90
    assert StockNight.objects.filter(held=1).count() == 90


def test_package_with_the_wrong_length(offer):
    package = PackageFactory(property=offer.property, nights=3)
    arrival = _today(offer) + dt.timedelta(days=30)
    kwargs = _valid(
        offer,
        room_type=None,
        rate_plan=None,
        package=package,
        arrival=arrival,
        departure=arrival + dt.timedelta(days=2),
    )
    assert_refused(kwargs, "invalid_dates", field="departure")


def test_promotion_outside_its_validity(offer):
    arrival = _today(offer) + dt.timedelta(days=30)
    promotion = PromotionFactory(property=offer.property, valid_to=arrival - dt.timedelta(days=1))
    variant = PromotionVariantFactory(promotion=promotion)
    kwargs = _valid(
        offer, room_type=None, rate_plan=None, departure=None, variant=variant, arrival=arrival
    )
    assert_refused(kwargs, "offer_not_available", field="arrival")


def test_sold_out_writes_nothing_either(offer):
    booking_create(**_valid(offer))
    booking_create(**_valid(offer))
    booking_create(**_valid(offer))  # the three units of the room type
    counts = (Booking.objects.count(), BookingEvent.objects.count(), DBTaskResult.objects.count())
    with pytest.raises(DomainError) as refused:
        booking_create(**_valid(offer))
    assert refused.value.code == "sold_out"
    assert not isinstance(refused.value, InvalidInput)
    assert (
        Booking.objects.count(),
        BookingEvent.objects.count(),
        DBTaskResult.objects.count(),
    ) == counts
    assert set(StockNight.objects.values_list("held", flat=True)) == {3}


# PostgreSQL refuses NUL bytes and over-long values with a DataError (a 500 if unchecked);
# SQLite stores them silently. Both must refuse them with a code, on both databases.
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "A" * 101),
        ("last_name", "N" * 101),
        ("first_name", "An\x00na"),
        ("last_name", "No\x07wak"),
        ("email", "a" * 250 + "@example.com"),
    ],
)
def test_guest_text_that_cannot_be_stored(offer, field, value):
    assert_refused(
        _valid(offer, guest=guest(**{field: value})), "invalid_guest", field=f"guest.{field}"
    )


def test_reason_with_a_nul_byte_or_too_long_is_refused_and_changes_nothing(offer, provider):
    from staydesk.bookings.services import booking_cancel_by_provider, booking_reject

    booking = booking_create(**_valid(offer))
    for call, code in (
        (
            lambda: booking_reject(booking=booking, actor=provider, reason="no\x00pe"),
            "invalid_text",
        ),
        (lambda: booking_reject(booking=booking, actor=provider, reason="x" * 2001), "too_long"),
        (
            lambda: booking_cancel_by_provider(
                booking=booking, actor=provider, cancellation_type="nonsense", reason="Flood"
            ),
            "invalid_cancellation_type",
        ),
    ):
        with pytest.raises(InvalidInput) as refused:
            call()
        assert refused.value.code == code
    booking.refresh_from_db()
    assert booking.status == "pending_confirmation"
    assert booking.events.count() == 1


def test_a_long_promotion_and_variant_name_still_fits_the_booking(db, clock):
    from tests.factories import PromotionFactory, PromotionVariantFactory, book_promotion

    offer = room_offer()
    promotion = PromotionFactory(property=offer.property, name="P" * 200)
    variant = PromotionVariantFactory(promotion=promotion, name="V" * 200)
    booking = book_promotion(offer, variant=variant)
    assert len(booking.offer_name) == 200


def test_a_variant_of_another_promotion_is_refused_and_nothing_written(offer):
    from tests.factories import PromotionFactory, PromotionVariantFactory

    variant = PromotionVariantFactory(promotion=PromotionFactory(property=offer.property))
    other = PromotionFactory(property=offer.property)
    kwargs = _valid(offer, room_type=None, rate_plan=None, variant=variant, promotion=other.pk)
    kwargs["departure"] = None
    assert_refused(kwargs, "offer_mismatch", field="variant")
