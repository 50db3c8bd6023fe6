"""The provider's booking page lists the booking's notifications; no one else sees them."""

import pytest
from django.test import Client
from django.urls import reverse

from staydesk.core.outbox import OutboxStatus
from staydesk.notifications.models import Notification
from tests.factories import MembershipFactory, book_room, guest, room_offer
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def signed_in(organization=None) -> Client:
    membership = MembershipFactory(**({"organization": organization} if organization else {}))
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def booking(clock, settings):
    settings.STAYDESK_SMS_BACKEND = f"{__name__}.Down"
    booking = book_room(room_offer(), guest=guest(email="guest@example.com"))
    run_tasks()
    return booking


class Down:
    def send(self, sms) -> None:
        raise ConnectionError("gateway down")


def test_the_booking_page_shows_each_notification_with_its_delivery(booking):
    client = signed_in(booking.organization)
    page = client.get(reverse("web:booking", args=[booking.code])).content.decode()
    assert 'data-section="notifications"' in page
    assert 'data-notification="guest_confirmation" data-channel="email" data-status="sent"' in page
    assert "guest@example.com" in page
    assert booking.organization.notification_email in page
    # The SMS that failed: pending, one attempt, its error.
    assert (
        'data-notification="provider_new_request" data-channel="sms" data-status="pending"' in page
    )
    assert "ConnectionError: gateway down" in page
    sms = Notification.objects.get(channel="sms")
    assert sms.status == OutboxStatus.PENDING

    panel = client.get(reverse("web:booking_notifications", args=[booking.code]))
    assert panel.status_code == 200
    assert panel.content.decode().count("data-notification=") == 3


def test_another_organization_sees_neither_the_page_nor_the_panel(booking):
    stranger = signed_in()
    assert stranger.get(reverse("web:booking", args=[booking.code])).status_code == 404
    response = stranger.get(reverse("web:booking_notifications", args=[booking.code]))
    assert response.status_code == 404
    assert b"guest@example.com" not in response.content


def test_the_panel_needs_a_login_and_refuses_a_post(booking):
    url = reverse("web:booking_notifications", args=[booking.code])
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert signed_in(booking.organization).post(url).status_code == 405
