"""The dashboard: what needs the provider today, each count a link into the filtered grid."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from staydesk.bookings.selectors import EXPECTED, dashboard_summary
from staydesk.bookings.states import Status
from staydesk.messaging.selectors import unread_message_count
from staydesk.web.access import provider_view
from staydesk.web.dates import organization_today


def _grid(**params) -> str:
    return reverse("web:grid") + "?" + urlencode(params, doseq=True)


@provider_view
def dashboard(request):
    today = organization_today(request.organization)
    tomorrow = today.fromordinal(today.toordinal() + 1)
    counts = dashboard_summary(scope=request.scope, today=today)
    expected = [s.value for s in EXPECTED]
    tiles = [
        (
            _("New requests"),
            counts["new_requests"],
            _grid(status=Status.PENDING_CONFIRMATION.value),
        ),
        (
            _("Requests expiring within 24 h"),
            counts["requests_expiring"],
            _grid(status=Status.PENDING_CONFIRMATION.value, deadline_within=24, ordering="code"),
        ),
        (_("Unread messages"), unread_message_count(scope=request.scope), _grid()),
        (
            _("Arrivals today to check in"),
            counts["arrivals_today"],
            _grid(arrival_from=today.isoformat(), arrival_to=today.isoformat(), status=expected),
        ),
        (
            _("Arrivals tomorrow"),
            counts["arrivals_tomorrow"],
            _grid(
                arrival_from=tomorrow.isoformat(), arrival_to=tomorrow.isoformat(), status=expected
            ),
        ),
        (
            _("Payments due within 24 h"),
            counts["payments_due"],
            _grid(status=Status.AWAITING_PAYMENT.value, deadline_within=24),
        ),
        (
            _("Required actions not done"),
            counts["required_actions_pending"],
            _grid(required_action="pending", status=[*expected, Status.COMPLETED.value]),
        ),
    ]
    return render(
        request, "web/dashboard.html", {"tiles": tiles, "nav": "dashboard", "today": today}
    )
