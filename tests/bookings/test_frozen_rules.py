"""The rules a booking was sold under are frozen on it (SPEC §3).

Resetting or changing the price constructor never changes an existing booking, and the
database itself refuses any change of a frozen column (the trigger of migrations
bookings/0002 and 0004).
"""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import FROZEN_FIELDS, Booking, BookingEvent
from staydesk.bookings.services import booking_cancel_by_guest, booking_confirm
from staydesk.bookings.states import Status
from staydesk.catalog.models import RatePrice, RatePriceOverride
from staydesk.core.errors import DomainError
from staydesk.payments.services import payment_record
from staydesk.pricing.models import CancellationTier, PriceConstructor
from staydesk.pricing.services import price_constructor_reset
from tests.factories import (
    OrganizationFactory,
    PackageFactory,
    PromotionFactory,
    PromotionVariantFactory,
    PropertyFactory,
    RatePlanFactory,
    RoomTypeFactory,
    book_package,
    book_room,
    ledger_of,
    room_offer,
)

# The latest migration that (re)creates the trigger; its AFTER list is what is in force.
trigger_migration = importlib.import_module(
    "staydesk.bookings.migrations.0004_frozen_offer_and_guests"
)

SNAPSHOT = (
    "total",
    "min_prepayment",
    "prepayment_percent",
    "cancellation_tiers",
    "payment_limit_hours",
    "payment_days_before_arrival",
    "provider_may_cancel",
    "nightly_prices",
    "rate_plan_name",
    "currency",
)


def _frozen(booking: Booking) -> dict:
    return Booking.objects.filter(pk=booking.pk).values(*SNAPSHOT).get()


@pytest.fixture
def priced(db, clock):
    offer = room_offer(price="250.00", prepayment_percent="30", tiers=((14, "90"), (3, "40")))
    offer.rate_plan.extra_adult_price = Decimal("20.00")
    offer.rate_plan.save()
    offer.constructor.payment_limit_hours = 12
    offer.constructor.payment_days_before_arrival = 2
    offer.constructor.provider_may_cancel = False
    offer.constructor.save()
    return offer


def test_reset_leaves_existing_bookings_exactly_as_they_were(priced, clock):
    booking = book_room(priced, arrival_in_days=20, nights=2, adults=2)
    package_booking = book_package(priced, arrival_in_days=20)
    before = _frozen(booking)
    assert before["total"] == Decimal("500.00")
    assert before["min_prepayment"] == Decimal("150.00")
    assert before["prepayment_percent"] == Decimal("30")
    assert before["cancellation_tiers"] == [
        {"days_before": 14, "refund_percent": "90.00"},
        {"days_before": 3, "refund_percent": "40.00"},
    ]
    assert (before["payment_limit_hours"], before["payment_days_before_arrival"]) == (12, 2)
    package_before = _frozen(package_booking)

    erased = price_constructor_reset(property=priced.property)

    assert erased == {"prices": 1, "overrides": 0, "cancellation_tiers": 2, "offer_prices": 1}
    assert not RatePrice.objects.filter(rate_plan=priced.rate_plan).exists()
    assert not CancellationTier.objects.filter(constructor__property=priced.property).exists()
    constructor = PriceConstructor.objects.get(property=priced.property)
    assert (constructor.prepayment_percent, constructor.payment_limit_hours) == (Decimal(0), 48)
    assert constructor.provider_may_cancel is True
    assert _frozen(booking) == before
    assert _frozen(package_booking) == package_before


def test_a_booking_keeps_living_by_its_frozen_rules_after_a_reset(priced, clock, provider):
    booking = book_room(priced, arrival_in_days=20, nights=2)
    price_constructor_reset(property=priced.property)

    # Confirmation uses the frozen prepayment and payment limit (12 h), not the reset defaults.
    confirmed = booking_confirm(booking=booking, actor=provider)
    assert confirmed.status == Status.AWAITING_PAYMENT
    assert confirmed.pay_by == clock.now + dt.timedelta(hours=12)
    confirmed = payment_record(
        booking=confirmed, amount=Decimal("150.00"), actor=Actor.guest(), reference="pay-1"
    )
    assert confirmed.status == Status.PARTIALLY_PAID

    # The frozen tiers decide the refund: 19 days before arrival, 90 % of 500 is refundable, so
    # the penalty is 50; 150 - 50 = 100, less the 5 % transfer fee = 95.
    booking_cancel_by_guest(booking=confirmed, actor=Actor.guest())
    assert ledger_of(booking)[1:3] == [("refund", Decimal("95.00")), ("transfer_fee", Decimal(5))]


def test_changing_the_constructor_does_not_touch_existing_bookings(priced, clock):
    booking = book_room(priced, arrival_in_days=20, nights=2)
    before = _frozen(booking)
    RatePrice.objects.filter(rate_plan=priced.rate_plan).update(price=Decimal("999.00"))
    PriceConstructor.objects.filter(pk=priced.constructor.pk).update(
        prepayment_percent=Decimal(100), payment_limit_hours=1, provider_may_cancel=True
    )
    CancellationTier.objects.filter(constructor=priced.constructor).update(
        refund_percent=Decimal(0)
    )
    assert _frozen(booking) == before

    later = book_room(priced, arrival_in_days=20, nights=2)
    assert (later.total, later.min_prepayment) == (Decimal("1998.00"), Decimal("1998.00"))


def test_new_bookings_after_a_reset_are_not_priced(priced, clock):
    book_room(priced, arrival_in_days=20)
    counts = (Booking.objects.count(), BookingEvent.objects.count())
    price_constructor_reset(property=priced.property)

    with pytest.raises(DomainError) as refused:
        book_room(priced, arrival_in_days=21)
    assert refused.value.code == "not_priced"
    assert (Booking.objects.count(), BookingEvent.objects.count()) == counts


def test_overrides_are_erased_by_a_reset_too(priced, clock):
    day = dt.date(2026, 12, 20)
    RatePriceOverride.objects.create(
        rate_plan=priced.rate_plan,
        room_type=priced.room_type,
        start=day,
        end=day + dt.timedelta(days=5),
        price=Decimal("80.00"),
    )
    assert price_constructor_reset(property=priced.property)["overrides"] == 1
    with pytest.raises(DomainError) as refused:
        book_room(priced, arrival_in_days=(day - dt.date(2026, 11, 24)).days, nights=2)
    assert refused.value.code == "not_priced"


# --- the database trigger ---------------------------------------------------------------------


def test_the_migrations_column_list_is_the_models_frozen_fields():
    assert list(trigger_migration.AFTER) == list(FROZEN_FIELDS)
    concrete = {f.attname for f in Booking._meta.concrete_fields}
    assert set(FROZEN_FIELDS) <= concrete


def _changed_value(booking: Booking, column: str):
    """A different, otherwise valid value for each frozen column."""
    value = _changed_values(booking)[column]
    return value() if callable(value) else value


def _changed_values(booking: Booking) -> dict:
    other_org = OrganizationFactory()
    return {
        "code": "SDZZZZZZZZ",
        "organization_id": other_org.pk,
        "property_id": PropertyFactory(organization=other_org).pk,
        "kind": "package",
        "currency": "EUR",
        "total": booking.total + 1,
        "min_prepayment": booking.min_prepayment - 1,
        "prepayment_percent": Decimal("10"),
        "payment_limit_hours": booking.payment_limit_hours + 1,
        "payment_days_before_arrival": 3,
        "cancellation_tiers": [{"days_before": 0, "refund_percent": "100"}],
        "provider_may_cancel": not booking.provider_may_cancel,
        "arrival": booking.arrival - dt.timedelta(days=1),
        "departure": booking.departure + dt.timedelta(days=1),
        "booked_at": booking.booked_at - dt.timedelta(hours=1),
        "room_type_id": lambda: RoomTypeFactory(property=booking.property).pk,
        "rate_plan_id": lambda: RatePlanFactory(property=booking.property).pk,
        "package_id": lambda: PackageFactory(property=booking.property).pk,
        "promotion_id": lambda: PromotionFactory(property=booking.property).pk,
        "variant_id": lambda: (
            PromotionVariantFactory(promotion=PromotionFactory(property=booking.property)).pk
        ),
        "nightly_prices": [],
        "adults": booking.adults - 1,
        "children": booking.children + 1,
    }


@pytest.fixture
def booking(db, clock):
    return book_room(room_offer(), arrival_in_days=20, nights=2)


@pytest.mark.parametrize("column", FROZEN_FIELDS)
def test_queryset_update_of_a_frozen_column_is_refused(booking, column):
    before = Booking.objects.filter(pk=booking.pk).values().get()
    with pytest.raises(IntegrityError, match="booking_frozen"), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(**{column: _changed_value(booking, column)})
    assert Booking.objects.filter(pk=booking.pk).values().get() == before


@pytest.mark.parametrize("column", FROZEN_FIELDS)
def test_save_with_a_changed_frozen_column_is_refused(booking, column):
    before = Booking.objects.filter(pk=booking.pk).values().get()
    setattr(booking, column, _changed_value(booking, column))
    with pytest.raises(IntegrityError, match="booking_frozen"), transaction.atomic():
        booking.save()
    assert Booking.objects.filter(pk=booking.pk).values().get() == before


def test_the_total_can_never_change(booking):
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(total=Decimal("1.00"))
    booking.total = Decimal("0.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        booking.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        booking.save(update_fields=["total"])
    assert Booking.objects.get(pk=booking.pk).total == Decimal("200.00")


def test_the_other_columns_still_change(booking):
    # The trigger refuses changes, not writes: a full save of an unchanged booking (as the admin
    # does) and changes of the living columns go through.
    fresh = Booking.objects.get(pk=booking.pk)
    fresh.save()
    fresh.guest_first_name = "Ania"
    fresh.status = Status.REJECTED_BY_PROVIDER
    fresh.save()
    Booking.objects.filter(pk=booking.pk).update(cancellation_reason="Typo in dates")
    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.guest_first_name, stored.status, stored.cancellation_reason) == (
        "Ania",
        Status.REJECTED_BY_PROVIDER,
        "Typo in dates",
    )
    assert stored.total == booking.total


def test_reset_stops_selling_packages_and_promotions_until_priced_again(db, clock):
    from staydesk.catalog.models import Package
    from tests.factories import PromotionFactory, PromotionVariantFactory, book_promotion

    offer = room_offer()
    package = PackageFactory(property=offer.property)
    variant = PromotionVariantFactory(promotion=PromotionFactory(property=offer.property))
    sold = book_package(offer, package=package)
    price_constructor_reset(property=offer.property)
    for buy in (
        lambda: book_package(offer, package=package, arrival_in_days=40),
        lambda: book_promotion(offer, variant=variant),
    ):
        with pytest.raises(DomainError) as refused:
            buy()
        assert refused.value.code == "not_priced"
    assert Booking.objects.get(pk=sold.pk).total == sold.total
    Package.objects.filter(pk=package.pk).update(price=Decimal("900.00"))
    assert book_package(offer, package=package, arrival_in_days=40).total == Decimal("900.00")
