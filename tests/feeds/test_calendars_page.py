"""The provider's Calendars page: the feed addresses of its own properties, and new ones."""

import re

from django.test import Client

from staydesk.accounts.models import Membership
from staydesk.catalog.models import Property
from staydesk.inventory.calendar_feed import feed_token
from tests.factories import MembershipFactory, RoomTypeFactory, room_offer
from tests.feeds.conftest import feed_path, member_client, path_of


def feed_urls(html: str) -> list[str]:
    return re.findall(r'value="(http[^"]+\.ics)" data-feed=', html)


def test_the_page_lists_a_feed_per_property_and_room_type(owner, offer):
    suite = RoomTypeFactory(property=offer.property, name="Family suite")
    other = room_offer(name="Hotel Beryl")  # another organization's

    response = member_client(owner).get("/calendars/")

    assert response.status_code == 200
    html = response.content.decode()
    base = "http://testserver"  # the host the provider is using
    # Room types by name: "Family suite" before "Room type N".
    assert feed_urls(html) == [
        base + feed_path(property=offer.property),
        base + feed_path(property=offer.property, room_type=suite),
        base + feed_path(property=offer.property, room_type=offer.room_type),
    ]
    assert "Hotel Beryl" not in html
    assert feed_token(property=other.property) not in html
    assert 'aria-current="page"' in html and ">Calendars<" in html
    for url in feed_urls(html):
        assert Client().get(path_of(url)).status_code == 200


def test_the_page_needs_a_sign_in(db):
    response = Client().get("/calendars/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_owner_makes_new_addresses_after_a_confirmation(owner, offer):
    client = member_client(owner)
    old_property = feed_path(property=offer.property)
    old_room = feed_path(property=offer.property, room_type=offer.room_type)
    secret = offer.property.calendar_secret
    assert "new-secret" in client.get("/calendars/").content.decode()

    confirm = client.get(f"/calendars/{offer.property.pk}/new-secret/")

    assert confirm.status_code == 200
    assert b"<form" in confirm.content
    assert Property.objects.get(pk=offer.property.pk).calendar_secret == secret  # GET: nothing

    done = client.post(f"/calendars/{offer.property.pk}/new-secret/")

    assert done.status_code == 302 and done["Location"] == "/calendars/"
    offer.property.refresh_from_db()
    assert offer.property.calendar_secret != secret
    assert Client().get(old_property).status_code == 404
    assert Client().get(old_room).status_code == 404
    page = client.get("/calendars/").content.decode()
    assert feed_path(property=offer.property) in page
    assert Client().get(feed_path(property=offer.property)).status_code == 200


def test_staff_see_the_addresses_but_cannot_revoke_them(owner, offer):
    staff = MembershipFactory(organization=owner.organization, role=Membership.Role.STAFF)
    client = member_client(staff)
    secret = offer.property.calendar_secret

    page = client.get("/calendars/")

    assert page.status_code == 200
    assert feed_path(property=offer.property) in page.content.decode()
    assert "new-secret" not in page.content.decode()
    assert client.get(f"/calendars/{offer.property.pk}/new-secret/").status_code == 403
    assert client.post(f"/calendars/{offer.property.pk}/new-secret/").status_code == 403
    assert Property.objects.get(pk=offer.property.pk).calendar_secret == secret


def test_another_organizations_property_is_not_found(owner, offer):
    other = room_offer(name="Hotel Beryl")
    secret = other.property.calendar_secret

    response = member_client(owner).post(f"/calendars/{other.property.pk}/new-secret/")

    assert response.status_code == 404
    assert Property.objects.get(pk=other.property.pk).calendar_secret == secret
