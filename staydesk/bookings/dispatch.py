"""One audit event drives the rest (DESIGN §4): after commit it becomes notifications and
webhook deliveries. ``event_record`` queues ``dispatch_event`` in the event's own transaction,
an outbox: the task exists exactly when the event does."""

import copy

from staydesk.bookings.models import Booking, BookingEvent
from staydesk.core.fanout import fan_out_all


def booking_as_left_by(event: BookingEvent, booking: Booking) -> Booking:
    """A copy of ``booking`` with the status ``event`` left it in, for what the fan-outs send:
    a fan-out that runs late (the worker was down) must not describe a new booking as "paid"
    or "no-show". The copy is never saved (the frozen-columns trigger would refuse it anyway).
    """
    as_left = copy.copy(booking)
    as_left.status = event.to_status
    return as_left


def event_dispatch_queue(event: BookingEvent) -> None:
    from staydesk.bookings import tasks  # the tasks module imports the services

    tasks.dispatch_event.enqueue(event.pk)


def event_dispatch(event_id: int) -> None:
    from staydesk.notifications.fanout import notifications_for_event
    from staydesk.webhooks.fanout import webhooks_for_event

    event = (
        BookingEvent.objects.filter(pk=event_id)
        .select_related("booking__property__organization", "booking__agency")
        .first()
    )
    if event is None:
        return
    fan_out_all(event, notifications_for_event, webhooks_for_event)
