"""The booking's chat in the UI: the provider's panel on the booking page and the guest's
plain chat page at the secret link. Both poll a partial every 5 s (htmx) for new messages;
posting goes through ``message_post``, whose refusals are shown as a form error."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from staydesk.bookings.actors import Actor
from staydesk.bookings.guest_links import booking_for_guest_token
from staydesk.bookings.models import Booking
from staydesk.core.errors import DomainError
from staydesk.messaging.models import Side
from staydesk.messaging.selectors import conversation
from staydesk.messaging.services import MAX_LENGTH, message_post, messages_mark_read
from staydesk.web.access import provider_view
from staydesk.web.views.booking import _booking_or_404


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _post(form: MessageForm, booking: Booking, actor: Actor) -> bool:
    """Send the form's message; a refusal becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        message_post(booking=booking, actor=actor, body=form.cleaned_data["body"])
    except DomainError as exc:
        form.add_error("body", str(exc.message))
        return False
    return True


def _log(request, booking: Booking, side: Side) -> list:
    messages_mark_read(booking=booking, side=side)
    return list(conversation(booking=booking))


def _guest_booking(token: str) -> Booking:
    booking = booking_for_guest_token(token)
    if booking is None:
        raise Http404(_("No such booking."))
    return booking


def _guest_headers(response):
    response["Content-Language"] = translation.get_language()
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- provider ----------------------------------------------------------------------------------


@provider_view
@require_safe
def chat_messages(request, code: str):
    """The message log partial, polled by the booking page; reading it marks it read."""
    booking = _booking_or_404(request, code)
    context = {"booking": booking, "chat": _log(request, booking, Side.PROVIDER), "me": "provider"}
    return render(request, "web/chat/log.html", context)


@provider_view
@require_POST
def chat_post(request, code: str):
    booking = _booking_or_404(request, code)
    form = MessageForm(request.POST)
    sent = _post(form, booking, request.actor)
    if not request.htmx:
        if not sent:
            messages.error(request, form.errors["body"][0])
        return redirect(reverse("web:booking", args=[booking.code]) + "#chat")
    context = {
        "booking": booking,
        "form": MessageForm() if sent else form,
        "post_url": reverse("web:chat_post", args=[booking.code]),
        "log_url": reverse("web:chat_messages", args=[booking.code]),
        "chat": _log(request, booking, Side.PROVIDER),
        "me": "provider",
    }
    return render(request, "web/chat/panel_body.html", context)


# --- guest -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def guest_chat(request, token: str):
    """The guest's chat page, opened by the secret link alone, in the guest's language."""
    booking = _guest_booking(token)
    with translation.override(booking.guest_language):
        form = MessageForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            sent = _post(form, booking, Actor.guest(booking.guest_full_name))
            if sent and not request.htmx:
                return redirect(reverse("web:guest_chat", args=[token]))
            if sent:
                form = MessageForm()
        context = {
            "booking": booking,
            "token": token,
            "form": form,
            "post_url": reverse("web:guest_chat", args=[token]),
            "log_url": reverse("web:guest_chat_messages", args=[token]),
            "chat": _log(request, booking, Side.GUEST),
            "me": "guest",
            "tz": booking.property.timezone,
        }
        template = "web/chat/panel_body.html" if request.htmx else "web/chat/guest.html"
        response = render(request, template, context)
        return _guest_headers(response)


@never_cache
@require_safe
def guest_chat_messages(request, token: str):
    booking = _guest_booking(token)
    with translation.override(booking.guest_language):
        context = {"booking": booking, "chat": _log(request, booking, Side.GUEST), "me": "guest"}
        return _guest_headers(render(request, "web/chat/log.html", context))
