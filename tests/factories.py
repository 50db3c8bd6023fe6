"""Factories for the domain. ``room_offer()`` builds a priced room in one call."""

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.db import connection

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


# --- Concurrency ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one racing call returned or raised."""

    value: object = None
    error: BaseException | None = None


def race(calls: list, *, timeout: float = 60.0) -> list[Outcome]:
    """Run each call in its own thread, all released together by a barrier.

    Each thread opens its own database connection before the barrier (so the calls start
    as close together as possible) and closes it at the end. Returns one ``Outcome`` per
    call, in order; no call may outlive ``timeout``.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    not_started: list[BaseException] = []

    def run(index: int, call) -> None:
        try:
            try:
                connection.ensure_connection()
                barrier.wait(timeout=timeout)
            except BaseException as exc:
                not_started.append(exc)
                barrier.abort()  # the others stop waiting too
                return
            outcomes[index].value = call()
        except BaseException as exc:
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(threads)} racing calls did not finish in {timeout} s"
    causes = [e for e in not_started if not isinstance(e, threading.BrokenBarrierError)]
    assert not not_started, f"the race could not start: {(causes or not_started)[0]!r}"
    return outcomes


def stock_held(room_type: RoomType) -> dict[dt.date, int]:
    """Units held per night of a room type, as the inventory counters say."""
    from staydesk.inventory.models import StockNight
    from staydesk.inventory.resources import room_resource

    rows = StockNight.objects.filter(resource=room_resource(room_type.pk))
    return dict(rows.order_by("date").values_list("date", "held"))


def stock_expected(room_type: RoomType) -> dict[dt.date, int]:
    """Units held per night as the live bookings say (nights with none are left out)."""
    from staydesk.bookings.states import HOLDING

    expected: dict[dt.date, int] = {}
    for arrival, departure in Booking.objects.filter(
        room_type=room_type, status__in=HOLDING
    ).values_list("arrival", "departure"):
        for i in range((departure - arrival).days):
            night = arrival + dt.timedelta(days=i)
            expected[night] = expected.get(night, 0) + 1
    return expected


def assert_stock_consistent(room_type: RoomType) -> None:
    """The counters match the live bookings exactly, and never exceed the units."""
    held = stock_held(room_type)
    assert {d: n for d, n in held.items() if n} == stock_expected(room_type)
    assert all(n <= room_type.units for n in held.values()), held


# --- Helpers for the booking-core tests (bookings, pricing, payments) ---------------------


def book_package(
    offer: RoomOffer,
    *,
    package: Package | None = None,
    arrival_in_days: int = 30,
    adults: int = 2,
    actor: Actor | None = None,
    **kwargs,
) -> Booking:
    """Book a package of the offer's property (a new one unless given) through the service."""
    package = package or PackageFactory(property=offer.property)
    arrival = clock.local_date(offer.property.timezone) + dt.timedelta(days=arrival_in_days)
    return booking_create(
        property=offer.property,
        package=package,
        arrival=arrival,
        adults=adults,
        guest=kwargs.pop("guest", None) or guest(),
        actor=actor or Actor.guest(),
        **kwargs,
    )


def book_promotion(
    offer: RoomOffer,
    *,
    variant: PromotionVariant | None = None,
    arrival_in_days: int = 30,
    adults: int = 2,
    actor: Actor | None = None,
    **kwargs,
) -> Booking:
    """Buy a promotion voucher of the offer's property (a new variant unless given)."""
    variant = variant or PromotionVariantFactory(
        promotion=PromotionFactory(property=offer.property)
    )
    arrival = clock.local_date(offer.property.timezone) + dt.timedelta(days=arrival_in_days)
    return booking_create(
        property=offer.property,
        variant=variant,
        arrival=arrival,
        adults=adults,
        guest=kwargs.pop("guest", None) or guest(),
        actor=actor or Actor.guest(),
        **kwargs,
    )


def ledger_of(booking: Booking) -> list[tuple[str, Decimal]]:
    """The booking's ledger as (kind, amount) pairs, oldest first."""
    from staydesk.payments.models import LedgerEntry

    return [
        (kind, Decimal(amount))
        for kind, amount in LedgerEntry.objects.filter(booking=booking)
        .order_by("id")
        .values_list("kind", "amount")
    ]


def held_units(booking: Booking) -> int:
    """Units the booking's resource holds over all counted dates (one booking: its own)."""
    from django.db.models import Sum

    from staydesk.inventory.models import StockNight
    from staydesk.inventory.resources import package_resource, room_resource, variant_resource

    if booking.room_type_id:
        resource = room_resource(booking.room_type_id)
    elif booking.package_id:
        resource = package_resource(booking.package_id)
    else:
        resource = variant_resource(booking.variant_id)
    return StockNight.objects.filter(resource=resource).aggregate(n=Sum("held"))["n"] or 0


def advance_to(frozen, when: dt.datetime) -> None:
    """Move the frozen clock (the conftest ``clock`` fixture) forward to ``when``, never back."""
    from django.utils import timezone

    delta = when - timezone.now()
    if delta > dt.timedelta(0):
        frozen.shift(seconds=delta.total_seconds())


def arrival_morning(booking: Booking) -> dt.datetime:
    """9:00 on the arrival date, at the property."""
    return clock.local_datetime(booking.property.timezone, booking.arrival, dt.time(9, 0))


def booking_in_status(
    status: str,
    *,
    frozen,
    provider: Actor,
    kind: str = "room",
    arrival_in_days: int = 10,
    offer: RoomOffer | None = None,
) -> Booking:
    """A booking brought to ``status`` through the services and the clock, as in real life.

    Room bookings are 2 nights; packages carry a required action. The property works on request
    with a 50 % prepayment (0 % for ``confirmed``, which needs no prepayment). ``frozen`` is the
    conftest ``clock`` fixture: deadlines and the arrival day are reached by moving it.
    """
    from staydesk.bookings.services import (
        booking_cancel_by_guest,
        booking_cancel_by_provider,
        booking_check_in,
        booking_confirm,
        booking_expire,
        booking_mark_no_show,
        booking_reject,
    )
    from staydesk.bookings.states import Status
    from staydesk.payments.ledger import paid_amount
    from staydesk.payments.services import payment_record

    if offer is None:
        offer = room_offer(prepayment_percent="0" if status == Status.CONFIRMED else "50")
    if kind == "room":
        booking = book_room(offer, arrival_in_days=arrival_in_days, nights=2)
    else:
        booking = book_package(offer, arrival_in_days=arrival_in_days)
    payer = Actor.guest("Anna Nowak")

    def confirm(b):
        return booking_confirm(booking=b, actor=provider)

    def pay_minimum(b):
        return payment_record(
            booking=b, amount=b.min_prepayment, actor=payer, reference="build-minimum"
        )

    def pay_rest(b):
        due = b.total - paid_amount(booking=b)
        return payment_record(booking=b, amount=due, actor=payer, reference="build-rest")

    def expire_after(field):
        def step(b):
            advance_to(frozen, getattr(b, field) + dt.timedelta(minutes=1))
            return booking_expire(booking=b)

        return step

    def at_arrival(b):
        advance_to(frozen, arrival_morning(b))
        return b

    def check_in(b):
        return booking_check_in(booking=b, actor=provider)

    def no_show(b):
        return booking_mark_no_show(booking=b, actor=provider)

    def reject(b):
        return booking_reject(booking=b, actor=provider, reason="Fully booked")

    def cancel_by_guest(b):
        return booking_cancel_by_guest(booking=b, actor=payer, reason="Plans changed")

    def cancel_by_provider(b):
        return booking_cancel_by_provider(
            booking=b, actor=provider, cancellation_type="wrong_dates", reason="Double-booked"
        )

    s = Status
    paths = {
        s.PENDING_CONFIRMATION: [],
        s.REJECTED_BY_PROVIDER: [reject],
        s.EXPIRED_UNCONFIRMED: [expire_after("confirm_by")],
        s.AWAITING_PAYMENT: [confirm],
        s.EXPIRED_UNPAID: [confirm, expire_after("pay_by")],
        s.PARTIALLY_PAID: [confirm, pay_minimum],
        s.PAID: [confirm, pay_rest],
        s.CONFIRMED: [confirm],
        s.COMPLETED: [confirm, pay_rest, at_arrival, check_in],
        s.CANCELLED_BY_GUEST: [confirm, pay_minimum, cancel_by_guest],
        s.CANCELLED_BY_PROVIDER: [confirm, pay_minimum, cancel_by_provider],
        s.NO_SHOW: [confirm, pay_minimum, at_arrival, no_show],
    }
    for step in paths[s(status)]:
        booking = step(booking)
    booking = Booking.objects.select_related("property").get(pk=booking.pk)
    assert booking.status == status, (booking.status, status)
    return booking
