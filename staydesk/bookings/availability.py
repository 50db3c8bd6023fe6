"""What a property can sell for given dates and guests, with quotes (SPEC §8 availability).

Room types that hold the guests and have a free unit every night, each with its active rate
plans priced for every night; packages and promotion variants that hold the guests and can
still start on the arrival date. A fixed number of queries whatever the number of nights or
rate plans (pinned by a test): prices and overrides of the whole property are read at once
and turned into ``RoomPricing`` values here.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from staydesk.bookings.services.create import MAX_NIGHTS
from staydesk.catalog.models import (
    Package,
    PromotionVariant,
    Property,
    RatePlan,
    RatePrice,
    RatePriceOverride,
    RoomType,
)
from staydesk.core import clock
from staydesk.core.errors import InvalidInput, NotFound
from staydesk.core.tenancy import Scope
from staydesk.inventory.resources import package_resource, room_resource, variant_resource
from staydesk.inventory.selectors import stock_free
from staydesk.pricing.quotes import (
    NotPriced,
    PriceOverride,
    RoomPricing,
    quote_fixed_offer,
    quote_room_stay,
)


@dataclass(frozen=True)
class RatePlanQuote:
    rate_plan: RatePlan
    total: Decimal


@dataclass(frozen=True)
class RoomTypeAvailability:
    room_type: RoomType
    free: int
    rate_plans: list[RatePlanQuote]


@dataclass(frozen=True)
class OfferAvailability:
    """A package, or a promotion's variant: a fixed price for a fixed number of nights."""

    name: str
    nights: int
    departure: dt.date
    free: int
    total: Decimal
    max_adults: int
    max_children: int
    package: Package | None = None
    variant: PromotionVariant | None = None


@dataclass(frozen=True)
class Availability:
    property: Property
    arrival: dt.date
    departure: dt.date
    adults: int
    children: int
    currency: str
    room_types: list[RoomTypeAvailability]
    packages: list[OfferAvailability]
    promotions: list[OfferAvailability]


def _check(*, property: Property, arrival, departure, adults: int, children: int) -> None:
    if departure <= arrival:
        raise InvalidInput(
            "invalid_dates", _("Departure must be after arrival."), field="departure"
        )
    if (departure - arrival).days > MAX_NIGHTS:
        raise InvalidInput(
            "stay_too_long",
            _("A stay is at most %(n)s nights.") % {"n": MAX_NIGHTS},
            field="departure",
        )
    if arrival < clock.local_date(property.timezone):
        raise InvalidInput(
            "arrival_in_past", _("The arrival date is in the past."), field="arrival"
        )
    if adults < 1:
        raise InvalidInput("invalid_guests", _("At least one adult is required."), field="adults")
    if children < 0:
        raise InvalidInput(
            "invalid_guests", _("The number of children cannot be negative."), field="children"
        )


def _room_pricings(
    *, property: Property, plans: list[RatePlan], arrival: dt.date, last_night: dt.date
) -> dict[tuple[int, int], RoomPricing]:
    """``RoomPricing`` per (rate plan id, room type id), from two queries for the property."""
    base = {
        (plan_id, room_id): price
        for plan_id, room_id, price in RatePrice.objects.filter(
            rate_plan__property=property
        ).values_list("rate_plan_id", "room_type_id", "price")
    }
    overrides: dict[tuple[int, int], list[PriceOverride]] = {}
    rows = RatePriceOverride.objects.filter(
        rate_plan__property=property, start__lte=last_night, end__gte=arrival
    ).values_list("rate_plan_id", "room_type_id", "start", "end", "price")
    for plan_id, room_id, start, end, price in rows:
        overrides.setdefault((plan_id, room_id), []).append(
            PriceOverride(start=start, end=end, price=price)
        )
    by_plan = {plan.pk: plan for plan in plans}
    pricings = {}
    for key in set(base) | set(overrides):
        plan = by_plan.get(key[0])
        if plan is None:  # inactive
            continue
        pricings[key] = RoomPricing(
            base_price=base.get(key),
            included_adults=plan.included_adults,
            extra_adult_price=plan.extra_adult_price,
            extra_child_price=plan.extra_child_price,
            overrides=tuple(overrides.get(key, ())),
        )
    return pricings


def availability(
    *, property: Property, arrival: dt.date, departure: dt.date, adults: int, children: int = 0
) -> Availability:
    """Everything free and priced for the stay. Refuses bad input with ``InvalidInput``."""
    _check(
        property=property, arrival=arrival, departure=departure, adults=adults, children=children
    )
    nights = (departure - arrival).days
    currency = property.currency

    room_types = list(
        RoomType.objects.filter(
            property=property, max_adults__gte=adults, max_children__gte=children
        ).order_by("name", "pk")
    )
    free_rooms = stock_free(
        capacities={room_resource(rt.pk): rt.units for rt in room_types},
        first=arrival,
        count=nights,
    )
    room_types = [rt for rt in room_types if free_rooms.get(room_resource(rt.pk), 0) > 0]
    rooms: list[RoomTypeAvailability] = []
    if room_types:
        plans = list(
            RatePlan.objects.filter(property=property, is_active=True).order_by("name", "pk")
        )
        pricings = _room_pricings(
            property=property,
            plans=plans,
            arrival=arrival,
            last_night=departure - dt.timedelta(days=1),
        )
        for rt in room_types:
            quotes = []
            for plan in plans:
                pricing = pricings.get((plan.pk, rt.pk))
                if pricing is None:
                    continue
                try:
                    quote = quote_room_stay(
                        pricing=pricing,
                        currency=currency,
                        arrival=arrival,
                        departure=departure,
                        adults=adults,
                        children=children,
                    )
                except NotPriced:
                    continue
                quotes.append(RatePlanQuote(rate_plan=plan, total=quote.total))
            if quotes:
                rooms.append(
                    RoomTypeAvailability(
                        room_type=rt, free=free_rooms[room_resource(rt.pk)], rate_plans=quotes
                    )
                )

    guests = Q(max_adults__gte=adults, max_children__gte=children, price__isnull=False)
    packages = list(Package.objects.filter(guests, property=property).order_by("name", "pk"))
    variants = list(
        PromotionVariant.objects.filter(guests, promotion__property=property)
        .filter(Q(promotion__valid_from__isnull=True) | Q(promotion__valid_from__lte=arrival))
        .filter(Q(promotion__valid_to__isnull=True) | Q(promotion__valid_to__gte=arrival))
        .select_related("promotion")
        .order_by("promotion__public_id", "name", "pk")
    )
    capacities = {package_resource(p.pk): p.capacity_per_date for p in packages}
    capacities |= {variant_resource(v.pk): v.capacity_per_date for v in variants}
    free_offers = stock_free(capacities=capacities, first=arrival, count=1)

    def offer(obj, resource: str, name: str, **kind) -> OfferAvailability | None:
        free = free_offers.get(resource, 0)
        if free <= 0:
            return None
        return OfferAvailability(
            name=name,
            nights=max(1, obj.nights),
            departure=arrival + dt.timedelta(days=max(1, obj.nights)),
            free=free,
            total=quote_fixed_offer(price=obj.price, currency=currency).total,
            max_adults=obj.max_adults,
            max_children=obj.max_children,
            **kind,
        )

    package_rows = [offer(p, package_resource(p.pk), p.name, package=p) for p in packages]
    variant_rows = [
        offer(v, variant_resource(v.pk), f"{v.promotion.name} · {v.name}", variant=v)
        for v in variants
    ]
    return Availability(
        property=property,
        arrival=arrival,
        departure=departure,
        adults=adults,
        children=children,
        currency=currency,
        room_types=rooms,
        packages=[row for row in package_rows if row is not None],
        promotions=[row for row in variant_rows if row is not None],
    )


def bookable_property_get(*, scope: Scope, property_id: int) -> Property:
    """A property the caller may book: a provider its organization's, an agency any, a guest
    none. Any other is ``NotFound``, exactly like a missing one."""
    qs = Property.objects.all()
    if scope.organization_id is not None:
        qs = qs.filter(organization_id=scope.organization_id)
    elif scope.agency_id is None and not scope.everything:
        qs = qs.none()
    found = qs.filter(pk=property_id).first()
    if found is None:
        raise NotFound("property_not_found", _("This property does not exist."))
    return found
