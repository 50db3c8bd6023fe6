"""``/api/v1/bookings``: the grid, export, one booking, its actions, bulk, refund quote,
payments. Every endpoint calls the same selectors and services as the web UI."""

import math

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from staydesk.api.schemas import (
    BookingIn,
    BookingOut,
    BookingPage,
    BulkIn,
    BulkResultOut,
    CancelIn,
    ErrorOut,
    PaymentIn,
    RefundQuoteOut,
    RejectIn,
)
from staydesk.bookings.exporters import csv_stream
from staydesk.bookings.filters import BookingFilters
from staydesk.bookings.selectors import booking_get, booking_list
from staydesk.bookings.serializers import booking_json
from staydesk.bookings.services import GuestDetails, booking_create
from staydesk.bookings.services.actions import refund_quote_for
from staydesk.bookings.services.bulk import bookings_bulk
from staydesk.bookings.services.perform import booking_perform
from staydesk.bookings.states import ActorKind
from staydesk.catalog.models import Property
from staydesk.core import clock
from staydesk.core.errors import DomainError, InvalidInput, NotFound
from staydesk.payments.services import payment_record

router = Router(tags=["bookings"])

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class ListParams(Schema):
    booked_from: str = ""
    booked_to: str = ""
    arrival_from: str = ""
    arrival_to: str = ""
    departure_from: str = ""
    departure_to: str = ""
    code: str = ""
    guest_last_name: str = ""
    guest_first_name: str = ""
    rate_plan: str = ""
    property: str = ""
    promotion: str = ""
    variant: str = ""
    status: list[str] = []
    required_action: str = ""
    kind: str = ""
    deadline_within: str = ""
    ordering: str = ""
    page: int = 1
    page_size: int = 25


def _filters(params: ListParams) -> BookingFilters:
    return BookingFilters.from_params(params.model_dump(exclude={"page", "page_size"}))


def _caller(request: HttpRequest):
    return request.auth


@router.get("", response={200: BookingPage, **ERRORS}, summary="The bookings grid")
def list_bookings(request, params: Query[ListParams]):
    """Every filter of the provider grid, combinable; default order: booking date ascending."""
    caller = _caller(request)
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            "invalid_filter",
            _("page_size is 1 to %(m)s.") % {"m": MAX_PAGE_SIZE},
            field="page_size",
        )
    if not 1 <= params.page <= MAX_PAGE:  # a huge page would overflow the database's OFFSET
        raise InvalidInput(
            "invalid_filter", _("page is 1 to %(m)s.") % {"m": MAX_PAGE}, field="page"
        )
    qs = booking_list(scope=caller.scope, filters=_filters(params))
    count = qs.count()
    start = (params.page - 1) * params.page_size
    rows = qs.select_related("room_type", "package")[start : start + params.page_size]
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": max(1, math.ceil(count / params.page_size)),
        "results": [booking_json(b, actor=caller.actor) for b in rows],
    }


@router.get("/export.csv", response={200: None, **ERRORS}, summary="The grid as CSV")
def export_bookings(request, params: Query[ListParams]):
    """The same filters as the list, streamed as CSV (UTF-8 with BOM)."""
    caller = _caller(request)
    qs = booking_list(scope=caller.scope, filters=_filters(params))
    response = StreamingHttpResponse(
        csv_stream(qs, scope=caller.scope), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bookings-{clock.now():%Y-%m-%d}.csv"'
    return response


@router.post("", response={201: BookingOut, **ERRORS}, summary="Create a booking")
def create_booking(request, payload: BookingIn):
    """Book a room type with a rate plan, a package, or a promotion variant.

    Send an ``Idempotency-Key`` header: a retry with the same key and body returns the first
    response and never books twice.
    """
    caller = _caller(request)
    if caller.kind == ActorKind.GUEST:
        raise DomainError("actor_not_allowed", _("A booking secret cannot create bookings."))
    prop = Property.objects.filter(pk=payload.property).first()
    if prop is None or (caller.organization_id and prop.organization_id != caller.organization_id):
        raise NotFound("unknown_property", _("No such property."), field="property")
    agency = caller.actor.agency if caller.kind == ActorKind.AGENCY else None
    booking = booking_create(
        property=prop,
        room_type=payload.room_type,
        rate_plan=payload.rate_plan,
        package=payload.package,
        variant=payload.variant,
        promotion=payload.promotion,
        arrival=payload.arrival,
        departure=payload.departure,
        adults=payload.adults,
        children=payload.children,
        currency=payload.currency,
        guest=GuestDetails(**payload.guest.model_dump()),
        agency=agency,
        actor=caller.actor,
    )
    return Status(201, booking_json(booking, actor=caller.actor))


@router.post("/bulk", response={200: list[BulkResultOut], **ERRORS}, summary="Bulk actions")
def bulk(request, payload: BulkIn):
    caller = _caller(request)
    results = bookings_bulk(
        scope=caller.scope,
        codes=payload.codes,
        name=payload.action,
        actor=caller.actor,
        cancellation_type=payload.type,
        reason=payload.reason,
    )
    return [
        {
            "code": r.code,
            "ok": r.ok,
            "status": r.status or None,
            "error": r.code_of_error or None,
            "detail": str(r.message) or None,
        }
        for r in results
    ]


@router.get("/{code}", response={200: BookingOut, **ERRORS}, summary="One booking")
def get_booking(request, code: str):
    caller = _caller(request)
    return booking_json(booking_get(scope=caller.scope, code=code), actor=caller.actor)


@router.get("/{code}/refund-quote", response={200: RefundQuoteOut, **ERRORS})
def refund_quote(request, code: str):
    """The refund breakdown a guest's cancellation now would give (SPEC §4)."""
    caller = _caller(request)
    quote = refund_quote_for(booking_get(scope=caller.scope, code=code), clock.now())
    return {k: getattr(quote, k) for k in RefundQuoteOut.model_fields}


@router.post("/{code}/payments", response={201: BookingOut, **ERRORS}, summary="Record a payment")
def record_payment(request, code: str, payload: PaymentIn):
    caller = _caller(request)
    booking = booking_get(scope=caller.scope, code=code)
    done = payment_record(
        booking=booking, amount=payload.amount, actor=caller.actor, reference=payload.reference
    )
    return Status(201, booking_json(done, actor=caller.actor))


def _act(request, code: str, name: str, *, cancellation_type: str = "", reason: str = ""):
    caller = _caller(request)
    booking = booking_get(scope=caller.scope, code=code)
    done = booking_perform(
        booking=booking,
        name=name,
        actor=caller.actor,
        cancellation_type=cancellation_type,
        reason=reason,
    )
    return booking_json(done, actor=caller.actor)


ACTION_RESPONSES = {200: BookingOut, **ERRORS}


@router.post("/{code}/confirm", response=ACTION_RESPONSES, summary="Confirm a request")
def confirm(request, code: str):
    return _act(request, code, "confirm")


@router.post("/{code}/reject", response=ACTION_RESPONSES, summary="Reject a request")
def reject(request, code: str, payload: RejectIn | None = None):
    return _act(request, code, "reject", reason=payload.reason if payload else "")


@router.post("/{code}/cancel", response=ACTION_RESPONSES, summary="Cancel")
def cancel(request, code: str, payload: CancelIn | None = None):
    """Providers give a ``type`` and a ``reason`` and refund everything; guests and agencies
    get the refund of the cancellation rules (see ``refund-quote``)."""
    payload = payload or CancelIn()
    return _act(request, code, "cancel", cancellation_type=payload.type, reason=payload.reason)


@router.post("/{code}/check-in", response=ACTION_RESPONSES, summary="Confirm check-in")
def check_in(request, code: str):
    return _act(request, code, "check-in")


@router.post("/{code}/no-show", response=ACTION_RESPONSES, summary="Mark no-show")
def no_show(request, code: str):
    return _act(request, code, "no-show")


@router.post(
    "/{code}/required-action", response=ACTION_RESPONSES, summary="Mark the required action done"
)
def required_action(request, code: str):
    return _act(request, code, "required-action")


@router.post(
    "/{code}/resend-confirmation",
    response=ACTION_RESPONSES,
    summary="Resend the confirmation email",
)
def resend_confirmation(request, code: str):
    return _act(request, code, "resend-confirmation")
