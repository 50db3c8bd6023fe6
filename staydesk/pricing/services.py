"""Writes to the price constructor."""

from decimal import Decimal

from django.db import transaction

from staydesk.catalog.models import Property, RatePlan, RatePrice, RatePriceOverride
from staydesk.pricing.models import CancellationTier, PriceConstructor


@transaction.atomic
def price_constructor_reset(*, property: Property) -> dict[str, int]:
    """Erase every pricing setting and price of a property; they must be entered again.

    Rate plans keep their names (bookings and channel mappings refer to them) but lose every
    price. Existing bookings are untouched: their price and rules were frozen at creation.
    Returns how many rows of each kind were erased.
    """
    plans = RatePlan.objects.filter(property=property)
    erased = {
        "prices": RatePrice.objects.filter(rate_plan__in=plans).delete()[0],
        "overrides": RatePriceOverride.objects.filter(rate_plan__in=plans).delete()[0],
        "cancellation_tiers": CancellationTier.objects.filter(
            constructor__property=property
        ).delete()[0],
    }
    plans.update(extra_adult_price=Decimal(0), extra_child_price=Decimal(0))
    defaults = {
        f.name: f.get_default()
        for f in PriceConstructor._meta.concrete_fields
        if f.name not in ("id", "property")
    }
    PriceConstructor.objects.update_or_create(property=property, defaults=defaults)
    return erased
