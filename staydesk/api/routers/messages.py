"""``/api/v1/bookings/{code}/messages``: the booking's chat for every kind of caller.

A provider key reads and writes for the provider, an agency key and a guest secret for the
guest's side. Reading the conversation marks the other side's messages as read.
"""

import datetime as dt

from ninja import Field, Router, Schema, Status

from staydesk.api.routers.bookings import ERRORS
from staydesk.bookings.selectors import booking_get
from staydesk.messaging.models import Message
from staydesk.messaging.selectors import conversation
from staydesk.messaging.services import MAX_LENGTH, message_post, messages_mark_read, side_of

router = Router(tags=["messages"])


class MessageIn(Schema):
    body: str = Field(max_length=MAX_LENGTH, examples=["We arrive around 22:00, is that fine?"])


class MessageOut(Schema):
    id: int
    sender: str = Field(description="provider, guest, agency or system")
    sender_name: str
    body: str = Field(description="For system messages, the status change in words.")
    system: bool
    status_from: str | None = None
    status_to: str | None = None
    created_at: dt.datetime
    read_by_provider_at: dt.datetime | None
    read_by_guest_at: dt.datetime | None


def message_json(message: Message) -> dict:
    event = message.event if message.event_id else None
    return {
        "id": message.pk,
        "sender": message.sender_kind,
        "sender_name": message.sender_label,
        "body": message.text,
        "system": message.is_system,
        "status_from": (event.from_status or None) if event else None,
        "status_to": event.to_status if event else None,
        "created_at": message.created_at,
        "read_by_provider_at": message.read_by_provider_at,
        "read_by_guest_at": message.read_by_guest_at,
    }


@router.get("/{code}/messages", response={200: list[MessageOut], **ERRORS}, summary="The chat")
def list_messages(request, code: str):
    """Every message of the booking, oldest first, with a system message per status change.
    The other side's messages are marked as read by the caller's side."""
    caller = request.auth
    booking = booking_get(scope=caller.scope, code=code)
    messages_mark_read(booking=booking, side=side_of(caller.kind))
    return [message_json(m) for m in conversation(booking=booking)]


@router.post("/{code}/messages", response={201: MessageOut, **ERRORS}, summary="Write to the chat")
def post_message(request, code: str, payload: MessageIn):
    """Until the booking is paid (``partially_paid``, ``paid``, ``completed``) a message with
    contact details is refused with 409 ``contact_details_forbidden``, naming what was found
    and where; nothing is stored."""
    caller = request.auth
    booking = booking_get(scope=caller.scope, code=code)
    message = message_post(booking=booking, actor=caller.actor, body=payload.body)
    return Status(201, message_json(message))
