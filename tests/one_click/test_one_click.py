"""One-click Confirm and Reject links (SPEC §3): signed, single use, expiring, no login.

Opening a link (GET, as mail scanners do) changes nothing; the page's form acts once, as the
organization, and the audit event and chat line say so.
"""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import resolve

from staydesk.bookings.models import Booking, BookingEvent, OneClickUse
from staydesk.bookings.one_click import one_click_parse, one_click_url
from staydesk.bookings.states import Action, ActorKind, Status
from staydesk.messaging.models import Message
from tests.factories import book_room, room_offer
from tests.one_click.conftest import GUEST_SECRETS, csrf_post, path_of, token_of


def status_of(booking: Booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


def test_the_url_is_absolute_and_opens_the_one_click_page(pending):
    url = one_click_url(booking=pending, action="confirm")

    assert url.startswith(settings.STAYDESK_PUBLIC_URL.rstrip("/") + "/answer/")
    assert resolve(path_of(url)).view_name == "web:one_click"
    link = one_click_parse(token_of(url))
    assert (link.code, link.action) == (pending.code, "confirm")
    # A new id on every call: each email carries its own single-use links.
    assert one_click_url(booking=pending, action="confirm") != url


def test_an_unknown_action_is_a_programming_error(pending):
    with pytest.raises(ValueError):
        one_click_url(booking=pending, action="cancel")


def test_opening_the_link_changes_nothing_and_shows_no_guest_contact(pending):
    url = one_click_url(booking=pending, action="confirm")
    events = BookingEvent.objects.count()

    for _ in range(3):  # a mail scanner, a preview, the provider
        response = Client().get(path_of(url))
        assert response.status_code == 200
    head = Client().head(path_of(url))

    assert head.status_code == 200
    assert status_of(pending) == Status.PENDING_CONFIRMATION
    assert BookingEvent.objects.count() == events
    assert not OneClickUse.objects.exists()
    body = response.content.decode()
    assert "Hotel Amber" in body and pending.offer_name in body
    assert pending.arrival.strftime("%Y") in body
    assert 'data-amount="total"' in body
    assert "<form" in body and "Confirm the request" in body
    for secret in GUEST_SECRETS:
        assert secret not in body, secret
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_form_confirms_once_as_the_organization(pending):
    url = one_click_url(booking=pending, action="confirm")

    response = csrf_post(url)

    assert response.status_code == 200
    assert b'data-result="done"' in response.content
    assert status_of(pending) == Status.AWAITING_PAYMENT
    event = BookingEvent.objects.get(booking=pending, action=Action.CONFIRM)
    assert event.actor_kind == ActorKind.PROVIDER
    assert event.actor_user is None
    assert event.actor_label == "One-click link (desk@alpha.example)"
    assert (event.from_status, event.to_status) == (
        Status.PENDING_CONFIRMATION,
        Status.AWAITING_PAYMENT,
    )
    assert Message.objects.filter(booking=pending, event=event, sender_kind="system").count() == 1
    use = OneClickUse.objects.get()
    assert (use.booking_id, use.action, use.token_id) == (
        pending.pk,
        "confirm",
        one_click_parse(token_of(url)).token_id,
    )


def test_the_same_link_a_second_time_is_refused(pending):
    url = one_click_url(booking=pending, action="confirm")
    assert csrf_post(url).status_code == 200

    again = Client().post(path_of(url))
    page = Client().get(path_of(url))

    for response in (again, page):
        assert response.status_code == 410
        assert b'data-code="link_used"' in response.content
        assert b"already been used" in response.content
        assert b"<form" not in response.content
    assert BookingEvent.objects.filter(booking=pending, action=Action.CONFIRM).count() == 1


def test_the_reject_link_after_a_confirm_cannot_act(pending):
    confirm = one_click_url(booking=pending, action="confirm")
    reject = one_click_url(booking=pending, action="reject")
    csrf_post(confirm)

    page = Client().get(path_of(reject))
    posted = Client().post(path_of(reject), {"reason": "Full"})

    for response in (page, posted):
        assert response.status_code == 409
        assert b'data-code="already_answered"' in response.content
        assert "Awaiting payment" in response.content.decode()  # the status it is in now
    assert status_of(pending) == Status.AWAITING_PAYMENT
    assert not BookingEvent.objects.filter(action=Action.REJECT).exists()
    # The refused use is not recorded: only the confirm link counts as used.
    assert list(OneClickUse.objects.values_list("action", flat=True)) == ["confirm"]


def test_the_reject_link_rejects_with_the_reason(pending):
    url = one_click_url(booking=pending, action="reject")
    page = Client().get(path_of(url))
    assert b'name="reason"' in page.content

    response = csrf_post(url, {"reason": "We are closed for renovation."})

    assert response.status_code == 200
    assert status_of(pending) == Status.REJECTED_BY_PROVIDER
    event = BookingEvent.objects.get(booking=pending, action=Action.REJECT)
    assert event.reason == "We are closed for renovation."
    assert event.actor_label == "One-click link (desk@alpha.example)"
    assert Message.objects.filter(event=event).count() == 1


def test_a_reason_too_long_is_an_input_error_that_changes_nothing(pending):
    url = one_click_url(booking=pending, action="reject")

    response = Client().post(path_of(url), {"reason": "x" * 2001})

    assert response.status_code == 422
    assert b"errorlist" in response.content
    assert status_of(pending) == Status.PENDING_CONFIRMATION
    assert not OneClickUse.objects.exists()
    # The link was not used up by the refused attempt.
    assert csrf_post(url, {"reason": "Full"}).status_code == 200


def test_a_post_without_the_csrf_token_is_refused(pending):
    url = one_click_url(booking=pending, action="confirm")

    response = Client(enforce_csrf_checks=True).post(path_of(url))

    assert response.status_code == 403
    assert status_of(pending) == Status.PENDING_CONFIRMATION


def test_the_link_expires_at_the_confirmation_deadline(pending, clock):
    url = one_click_url(booking=pending, action="confirm")
    clock.shift(hours=24, seconds=1)  # confirm_by is 24 h after the request

    page = Client().get(path_of(url))
    posted = Client().post(path_of(url))

    for response in (page, posted):
        assert response.status_code == 410
        assert b'data-code="link_expired"' in response.content
    assert status_of(pending) == Status.PENDING_CONFIRMATION


@override_settings(STAYDESK_ONE_CLICK_MAX_AGE_HOURS=2)
def test_the_link_expires_after_the_maximum_age_even_before_the_deadline(pending, clock):
    url = one_click_url(booking=pending, action="confirm")
    clock.shift(hours=1, minutes=59)
    assert Client().get(path_of(url)).status_code == 200

    clock.shift(minutes=2)
    response = Client().post(path_of(url))

    assert response.status_code == 410
    assert status_of(pending) == Status.PENDING_CONFIRMATION


def _tampered(token: str, index: int, value: str) -> str:
    parts = token.split(".")
    parts[index] = value
    return ".".join(parts)


def test_forged_and_tampered_links_are_refused(pending):
    other = book_room(room_offer(), arrival_in_days=20)
    token = token_of(one_click_url(booking=pending, action="confirm"))
    signature = token.rsplit(".", 1)[1]
    forged = {
        "another booking": _tampered(token, 0, other.code),
        "another action": _tampered(token, 1, "reject"),
        "another id": _tampered(token, 2, "0" * 24),
        "a later expiry": _tampered(token, 3, "zzzzzz"),
        "another signature": _tampered(
            token, 4, ("0" if signature[0] != "0" else "1") + signature[1:]
        ),
        "no signature": token.rsplit(".", 1)[0],
        "garbage": "not-a-token",
        "too long": token + "a" * 300,
    }

    for name, bad in forged.items():
        for response in (Client().get(f"/answer/{bad}/"), Client().post(f"/answer/{bad}/")):
            assert response.status_code == 404, name

    assert status_of(pending) == Status.PENDING_CONFIRMATION
    assert status_of(other) == Status.PENDING_CONFIRMATION
    assert not BookingEvent.objects.filter(action__in=[Action.CONFIRM, Action.REJECT]).exists()


def test_a_link_signed_before_a_key_rotation_still_works(pending):
    with override_settings(SECRET_KEY="the-old-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
        url = one_click_url(booking=pending, action="confirm")

    with override_settings(SECRET_KEY="a-brand-new-key-" + "y" * 40, SECRET_KEY_FALLBACKS=[]):
        assert Client().get(path_of(url)).status_code == 404  # the old key is gone: refused
    with override_settings(
        SECRET_KEY="a-brand-new-key-" + "y" * 40,
        SECRET_KEY_FALLBACKS=["the-old-key-" + "x" * 40],
    ):
        response = csrf_post(url)

    assert response.status_code == 200
    assert status_of(pending) == Status.AWAITING_PAYMENT


def test_only_get_head_and_post(pending):
    url = one_click_url(booking=pending, action="confirm")

    assert Client().put(path_of(url)).status_code == 405
    assert Client().delete(path_of(url)).status_code == 405
    assert status_of(pending) == Status.PENDING_CONFIRMATION


def test_the_reject_link_needs_no_reason(pending):
    url = one_click_url(booking=pending, action="reject")

    response = csrf_post(url)

    assert response.status_code == 200
    assert status_of(pending) == Status.REJECTED_BY_PROVIDER
    assert BookingEvent.objects.get(booking=pending, action=Action.REJECT).reason == ""


def test_a_reason_with_contact_details_is_a_form_error_and_the_link_stays_unused(pending):
    url = one_click_url(booking=pending, action="reject")

    response = csrf_post(url, {"reason": "Book direct: reservations@hotel-direct.example"})

    assert response.status_code == 422
    assert "reservations@hotel-direct.example" in response.content.decode()  # what was found
    assert status_of(pending) == Status.PENDING_CONFIRMATION
    assert not OneClickUse.objects.exists()
    assert csrf_post(url, {"reason": "Fully booked"}).status_code == 200
