"""Writes to the catalog that touch inventory: changing how many units may be sold.

A stock counter copies its capacity when first used, and the database checks
``held <= capacity`` against that copy; so a new capacity must reach the counters of every
coming date, and is refused where more are already booked than it allows.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from staydesk.catalog.models import Package, PromotionVariant, Property, RoomType
from staydesk.core import clock
from staydesk.core.errors import DomainError, InvalidInput
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


MAX_UNITS = 10_000
MAX_GUESTS = 99


def _count(value: object, *, low: int, high: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            "out_of_range",
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            field=field,
        )
    return value


@transaction.atomic
def room_type_save(
    *,
    property: Property,
    room_type: RoomType | None = None,
    name: str,
    units: int,
    max_adults: int,
    max_children: int,
) -> RoomType:
    """Add a room type to the property (``room_type=None``) or change one of its room types.

    Fewer units than are already booked on a coming night are refused with the reason
    (``units_in_use``); the new number reaches the stock counters in the same transaction.
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name_required", _("Give the room type a name."), field="name")
    if len(name) > 200:
        raise InvalidInput("name_too_long", _("At most 200 characters."), field="name")
    units = _count(units, low=0, high=MAX_UNITS, field="units")
    max_adults = _count(max_adults, low=1, high=MAX_GUESTS, field="max_adults")
    max_children = _count(max_children, low=0, high=MAX_GUESTS, field="max_children")
    if room_type is None:
        obj = RoomType(property=property)
    else:
        # Locked so two edits of its units queue; NO KEY, so bookings referencing it go on.
        obj = (
            RoomType.objects.select_for_update(no_key=True)
            .filter(property=property, pk=room_type.pk)
            .first()
        )
        if obj is None:
            raise InvalidInput(
                "unknown_room_type",
                _("This room type is not one of the property's."),
                field="room_type",
            )
        obj.property = property  # the same row; spares a query for its timezone
    if RoomType.objects.filter(property=property, name__iexact=name).exclude(pk=obj.pk).exists():
        raise InvalidInput(
            "duplicate_name", _("The property already has a room type of that name."), field="name"
        )
    units_changed = obj.pk is not None and obj.units != units
    if units_changed and (refusal := capacity_refusal(sellable=sellable_of(obj), capacity=units)):
        raise refusal
    obj.name = name
    obj.units = units
    obj.max_adults = max_adults
    obj.max_children = max_children
    obj.save()
    if units_changed:
        # A booking may have taken a unit since the check: this refuses then, and the
        # transaction takes the save back with it.
        sellable_sync_capacity(obj=obj)
    return obj
