"""Writes of the chat: posting a message (through the contact-details gate) and marking read.

There is no update or delete: a message is immutable once sent (SPEC §6).
"""

import phonenumbers
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.states import PAID_ENOUGH, ActorKind
from staydesk.core import clock
from staydesk.core.errors import DomainError, Forbidden
from staydesk.core.text import clean_text
from staydesk.messaging import tasks
from staydesk.messaging.models import INCOMING, READ_FIELD, Message, SenderKind, Side

MAX_LENGTH = 4000

SENDER_OF = {
    ActorKind.PROVIDER: SenderKind.PROVIDER,
    ActorKind.GUEST: SenderKind.GUEST,
    ActorKind.AGENCY: SenderKind.AGENCY,
}

# How a finding's category is named in the refusal; unknown categories are shown as they are.
CATEGORY_NAMES = {
    "email": gettext_lazy("email"),
    "phone": gettext_lazy("phone number"),
    "url": gettext_lazy("link"),
    "messenger": gettext_lazy("messenger contact"),
    "booking_site": gettext_lazy("link to another booking site"),
    "address": gettext_lazy("postal address"),
}


def _countries(booking: Booking) -> tuple[str, ...]:
    """The property's country, and the guest's (from their phone number) where it differs."""
    countries = [booking.property.country.upper()]
    try:
        number = phonenumbers.parse(booking.guest_phone or "", None)
        region = phonenumbers.region_code_for_number(number)
    except phonenumbers.NumberParseException:
        region = None
    if region and region not in countries:
        countries.append(region)
    return tuple(countries)


def _describe(findings) -> str:
    parts = [
        _("%(what)s “%(text)s” at characters %(start)s–%(end)s")  # noqa: RUF001
        % {
            "what": CATEGORY_NAMES.get(f.category, f.category),
            "text": f.text,
            "start": f.start,
            "end": f.end,
        }
        for f in findings
    ]
    return _(
        "Contact details cannot be shared until the booking is paid. Please remove: %(found)s."
    ) % {"found": "; ".join(parts)}


def contact_details_check(*, booking: Booking, body: str, field: str = "body") -> None:
    """Refuse ``body`` with ``contact_details_forbidden`` if it carries contact details while
    the booking is not paid enough (SPEC §6). ``booking.status`` must be current."""
    if booking.status in PAID_ENOUGH:
        return
    from staydesk.messaging.detector import find_contact_details  # the detector is heavy

    findings = find_contact_details(body, countries=_countries(booking))
    if findings:
        raise DomainError("contact_details_forbidden", _describe(findings), field=field)


def message_post(*, booking: Booking, actor: Actor, body: str) -> Message:
    """Post ``body`` to the booking's chat as ``actor``; nothing is stored when refused."""
    sender_kind = SENDER_OF.get(actor.kind)
    if sender_kind is None:
        raise Forbidden("actor_not_allowed", _("Only the provider and the guest write here."))
    text = clean_text(body, field="body", max_length=MAX_LENGTH, required=True, multiline=True)
    with transaction.atomic():
        # The status now, not the one the caller read: a payment may just have arrived.
        status = Booking.objects.filter(pk=booking.pk).values_list("status", flat=True).get()
        booking.status = status
        contact_details_check(booking=booking, body=text)
        message = Message.objects.create(
            booking=booking,
            sender_kind=sender_kind,
            sender_user=actor.user if getattr(actor.user, "pk", None) else None,
            sender_label=actor.label[:200],
            body=text,
            created_at=clock.now(),
        )
        tasks.dispatch_message.enqueue(message.pk)  # email, SMS and webhooks after commit
        return message


def side_of(kind: ActorKind | str) -> Side:
    """The provider reads for the provider side; guests and agencies for the guest's side."""
    return Side.PROVIDER if kind in (ActorKind.PROVIDER, ActorKind.OPERATOR) else Side.GUEST


def messages_mark_read(*, booking: Booking, side: Side | str) -> int:
    """Mark everything the other side wrote as read by ``side``; returns how many."""
    side = Side(side)
    field = READ_FIELD[side]
    return Message.objects.filter(
        booking=booking, sender_kind__in=INCOMING[side], **{f"{field}__isnull": True}
    ).update(**{field: clock.now()})
