"""Writes to the catalog that touch inventory: changing how many units may be sold.

A stock counter copies its capacity when first used, and the database checks
``held <= capacity`` against that copy; so a new capacity must reach the counters of every
coming date, and is refused where more are already booked than it allows.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from staydesk.catalog.models import Package, PromotionVariant, RoomType
from staydesk.core import clock
from staydesk.core.errors import DomainError
from staydesk.inventory.models import StockNight
from staydesk.inventory.resources import package_resource, room_resource, variant_resource
from staydesk.inventory.services import stock_set_capacity


@dataclass(frozen=True)
class Sellable:
    capacity_field: str
    resource: str
    capacity: int
    timezone: str


def sellable_of(obj) -> Sellable | None:
    """The inventory side of a room type, package or promotion variant (None for others)."""
    if obj.pk is None:
        return None
    if isinstance(obj, RoomType):
        return Sellable("units", room_resource(obj.pk), obj.units, obj.property.timezone)
    if isinstance(obj, Package):
        return Sellable(
            "capacity_per_date",
            package_resource(obj.pk),
            obj.capacity_per_date,
            obj.property.timezone,
        )
    if isinstance(obj, PromotionVariant):
        return Sellable(
            "capacity_per_date",
            variant_resource(obj.pk),
            obj.capacity_per_date,
            obj.promotion.property.timezone,
        )
    return None


def capacity_refusal(*, sellable: Sellable, capacity: int) -> DomainError | None:
    """Why ``capacity`` is too low (more already booked on a coming date), or None."""
    busy = (
        StockNight.objects.filter(
            resource=sellable.resource,
            date__gte=clock.local_date(sellable.timezone),
            held__gt=capacity,
        )
        .order_by("-held")
        .first()
    )
    if busy is None:
        return None
    return DomainError(
        "units_in_use",
        _("%(held)s are already booked on %(date)s; the capacity cannot be lower.")
        % {"held": busy.held, "date": busy.date.isoformat()},
        field=sellable.capacity_field,
    )


def sellable_sync_capacity(*, obj) -> None:
    """Carry a saved object's capacity to its counters from today on (inside its transaction).

    Raises ``DomainError("units_in_use")`` if a booking took a unit since the form was checked.
    """
    sellable = sellable_of(obj)
    if sellable is not None:
        stock_set_capacity(
            resource=sellable.resource,
            capacity=sellable.capacity,
            from_date=clock.local_date(sellable.timezone),
        )
