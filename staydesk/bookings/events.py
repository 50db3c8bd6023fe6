"""Writing the audit trail: one ``BookingEvent`` per action, in the action's transaction."""

from typing import Any

from staydesk.bookings.actors import Actor
from staydesk.bookings.dispatch import event_dispatch_queue
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.states import Action, Status
from staydesk.core import clock
from staydesk.messaging.system_messages import system_message_for_event


def event_record(
    *,
    booking: Booking,
    action: Action,
    actor: Actor,
    from_status: Status | str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> BookingEvent:
    event = BookingEvent.objects.create(
        booking=booking,
        created_at=clock.now(),
        action=action,
        from_status=from_status,
        to_status=booking.status,
        actor_kind=actor.kind,
        actor_user=actor.user if getattr(actor.user, "pk", None) else None,
        actor_label=actor.label[:200],
        reason=reason,
        data=data or {},
    )
    system_message_for_event(event)  # the chat's line for a status change, same transaction
    event_dispatch_queue(event)  # notifications and webhooks, after commit
    return event
