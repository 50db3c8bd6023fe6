"""The API's basics: authentication, the error shape, one booking's life over HTTP."""

import pytest
from django.test import Client

from staydesk.accounts.services import api_key_create
from staydesk.bookings.guest_links import guest_token
from tests.factories import AgencyFactory, book_room, room_offer


@pytest.fixture
def offer(db, clock):
    return room_offer(price="100.00", prepayment_percent="50")


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_no_or_bad_token_is_401_with_the_error_shape(offer):
    for client in (Client(), bearer("sd_nope_nope"), bearer("SDXXXX.forged")):
        response = client.get("/api/v1/bookings")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Bearer"


def test_an_agency_books_and_the_provider_confirms(offer):
    agency = AgencyFactory()
    _key, agency_token = api_key_create(name="a", agency=agency)
    _key, provider_token = api_key_create(name="p", organization=offer.property.organization)
    body = {
        "property": offer.property.pk,
        "room_type": offer.room_type.pk,
        "rate_plan": offer.rate_plan.pk,
        "arrival": "2026-12-20",
        "departure": "2026-12-22",
        "adults": 2,
        "guest": {"first_name": "Anna", "last_name": "Nowak", "email": "anna@example.com"},
    }
    created = bearer(agency_token).post("/api/v1/bookings", body, content_type="application/json")
    assert created.status_code == 201, created.content
    booking = created.json()
    assert (booking["status"], booking["total"], booking["min_prepayment"]) == (
        "pending_confirmation",
        "200.00",
        "100.00",
    )
    assert booking["agency"]["id"] == agency.pk
    refused = bearer(agency_token).post(f"/api/v1/bookings/{booking['code']}/confirm")
    assert (refused.status_code, refused.json()["code"]) == (403, "actor_not_allowed")
    confirmed = bearer(provider_token).post(f"/api/v1/bookings/{booking['code']}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "awaiting_payment"
    assert "cancel" in confirmed.json()["allowed_actions"]


def test_a_guest_secret_opens_its_one_booking(offer):
    mine, other = book_room(offer), book_room(offer, arrival_in_days=40)
    client = bearer(guest_token(mine))
    assert client.get(f"/api/v1/bookings/{mine.code}").status_code == 200
    response = client.get(f"/api/v1/bookings/{other.code}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    listed = client.get("/api/v1/bookings").json()
    assert [b["code"] for b in listed["results"]] == [mine.code]


def test_bad_input_names_the_field(offer):
    _key, token = api_key_create(name="p", organization=offer.property.organization)
    response = bearer(token).post(
        "/api/v1/bookings",
        {"property": offer.property.pk, "adults": "two", "arrival": "2026-12-20", "guest": {}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    fields = {e["field"] for e in response.json()["errors"]}
    assert "adults" in fields


def test_the_openapi_document_and_docs_are_served_without_a_cdn(db):
    assert Client().get("/api/v1/openapi.json").status_code == 200
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content and b"unpkg" not in docs.content
