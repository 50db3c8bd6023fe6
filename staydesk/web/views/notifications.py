"""The booking page's notifications panel on its own (refreshed in place by htmx)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from staydesk.bookings.selectors import booking_get
from staydesk.core.errors import NotFound
from staydesk.notifications.selectors import booking_notifications
from staydesk.web.access import provider_view


@provider_view
@require_safe
def booking_notifications_panel(request, code: str):
    try:
        booking = booking_get(scope=request.scope, code=code)  # another organization: 404
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {"booking": booking, "notifications": booking_notifications(booking=booking)}
    return render(request, "web/booking/notifications.html", context)
