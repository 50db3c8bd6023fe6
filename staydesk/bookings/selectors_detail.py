"""Reads for one booking's page and its voucher: history, ledger, rules and what may happen now.

The booking page, the voucher and (later) the API detail read through these, so what the
provider and the guest are shown is decided here, not in a view or a template.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.rules import refusal
from staydesk.bookings.services.actions import refund_quote_for
from staydesk.bookings.services.perform import action_for
from staydesk.bookings.states import PAID_ENOUGH, Action, ActorKind, Status, targets
from staydesk.core import clock
from staydesk.core.errors import DomainError
from staydesk.payments.models import LedgerEntry
from staydesk.pricing.refunds import RefundQuote, Tier


def booking_events(*, booking: Booking) -> QuerySet[BookingEvent]:
    """The audit trail, oldest first."""
    return BookingEvent.objects.filter(booking=booking).select_related("actor_user")


def booking_ledger(*, booking: Booking) -> QuerySet[LedgerEntry]:
    """Every movement of money for the booking, oldest first."""
    return LedgerEntry.objects.filter(booking=booking)


def cancellation_rules(booking: Booking) -> list[Tier]:
    """The frozen tiers, the earliest (most generous) first, as a guest reads them."""
    tiers = [Tier.from_json(t) for t in booking.cancellation_tiers]
    return sorted(tiers, key=lambda t: t.days_before, reverse=True)


@dataclass(frozen=True)
class GuestCancellation:
    """What a guest's cancellation now would give back, or why the guest cannot cancel now."""

    quote: RefundQuote | None
    refused: DomainError | None


def guest_cancellation_now(booking: Booking, now: dt.datetime | None = None) -> GuestCancellation:
    now = now or clock.now()
    error = refusal(
        booking=booking, action=Action.CANCEL_BY_GUEST, actor_kind=ActorKind.GUEST, now=now
    )
    if error is not None:
        return GuestCancellation(quote=None, refused=error)
    return GuestCancellation(quote=refund_quote_for(booking, now), refused=None)


def action_refusal(
    *, booking: Booking, name: str, actor: Actor, now: dt.datetime | None = None
) -> DomainError | None:
    """Why the action of this public name is refused to ``actor`` now, or None if allowed.

    ``name`` must be one of ``ACTION_NAMES`` (an unknown name raises ``InvalidInput``).
    """
    action = action_for(name, actor)
    return refusal(booking=booking, action=action, actor_kind=actor.kind, now=now or clock.now())


def voucher_issued(booking: Booking) -> bool:
    return booking.voucher_issued_at is not None


def voucher_valid(booking: Booking) -> bool:
    """An issued voucher stands while the booking is paid; a cancellation or no-show ends it."""
    return booking.status in PAID_ENOUGH


def required_action_state(booking: Booking) -> str:
    """``none`` (the offer has none), ``pending`` (to do, shown in red), ``done``, or
    ``closed`` (never done, and the booking ended: nothing is left to do)."""
    if not booking.required_action_text:
        return "none"
    if booking.required_action_done_at is not None:
        return "done"
    if targets(Action.REQUIRED_ACTION_DONE, Status(booking.status)):
        return "pending"
    return "closed"


def contacts_visible(booking: Booking) -> bool:
    """The property's contact details reach the guest only once the booking is paid (§6)."""
    return booking.status in PAID_ENOUGH
