"""Fixtures of the calendar-feed tests: an organization with a member, and feed helpers."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from icalendar import Calendar

from staydesk.accounts.models import Membership
from staydesk.inventory.calendar_feed import feed_token
from tests.factories import MembershipFactory, OrganizationFactory, room_offer


@pytest.fixture
def owner(db):
    return MembershipFactory(organization=OrganizationFactory(name="Alpha Stays"))


@pytest.fixture
def offer(owner, clock):
    return room_offer(organization=owner.organization, name="Hotel Amber", units=10)


def member_client(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def feed_path(**kwargs) -> str:
    return f"/calendars/{feed_token(**kwargs)}.ics"


def path_of(url: str) -> str:
    return urlsplit(url).path


def fetch(path: str) -> Calendar:
    response = Client().get(path)
    assert response.status_code == 200, response.status_code
    return Calendar.from_ical(response.content)


def stays(calendar: Calendar) -> list[tuple]:
    """The feed's events as (first day, day after the last night), sorted."""
    return sorted(
        (event.decoded("dtstart"), event.decoded("dtend")) for event in calendar.walk("VEVENT")
    )
