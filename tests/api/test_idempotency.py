"""Idempotency-Key on POST (SPEC §7, §8): one booking per key, replayed answers, 422/409."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from ninja.errors import HttpError

from staydesk.accounts.services import api_key_create
from staydesk.api.idempotency import ABANDONED_AFTER, purge_expired
from staydesk.api.models import IdempotencyRecord
from staydesk.bookings.models import Booking
from staydesk.core import clock as core_clock
from tests.factories import AgencyFactory, room_offer


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def offer(db, clock):
    return room_offer(price="100.00", prepayment_percent="50")


@pytest.fixture
def agency_token(offer):
    _key, token = api_key_create(name="a", agency=AgencyFactory())
    return token


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def booking_body(offer, **changes) -> dict:
    body = {
        "property": offer.property.pk,
        "room_type": offer.room_type.pk,
        "rate_plan": offer.rate_plan.pk,
        "arrival": "2026-12-20",
        "departure": "2026-12-22",
        "adults": 2,
        "guest": {"first_name": "Anna", "last_name": "Nowak", "email": "anna@example.com"},
    }
    body.update(changes)
    return body


def create(client: Client, body: dict, key: str | None, path: str = "/api/v1/bookings"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, body, content_type="application/json", headers=headers)


def test_a_retried_create_books_once_and_replays_the_first_response(offer, agency_token):
    client = bearer(agency_token)
    first = create(client, booking_body(offer), "order-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    # the same JSON with other spacing and key order is the same request
    again = client.post(
        "/api/v1/bookings",
        dict(reversed(list(booking_body(offer).items()))),
        content_type="application/json",
        headers={"Idempotency-Key": "order-1"},
    )
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true"
    assert Booking.objects.count() == 1


def test_without_a_key_every_post_books(offer, agency_token):
    client = bearer(agency_token)
    assert create(client, booking_body(offer), None).status_code == 201
    assert create(client, booking_body(offer), None).status_code == 201
    assert Booking.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_the_same_key_with_another_body_or_path_is_422(offer, agency_token):
    client = bearer(agency_token)
    assert create(client, booking_body(offer), "k").status_code == 201
    other = create(client, booking_body(offer, adults=1), "k")
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    code = Booking.objects.get().code
    elsewhere = create(client, {}, "k", path=f"/api/v1/bookings/{code}/cancel")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (422, "idempotency_key_reused")
    assert Booking.objects.count() == 1
    assert Booking.objects.get().status == "pending_confirmation"


def test_keys_are_scoped_to_the_api_key(offer, agency_token):
    _key, other_token = api_key_create(name="b", agency=AgencyFactory())
    one = create(bearer(agency_token), booking_body(offer), "shared")
    two = create(bearer(other_token), booking_body(offer), "shared")
    assert (one.status_code, two.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in two
    assert one.json()["code"] != two.json()["code"]
    assert Booking.objects.count() == 2


def test_a_retry_while_the_first_runs_is_409(offer, agency_token):
    client = bearer(agency_token)
    first = create(client, booking_body(offer), "slow")
    IdempotencyRecord.objects.update(status=IdempotencyRecord.Status.IN_PROGRESS)
    retry = create(client, booking_body(offer), "slow")
    assert (retry.status_code, retry.json()["code"]) == (409, "idempotency_in_progress")
    assert first.status_code == 201 and Booking.objects.count() == 1


def test_a_4xx_is_stored_and_replayed(offer, agency_token):
    client = bearer(agency_token)
    body = booking_body(offer, property=offer.property.pk + 999)
    first = create(client, body, "bad")
    assert (first.status_code, first.json()["code"]) == (404, "unknown_property")
    again = create(client, body, "bad")
    assert again.status_code == 404
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get().response_status == 404


@pytest.mark.parametrize("failure", [RuntimeError("boom"), HttpError(503, "down")])
def test_a_5xx_is_not_stored_and_the_retry_runs_again(offer, agency_token, failure):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {agency_token}", raise_request_exception=False)
    with mock.patch("staydesk.api.routers.bookings.booking_create", side_effect=failure):
        failed = create(client, booking_body(offer), "flaky")
    assert failed.status_code >= 500
    assert not IdempotencyRecord.objects.exists()
    retry = create(client, booking_body(offer), "flaky")
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "naïve"])
def test_a_bad_key_is_400(offer, agency_token, key):
    response = create(bearer(agency_token), booking_body(offer), key)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_idempotency_key")
    assert Booking.objects.count() == 0


def test_a_key_of_255_printable_characters_is_fine(offer, agency_token):
    assert create(bearer(agency_token), booking_body(offer), "~ " + "x" * 253).status_code == 201


def test_the_record_expires_after_24_hours(offer, agency_token, clock):
    client = bearer(agency_token)
    assert create(client, booking_body(offer), "day").status_code == 201
    clock.shift(hours=23, minutes=59)
    assert create(client, booking_body(offer), "day")["Idempotent-Replayed"] == "true"
    clock.shift(minutes=2)
    fresh = create(client, booking_body(offer), "day")
    assert fresh.status_code == 201
    assert "Idempotent-Replayed" not in fresh
    assert Booking.objects.count() == 2


def test_an_abandoned_in_progress_record_does_not_block_forever(offer, agency_token, clock):
    client = bearer(agency_token)
    create(client, booking_body(offer), "crashed")
    # as the process that died while booking left it
    IdempotencyRecord.objects.update(
        status=IdempotencyRecord.Status.IN_PROGRESS,
        expires_at=core_clock.now() + ABANDONED_AFTER,
    )
    clock.shift(minutes=9)
    assert create(client, booking_body(offer), "crashed").status_code == 409
    clock.shift(minutes=2)
    assert create(client, booking_body(offer), "crashed").status_code == 201


def test_purge_removes_expired_records(offer, agency_token, clock):
    client = bearer(agency_token)
    create(client, booking_body(offer), "old")
    clock.shift(hours=12)
    create(client, booking_body(offer), "new")
    clock.shift(hours=13)
    assert purge_expired() == {"purged": 1}
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert IdempotencyRecord.objects.get().expires_at == core_clock.now() + dt.timedelta(hours=11)


def test_the_header_is_documented_on_every_post(db):
    schema = Client().get("/api/v1/openapi.json").json()
    posts = [ops["post"] for ops in schema["paths"].values() if "post" in ops]
    assert posts
    for operation in posts:
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert names.count("Idempotency-Key") == 1, operation["operationId"]
