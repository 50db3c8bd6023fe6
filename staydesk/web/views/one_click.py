"""The page behind a one-click Confirm or Reject link: no login, the link is the key.

GET only shows the request and one button (mail scanners open links; opening never acts);
the button POSTs the page's CSRF-protected form, which answers the request once.
Forged or mangled links are 404; used or expired ones 410; a request already answered, or
a refusal by the rules, 409 with the reason. Never the guest's email or phone.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from staydesk.bookings.models import Booking
from staydesk.bookings.one_click import (
    OneClickLink,
    one_click_booking,
    one_click_check,
    one_click_parse,
    one_click_use,
)
from staydesk.bookings.services.actions import MAX_REASON
from staydesk.core.errors import DomainError
from staydesk.core.money import Money


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _page(request, link: OneClickLink, booking: Booking, *, status: int = 200, **extra):
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    context = {
        "booking": booking,
        "action": link.action,
        "tz": booking.property.timezone,
        "total": Money(booking.total or Decimal(0), booking.currency).format(locale),
        "booking_url": reverse("web:booking", args=[booking.code]),
        **extra,
    }
    response = render(request, "web/one_click/answer.html", context, status=status)
    # The URL is a key: keep it out of other sites' logs and search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def one_click(request, token: str):
    link = one_click_parse(token)
    booking = one_click_booking(link) if link else None
    if link is None or booking is None:
        raise Http404(_("This link is not valid."))
    posted = request.POST if request.method == "POST" else None
    form = RejectForm(posted) if link.action == "reject" else None
    if request.method != "POST":  # GET and HEAD only look
        error = one_click_check(link=link, booking=booking)
        if error is not None:
            return _page(request, link, booking, status=error.status, error=error)
        return _page(request, link, booking, form=form)
    if form is not None and not form.is_valid():
        return _page(request, link, booking, status=422, form=form)
    reason = form.cleaned_data["reason"] if form is not None else ""
    try:
        answered = one_click_use(link=link, booking=booking, reason=reason)
    except DomainError as exc:
        if form is not None and getattr(exc, "field", None) == "reason":
            # The reason failed the service's checks (too long, contact details before
            # payment): a form error, the link stays unused.
            form.add_error("reason", str(exc.message))
            return _page(request, link, booking, status=422, form=form)
        booking.refresh_from_db(fields=["status"])
        return _page(request, link, booking, status=exc.status, error=exc)
    return _page(request, link, answered, done=True)
