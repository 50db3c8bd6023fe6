"""The price constructor's write services and the reads behind its pages.

Every service refuses bad input with ``InvalidInput`` whoever calls it (not only the forms),
writes nothing when it refuses, and stays inside the property it is given.
"""

import datetime as dt
from decimal import Decimal

import pytest

from staydesk.catalog import services as catalog_services
from staydesk.catalog.models import RatePlan, RatePrice, RatePriceOverride, RoomType
from staydesk.catalog.services import room_type_save
from staydesk.core.errors import DomainError, InvalidInput, NotFound
from staydesk.core.tenancy import Scope
from staydesk.inventory.models import StockNight
from staydesk.inventory.resources import room_resource
from staydesk.pricing.models import CancellationTier, PriceConstructor
from staydesk.pricing.refunds import Tier
from staydesk.pricing.selectors import (
    TierBand,
    constructor_overview,
    constructor_property_get,
    constructor_property_list,
    price_constructor_reset_preview,
    tier_bands,
)
from staydesk.pricing.services import (
    cancellation_tiers_replace,
    nightly_prices_set,
    percent_parse,
    price_constructor_reset,
    price_constructor_update,
    price_override_add,
    price_override_delete,
    price_parse,
    rate_plan_save,
)
from tests.factories import (
    PackageFactory,
    PromotionFactory,
    PromotionVariantFactory,
    PropertyFactory,
    RoomTypeFactory,
    book_room,
    room_offer,
)


@pytest.fixture
def offer(db, clock):
    return room_offer(units=3, price="100.00", tiers=((30, "100"), (7, "80")))


def tiers(*pairs) -> list[Tier]:
    return [Tier(days_before=d, refund_percent=Decimal(p)) for d, p in pairs]


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [("10", "PLN", Decimal("10.00")), ("0", "EUR", Decimal(0)), ("1.5", "BHD", Decimal("1.500"))],
)
def test_prices_parse_in_the_currency(value, currency, expected):
    assert price_parse(value, currency=currency) == expected


@pytest.mark.parametrize(
    ("value", "currency", "code"),
    [
        ("-0.01", "PLN", "negative_amount"),
        ("0.001", "PLN", "invalid_amount"),
        ("10.5", "JPY", "invalid_amount"),
        ("NaN", "PLN", "invalid_amount"),
        ("", "PLN", "invalid_amount"),
    ],
)
def test_bad_prices_are_refused(value, currency, code):
    with pytest.raises(InvalidInput) as refused:
        price_parse(value, currency=currency, field="price")
    assert (refused.value.code, refused.value.field) == (code, "price")


@pytest.mark.parametrize("value", ["-1", "100.01", "1e3", "12.345", "x", "Infinity"])
def test_bad_percentages_are_refused(value):
    with pytest.raises(InvalidInput):
        percent_parse(value, field="p")


# --- settings ---------------------------------------------------------------------------------


def test_settings_are_updated_and_bad_ones_refused(offer):
    prop = offer.property
    c = price_constructor_update(
        property=prop,
        prepayment_percent=Decimal("33.33"),
        payment_limit_hours=12,
        payment_days_before_arrival=None,
        provider_may_cancel=False,
    )
    assert (c.prepayment_percent, c.payment_limit_hours, c.provider_may_cancel) == (
        Decimal("33.33"),
        12,
        False,
    )
    for bad in (
        {"prepayment_percent": Decimal(101)},
        {"payment_limit_hours": 0},
        {"payment_limit_hours": True},
        {"payment_days_before_arrival": -1},
    ):
        kwargs = {
            "prepayment_percent": Decimal(10),
            "payment_limit_hours": 1,
            "payment_days_before_arrival": 2,
            "provider_may_cancel": True,
            **bad,
        }
        with pytest.raises(InvalidInput):
            price_constructor_update(property=prop, **kwargs)
    c = PriceConstructor.objects.get(property=prop)
    assert (c.prepayment_percent, c.payment_limit_hours) == (Decimal("33.33"), 12)


def test_a_property_without_a_constructor_gets_one(db):
    prop = PropertyFactory()
    price_constructor_update(
        property=prop,
        prepayment_percent=Decimal(20),
        payment_limit_hours=48,
        payment_days_before_arrival=1,
        provider_may_cancel=True,
    )
    assert PriceConstructor.objects.get(property=prop).prepayment_percent == Decimal(20)


# --- tiers ------------------------------------------------------------------------------------


def test_tiers_are_replaced_per_plan_and_for_the_default(offer):
    prop, plan = offer.property, offer.rate_plan
    cancellation_tiers_replace(property=prop, rate_plan=plan, tiers=[(1, Decimal(0))])
    cancellation_tiers_replace(
        property=prop, rate_plan=None, tiers=[(3, Decimal(50)), (10, Decimal(100))]
    )
    rows = CancellationTier.objects.filter(constructor__property=prop)
    assert set(rows.values_list("rate_plan_id", "days_before", "refund_percent")) == {
        (None, 10, Decimal(100)),
        (None, 3, Decimal(50)),
        (plan.pk, 1, Decimal(0)),
    }


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([(5, Decimal(10)), (5, Decimal(20))], "duplicate_tier_days"),
        ([(5, Decimal("100.5"))], "invalid_percent"),
        ([(-1, Decimal(10))], "out_of_range"),
        ([(5, Decimal("10.001"))], "invalid_percent"),
    ],
)
def test_bad_tiers_leave_the_old_set(offer, rows, code):
    before = list(CancellationTier.objects.values_list("pk", "days_before", "refund_percent"))
    with pytest.raises(InvalidInput) as refused:
        cancellation_tiers_replace(property=offer.property, rate_plan=None, tiers=rows)
    assert refused.value.code == code
    assert list(CancellationTier.objects.values_list("pk", "days_before", "refund_percent")) == (
        before
    )


def test_tiers_of_another_propertys_plan_are_refused(offer):
    other = room_offer()
    with pytest.raises(InvalidInput) as refused:
        cancellation_tiers_replace(
            property=offer.property, rate_plan=other.rate_plan, tiers=[(1, Decimal(1))]
        )
    assert refused.value.code == "unknown_rate_plan"


@pytest.mark.parametrize(
    ("given", "bands"),
    [
        ((), [TierBand(0, None, Decimal(0))]),
        (((0, "50"),), [TierBand(0, None, Decimal(50))]),
        (
            ((30, "100"), (7, "80")),
            [
                TierBand(30, None, Decimal(100)),
                TierBand(7, 29, Decimal(80)),
                TierBand(0, 6, Decimal(0)),
            ],
        ),
        # Entered out of order: the guest gets the best tier still reached, as refunds do.
        (((30, "50"), (7, "80")), [TierBand(7, None, Decimal(80)), TierBand(0, 6, Decimal(0))]),
        (((1, "10"), (0, "0")), [TierBand(1, None, Decimal(10)), TierBand(0, 0, Decimal(0))]),
    ],
)
def test_tier_bands_read_like_the_refund_rule(given, bands):
    assert tier_bands(tiers(*given)) == bands


# --- rate plans, prices, overrides ------------------------------------------------------------


def test_rate_plans_are_saved_and_names_stay_unique(offer):
    prop = offer.property
    plan = rate_plan_save(
        property=prop,
        name="  Non-refundable ",
        is_active=True,
        included_adults=2,
        extra_adult_price=Decimal(15),
        extra_child_price=Decimal(0),
    )
    assert plan.name == "Non-refundable"
    with pytest.raises(InvalidInput) as refused:
        rate_plan_save(
            property=prop,
            name="non-refundable",
            is_active=True,
            included_adults=2,
            extra_adult_price=Decimal(0),
            extra_child_price=Decimal(0),
        )
    assert (refused.value.code, refused.value.field) == ("duplicate_name", "name")
    with pytest.raises(InvalidInput):
        rate_plan_save(
            property=prop,
            rate_plan=plan,
            name="Non-refundable",
            is_active=True,
            included_adults=2,
            extra_adult_price=Decimal("-1"),
            extra_child_price=Decimal(0),
        )
    assert RatePlan.objects.get(pk=plan.pk).extra_adult_price == Decimal(15)


def test_nightly_prices_touch_only_the_cells_given(offer):
    prop, plan, room = offer.property, offer.rate_plan, offer.room_type
    suite = RoomTypeFactory(property=prop)
    counts = nightly_prices_set(property=prop, prices={(plan.pk, suite.pk): Decimal(300)})
    assert counts == {"set": 1, "cleared": 0}
    assert RatePrice.objects.get(rate_plan=plan, room_type=room).price == Decimal(100)
    counts = nightly_prices_set(
        property=prop, prices={(plan.pk, room.pk): None, (plan.pk, suite.pk): Decimal(300)}
    )
    assert counts == {"set": 0, "cleared": 1}  # an unchanged price is not rewritten
    assert list(
        RatePrice.objects.filter(rate_plan=plan).values_list("room_type_id", flat=True)
    ) == [suite.pk]


def test_nightly_prices_refuse_cells_of_another_property(offer):
    other = room_offer()
    with pytest.raises(InvalidInput):
        nightly_prices_set(
            property=offer.property,
            prices={(other.rate_plan.pk, offer.room_type.pk): Decimal(1)},
        )
    with pytest.raises(InvalidInput):
        nightly_prices_set(
            property=offer.property,
            prices={(offer.rate_plan.pk, other.room_type.pk): Decimal(1)},
        )
    assert RatePrice.objects.get(rate_plan=other.rate_plan).price == Decimal(100)


def test_a_bad_cell_writes_no_cell(offer):
    prop, plan, room = offer.property, offer.rate_plan, offer.room_type
    suite = RoomTypeFactory(property=prop)
    with pytest.raises(InvalidInput) as refused:
        nightly_prices_set(
            property=prop,
            prices={(plan.pk, room.pk): Decimal(1), (plan.pk, suite.pk): Decimal("-1")},
        )
    assert refused.value.field == f"price_{plan.pk}_{suite.pk}"
    assert list(RatePrice.objects.filter(rate_plan=plan).values_list("price", flat=True)) == [
        Decimal(100)
    ]


def test_overrides_are_added_checked_and_deleted_within_the_property(offer):
    prop = offer.property
    override = price_override_add(
        property=prop,
        rate_plan=offer.rate_plan,
        room_type=offer.room_type.pk,
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 1, 1),
        price=Decimal(70),
    )
    with pytest.raises(InvalidInput) as refused:
        price_override_add(
            property=prop,
            rate_plan=offer.rate_plan,
            room_type=offer.room_type,
            start=dt.date(2027, 1, 2),
            end=dt.date(2027, 1, 1),
            price=Decimal(70),
        )
    assert (refused.value.code, refused.value.field) == ("end_before_start", "end")
    with pytest.raises(NotFound):
        price_override_delete(property=PropertyFactory(), override_id=override.pk)
    assert RatePriceOverride.objects.count() == 1
    price_override_delete(property=prop, override_id=override.pk)
    assert RatePriceOverride.objects.count() == 0


# --- room types and units ---------------------------------------------------------------------


def room_kwargs(room, **overrides) -> dict:
    data = {
        "name": room.name,
        "units": room.units,
        "max_adults": room.max_adults,
        "max_children": room.max_children,
    }
    return {**data, **overrides}


def test_units_below_what_is_booked_are_refused(offer):
    booking = book_room(offer, arrival_in_days=5)
    book_room(offer, arrival_in_days=5)
    with pytest.raises(DomainError) as refused:
        room_type_save(
            property=offer.property,
            room_type=offer.room_type,
            **room_kwargs(offer.room_type, units=1),
        )
    assert (refused.value.code, refused.value.field) == ("units_in_use", "units")
    assert booking.arrival.isoformat() in str(refused.value.message)
    assert RoomType.objects.get(pk=offer.room_type.pk).units == 3


def test_a_booking_between_the_check_and_the_write_undoes_the_whole_save(offer, monkeypatch):
    """The counters refuse even when the friendly check missed a booking: nothing is saved."""
    book_room(offer, arrival_in_days=5)
    book_room(offer, arrival_in_days=5)
    monkeypatch.setattr(catalog_services, "capacity_refusal", lambda **kwargs: None)
    with pytest.raises(DomainError) as refused:
        room_type_save(
            property=offer.property,
            room_type=offer.room_type,
            **room_kwargs(offer.room_type, units=1, name="Renamed"),
        )
    assert refused.value.code == "units_in_use"
    room = RoomType.objects.get(pk=offer.room_type.pk)
    assert (room.units, room.name) == (3, offer.room_type.name)
    capacities = StockNight.objects.filter(resource=room_resource(room.pk))
    assert set(capacities.values_list("capacity", flat=True)) == {3}


def test_a_room_type_of_another_property_is_refused(offer):
    other = room_offer()
    with pytest.raises(InvalidInput):
        room_type_save(
            property=offer.property,
            room_type=other.room_type,
            **room_kwargs(other.room_type, units=9),
        )
    assert RoomType.objects.get(pk=other.room_type.pk).units == 3


# --- reads ------------------------------------------------------------------------------------


def test_the_reset_preview_counts_what_the_reset_erases(offer):
    RatePriceOverride.objects.create(
        rate_plan=offer.rate_plan,
        room_type=offer.room_type,
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 1, 3),
        price=Decimal(1),
    )
    cancellation_tiers_replace(
        property=offer.property, rate_plan=offer.rate_plan, tiers=[(0, Decimal(0))]
    )
    PackageFactory(property=offer.property)
    PromotionVariantFactory(promotion=PromotionFactory(property=offer.property))
    room_offer()  # another property's rows are not counted
    preview = price_constructor_reset_preview(property=offer.property)
    erased = price_constructor_reset(property=offer.property)
    # Every kind the reset erases is previewed with the same count (a new kind must be too).
    assert (
        {k: preview.get(k) for k in erased}
        == erased
        == {
            "prices": 1,
            "overrides": 1,
            "cancellation_tiers": 3,
            "offer_prices": 2,
        }
    )
    assert price_constructor_reset_preview(property=offer.property)["prices"] == 0


def test_the_overview_reads_without_writing(db):
    prop = PropertyFactory()
    overview = constructor_overview(property=prop)
    assert overview.constructor.pk is None
    assert overview.constructor.payment_limit_hours == 48
    assert not PriceConstructor.objects.exists()


def test_properties_are_scoped_to_the_organization(offer):
    other = room_offer()
    scope = Scope(organization_id=offer.property.organization_id)
    assert list(constructor_property_list(scope=scope)) == [offer.property]
    assert constructor_property_get(scope=scope, property_id=offer.property.pk) == offer.property
    with pytest.raises(NotFound):
        constructor_property_get(scope=scope, property_id=other.property.pk)
