"""``GET /api/v1/properties/{id}/availability``: what is free and what it costs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staydesk.catalog.models import RatePrice, RatePriceOverride
from staydesk.core import clock as sd_clock
from tests.api.conftest import bearer
from tests.factories import (
    PackageFactory,
    PromotionFactory,
    PromotionVariantFactory,
    RatePlanFactory,
    RoomTypeFactory,
    book_room,
)


def url(side, arrival, nights=2, adults=2, children=0, property_id=None):
    departure = arrival + dt.timedelta(days=nights)
    pid = property_id or side.offer.property.pk
    return (
        f"/api/v1/properties/{pid}/availability?arrival={arrival}&departure={departure}"
        f"&adults={adults}&children={children}"
    )


def today(side):
    return sd_clock.local_date(side.offer.property.timezone)


def test_room_types_with_rate_plans_and_quotes(two_sides):
    a, _b = two_sides
    prop = a.offer.property
    arrival = today(a) + dt.timedelta(days=10)
    # A second plan with an override on the first night and an extra adult charge.
    plan2 = RatePlanFactory(property=prop, name="Flex", included_adults=1, extra_adult_price=20)
    RatePrice.objects.create(rate_plan=plan2, room_type=a.offer.room_type, price=Decimal("90"))
    RatePriceOverride.objects.create(
        rate_plan=plan2, room_type=a.offer.room_type, start=arrival, end=arrival, price=150
    )
    # An inactive plan and an unpriced room type are left out.
    inactive = RatePlanFactory(property=prop, is_active=False)
    RatePrice.objects.create(rate_plan=inactive, room_type=a.offer.room_type, price=1)
    RoomTypeFactory(property=prop, name="Unpriced")
    small = RoomTypeFactory(property=prop, name="Single", max_adults=1)
    RatePrice.objects.create(rate_plan=a.offer.rate_plan, room_type=small, price=50)

    response = a.agent.get(url(a, arrival))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["currency"] == "PLN"
    assert [rt["name"] for rt in body["room_types"]] == [a.offer.room_type.name]
    plans = {p["name"]: p["total"] for p in body["room_types"][0]["rate_plans"]}
    assert plans == {a.offer.rate_plan.name: "200.00", "Flex": "280.00"}  # 150+20 + 90+20
    assert body["room_types"][0]["free"] == 3
    # One adult fits the single room too.
    one = a.provider.get(url(a, arrival, adults=1)).json()
    assert {rt["name"] for rt in one["room_types"]} == {a.offer.room_type.name, "Single"}


def test_sold_out_room_types_and_unpriced_nights_are_left_out(two_sides):
    a, _b = two_sides
    arrival = today(a) + dt.timedelta(days=30)  # the fixture's booking holds 30..31
    for _ in range(2):
        book_room(a.offer, arrival_in_days=31, nights=1)
    body = a.agent.get(url(a, arrival)).json()
    assert body["room_types"] == []  # night 31 is full
    assert a.agent.get(url(a, arrival, nights=1)).json()["room_types"][0]["free"] == 2
    # No price for a night in the stay: the plan (and so the room type) is skipped.
    RatePrice.objects.all().delete()
    RatePriceOverride.objects.create(
        rate_plan=a.offer.rate_plan,
        room_type=a.offer.room_type,
        start=arrival - dt.timedelta(days=20),
        end=arrival - dt.timedelta(days=19),
        price=80,
    )
    early = arrival - dt.timedelta(days=20)
    assert (
        a.agent.get(url(a, early, nights=2)).json()["room_types"][0]["rate_plans"][0]["total"]
        == "160.00"
    )
    assert a.agent.get(url(a, early, nights=3)).json()["room_types"] == []


def test_packages_and_promotion_variants(two_sides):
    a, _b = two_sides
    prop = a.offer.property
    arrival = today(a) + dt.timedelta(days=10)
    package = PackageFactory(property=prop, name="Ski week", price=Decimal("1200"), nights=3)
    PackageFactory(property=prop, name="Unpriced", price=None)
    promo = PromotionFactory(
        property=prop, valid_from=arrival, valid_to=arrival + dt.timedelta(days=1)
    )
    variant = PromotionVariantFactory(promotion=promo, price=Decimal("499"))
    expired = PromotionFactory(property=prop, valid_to=arrival - dt.timedelta(days=1))
    PromotionVariantFactory(promotion=expired)

    body = a.agent.get(url(a, arrival)).json()
    assert [(p["package"], p["total"], p["nights"], p["free"]) for p in body["packages"]] == [
        (package.pk, "1200.00", 3, 2)
    ]
    assert body["packages"][0]["departure"] == str(arrival + dt.timedelta(days=3))
    assert [(p["variant"], p["promotion"], p["promotion_id"]) for p in body["promotions"]] == [
        (variant.pk, promo.pk, promo.public_id)
    ]
    # Out of the promotion's dates; too many children for the variant.
    later = a.agent.get(url(a, arrival + dt.timedelta(days=5))).json()
    assert later["promotions"] == [] and len(later["packages"]) == 1
    assert a.agent.get(url(a, arrival, children=1)).json()["promotions"] == []


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("arrival={d10}&departure={d10}&adults=2", "invalid_dates", "departure"),
        ("arrival={d10}&departure={d5}&adults=2", "invalid_dates", "departure"),
        ("arrival={dm1}&departure={d5}&adults=2", "arrival_in_past", "arrival"),
        ("arrival={d5}&departure={d100}&adults=2", "stay_too_long", "departure"),
        ("arrival={d5}&departure={d10}&adults=0", "invalid_guests", "adults"),
        ("arrival={d5}&departure={d10}&adults=1&children=-1", "invalid_guests", "children"),
        ("arrival=nope&departure={d10}&adults=1", "invalid_input", "arrival"),
        ("departure={d10}&adults=1", "invalid_input", "arrival"),
    ],
)
def test_bad_input_is_422_naming_the_field(two_sides, query, code, field):
    a, _b = two_sides
    t = today(a)
    days = {f"d{n}": t + dt.timedelta(days=n) for n in (5, 10, 100)}
    days["dm1"] = t - dt.timedelta(days=1)
    pid = a.offer.property.pk
    response = a.agent.get(f"/api/v1/properties/{pid}/availability?" + query.format(**days))
    assert response.status_code == 422, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)


def test_a_property_the_caller_may_not_book_is_404(two_sides):
    a, b = two_sides
    arrival = today(a) + dt.timedelta(days=10)
    assert a.provider.get(url(a, arrival)).status_code == 200
    assert b.agent.get(url(a, arrival)).status_code == 200  # agencies book anywhere
    for client in (b.provider, a.guest, b.guest):
        response = client.get(url(a, arrival))
        assert (response.status_code, response.json()["code"]) == (404, "property_not_found")
    assert a.agent.get(url(a, arrival, property_id=999999)).status_code == 404
    assert bearer("sd_nope_nope").get(url(a, arrival)).status_code == 401


def test_the_number_of_queries_does_not_depend_on_nights_or_plans(two_sides):
    a, _b = two_sides
    prop = a.offer.property
    arrival = today(a) + dt.timedelta(days=10)
    for n in range(3):
        rt = RoomTypeFactory(property=prop)
        plan = RatePlanFactory(property=prop)
        for room in (rt, a.offer.room_type):
            RatePrice.objects.create(rate_plan=plan, room_type=room, price=100 + n)
            RatePriceOverride.objects.create(
                rate_plan=plan, room_type=room, start=arrival, end=arrival, price=300
            )
        PackageFactory(property=prop)
        PromotionVariantFactory(promotion=PromotionFactory(property=prop))
    client = a.agent
    client.get(url(a, arrival))  # the key's last-used time is written once in a while
    counts = []
    for nights in (1, 14):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(a, arrival, nights=nights))
        assert response.status_code == 200
        assert len(response.json()["room_types"]) == 4
        assert all(len(rt["rate_plans"]) >= 1 for rt in response.json()["room_types"])
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # authentication and the property, then the selector: room types, stock, rate plans,
    # prices, overrides, packages, variants, offer stock.
    assert counts[0] <= 10, counts


def test_huge_numbers_are_input_errors_not_crashes(two_sides):
    a, _b = two_sides
    arrival = today(a) + dt.timedelta(days=10)
    huge = "9" * 30
    for path in (
        f"/api/v1/properties/{huge}/availability?arrival={arrival}&departure={arrival}&adults=1",
        url(a, arrival, adults=huge),
        f"/api/v1/bookings?page={huge}",
        f"/api/v1/bookings?page_size={huge}",
    ):
        response = a.agent.get(path)
        assert response.status_code in (404, 422), (path, response.status_code)
