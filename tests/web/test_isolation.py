"""Tenant isolation (SPEC §1): a provider of organization A gets 404 for every page and action
URL of organization B's bookings, and B's bookings stay exactly as they were."""

import pytest
from django.urls import reverse

from staydesk.bookings.actors import Actor
from staydesk.bookings.services.perform import ACTION_NAMES, allowed_action_names
from staydesk.bookings.states import Status
from tests.factories import advance_to, arrival_morning
from tests.web.booking_fixtures import booking_of, member, signed_in, snapshot

S = Status


@pytest.fixture
def provider_a(db):
    return member()


@pytest.fixture
def provider_b(db):
    return member()


@pytest.fixture
def client_a(provider_a):
    return signed_in(provider_a)


@pytest.fixture
def bookings_b(provider_b, clock):
    """B's bookings in statuses where every action name is allowed to B itself."""
    paid = booking_of(provider_b, S.PAID, frozen=clock, kind="package", arrival_in_days=3)
    advance_to(clock, arrival_morning(paid))  # check-in and no-show allowed now
    pending = booking_of(provider_b, S.PENDING_CONFIRMATION, frozen=clock, arrival_in_days=3)
    return [pending, paid]


def all_urls(booking) -> list[tuple[str, str]]:
    urls = [("get", reverse("web:booking", args=[booking.code]))]
    for name in sorted(ACTION_NAMES):
        url = reverse("web:booking_action", args=[booking.code, name])
        urls += [("get", url), ("post", url)]
    return urls


def test_every_page_and_action_of_another_organizations_booking_is_404(
    client_a, bookings_b, provider_b
):

    offered = set()
    for booking in bookings_b:
        offered |= set(allowed_action_names(booking=booking, actor=Actor.provider(provider_b)))
    assert offered == set(ACTION_NAMES), "B's bookings must allow every action to B"

    before = [snapshot(b) for b in bookings_b]
    for booking in bookings_b:
        for method, url in all_urls(booking):
            data = {"type": "wrong_dates", "reason": "Not yours", "csrfmiddlewaretoken": "x"}
            response = getattr(client_a, method)(url, data if method == "post" else None)
            assert response.status_code == 404, (method, url, response.status_code)
            assert booking.code not in response.content.decode()
    assert [snapshot(b) for b in bookings_b] == before


def test_the_same_urls_work_for_the_owner(bookings_b, provider_b):
    """The control: the URLs above are real (else the 404s would prove nothing)."""
    client_b = signed_in(provider_b)
    for booking in bookings_b:
        for method, url in all_urls(booking):
            if method == "get":
                assert client_b.get(url).status_code == 200, url


def test_a_and_b_pages_differ_only_by_organization(client_a, provider_a, bookings_b, clock):
    own = booking_of(provider_a, S.PENDING_CONFIRMATION, frozen=clock, arrival_in_days=30)
    assert client_a.get(reverse("web:booking", args=[own.code])).status_code == 200
    assert client_a.get(reverse("web:booking", args=[bookings_b[0].code])).status_code == 404


def test_export_has_no_row_of_another_organization(client_a, provider_a, bookings_b, clock):
    own = booking_of(provider_a, S.PENDING_CONFIRMATION, frozen=clock, arrival_in_days=30)
    url = reverse("web:export")
    response = client_a.get(url, {"code": bookings_b[0].code})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    for booking in bookings_b:
        assert booking.code not in text
        assert booking.guest_email not in text or booking.guest_email == own.guest_email

    # The whole export, unfiltered, has A's booking and none of B's.
    response = client_a.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert own.code in text
    for booking in bookings_b:
        assert booking.code not in text


def _body(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


def test_export_of_ticked_rows_has_no_row_of_another_organization(
    client_a, provider_a, bookings_b, clock
):
    own = booking_of(provider_a, S.PENDING_CONFIRMATION, frozen=clock, arrival_in_days=30)
    codes = [own.code, *(b.code for b in bookings_b)]
    url = reverse("web:export")
    for response in (client_a.post(url, {"code": codes}), client_a.get(url, {"code": codes})):
        assert response.status_code == 200
        text = _body(response)
        assert own.code in text
        for booking in bookings_b:
            assert booking.code not in text


@pytest.mark.parametrize("action", ["confirm", "reject", "cancel"])
def test_bulk_actions_never_touch_another_organizations_booking(client_a, bookings_b, action):
    before = [snapshot(b) for b in bookings_b]
    response = client_a.post(
        reverse("web:bulk"),
        {
            "action": action,
            "code": [b.code for b in bookings_b],
            "type": "wrong_dates",
            "reason": "Not yours",
        },
    )
    assert response.status_code < 500
    assert [snapshot(b) for b in bookings_b] == before
