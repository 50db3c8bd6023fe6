"""Fixtures of the provider UI tests: two organizations, each with a member signed in.

Named ``tenant_a`` / ``tenant_b`` so they never shadow the fixtures a test module defines
for itself (``client_a`` and the like).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from staydesk.accounts.models import Organization
from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, Kind
from staydesk.bookings.services import booking_confirm, booking_mark_required_action_done
from staydesk.bookings.services.actions import booking_reject
from staydesk.bookings.states import Status
from staydesk.core import clock as domain_clock
from staydesk.payments.services import payment_record
from tests.factories import (
    MembershipFactory,
    PackageFactory,
    PromotionFactory,
    PromotionVariantFactory,
    RoomOffer,
    book_package,
    book_promotion,
    book_room,
    guest,
    room_offer,
)


@dataclass
class Tenant:
    organization: Organization
    user: object
    client: Client
    offer: RoomOffer

    @property
    def actor(self) -> Actor:
        return Actor.provider(self.user)

    def csrf_client(self) -> Client:
        """A client that, like a browser, must send the CSRF token."""
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.user)
        return client


def make_tenant(organization_name: str, **offer_kwargs) -> Tenant:
    """An organization with an owner signed in and a priced room (``offer_kwargs``: property)."""
    membership = MembershipFactory(organization__name=organization_name)
    organization = membership.organization
    offer = room_offer(organization=organization, **offer_kwargs)
    client = Client()
    client.force_login(membership.user)
    return Tenant(organization, membership.user, client, offer)


@pytest.fixture
def tenant_a(db) -> Tenant:
    return make_tenant("Alpha Stays", name="Hotel Amber")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return make_tenant("Beta Stays", name="Hotel Beryl")


def make_bookings(offer: RoomOffer, count: int, *, start: dt.datetime | None = None) -> list:
    """``count`` room bookings written directly (no service), for page and query-count tests.

    Booked an hour apart from ``start``; every tenth guest is a "Nowak". Holds no stock: these
    are rows to list, not bookings to act on.
    """
    start = start or domain_clock.now()
    arrival = start.date() + dt.timedelta(days=30)
    rows = [
        Booking(
            organization_id=offer.property.organization_id,
            property=offer.property,
            kind=Kind.ROOM,
            status=Status.PENDING_CONFIRMATION if i % 2 else Status.CONFIRMED,
            room_type=offer.room_type,
            rate_plan=offer.rate_plan,
            arrival=arrival + dt.timedelta(days=i % 20),
            departure=arrival + dt.timedelta(days=i % 20 + 2),
            adults=1 + i % 2,
            children=0,
            guest_first_name=f"Guest{i:04d}",
            guest_last_name="Nowak" if i % 10 == 0 else f"Family{i:04d}",
            guest_email=f"guest{i}@example.com",
            booked_at=start + dt.timedelta(hours=i),
            currency=offer.property.currency,
            total=Decimal("200.00"),
            prepayment_percent=Decimal(50),
            min_prepayment=Decimal("100.00"),
            payment_limit_hours=48,
            cancellation_tiers=[],
            provider_may_cancel=True,
            rate_plan_name=offer.rate_plan.name,
            offer_name=offer.room_type.name,
        )
        for i in range(count)
    ]
    return Booking.objects.bulk_create(rows)


@dataclass
class Data:
    bookings: dict[str, Booking]
    amber: object  # Hotel Amber (PLN), org A
    birch: object  # Villa Birch (EUR), org A
    romantic: object  # the second promotion variant
    foreign: Booking  # org B's booking, same guest name as r1

    def codes(self, *names: str) -> list[str]:
        return [self.bookings[n].code for n in names]


@pytest.fixture
def grid_data(tenant_a, tenant_b, clock) -> Data:
    """Six bookings of org A, one a day from 2026-11-24 (Warsaw noon), and one of org B.

    name  kind       property     guest            arrival     departure   status
    r1    room       Hotel Amber  Anna Nowak       2026-12-04  2026-12-06  pending
    r2    room       Hotel Amber  Piotr Kowalski   2026-12-15  2026-12-18  partially paid
    r3    room       Villa Birch  Ewa Zielinska    2027-01-05  2027-01-07  rejected
    pk1   package    Hotel Amber  Jan Nowicki      2026-12-12  2026-12-15  pending (action pending)
    pr1   promotion  Villa Birch  Olga Sidorova    2026-12-23  2026-12-25  paid (action done)
    pr2   promotion  Villa Birch  Marta Nowak      2026-12-29  2027-01-01  awaiting payment
    """
    provider = tenant_a.actor
    amber = tenant_a.offer
    amber.rate_plan.name = "Standard flex"
    amber.rate_plan.save()
    birch = room_offer(organization=tenant_a.organization, name="Villa Birch", currency="EUR")
    birch.rate_plan.name = "Breakfast included"
    birch.rate_plan.save()
    promotion = PromotionFactory(property=birch.property, public_id="SPA2026")
    weekend = PromotionVariantFactory(promotion=promotion, name="Spa weekend for two")
    romantic = PromotionVariantFactory(promotion=promotion, name="Romantic three nights", nights=3)
    package = PackageFactory(property=amber.property, name="Mazury tour")

    def person(first, last):
        return guest(first_name=first, last_name=last, email=f"{first.lower()}@example.com")

    b = {}
    b["r1"] = book_room(amber, arrival_in_days=10, guest=person("Anna", "Nowak"))
    clock.shift(days=1)
    b["r2"] = book_room(
        amber, arrival_in_days=20, nights=3, adults=1, children=1, guest=person("Piotr", "Kowalski")
    )
    booking_confirm(booking=b["r2"], actor=provider)
    payment_record(booking=b["r2"], amount=Decimal("150.00"), actor=Actor.guest())
    clock.shift(days=1)
    b["r3"] = book_room(birch, arrival_in_days=40, guest=person("Ewa", "Zielinska"))
    booking_reject(booking=b["r3"], actor=provider, reason="Full")
    clock.shift(days=1)
    b["pk1"] = book_package(
        amber, package=package, arrival_in_days=15, guest=person("Jan", "Nowicki")
    )
    clock.shift(days=1)
    b["pr1"] = book_promotion(
        birch, variant=weekend, arrival_in_days=25, guest=person("Olga", "Sidorova")
    )
    payment_record(booking=b["pr1"], amount=b["pr1"].total, actor=Actor.guest())
    booking_mark_required_action_done(booking=b["pr1"], actor=provider)
    clock.shift(days=1)
    b["pr2"] = book_promotion(
        birch, variant=romantic, arrival_in_days=30, guest=person("Marta", "Nowak")
    )
    foreign = book_room(tenant_b.offer, arrival_in_days=10, guest=person("Anna", "Nowak"))
    bookings = {k: Booking.objects.select_related("property").get(pk=v.pk) for k, v in b.items()}
    # The table above is the ground truth the filter cases rely on.
    assert bookings["r1"].arrival == dt.date(2026, 12, 4)
    assert bookings["r3"].departure == dt.date(2027, 1, 7)
    assert bookings["pr2"].departure == dt.date(2027, 1, 1)
    assert [bookings[k].status for k in ("r1", "r2", "r3", "pk1", "pr1", "pr2")] == [
        Status.PENDING_CONFIRMATION,
        Status.PARTIALLY_PAID,
        Status.REJECTED_BY_PROVIDER,
        Status.PENDING_CONFIRMATION,
        Status.PAID,
        Status.AWAITING_PAYMENT,
    ]
    return Data(bookings, amber.property, birch.property, romantic, foreign)
