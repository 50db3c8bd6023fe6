from decimal import Decimal

from staydesk.bookings.states import Status
from tests.factories import book_room, room_offer


def test_request_to_book_creates_pending_booking_with_frozen_total(db, clock):
    offer = room_offer(price="100.00", prepayment_percent="50")
    booking = book_room(offer, nights=3)
    assert booking.status == Status.PENDING_CONFIRMATION
    assert booking.total == Decimal("300.00")
    assert booking.min_prepayment == Decimal("150.00")
    assert booking.events.get().action == "create"
