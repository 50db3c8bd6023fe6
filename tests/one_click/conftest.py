"""Fixtures of the one-click tests: a pending request of an organization with a known mailbox."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from staydesk.bookings.models import Booking
from staydesk.bookings.states import Status
from tests.factories import OrganizationFactory, book_room, room_offer

GUEST_SECRETS = ("Anna", "Nowak", "anna.nowak@example.com", "601 234 567", "+48601234567")


@pytest.fixture
def pending(db, clock) -> Booking:
    """A room request waiting for the provider (confirm_by is 24 h after NOW)."""
    organization = OrganizationFactory(name="Alpha Stays", notification_email="desk@alpha.example")
    offer = room_offer(organization=organization, name="Hotel Amber")
    booking = book_room(offer, arrival_in_days=30, nights=2)
    assert booking.status == Status.PENDING_CONFIRMATION
    return booking


def path_of(url: str) -> str:
    return urlsplit(url).path


def token_of(url: str) -> str:
    return path_of(url).rstrip("/").rsplit("/", 1)[1]


def csrf_post(url: str, data: dict | None = None):
    """What a browser does: open the page, then send its form with the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(path_of(url))
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert match, page.content[:500]
    return client.post(
        path_of(url), {"csrfmiddlewaretoken": match.group(1).decode(), **(data or {})}
    )
