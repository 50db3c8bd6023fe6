"""Helpers for the booking page, voucher, profile and isolation tests (plain functions, so the
test modules stay independent of ``tests/web/conftest.py``)."""

import re

from django.test import Client

from staydesk.accounts.models import Membership, Organization
from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.states import Status
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    booking_in_status,
    ledger_of,
    room_offer,
)


def member(organization: Organization | None = None, role: str = Membership.Role.OWNER):
    """A user working for ``organization`` (a new one unless given) with ``role``."""
    membership = MembershipFactory(organization=organization or OrganizationFactory(), role=role)
    return membership.user


def signed_in(user, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def booking_of(
    user, status: str, *, frozen, kind: str = "room", arrival_in_days: int = 10, **offer_kwargs
) -> Booking:
    """A booking of ``user``'s organization brought to ``status`` through the services."""
    organization = Membership.objects.get(user=user).organization
    offer_kwargs.setdefault("prepayment_percent", "0" if status == Status.CONFIRMED else "50")
    offer = room_offer(organization=organization, **offer_kwargs)
    return booking_in_status(
        status,
        frozen=frozen,
        provider=Actor.provider(user),
        kind=kind,
        arrival_in_days=arrival_in_days,
        offer=offer,
    )


def snapshot(booking: Booking) -> dict:
    """Everything an action could change about a booking."""

    return {
        "row": Booking.objects.filter(pk=booking.pk).values().get(),
        "events": list(BookingEvent.objects.filter(booking=booking).values_list("id", flat=True)),
        "ledger": ledger_of(booking),
    }


def offered_actions(html: str) -> set[str]:
    """The action names the page's Actions menu offers."""
    menu = re.search(r'data-section="actions">(.*?)</details>', html, re.S)
    assert menu, "the page has no Actions menu"
    return set(re.findall(r'data-action="([a-z-]+)"', menu.group(1)))


def amount(html: str, key: str) -> str:
    """The text of the element marked ``data-amount="key"`` (tags inside stripped)."""
    found = re.search(rf'data-amount="{key}">(.*?)</(?:dd|span)>', html, re.S)
    assert found, f"no amount {key!r} on the page"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def section(html: str, name: str) -> str:
    """The markup from ``data-section="name"`` to the end of its element's block (roughly)."""
    start = html.find(f'data-section="{name}"')
    assert start >= 0, f"no section {name!r} on the page"
    return html[start : start + 4000]
