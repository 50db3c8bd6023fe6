"""The JSON sent for each event type (``version`` 1; a change that breaks receivers gets 2).

Every payload is ``{"type", "timestamp", "version", "data"}``; ``data.event_id`` is the
event's id (the same for every endpoint of one owner; ``webhook-id`` is per delivery).
``data.booking`` is the booking as the endpoint's owner sees it in the API
(``GET /api/v1/bookings/{code}``) when the event was made.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder

from staydesk.accounts.models import Agency
from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.serializers import booking_json
from staydesk.bookings.states import ActorKind
from staydesk.messaging.models import Message
from staydesk.webhooks.types import EventType

VERSION = 1


def owner_actor(owner) -> Actor:
    """The endpoint's owner as the actor the booking is shown to (its allowed actions)."""
    if isinstance(owner, Agency):
        return Actor.for_agency(owner)
    return Actor(kind=ActorKind.PROVIDER, label=owner.name)


def envelope(*, type: str, event_id: str, at, data: dict) -> str:
    payload = {
        "type": type,
        "timestamp": at,
        "version": VERSION,
        "data": {"event_id": event_id, **data},
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def event_data(*, type: str, event: BookingEvent, booking: Booking, owner) -> dict:
    data: dict = {
        "action": event.action,
        "actor": event.actor_kind,
        "occurred_at": event.created_at,
        "booking": booking_json(booking, actor=owner_actor(owner)),
    }
    if type in (
        EventType.BOOKING_STATUS_CHANGED,
        EventType.BOOKING_CONFIRMED,
        EventType.BOOKING_REJECTED,
        EventType.BOOKING_EXPIRED,
        EventType.BOOKING_CANCELLED,
        EventType.BOOKING_CHECKED_IN,
        EventType.BOOKING_NO_SHOW,
        EventType.BOOKING_CREATED,
    ):
        data["from_status"] = event.from_status or None
        data["to_status"] = event.to_status
    if event.reason:
        data["reason"] = event.reason
    if type == EventType.BOOKING_PAID:
        data["payment"] = {
            "amount": event.data.get("amount"),
            "reference": event.data.get("reference") or None,
            "paid": event.data.get("paid"),
            "currency": booking.currency,
        }
        data["from_status"] = event.from_status or None
        data["to_status"] = event.to_status
    return data


def message_data(*, message: Message, booking: Booking, owner) -> dict:
    # The body may carry contact details once the booking is paid: the receiver is the
    # booking's own provider or agency, who may read the chat anyway.
    return {
        "message": {
            "id": message.pk,
            "sender": message.sender_kind,
            "sender_name": message.sender_label,
            "body": message.body,
            "created_at": message.created_at,
        },
        "booking": booking_json(booking, actor=owner_actor(owner)),
    }
