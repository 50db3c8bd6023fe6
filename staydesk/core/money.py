"""Money: Decimal amounts rounded to the currency's minor unit, half up.

Never a float. The minor unit comes from Babel's ISO 4217 data (JPY 0, EUR 2, BHD 3…).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.core import get_global
from babel.numbers import format_currency, get_currency_name
from django.utils.translation import gettext as _

from staydesk.core.errors import InvalidInput

HUNDRED = Decimal(100)


@cache
def minor_unit_digits(currency: str) -> int:
    fractions = get_global("currency_fractions")
    return fractions.get(currency, fractions["DEFAULT"])[0]


def is_known_currency(currency: str) -> bool:
    if len(currency) != 3 or not currency.isupper():
        return False
    try:
        return get_currency_name(currency, locale="en") != currency
    except (ValueError, LookupError):
        return False


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit_digits(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half up (2.345 EUR -> 2.35)."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal, currency: str) -> Decimal:
    return round_money(Decimal(amount) * Decimal(percent) / HUNDRED, currency)


# Amount columns are DECIMAL(12, 3): anything from a billion up cannot be stored.
MAX_AMOUNT = Decimal(10) ** 9


def parse_amount(value: object, currency: str, *, field: str = "amount") -> Decimal:
    """An amount from user input: a valid number with no more decimals than the currency has."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput("invalid_amount", _("Not a number."), field=field) from exc
    if not amount.is_finite():
        raise InvalidInput("invalid_amount", _("Not a number."), field=field)
    if abs(amount) >= MAX_AMOUNT:
        raise InvalidInput("invalid_amount", _("The amount is too large."), field=field)
    if amount != round_money(amount, currency):
        raise InvalidInput(
            "invalid_amount",
            _("%(currency)s amounts have at most %(digits)s decimals.")
            % {"currency": currency, "digits": minor_unit_digits(currency)},
            field=field,
        )
    return round_money(amount, currency)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", round_money(self.amount, self.currency))

    def format(self, locale: str = "en") -> str:
        return format_currency(self.amount, self.currency, locale=locale)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
