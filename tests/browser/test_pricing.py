"""Resetting the price constructor in a real browser, behind its confirmation page."""

import re

from staydesk.bookings.models import Booking
from staydesk.catalog.models import RatePrice
from tests.browser import flows
from tests.browser.conftest import assert_accessible


def test_reset_the_price_constructor(signed_in, live_server):
    page = signed_in
    booking = flows.room_request(last_name="Before-Reset")
    total = booking.total
    hotel = flows.hotel()
    page.goto(f"{live_server.url}/pricing/{hotel.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Reset…").click()
    page.wait_for_url(re.compile(rf".*/pricing/{hotel.pk}/reset/confirm/.*"))
    assert RatePrice.objects.filter(rate_plan__property=hotel).exists()  # GET erased nothing
    page.get_by_role("button", name="Erase prices and settings").click()
    page.wait_for_url(re.compile(rf".*/pricing/{hotel.pk}/$"))
    assert not RatePrice.objects.filter(rate_plan__property=hotel).exists()
    assert Booking.objects.get(pk=booking.pk).total == total
