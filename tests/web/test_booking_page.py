"""The provider's booking page: what it shows, and every action through its Actions menu."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staydesk.accounts.services import profile_set_language
from staydesk.bookings.actors import Actor
from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import booking_create, booking_resend_confirmation
from staydesk.bookings.services.perform import ACTION_NAMES, allowed_action_names
from staydesk.bookings.states import Action, Status
from staydesk.payments.services import payment_record
from tests.factories import AgencyFactory, advance_to, arrival_morning, guest, room_offer
from tests.web.booking_fixtures import (
    amount,
    booking_of,
    member,
    offered_actions,
    section,
    signed_in,
    snapshot,
)

S = Status


@pytest.fixture
def owner(db):
    return member()


@pytest.fixture
def client(owner):
    return signed_in(owner)


def page_url(booking: Booking) -> str:
    return reverse("web:booking", args=[booking.code])


def action_url(booking: Booking, name: str) -> str:
    return reverse("web:booking_action", args=[booking.code, name])


def page(client, booking: Booking) -> str:
    response = client.get(page_url(booking))
    assert response.status_code == 200
    return response.content.decode()


def reload(booking: Booking) -> Booking:
    return Booking.objects.get(pk=booking.pk)


def events(booking: Booking, action: Action) -> list[BookingEvent]:
    return list(BookingEvent.objects.filter(booking=booking, action=action))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- what the page shows ------------------------------------------------------------------


def test_page_shows_everything_needed_to_welcome_the_guest(client, owner, clock):
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    html = page(client, booking)

    for text in (
        "Anna Nowak",
        "anna.nowak@example.com",
        "+48601234567",
        "Polish",
        "2 adults",
        "0 children",
        booking.code,
        booking.property.name,
        booking.offer_name,
        booking.rate_plan_name,
        "Awaiting confirmation",
    ):
        assert text in html, text
    # Arrival and departure with the property's check-in and check-out times, and the nights.
    assert "Dec. 4, 2026, check-in from 2 p.m." in html
    assert "Dec. 6, 2026, check-out until 11 a.m." in html
    assert 'data-field="nights">2<' in html
    # Deadlines in the property's timezone: booked at 11:00 UTC = noon in Warsaw, 24 h to answer.
    assert re.search(r'data-field="confirm_by">Nov\. 25, 2026, noon<', html)
    assert "Europe/Warsaw" in html


def test_page_shows_the_agency_that_booked(client, owner, clock):
    agency = AgencyFactory(name="Nordic Trips")
    offer = room_offer(organization=owner.memberships.get().organization)
    booking = booking_create(
        property=offer.property,
        room_type=offer.room_type,
        rate_plan=offer.rate_plan,
        arrival=dt.date(2026, 11, 30),
        departure=dt.date(2026, 12, 2),
        adults=2,
        guest=guest(),
        actor=Actor.for_agency(agency),
        agency=agency,
    )
    assert "Nordic Trips" in page(client, booking)


def test_page_shows_the_frozen_rules(client, owner, clock):
    booking = booking_of(owner, S.AWAITING_PAYMENT, frozen=clock, provider_may_cancel=False)
    # The price constructor changes later: the booking keeps what it was sold under.
    constructor = booking.property.price_constructor
    constructor.tiers.all().delete()
    constructor.prepayment_percent = 10
    constructor.save()
    html = page(client, booking)

    tiers = section(html, "tiers")
    assert "at least 30 days before arrival: 100 % refundable" in tiers
    assert "at least 7 days before arrival: 80 % refundable" in tiers
    assert "less than 7 days before arrival: not refundable" in tiers
    assert "50 % of the total" in html
    assert "48 hours after confirmation" in html
    assert "not allowed by the policy" in html
    # Nightly prices, one row per night.
    nights = re.findall(r"<td>(Dec\. \d+, 2026)</td><td class=\"num\">(PLN[\d.,]+)</td>", html)
    assert nights == [("Dec. 4, 2026", "PLN100.00"), ("Dec. 5, 2026", "PLN100.00")]


@pytest.mark.parametrize(
    ("status", "kind", "on_arrival_day", "expected"),
    [
        (S.PENDING_CONFIRMATION, "room", False, {"confirm", "reject"}),
        (S.AWAITING_PAYMENT, "room", False, {"cancel", "resend-confirmation"}),
        (S.PAID, "room", False, {"cancel", "resend-confirmation"}),
        (S.PAID, "package", False, {"cancel", "resend-confirmation", "required-action"}),
        (S.PAID, "room", True, {"cancel", "check-in", "no-show", "resend-confirmation"}),
        (S.CONFIRMED, "room", True, {"cancel", "check-in", "no-show", "resend-confirmation"}),
        (S.COMPLETED, "room", False, set()),
        (S.COMPLETED, "package", False, {"required-action"}),
        (S.REJECTED_BY_PROVIDER, "room", False, set()),
        (S.CANCELLED_BY_GUEST, "room", False, set()),
    ],
)
def test_actions_menu_offers_exactly_the_allowed_actions(
    client, owner, clock, status, kind, on_arrival_day, expected
):
    booking = booking_of(owner, status, frozen=clock, kind=kind)
    if on_arrival_day:
        advance_to(clock, arrival_morning(booking))
    html = page(client, booking)

    assert offered_actions(html) == expected
    assert expected == set(allowed_action_names(booking=booking, actor=Actor.provider(owner)))
    if not expected:
        assert "No action is possible on this booking now." in html


def test_destructive_actions_are_links_to_a_confirmation_others_are_post_buttons(
    client, owner, clock
):
    booking = booking_of(owner, S.PAID, frozen=clock)
    advance_to(clock, arrival_morning(booking))
    menu = section(page(client, booking), "actions")

    for name in ("cancel", "no-show"):
        assert re.search(rf'<a [^>]*href="{action_url(booking, name)}"[^>]*data-action', menu)
    for name in ("check-in", "resend-confirmation"):
        assert re.search(rf'<form method="post" action="{action_url(booking, name)}">', menu)


@pytest.mark.parametrize(
    ("status", "total", "minimum", "paid", "refund"),
    [
        # 200 total, 50 % minimum. Ten days before arrival the 80 % tier applies: penalty 40.
        (S.PENDING_CONFIRMATION, "PLN200.00", "PLN100.00", "PLN0.00", "PLN0.00"),
        (S.AWAITING_PAYMENT, "PLN200.00", "PLN100.00", "PLN0.00", "PLN0.00"),
        # paid 100 - penalty 40 = 60, less the 5 % transfer fee 3 = 57
        (S.PARTIALLY_PAID, "PLN200.00", "PLN100.00", "PLN100.00", "PLN57.00"),
        # paid 200 - penalty 40 = 160, less 8 = 152
        (S.PAID, "PLN200.00", "PLN100.00", "PLN200.00", "PLN152.00"),
    ],
)
def test_page_shows_the_amounts_and_the_refund_now(
    client, owner, clock, status, total, minimum, paid, refund
):
    booking = booking_of(owner, status, frozen=clock)
    html = page(client, booking)

    assert amount(html, "total") == total
    assert amount(html, "min_prepayment") == minimum
    assert amount(html, "paid") == paid
    assert amount(html, "refund") == refund


def test_refund_breakdown_follows_the_seed_example(client, owner, clock):
    """SPEC §4: total 1000, prepaid 500, 80 % refundable → penalty 200, 300, fee 15, 285."""
    booking = booking_of(owner, S.AWAITING_PAYMENT, frozen=clock, price="500.00")
    payment_record(booking=booking, amount="500", actor=Actor.guest(), reference="card-1")
    html = page(client, booking)

    assert amount(html, "total") == "PLN1,000.00"
    assert amount(html, "paid") == "PLN500.00"
    assert amount(html, "penalty") == "PLN200.00"
    assert amount(html, "refund_before_fee") == "PLN300.00"
    assert amount(html, "transfer_fee") == "PLN15.00"
    assert amount(html, "refund") == "PLN285.00"


def test_refund_on_the_arrival_day_is_nothing_and_after_check_in_not_offered(client, owner, clock):
    booking = booking_of(owner, S.PAID, frozen=clock)
    advance_to(clock, arrival_morning(booking))
    assert amount(page(client, booking), "refund") == "PLN0.00"

    completed = booking_of(owner, S.COMPLETED, frozen=clock)
    # The clock moved past the session's age: sign in again.
    refund = section(page(signed_in(owner), completed), "refund")
    assert "The guest cannot cancel now" in refund
    assert "data-amount" not in refund[:300]


def test_amounts_are_formatted_for_the_users_language(client, owner, clock):

    booking = booking_of(owner, S.PAID, frozen=clock)
    profile_set_language(user=owner, language="pl")
    html = page(client, booking)
    assert amount(html, "paid") == "200,00\xa0zł"


def test_history_payments_and_voucher_link(client, owner, clock):
    booking = booking_of(owner, S.PAID, frozen=clock)
    html = page(client, booking)

    history = section(html, "history")
    assert "Confirmed by provider" in history
    assert "Awaiting confirmation → Awaiting payment" in history
    assert owner.get_username() in history
    payments = html[html.find('data-section="payments"') :]
    assert "Payment from guest" in payments
    assert "PLN200.00" in payments
    assert "build-rest" in payments
    voucher = reverse("web:voucher", args=[guest_token(booking)])
    assert f'href="http://testserver{voucher}"' in html


def test_no_voucher_link_before_payment(client, owner, clock):
    booking = booking_of(owner, S.AWAITING_PAYMENT, frozen=clock)
    html = page(client, booking)
    assert 'data-link="voucher"' not in html
    assert guest_token(booking) not in html


def test_required_action_box_is_red_until_done_then_says_who_and_when(client, owner, clock):
    owner.first_name, owner.last_name = "Jan", "Kowalski"
    owner.save()
    booking = booking_of(owner, S.PAID, frozen=clock, kind="package")
    box = section(page(client, booking), "required-action")
    assert 'data-done="no"' in box[:50]
    assert '<section class="required-action"' in page(client, booking)
    assert "Sign the travel contract." in box

    response = client.post(action_url(booking, "required-action"))
    assert response.status_code == 302
    html = page(client, booking)
    box = section(html, "required-action")
    assert 'data-done="yes"' in box[:50]
    assert 'class="required-action done"' in html
    assert "Done by Jan Kowalski at Nov. 24, 2026, noon<" in box


def test_required_action_of_an_ended_booking_is_not_shown_as_to_do(client, owner, clock):
    booking = booking_of(owner, S.CANCELLED_BY_PROVIDER, frozen=clock, kind="package")
    html = page(client, booking)
    assert 'data-done="closed"' in section(html, "required-action")[:50]
    assert '<section class="required-action"' not in html
    assert "Required action: not needed any more" in html


def test_page_queries_do_not_grow_with_history_or_payments(client, owner, clock):
    booking = booking_of(owner, S.PAID, frozen=clock)
    page(client, booking)
    with CaptureQueriesContext(connection) as few:
        page(client, booking)
    for _ in range(5):
        booking_resend_confirmation(booking=booking, actor=Actor.provider(owner))
    with CaptureQueriesContext(connection) as many:
        html = page(client, booking)
    assert html.count('data-event="resend_confirmation"') == 5
    assert len(many) == len(few) <= 10


def test_unknown_booking_is_404(client):
    assert client.get(reverse("web:booking", args=["SDNOPE2345"])).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(clock, owner):
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    for url in (page_url(booking), action_url(booking, "confirm")):
        response = Client().post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))
    assert reload(booking).status == S.PENDING_CONFIRMATION


# --- each action through the page -----------------------------------------------------------


def test_confirm(client, owner, clock):
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    response = client.post(action_url(booking, "confirm"), follow=True)

    assert response.redirect_chain == [(page_url(booking), 302)]
    assert "The booking is confirmed." in messages_of(response)
    assert reload(booking).status == S.AWAITING_PAYMENT
    [event] = events(booking, Action.CONFIRM)
    assert (event.from_status, event.to_status, event.actor_user) == (
        S.PENDING_CONFIRMATION,
        S.AWAITING_PAYMENT,
        owner,
    )


def test_reject_asks_first_then_rejects_with_the_reason(client, owner, clock):
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    before = snapshot(booking)
    confirmation = client.get(action_url(booking, "reject"))
    assert confirmation.status_code == 200
    assert "Reject this booking request?" in confirmation.content.decode()
    assert snapshot(booking) == before

    response = client.post(action_url(booking, "reject"), {"reason": "Fully booked"}, follow=True)
    assert "The booking request is rejected." in messages_of(response)
    assert reload(booking).status == S.REJECTED_BY_PROVIDER
    [event] = events(booking, Action.REJECT)
    assert event.reason == "Fully booked"
    assert "Fully booked" in section(response.content.decode(), "history")


def test_cancel_with_type_and_reason(client, owner, clock):
    booking = booking_of(owner, S.PAID, frozen=clock)
    form = client.get(action_url(booking, "cancel")).content.decode()
    assert '<option value="wrong_dates">Wrong dates</option>' in form
    assert 'name="reason"' in form

    response = client.post(
        action_url(booking, "cancel"),
        {"type": "wrong_dates", "reason": "The guest asked for other dates"},
        follow=True,
    )
    assert "The booking is cancelled." in messages_of(response)
    booking = reload(booking)
    assert booking.status == S.CANCELLED_BY_PROVIDER
    assert (booking.cancellation_type, booking.cancellation_reason) == (
        "wrong_dates",
        "The guest asked for other dates",
    )
    [event] = events(booking, Action.CANCEL_BY_PROVIDER)
    assert event.reason == "The guest asked for other dates"
    assert event.data["refund"] == "200.00"  # the provider cancels: everything paid goes back
    html = response.content.decode()
    assert "Wrong dates: The guest asked for other dates" in html
    assert "Refund to guest" in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"type": "wrong_dates", "reason": ""}, "Give a reason for the cancellation."),
        ({"type": "wrong_dates", "reason": "   "}, "Give a reason for the cancellation."),
        ({"type": "", "reason": "Overbooked"}, "Choose a cancellation type."),
        ({"type": "no_such_type", "reason": "Overbooked"}, "Select a valid choice."),
    ],
)
def test_cancel_without_a_reason_or_type_is_a_form_error(client, owner, clock, data, error):
    booking = booking_of(owner, S.PAID, frozen=clock)
    before = snapshot(booking)
    response = client.post(action_url(booking, "cancel"), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert response.context["form"].errors
    assert snapshot(booking) == before


def test_resend_confirmation_writes_the_event(client, owner, clock):
    booking = booking_of(owner, S.AWAITING_PAYMENT, frozen=clock)
    response = client.post(action_url(booking, "resend-confirmation"), follow=True)

    assert "The confirmation email will be sent again." in messages_of(response)
    assert reload(booking).status == S.AWAITING_PAYMENT
    [event] = events(booking, Action.RESEND_CONFIRMATION)
    assert event.actor_user == owner


def test_required_action_done(client, owner, clock):
    booking = booking_of(owner, S.PARTIALLY_PAID, frozen=clock, kind="package")
    response = client.post(action_url(booking, "required-action"), follow=True)

    assert "The required action is marked done." in messages_of(response)
    booking = reload(booking)
    assert booking.status == S.PARTIALLY_PAID
    assert booking.required_action_done_at == clock.now
    assert booking.required_action_done_by == owner
    assert len(events(booking, Action.REQUIRED_ACTION_DONE)) == 1
    assert "required-action" not in offered_actions(response.content.decode())


def test_check_in_on_the_arrival_day(client, owner, clock):
    booking = booking_of(owner, S.PAID, frozen=clock)
    advance_to(clock, arrival_morning(booking))
    response = client.post(action_url(booking, "check-in"), follow=True)

    assert "Check-in confirmed: the booking is completed." in messages_of(response)
    assert reload(booking).status == S.COMPLETED
    [event] = events(booking, Action.CHECK_IN)
    assert (event.from_status, event.to_status) == (S.PAID, S.COMPLETED)


def test_no_show_asks_first_then_marks(client, owner, clock):
    booking = booking_of(owner, S.PARTIALLY_PAID, frozen=clock)
    advance_to(clock, arrival_morning(booking))
    before = snapshot(booking)
    assert (
        "Mark the guest as a no-show?"
        in client.get(action_url(booking, "no-show")).content.decode()
    )
    assert snapshot(booking) == before

    response = client.post(action_url(booking, "no-show"), follow=True)
    assert "The booking is marked as a no-show." in messages_of(response)
    assert reload(booking).status == S.NO_SHOW
    assert len(events(booking, Action.NO_SHOW)) == 1


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "name", "reason"),
    [
        (
            S.AWAITING_PAYMENT,
            "confirm",
            "This cannot be done to a booking that is “Awaiting payment”.",
        ),
        (S.PAID, "check-in", "This can only be done on or after the arrival date."),
        (S.PAID, "no-show", "This can only be done on or after the arrival date."),
        (
            S.PENDING_CONFIRMATION,
            "cancel",
            "This cannot be done to a booking that is “Awaiting confirmation”.",
        ),
        (S.PAID, "required-action", "This booking has no required action."),
        (
            S.REJECTED_BY_PROVIDER,
            "reject",
            "This cannot be done to a booking that is “Rejected by provider”.",
        ),
    ],
)
def test_an_action_not_offered_now_is_refused_with_the_reason(
    client, owner, clock, status, name, reason
):
    booking = booking_of(owner, status, frozen=clock)
    before = snapshot(booking)
    data = {"type": "wrong_dates", "reason": "x"} if name == "cancel" else {}

    response = client.post(action_url(booking, name), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(page_url(booking), 302)]
    assert reason in messages_of(response)
    assert reason in response.content.decode()
    assert snapshot(booking) == before

    # Its confirmation page says the same and offers no button.
    shown = client.get(action_url(booking, name)).content.decode()
    assert "data-refused" in shown
    assert f'data-action="{name}"' not in shown
    assert snapshot(booking) == before


def test_provider_cancel_refused_by_the_policy(client, owner, clock):
    booking = booking_of(owner, S.PAID, frozen=clock, provider_may_cancel=False)
    before = snapshot(booking)
    assert "cancel" not in offered_actions(page(client, booking))
    response = client.post(
        action_url(booking, "cancel"), {"type": "overbooking", "reason": "x"}, follow=True
    )
    assert "The cancellation policy does not allow the provider to cancel." in messages_of(response)
    assert snapshot(booking) == before


def test_a_refusal_raised_by_the_service_itself_is_shown_not_a_500(
    client, owner, clock, monkeypatch
):
    """Between the page's check and the locked row, the deadline passes: shown as a message."""
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    monkeypatch.setattr("staydesk.web.views.booking.action_refusal", lambda **kw: None)
    advance_to(clock, booking.confirm_by)
    before = snapshot(booking)

    response = client.post(action_url(booking, "confirm"), follow=True)
    assert response.status_code == 200
    assert "The deadline has passed." in messages_of(response)
    assert snapshot(booking) == before


def test_unknown_action_is_404(client, owner, clock):
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    before = snapshot(booking)
    for name in ("delete", "pay", "expire", "cancel-by-guest", "CONFIRM"):
        assert name not in ACTION_NAMES
        assert client.get(action_url(booking, name)).status_code == 404
        assert client.post(action_url(booking, name)).status_code == 404
    assert snapshot(booking) == before


@pytest.mark.parametrize("name", sorted(ACTION_NAMES))
def test_get_of_an_action_url_changes_nothing(client, owner, clock, name):
    booking = booking_of(owner, S.PAID, frozen=clock, kind="package")
    advance_to(clock, arrival_morning(booking))
    before = snapshot(booking)
    response = client.get(action_url(booking, name))
    assert response.status_code == 200
    assert snapshot(booking) == before


def test_booking_page_refuses_post(client, owner, clock):
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    assert client.post(page_url(booking)).status_code == 405


def test_csrf_is_enforced(owner, clock):
    booking = booking_of(owner, S.PENDING_CONFIRMATION, frozen=clock)
    client = signed_in(owner, enforce_csrf=True)
    before = snapshot(booking)

    for name, data in (("confirm", {}), ("reject", {"reason": "x"})):
        assert client.post(action_url(booking, name), data).status_code == 403
    assert snapshot(booking) == before

    page(client, booking)  # sets the CSRF cookie, as a browser would have it
    token = client.cookies["csrftoken"].value
    response = client.post(action_url(booking, "confirm"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert reload(booking).status == S.AWAITING_PAYMENT
