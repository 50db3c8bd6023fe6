"""The chat in the UI: the panel on the provider's booking page (polled by htmx) and the
guest's chat page at the secret link, with the contact-details gate shown as a form error."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.states import Status
from staydesk.core.tenancy import Scope
from staydesk.messaging.models import Message
from staydesk.messaging.selectors import unread_by_booking, unread_message_count
from tests.web.booking_fixtures import booking_of, member, signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(db):
    return member()


def _people(html: str) -> list[str]:
    """The sender kinds of the person-written messages in a rendered log."""
    return re.findall(r'data-sender="(provider|guest|agency)"', html)


def test_the_booking_page_has_the_chat_panel_polling_its_log(owner, clock):
    booking = booking_of(owner, Status.AWAITING_PAYMENT, frozen=clock)
    html = signed_in(owner).get(reverse("web:booking", args=[booking.code])).content.decode()
    panel = html[html.index('data-section="chat"') :]
    assert f"Chat with {booking.guest_full_name}" in panel
    log_url = reverse("web:chat_messages", args=[booking.code])
    assert f'hx-get="{log_url}"' in panel
    assert 'hx-trigger="load, every 5s"' in panel
    assert f'action="{reverse("web:chat_post", args=[booking.code])}"' in panel


def test_provider_and_guest_exchange_messages_and_read_state(owner, clock):
    booking = booking_of(owner, Status.AWAITING_PAYMENT, frozen=clock)
    scope = Scope(organization_id=booking.organization_id)
    guest = Client()
    chat_url = reverse("web:guest_chat", args=[guest_token(booking)])

    page = guest.get(chat_url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    html = page.content.decode()
    assert 'hx-trigger="every 5s"' in html
    assert "Awaiting payment" in html or 'data-sender="system"' in html

    sent = guest.post(chat_url, {"body": "Can we arrive at 23:00?"})
    assert sent.status_code == 302
    assert unread_message_count(scope=scope) == 1
    assert unread_by_booking(scope=scope, booking_ids=[booking.pk]) == {booking.pk: 1}

    provider = signed_in(owner)
    dashboard = provider.get(reverse("web:dashboard")).content.decode()
    assert "Unread messages" in dashboard
    log = provider.get(reverse("web:chat_messages", args=[booking.code])).content.decode()
    assert "Can we arrive at 23:00?" in log
    assert _people(log) == ["guest"]
    assert unread_message_count(scope=scope) == 0  # reading the log marks it read

    answer = provider.post(
        reverse("web:chat_post", args=[booking.code]), {"body": "Yes, the desk is open."}, **HTMX
    )
    assert answer.status_code == 200
    assert _people(answer.content.decode()) == ["guest", "provider"]

    log = guest.get(reverse("web:guest_chat_messages", args=[guest_token(booking)]))
    assert "Yes, the desk is open." in log.content.decode()
    assert Message.objects.filter(booking=booking, read_by_guest_at__isnull=False).count() == 1


def test_a_refusal_is_a_form_error_and_stores_nothing(owner, clock):
    booking = booking_of(owner, Status.AWAITING_PAYMENT, frozen=clock)
    before = Message.objects.count()
    provider = signed_in(owner)
    refused = provider.post(
        reverse("web:chat_post", args=[booking.code]),
        {"body": "write to anna@example.com"},
        **HTMX,
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'data-error="body"' in html and "anna@example.com" in html
    assert "write to anna@example.com</textarea>" in html  # the text stays to be edited

    guest = Client()
    guest_refused = guest.post(
        reverse("web:guest_chat", args=[guest_token(booking)]), {"body": "+48 601 234 567"}
    )
    assert guest_refused.status_code == 200
    assert 'data-error="body"' in guest_refused.content.decode()

    plain = provider.post(
        reverse("web:chat_post", args=[booking.code]), {"body": "mail anna@example.com"}
    )
    assert plain.status_code == 302  # without htmx: back to the page with the error message
    assert Message.objects.count() == before


def test_after_payment_the_same_text_is_accepted(owner, clock):
    booking = booking_of(owner, Status.PARTIALLY_PAID, frozen=clock)
    sent = Client().post(
        reverse("web:guest_chat", args=[guest_token(booking)]),
        {"body": "write to anna@example.com"},
    )
    assert sent.status_code == 302
    assert Message.objects.filter(booking=booking, body="write to anna@example.com").exists()


def test_chat_pages_are_closed_to_others(owner, clock):
    booking = booking_of(owner, Status.AWAITING_PAYMENT, frozen=clock)
    other = booking_of(member(), Status.AWAITING_PAYMENT, frozen=clock)
    stranger = signed_in(member())
    assert stranger.get(reverse("web:chat_messages", args=[booking.code])).status_code == 404
    assert (
        stranger.post(reverse("web:chat_post", args=[booking.code]), {"body": "hi"}).status_code
        == 404
    )
    forged = f"{booking.code}.{guest_token(other).partition('.')[2]}"
    assert Client().get(reverse("web:guest_chat", args=[forged])).status_code == 404
    assert Client().post(reverse("web:guest_chat", args=[forged]), {"body": "x"}).status_code == 404
    assert Client().get(reverse("web:guest_chat_messages", args=[forged])).status_code == 404
    assert not Message.objects.exclude(sender_kind="system").exists()


def test_the_voucher_page_links_to_the_guests_chat(db, clock):
    from tests.factories import book_room, room_offer

    booking = book_room(room_offer())
    token = guest_token(booking)
    html = Client().get(reverse("web:voucher", args=[token])).content.decode()
    assert f'href="{reverse("web:guest_chat", args=[token])}"' in html
