"""The guest's secret for one booking: ``<code>.<signature>``, an HMAC of the code and the
booking's random nonce under SECRET_KEY. Nothing secret is stored, the link can be sent again
at any time, and rotating SECRET_KEY (with SECRET_KEY_FALLBACKS) keeps old links working."""

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from staydesk.bookings.models import Booking

SALT = "staydesk.guest-link"


def _signature(code: str, nonce: str, secret: str | None = None) -> str:
    return salted_hmac(SALT, f"{code}:{nonce}", secret=secret, algorithm="sha256").hexdigest()[:40]


def guest_token(booking: Booking) -> str:
    return f"{booking.code}.{_signature(booking.code, booking.guest_nonce)}"


def booking_for_guest_token(token: str) -> Booking | None:
    """The booking this token opens, or None (also for a forged or mangled token)."""
    code, _sep, signature = (token or "").partition(".")
    if not code or not signature or len(code) > 16:
        return None
    booking = Booking.objects.filter(code=code).select_related("property").first()
    if booking is None:
        return None
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if constant_time_compare(signature, _signature(code, booking.guest_nonce, secret)):
            return booking
    return None
