"""20 concurrent creates with one Idempotency-Key: exactly one booking (SPEC §8).

PostgreSQL only: each thread has its own connection, and the unique constraint of the
idempotency record is the lock between them.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from staydesk.accounts.services import api_key_create
from staydesk.api.models import IdempotencyRecord
from staydesk.bookings.models import Booking
from tests.factories import AgencyFactory, race, room_offer

THREADS = 20


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_twenty_concurrent_creates_with_one_key_book_once(postgres):
    offer = room_offer(price="100.00", prepayment_percent="50", units=50)
    _key, token = api_key_create(name="a", agency=AgencyFactory())
    body = {
        "property": offer.property.pk,
        "room_type": offer.room_type.pk,
        "rate_plan": offer.rate_plan.pk,
        "arrival": "2027-02-10",
        "departure": "2027-02-12",
        "adults": 2,
        "guest": {"first_name": "Anna", "last_name": "Nowak", "email": "anna@example.com"},
    }

    def create():
        response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
            "/api/v1/bookings",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": "one-booking"},
        )
        return response.status_code, response.content, response.get("Idempotent-Replayed")

    outcomes = race([create] * THREADS)
    assert [o.error for o in outcomes if o.error] == []
    results = [o.value for o in outcomes]

    assert Booking.objects.count() == 1
    originals = [r for r in results if r[0] == 201 and r[2] is None]
    assert len(originals) == 1, results
    content = originals[0][1]
    for status_code, body_bytes, replayed in results:
        if status_code == 409:
            assert b'"idempotency_in_progress"' in body_bytes
        else:
            assert status_code == 201
            assert body_bytes == content
            assert replayed == "true" or (status_code, body_bytes, replayed) == originals[0]
    assert Booking.objects.get().code.encode() in content
    record = IdempotencyRecord.objects.get()
    assert (record.status, record.response_status) == (IdempotencyRecord.Status.DONE, 201)

    again = create()
    assert (again[0], again[1], again[2]) == (201, content, "true")
    assert Booking.objects.count() == 1
