"""Callers of every kind for the API tests: two organizations, two agencies, guests."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from staydesk.accounts.models import Agency
from staydesk.accounts.services import api_key_create
from staydesk.bookings.actors import Actor
from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.models import Booking
from tests.factories import AgencyFactory, RoomOffer, book_room, room_offer


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in the cache, by key id: ids come back after a test's rollback, so
    one test's counts must not spill into the next."""
    cache.clear()
    yield
    cache.clear()


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@dataclass
class Side:
    """One organization with its provider key, one agency with its key, and a booking the
    agency made at the organization's property, opened by its guest secret."""

    offer: RoomOffer
    provider_token: str
    agency: Agency
    agency_token: str
    booking: Booking
    guest_token: str

    @property
    def provider(self) -> Client:
        return bearer(self.provider_token)

    @property
    def agent(self) -> Client:
        return bearer(self.agency_token)

    @property
    def guest(self) -> Client:
        return bearer(self.guest_token)


def make_side(name: str) -> Side:
    offer = room_offer(price="100.00", prepayment_percent="50", name=f"Hotel {name}")
    agency = AgencyFactory(name=f"Agency {name}")
    _key, provider_token = api_key_create(
        name=f"p-{name}", organization=offer.property.organization
    )
    _key, agency_token = api_key_create(name=f"a-{name}", agency=agency)
    booking = book_room(offer, agency=agency, actor=Actor.for_agency(agency))
    return Side(offer, provider_token, agency, agency_token, booking, guest_token(booking))


@pytest.fixture
def two_sides(db, clock) -> tuple[Side, Side]:
    return make_side("A"), make_side("B")
