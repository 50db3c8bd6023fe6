"""Which webhook endpoints get which event."""

from staydesk.bookings.models import BookingEvent
from staydesk.messaging.models import Message


def webhooks_for_event(event: BookingEvent) -> None:
    """Create a delivery per subscribed endpoint for ``event`` (idempotent) and queue them."""


def webhooks_for_message(message: Message) -> None:
    """``message.created`` for the booking's organization and agency endpoints (idempotent)."""
