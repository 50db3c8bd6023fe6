"""System messages in the chat, one per status change, taken from the audit events.

``event_record`` calls ``system_message_for_event`` in the action's transaction, so the chat
line exists exactly when the event does. The row stores no text: it is written from the event
when read, in the reader's language.
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.states import Status
from staydesk.messaging.models import Message, SenderKind


def changes_status(event: BookingEvent) -> bool:
    return event.from_status != event.to_status


def system_text(event: BookingEvent) -> str:
    to_label = Status(event.to_status).label
    if not event.from_status:
        return _("Booking created: %(to)s") % {"to": to_label}
    return _("Status changed: %(from)s → %(to)s") % {
        "from": Status(event.from_status).label,
        "to": to_label,
    }


def system_messages(*, booking: Booking) -> Iterator[tuple[BookingEvent, str]]:
    """The booking's status changes with their chat text, oldest first."""
    for event in BookingEvent.objects.filter(booking=booking).order_by("created_at", "id"):
        if changes_status(event):
            yield event, system_text(event)


def system_message_for_event(event: BookingEvent) -> Message | None:
    """The chat line of ``event`` if it changed the status (one per event: ``event`` is unique)."""
    if not changes_status(event):
        return None
    return Message.objects.create(
        booking_id=event.booking_id,
        sender_kind=SenderKind.SYSTEM,
        sender_label="Staydesk",
        event=event,
        created_at=event.created_at,
    )
