"""Refund arithmetic of SPEC §4, pure and exact.

Example (must hold): total 1000, paid 500, the matching tier refunds 80 % of the total, so the
penalty is 20 % of the total = 200; refund before fee = paid - penalty = 300 (never below 0);
a 5 % transfer fee = 15 is deducted; 285 goes back to the guest.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from staydesk.core.money import HUNDRED, percent_of, round_money


@dataclass(frozen=True)
class Tier:
    days_before: int
    refund_percent: Decimal

    def as_json(self) -> dict:
        return {"days_before": self.days_before, "refund_percent": str(self.refund_percent)}

    @classmethod
    def from_json(cls, data: dict) -> "Tier":
        return cls(
            days_before=int(data["days_before"]), refund_percent=Decimal(data["refund_percent"])
        )


@dataclass(frozen=True)
class RefundQuote:
    currency: str
    total: Decimal
    paid: Decimal
    days_before_arrival: int
    refundable_percent: Decimal
    penalty: Decimal
    refund_before_fee: Decimal
    transfer_fee_percent: Decimal
    transfer_fee: Decimal
    refund: Decimal  # what reaches the guest's card
    retained: Decimal  # what stays with the provider (paid - refund - fee)


def refundable_percent(tiers: Sequence[Tier], days_before_arrival: int) -> Decimal:
    """The best tier the guest still qualifies for; past the last tier nothing is refundable.

    Taking the maximum over qualifying tiers makes the refund never grow as arrival comes
    closer, even if a provider entered tiers out of order.
    """
    qualifying = [t.refund_percent for t in tiers if days_before_arrival >= t.days_before]
    return max(qualifying, default=Decimal(0))


def quote_refund(
    *,
    total: Decimal,
    paid: Decimal,
    currency: str,
    tiers: Sequence[Tier],
    days_before_arrival: int,
    transfer_fee_percent: Decimal,
) -> RefundQuote:
    percent = refundable_percent(tiers, days_before_arrival)
    penalty = percent_of(total, HUNDRED - percent, currency)
    refund_before_fee = max(
        round_money(Decimal(0), currency), round_money(paid - penalty, currency)
    )
    refund_before_fee = min(refund_before_fee, round_money(paid, currency))
    fee = percent_of(refund_before_fee, transfer_fee_percent, currency)
    refund = refund_before_fee - fee
    return RefundQuote(
        currency=currency,
        total=round_money(total, currency),
        paid=round_money(paid, currency),
        days_before_arrival=days_before_arrival,
        refundable_percent=percent,
        penalty=penalty,
        refund_before_fee=refund_before_fee,
        transfer_fee_percent=transfer_fee_percent,
        transfer_fee=fee,
        refund=refund,
        retained=round_money(paid - refund - fee, currency),
    )


def full_refund(*, total: Decimal, paid: Decimal, currency: str) -> RefundQuote:
    """Provider cancellation: everything paid goes back, no fee, no penalty."""
    paid = round_money(paid, currency)
    return RefundQuote(
        currency=currency,
        total=round_money(total, currency),
        paid=paid,
        days_before_arrival=0,
        refundable_percent=HUNDRED,
        penalty=Decimal(0),
        refund_before_fee=paid,
        transfer_fee_percent=Decimal(0),
        transfer_fee=Decimal(0),
        refund=paid,
        retained=Decimal(0),
    )
