"""schemathesis against ``/api/v1/openapi.json``, in-process over WSGI, as each kind of caller:
no 5xx for any input, and every response (status, content type, body) is the documented one.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from staydesk.core import clock as sd_clock
from staydesk.wsgi import application
from tests.factories import PackageFactory, PromotionFactory, PromotionVariantFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 20


@pytest.fixture
def api_schema(db, settings):
    """The WSGI handler closes the database connection after each request; inside a test's
    transaction it must not (Django's test client disconnects the same signals)."""
    # Thousands of requests a minute from one key: rate limiting has its own tests.
    settings.STAYDESK_API_RATE_PER_KEY = "100000/min"
    settings.STAYDESK_API_RATE_PER_IP = "100000/min"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["provider", "agent", "guest"])
def test_the_api_matches_its_openapi_document(api_schema, two_sides, who):
    a, _b = two_sides
    PackageFactory(property=a.offer.property)
    PromotionVariantFactory(promotion=PromotionFactory(property=a.offer.property))
    token = getattr(a, f"{who}_token" if who != "agent" else "agency_token")
    headers = {"Authorization": f"Bearer {token}"}
    real = {"code": a.booking.code, "id": a.offer.property.pk}
    failures = []
    seen: dict[str, set[int]] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), use_real=st.booleans())
        def run(case, use_real):
            # Half the time, aim at the caller's own booking and property.
            if use_real and case.path_parameters:
                for name in case.path_parameters:
                    if name in real:
                        case.path_parameters[name] = real[name]
            response = case.call(headers=headers)
            seen.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        except Exception as exc:  # collect them all, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    print(who, sorted((op, sorted(codes)) for op, codes in seen.items()))
    assert not failures, "\n\n".join(failures)
    assert len(seen) == len(operations)
    # Not only refusals: each caller got real answers from its own booking and property.
    assert sum(any(c < 300 for c in codes) for codes in seen.values()) >= 3


def test_successful_answers_match_the_document(api_schema, two_sides):
    """Random input rarely books: the answers of the travel-agent flow, checked explicitly."""
    a, _b = two_sides
    PackageFactory(property=a.offer.property)
    PromotionVariantFactory(promotion=PromotionFactory(property=a.offer.property))
    headers = {"Authorization": f"Bearer {a.agency_token}"}
    arrival = sd_clock.local_date(a.offer.property.timezone) + dt.timedelta(days=3)
    departure = arrival + dt.timedelta(days=2)
    availability = api_schema["/api/v1/properties/{id}/availability"]["GET"].Case(
        path_parameters={"id": a.offer.property.pk},
        query={"arrival": str(arrival), "departure": str(departure), "adults": 2},
    )
    response = availability.call_and_validate(headers=headers, checks=CHECKS)
    assert response.status_code == 200 and response.json()["room_types"]
    assert response.json()["packages"] and response.json()["promotions"]
    create = api_schema["/api/v1/bookings"]["POST"].Case(
        body={
            "property": a.offer.property.pk,
            "room_type": a.offer.room_type.pk,
            "rate_plan": a.offer.rate_plan.pk,
            "arrival": str(arrival),
            "departure": str(departure),
            "adults": 2,
            "guest": {"first_name": "Jan", "last_name": "Kos", "email": "jan@example.com"},
        },
        media_type="application/json",
    )
    response = create.call_and_validate(headers=headers, checks=CHECKS)
    assert response.status_code == 201, response.text
    for path in ("/api/v1/bookings/{code}", "/api/v1/bookings/{code}/refund-quote"):
        case = api_schema[path]["GET"].Case(path_parameters={"code": response.json()["code"]})
        assert case.call_and_validate(headers=headers, checks=CHECKS).status_code == 200
