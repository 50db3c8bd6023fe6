"""Which inventory a booking holds: the nights of a room, or the start date of an offer."""

from staydesk.bookings.models import Booking, Kind
from staydesk.inventory.resources import package_resource, room_resource, variant_resource
from staydesk.inventory.services import stock_hold, stock_release


def _resource_and_count(booking: Booking) -> tuple[str, int]:
    if booking.kind == Kind.ROOM:
        return room_resource(booking.room_type_id), booking.nights
    if booking.kind == Kind.PACKAGE:
        return package_resource(booking.package_id), 1
    return variant_resource(booking.variant_id), 1


def hold_units(booking: Booking, *, capacity: int) -> None:
    resource, count = _resource_and_count(booking)
    stock_hold(resource=resource, first=booking.arrival, count=count, capacity=capacity)


def release_units(booking: Booking) -> None:
    resource, count = _resource_and_count(booking)
    stock_release(resource=resource, first=booking.arrival, count=count)
