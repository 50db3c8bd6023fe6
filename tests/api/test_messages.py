"""``/api/v1/bookings/{code}/messages`` over HTTP for providers, agencies and guests: the
contact-details gate, isolation, system messages and the unread counts."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from staydesk.bookings.models import Booking, BookingEvent
from staydesk.core.tenancy import Scope
from staydesk.messaging.models import Message
from staydesk.messaging.selectors import unread_by_booking, unread_message_count
from tests.api.conftest import make_side


def _post(client, code: str, body: str):
    return client.post(
        f"/api/v1/bookings/{code}/messages",
        json.dumps({"body": body}),
        content_type="application/json",
    )


def _world(booking: Booking) -> dict:
    """Everything a refused message could have written."""
    return {
        "messages": Message.objects.count(),
        "events": BookingEvent.objects.count(),
        "row": Booking.objects.filter(pk=booking.pk).values().get(),
    }


def _pay(side, amount: str):
    code = side.booking.code
    assert side.provider.post(f"/api/v1/bookings/{code}/confirm").status_code == 200
    paid = side.provider.post(
        f"/api/v1/bookings/{code}/payments",
        json.dumps({"amount": amount, "reference": "t-1"}),
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content


def test_contact_details_are_refused_before_payment_and_accepted_after(db, clock):
    side = make_side("Gate")
    code = side.booking.code
    texts = {"email": "write to anna@example.com", "phone": "call me on +48 601 234 567"}
    for client in (side.guest, side.agent, side.provider):
        for category, text in texts.items():
            before = _world(side.booking)
            refused = _post(client, code, text)
            assert refused.status_code == 409, refused.content
            body = refused.json()
            assert body["code"] == "contact_details_forbidden"
            assert body["field"] == "body"
            assert _world(side.booking) == before  # no row, nothing else written
            if category == "email":
                assert "“anna@example.com” at characters 9–25" in body["detail"]  # noqa: RUF001
            else:
                assert "601 234 567" in body["detail"]

    _pay(side, "100.00")  # the minimum prepayment: partially paid
    assert Booking.objects.get(pk=side.booking.pk).status == "partially_paid"
    for text in texts.values():
        sent = _post(side.guest, code, text)
        assert sent.status_code == 201, sent.content
        assert sent.json()["body"] == text
        assert sent.json()["sender"] == "guest"
    assert _post(side.provider, code, texts["email"]).json()["sender"] == "provider"
    assert _post(side.agent, code, texts["email"]).json()["sender"] == "agency"


def test_a_guest_secret_cannot_read_or_post_to_another_bookings_chat(db, clock):
    a, b = make_side("A"), make_side("B")
    assert _post(a.guest, a.booking.code, "Hello").status_code == 201
    for client in (b.guest, b.agent, b.provider):
        assert client.get(f"/api/v1/bookings/{a.booking.code}/messages").status_code == 404
        assert _post(client, a.booking.code, "Hi there").status_code == 404
    assert Message.objects.filter(booking=a.booking, sender_kind="guest").count() == 1
    assert not Message.objects.filter(booking=b.booking).exclude(sender_kind="system").exists()


def test_system_messages_for_each_transition(db, clock):
    side = make_side("Sys")
    code = side.booking.code
    _pay(side, "100.00")
    cancelled = side.guest.post(f"/api/v1/bookings/{code}/cancel")
    assert cancelled.status_code == 200, cancelled.content
    log = side.guest.get(f"/api/v1/bookings/{code}/messages").json()
    system = [(m["status_from"], m["status_to"], m["body"]) for m in log if m["system"]]
    assert system == [
        (None, "pending_confirmation", "Booking created: Awaiting confirmation"),
        (
            "pending_confirmation",
            "awaiting_payment",
            "Status changed: Awaiting confirmation → Awaiting payment",
        ),
        ("awaiting_payment", "partially_paid", "Status changed: Awaiting payment → Partially paid"),
        (
            "partially_paid",
            "cancelled_by_guest",
            "Status changed: Partially paid → Cancelled by guest",
        ),
    ]


def test_unread_counts_follow_reading(db, clock):
    side = make_side("Unread")
    code = side.booking.code
    provider_scope = Scope(organization_id=side.offer.property.organization_id)
    assert _post(side.guest, code, "Is breakfast included?").status_code == 201
    assert unread_message_count(scope=provider_scope) == 1
    assert unread_by_booking(scope=provider_scope, booking_ids=[side.booking.pk]) == {
        side.booking.pk: 1
    }
    # The agency shares the guest's side: its own and the guest's messages are not unread for it.
    assert unread_message_count(scope=Scope(agency_id=side.agency.pk)) == 0

    log = side.provider.get(f"/api/v1/bookings/{code}/messages").json()
    assert log[-1]["read_by_provider_at"] is not None
    assert unread_message_count(scope=provider_scope) == 0
    assert unread_by_booking(scope=provider_scope, booking_ids=[side.booking.pk]) == {}

    assert _post(side.provider, code, "Yes, from 7 to 10.").status_code == 201
    assert unread_message_count(scope=Scope(agency_id=side.agency.pk)) == 1
    side.agent.get(f"/api/v1/bookings/{code}/messages")
    assert unread_message_count(scope=Scope(agency_id=side.agency.pk)) == 0


def test_get_messages_query_count_is_fixed(db, clock):
    side = make_side("Queries")
    code = side.booking.code

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert side.guest.get(f"/api/v1/bookings/{code}/messages").status_code == 200
        return len(captured)

    few = count()
    _pay(side, "100.00")
    for i in range(10):
        _post(side.guest, code, f"Question {i}")
        _post(side.provider, code, f"Answer {i}")
    many = count()
    assert few == many == 4, (few, many)


def test_body_is_validated(db, clock):
    side = make_side("Body")
    code = side.booking.code
    assert _post(side.guest, code, "   ").status_code == 422
    assert _post(side.guest, code, "x" * 4001).status_code == 422
    assert side.guest.post(f"/api/v1/bookings/{code}/messages").status_code == 422
