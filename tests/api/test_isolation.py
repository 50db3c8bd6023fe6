"""The isolation sweep: every object path, tried by callers who may not see the booking,
is 404 (bulk: ``not_found``; list and export: nothing of theirs) and changes nothing."""

import pytest
from django.core import mail
from django.forms.models import model_to_dict

from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.inventory.models import StockNight
from staydesk.payments.models import LedgerEntry
from tests.api.conftest import bearer
from tests.factories import book_room

ACTIONS = (
    "confirm",
    "reject",
    "cancel",
    "check-in",
    "no-show",
    "required-action",
    "resend-confirmation",
)


def snapshot(booking: Booking) -> dict:
    return {
        "booking": model_to_dict(Booking.objects.get(pk=booking.pk)),
        "events": list(BookingEvent.objects.filter(booking=booking).values()),
        "ledger": list(LedgerEntry.objects.filter(booking=booking).values()),
        "stock": list(StockNight.objects.order_by("pk").values()),
        "mail": len(mail.outbox),
    }


def outsiders(two_sides):
    a, b = two_sides
    neighbour = book_room(a.offer, arrival_in_days=40)  # same property, another guest
    return {
        "another organization's provider key": b.provider,
        "another agency's key": b.agent,
        "another booking's guest secret": b.guest,
        "a neighbour booking's guest secret": bearer(guest_token(neighbour)),
    }


def test_every_object_path_is_404_for_outsiders_and_changes_nothing(two_sides):
    a, _b = two_sides
    code = a.booking.code
    clients = outsiders(two_sides)
    before = snapshot(a.booking)
    for who, client in clients.items():
        tried = []
        tried.append(client.get(f"/api/v1/bookings/{code}"))
        tried.append(client.get(f"/api/v1/bookings/{code}/refund-quote"))
        for action in ACTIONS:
            body = {"type": "other", "reason": "x"} if action in ("cancel", "reject") else {}
            tried.append(
                client.post(
                    f"/api/v1/bookings/{code}/{action}", body, content_type="application/json"
                )
            )
        tried.append(
            client.post(
                f"/api/v1/bookings/{code}/payments",
                {"amount": "100.00", "reference": "x"},
                content_type="application/json",
            )
        )
        for response in tried:
            assert response.status_code == 404, (who, response.request["PATH_INFO"])
            assert response.json()["code"] in ("not_found", "booking_not_found"), who
        for action in ("confirm", "reject", "cancel"):
            response = client.post(
                "/api/v1/bookings/bulk",
                {"action": action, "codes": [code], "type": "other", "reason": "x"},
                content_type="application/json",
            )
            assert response.status_code == 200, (who, response.content)
            assert [(r["code"], r["ok"], r["error"]) for r in response.json()] == [
                (code, False, "not_found")
            ], who
        listed = client.get(f"/api/v1/bookings?code={code}")
        assert listed.status_code == 200 and listed.json()["count"] == 0, who
        everything = client.get("/api/v1/bookings?page_size=100").json()["results"]
        assert code not in {row["code"] for row in everything}, who
        export = client.get(f"/api/v1/bookings/export.csv?code={code}")
        assert export.status_code == 200, who
        assert code not in b"".join(export.streaming_content).decode("utf-8-sig"), who
        export_all = client.get("/api/v1/bookings/export.csv")
        assert code not in b"".join(export_all.streaming_content).decode("utf-8-sig"), who
    assert snapshot(a.booking) == before


@pytest.mark.parametrize("who", ["provider", "agent", "guest"])
def test_the_owner_does_see_it(two_sides, who):
    """The sweep above is meaningful: the same paths answer the booking's own callers."""
    a, _b = two_sides
    client = getattr(a, who)
    assert client.get(f"/api/v1/bookings/{a.booking.code}").status_code == 200
    assert client.get(f"/api/v1/bookings/{a.booking.code}/refund-quote").status_code == 200
    listed = client.get(f"/api/v1/bookings?code={a.booking.code}").json()
    assert [row["code"] for row in listed["results"]] == [a.booking.code]
