from decimal import Decimal

import pytest

from staydesk.core.errors import InvalidInput
from staydesk.core.money import (
    Money,
    is_known_currency,
    minor_unit_digits,
    parse_amount,
    round_money,
)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),  # half up, not banker's rounding
        ("2.335", "EUR", "2.34"),
        ("-2.345", "EUR", "-2.35"),
        ("1000.5", "JPY", "1001"),
        ("1000.5", "ISK", "1001"),
        ("1.2345", "BHD", "1.235"),
        ("10", "PLN", "10.00"),
    ],
)
def test_round_money_half_up_to_minor_unit(amount, currency, expected):
    result = round_money(Decimal(amount), currency)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_minor_units_from_iso_4217():
    assert minor_unit_digits("EUR") == 2
    assert minor_unit_digits("JPY") == 0
    assert minor_unit_digits("KWD") == 3


def test_known_currencies():
    assert is_known_currency("PLN")
    assert is_known_currency("ISK")
    assert not is_known_currency("XYZ")
    assert not is_known_currency("pln")
    assert not is_known_currency("EURO")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "1.234", "", None, "1e999999"])
def test_parse_amount_refuses_what_is_not_an_amount_of_that_currency(bad):
    with pytest.raises(InvalidInput) as exc:
        parse_amount(bad, "EUR")
    assert exc.value.code == "invalid_amount"


def test_parse_amount_accepts_numbers_and_strings():
    assert parse_amount("12.5", "EUR") == Decimal("12.50")
    assert parse_amount(12, "JPY") == Decimal("12")


def test_money_formats_for_locale():
    assert Money(Decimal("1234.5"), "PLN").format("pl") == "1\xa0234,50\xa0zł"
    assert Money(Decimal("1234.5"), "EUR").format("en") == "€1,234.50"
