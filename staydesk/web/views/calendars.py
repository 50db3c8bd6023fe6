"""Calendar feeds: the provider's page listing them, and the feeds themselves (no login)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from staydesk.accounts.selectors import is_owner
from staydesk.catalog.models import Property
from staydesk.inventory.calendar_feed import (
    feed_for_token,
    feed_ical,
    feed_token,
    property_calendar_secret_renew,
)
from staydesk.web.access import owner_or_403, provider_view


def _feed_url(request, **kwargs) -> str:
    """On the host the provider is using, like the voucher link on the booking page."""
    token = feed_token(**kwargs)
    return request.build_absolute_uri(reverse("web:calendar_feed", args=[token]))


@provider_view
@require_GET
def calendars(request):
    properties = Property.objects.filter(organization=request.organization).prefetch_related(
        "room_types"
    )
    rows = [
        {
            "property": prop,
            "url": _feed_url(request, property=prop),
            "room_types": [
                {"room_type": room, "url": _feed_url(request, property=prop, room_type=room)}
                for room in prop.room_types.all()
            ],
        }
        for prop in properties
    ]
    return render(
        request,
        "web/calendars/index.html",
        {
            "nav": "calendars",
            "rows": rows,
            "can_renew": is_owner(user=request.user, organization=request.organization),
        },
    )


@provider_view
@require_http_methods(["GET", "POST"])
def calendar_secret_renew(request, property_id: int):
    """GET: what a new secret does (changes nothing). POST: make it. Owners only."""
    owner_or_403(request, _("Only an owner can revoke the calendar links."))
    prop = get_object_or_404(Property, pk=property_id, organization=request.organization)
    if request.method == "POST":
        property_calendar_secret_renew(property=prop)
        messages.success(
            request,
            _("New calendar links for %(name)s: the old ones no longer work.")
            % {"name": prop.name},
        )
        return redirect("web:calendars")
    return render(
        request, "web/calendars/renew_confirm.html", {"nav": "calendars", "property": prop}
    )


@require_safe
def calendar_feed(request, token: str):
    feed = feed_for_token(token)
    if feed is None:
        raise Http404(_("No such calendar."))
    response = HttpResponse(feed_ical(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="occupied.ics"'
    # Calendar clients poll: let them reuse the answer briefly; never index it.
    patch_cache_control(response, max_age=settings.STAYDESK_CALENDAR_FEED_MAX_AGE_SECONDS)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
