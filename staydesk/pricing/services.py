"""Writes to the price constructor."""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
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
from staydesk.core.errors import InvalidInput, NotFound
from staydesk.core.money import HUNDRED, parse_amount
from staydesk.pricing.models import CancellationTier, PriceConstructor


@transaction.atomic
def price_constructor_reset(*, property: Property) -> dict[str, int]:
    """Erase every pricing setting and price of a property; they must be entered again.

    Rate plans keep their names (bookings and channel mappings refer to them) but lose every
    price; packages and promotion variants lose theirs and are not sold until priced again.
    Existing bookings are untouched: their price and rules were frozen at creation.
    Returns how many rows of each kind were erased.
    """
    plans = RatePlan.objects.filter(property=property)
    erased = {
        "prices": RatePrice.objects.filter(rate_plan__in=plans).delete()[0],
        "overrides": RatePriceOverride.objects.filter(rate_plan__in=plans).delete()[0],
        "cancellation_tiers": CancellationTier.objects.filter(
            constructor__property=property
        ).delete()[0],
        # Packages and promotion variants are not sold until priced again (not_priced).
        "offer_prices": Package.objects.filter(property=property, price__isnull=False).update(
            price=None
        )
        + PromotionVariant.objects.filter(promotion__property=property, price__isnull=False).update(
            price=None
        ),
    }
    plans.update(extra_adult_price=Decimal(0), extra_child_price=Decimal(0))
    defaults = {
        f.name: f.get_default()
        for f in PriceConstructor._meta.concrete_fields
        if f.name not in ("id", "property")
    }
    PriceConstructor.objects.update_or_create(property=property, defaults=defaults)
    return erased


# --- Editing the constructor (the provider's price constructor pages) -----------------------
#
# Every write below is one transaction that first locks the property's constructor row, so two
# people editing the same property queue instead of tripping over each other's rows. Input is
# checked here, not only in the forms: a service refuses bad values with ``InvalidInput``
# (its ``field`` names the form field) whoever calls it, having written nothing.

MAX_PAYMENT_LIMIT_HOURS = 24 * 365
MAX_PAYMENT_DAYS_BEFORE_ARRIVAL = 365
MAX_TIER_DAYS = 3650
MAX_INCLUDED_ADULTS = 99
PERCENT_DECIMALS = 2  # the percent columns are DECIMAL(5, 2)


def price_parse(value: object, *, currency: str, field: str = "price") -> Decimal:
    """A price from user input: a number, not negative, with no more decimals than the currency."""
    amount = parse_amount(value, currency, field=field)
    if amount < 0:
        raise InvalidInput("negative_amount", _("A price cannot be negative."), field=field)
    return amount


def percent_parse(value: object, *, field: str) -> Decimal:
    """A percentage from 0 to 100 with at most two decimals."""
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput("invalid_percent", _("Not a number."), field=field) from exc
    if not percent.is_finite() or not Decimal(0) <= percent <= HUNDRED:
        raise InvalidInput("invalid_percent", _("Enter a percentage from 0 to 100."), field=field)
    if percent != percent.quantize(Decimal(1).scaleb(-PERCENT_DECIMALS)):
        raise InvalidInput(
            "invalid_percent",
            _("A percentage has at most %(digits)s decimals.") % {"digits": PERCENT_DECIMALS},
            field=field,
        )
    return percent


def _whole_number(value: object, *, low: int, high: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            "out_of_range",
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            field=field,
        )
    return value


def _locked_constructor(property: Property) -> PriceConstructor:
    """The property's constructor row, created if missing and locked until the commit."""
    PriceConstructor.objects.get_or_create(property=property)
    return PriceConstructor.objects.select_for_update().get(property=property)


def _own_rate_plan(property: Property, rate_plan: RatePlan | int) -> RatePlan:
    pk = rate_plan.pk if isinstance(rate_plan, RatePlan) else rate_plan
    plan = RatePlan.objects.filter(property=property, pk=pk).first()
    if plan is None:
        raise InvalidInput(
            "unknown_rate_plan",
            _("This rate plan is not one of the property's."),
            field="rate_plan",
        )
    return plan


def _own_room_type(property: Property, room_type: RoomType | int) -> RoomType:
    pk = room_type.pk if isinstance(room_type, RoomType) else room_type
    found = RoomType.objects.filter(property=property, pk=pk).first()
    if found is None:
        raise InvalidInput(
            "unknown_room_type",
            _("This room type is not one of the property's."),
            field="room_type",
        )
    return found


@transaction.atomic
def price_constructor_update(
    *,
    property: Property,
    prepayment_percent: Decimal,
    payment_limit_hours: int,
    payment_days_before_arrival: int | None,
    provider_may_cancel: bool,
) -> PriceConstructor:
    """Set the prepayment %, the payment time limits and whether the provider may cancel."""
    percent = percent_parse(prepayment_percent, field="prepayment_percent")
    hours = _whole_number(
        payment_limit_hours, low=1, high=MAX_PAYMENT_LIMIT_HOURS, field="payment_limit_hours"
    )
    days = payment_days_before_arrival
    if days is not None:
        days = _whole_number(
            days, low=0, high=MAX_PAYMENT_DAYS_BEFORE_ARRIVAL, field="payment_days_before_arrival"
        )
    constructor = _locked_constructor(property)
    constructor.prepayment_percent = percent
    constructor.payment_limit_hours = hours
    constructor.payment_days_before_arrival = days
    constructor.provider_may_cancel = bool(provider_may_cancel)
    constructor.save(
        update_fields=[
            "prepayment_percent",
            "payment_limit_hours",
            "payment_days_before_arrival",
            "provider_may_cancel",
        ]
    )
    return constructor


@transaction.atomic
def cancellation_tiers_replace(
    *,
    property: Property,
    rate_plan: RatePlan | None,
    tiers: Sequence[tuple[int, Decimal]],
) -> list[CancellationTier]:
    """Replace the property's default tiers (``rate_plan=None``) or one plan's tiers as a set.

    Each tier is (at least N days before arrival, refundable % of the total). An empty set
    removes them: a plan without tiers of its own follows the property's default ones.
    """
    plan = None if rate_plan is None else _own_rate_plan(property, rate_plan)
    checked: list[tuple[int, Decimal]] = []
    seen: set[int] = set()
    for days, percent in tiers:
        days = _whole_number(days, low=0, high=MAX_TIER_DAYS, field="days_before")
        percent = percent_parse(percent, field="refund_percent")
        if days in seen:
            raise InvalidInput(
                "duplicate_tier_days",
                _("Two tiers start %(days)s days before arrival; each needs its own number.")
                % {"days": days},
                field="days_before",
            )
        seen.add(days)
        checked.append((days, percent))
    constructor = _locked_constructor(property)
    CancellationTier.objects.filter(constructor=constructor, rate_plan=plan).delete()
    return CancellationTier.objects.bulk_create(
        [
            CancellationTier(
                constructor=constructor, rate_plan=plan, days_before=d, refund_percent=p
            )
            for d, p in sorted(checked, reverse=True)
        ]
    )


@transaction.atomic
def rate_plan_save(
    *,
    property: Property,
    rate_plan: RatePlan | None = None,
    name: str,
    is_active: bool,
    included_adults: int,
    extra_adult_price: Decimal,
    extra_child_price: Decimal,
) -> RatePlan:
    """Add a rate plan to the property (``rate_plan=None``) or change one of its plans."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name_required", _("Give the rate plan a name."), field="name")
    if len(name) > 200:
        raise InvalidInput("name_too_long", _("At most 200 characters."), field="name")
    adults = _whole_number(
        included_adults, low=1, high=MAX_INCLUDED_ADULTS, field="included_adults"
    )
    adult_price = price_parse(
        extra_adult_price, currency=property.currency, field="extra_adult_price"
    )
    child_price = price_parse(
        extra_child_price, currency=property.currency, field="extra_child_price"
    )
    _locked_constructor(property)
    plan = RatePlan(property=property) if rate_plan is None else _own_rate_plan(property, rate_plan)
    if RatePlan.objects.filter(property=property, name__iexact=name).exclude(pk=plan.pk).exists():
        raise InvalidInput(
            "duplicate_name", _("The property already has a rate plan of that name."), field="name"
        )
    plan.name = name
    plan.is_active = bool(is_active)
    plan.included_adults = adults
    plan.extra_adult_price = adult_price
    plan.extra_child_price = child_price
    plan.save()
    return plan


def price_cell(rate_plan_id: int, room_type_id: int) -> str:
    """The form field (and error field) of one cell of the nightly price matrix."""
    return f"price_{rate_plan_id}_{room_type_id}"


@transaction.atomic
def nightly_prices_set(
    *, property: Property, prices: Mapping[tuple[int, int], Decimal | None]
) -> dict[str, int]:
    """Set base nightly prices by (rate plan id, room type id); ``None`` means not sold.

    Only the cells given are touched. Returns how many were set (added or changed) and cleared.
    """
    plan_ids = set(RatePlan.objects.filter(property=property).values_list("pk", flat=True))
    room_ids = set(RoomType.objects.filter(property=property).values_list("pk", flat=True))
    wanted: dict[tuple[int, int], Decimal | None] = {}
    for (plan_id, room_id), value in prices.items():
        if plan_id not in plan_ids:
            raise InvalidInput(
                "unknown_rate_plan",
                _("This rate plan is not one of the property's."),
                field="rate_plan",
            )
        if room_id not in room_ids:
            raise InvalidInput(
                "unknown_room_type",
                _("This room type is not one of the property's."),
                field="room_type",
            )
        field = price_cell(plan_id, room_id)
        wanted[(plan_id, room_id)] = (
            None if value is None else price_parse(value, currency=property.currency, field=field)
        )
    _locked_constructor(property)
    existing = {
        (p.rate_plan_id, p.room_type_id): p
        for p in RatePrice.objects.filter(rate_plan__property=property)
    }
    cleared = [existing[k].pk for k, v in wanted.items() if v is None and k in existing]
    changed = [
        existing[k]
        for k, v in wanted.items()
        if v is not None and k in existing and existing[k].price != v
    ]
    for row in changed:
        row.price = wanted[(row.rate_plan_id, row.room_type_id)]
    added = [
        RatePrice(rate_plan_id=k[0], room_type_id=k[1], price=v)
        for k, v in wanted.items()
        if v is not None and k not in existing
    ]
    RatePrice.objects.filter(pk__in=cleared).delete()
    RatePrice.objects.bulk_update(changed, ["price"])
    RatePrice.objects.bulk_create(added)
    return {"set": len(changed) + len(added), "cleared": len(cleared)}


@transaction.atomic
def price_override_add(
    *,
    property: Property,
    rate_plan: RatePlan | int,
    room_type: RoomType | int,
    start: dt.date,
    end: dt.date,
    price: Decimal,
) -> RatePriceOverride:
    """A different nightly price for the nights ``start`` to ``end`` (both included)."""
    plan = _own_rate_plan(property, rate_plan)
    room = _own_room_type(property, room_type)
    if end < start:
        raise InvalidInput(
            "end_before_start", _("The last night cannot be before the first night."), field="end"
        )
    amount = price_parse(price, currency=property.currency, field="price")
    _locked_constructor(property)
    return RatePriceOverride.objects.create(
        rate_plan=plan, room_type=room, start=start, end=end, price=amount
    )


@transaction.atomic
def price_override_delete(*, property: Property, override_id: int) -> RatePriceOverride:
    """Remove one of the property's overrides; another property's is not found."""
    _locked_constructor(property)
    override = (
        RatePriceOverride.objects.select_related("rate_plan", "room_type")
        .filter(pk=override_id, rate_plan__property=property)
        .first()
    )
    if override is None:
        raise NotFound("override_not_found", _("This price override does not exist."))
    override.delete()
    return override
