"""One service per action of SPEC §3. Each runs through ``run_transition``."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.rules import days_before_arrival
from staydesk.bookings.services.create import GuestDetails, apply_confirmation, clean_guest
from staydesk.bookings.services.transition import Change, run_transition
from staydesk.bookings.states import Action, CancellationType, Status
from staydesk.bookings.timers import timers_schedule
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.core.models import PlatformSettings
from staydesk.core.text import clean_text
from staydesk.payments.ledger import Kind, ledger_add, paid_amount, payout_record
from staydesk.pricing.refunds import RefundQuote, Tier, full_refund, quote_refund

MAX_REASON = 2000


def booking_confirm(*, booking: Booking, actor: Actor) -> Booking:
    def apply(b: Booking, now: dt.datetime) -> Change:
        fields = apply_confirmation(b, now)
        return Change(
            target=Status(b.status),
            fields=tuple(fields),
            data={"pay_by": b.pay_by.isoformat() if b.pay_by else None},
        )

    with transaction.atomic():  # the payment timer is committed with the confirmation
        confirmed = run_transition(booking=booking, action=Action.CONFIRM, actor=actor, apply=apply)
        timers_schedule(confirmed)
    return confirmed


def _reason(text: str, *, booking: Booking, required: bool = False) -> str:
    """The reason, cleaned. It reaches the other side (the chat's system line, emails,
    webhooks), so before payment it may no more carry contact details than a chat message."""
    from staydesk.messaging.services import contact_details_check

    cleaned = clean_text(
        text, field="reason", max_length=MAX_REASON, required=required, multiline=True
    )
    if cleaned:
        contact_details_check(booking=booking, body=cleaned, field="reason")
    return cleaned


def booking_reject(*, booking: Booking, actor: Actor, reason: str = "") -> Booking:
    return run_transition(
        booking=booking,
        action=Action.REJECT,
        actor=actor,
        reason=_reason(reason, booking=booking),
    )


def booking_expire(*, booking: Booking, actor: Actor | None = None) -> Booking:
    """The timer's action: the deadline passed with no answer (or not enough paid).

    A payment below the minimum prepayment goes back to the guest in full: the booking never
    came to be.
    """
    actor = actor or Actor.system()

    def apply(b: Booking, now: dt.datetime) -> Change:
        paid = paid_amount(booking=b)
        ledger_add(booking=b, kind=Kind.REFUND, amount=paid, actor=actor)
        return Change(data={"refund": str(paid)} if paid else {})

    return run_transition(booking=booking, action=Action.EXPIRE, actor=actor, apply=apply)


def refund_quote_for(booking: Booking, now: dt.datetime) -> RefundQuote:
    """What a guest's cancellation now would give back (SPEC §4), from the frozen tiers."""
    return quote_refund(
        total=booking.total,
        paid=paid_amount(booking=booking),
        currency=booking.currency,
        tiers=[Tier.from_json(t) for t in booking.cancellation_tiers],
        days_before_arrival=days_before_arrival(booking, now),
        transfer_fee_percent=PlatformSettings.load().transfer_fee_percent,
    )


def booking_cancel_by_guest(*, booking: Booking, actor: Actor, reason: str = "") -> Booking:
    reason = _reason(reason, booking=booking)

    def apply(b: Booking, now: dt.datetime) -> Change:
        quote = refund_quote_for(b, now)
        ledger_add(booking=b, kind=Kind.REFUND, amount=quote.refund, actor=actor)
        ledger_add(booking=b, kind=Kind.TRANSFER_FEE, amount=quote.transfer_fee, actor=actor)
        payout = payout_record(booking=b, amount=quote.retained, actor=actor)
        return Change(data={**_quote_data(quote), **payout})

    return run_transition(
        booking=booking,
        action=Action.CANCEL_BY_GUEST,
        actor=actor,
        reason=reason,
        apply=apply,
    )


def booking_cancel_by_provider(
    *, booking: Booking, actor: Actor, cancellation_type: str, reason: str
) -> Booking:
    """Cancel as the provider, with a type and a reason; everything paid is refunded."""
    cancellation_type = cancellation_type.strip()
    if not cancellation_type:
        raise InvalidInput(
            "cancellation_type_required", _("Choose a cancellation type."), field="type"
        )
    if cancellation_type not in CancellationType.values:
        raise InvalidInput(
            "invalid_cancellation_type", _("Unknown cancellation type."), field="type"
        )
    try:
        reason = _reason(reason, booking=booking, required=True)
    except InvalidInput as exc:
        if exc.code != "required":
            raise
        raise InvalidInput(
            "cancellation_reason_required", _("Give a reason for the cancellation."), field="reason"
        ) from exc

    def apply(b: Booking, now: dt.datetime) -> Change:
        quote = full_refund(total=b.total, paid=paid_amount(booking=b), currency=b.currency)
        ledger_add(booking=b, kind=Kind.REFUND, amount=quote.refund, actor=actor)
        b.cancellation_type, b.cancellation_reason = cancellation_type, reason
        return Change(
            fields=("cancellation_type", "cancellation_reason"),
            data={**_quote_data(quote), "type": b.cancellation_type},
        )

    return run_transition(
        booking=booking,
        action=Action.CANCEL_BY_PROVIDER,
        actor=actor,
        reason=reason,
        apply=apply,
    )


def booking_check_in(*, booking: Booking, actor: Actor) -> Booking:
    """The guest arrived: the booking is completed and what was paid is paid out."""

    def apply(b: Booking, now: dt.datetime) -> Change:
        return Change(data=payout_record(booking=b, amount=paid_amount(booking=b), actor=actor))

    return run_transition(booking=booking, action=Action.CHECK_IN, actor=actor, apply=apply)


def booking_mark_no_show(*, booking: Booking, actor: Actor) -> Booking:
    """The guest did not come: a refusal; prepaid money stays with the provider."""

    def apply(b: Booking, now: dt.datetime) -> Change:
        return Change(data=payout_record(booking=b, amount=paid_amount(booking=b), actor=actor))

    return run_transition(booking=booking, action=Action.NO_SHOW, actor=actor, apply=apply)


def booking_mark_required_action_done(*, booking: Booking, actor: Actor) -> Booking:
    def apply(b: Booking, now: dt.datetime) -> Change:
        b.required_action_done_at = now
        b.required_action_done_by = actor.user if getattr(actor.user, "pk", None) else None
        return Change(fields=("required_action_done_at", "required_action_done_by"))

    return run_transition(
        booking=booking, action=Action.REQUIRED_ACTION_DONE, actor=actor, apply=apply
    )


def booking_resend_confirmation(*, booking: Booking, actor: Actor) -> Booking:
    """Record the request; the notifications layer sends the email from this event."""
    return run_transition(booking=booking, action=Action.RESEND_CONFIRMATION, actor=actor)


def booking_remind(*, booking: Booking, action: Action) -> Booking:
    """Record a confirmation-deadline reminder (half the window, or 2 h left), at most once."""
    try:
        with transaction.atomic():
            return run_transition(booking=booking, action=action, actor=Actor.system())
    except IntegrityError as exc:  # the unique constraint: a racing timer recorded it first
        raise DomainError("already_reminded", _("This reminder was already sent.")) from exc


def _quote_data(quote: RefundQuote) -> dict[str, str]:
    return {
        "paid": str(quote.paid),
        "penalty": str(quote.penalty),
        "refund": str(quote.refund),
        "transfer_fee": str(quote.transfer_fee),
        "retained": str(quote.retained),
    }


GUEST_FIELDS = ("first_name", "last_name", "email", "phone", "language")


def booking_update_guest(*, booking: Booking, actor: Actor, guest: GuestDetails) -> Booking:
    """Correct the guest's details (validated as at creation); the event names what changed."""
    cleaned = clean_guest(guest, booking.property.country)

    def apply(b: Booking, now: dt.datetime) -> Change:
        changed = [f for f in GUEST_FIELDS if getattr(b, f"guest_{f}") != getattr(cleaned, f)]
        for f in changed:
            setattr(b, f"guest_{f}", getattr(cleaned, f))
        return Change(fields=tuple(f"guest_{f}" for f in changed), data={"changed": changed})

    return run_transition(booking=booking, action=Action.UPDATE_GUEST, actor=actor, apply=apply)
