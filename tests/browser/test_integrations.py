"""Webhooks, notifications and calendar feeds in a real browser: what a provider sets up in
the extranet works end to end (a signed ping reaches a real receiver, a feed parses)."""

import datetime as dt
import re

import pytest
from icalendar import Calendar

from staydesk.bookings.dispatch import event_dispatch
from staydesk.bookings.models import Booking
from staydesk.bookings.states import HOLDING
from staydesk.core import clock
from staydesk.notifications.models import Notification
from staydesk.notifications.services import notification_send
from tests.browser import flows
from tests.browser.conftest import assert_accessible, screenshot
from tests.webhooks.conftest import Receiver, run_deliveries


@pytest.fixture
def receiver(httpserver, settings) -> Receiver:
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    recv = Receiver(server=httpserver)
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(recv.handle)
    return recv


def test_a_provider_adds_a_webhook_and_its_signed_ping_arrives(signed_in, live_server, receiver):
    page = signed_in
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("URL of your receiver").fill(receiver.url)
    page.get_by_role("checkbox", name=re.compile(r"booking\.created —")).check()
    page.get_by_role("checkbox", name=re.compile(r"booking\.status_changed —")).check()
    page.get_by_label("Description").fill("Channel manager")
    page.get_by_role("button", name="Add endpoint").click()

    page.get_by_text("Show the signing secret").click()
    secret = page.locator("[data-secret-value]").inner_text().strip()
    assert secret.startswith("whsec_")
    receiver.secrets.append(secret)
    page.get_by_role("button", name="Send a test ping").click()
    assert run_deliveries() == ["sent"]  # what the worker does after commit

    page.reload()
    assert [r.type for r in receiver.received] == ["ping"]
    assert receiver.verified_with == [[secret]]  # the standardwebhooks library verified it
    assert page.get_by_text(receiver.received[0].id).count() >= 1  # the delivery log shows it
    assert_accessible(page)
    screenshot(page, "webhook")


def test_a_private_address_is_refused_with_a_form_error(signed_in):
    page = signed_in
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("URL of your receiver").fill("http://169.254.169.254/latest/meta-data")
    page.get_by_role("checkbox", name=re.compile(r"booking\.created —")).check()
    page.get_by_role("button", name="Add endpoint").click()
    assert page.get_by_text("non-public addresses").count() == 1
    assert page.locator("[data-field=url]").count() == 0  # no endpoint was made


def test_the_booking_page_lists_its_notifications(signed_in, live_server):
    booking = flows.room_request(last_name="Notified")
    event_dispatch(booking.events.get().pk)  # the fan-out the worker runs after commit
    for pk in Notification.objects.filter(booking=booking).values_list("pk", flat=True):
        assert notification_send(notification_id=pk) == "sent"

    page = signed_in
    page.goto(f"{live_server.url}/bookings/{booking.code}/")
    panel = page.locator("[data-section=notifications]")
    assert panel.locator("[data-channel=email][data-status=sent]").count() >= 2  # desk, guest
    assert panel.locator("[data-channel=sms][data-status=sent]").count() == 1  # the desk
    assert_accessible(page)


def test_a_calendar_feed_copied_from_the_page_parses(signed_in, live_server):
    page = signed_in
    page.get_by_role("link", name="Calendars").click()
    url = page.locator(f"#feed-p{flows.hotel().pk}").input_value()
    assert_accessible(page)

    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    stays = {(e.decoded("DTSTART"), e.decoded("DTEND")) for e in calendar.walk("VEVENT")}
    today = clock.local_date(flows.hotel().timezone)
    holding = Booking.objects.filter(
        property=flows.hotel(),
        status__in=HOLDING,
        departure__gt=today - dt.timedelta(days=30),
        arrival__lt=today + dt.timedelta(days=730),
    )
    assert stays == set(holding.values_list("arrival", "departure"))
    assert stays, "the demo hotel has occupied dates"
