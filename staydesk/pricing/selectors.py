"""Reads of pricing data, turned into the plain values the pure quote functions take."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from staydesk.catalog.models import (
    Package,
    PromotionVariant,
    Property,
    RatePlan,
    RatePrice,
    RatePriceOverride,
    RoomType,
)
from staydesk.core.errors import NotFound
from staydesk.core.tenancy import Scope
from staydesk.pricing.models import CancellationTier, PriceConstructor
from staydesk.pricing.quotes import RoomPricing, overrides_from_rows
from staydesk.pricing.refunds import Tier, refundable_percent


def price_constructor_get(*, property: Property) -> PriceConstructor:
    """The property's constructor, or an unsaved one with the defaults (reading never writes)."""
    return PriceConstructor.objects.filter(property=property).first() or PriceConstructor(
        property=property
    )


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
    if constructor.pk is None:
        return []
    rows = CancellationTier.objects.filter(constructor=constructor).values_list(
        "rate_plan_id", "days_before", "refund_percent"
    )
    by_plan: dict[int | None, list[Tier]] = {}
    for plan_id, days, percent in rows:
        by_plan.setdefault(plan_id, []).append(Tier(days_before=days, refund_percent=percent))
    tiers = by_plan.get(rate_plan.pk if rate_plan else None) or by_plan.get(None, [])
    return sorted(tiers, key=lambda t: -t.days_before)


# --- The provider's price constructor pages -----------------------------------------------


def constructor_property_list(*, scope: Scope) -> QuerySet[Property]:
    """The properties whose price constructor the caller may open (its organization's)."""
    if scope.everything:
        return Property.objects.all()
    if scope.organization_id is None:
        return Property.objects.none()
    return Property.objects.filter(organization_id=scope.organization_id)


def constructor_property_get(*, scope: Scope, property_id: int) -> Property:
    """One of the caller's properties; any other is ``NotFound``, exactly like a missing one."""
    found = constructor_property_list(scope=scope).filter(pk=property_id).first()
    if found is None:
        raise NotFound("property_not_found", _("This property does not exist."))
    return found


@dataclass(frozen=True)
class ConstructorOverview:
    constructor: PriceConstructor
    room_types: list[RoomType]
    rate_plans: list[RatePlan]
    prices: dict[tuple[int, int], Decimal]  # (rate plan id, room type id) -> base nightly price
    overrides: list[RatePriceOverride]
    tiers: dict[int | None, list[Tier]]  # by rate plan id; None: the property's default


def constructor_overview(*, property: Property) -> ConstructorOverview:
    """Everything the constructor page shows, in a fixed number of queries."""
    constructor = price_constructor_get(property=property)
    tiers: dict[int | None, list[Tier]] = {}
    if constructor.pk is not None:
        rows = CancellationTier.objects.filter(constructor=constructor).values_list(
            "rate_plan_id", "days_before", "refund_percent"
        )
        for plan_id, days, percent in rows.order_by("-days_before"):
            tiers.setdefault(plan_id, []).append(Tier(days_before=days, refund_percent=percent))
    prices = RatePrice.objects.filter(rate_plan__property=property).values_list(
        "rate_plan_id", "room_type_id", "price"
    )
    return ConstructorOverview(
        constructor=constructor,
        room_types=list(RoomType.objects.filter(property=property).order_by("name", "pk")),
        rate_plans=list(RatePlan.objects.filter(property=property).order_by("name", "pk")),
        prices={(plan, room): price for plan, room, price in prices},
        overrides=list(
            RatePriceOverride.objects.filter(rate_plan__property=property)
            .select_related("rate_plan", "room_type")
            .order_by("rate_plan__name", "room_type__name", "start", "pk")
        ),
        tiers=tiers,
    )


def price_constructor_reset_preview(*, property: Property) -> dict[str, int]:
    """What ``price_constructor_reset`` would erase now, counted the same way it counts."""
    plans = RatePlan.objects.filter(property=property)
    return {
        "prices": RatePrice.objects.filter(rate_plan__in=plans).count(),
        "overrides": RatePriceOverride.objects.filter(rate_plan__in=plans).count(),
        "cancellation_tiers": CancellationTier.objects.filter(
            constructor__property=property
        ).count(),
        "offer_prices": Package.objects.filter(property=property, price__isnull=False).count()
        + PromotionVariant.objects.filter(
            promotion__property=property, price__isnull=False
        ).count(),
        "rate_plans_with_extra_charges": plans.filter(
            Q(extra_adult_price__gt=0) | Q(extra_child_price__gt=0)
        ).count(),
    }


@dataclass(frozen=True)
class TierBand:
    """Cancelling ``min_days`` to ``max_days`` days before arrival (None: or earlier) refunds
    ``refund_percent`` % of the total."""

    min_days: int
    max_days: int | None
    refund_percent: Decimal


def tier_bands(tiers: Sequence[Tier]) -> list[TierBand]:
    """The tiers as consecutive bands of days, as ``refundable_percent`` applies them.

    Adjacent bands with the same percentage are merged; below the last tier nothing is
    refundable. No tiers: one band, nothing refundable at any time.
    """
    starts = sorted({t.days_before for t in tiers}, reverse=True)
    if not starts or starts[-1] > 0:
        starts.append(0)
    bands: list[TierBand] = []
    upper: int | None = None
    for start in starts:
        percent = refundable_percent(tiers, start)
        if bands and bands[-1].refund_percent == percent:
            bands[-1] = TierBand(start, bands[-1].max_days, percent)
        else:
            bands.append(TierBand(start, upper, percent))
        upper = start - 1
    return bands
