"""Who is told what, on which channel, for each audit event and chat message (SPEC §7).

Each notification's ``dedupe_key`` names its cause (event or message), its template, its
channel and the recipient's role, never the address: running a fan-out twice — a repeated
task, a worker killed half-way — creates nothing twice, even if the guest's email was
corrected in between.
"""

from staydesk.bookings.dispatch import booking_as_left_by
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.states import PAID_ENOUGH, Action, Status
from staydesk.messaging.models import Message, SenderKind
from staydesk.notifications.context import booking_context, contact_details, one_click_links
from staydesk.notifications.models import Channel, RecipientKind
from staydesk.notifications.services import notification_queue

# The guest's email for each status an event leads to (SPEC §3); both payment statuses
# share one message, which carries the voucher and, on the first payment, the contacts.
GUEST_STATUS_TEMPLATES = {
    Status.AWAITING_PAYMENT: "guest_confirmed",
    Status.CONFIRMED: "guest_confirmed",
    Status.REJECTED_BY_PROVIDER: "guest_rejected",
    Status.EXPIRED_UNCONFIRMED: "guest_expired_unconfirmed",
    Status.EXPIRED_UNPAID: "guest_expired_unpaid",
    Status.PARTIALLY_PAID: "guest_paid",
    Status.PAID: "guest_paid",
    Status.COMPLETED: "guest_completed",
    Status.CANCELLED_BY_GUEST: "guest_cancelled_by_guest",
    Status.CANCELLED_BY_PROVIDER: "guest_cancelled_by_provider",
    Status.NO_SHOW: "guest_no_show",
}
# What the provider hears about that it did not do itself.
PROVIDER_EVENT_TEMPLATES = {
    Action.CANCEL_BY_GUEST: "provider_cancelled_by_guest",
    Action.PAY: "provider_paid",
    Action.EXPIRE: "provider_expired",
}


def _queue(booking: Booking, *, cause: str, template: str, file: str, context: dict, **row):
    """One notification about ``booking``; ``row`` names channel, recipient and its kind."""
    kind, channel = row["recipient_kind"], row["channel"]
    notification_queue(
        organization=booking.organization,
        booking=booking,
        template=template,
        file=file,
        context={**context, "kind": template},
        from_name=booking.property.name,
        tz=booking.property.timezone,
        dedupe_key=f"{cause}:{template}:{channel}:{kind}",
        **row,
    )


def _email_and_sms(booking: Booking, *, email: str, phone: str | None, **queued) -> None:
    """The email, and the same notification by SMS when there is a phone to send it to."""
    _queue(booking, channel=Channel.EMAIL, recipient=email, **queued)
    if phone:
        _queue(booking, channel=Channel.SMS, recipient=phone, **queued)


def _to_provider(booking, *, cause, template, file, context, sms: bool, event=None, message=None):
    org = booking.organization
    language = org.language
    _email_and_sms(
        booking,
        email=org.notification_email,
        phone=org.notification_phone if sms else None,
        cause=cause,
        template=template,
        file=file,
        context={**booking_context(booking, language=language, event=event), **context},
        recipient_kind=RecipientKind.PROVIDER,
        language=language,
        event=event,
        message=message,
    )


def _to_guest_side(booking, *, cause, template, file, context, event=None, message=None, sms=False):
    """The guest, and a copy to the travel agency that booked for them, each in their
    language; an SMS, when asked for, goes to the guest only."""
    recipients = [(RecipientKind.GUEST, booking.guest_email, booking.guest_language)]
    if booking.agency_id and booking.agency.email:
        recipients.append((RecipientKind.AGENCY, booking.agency.email, booking.agency.language))
    for kind, address, language in recipients:
        ctx = {**booking_context(booking, language=language, event=event), **context}
        ctx["recipient_kind"] = kind
        _email_and_sms(
            booking,
            email=address,
            phone=booking.guest_phone if sms and kind == RecipientKind.GUEST else None,
            cause=cause,
            template=template,
            file=file,
            context=ctx,
            recipient_kind=kind,
            language=language,
            event=event,
            message=message,
        )


def notifications_for_event(event: BookingEvent) -> None:
    """Create the notification rows ``event`` calls for (idempotent) and queue their sending."""
    # One-click links and reminders only while the request can still be answered...
    answerable = event.booking.status == Status.PENDING_CONFIRMATION
    # ...but the emails describe the booking as this event left it.
    booking = booking_as_left_by(event, event.booking)
    cause = f"event:{event.pk}"
    action = event.action
    if action == Action.CREATE:
        is_request = event.to_status == Status.PENDING_CONFIRMATION
        _to_provider(
            booking,
            cause=cause,
            event=event,
            template="provider_new_request" if is_request else "provider_new_booking",
            file="provider_booking",
            context={"is_request": is_request, **(one_click_links(booking) if answerable else {})},
            sms=True,
        )
        _confirmation(booking, event, cause)
    elif action in (Action.REMINDER_HALF, Action.REMINDER_FINAL):
        if not answerable:
            return  # answered since the reminder was recorded: nothing left to remind of
        _to_provider(
            booking,
            cause=cause,
            event=event,
            template=f"provider_{action}",
            file="provider_booking",
            context={"is_request": True, "reminder": action, **one_click_links(booking)},
            sms=True,
        )
    elif action == Action.RESEND_CONFIRMATION:
        _confirmation(booking, event, cause)
    elif action == Action.REQUIRED_ACTION_DONE:
        _to_guest_side(
            booking,
            cause=cause,
            event=event,
            template="guest_required_action_done",
            file="guest_status",
            context={},
        )
    elif event.from_status != event.to_status:
        template = GUEST_STATUS_TEMPLATES.get(event.to_status)
        if template:
            # Paid enough: the property's contact details go to the guest (SPEC §6); the event
            # of the first such payment says so (``contact_details_released``), later ones
            # (partially paid → paid) repeat them.
            paid = event.to_status in PAID_ENOUGH and template == "guest_paid"
            context = {"contacts": contact_details(booking) if paid else None}
            _to_guest_side(
                booking,
                cause=cause,
                event=event,
                template=template,
                file="guest_status",
                context=context,
            )
    provider_template = PROVIDER_EVENT_TEMPLATES.get(action)
    if provider_template:
        _to_provider(
            booking,
            cause=cause,
            event=event,
            template=provider_template,
            file="provider_status",
            context={"kind": provider_template},
            sms=False,
        )


def _confirmation(booking: Booking, event: BookingEvent, cause: str) -> None:
    """The traveller's confirmation (at creation, and again on "resend confirmation")."""
    _to_guest_side(
        booking,
        cause=cause,
        event=event,
        template="guest_confirmation",
        file="guest_confirmation",
        # Contact details only once paid enough (SPEC §6); before that, the booking's chat.
        context={"contacts": contact_details(booking) if booking.status in PAID_ENOUGH else None},
    )


def notifications_for_message(message: Message) -> None:
    """Tell the other side of the chat about ``message`` (idempotent); system lines tell no one."""
    if message.is_system or message.event_id:
        return
    booking = (
        Booking.objects.select_related("property__organization", "organization", "agency")
        .filter(pk=message.booking_id)
        .first()
    )
    if booking is None:
        return
    cause = f"message:{message.pk}"
    context = {"chat_message": message}
    if message.sender_kind in (SenderKind.GUEST, SenderKind.AGENCY):
        _to_provider(
            booking,
            cause=cause,
            message=message,
            template="provider_message",
            file="new_message",
            context=context | {"to_provider": True},
            sms=True,
        )
    elif message.sender_kind == SenderKind.PROVIDER:
        _to_guest_side(
            booking,
            cause=cause,
            message=message,
            template="guest_message",
            file="new_message",
            context=context | {"to_provider": False},
            sms=True,
        )
