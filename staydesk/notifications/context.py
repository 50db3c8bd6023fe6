"""What the templates of a booking's notifications see: the booking, formatted amounts and
absolute links. Amounts are formatted for the recipient's locale at fan-out time."""

from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.core.money import Money
from staydesk.payments.ledger import paid_amount


def absolute(path: str) -> str:
    return settings.STAYDESK_PUBLIC_URL.rstrip("/") + path


def provider_booking_url(booking: Booking) -> str:
    return absolute(reverse("web:booking", args=[booking.code]))


def guest_links(booking: Booking) -> dict[str, str]:
    token = guest_token(booking)
    return {
        "voucher_url": absolute(reverse("web:voucher", args=[token])),
        "chat_url": absolute(reverse("web:guest_chat", args=[token])),
    }


def one_click_links(booking: Booking) -> dict[str, str]:
    # Written by another module of the bookings app; imported here only when a request needs it.
    from staydesk.bookings.one_click import one_click_url

    return {
        "confirm_url": one_click_url(booking=booking, action="confirm"),
        "reject_url": one_click_url(booking=booking, action="reject"),
    }


def _money(amount, currency: str, language: str) -> str:
    if amount in (None, ""):
        return ""
    return Money(Decimal(str(amount)), currency).format(translation.to_locale(language))


def booking_context(booking: Booking, *, language: str, event: BookingEvent | None = None) -> dict:
    """The booking and its amounts, for any recipient; ``event.data`` amounts included."""
    currency = booking.currency
    data = event.data if event is not None else {}
    amounts = {
        "total": booking.total,
        "min_prepayment": booking.min_prepayment,
        "paid": paid_amount(booking=booking),
        # From the event: what a payment, cancellation or expiry moved.
        "payment": data.get("amount"),
        "refund": data.get("refund"),
        "penalty": data.get("penalty"),
        "transfer_fee": data.get("transfer_fee"),
    }
    money = {name: _money(value, currency, language) for name, value in amounts.items()}
    prop = booking.property
    return {
        "booking": booking,
        "property": prop,
        "organization": booking.organization,
        "event": event,
        "money": money,
        "needs_prepayment": booking.min_prepayment > 0,
        "provider_url": provider_booking_url(booking),
        **guest_links(booking),
    }


def contact_details(booking: Booking) -> dict[str, str]:
    """How to reach the property once the guest has paid (SPEC §6)."""
    prop, org = booking.property, booking.organization
    return {
        "email": prop.contact_email or org.notification_email,
        "phone": prop.contact_phone or org.notification_phone,
        "address": prop.address,
        "website": prop.website,
    }
