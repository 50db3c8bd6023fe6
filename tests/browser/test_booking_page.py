"""The booking page in a real browser: actions from the menu, confirmations, the history."""

from staydesk.bookings.models import Booking
from staydesk.core.demo import DEMO_PASSWORD
from tests.browser import flows
from tests.browser.conftest import assert_accessible, screenshot


def _open(page, live_server, booking):
    page.goto(f"{live_server.url}/bookings/{booking.code}/")
    page.get_by_role("heading", name=booking.code, exact=False).first.wait_for()


def _menu(page, name: str):
    page.locator("details.actions-menu > summary").click()
    return page.locator(f'[data-action="{name}"]').first


def test_cancel_with_type_and_reason_after_a_confirmation(signed_in, live_server):
    page = signed_in
    booking = flows.paid_room(last_name="Zielińska")
    _open(page, live_server, booking)
    assert_accessible(page)
    screenshot(page, "booking")
    _menu(page, "cancel").click()
    page.wait_for_url(f"**/bookings/{booking.code}/cancel/")
    page.get_by_role("button", name="Cancel booking").click()  # without type and reason
    assert page.get_by_role("alert").first.is_visible()
    assert Booking.objects.get(pk=booking.pk).status == "paid"
    page.get_by_label("Cancellation type").select_option("wrong_dates")
    page.get_by_label("Reason").fill("The guest booked the wrong weekend.")
    page.get_by_role("button", name="Cancel booking").click()
    page.wait_for_url(f"**/bookings/{booking.code}/")
    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.status, stored.cancellation_type) == ("cancelled_by_provider", "wrong_dates")
    assert stored.cancellation_reason == "The guest booked the wrong weekend."
    assert page.locator("[data-status]").first.get_attribute("data-status") == (
        "cancelled_by_provider"
    )


def test_mark_required_action_done(page, live_server, demo):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("nordic")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    booking = flows.paid_package(last_name="Jónsson")
    _open(page, live_server, booking)
    _menu(page, "required-action").click()
    page.wait_for_url(f"**/bookings/{booking.code}/")
    stored = Booking.objects.get(pk=booking.pk)
    assert stored.required_action_done_at is not None
    assert stored.events.filter(action="required_action_done").count() == 1


def test_confirm_check_in_on_the_arrival_day(signed_in, live_server):
    page = signed_in
    booking = flows.paid_room(last_name="Check", arrival_in_days=0)
    _open(page, live_server, booking)
    _menu(page, "check-in").click()
    page.wait_for_url(f"**/bookings/{booking.code}/")
    stored = Booking.objects.get(pk=booking.pk)
    assert stored.status == "completed"
    assert stored.ledger_entries.filter(kind="payout").exists()
