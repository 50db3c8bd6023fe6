"""``/api/v1/properties``: what the caller may book or manage, and what is free when."""

from ninja import Query, Router

from staydesk.api.schemas import ErrorOut, PropertyOut
from staydesk.api.schemas_availability import AvailabilityOut, AvailabilityParams
from staydesk.bookings.availability import Availability, availability, bookable_property_get
from staydesk.bookings.states import ActorKind
from staydesk.catalog.models import Property

router = Router(tags=["properties"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.get("", response={200: list[PropertyOut], 401: ErrorOut, 429: ErrorOut})
def list_properties(request):
    """A provider sees its own properties; an agency every property it may book; a guest the
    property of its booking."""
    caller = request.auth
    qs = Property.objects.order_by("name", "pk")
    if caller.kind == ActorKind.PROVIDER:
        qs = qs.filter(organization_id=caller.organization_id)
    elif caller.kind == ActorKind.GUEST:
        qs = qs.filter(bookings__pk=caller.booking_id)
    return list(qs)


def _availability_json(found: Availability) -> dict:
    def offer(row) -> dict:
        variant = row.variant
        return {
            "kind": "package" if row.package is not None else "promotion",
            "package": row.package.pk if row.package is not None else None,
            "promotion": variant.promotion_id if variant is not None else None,
            "promotion_id": variant.promotion.public_id if variant is not None else None,
            "variant": variant.pk if variant is not None else None,
            "name": row.name,
            "nights": row.nights,
            "departure": row.departure,
            "free": row.free,
            "max_adults": row.max_adults,
            "max_children": row.max_children,
            "total": row.total,
        }

    return {
        "property": found.property.pk,
        "arrival": found.arrival,
        "departure": found.departure,
        "adults": found.adults,
        "children": found.children,
        "currency": found.currency,
        "room_types": [
            {
                "id": row.room_type.pk,
                "name": row.room_type.name,
                "free": row.free,
                "max_adults": row.room_type.max_adults,
                "max_children": row.room_type.max_children,
                "rate_plans": [
                    {
                        "id": q.rate_plan.pk,
                        "name": q.rate_plan.name,
                        "total": q.total,
                        "included_adults": q.rate_plan.included_adults,
                        "extra_adult_price": q.rate_plan.extra_adult_price,
                        "extra_child_price": q.rate_plan.extra_child_price,
                    }
                    for q in row.rate_plans
                ],
            }
            for row in found.room_types
        ],
        "packages": [offer(row) for row in found.packages],
        "promotions": [offer(row) for row in found.promotions],
    }


@router.get(
    "/{id}/availability",
    response={200: AvailabilityOut, **ERRORS},
    summary="Free room types and offers, with quotes",
)
def property_availability(request, id: int, params: Query[AvailabilityParams]):
    """Room types that hold the guests with a unit free every night, each with its rate plans
    and the quoted total; packages and promotion variants that can start on the arrival date.

    Refused with 422: `invalid_dates` (departure not after arrival), `stay_too_long` (over 90
    nights), `arrival_in_past`, `invalid_guests`. A property the caller may not book is 404.
    """
    caller = request.auth
    prop = bookable_property_get(scope=caller.scope, property_id=id)
    found = availability(
        property=prop,
        arrival=params.arrival,
        departure=params.departure,
        adults=params.adults,
        children=params.children,
    )
    return _availability_json(found)
