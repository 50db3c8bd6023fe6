"""The travel-agent flow of docs/api.md end to end over HTTP: availability, create with an
Idempotency-Key (and its retry), read, refund quote, cancel; then the provider sees it."""

import datetime as dt
import json
from decimal import Decimal

from staydesk.bookings.models import Booking
from tests.api.conftest import make_side


def test_the_travel_agent_flow(db, clock):
    side = make_side("Flow")
    arrival = dt.date(2027, 1, 10)
    availability = side.agent.get(
        f"/api/v1/properties/{side.offer.property.pk}/availability",
        {"arrival": arrival.isoformat(), "departure": "2027-01-13", "adults": 2},
    )
    assert availability.status_code == 200, availability.content
    room = availability.json()["room_types"][0]
    plan = room["rate_plans"][0]
    assert plan["total"] == "300.00"  # 3 nights at 100.00

    body = {
        "property": side.offer.property.pk,
        "room_type": room["id"],
        "rate_plan": plan["id"],
        "arrival": arrival.isoformat(),
        "departure": "2027-01-13",
        "adults": 2,
        "guest": {"first_name": "Jana", "last_name": "Nováková", "email": "jana@example.com"},
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "agent-order-0001"}
    first = side.agent.post(
        "/api/v1/bookings", json.dumps(body), content_type="application/json", **headers
    )
    retry = side.agent.post(
        "/api/v1/bookings", json.dumps(body), content_type="application/json", **headers
    )
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert retry["Idempotent-Replayed"] == "true"
    code = first.json()["code"]
    assert Booking.objects.filter(guest_last_name="Nováková").count() == 1
    assert Decimal(first.json()["total"]) == Decimal(plan["total"])

    read = side.agent.get(f"/api/v1/bookings/{code}").json()
    assert (read["status"], read["agency"]["id"]) == ("pending_confirmation", side.agency.pk)
    assert "cancel" in read["allowed_actions"]

    quote = side.agent.get(f"/api/v1/bookings/{code}/refund-quote").json()
    assert (quote["paid"], quote["refund"]) == ("0.00", "0.00")

    cancelled = side.agent.post(
        f"/api/v1/bookings/{code}/cancel",
        json.dumps({"reason": "The traveller changed plans."}),
        content_type="application/json",
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled_by_guest"

    seen = side.provider.get("/api/v1/bookings", {"code": code}).json()
    assert [b["status"] for b in seen["results"]] == ["cancelled_by_guest"]
    again = side.agent.post(f"/api/v1/bookings/{code}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
