"""Which webhook endpoints get which event.

An organization's endpoints get the events of bookings at its properties; an agency's the
events of bookings it made; nobody else's. Each (source, type, audience) becomes one
``WebhookEvent`` and each subscribed endpoint one ``WebhookDelivery``, both under unique
constraints: running a fan-out twice (a retried or re-queued task) adds nothing.
"""

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q

from staydesk.bookings.dispatch import booking_as_left_by
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.core import clock
from staydesk.messaging.models import Message, SenderKind
from staydesk.webhooks import payloads
from staydesk.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from staydesk.webhooks.types import EventType, types_for_event


def endpoints_of_booking(booking: Booking, *, at: dt.datetime) -> list[WebhookEndpoint]:
    """The enabled endpoints of the booking's owners that existed when it happened (``at``):
    an endpoint added later does not get history from a fan-out that ran late."""
    owners = Q(organization_id=booking.organization_id)
    if booking.agency_id:
        owners |= Q(agency_id=booking.agency_id)
    return list(
        WebhookEndpoint.objects.filter(owners, enabled=True, created_at__lte=at).select_related(
            "organization", "agency"
        )
    )


def _event_once(*, source: str, type: str, audience: str, booking, body: Callable[[str], str]):
    """The event of (source, type, audience), made now unless it exists."""
    existing = WebhookEvent.objects.filter(source=source, type=type, audience=audience).first()
    if existing is not None:
        return existing
    event = WebhookEvent(source=source, type=type, audience=audience, booking=booking)
    event.created_at = clock.now()
    event.body = body(event.id)
    try:
        with transaction.atomic():
            event.save(force_insert=True)
    except IntegrityError:  # another run made it meanwhile
        return WebhookEvent.objects.get(source=source, type=type, audience=audience)
    return event


def delivery_queue(*, event: WebhookEvent, endpoint: WebhookEndpoint) -> WebhookDelivery | None:
    """One delivery of ``event`` to ``endpoint``, queued; None if it exists already."""
    from staydesk.webhooks import tasks

    now = clock.now()
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                event=event, endpoint=endpoint, created_at=now, next_attempt_at=now
            )
            tasks.deliver_webhook.enqueue(delivery.pk)  # the same transaction: an outbox
    except IntegrityError:
        return None
    return delivery


def _fan_out(*, source: str, types, booking: Booking, at: dt.datetime, make_data) -> int:
    """Deliveries for every enabled endpoint of the booking's owners subscribed to a type."""
    made = 0
    endpoints = endpoints_of_booking(booking, at=at)
    for type in types:
        subscribed = [e for e in endpoints if type in (e.events or [])]
        by_audience: dict[str, list[WebhookEndpoint]] = {}
        for endpoint in subscribed:
            by_audience.setdefault(endpoint.audience, []).append(endpoint)
        for audience, group in by_audience.items():
            owner = group[0].owner

            def body(event_id: str, type=type, owner=owner) -> str:
                return payloads.envelope(
                    type=type, event_id=event_id, at=clock.now(), data=make_data(type, owner)
                )

            with transaction.atomic():
                event = _event_once(
                    source=source, type=type, audience=audience, booking=booking, body=body
                )
                for endpoint in group:
                    made += delivery_queue(event=event, endpoint=endpoint) is not None
    return made


def webhooks_for_event(event: BookingEvent) -> int:
    """Create a delivery per subscribed endpoint for ``event`` (idempotent) and queue them."""
    types = types_for_event(
        action=event.action, from_status=event.from_status, to_status=event.to_status
    )
    if not types:
        return 0
    booking = Booking.objects.select_related(
        "property", "room_type", "package", "promotion", "variant", "agency"
    ).get(pk=event.booking_id)
    booking = booking_as_left_by(event, booking)
    return _fan_out(
        source=f"booking_event:{event.pk}",
        types=types,
        booking=booking,
        at=event.created_at,
        make_data=lambda type, owner: payloads.event_data(
            type=type, event=event, booking=booking, owner=owner
        ),
    )


def webhooks_for_message(message: Message) -> int:
    """``message.created`` for the booking's organization and agency endpoints (idempotent)."""
    if message.sender_kind == SenderKind.SYSTEM:
        return 0  # status changes have their own events
    booking = Booking.objects.select_related(
        "property", "room_type", "package", "promotion", "variant", "agency"
    ).get(pk=message.booking_id)
    return _fan_out(
        source=f"message:{message.pk}",
        types=[EventType.MESSAGE_CREATED],
        booking=booking,
        at=message.created_at,
        make_data=lambda type, owner: payloads.message_data(
            message=message, booking=booking, owner=owner
        ),
    )
