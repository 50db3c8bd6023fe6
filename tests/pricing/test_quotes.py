"""Quotes (SPEC §2, §4): nightly prices, overrides, extra guests, fixed-price offers.

The pure functions first, then the same rules through ``booking_create`` and the database.
"""

import datetime as dt
from decimal import Decimal

import pytest

from staydesk.bookings.models import Kind
from staydesk.bookings.states import Status
from staydesk.catalog.models import RatePriceOverride
from staydesk.core.errors import DomainError
from staydesk.pricing.quotes import (
    NotPriced,
    PriceOverride,
    RoomPricing,
    quote_fixed_offer,
    quote_room_stay,
    stay_nights,
)
from tests.factories import (
    PackageFactory,
    PromotionFactory,
    PromotionVariantFactory,
    RoomTypeFactory,
    book_package,
    book_promotion,
    book_room,
    room_offer,
)

D = Decimal
DEC = dt.date(2026, 12, 1)


def day(n: int) -> dt.date:
    """The n-th of December 2026."""
    return DEC.replace(day=n)


def pricing(base="100.00", overrides=(), included=2, adult="0", child="0") -> RoomPricing:
    return RoomPricing(
        base_price=None if base is None else D(base),
        included_adults=included,
        extra_adult_price=D(adult),
        extra_child_price=D(child),
        overrides=tuple(PriceOverride(day(s), day(e), D(p)) for s, e, p in overrides),
    )


def quote(p: RoomPricing, arrival: int, departure: int, adults=2, children=0, currency="EUR"):
    return quote_room_stay(
        pricing=p,
        currency=currency,
        arrival=day(arrival),
        departure=day(departure),
        adults=adults,
        children=children,
    )


def test_nights_are_arrival_up_to_the_night_before_departure():
    assert stay_nights(day(1), day(4)) == [day(1), day(2), day(3)]
    assert stay_nights(day(1), day(1)) == []


def test_base_price_every_night():
    q = quote(pricing("100.00"), 1, 4)
    assert q.total == D("300.00")
    assert q.nightly == ((day(1), D(100)), (day(2), D(100)), (day(3), D(100)))
    assert q.currency == "EUR"


def test_an_override_covers_its_nights_both_ends_included():
    q = quote(pricing("100.00", overrides=[(3, 4, "150.00")]), 1, 6)
    assert [p for _n, p in q.nightly] == [D(100), D(100), D(150), D(150), D(100)]
    assert q.total == D("600.00")


@pytest.mark.parametrize(
    "overrides",
    [
        [(1, 10, "150.00"), (5, 7, "200.00")],
        [(5, 7, "200.00"), (1, 10, "150.00")],  # order of entry does not matter
    ],
)
def test_overlapping_overrides_the_later_start_wins(overrides):
    q = quote(pricing("100.00", overrides=overrides), 3, 10)
    prices = dict(q.nightly)
    assert [prices[day(n)] for n in range(3, 10)] == [
        D(150),  # 3: only the long override
        D(150),
        D(200),  # 5-7: both cover, the one starting on the 5th is the later start
        D(200),
        D(200),
        D(150),  # 8-9: only the long one again
        D(150),
    ]
    assert q.total == D(150) * 4 + D(200) * 3


def test_a_later_start_wins_even_when_it_ends_first_and_is_cheaper():
    q = quote(pricing("100.00", overrides=[(1, 31, "300.00"), (20, 21, "50.00")]), 19, 23)
    assert [p for _n, p in q.nightly] == [D(300), D(50), D(50), D(300)]


def test_extra_adults_and_children_pay_per_night():
    p = pricing("100.00", included=2, adult="30.00", child="15.50")
    q = quote(p, 1, 3, adults=3, children=2)
    # Each night: 100 + 1 extra adult x 30 + 2 children x 15.50 = 161.
    assert q.nightly == ((day(1), D("161.00")), (day(2), D("161.00")))
    assert q.total == D("322.00")
    # Fewer adults than included pay no less than the room.
    assert quote(p, 1, 3, adults=1).total == D("200.00")


def test_extra_guest_charges_apply_on_override_nights_too():
    p = pricing("100.00", overrides=[(2, 2, "180.00")], included=1, adult="20", child="10")
    q = quote(p, 1, 3, adults=2, children=1)
    assert [x for _n, x in q.nightly] == [D(130), D(210)]


def test_a_night_without_any_price_is_not_priced():
    with pytest.raises(NotPriced) as exc:
        quote(pricing(None, overrides=[(1, 2, "100.00")]), 1, 5)
    assert exc.value.night == day(3)


def test_overrides_alone_price_a_plan_without_base_price():
    q = quote(pricing(None, overrides=[(1, 2, "100.00"), (3, 9, "90.00")]), 1, 5)
    assert q.total == D("380.00")


def test_nightly_prices_round_half_up_to_the_currency():
    assert quote(pricing("1000.5"), 1, 3, currency="JPY").nightly[0][1] == D(1001)
    q = quote(pricing("10.005"), 1, 3, currency="EUR")
    assert [x for _n, x in q.nightly] == [D("10.01"), D("10.01")]
    assert q.total == D("20.02")
    assert quote(pricing("0.0005"), 1, 2, currency="BHD").total == D("0.001")


def test_fixed_offer_price_is_the_total():
    assert quote_fixed_offer(price=D("499"), currency="EUR").total == D("499.00")
    assert quote_fixed_offer(price=D("499.005"), currency="EUR").total == D("499.01")
    assert quote_fixed_offer(price=D("4990.5"), currency="JPY").total == D("4991")
    assert quote_fixed_offer(price=D("1"), currency="EUR").nightly == ()


# --- through booking_create ------------------------------------------------------------------


def test_booking_freezes_overrides_and_extras(db, clock):
    offer = room_offer(price="100.00", prepayment_percent="25")
    rp = offer.rate_plan
    rp.included_adults, rp.extra_adult_price, rp.extra_child_price = 1, D("40.00"), D("12.50")
    rp.save()
    arrival = dt.date(2026, 12, 20)
    for start, end, price in [(19, 31, "200.00"), (24, 25, "350.00")]:
        RatePriceOverride.objects.create(
            rate_plan=rp,
            room_type=offer.room_type,
            start=day(start),
            end=day(end),
            price=D(price),
        )
    booking = book_room(offer, arrival_in_days=26, nights=6, adults=2, children=1)
    assert booking.arrival == arrival
    extra = D("52.50")  # one adult beyond the first and one child
    expected = [200, 200, 200, 200, 350, 350]
    assert booking.nightly_prices == [
        [(arrival + dt.timedelta(days=i)).isoformat(), str(D(p) + extra)]
        for i, p in enumerate(expected)
    ]
    assert booking.total == sum(D(p) + extra for p in expected) == D("1815.00")
    assert booking.min_prepayment == D("453.75")


def test_booking_refuses_a_stay_with_an_unpriced_night(db, clock):
    offer = room_offer()
    offer.rate_plan.prices.all().delete()
    RatePriceOverride.objects.create(
        rate_plan=offer.rate_plan,
        room_type=offer.room_type,
        start=day(20),
        end=day(21),
        price=D("100"),
    )
    with pytest.raises(DomainError) as refused:
        book_room(offer, arrival_in_days=26, nights=3)  # 20, 21 priced; 22 not
    assert refused.value.code == "not_priced"
    assert "2026-12-22" in str(refused.value.message)
    assert book_room(offer, arrival_in_days=26, nights=2).total == D("200.00")


def test_overrides_of_another_room_type_do_not_apply(db, clock):
    offer = room_offer(price="100.00")
    other_room = RoomTypeFactory(property=offer.property)
    RatePriceOverride.objects.create(
        rate_plan=offer.rate_plan, room_type=other_room, start=day(1), end=day(31), price=D(1)
    )
    assert book_room(offer, arrival_in_days=10, nights=2).total == D("200.00")


def test_package_is_sold_at_its_fixed_price(db, clock):
    offer = room_offer(prepayment_percent="50")
    package = PackageFactory(property=offer.property, price=D("1234.50"), nights=4)
    booking = book_package(offer, package=package, arrival_in_days=15, adults=2)
    assert booking.kind == Kind.PACKAGE
    assert booking.total == D("1234.50")
    assert booking.nights == 4
    assert booking.nightly_prices == []
    assert booking.min_prepayment == D("617.25")
    assert booking.status == Status.PENDING_CONFIRMATION
    assert booking.required_action_text == package.required_action_text


def test_promotion_variant_is_sold_at_its_price_and_paid_in_full(db, clock):
    offer = room_offer(prepayment_percent="10")
    promotion = PromotionFactory(property=offer.property)
    cheap = PromotionVariantFactory(promotion=promotion, name="1 night", price=D("199"), nights=1)
    dear = PromotionVariantFactory(
        promotion=promotion, name="3 nights", price=D("549.99"), nights=3
    )
    first = book_promotion(offer, variant=cheap, arrival_in_days=5)
    second = book_promotion(offer, variant=dear, arrival_in_days=5)
    assert (first.total, first.nights) == (D("199.00"), 1)
    assert (second.total, second.nights) == (D("549.99"), 3)
    # Vouchers are paid at purchase: the whole price, whatever the constructor says.
    for booking in (first, second):
        assert booking.kind == Kind.PROMOTION
        assert booking.status == Status.AWAITING_PAYMENT
        assert booking.prepayment_percent == D(100)
        assert booking.min_prepayment == booking.total
        assert booking.offer_name.endswith(booking.variant.name)
        assert booking.required_action_text == promotion.required_action_text
