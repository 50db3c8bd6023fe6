"""Quotes: pure functions from prices to a total. No database, no clock.

A stay's total is the sum over its nights of (the night's price + extra adults x extra adult
price + children x child price). Packages and promotion variants have fixed prices.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from staydesk.core.money import round_money


@dataclass(frozen=True)
class PriceOverride:
    start: dt.date  # first night covered
    end: dt.date  # last night covered (included)
    price: Decimal


@dataclass(frozen=True)
class RoomPricing:
    """Everything a rate plan says about one room type's price."""

    base_price: Decimal | None
    included_adults: int
    extra_adult_price: Decimal
    extra_child_price: Decimal
    overrides: tuple[PriceOverride, ...] = field(default_factory=tuple)

    def night_price(self, night: dt.date) -> Decimal | None:
        # The latest-starting override wins where overrides overlap: it is the most specific.
        covering = [o for o in self.overrides if o.start <= night <= o.end]
        if covering:
            return max(covering, key=lambda o: o.start).price
        return self.base_price


@dataclass(frozen=True)
class Quote:
    total: Decimal
    currency: str
    nightly: tuple[tuple[dt.date, Decimal], ...]


class NotPriced(Exception):
    """A night in the stay has no price in this rate plan."""

    def __init__(self, night: dt.date):
        super().__init__(night)
        self.night = night


def stay_nights(arrival: dt.date, departure: dt.date) -> list[dt.date]:
    return [arrival + dt.timedelta(days=i) for i in range((departure - arrival).days)]


def quote_room_stay(
    *,
    pricing: RoomPricing,
    currency: str,
    arrival: dt.date,
    departure: dt.date,
    adults: int,
    children: int,
) -> Quote:
    extra_adults = max(0, adults - pricing.included_adults)
    per_night_extra = (
        extra_adults * pricing.extra_adult_price + children * pricing.extra_child_price
    )
    nightly: list[tuple[dt.date, Decimal]] = []
    for night in stay_nights(arrival, departure):
        price = pricing.night_price(night)
        if price is None:
            raise NotPriced(night)
        nightly.append((night, round_money(price + per_night_extra, currency)))
    total = round_money(sum((p for _n, p in nightly), Decimal(0)), currency)
    return Quote(total=total, currency=currency, nightly=tuple(nightly))


def quote_fixed_offer(*, price: Decimal, currency: str) -> Quote:
    return Quote(total=round_money(price, currency), currency=currency, nightly=())


def overrides_from_rows(
    rows: Iterable[tuple[dt.date, dt.date, Decimal]],
) -> tuple[PriceOverride, ...]:
    return tuple(PriceOverride(start=s, end=e, price=p) for s, e, p in rows)
