"""The provider's booking page with its Actions menu, and the guest's voucher.

Every rule comes from the core: the booking and what it shows through the selectors, what
may be done through ``allowed_action_names``/``action_refusal``, and every change through
``booking_perform``. Refusals are shown on the page, never a 500.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from staydesk.bookings.guest_links import booking_for_guest_token, guest_token
from staydesk.bookings.models import Booking
from staydesk.bookings.selectors import booking_get
from staydesk.bookings.selectors_detail import (
    action_refusal,
    booking_events,
    booking_ledger,
    cancellation_rules,
    contacts_visible,
    guest_cancellation_now,
    required_action_state,
    voucher_issued,
    voucher_valid,
)
from staydesk.bookings.services.perform import (
    ACTION_NAMES,
    CANCELLATION_TYPES,
    DESTRUCTIVE,
    allowed_action_names,
    booking_perform,
)
from staydesk.core.errors import DomainError, NotFound
from staydesk.core.money import Money
from staydesk.notifications.selectors import booking_notifications
from staydesk.payments.ledger import paid_amount
from staydesk.web.access import provider_view
from staydesk.web.forms.booking import ACTION_TEXTS, action_form


def _money_formatter(currency: str):
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)

    def fmt(amount: Decimal | None) -> str:
        return Money(amount or Decimal(0), currency).format(locale)

    return fmt


def _booking_or_404(request, code: str) -> Booking:
    try:
        return booking_get(scope=request.scope, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _nightly(booking: Booking, fmt) -> list[tuple[dt.date, str]]:
    return [
        (dt.date.fromisoformat(night), fmt(Decimal(price)))
        for night, price in booking.nightly_prices
    ]


def _voucher_url(request, booking: Booking) -> str | None:
    if not voucher_issued(booking):
        return None
    return request.build_absolute_uri(reverse("web:voucher", args=[guest_token(booking)]))


def _detail_context(request, booking: Booking) -> dict:
    fmt = _money_formatter(booking.currency)
    cancellation = guest_cancellation_now(booking)
    quote = cancellation.quote
    done_by = booking.required_action_done_by
    return {
        "booking": booking,
        "tz": booking.property.timezone,
        "nav": "bookings",
        "money": {
            "total": fmt(booking.total),
            "min_prepayment": fmt(booking.min_prepayment),
            "paid": fmt(booking.paid),
        },
        "nightly": _nightly(booking, fmt),
        "tiers": cancellation_rules(booking),
        "refund": quote
        and {
            "quote": quote,
            "penalty": fmt(quote.penalty),
            "refund_before_fee": fmt(quote.refund_before_fee),
            "transfer_fee": fmt(quote.transfer_fee),
            "refund": fmt(quote.refund),
        },
        "refund_refused": cancellation.refused,
        "actions": [
            {"name": name, "text": ACTION_TEXTS[name], "destructive": name in DESTRUCTIVE}
            for name in allowed_action_names(booking=booking, actor=request.actor)
        ],
        "events": booking_events(booking=booking),
        "ledger": [(entry, fmt(entry.amount)) for entry in booking_ledger(booking=booking)],
        "voucher_url": _voucher_url(request, booking),
        "required_action": required_action_state(booking),
        "done_by": done_by and (done_by.get_full_name() or done_by.get_username()),
        "cancellation_type": CANCELLATION_TYPES.get(
            booking.cancellation_type, booking.cancellation_type
        ),
        "notifications": booking_notifications(booking=booking),
    }


@provider_view
@require_safe
def booking_detail(request, code: str):
    booking = _booking_or_404(request, code)
    return render(request, "web/booking/detail.html", _detail_context(request, booking))


@provider_view
@require_http_methods(["GET", "POST"])
def booking_action(request, code: str, action: str):
    """GET: the confirmation page (changes nothing). POST: run the action, back to the booking."""
    booking = _booking_or_404(request, code)
    if action not in ACTION_NAMES:
        raise Http404(_("Unknown action."))
    back = reverse("web:booking", args=[booking.code])
    refused = action_refusal(booking=booking, name=action, actor=request.actor)
    if request.method == "POST" and refused is not None:
        messages.error(request, refused.message)
        return redirect(back)
    form = action_form(action, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_perform(
                booking=booking, name=action, actor=request.actor, **form.action_arguments()
            )
        except DomainError as exc:
            if exc.field not in form.fields:
                messages.error(request, exc.message)  # e.g. a deadline passed meanwhile
                return redirect(back)
            form.add_error(exc.field, str(exc.message))
        else:
            messages.success(request, ACTION_TEXTS[action].done)
            return redirect(back)
    context = {
        "booking": booking,
        "nav": "bookings",
        "action": action,
        "text": ACTION_TEXTS[action],
        "destructive": action in DESTRUCTIVE,
        "form": form,
        "refused": refused,
    }
    return render(request, "web/booking/action.html", context)


@never_cache
@require_safe
def voucher(request, token: str):
    """The guest's voucher, opened by the secret link alone; in the guest's language."""
    booking = booking_for_guest_token(token)
    if booking is None:
        raise Http404(_("No such voucher."))
    language = booking.guest_language
    with translation.override(language):
        fmt = _money_formatter(booking.currency)
        paid = paid_amount(booking=booking)
        context = {
            "booking": booking,
            "tz": booking.property.timezone,
            "issued": voucher_issued(booking),
            "valid": voucher_valid(booking),
            "required_action": required_action_state(booking),
            "show_contacts": contacts_visible(booking),
            "money": {"total": fmt(booking.total), "paid": fmt(paid)},
            "chat_url": reverse("web:guest_chat", args=[token]),
        }
        response = render(request, "web/voucher.html", context)
    response["Content-Language"] = language
    # The URL is the guest's secret: never leak it to another site or a search engine.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
