"""``/api/v1/properties``: what the caller may book or manage."""

from ninja import Router

from staydesk.api.schemas import ErrorOut, PropertyOut
from staydesk.bookings.states import ActorKind
from staydesk.catalog.models import Property

router = Router(tags=["properties"])


@router.get("", response={200: list[PropertyOut], 401: ErrorOut})
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
