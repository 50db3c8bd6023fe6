"""The webhook event types and which audit action fires which (SPEC §7).

``booking.status_changed`` fires for every event that sets a booking's status, including its
first status at creation (``from_status`` is null then): a receiver that mirrors statuses
needs only this one type. A payment that leaves the status as it was (less than the minimum
prepayment) is ``booking.paid`` only. Reminders and re-sent confirmations fire nothing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from staydesk.bookings.states import Action


class EventType(models.TextChoices):
    BOOKING_CREATED = "booking.created", _("A booking or request was made")
    BOOKING_STATUS_CHANGED = "booking.status_changed", _("A booking's status changed")
    BOOKING_CONFIRMED = "booking.confirmed", _("The provider confirmed a request")
    BOOKING_REJECTED = "booking.rejected", _("The provider rejected a request")
    BOOKING_EXPIRED = "booking.expired", _("A booking expired (not confirmed or not paid)")
    BOOKING_CANCELLED = "booking.cancelled", _("A booking was cancelled (by guest or provider)")
    BOOKING_PAID = "booking.paid", _("A payment was recorded")
    BOOKING_CHECKED_IN = "booking.checked_in", _("Check-in was confirmed")
    BOOKING_NO_SHOW = "booking.no_show", _("The guest did not arrive")
    REQUIRED_ACTION_COMPLETED = "required_action.completed", _("The required action was done")
    BOOKING_GUEST_UPDATED = "booking.guest_updated", _("The guest's details were corrected")
    MESSAGE_CREATED = "message.created", _("A chat message was written")
    PING = "ping", _("Test ping")


T = EventType

# The type of each audit action; ``booking.status_changed`` is added by the status itself.
ACTION_TYPES: dict[str, EventType] = {
    Action.CREATE: T.BOOKING_CREATED,
    Action.CONFIRM: T.BOOKING_CONFIRMED,
    Action.REJECT: T.BOOKING_REJECTED,
    Action.EXPIRE: T.BOOKING_EXPIRED,
    Action.PAY: T.BOOKING_PAID,
    Action.CANCEL_BY_GUEST: T.BOOKING_CANCELLED,
    Action.CANCEL_BY_PROVIDER: T.BOOKING_CANCELLED,
    Action.CHECK_IN: T.BOOKING_CHECKED_IN,
    Action.NO_SHOW: T.BOOKING_NO_SHOW,
    Action.REQUIRED_ACTION_DONE: T.REQUIRED_ACTION_COMPLETED,
    Action.UPDATE_GUEST: T.BOOKING_GUEST_UPDATED,
}

# Types an endpoint may subscribe to (ping is sent on request, to one endpoint).
SUBSCRIBABLE: tuple[str, ...] = tuple(t for t in EventType.values if t != T.PING)


def types_for_event(*, action: str, from_status: str, to_status: str) -> list[EventType]:
    found = []
    if action in ACTION_TYPES:
        found.append(ACTION_TYPES[action])
    if from_status != to_status:
        found.append(T.BOOKING_STATUS_CHANGED)
    return found
