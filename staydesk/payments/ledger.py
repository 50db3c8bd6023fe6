"""Ledger reads and writes shared by payments, cancellations and completion."""

from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking
from staydesk.core import clock
from staydesk.core.models import PlatformSettings
from staydesk.core.money import percent_of, round_money
from staydesk.payments.models import LedgerEntry

Kind = LedgerEntry.Kind
ZERO = Decimal(0)


def paid_amount(*, booking: Booking) -> Decimal:
    """Payments received minus refunds sent: what the guest has paid and not got back.

    Rounded to the currency: the column's scale (3) and the vendor (PostgreSQL keeps it,
    SQLite drops trailing zeros) must not leak into amounts shown or recorded in events.
    """
    result = LedgerEntry.objects.filter(booking=booking).aggregate(paid=_paid_sum())["paid"]
    return round_money(result or ZERO, booking.currency)


def _paid_sum():
    signed = Case(
        When(kind=Kind.PAYMENT, then=F("amount")),
        When(kind=Kind.REFUND, then=-F("amount")),
        default=Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=3),
    )
    return Coalesce(
        Sum(signed), Value(ZERO), output_field=DecimalField(max_digits=12, decimal_places=3)
    )


def paid_subquery():
    """``paid`` for each booking of a queryset, in the same query (for the grid and exports)."""
    per_booking = (
        LedgerEntry.objects.filter(booking=OuterRef("pk"), kind__in=[Kind.PAYMENT, Kind.REFUND])
        .values("booking")
        .annotate(paid=_paid_sum())
        .values("paid")
    )
    return Coalesce(
        Subquery(per_booking, output_field=DecimalField(max_digits=12, decimal_places=3)),
        Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=3),
    )


def ledger_add(
    *, booking: Booking, kind: str, amount: Decimal, actor: Actor, reference: str = ""
) -> None:
    if amount > ZERO:
        LedgerEntry.objects.create(
            booking=booking,
            kind=kind,
            amount=amount,
            currency=booking.currency,
            reference=reference,
            created_at=clock.now(),
            created_by=actor.user if getattr(actor.user, "pk", None) else None,
        )


def payout_record(*, booking: Booking, amount: Decimal, actor: Actor) -> dict[str, str]:
    """Release ``amount`` to the provider, less the platform commission."""
    commission = percent_of(amount, PlatformSettings.load().commission_percent, booking.currency)
    ledger_add(booking=booking, kind=Kind.COMMISSION, amount=commission, actor=actor)
    ledger_add(booking=booking, kind=Kind.PAYOUT, amount=amount - commission, actor=actor)
    return {"payout": str(amount - commission), "commission": str(commission)}
