"""Who is told what, on which channel, for each audit event and chat message."""

from staydesk.bookings.models import BookingEvent
from staydesk.messaging.models import Message


def notifications_for_event(event: BookingEvent) -> None:
    """Create the notification rows ``event`` calls for (idempotent) and queue their sending."""


def notifications_for_message(message: Message) -> None:
    """Tell the other side of the chat about ``message`` (idempotent)."""
