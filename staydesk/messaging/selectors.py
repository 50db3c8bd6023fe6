"""Reads of the chat: the conversation of a booking and the unread counts of each side.

The dashboard asks ``unread_message_count`` and the grid and CSV export ``unread_by_booking``;
each is one query.
"""

from django.db.models import Count, QuerySet

from staydesk.bookings.models import Booking
from staydesk.bookings.selectors import booking_scope
from staydesk.core.tenancy import Scope
from staydesk.messaging.models import INCOMING, READ_FIELD, Message, Side


def side_for_scope(scope: Scope) -> Side:
    """Providers and the operator read for the provider; agencies and guests for the guest."""
    if scope.organization_id is not None or scope.everything:
        return Side.PROVIDER
    return Side.GUEST


def conversation(*, booking: Booking) -> QuerySet[Message]:
    """The booking's messages, system ones included, oldest first."""
    return (
        Message.objects.filter(booking=booking).select_related("event").order_by("created_at", "id")
    )


def _unread(side: Side) -> QuerySet[Message]:
    return Message.objects.filter(
        sender_kind__in=INCOMING[side], **{f"{READ_FIELD[side]}__isnull": True}
    )


def unread_count(*, booking: Booking, side: Side | str) -> int:
    return _unread(Side(side)).filter(booking=booking).count()


def unread_message_count(*, scope: Scope) -> int:
    """Messages the caller has not read yet, over every booking in its scope."""
    qs = _unread(side_for_scope(scope))
    if not scope.everything:
        qs = qs.filter(booking__in=booking_scope(scope=scope).values("pk"))
    return qs.count()


def unread_by_booking(*, scope: Scope, booking_ids: list[int]) -> dict[int, int]:
    """Unread messages per booking, for the grid (one query; bookings with none are left out)."""
    if not booking_ids:
        return {}
    qs = _unread(side_for_scope(scope)).filter(booking_id__in=booking_ids)
    if not scope.everything:
        qs = qs.filter(booking__in=booking_scope(scope=scope).values("pk"))
    rows = qs.values("booking_id").annotate(n=Count("pk")).order_by()
    return {row["booking_id"]: row["n"] for row in rows}
