"""Provider and guest chat in two real browsers: each sees the other's message without
reloading (htmx polls the conversation every 5 s)."""

from django.urls import reverse

from staydesk.bookings.guest_links import guest_token
from tests.browser import flows

WAIT_MS = 15_000  # a poll every 5 s, with room to spare on a loaded machine


def test_provider_and_guest_see_each_others_messages_without_reloading(
    signed_in, live_server, browser
):
    provider = signed_in
    booking = flows.room_request(last_name="Chatova")
    provider.goto(f"{live_server.url}/bookings/{booking.code}/")

    guest_context = browser.new_context()
    guest = guest_context.new_page()  # the guest's page speaks the guest's Polish
    guest.goto(live_server.url + reverse("web:guest_chat", args=[guest_token(booking)]))

    provider.get_by_role("textbox", name="Message").fill(
        "Welcome! Check-in is from 14:00, room 214."
    )
    provider.get_by_role("button", name="Send").click()
    guest.locator('[data-sender="provider"]', has_text="room 214").wait_for(timeout=WAIT_MS)

    guest.get_by_role("textbox", name="Wiadomość").fill(
        "Thank you, we arrive around 16:30 with 2 children."
    )
    guest.get_by_role("button", name="Wyślij").click()
    provider.locator('[data-sender="guest"]', has_text="16:30").wait_for(timeout=WAIT_MS)

    # Before payment, contact details are refused and shown as a form error.
    guest.get_by_role("textbox", name="Wiadomość").fill("Write to me at anna.nowak@example.com")
    guest.get_by_role("button", name="Wyślij").click()
    guest.locator('[data-error="body"]').wait_for(timeout=WAIT_MS)
    assert "anna.nowak@example.com" in guest.locator('[data-error="body"]').inner_text()
    guest_context.close()
