"""Recording a payment: a ledger row and, when enough is paid, the next status and a voucher."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.bookings.services.transition import Change, run_transition
from staydesk.bookings.states import PAID_ENOUGH, Action, Status
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.core.money import parse_amount, round_money
from staydesk.payments.ledger import Kind, ledger_add, paid_amount

MAX_REFERENCE = 120


def status_after_payment(
    *, paid: Decimal, total: Decimal, min_prepayment: Decimal, current: Status
) -> Status:
    if paid >= total:
        return Status.PAID
    if paid >= min_prepayment and paid > 0:
        return Status.PARTIALLY_PAID
    return current


def payment_record(
    *, booking: Booking, amount: object, actor: Actor, reference: str = ""
) -> Booking:
    """Record a payment by the guest (card, transfer, or posted by the operator or API).

    Refused: a non-positive amount, more than is still owed, a booking that takes no payment,
    or a reference already recorded (a retried notification of the same payment).
    """
    value = parse_amount(amount, booking.currency)
    if value <= 0:
        raise InvalidInput("invalid_amount", _("The amount must be positive."), field="amount")
    reference = reference.strip()[:MAX_REFERENCE]

    def apply(b: Booking, now: dt.datetime) -> Change:
        before = paid_amount(booking=b)
        if before + value > b.total:
            raise DomainError(
                "overpayment",
                _("Only %(due)s %(c)s is still due.")
                % {"due": round_money(b.total - before, b.currency), "c": b.currency},
                field="amount",
            )
        ledger_add(booking=b, kind=Kind.PAYMENT, amount=value, actor=actor, reference=reference)
        target = status_after_payment(
            paid=before + value,
            total=b.total,
            min_prepayment=b.min_prepayment,
            current=Status(b.status),
        )
        fields: tuple[str, ...] = ()
        if target in (Status.PARTIALLY_PAID, Status.PAID) and b.voucher_issued_at is None:
            b.voucher_issued_at = now
            fields = ("voucher_issued_at",)
        data = {"amount": str(value), "reference": reference, "paid": str(before + value)}
        if target in PAID_ENOUGH and Status(b.status) not in PAID_ENOUGH:
            # From now on the chat allows contact details, and the guest is sent the
            # property's (the notifications work sends the email from this event).
            data["contact_details_released"] = True
        return Change(target=target, fields=fields, data=data)

    try:
        with transaction.atomic():
            return run_transition(booking=booking, action=Action.PAY, actor=actor, apply=apply)
    except IntegrityError as exc:
        raise DomainError(
            "duplicate_payment", _("This payment reference is already recorded."), field="reference"
        ) from exc
