"""Bulk actions (SPEC §5): tick rows, choose confirm / reject / cancel, run; a result per row.

The service (``bookings_bulk``, which the API will call too) and the grid's POST endpoint.
"""

import re

import pytest
from django.urls import reverse

from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import booking_confirm
from staydesk.bookings.services.bulk import BulkResult, bookings_bulk
from staydesk.bookings.states import Action, Status
from staydesk.core.errors import InvalidInput
from staydesk.core.tenancy import Scope
from tests.factories import book_room, guest

BULK = reverse("web:bulk")
S = Status


def snapshot(*bookings: Booking) -> list[dict]:
    return [
        {
            "row": Booking.objects.filter(pk=b.pk).values().get(),
            "events": BookingEvent.objects.filter(booking=b).count(),
        }
        for b in bookings
    ]


def status_of(booking: Booking) -> str:
    return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


@pytest.fixture
def requests_a(tenant_a, clock) -> list[Booking]:
    """Three pending requests of organization A."""
    return [
        book_room(tenant_a.offer, arrival_in_days=20 + 3 * i, guest=guest(last_name=f"Req{i}"))
        for i in range(3)
    ]


@pytest.fixture
def confirmed_a(tenant_a, clock) -> Booking:
    booking = book_room(tenant_a.offer, arrival_in_days=40)
    return booking_confirm(booking=booking, actor=tenant_a.actor)


@pytest.fixture
def foreign(tenant_b, clock) -> Booking:
    """A pending request of organization B: A could confirm it, were it A's."""
    return book_room(tenant_b.offer, arrival_in_days=20)


def rows_of(html: str) -> list[tuple[str, str]]:
    """(booking code, row text) per row of the result table."""
    tbody = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = re.findall(r'<tr class="(?:ok|refused)">(.*?)</tr>', tbody, re.S)
    return [
        (re.sub(r"<[^>]+>", " ", r).split()[0], " ".join(re.sub(r"<[^>]+>", " ", r).split()))
        for r in rows
    ]


# --- Through the grid -------------------------------------------------------------------------


def test_bulk_confirm_of_three_pending_requests_confirms_them(tenant_a, requests_a):
    codes = [b.code for b in requests_a]
    response = tenant_a.client.post(BULK, {"action": "confirm", "code": codes})
    assert response.status_code == 200
    assert [status_of(b) for b in requests_a] == [S.AWAITING_PAYMENT] * 3
    for booking in requests_a:
        event = BookingEvent.objects.filter(booking=booking).order_by("-id").first()
        assert (event.action, event.actor_user_id) == (Action.CONFIRM, tenant_a.user.pk)
    html = response.content.decode()
    assert "3 done, 0 refused." in html
    assert [code for code, _text in rows_of(html)] == codes
    assert all("Done" in text and "Awaiting payment" in text for _code, text in rows_of(html))


def test_a_mix_reports_each_refusal_and_changes_nothing_of_the_refused(
    tenant_a, requests_a, confirmed_a, foreign
):
    first, second, _ = requests_a
    before = snapshot(confirmed_a, foreign)
    codes = [first.code, confirmed_a.code, foreign.code, "SDNOSUCH22", second.code]
    response = tenant_a.client.post(BULK, {"action": "confirm", "code": codes})
    assert response.status_code == 200

    assert (status_of(first), status_of(second)) == (S.AWAITING_PAYMENT, S.AWAITING_PAYMENT)
    assert snapshot(confirmed_a, foreign) == before
    assert status_of(foreign) == S.PENDING_CONFIRMATION

    html = response.content.decode()
    assert "2 done, 3 refused." in html
    rows = dict(rows_of(html))
    assert list(rows) == codes
    assert "invalid_transition" in rows[confirmed_a.code]
    assert "This cannot be done to a booking that is “Awaiting payment”." in html
    assert "not_found" in rows[foreign.code] and "No such booking." in rows[foreign.code]
    assert "not_found" in rows["SDNOSUCH22"]
    # Nothing of B's booking is shown: only the code A typed, no status, no link.
    assert f'href="{reverse("web:booking", args=[foreign.code])}"' not in html
    assert "Awaiting confirmation" not in rows[foreign.code]


def test_cancel_needs_a_type_and_a_reason(tenant_a, confirmed_a):
    before = snapshot(confirmed_a)
    response = tenant_a.client.post(
        BULK, {"action": "cancel", "code": [confirmed_a.code], "type": "wrong_dates"}
    )
    assert response.status_code == 400
    assert "Give the guest a reason for the cancellation." in response.content.decode()
    assert response.context["form"].errors["reason"]
    response = tenant_a.client.post(
        BULK, {"action": "cancel", "code": [confirmed_a.code], "reason": "Flood"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["type"] == ["Choose a cancellation type."]
    response = tenant_a.client.post(
        BULK,
        {"action": "cancel", "code": [confirmed_a.code], "type": "meteor", "reason": "Flood"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["type"]
    assert snapshot(confirmed_a) == before
    # The form comes back with the ticked codes, to correct and run again.
    html = response.content.decode()
    assert f'<input type="hidden" name="code" value="{confirmed_a.code}"' in html


def test_cancel_with_type_and_reason(tenant_a, confirmed_a, requests_a):
    codes = [confirmed_a.code, requests_a[0].code]
    response = tenant_a.client.post(
        BULK,
        {"action": "cancel", "code": codes, "type": "overbooking", "reason": "Roof repairs"},
    )
    assert response.status_code == 200
    booking = Booking.objects.get(pk=confirmed_a.pk)
    assert booking.status == S.CANCELLED_BY_PROVIDER
    assert (booking.cancellation_type, booking.cancellation_reason) == (
        "overbooking",
        "Roof repairs",
    )
    # A pending request is rejected, not cancelled: refused with the state machine's reason.
    assert status_of(requests_a[0]) == S.PENDING_CONFIRMATION
    assert "1 done, 1 refused." in response.content.decode()


def test_reject(tenant_a, requests_a):
    response = tenant_a.client.post(
        BULK, {"action": "reject", "code": [requests_a[1].code], "reason": "Closed for winter"}
    )
    assert response.status_code == 200
    assert status_of(requests_a[1]) == S.REJECTED_BY_PROVIDER
    event = BookingEvent.objects.filter(booking=requests_a[1]).order_by("-id").first()
    assert (event.action, event.reason) == (Action.REJECT, "Closed for winter")
    assert [status_of(b) for b in (requests_a[0], requests_a[2])] == [S.PENDING_CONFIRMATION] * 2


def test_csrf_is_required(tenant_a, requests_a):
    client = tenant_a.csrf_client()
    before = snapshot(*requests_a)
    codes = [b.code for b in requests_a]
    assert client.post(BULK, {"action": "confirm", "code": codes}).status_code == 403
    assert snapshot(*requests_a) == before
    # The control: with the token the grid's form carries, it runs.
    html = client.get(reverse("web:grid")).content.decode()
    token = re.search(
        r'id="bulk-form">\s*<input type="hidden" name="csrfmiddlewaretoken" '
        r'value="([^"]+)"',
        html,
    ).group(1)
    response = client.post(BULK, {"action": "confirm", "code": codes, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert [status_of(b) for b in requests_a] == [S.AWAITING_PAYMENT] * 3


def test_nothing_ticked_or_an_unknown_action_is_a_form_error(tenant_a, requests_a):
    response = tenant_a.client.post(BULK, {"action": "confirm"})
    assert response.status_code == 400
    assert "Select at least one booking." in response.content.decode()
    response = tenant_a.client.post(BULK, {"action": "check-in", "code": [requests_a[0].code]})
    assert response.status_code == 400
    assert response.context["form"].errors["action"]
    assert status_of(requests_a[0]) == S.PENDING_CONFIRMATION


def test_get_is_not_allowed_and_anonymous_visitors_sign_in(tenant_a, requests_a):
    from django.test import Client

    assert tenant_a.client.get(BULK).status_code == 405
    response = Client().post(BULK, {"action": "confirm", "code": [requests_a[0].code]})
    assert response.status_code == 302
    assert status_of(requests_a[0]) == S.PENDING_CONFIRMATION


def test_htmx_gets_the_result_fragment_and_a_way_back(tenant_a, requests_a):
    response = tenant_a.client.post(
        BULK,
        {"action": "confirm", "code": [requests_a[0].code], "return_query": "kind=rooms&page=2"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "1 done, 0 refused." in html
    assert 'hx-get="/bookings/?kind=rooms&amp;page=2"' in html
    # A refused request over htmx is still swapped in (200) with the form to correct.
    response = tenant_a.client.post(
        BULK, {"action": "cancel", "code": [requests_a[1].code]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Nothing was done." in response.content.decode()


def test_the_way_back_cannot_leave_the_site(tenant_a, requests_a):
    response = tenant_a.client.post(
        BULK,
        {
            "action": "confirm",
            "code": [requests_a[0].code],
            "return_query": "x=1#//evil.example/",
        },
    )
    assert response.context["back_url"].startswith("/bookings/?")
    assert "#" not in response.context["back_url"]


# --- The service --------------------------------------------------------------------------


def test_service_results_in_order_one_per_code(tenant_a, requests_a, confirmed_a, foreign):
    scope = Scope(organization_id=tenant_a.organization.pk)
    results = bookings_bulk(
        scope=scope,
        codes=[f" {requests_a[0].code} ", requests_a[0].code, confirmed_a.code, foreign.code],
        name="confirm",
        actor=tenant_a.actor,
    )
    assert results == [
        BulkResult(requests_a[0].code, True, S.AWAITING_PAYMENT),
        BulkResult(
            confirmed_a.code,
            False,
            S.AWAITING_PAYMENT,
            "invalid_transition",
            "This cannot be done to a booking that is “Awaiting payment”.",
        ),
        BulkResult(foreign.code, False, "", "not_found", "No such booking."),
    ]


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"name": "check-in"}, "unknown_action", "action"),
        ({"name": "confirm", "codes": []}, "no_codes", "codes"),
        ({"name": "confirm", "codes": ["", "  "]}, "no_codes", "codes"),
        (
            {"name": "confirm", "codes": [f"SD{i:08d}" for i in range(501)]},
            "too_many_codes",
            "codes",
        ),
        ({"name": "cancel", "reason": "x"}, "invalid_cancellation_type", "type"),
        (
            {"name": "cancel", "cancellation_type": "other", "reason": "  "},
            "reason_required",
            "reason",
        ),
        ({"name": "reject", "reason": "x" * 2001}, "reason_too_long", "reason"),
    ],
)
def test_service_refuses_a_request_that_cannot_run_before_touching_anything(
    tenant_a, requests_a, kwargs, code, field
):
    before = snapshot(*requests_a)
    kwargs = {"codes": [b.code for b in requests_a], **kwargs}
    with pytest.raises(InvalidInput) as refused:
        bookings_bulk(
            scope=Scope(organization_id=tenant_a.organization.pk), actor=tenant_a.actor, **kwargs
        )
    assert (refused.value.code, refused.value.field) == (code, field)
    assert snapshot(*requests_a) == before


def test_500_codes_are_allowed_and_absurd_ones_are_not_found(tenant_a, requests_a):
    codes = [requests_a[0].code, "X" * 5000, *[f"SD{i:08d}" for i in range(498)]]
    results = bookings_bulk(
        scope=Scope(organization_id=tenant_a.organization.pk),
        codes=codes,
        name="confirm",
        actor=tenant_a.actor,
    )
    assert len(results) == 500
    assert results[0].ok
    assert {r.code_of_error for r in results[1:]} == {"not_found"}
