"""Factories for the domain. ``room_offer()`` builds a priced room in one call."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from staydesk.accounts.models import Agency, Membership, Organization
from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.services import GuestDetails, booking_create
from staydesk.catalog.models import (
    Package,
    Promotion,
    PromotionVariant,
    Property,
    RatePlan,
    RatePrice,
    RoomType,
)
from staydesk.core import clock
from staydesk.pricing.models import CancellationTier, PriceConstructor


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    notification_email = factory.Sequence(lambda n: f"desk{n}@example.com")
    notification_phone = "+48601234567"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.OWNER


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    email = factory.Sequence(lambda n: f"agent{n}@example.com")


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Hotel {n}")
    address = "ul. Długa 1, 00-001 Warszawa"
    country = "PL"
    timezone = "Europe/Warsaw"
    currency = "PLN"
    booking_mode = Property.BookingMode.REQUEST


class RoomTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomType

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"Room type {n}")
    units = 3
    max_adults = 2
    max_children = 2


class RatePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatePlan

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"Standard {n}")
    included_adults = 2


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"Package {n}")
    price = Decimal("1200.00")
    nights = 3
    capacity_per_date = 2
    max_adults = 2
    max_children = 2
    required_action_text = "Sign the travel contract."


class PromotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promotion

    property = factory.SubFactory(PropertyFactory)
    public_id = factory.Sequence(lambda n: f"PRM{n:05d}")
    name = "Spa weekend"
    required_action_text = "Send the names and contact details of all travellers."


class PromotionVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromotionVariant

    promotion = factory.SubFactory(PromotionFactory)
    name = "2 nights for 2 with breakfast"
    price = Decimal("499.00")
    nights = 2
    capacity_per_date = 2
    max_adults = 2
    max_children = 0


@dataclass
class RoomOffer:
    property: Property
    room_type: RoomType
    rate_plan: RatePlan
    constructor: PriceConstructor


def room_offer(
    *,
    units: int = 3,
    price: str = "100.00",
    prepayment_percent: str = "50",
    tiers: tuple[tuple[int, str], ...] = ((30, "100"), (7, "80")),
    booking_mode: str = Property.BookingMode.REQUEST,
    organization: Organization | None = None,
    provider_may_cancel: bool = True,
    **property_kwargs,
) -> RoomOffer:
    kwargs = {"booking_mode": booking_mode, **property_kwargs}
    if organization is not None:
        kwargs["organization"] = organization
    prop = PropertyFactory(**kwargs)
    room_type = RoomTypeFactory(property=prop, units=units)
    rate_plan = RatePlanFactory(property=prop)
    RatePrice.objects.create(rate_plan=rate_plan, room_type=room_type, price=Decimal(price))
    constructor = PriceConstructor.objects.create(
        property=prop,
        prepayment_percent=Decimal(prepayment_percent),
        provider_may_cancel=provider_may_cancel,
    )
    for days, percent in tiers:
        CancellationTier.objects.create(
            constructor=constructor, days_before=days, refund_percent=Decimal(percent)
        )
    return RoomOffer(prop, room_type, rate_plan, constructor)


def guest(**overrides) -> GuestDetails:
    data = {
        "first_name": "Anna",
        "last_name": "Nowak",
        "email": "anna.nowak@example.com",
        "phone": "+48 601 234 567",
        "language": "pl",
    }
    return GuestDetails(**{**data, **overrides})


def book_room(
    offer: RoomOffer,
    *,
    arrival_in_days: int = 30,
    nights: int = 2,
    adults: int = 2,
    children: int = 0,
    actor: Actor | None = None,
    **kwargs,
) -> Booking:
    today = clock.local_date(offer.property.timezone)
    arrival = today + dt.timedelta(days=arrival_in_days)
    return booking_create(
        property=offer.property,
        room_type=offer.room_type,
        rate_plan=offer.rate_plan,
        arrival=arrival,
        departure=arrival + dt.timedelta(days=nights),
        adults=adults,
        children=children,
        guest=kwargs.pop("guest", None) or guest(),
        actor=actor or Actor.guest(),
        **kwargs,
    )
