"""Reads of pricing data, turned into the plain values the pure quote functions take."""

from staydesk.catalog.models import Property, RatePlan, RatePrice, RoomType
from staydesk.pricing.models import CancellationTier, PriceConstructor
from staydesk.pricing.quotes import RoomPricing, overrides_from_rows
from staydesk.pricing.refunds import Tier


def price_constructor_get(*, property: Property) -> PriceConstructor:
    constructor, _created = PriceConstructor.objects.get_or_create(property=property)
    return constructor


def room_pricing(*, rate_plan: RatePlan, room_type: RoomType) -> RoomPricing:
    base = (
        RatePrice.objects.filter(rate_plan=rate_plan, room_type=room_type)
        .values_list("price", flat=True)
        .first()
    )
    overrides = rate_plan.overrides.filter(room_type=room_type).values_list("start", "end", "price")
    return RoomPricing(
        base_price=base,
        included_adults=rate_plan.included_adults,
        extra_adult_price=rate_plan.extra_adult_price,
        extra_child_price=rate_plan.extra_child_price,
        overrides=overrides_from_rows(overrides),
    )


def cancellation_tiers(*, constructor: PriceConstructor, rate_plan: RatePlan | None) -> list[Tier]:
    """The rate plan's own tiers if it has any, else the property's default tiers (one query)."""
    rows = CancellationTier.objects.filter(constructor=constructor).values_list(
        "rate_plan_id", "days_before", "refund_percent"
    )
    by_plan: dict[int | None, list[Tier]] = {}
    for plan_id, days, percent in rows:
        by_plan.setdefault(plan_id, []).append(Tier(days_before=days, refund_percent=percent))
    tiers = by_plan.get(rate_plan.pk if rate_plan else None) or by_plan.get(None, [])
    return sorted(tiers, key=lambda t: -t.days_before)
