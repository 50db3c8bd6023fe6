"""Reads of bookings. ``booking_list`` is the one queryset behind the grid, the CSV export and
the API list, so they can never disagree."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from staydesk.bookings.filters import ORDERINGS, BookingFilters
from staydesk.bookings.models import Booking, Kind
from staydesk.bookings.states import Status
from staydesk.core import clock
from staydesk.core.errors import NotFound
from staydesk.core.tenancy import Scope
from staydesk.payments.ledger import paid_subquery


def booking_scope(*, scope: Scope) -> QuerySet[Booking]:
    qs = Booking.objects.all()
    if scope.everything:
        return qs
    if scope.organization_id is not None:
        return qs.filter(organization_id=scope.organization_id)
    if scope.agency_id is not None:
        return qs.filter(agency_id=scope.agency_id)
    return qs.filter(pk=scope.booking_id)


def _is_id(value: str) -> bool:
    """A database id, not a name (and small enough for a BIGINT column)."""
    return value.isdigit() and len(value) < 19


def _filter(qs: QuerySet[Booking], f: BookingFilters) -> QuerySet[Booking]:
    ranges = {
        "booked_at__date__gte": f.booked_from,
        "booked_at__date__lte": f.booked_to,
        "arrival__gte": f.arrival_from,
        "arrival__lte": f.arrival_to,
        "departure__gte": f.departure_from,
        "departure__lte": f.departure_to,
    }
    qs = qs.filter(**{k: v for k, v in ranges.items() if v is not None})
    if f.code:
        qs = qs.filter(code__istartswith=f.code)
    if f.guest_last_name:
        qs = qs.filter(guest_last_name__icontains=f.guest_last_name)
    if f.guest_first_name:
        qs = qs.filter(guest_first_name__icontains=f.guest_first_name)
    if f.rate_plan:
        qs = qs.filter(rate_plan_name__icontains=f.rate_plan)
    if f.property:
        qs = (
            qs.filter(property_id=int(f.property))
            if _is_id(f.property)
            else qs.filter(property__name__icontains=f.property)
        )
    if f.promotion:
        qs = qs.filter(promotion__public_id__iexact=f.promotion)
    if f.variant:
        qs = (
            qs.filter(variant_id=int(f.variant))
            if _is_id(f.variant)
            else qs.filter(variant__name__icontains=f.variant)
        )
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.required_action == "done":
        qs = qs.filter(required_action_done_at__isnull=False)
    elif f.required_action == "pending":
        qs = qs.exclude(required_action_text="").filter(required_action_done_at__isnull=True)
    if f.deadline_within is not None:
        until = clock.now() + dt.timedelta(hours=f.deadline_within)
        qs = qs.filter(
            Q(status=Status.PENDING_CONFIRMATION, confirm_by__lte=until)
            | Q(status=Status.AWAITING_PAYMENT, pay_by__lte=until)
        )
    if f.kind == "rooms":
        qs = qs.filter(kind=Kind.ROOM)
    elif f.kind == "packages":
        qs = qs.filter(kind__in=[Kind.PACKAGE, Kind.PROMOTION])
    return qs


def _order(qs: QuerySet[Booking], ordering: str) -> QuerySet[Booking]:
    column = ORDERINGS[ordering.lstrip("-")]
    if ordering.startswith("-"):
        return qs.order_by(F(column).desc(nulls_last=True), "-id")
    return qs.order_by(F(column).asc(nulls_first=True), "id")


def booking_list(*, scope: Scope, filters: BookingFilters | None = None) -> QuerySet[Booking]:
    """Bookings the caller may see, filtered and ordered, with ``paid`` annotated."""
    filters = filters or BookingFilters()
    qs = booking_scope(scope=scope).select_related("property", "promotion", "variant", "agency")
    qs = _filter(qs, filters).annotate(paid=paid_subquery())
    return _order(qs, filters.ordering)


def booking_get(*, scope: Scope, code: str) -> Booking:
    """One booking by code, or ``NotFound`` (also for another organization's booking)."""
    booking = (
        booking_scope(scope=scope)
        .select_related(
            "property", "room_type", "rate_plan", "package", "promotion", "variant", "agency"
        )
        .annotate(paid=paid_subquery())
        .filter(code=code)
        .first()
    )
    if booking is None:
        raise NotFound("not_found", _("No such booking."))
    return booking


# Statuses of a booking whose guest is expected: arrivals the provider checks in.
EXPECTED = (Status.CONFIRMED, Status.PARTIALLY_PAID, Status.PAID)


def dashboard_summary(*, scope: Scope, today: dt.date) -> dict[str, int]:
    """The dashboard's counts, in one query. Each has a matching grid filter (web.dashboard)."""
    until = clock.now() + dt.timedelta(hours=24)
    tomorrow = today + dt.timedelta(days=1)
    return booking_scope(scope=scope).aggregate(
        new_requests=Count("pk", filter=Q(status=Status.PENDING_CONFIRMATION)),
        requests_expiring=Count(
            "pk", filter=Q(status=Status.PENDING_CONFIRMATION, confirm_by__lte=until)
        ),
        payments_due=Count("pk", filter=Q(status=Status.AWAITING_PAYMENT, pay_by__lte=until)),
        arrivals_today=Count("pk", filter=Q(status__in=EXPECTED, arrival=today)),
        arrivals_tomorrow=Count("pk", filter=Q(status__in=EXPECTED, arrival=tomorrow)),
        required_actions_pending=Count(
            "pk",
            filter=Q(status__in=[*EXPECTED, Status.COMPLETED], required_action_done_at__isnull=True)
            & ~Q(required_action_text=""),
        ),
    )
